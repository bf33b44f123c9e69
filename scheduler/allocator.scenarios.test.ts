// Mesos allocator acceptance scenarios (reference/core.md §5.2), each asserting the exact offers.
// Event-driven steps call allocatePending (adding an agent allocates that agent, adding a framework all
// agents); batch steps advance the clock by one interval and call allocate.
import t from 'tap';
import { Allocator, seededRng, type AllocatorOptions, type Offer } from './allocator.js';
import { Resources } from './resources.js';

export const R = (text: string): Resources => {
  const r = Resources.parse(text);
  if (!r.ok) throw new Error(`bad resources in test: ${text}`);
  return r.value;
};
/** Canonical text of offers, sorted: `fw@agent resources`. */
const show = (offers: Offer[]): string[] => offers.map((o) => `${o.frameworkId}@${o.agentId} ${o.resources.toString()}`).sort();
const want = (...xs: Array<[string, string, string]>): string[] => xs.map(([fw, ag, res]) => `${fw}@${ag} ${R(res).toString()}`).sort();

class Drive {
  readonly a: Allocator;
  now = 0;
  readonly rng: () => number;
  constructor(readonly interval = 1000, opts: AllocatorOptions = {}, seed = 7) { this.a = new Allocator(opts); this.rng = seededRng(seed); }
  agent(id: string, res: string): Offer[] { this.a.addAgent(id, { total: R(res) }); return this.events(); }
  framework(id: string, roles: string[], capabilities?: string[]): Offer[] { this.a.addFramework(id, { roles, capabilities }); return this.events(); }
  events(): Offer[] { return this.a.allocatePending(this.now, this.rng); }
  batch(): Offer[] { this.now += this.interval; return this.a.allocate(this.now, this.rng); }
  recover(offers: Offer[], refuseSeconds?: number): void {
    for (const o of offers) this.a.recoverResources(o.frameworkId, o.agentId, o.resources, refuseSeconds === undefined ? undefined : { refuseSeconds }, this.now);
  }
}

function unreservedDRF(t: Tap, gpus: boolean): void {
  const d = new Drive(1000, gpus ? { fairnessExcludeResourceNames: ['gpus'] } : {});
  const s1 = gpus ? 'cpus:2;mem:1024;gpus:1' : 'cpus:2;mem:1024';
  t.same(show(d.agent('s1', s1)), [], 's1 added, no frameworks yet');
  t.same(show(d.framework('fw1', ['role1'], gpus ? ['GPU_RESOURCES'] : [])), want(['fw1', 's1', s1]), 'fw1 gets s1');
  t.same(show(d.framework('fw2', ['role2'])), [], 'fw2 added, nothing free');
  t.same(show(d.agent('s2', 'cpus:1;mem:512')), want(['fw2', 's2', 'cpus:1;mem:512']), 'role2 share 0 < role1 .67');
  t.same(show(d.agent('s3', 'cpus:3;mem:2048')), want(['fw2', 's3', 'cpus:3;mem:2048']), 'role2 .17 < role1 .33');
  t.same(show(d.framework('fw3', ['role1'])), [], 'fw3 added');
  t.same(show(d.agent('s4', 'cpus:4;mem:4096')), want(['fw3', 's4', 'cpus:4;mem:4096']), 'role1 .2 < role2 .4; fw3 share 0');
  t.same(show(d.framework('fw4', ['role1'])), [], 'fw4 added');
  t.same(show(d.agent('s5', 'cpus:1;mem:512')), want(['fw2', 's5', 'cpus:1;mem:512']), 'role2 .36 < role1 .63 though fw4 has nothing');
}
type Tap = { same(found: unknown, wanted: unknown, message: string): unknown };

t.test('UnreservedDRF', async (t) => unreservedDRF({ same: (f, w, m) => t.same(f, w, m) }, false));
t.test('DRFWithFairnessExclusion', async (t) => unreservedDRF({ same: (f, w, m) => t.same(f, w, m) }, true));

t.test('ReservedDRF', async (t) => {
  const d = new Drive();
  const s1 = 'cpus:1;mem:512;cpus(role1):100;mem(role1):1024';
  d.agent('s1', s1);
  t.same(show(d.framework('fw1', ['role1'])), want(['fw1', 's1', s1]), 'fw1 gets all of s1, reservations included');
  t.same(show(d.framework('fw2', ['role2'])), []);
  t.same(show(d.agent('s2', 'cpus:2;mem:512')), want(['fw2', 's2', 'cpus:2;mem:512']));
  t.same(show(d.agent('s3', 'cpus:2;mem:512')), want(['fw2', 's3', 'cpus:2;mem:512']), 'role1 ≈0.96 through allocated reservations');
  t.same(show(d.framework('fw3', ['role1'])), []);
  t.same(show(d.agent('s4', 'cpus(role1):2;mem(role1):1024')), want(['fw3', 's4', 'cpus(role1):2;mem(role1):1024']), 'only role1 may take it; fw3 share 0');
});

t.test('CoarseGrained', async (t) => {
  for (const seed of [1, 2, 3, 4]) {
    const d = new Drive(1000, {}, seed);
    d.agent('s1', 'cpus:2;mem:1024');
    d.agent('s2', 'cpus:2;mem:1024');
    const first = d.framework('fw1', ['role1']);
    t.same(show(first), want(['fw1', 's1', 'cpus:2;mem:1024'], ['fw1', 's2', 'cpus:2;mem:1024']), 'one framework takes both agents whole');
    d.recover(first);
    const second = d.framework('fw2', ['role2']);
    t.same(second.map((o) => o.frameworkId).sort(), ['fw1', 'fw2'], `seed ${seed}: each framework gets one agent`);
    t.same(second.map((o) => o.agentId).sort(), ['s1', 's2']);
    t.ok(second.every((o) => o.resources.equals(R('cpus:2;mem:1024'))), 'whole agents');
  }
});

t.test('SameShareFairness', async (t) => {
  const d = new Drive();
  d.framework('fw1', ['*']);
  d.framework('fw2', ['*']);
  d.a.addAgent('s1', { total: R('cpus:2;mem:1024') });
  const got: Record<string, number> = {};
  for (let i = 0; i < 10; i++) {
    const offers = d.batch();
    t.equal(offers.length, 1, `round ${i}: one offer`);
    for (const o of offers) got[o.frameworkId] = (got[o.frameworkId] ?? 0) + 1;
    d.recover(offers);
  }
  t.same(got, { fw1: 5, fw2: 5 }, 'allocation count breaks the tie');
});

t.test('OfferFilter', async (t) => {
  const d = new Drive(1000);
  d.framework('fw', ['role1']);
  const first = d.agent('s1', 'cpus:1;mem:512');
  t.same(show(first), want(['fw', 's1', 'cpus:1;mem:512']));
  d.recover(first, 2); // refuse for 2 intervals
  t.same(show(d.batch()), [], 'first batch: filtered');
  t.equal(d.a.activeFilters('fw', d.now), 1, 'one active filter');
  t.same(show(d.batch()), want(['fw', 's1', 'cpus:1;mem:512']), 'after 2 intervals: offered again');
  t.equal(d.a.activeFilters('fw', d.now), 0, 'filter gone');
});

t.test('SmallOfferFilterTimeout', async (t) => {
  const d = new Drive(60_000);
  d.framework('fw1', ['role1']);
  t.same(show(d.agent('a1', 'cpus:1;mem:512')), want(['fw1', 'a1', 'cpus:1;mem:512']), 'fw1 keeps a1');
  d.framework('fw2', ['role1']);
  const o2 = d.agent('a2', 'cpus:1;mem:512');
  t.same(show(o2), want(['fw2', 'a2', 'cpus:1;mem:512']), 'fw2 share 0 gets a2');
  d.recover(o2, 1); // refuse 1 s, far shorter than the 60 s interval
  d.now += 1000;
  const o3 = d.batch();
  t.same(show(o3), want(['fw1', 'a2', 'cpus:1;mem:512']), 'filter still applies until a batch has seen it');
  d.recover(o3, 0);
  t.same(show(d.batch()), want(['fw2', 'a2', 'cpus:1;mem:512']), 'next interval: fw2 again');
});

t.test('QuotaProvidesGuarantee', async (t) => {
  const d = new Drive(1000);
  d.a.updateQuota('quota-role', { guarantees: { cpus: 2, mem: 1024 } });
  d.framework('fw1', ['quota-role']);
  d.framework('fw2', ['no-quota-role']);
  t.same(show(d.agent('a1', 'cpus:1;mem:512')), want(['fw1', 'a1', 'cpus:1;mem:512']));
  const o2 = d.agent('a2', 'cpus:1;mem:512');
  t.same(show(o2), want(['fw1', 'a2', 'cpus:1;mem:512']));
  d.recover(o2, 2);
  t.same(show(d.batch()), [], 'held back for the quota role, not given to fw2');
  t.same(show(d.batch()), want(['fw1', 'a2', 'cpus:1;mem:512']), 'after the filter: fw1 again');
});

t.test('QuotaProvidesLimit', async (t) => {
  const d = new Drive(1000);
  d.a.updateQuota('*', { limits: { cpus: 0, mem: 0, disk: 0 } });
  d.framework('fw1', ['*']);
  t.same(show(d.agent('a1', 'cpus:2;mem:1024;disk:1024')), [], 'limit 0: nothing for fw1');
  t.same(show(d.framework('fw2', ['no-quota-role'])), want(['fw2', 'a1', 'cpus:2;mem:1024;disk:1024']), 'fw2 gets the whole agent');
  d.a.updateQuota('*', { limits: { cpus: 1, mem: 512, disk: 512 } });
  t.same(show(d.agent('a2', 'cpus:2;mem:1024;disk:1024')),
    want(['fw1', 'a2', 'cpus:1;mem:512;disk:512'], ['fw2', 'a2', 'cpus:1;mem:512;disk:512']), 'chopped at the limit, rest to fw2');
});

t.test('Allocatable', async (t) => {
  const d = new Drive();
  d.framework('fw', ['role1']);
  t.same(show(d.agent('s1', 'cpus:0.005;mem:16;disk:128')), [], 'below cpus:0.01|mem:32');
  t.same(show(d.agent('s2', 'cpus:0.01;mem:16;disk:128')), want(['fw', 's2', 'cpus:0.01;mem:16;disk:128']));
  t.same(show(d.agent('s3', 'cpus:0.005;mem:32;disk:128')), want(['fw', 's3', 'cpus:0.005;mem:32;disk:128']));
  const s4 = 'cpus:0.015;mem:16;cpus(role1):0.015;mem(role1):16;disk:128';
  t.same(show(d.agent('s4', s4)), want(['fw', 's4', s4]), 'reserved + unreserved count together');
  t.ok(d.a.available('s1').equals(R('cpus:0.005;mem:16;disk:128')), 's1 stays available');
});

t.test('SuppressAndReviveOffers', async (t) => {
  const d = new Drive();
  d.agent('s1', 'cpus:2;mem:1024');
  const first = d.framework('fw', ['role1']);
  t.same(show(first), want(['fw', 's1', 'cpus:2;mem:1024']));
  d.a.reviveOffers('fw');
  t.same(show(d.events()), [], 'redundant revive: nothing new');
  d.recover(first);
  d.a.suppressOffers('fw');
  t.same(show(d.batch()), [], 'suppressed: nothing');
  d.a.reviveOffers('fw');
  t.same(show(d.events()), want(['fw', 's1', 'cpus:2;mem:1024']), 'revived: whole agent');
});

t.test('UpdateWeight', async (t) => {
  const d = new Drive();
  for (let i = 1; i <= 6; i++) d.a.addAgent(`s${i}`, { total: R('cpus:2;mem:1024') });
  d.a.addFramework('fw1', { roles: ['role1'] });
  d.a.addFramework('fw2', { roles: ['role2'] });
  const round = (): Record<string, number> => {
    const offers = d.batch();
    const n: Record<string, number> = {};
    for (const o of offers) { t.ok(o.resources.equals(R('cpus:2;mem:1024')), 'whole agent'); n[o.frameworkId] = (n[o.frameworkId] ?? 0) + 1; }
    d.recover(offers);
    return n;
  };
  t.same(round(), { fw1: 3, fw2: 3 }, 'equal weights');
  d.a.updateWeights([{ role: 'role2', weight: 2 }]);
  t.same(round(), { fw1: 2, fw2: 4 }, 'role2 weight 2');
  d.a.updateWeights([{ role: 'role3', weight: 3 }]);
  d.a.addFramework('fw3', { roles: ['role3'] });
  t.same(round(), { fw1: 1, fw2: 2, fw3: 3 }, 'weights 1:2:3');
});
