// l4lb benchmark (not in CI; run as root: `node dist/test/bench/l4lb-bench.js [rounds]`).
// One namespace topology, one run, variants interleaved in every round:
//   (a) direct to a backend, (b) kube-proxy-style kernel DNAT (`-m statistic --mode random`),
//   (c) mesonet (NFQUEUE + batched conntrack injection).
// Lab: h1 = client and balancer, h2-h4 = backends (node name-server on :8080). Each variant uses its
// own client source address (a TIME_WAIT left by one variant must not meet the next one's SYN).
// Throughput at 64 connections in flight, then latency at concurrency 1; balancer CPU per connection
// from /proc/<pid>/stat. Then programming 10,000 VIPs × 10 backends in a fresh namespace.
// Everything lives in namespaces prefixed `mnbench<pid>` and is removed at the end.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { nsExec, scriptsDir, sh, waitFor } from '../helpers/netns.js';
import { connections, distDir, mesonetBin, startIn, waitLine, type ConnResult, type NsProcess } from '../../l4lb/testing/lab.js';
import { masterState } from '../../l4lb/testing/master-state.js';

const rounds = Number(process.argv[2] ?? 3);
const prefix = `mnbench${process.pid % 1000}`;
const h = (i: number) => `${prefix}-h${i}`;
const procs: NsProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]); // utime + stime (fields 14, 15)
}

async function main(): Promise<void> {
  await sh('bash', [resolve(scriptsDir, 'setup.sh'), prefix, '4'], { timeoutMs: 60_000 });
  const c = h(1);
  for (const a of ['198.18.0.101', '198.18.0.102']) await nsExec(c, ['ip', 'addr', 'add', `${a}/20`, 'dev', 'eth0']);
  await nsExec(c, ['ip', 'route', 'add', '198.18.128.0/17', 'dev', 'eth0', 'src', '198.18.0.11']);
  await nsExec(c, ['sysctl', '-qw', 'net.ipv4.ip_local_port_range=1024 65535']);
  for (const i of [2, 3, 4]) {
    const p = startIn(h(i), ['node', resolve(distDir, 'name-server.js'), '8080', `be${i}`]);
    procs.push(p);
    await waitLine(p, /^listening/, `be${i}`);
  }
  const backends = ['198.18.0.12', '198.18.0.13', '198.18.0.14'];
  // (b) kernel DNAT, kube-proxy style, in a chain of our own.
  const dnat = [
    `-A ${prefix.toUpperCase()}D -d 198.18.128.2/32 -p tcp --dport 80 -m statistic --mode random --probability 0.33333 -j DNAT --to-destination ${backends[0]}:8080`,
    `-A ${prefix.toUpperCase()}D -d 198.18.128.2/32 -p tcp --dport 80 -m statistic --mode random --probability 0.5 -j DNAT --to-destination ${backends[1]}:8080`,
    `-A ${prefix.toUpperCase()}D -d 198.18.128.2/32 -p tcp --dport 80 -j DNAT --to-destination ${backends[2]}:8080`,
  ];
  await nsExec(c, ['sh', '-c', `printf '%s\\n' '*nat' ':${prefix.toUpperCase()}D - [0:0]' ${dnat.map((r) => `'${r}'`).join(' ')} '-I OUTPUT 1 -j ${prefix.toUpperCase()}D' COMMIT | iptables-restore --noflush`]);
  // (c) mesonet on VIP 198.18.128.1:80.
  const state = join(dir, 'state.json');
  writeFileSync(state, JSON.stringify(masterState([2, 3, 4].map((i) => ({ id: `a${i}`, ip: `198.18.0.1${i}` })), [2, 3, 4].map((i) => ({ id: `web.${i}`, agentId: `a${i}`, port: 8080, vips: ['198.18.128.1:80'] })))));
  const daemon = startIn(c, ['node', mesonetBin, 'l4lb', 'serve', '--state', state, '--named-range', '198.18.128.0/17', '--log-level', 'warn']);
  procs.push(daemon);
  await waitFor('mesonet VIP answers', async () => (await connections(c, '198.18.128.1', 80, 3, 1, 1000)).ok === 3, 30_000, 200);

  const variants = [
    { name: 'direct', host: backends.join(','), port: 8080, src: '198.18.0.101' },
    { name: 'kernel DNAT', host: '198.18.128.2', port: 80, src: '198.18.0.102' },
    { name: 'mesonet', host: '198.18.128.1', port: 80, src: '198.18.0.11' },
  ];
  const results = new Map<string, { rate: number[]; p50: number[]; p99: number[]; c1p50: number[]; c1p99: number[]; cpuUs: number[]; fails: number }>();
  for (const v of variants) results.set(v.name, { rate: [], p50: [], p99: [], c1p50: [], c1p99: [], cpuUs: [], fails: 0 });
  const run = async (v: (typeof variants)[number], n: number, conc: number): Promise<ConnResult> => {
    const { stdout } = await nsExec(c, ['node', resolve(distDir, 'conn-client.js'), v.host, String(v.port), String(n), String(conc), '3000', v.src], { timeoutMs: 300_000 });
    return JSON.parse(stdout.trim().split('\n').pop()!) as ConnResult;
  };
  const pid = daemon.child.pid!;
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      const res = results.get(v.name)!;
      const before = cpuTicks(pid);
      const tp = await run(v, 6000, 64);
      const ticks = cpuTicks(pid) - before;
      const lat = await run(v, 800, 1);
      res.rate.push(tp.rate);
      res.p50.push(tp.connectUs.p50);
      res.p99.push(tp.connectUs.p99);
      res.c1p50.push(lat.connectUs.p50);
      res.c1p99.push(lat.connectUs.p99);
      if (v.name === 'mesonet') res.cpuUs.push((ticks * 1e4) / tp.done); // 100 ticks/s
      res.fails += tp.done - tp.ok + lat.done - lat.ok;
      process.stderr.write(`round ${r + 1} ${v.name}: ${tp.rate} conn/s, c1 p50 ${lat.connectUs.p50} µs\n`);
    }
  }
  const direct = results.get('direct')!;
  const kdnat = results.get('kernel DNAT')!;
  const lines = ['| variant | conn/s (64 in flight) | ×direct | ×kernel DNAT | p50/p99 µs (64) | c1 p50/p99 µs | +p50 vs direct (c1) | balancer CPU µs/conn | failed |', '|---|---|---|---|---|---|---|---|---|'];
  for (const [name, r] of results) {
    lines.push(`| ${name} | ${median(r.rate)} | ${(median(r.rate) / median(direct.rate)).toFixed(2)} | ${(median(r.rate) / median(kdnat.rate)).toFixed(2)} | ${median(r.p50)}/${median(r.p99)} | ${median(r.c1p50)}/${median(r.c1p99)} | ${median(r.c1p50) - median(direct.c1p50)} | ${r.cpuUs.length ? median(r.cpuUs).toFixed(1) : '–'} | ${r.fails} |`);
  }
  process.stdout.write(`\nl4lb bench: ${rounds} rounds, medians; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n${lines.join('\n')}\n`);

  // Programming 10,000 VIPs × 10 backends, in a namespace of its own.
  const prog = `${prefix}-prog`;
  await sh('ip', ['netns', 'add', prog]);
  try {
    const { stdout } = await sh('ip', ['netns', 'exec', prog, 'node', resolve(distDir, 'program-bench.js'), '10000', '10', `${prefix}p`, `${prefix.toUpperCase()}P`], { timeoutMs: 600_000 });
    process.stdout.write(`\nprogramming 10,000 VIPs × 10 backends (ms): ${stdout.trim()}\n`);
  } finally {
    await sh('ip', ['netns', 'del', prog]).catch(() => undefined);
  }
}

try {
  await main();
} finally {
  for (const p of procs.reverse()) await p.stop();
  await sh('bash', [resolve(scriptsDir, 'teardown.sh'), prefix], { timeoutMs: 60_000 }).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
