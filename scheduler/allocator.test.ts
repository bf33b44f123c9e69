// Allocator bookkeeping beyond the Mesos scenarios: filters, reservations in the role tree, agent
// re-registration, framework lifecycle, capabilities, per-role minimums, headroom, pending batches.
import t from 'tap';
import { Allocator, seededRng, type Offer } from './allocator.js';
import { Resources } from './resources.js';

const R = (text: string): Resources => {
  const r = Resources.parse(text);
  if (!r.ok) throw new Error(`bad resources in test: ${text}`);
  return r.value;
};
const show = (offers: Offer[]): string[] => offers.map((o) => `${o.frameworkId}@${o.agentId}/${o.role} ${o.resources.toString()}`).sort();
const rng = seededRng(11);

t.test('a filter only holds while the refused resources are a superset of the new offer', async (t) => {
  const a = new Allocator();
  a.addFramework('f', { roles: ['r'] });
  a.addAgent('s1', { total: R('cpus:1;mem:512') });
  const [o] = a.allocatePending(0, rng);
  a.recoverResources('f', 's1', o!.resources, { refuseSeconds: 10 }, 0);
  t.same(a.allocate(1000, rng), [], 'same resources: filtered');
  a.updateAgent('s1', R('cpus:2;mem:1024'));
  t.ok(a.hasPending(), 'a changed total asks for an allocation');
  t.same(show(a.allocatePending(1500, rng)), ['f@s1/r cpus:2;mem:1024'], 'more than was refused breaks the filter');
});

t.test('refuse_seconds: negative → default 5 s, huge → clamped to 365 days, revive clears', async (t) => {
  const a = new Allocator();
  a.addFramework('f', { roles: ['r'] });
  a.addAgent('s1', { total: R('cpus:1;mem:512') });
  let [o] = a.allocatePending(0, rng);
  a.recoverResources('f', 's1', o!.resources, { refuseSeconds: -3 }, 0);
  t.same(a.allocate(4999, rng), []);
  [o] = a.allocate(5000, rng);
  t.ok(o, 'offered again at 5 s');
  a.recoverResources('f', 's1', o!.resources, { refuseSeconds: 1e12 }, 5000);
  const year = 365 * 24 * 3600 * 1000;
  t.same(a.allocate(5000 + year - 1, rng), [], 'still filtered just before a year');
  t.equal(a.allocate(5000 + year, rng).length, 1, 'clamped to 365 days');
  a.recoverResources('f', 's1', R('cpus:1;mem:512'), {}, 0);
  t.equal(a.activeFilters('f', 0), 1);
  a.reviveOffers('f');
  t.equal(a.activeFilters('f', 0), 0, 'revive clears the filters');
  t.equal(a.allocatePending(1, rng).length, 1);
});

t.test('reservations follow the role tree; other roles see only unreserved', async (t) => {
  const a = new Allocator();
  a.addAgent('s1', { total: R('cpus:1;mem:64;cpus(a):2;mem(a):64;cpus(c):4') });
  a.addFramework('ab', { roles: ['a/b'] });
  t.same(show(a.allocatePending(0, rng)), ['ab@s1/a/b cpus:1;mem:64;cpus(a):2;mem(a):64'], 'a/b gets unreserved + ancestor a');
  a.addFramework('d', { roles: ['d'] });
  t.same(a.allocatePending(0, rng), [], 'nothing left for d: c reservation is not its');
  t.ok(a.available('s1').equals(R('cpus(c):4')));
});

t.test('agent re-registration: used resources count before the framework is back', async (t) => {
  const a = new Allocator();
  a.addAgent('s1', { total: R('cpus:4;mem:4096;ports:[31000-31009]'), used: [{ frameworkId: 'old', role: 'r', resources: R('cpus:3;mem:3072;ports:[31000-31000]') }] });
  a.addFramework('new', { roles: ['q'] });
  t.same(show(a.allocatePending(0, rng)), ['new@s1/q cpus:1;mem:1024;ports:[31001-31009]']);
  t.ok(a.allocation('old').equals(R('cpus:3;mem:3072;ports:[31000-31000]')));
  t.same(a.roles().map((r) => [r.role, r.share]), [['q', 0.25], ['r', 0.75]]);
  a.removeFramework('old');
  t.ok(a.available('s1').equals(R('cpus:3;mem:3072;ports:[31000-31000]')), 'removing a framework frees what it held');
  t.same(a.roles().map((r) => r.role), ['q'], 'an idle role leaves the sorter');
});

t.test('framework lifecycle: deactivate hides it and clears filters; activate asks for offers', async (t) => {
  const a = new Allocator();
  a.addAgent('s1', { total: R('cpus:1;mem:512') });
  a.addFramework('f', { roles: ['r'] });
  const [o] = a.allocatePending(0, rng);
  a.recoverResources('f', 's1', o!.resources, { refuseSeconds: 100 }, 0);
  a.deactivateFramework('f');
  t.equal(a.activeFilters('f', 0), 0);
  t.same(a.allocate(1000, rng), [], 'inactive: no offers');
  a.activateFramework('f');
  t.equal(a.allocatePending(1000, rng).length, 1, 'reactivated, filter gone');
});

t.test('multi-role frameworks: one offer per role; recover without a role searches them all', async (t) => {
  const a = new Allocator();
  a.addAgent('s1', { total: R('cpus:1;mem:64;cpus(x):1;mem(x):64') });
  a.addFramework('m', { roles: ['x', 'a'], capabilities: ['MULTI_ROLE'] });
  const offers = a.allocatePending(0, rng);
  t.same(show(offers), ['m@s1/a cpus:1;mem:64', 'm@s1/x cpus(x):1;mem(x):64'], 'a sorts first and takes the unreserved part; x its reservation');
  a.recoverResources('m', 's1', R('cpus:1;mem:64;cpus(x):1;mem(x):64'), undefined, 0);
  t.ok(a.allocation('m').isEmpty());
  t.notOk(a.hasPending(), 'recovering does not trigger an allocation');
});

t.test('GPU agents only go to GPU_RESOURCES frameworks', async (t) => {
  const a = new Allocator();
  a.addAgent('g', { total: R('cpus:1;mem:64;gpus:1') });
  a.addFramework('plain', { roles: ['r'] });
  t.same(a.allocatePending(0, rng), []);
  a.addFramework('gpu', { roles: ['r'], capabilities: ['GPU_RESOURCES'] });
  t.same(show(a.allocatePending(0, rng)), ['gpu@g/r cpus:1;gpus:1;mem:64']);
});

t.test('per-role minimum allocatable override', async (t) => {
  const a = new Allocator();
  a.addAgent('s1', { total: R('cpus:0.5;mem:64') });
  a.addFramework('big', { roles: ['r'], minAllocatable: { r: 'cpus:1' } });
  t.same(a.allocatePending(0, rng), [], 'needs a whole cpu');
  a.updateFramework('big', { roles: ['r'], minAllocatable: { r: 'cpus:1|mem:64' } });
  a.reviveOffers('big');
  t.equal(a.allocatePending(0, rng).length, 1, 'mem:64 alternative');
  const any = new Allocator({ minAllocatable: '' });
  any.addAgent('s1', { total: R('disk:1') });
  any.addFramework('f', { roles: ['r'] });
  t.equal(any.allocatePending(0, rng).length, 1, "'' allows anything non-empty");
});

t.test('headroom: a quota role without frameworks still holds its guarantee back', async (t) => {
  const a = new Allocator();
  a.updateQuota('q', { guarantees: { cpus: 2, mem: 1024 } });
  a.addAgent('a1', { total: R('cpus:2;mem:1024') });
  a.addAgent('a2', { total: R('cpus:1;mem:512') });
  a.addFramework('f', { roles: ['other'] });
  const offers = a.allocatePending(0, rng);
  let got = Resources.EMPTY;
  for (const o of offers) got = got.add(o.resources);
  t.ok(got.equals(R('cpus:1;mem:512')), `only the surplus is offered (got ${got.toString()})`);
  a.removeQuota('q');
  t.equal(a.quota('q'), undefined);
  t.ok(a.allocate(1000, rng).length >= 1, 'quota removed: the rest is offered');
});

t.test('agents: deactivate hides, activate and remove', async (t) => {
  const a = new Allocator();
  a.addFramework('f', { roles: ['r'] });
  a.addAgent('s1', { total: R('cpus:1;mem:64'), active: false });
  t.same(a.allocatePending(0, rng), []);
  a.activateAgent('s1');
  const [o] = a.allocatePending(0, rng);
  t.equal(o?.agentId, 's1');
  a.recoverResources('f', 's1', o!.resources, {}, 0);
  a.removeAgent('s1');
  t.equal(a.activeFilters('f', 0), 0, 'removing an agent drops its filters');
  t.same(a.agentIds(), []);
  a.recoverResources('f', 'gone', R('cpus:1'), {}, 0);
  t.equal(a.activeFilters(), 0, 'recover on an unknown agent is a no-op');
});
