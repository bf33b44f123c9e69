import t from 'tap';
import { usableHosts, candidates } from './ipam.js';

t.test('usable hosts skip network, gateway and broadcast', async (t) => {
  const h = usableHosts('198.19.0.0/29', '198.19.0.1');
  t.same(h, ['198.19.0.2', '198.19.0.3', '198.19.0.4', '198.19.0.5', '198.19.0.6']);
  t.equal(usableHosts('9.0.0.0/25', '9.0.0.1').length, 125);
});

t.test('round robin after the last reserved, wrapping, skipping used', async (t) => {
  const h = ['a', 'b', 'c', 'd'];
  t.same(candidates(h, new Set(), undefined), ['a', 'b', 'c', 'd']);
  t.same(candidates(h, new Set(['d']), 'b'), ['c', 'a', 'b']);
  t.same(candidates(h, new Set(h), 'a'), [], 'exhausted');
  t.same(candidates(h, new Set(), 'zz'), ['a', 'b', 'c', 'd'], 'unknown last starts at the beginning');
});
