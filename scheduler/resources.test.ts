import t from 'tap';
import { Resources, parseQuantities, quantities, addQ, subQ, minQ, containsQ, roleCovers, type V1Resource } from './resources.js';

const R = (text: string): Resources => {
  const r = Resources.parse(text);
  if (!r.ok) throw new Error(`bad resources in test: ${text}`);
  return r.value;
};

t.test('parse the Mesos text form, with ports and static reservations', async (t) => {
  const r = R('cpus:4;mem:8192;disk:10000;ports:[31000-32000];cpus(ads):2;mem(ads):512');
  t.equal(r.scalar('cpus'), 6);
  t.equal(r.unreserved().scalar('cpus'), 4);
  t.equal(r.reserved('ads').scalar('mem'), 512);
  t.same(r.ranges('ports'), [{ begin: 31000, end: 32000 }]);
  t.equal(r.toString(), 'cpus:4;disk:10000;mem:8192;ports:[31000-32000];cpus(ads):2;mem(ads):512');
  t.same(r.reservations(), [undefined, { role: 'ads', type: 'STATIC' }]);
  t.equal(R('ports:[31000-31005, 31010-32000, 5]').toSummary()['ports'], '[5-5, 31000-31005, 31010-32000]');
  t.ok(R('').isEmpty());
  t.ok(R('cpus:0;mem:0').isEmpty(), 'zero amounts vanish');
});

t.test('bad input: every problem reported at once, with the field named', async (t) => {
  const r = Resources.parse('cpus:-1;bogus:3;mem:abc;ports:[10-20, 15-30];disk;ports:7;cpus( ):1', { path: 'agent.resources' });
  t.notOk(r.ok);
  if (r.ok) return;
  t.same(r.error.map((p) => p.path), [
    'agent.resources.cpus', 'agent.resources.bogus', 'agent.resources.mem', 'agent.resources.ports',
    'agent.resources', 'agent.resources.ports', 'agent.resources.cpus',
  ]);
  t.match(r.error[0]?.message, /negative/);
  t.match(r.error[1]?.message, /unknown resource 'bogus'/);
  t.match(r.error[3]?.message, /overlaps/);
  t.ok(Resources.parse('foo:3', { allowUnknown: true }).ok, 'custom scalars when allowed');
  const twice = Resources.parse('ports:[1-5];ports:[4-9]');
  t.notOk(twice.ok, 'overlap across two ports entries');
  t.equal(R('cpus:1;cpus:2').scalar('cpus'), 3, 'repeated scalars add up');
});

t.test('fixed-point arithmetic: no float drift', async (t) => {
  const sum = R('cpus:0.1').add(R('cpus:0.2'));
  t.equal(sum.scalar('cpus'), 0.3);
  t.ok(sum.equals(R('cpus:0.3')));
  t.ok(R('cpus:0.3').subtract(R('cpus:0.1')).subtract(R('cpus:0.2')).isEmpty());
});

t.test('add, subtract (clamped), contains with port ranges and reservations', async (t) => {
  const a = R('cpus:4;mem:1024;ports:[31000-31010]');
  const b = R('cpus:1;mem:24;ports:[31002-31003]');
  const d = a.subtract(b);
  t.equal(d.toString(), 'cpus:3;mem:1000;ports:[31000-31001, 31004-31010]');
  t.ok(d.add(b).equals(a), 'add undoes subtract, ranges merge back');
  t.ok(a.contains(b));
  t.notOk(d.contains(b), 'ports taken');
  t.notOk(a.contains(R('cpus(r1):1')), 'unreserved does not contain reserved');
  t.ok(R('cpus:1').subtract(R('cpus:5;mem:3')).isEmpty(), 'clamped at zero; absent names ignored');
  t.ok(R('cpus:1').contains(Resources.EMPTY));
});

t.test('role views: allocatableTo follows the role tree', async (t) => {
  const r = R('cpus:1;cpus(a):2;cpus(a/b):4;cpus(c):8');
  t.equal(r.allocatableTo('a/b').scalar('cpus'), 7, 'unreserved + a + a/b');
  t.equal(r.allocatableTo('a').scalar('cpus'), 3, 'not the child reservation');
  t.equal(r.allocatableTo('ab').scalar('cpus'), 1, 'prefix is not ancestry');
  t.equal(r.reservedWithin('a').scalar('cpus'), 6);
  t.equal(r.reserved().scalar('cpus'), 14);
  t.ok(roleCovers('a', 'a/b/c'));
  t.notOk(roleCovers('a/b', 'a'));
  t.same(r.toReservedSummaries(), {
    a: { cpus: 2, gpus: 0, mem: 0, disk: 0 }, 'a/b': { cpus: 4, gpus: 0, mem: 0, disk: 0 }, c: { cpus: 8, gpus: 0, mem: 0, disk: 0 },
  });
});

t.test('v0 summary always carries cpus/gpus/mem/disk', async (t) => {
  t.same(R('mem:64;cpus:0.1;ports:[31000-31000]').toSummary(), { cpus: 0.1, gpus: 0, mem: 64, disk: 0, ports: '[31000-31000]' });
  t.same(Resources.EMPTY.toSummary(), { cpus: 0, gpus: 0, mem: 0, disk: 0 });
});

t.test('v1 Resource arrays: emit and accept, static and dynamic reservations', async (t) => {
  const dyn = Resources.of({ cpus: 2 }, { role: 'web', type: 'DYNAMIC', principal: 'ops' });
  const r = R('cpus:1;ports:[1-2]').add(dyn).add(R('mem(web):64'));
  const v1 = r.toV1();
  t.same(v1, [
    { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
    { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 1, end: 2 }] } },
    { name: 'mem', type: 'SCALAR', scalar: { value: 64 }, reservations: [{ type: 'STATIC', role: 'web' }] },
    { name: 'cpus', type: 'SCALAR', scalar: { value: 2 }, reservations: [{ type: 'DYNAMIC', role: 'web', principal: 'ops' }] },
  ]);
  const back = Resources.fromV1(JSON.parse(JSON.stringify(v1)));
  t.ok(back.ok && back.value.equals(r), 'round trip');
  t.notOk(r.contains(R('cpus(web):2')), 'a dynamic reservation is not a static one');
  t.ok(r.reserved('web').contains(dyn));
  const old: unknown = [{ name: 'cpus', type: 'SCALAR', scalar: { value: 3 }, role: 'r1', reservation: { principal: 'p' } }];
  const o = Resources.fromV1(old);
  t.ok(o.ok && o.value.equals(Resources.of({ cpus: 3 }, { role: 'r1', type: 'DYNAMIC', principal: 'p' })), 'pre-1.4 form');
  const bad = Resources.fromV1([{ name: 'cpus', type: 'SCALAR', scalar: { value: -1 } }, { type: 'SCALAR' }, { name: 'mem', type: 'SET' }]);
  t.same(bad.ok ? [] : bad.error.map((p) => p.path), ['resources[0].scalar.value', 'resources[1].name', 'resources[2].type']);
  t.notOk(Resources.fromV1({}).ok);
  const typed: V1Resource[] = r.toV1();
  t.equal(typed.length, 4);
});

t.test('quantities, shrink and the quantity helpers', async (t) => {
  const r = R('cpus:2;mem:1024;ports:[31000-31009];cpus(a):1');
  t.same([...r.quantities()], [['cpus', 3000], ['mem', 1024000]]);
  t.same(r.quantities(true).get('ports'), 10000, 'ranges count their elements');
  const s = R('cpus:2;mem:1024;disk:5;ports:[1-3]').shrink(quantities({ cpus: 0.5, mem: 2048 }));
  t.equal(s.toString(), 'cpus:0.5;mem:1024;ports:[1-3]', 'cut to target, names outside target dropped, ranges kept');
  const q = parseQuantities('cpus:0.01; mem:32');
  t.ok(q.ok && q.value.get('cpus') === 10 && q.value.get('mem') === 32000);
  t.notOk(parseQuantities('cpus:-1').ok);
  const a = quantities({ cpus: 1, mem: 10 }), b = quantities({ cpus: 3 });
  t.same([...addQ(a, b)], [['cpus', 4000], ['mem', 10000]]);
  t.same([...subQ(a, b)], [['cpus', 0], ['mem', 10000]]);
  t.same([...minQ(a, b)], [['cpus', 1000], ['mem', 10000]]);
  t.ok(containsQ(b, quantities({ cpus: 2 })));
  t.notOk(containsQ(a, b));
});
