// Edge config generation benchmark against marathon-lb's figures measured on this machine
// (reference/marathon-lb.md §3: parse + get_apps + config for N apps × 3 tasks, IP hosts:
// 1k 151 ms, 5k 4.42 s, 10k 15.3 s). Measures the same span here: JSON.parse of a
// /v2/apps?embed=apps.tasks body + decode + services + haproxy.cfg text. Apps are HTTP apps with a
// vhost, an HTTP health check and one service port; tasks run on IP-literal hosts (no DNS).
// Optionally (--check) also times `haproxy -c` of the result. Medians of --runs (default 5), after a
// JIT warm-up. The machine is shared: process CPU time (all threads, incl. GC) is the steadier
// figure, split into decode (JSON.parse + codec) and generate (services + haproxy.cfg text); wall
// time is printed too. The speed-up is against marathon-lb's (single-threaded) time, by CPU.
// Not part of CI. Run: node dist/test/bench/edge-bench.js [1000 5000 10000] [--runs N] [--check]
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMarathonApps } from '../../src/kernel/marathon.js';
import { checkConfig, generate, loadTemplates, type GenerateOptions } from '../../edge/index.js';

const MLB_MS: Record<number, number> = { 100: 8.7, 1000: 151, 2500: 613, 5000: 4420, 10000: 15300 };

function body(n: number): string {
  const apps = [];
  for (let i = 0; i < n; i++) {
    const tasks = [0, 1, 2].map((k) => ({
      id: `app${i}.task${k}`, appId: `/app${i}`, host: `10.${(i >> 8) & 255}.${i & 255}.${k + 1}`, ports: [31000 + k],
      state: 'TASK_RUNNING', healthCheckResults: [{ alive: true }], startedAt: '2024-01-01T00:00:00.000Z',
    }));
    apps.push({
      id: `/app${i}`, instances: 3, labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: `app${i}.example.com` },
      portDefinitions: [{ port: 10000 + i, protocol: 'tcp' }],
      healthChecks: [{ path: '/', protocol: 'HTTP', portIndex: 0, gracePeriodSeconds: 10, intervalSeconds: 2, timeoutSeconds: 10, maxConsecutiveFailures: 3 }],
      tasks,
    });
  }
  return JSON.stringify({ apps });
}

const opts: GenerateOptions = {
  groups: ['external'], bindHttpHttps: true, sslCerts: '', haproxyMap: false, haproxyConfig: '/etc/haproxy/haproxy.cfg',
  groupHttpsByVhost: false, healthCheck: true, strictMode: false, minServicePort: 10050, maxServicePort: 10100,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
  const check = args.includes('--check');
  const sizes = args.filter((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--runs').map(Number);
  const T = loadTemplates();
  const dir = mkdtempSync(join(tmpdir(), 'mesonet-edge-bench-'));
  // Warm the JIT once (the daemon is long-lived; marathon-lb's figures are per regeneration).
  const warm = parseMarathonApps(body(500));
  for (let i = 0; i < 3; i++) generate(warm.apps, opts, T, (h) => h);
  console.log('apps  | body MB | CPU ms | decode CPU ms | generate CPU ms | wall ms | cfg lines | marathon-lb ms | speed-up (CPU) | haproxy -c ms');
  const cpuNow = (): number => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const n of sizes.length ? sizes : [1000, 5000, 10000]) {
    const text = body(n);
    const walls: number[] = [];
    const cpus: number[] = [];
    const decodes: number[] = [];
    const gens: number[] = [];
    let config = '';
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const c0 = cpuNow();
      const d = parseMarathonApps(text);
      const c1 = cpuNow();
      const g = generate(d.apps, opts, T, (h) => h);
      const c2 = cpuNow();
      walls.push(performance.now() - t0);
      if (!g.ok) throw new Error(g.error);
      cpus.push(c2 - c0);
      decodes.push(c1 - c0);
      gens.push(c2 - c1);
      config = g.value.config;
    }
    const cpu = median(cpus);
    let checkMs = '';
    if (check) {
      const f = join(dir, `bench-${n}.cfg`);
      writeFileSync(f, config.replace(/^ {2}lua-load .*\n/gm, '').replace(/^ {2}http-request use-service lua\..*\n/gm, '')
        .replace(/ ssl crt \S+/g, '').replace('/var/run/haproxy/socket', join(dir, 'sock')));
      const t0 = performance.now();
      const r = await checkConfig(process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy', f, 120_000);
      checkMs = `${(performance.now() - t0).toFixed(0)}${r.ok ? '' : ' (invalid)'}`;
    }
    const mlb = MLB_MS[n];
    console.log(`${String(n).padEnd(5)} | ${(text.length / 1e6).toFixed(1).padStart(7)} | ${cpu.toFixed(0).padStart(6)} | `
      + `${median(decodes).toFixed(0).padStart(13)} | ${median(gens).toFixed(0).padStart(15)} | ${median(walls).toFixed(0).padStart(7)} | `
      + `${String(config.split('\n').length).padStart(9)} | ${mlb === undefined ? '-' : String(mlb).padStart(14)} | `
      + `${mlb === undefined ? '-' : `${(mlb / cpu).toFixed(0)}×`.padStart(14)} | ${checkMs}`);
  }
  console.log('goal (issue 7): 10k apps under 150 ms');
  rmSync(dir, { recursive: true, force: true });
}

void main();
