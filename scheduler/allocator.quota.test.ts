// Further quota cases (reference/core.md §5.2 item 13): v0-style quota (guarantee = limit), several
// frameworks in a quota role, reservations counting toward consumption, limits up the role tree, removal.
import t from 'tap';
import { Allocator, seededRng, type Offer } from './allocator.js';
import { Resources } from './resources.js';

const R = (text: string): Resources => {
  const r = Resources.parse(text);
  if (!r.ok) throw new Error(`bad resources in test: ${text}`);
  return r.value;
};
const show = (offers: Offer[]): string[] => offers.map((o) => `${o.frameworkId}@${o.agentId} ${o.resources.toString()}`).sort();
const perFramework = (offers: Offer[]): Record<string, number> => {
  const n: Record<string, number> = {};
  for (const o of offers) n[o.frameworkId] = (n[o.frameworkId] ?? 0) + 1;
  return n;
};

t.test('QuotaProvidesGuarantee with v0 semantics (guarantee = limit)', async (t) => {
  const a = new Allocator();
  const rng = seededRng(5);
  a.updateQuota('quota-role', { guarantees: { cpus: 2, mem: 1024 }, limits: { cpus: 2, mem: 1024 } });
  a.addFramework('fw1', { roles: ['quota-role'] });
  a.addFramework('fw2', { roles: ['no-quota-role'] });
  a.addAgent('a1', { total: R('cpus:1;mem:512') });
  a.addAgent('a2', { total: R('cpus:1;mem:512') });
  a.addAgent('a3', { total: R('cpus:1;mem:512') });
  const offers = a.allocatePending(0, rng);
  t.same(perFramework(offers), { fw1: 2, fw2: 1 }, 'quota role gets its guarantee and no more; the rest is fair share');
  t.ok(offers.every((o) => o.resources.equals(R('cpus:1;mem:512'))), 'whole agents');
});

t.test('MultipleFrameworksInRoleWithQuota: the guarantee is shared by DRF inside the role', async (t) => {
  for (const seed of [1, 2, 3]) {
    const a = new Allocator();
    const rng = seededRng(seed);
    a.updateQuota('q', { guarantees: { cpus: 2, mem: 1024 }, limits: { cpus: 2, mem: 1024 } });
    for (const id of ['fw1', 'fw2']) a.addFramework(id, { roles: ['q'] });
    a.addFramework('fw3', { roles: ['other'] });
    for (const id of ['a1', 'a2', 'a3']) a.addAgent(id, { total: R('cpus:1;mem:512') });
    t.same(perFramework(a.allocatePending(0, rng)), { fw1: 1, fw2: 1, fw3: 1 }, `seed ${seed}`);
  }
});

t.test('ReservationWithinQuota: unallocated reservations count toward consumption', async (t) => {
  const a = new Allocator();
  const rng = seededRng(2);
  a.updateQuota('a-quota', { guarantees: { cpus: 2, mem: 1024 }, limits: { cpus: 2, mem: 1024 } });
  a.addAgent('r1', { total: R('cpus(a-quota):2;mem(a-quota):1024') });
  a.addAgent('u1', { total: R('cpus:2;mem:1024') });
  a.addFramework('fw1', { roles: ['a-quota'] });
  a.addFramework('fw2', { roles: ['b-other'] });
  t.same(show(a.allocatePending(0, rng)), ['fw1@r1 cpus(a-quota):2;mem(a-quota):1024', 'fw2@u1 cpus:2;mem:1024'],
    'the reservation fills the quota role, so it takes nothing unreserved');
});

t.test('limits apply up the role tree', async (t) => {
  const a = new Allocator();
  const rng = seededRng(2);
  a.updateQuota('eng', { limits: { cpus: 1 } });
  a.addFramework('web', { roles: ['eng/web'] });
  a.addAgent('s1', { total: R('cpus:4;mem:1024') });
  t.same(show(a.allocatePending(0, rng)), ['web@s1 cpus:1;mem:1024'], 'cpus cut by the parent limit; mem unlimited');
  t.same(a.quota('eng'), { guarantees: {}, limits: { cpus: 1 } });
  a.removeQuota('eng');
  t.same(show(a.allocate(1000, rng)), ['web@s1 cpus:3'], 'limit removed: the rest follows at the next cycle');
});

t.test('RemoveQuota: held-back headroom is released', async (t) => {
  const a = new Allocator();
  const rng = seededRng(4);
  a.updateQuota('q', { guarantees: { cpus: 1, mem: 512 } });
  a.addFramework('other', { roles: ['other'] });
  a.addAgent('s1', { total: R('cpus:1;mem:512') });
  t.same(a.allocatePending(0, rng), [], 'everything is headroom for q (which has no framework)');
  a.updateQuota('q', {});
  t.same(show(a.allocate(1000, rng)), ['other@s1 cpus:1;mem:512']);
});
