// Allocator benchmark, shaped like Mesos' HierarchicalAllocator_BENCHMARK_Test.DeclineOffers
// (reference/core.md §3.10): agents `cpus:24;mem:4096;disk:4096;ports:[31000-32000]`, each pre-loaded
// with `cpus:16;mem:2014;disk:1024` + 16 ports used by one framework (round-robin), all frameworks in
// role `*`. Measures one allocation cycle (round 0: every agent offered), then a decline round where
// every offer is refused for a long time and the next cycle must skip the filtered frameworks.
// Wall time and process CPU time are both reported (the machine is shared; CPU time is the steadier one).
// Not part of CI. Run: node dist/test/bench/allocator-bench.js [agents×frameworks …] [--runs N]
// e.g. node dist/test/bench/allocator-bench.js 1000x100 5000x500 10000x1000
import { Allocator, seededRng } from '../../scheduler/allocator.js';
import { Resources } from '../../scheduler/resources.js';

const AGENT = 'cpus:24;mem:4096;disk:4096;ports:[31000-32000]';
// Mesos 1.8.0 figures (blog chart, all frameworks in one role), seconds per cycle.
const MESOS: Record<string, number> = { '1000x100': 0.07, '5000x500': 0.4, '10000x1000': 1.1, '20000x2000': 3.8 };

function parse(text: string): Resources {
  const r = Resources.parse(text);
  if (!r.ok) throw new Error(text);
  return r.value;
}

function build(agents: number, frameworks: number): Allocator {
  const a = new Allocator();
  for (let f = 0; f < frameworks; f++) a.addFramework(`fw${f}`, { roles: ['*'] });
  const total = parse(AGENT);
  for (let i = 0; i < agents; i++) {
    const p = 31000 + (i % 60) * 16;
    const used = parse(`cpus:16;mem:2014;disk:1024;ports:[${p}-${p + 15}]`);
    a.addAgent(`agent${i}`, { total, used: [{ frameworkId: `fw${i % frameworks}`, role: '*', resources: used }] });
  }
  return a;
}

const median = (xs: number[]): number => { const s = [...xs].sort((x, y) => x - y); return s[Math.floor(s.length / 2)] ?? NaN; };

function bench(agents: number, frameworks: number, runs: number): void {
  const first: number[] = [];
  const decline: number[] = [];
  const firstCpu: number[] = [];
  let offers = 0;
  let setup = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const a = build(agents, frameworks);
    setup = performance.now() - t0;
    const rng = seededRng(r + 1);
    let t = performance.now();
    let c = process.cpuUsage();
    const round0 = a.allocate(1000, rng);
    first.push(performance.now() - t);
    c = process.cpuUsage(c);
    firstCpu.push((c.user + c.system) / 1000);
    offers = round0.length;
    for (const o of round0) a.recoverResources(o.frameworkId, o.agentId, o.resources, { refuseSeconds: 1e9 }, 1000);
    t = performance.now();
    a.allocate(2000, rng);
    decline.push(performance.now() - t);
  }
  const key = `${agents}x${frameworks}`;
  const mesos = MESOS[key];
  console.log(JSON.stringify({
    agents, frameworks, runs, offers, setupMs: Math.round(setup),
    cycleMsMedian: Math.round(median(first)), cycleCpuMsMedian: Math.round(median(firstCpu)), afterDeclineMsMedian: Math.round(median(decline)),
    mesos18Ms: mesos === undefined ? null : mesos * 1000,
  }));
}

// Warm the JIT up so the first measured size is not penalised.
build(1000, 100).allocate(0, seededRng(99));

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
const sizes = args.filter((x, i) => /^\d+x\d+$/.test(x) && i !== runsAt + 1);
for (const s of sizes.length ? sizes : ['1000x100', '1000x1000', '5000x100', '5000x1000', '10000x100', '10000x1000']) {
  const [ag, fw] = s.split('x').map(Number);
  bench(ag ?? 0, fw ?? 0, runs);
}
