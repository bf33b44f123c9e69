// The DRF paper example (reference/core.md §5.1): pure progressive filling (DRF-1), the same workload
// through the offer-based allocator (DRF-2, DRF-2b), and the scenario simulator's CLI contract.
import t from 'tap';
import { Allocator, seededRng } from './allocator.js';
import { Resources } from './resources.js';
import { parseScenario, progressiveFill, simulate } from './allocator-simulate.js';

const R = (text: string): Resources => {
  const r = Resources.parse(text);
  if (!r.ok) throw new Error(`bad resources in test: ${text}`);
  return r.value;
};

t.test('DRF-1: progressive filling gives A 3 tasks, B 2', async (t) => {
  const r = progressiveFill({ cpus: 9, mem: 18 }, { A: { cpus: 1, mem: 4 }, B: { cpus: 3, mem: 1 } });
  t.same(r.tasks, { A: 3, B: 2 });
  t.equal(r.shares['A']?.toFixed(4), '0.6667');
  t.equal(r.shares['B']?.toFixed(4), '0.6667');
  t.same(r.leftover, { cpus: 0, mem: 4 });
});

/** Each framework launches one task per offer if it fits and returns the rest with `refuse`. */
function drf2(refuse: number | undefined, cycles: number) {
  const a = new Allocator();
  const rng = seededRng(3);
  a.addAgent('s1', { total: R('cpus:9;mem:18432') });
  a.addFramework('A', { roles: ['a'] });
  a.addFramework('B', { roles: ['b'] });
  const task: Record<string, Resources> = { A: R('cpus:1;mem:4096'), B: R('cpus:3;mem:1024') };
  const seen: string[] = [];
  const tasks: Record<string, number> = { A: 0, B: 0 };
  for (let c = 1; c <= cycles; c++) {
    const now = c * 1000;
    const offers = a.allocate(now, rng);
    seen.push(offers.map((o) => `${o.frameworkId} ${o.resources.toString()}`).join(' | '));
    for (const o of offers) {
      const need = task[o.frameworkId] as Resources;
      const fits = o.resources.contains(need);
      if (fits) tasks[o.frameworkId] = (tasks[o.frameworkId] ?? 0) + 1;
      a.recoverResources(o.frameworkId, o.agentId, fits ? o.resources.subtract(need) : o.resources, { refuseSeconds: refuse }, now);
    }
  }
  return { seen, tasks };
}

t.test('DRF-2: through the allocator, declines without a filter', async (t) => {
  const { seen, tasks } = drf2(0, 6);
  t.same(seen, [
    'A cpus:9;mem:18432', // tie at 0: broken by name
    'B cpus:8;mem:14336',
    'A cpus:5;mem:13312',
    'B cpus:4;mem:9216',
    'A cpus:1;mem:8192',
    'B mem:4096', // equal shares 2/3; B has fewer allocations (2 vs 3); allocatable by the mem:32 rule
  ]);
  t.same(tasks, { A: 3, B: 2 });
});

t.test('DRF-2b: declines with the default 5 s filter hold each refused offer back', async (t) => {
  const { seen, tasks } = drf2(undefined, 12);
  t.same(seen.map((s) => s.split(' ')[0] ?? ''), ['A', 'B', '', '', '', 'A', 'B', '', '', '', 'A', 'B']);
  t.equal(seen[5], 'A cpus:5;mem:13312', 'A sees its refused remainder again only after 5 s');
  t.equal(seen[11], 'B mem:4096');
  t.same(tasks, { A: 3, B: 2 });
});

t.test('simulate: the DRF paper scenario', async (t) => {
  const s = parseScenario({
    agents: [{ id: 's1', resources: 'cpus:9;mem:18432' }],
    frameworks: [{ id: 'A', role: 'a', task: 'cpus:1;mem:4096', policy: 'one-task' }, { id: 'B', role: 'b', task: 'cpus:3;mem:1024', policy: 'one-task' }],
  });
  t.ok(s.ok);
  if (!s.ok) return;
  t.same(simulate(s.value, 1), { tasks: { A: 3, B: 2 }, agents: { A: ['s1'], B: ['s1'] }, cycles: 6 });
});

t.test('simulate: weights 1, 2, 3 under hold give 1, 2 and 3 agents, for any seed', async (t) => {
  const s = parseScenario({
    agents: [1, 2, 3, 4, 5, 6].map((i) => ({ id: `a${i}`, resources: 'cpus:2;mem:1024' })),
    roles: { r1: { weight: 1 }, r2: { weight: 2 }, r3: { weight: 3 } },
    frameworks: ['1', '2', '3'].map((i) => ({ id: `f${i}`, role: `r${i}`, task: 'cpus:1', policy: 'hold' })),
  });
  if (!s.ok) { t.fail('scenario rejected'); return; }
  for (const seed of [1, 2, 3]) {
    const r = simulate(s.value, seed);
    t.same(r.tasks, { f1: 1, f2: 2, f3: 3 }, `seed ${seed}`);
    t.same([r.agents['f1']?.length, r.agents['f2']?.length, r.agents['f3']?.length], [1, 2, 3]);
    t.equal(new Set(Object.values(r.agents).flat()).size, 6, 'every agent to exactly one framework');
    t.equal(r.cycles, 2, 'second cycle launches nothing');
  }
});

t.test('simulate: quota limit and reservations', async (t) => {
  const s = parseScenario({
    agents: [{ id: 'a1', resources: 'cpus:4;mem:4096', reserved: { db: 'cpus:2;mem:1024' } }],
    roles: { web: { limit: 'cpus:1;mem:1024' } },
    frameworks: [{ id: 'web', role: 'web', task: 'cpus:0.5;mem:256', policy: 'one-task' }, { id: 'db', role: 'db', task: 'cpus:1;mem:512', policy: 'one-task' }],
  });
  if (!s.ok) { t.fail(JSON.stringify(s.error)); return; }
  const r = simulate(s.value, 1);
  t.equal(r.tasks['web'], 2, 'web stops at its 1-cpu limit');
  t.equal(r.tasks['db'], 5, 'db uses its 2 reserved cpus and the 3 unreserved cpus web may not take');
});

t.test('parseScenario reports every problem with its path', async (t) => {
  const s = parseScenario({
    agents: [{ id: 'a1', resources: 'cpus:-1' }, { resources: 'cpus:1' }],
    roles: { r: { weight: 0, guarantee: 7 } },
    frameworks: [{ id: 'f', role: 'r', task: 'cpus:x', policy: 'grab' }],
    maxCycles: 0,
  });
  t.notOk(s.ok);
  if (s.ok) return;
  t.same(s.error.map((p) => p.path), [
    'agents[0].resources.cpus', 'agents[1].id', 'roles.r.weight', 'roles.r.guarantee', 'frameworks[0].policy', 'frameworks[0].task.cpus', 'maxCycles',
  ]);
  t.notOk(parseScenario(null).ok);
});
