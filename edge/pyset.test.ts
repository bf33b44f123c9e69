// CPython set iteration order (PYTHONHASHSEED=0), which marathon-lb's grouped-vhost certificate
// lists depend on. Expected orders were printed by Debian's python3.11 with PYTHONHASHSEED=0.
import t from 'tap';
import { PySet, pyStrHash } from './pyset.js';

t.test('str hash with PYTHONHASHSEED=0', async (t) => {
  t.equal(pyStrHash(''), 0n, 'empty string hashes to 0');
  t.not(pyStrHash('a'), pyStrHash('b'));
  t.equal(pyStrHash('/etc/ssl/a.pem'), pyStrHash('/etc/ssl/a.pem'), 'deterministic');
});

t.test('iteration order', async (t) => {
  const s = new PySet();
  s.add('/etc/ssl/a.pem');
  s.add('/etc/ssl/b.pem');
  t.same([...s], ['/etc/ssl/b.pem', '/etc/ssl/a.pem'], 'the order marathon-lb printed in the reference run');
  s.add('/etc/ssl/a.pem');
  t.equal(s.size, 2, 'no duplicates');
  const big = new PySet();
  for (let i = 0; i < 40; i++) big.add(`k${i}`);
  t.equal(big.size, 40, 'resizes keep every member');
  t.same([...big].sort(), Array.from({ length: 40 }, (_, i) => `k${i}`).sort());
  t.same([...big].slice(0, 8), ['k1', 'k28', 'k25', 'k36', 'k37', 'k8', 'k14', 'k18'], 'order after several resizes matches CPython');
  const opts = new PySet();
  for (const o of ['verify required', 'ciphers X', 'alpn h2']) opts.add(o);
  t.same([...opts], ['verify required', 'alpn h2', 'ciphers X']);
});
