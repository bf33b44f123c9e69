import t from 'tap';
import { MemoryStore, validNamespace } from './store.js';

t.test('records: copies in and out, sorted lists, writes reported per namespace', async (t) => {
  const writes: Array<[string, Record<string, unknown>]> = [];
  const s = new MemoryStore({ leases: { b: 2 } }, async (ns, c) => { writes.push([ns, c]); });
  const r = s.records('leases');
  const v = { ip: '198.19.1.0/24' };
  await r.put('a', v);
  v.ip = 'changed';
  t.same(r.get('a'), { ip: '198.19.1.0/24' }, 'stored value is a copy');
  t.same(r.list(), [['a', { ip: '198.19.1.0/24' }], ['b', 2]]);
  await r.delete('b');
  await r.delete('missing');
  t.same(writes, [['leases', { a: { ip: '198.19.1.0/24' }, b: 2 }], ['leases', { a: { ip: '198.19.1.0/24' } }]]);
  t.same(s.records('other').list(), []);
  t.throws(() => s.records('../etc'), /invalid store namespace/);
  t.ok(validNamespace('overlay-leases') && !validNamespace('Bad') && !validNamespace(''));
});
