// Overlay benchmarks, side by side in one run (namespaces under a unique prefix, lab addresses only):
//  1. iperf3 TCP throughput between two containers on different lab hosts over vtep1024, vs the same
//     two namespaces over a plain veth pair (goal ≥ 0.9×);
//  2. CNI ADD latency of mesonet-cni vs Debian's bridge + host-local doing the same attach (goal ≤ 1.5×);
//  3. planning + applying 1,000 peers into a fresh namespace (goal < 1 s), and the no-op pass after.
// Run: node dist/test/bench/overlay.bench.js [--seconds 5] [--rounds 3] [--adds 10]. Needs root, iperf3 and
// /usr/lib/cni/{bridge,host-local} (parts whose tools are missing are reported as skipped).
import { mkdtemp, rm, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { sh, nsExec, uniquePrefix, repoRoot, scriptsDir, waitFor } from '../helpers/netns.js';
import {
  parseConfig, allocateAll, emptyTable, masterState, parseMasterState, desiredAgent, plan, render, observe, apply, runnerFor,
  renderNetworkConf, type OverlayConfig, type Peer,
} from '../../overlay/index.js';
import { runCni, cniEnv, resultIp } from '../../overlay/testing/lab.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('seconds', 5);
const ADDS = arg('adds', 10);
const ROUNDS = arg('rounds', 3);
const cfgOf = (o: Record<string, unknown>): OverlayConfig => {
  const r = parseConfig({ overlays: [{ name: 'lab', subnet: '198.19.0.0/16', prefix: 24 }], vtep_subnet: '198.18.16.0/20', ...o });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};
const cfg = cfgOf({});
const exists = (p: string) => access(p).then(() => true, () => false);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const rows: string[][] = [];

function peersOf(c: OverlayConfig, ips: string[]): Peer[] {
  const { table } = allocateAll(emptyTable(), c, ips.map((ip, i) => ({ id: `a${i + 1}`, ip })));
  return parseMasterState(masterState(table, c), c.name).peers;
}

async function iperf(clientNs: string, serverNs: string, serverIp: string): Promise<number> {
  const server = spawn('ip', ['netns', 'exec', serverNs, 'iperf3', '-s', '-1', '-B', serverIp], { stdio: 'ignore' });
  try {
    await waitFor('iperf3 server', async () => (await nsExec(serverNs, ['ss', '-ltn'])).stdout.includes(`${serverIp}:5201`), 5000);
    const out = await nsExec(clientNs, ['iperf3', '-c', serverIp, '-t', String(SECONDS), '-J'], { timeoutMs: (SECONDS + 20) * 1000 });
    const j = JSON.parse(out.stdout) as { end: { sum_received: { bits_per_second: number } } };
    return j.end.sum_received.bits_per_second / 1e9;
  } finally {
    if (server.pid && server.exitCode === null) process.kill(server.pid);
  }
}

async function throughput(prefix: string, dataDir: string): Promise<void> {
  if (!(await exists('/usr/bin/iperf3'))) { rows.push(['iperf3 overlay vs veth', 'skipped: iperf3 missing', '', '']); return; }
  const out = await sh('bash', [resolve(scriptsDir, 'setup.sh'), prefix, '2']);
  const hosts = [...out.stdout.matchAll(/^host (\S+) (\S+)$/gm)].map((m) => ({ ns: m[1]!, ip: m[2]! }));
  const peers = peersOf(cfg, hosts.map((h) => h.ip));
  const ctr: { ns: string; ip: string }[] = [];
  for (let i = 0; i < 2; i++) {
    const run = runnerFor(hosts[i]!.ns);
    const d = desiredAgent(cfg, peers[i]!, peers).desired;
    await apply(run, render(plan(d, await observe(run, cfg))));
    const ns = `${prefix}-c${i + 1}`;
    await sh('ip', ['netns', 'add', ns]);
    const r = await runCni(repoRoot, hosts[i]!.ns, cniEnv('ADD', `b${i}`, `/run/netns/${ns}`), renderNetworkConf({ ...cfg, cniDataDir: join(dataDir, `h${i}`) }, peers[i]!.subnet));
    if (r.code !== 0) throw new Error(`CNI ADD: ${r.stdout}`);
    ctr.push({ ns, ip: resultIp(r)! });
  }
  // The same two namespaces over a plain veth pair, same MTU as the overlay's container interfaces.
  await sh('ip', ['-n', ctr[0]!.ns, 'link', 'add', 'plain0', 'mtu', String(cfg.mtu), 'type', 'veth', 'peer', 'name', 'plain1', 'mtu', String(cfg.mtu), 'netns', ctr[1]!.ns]);
  await nsExec(ctr[0]!.ns, ['ip', 'addr', 'add', '198.18.15.1/30', 'dev', 'plain0']);
  await nsExec(ctr[1]!.ns, ['ip', 'addr', 'add', '198.18.15.2/30', 'dev', 'plain1']);
  await nsExec(ctr[0]!.ns, ['ip', 'link', 'set', 'plain0', 'up']);
  await nsExec(ctr[1]!.ns, ['ip', 'link', 'set', 'plain1', 'up']);
  // Alternate the two paths (a shared machine's load drifts) and compare medians.
  const o: number[] = [];
  const p: number[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    o.push(await iperf(ctr[0]!.ns, ctr[1]!.ns, ctr[1]!.ip));
    p.push(await iperf(ctr[0]!.ns, ctr[1]!.ns, '198.18.15.2'));
  }
  const overlay = median(o);
  const plain = median(p);
  rows.push([`iperf3 TCP, container→container (median of ${ROUNDS}×${SECONDS} s)`, `${overlay.toFixed(2)} Gbit/s over vtep1024`, `${plain.toFixed(2)} Gbit/s plain veth`, `${(overlay / plain).toFixed(2)}× (goal ≥ 0.9×)`]);
}

async function cniLatency(prefix: string, dataDir: string): Promise<void> {
  const host = `${prefix}-ch`;
  await sh('ip', ['netns', 'add', host]);
  const run = runnerFor(host);
  const self = peersOf(cfg, ['198.18.0.11'])[0]!;
  await apply(run, render(plan(desiredAgent(cfg, self, []).desired, await observe(run, cfg))));
  const ours = renderNetworkConf({ ...cfg, cniDataDir: join(dataDir, 'ours') }, self.subnet);
  const debian = JSON.stringify({
    cniVersion: '1.0.0', name: 'deb', type: 'bridge', bridge: cfg.mesosBridgeName, isGateway: true, ipMasq: false, hairpinMode: true, mtu: cfg.mtu,
    ipam: { type: 'host-local', subnet: '198.19.0.0/25', routes: [{ dst: '0.0.0.0/0' }], dataDir: join(dataDir, 'deb') },
  });
  const time = async (cmd: string[], env: Record<string, string>, stdin: string): Promise<number> => {
    const t0 = process.hrtime.bigint();
    const r = await new Promise<number | null>((done) => {
      const c = spawn('ip', ['netns', 'exec', host, ...cmd], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'ignore', 'ignore'] });
      c.on('close', done);
      c.stdin.end(stdin);
    });
    if (r !== 0) throw new Error(`${cmd.join(' ')} ${env.CNI_COMMAND} exited ${String(r)}`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const measure = async (name: string, cmd: string[], conf: string, extraEnv: Record<string, string>) => {
    const ms: number[] = [];
    for (let i = 0; i < ADDS; i++) {
      const ns = `${prefix}-l${i}`;
      await sh('ip', ['netns', 'add', ns]);
      ms.push(await time(cmd, { ...cniEnv('ADD', `${name}${i}`, `/run/netns/${ns}`), ...extraEnv }, conf));
      await time(cmd, { ...cniEnv('DEL', `${name}${i}`, `/run/netns/${ns}`), ...extraEnv }, conf);
      await sh('ip', ['netns', 'del', ns]);
    }
    return median(ms);
  };
  const mine = await measure('m', [process.execPath, resolve(repoRoot, 'bin/mesonet-cni.js')], ours, {});
  const startup: number[] = [];
  for (let i = 0; i < ADDS; i++) startup.push(await time([process.execPath, resolve(repoRoot, 'bin/mesonet-cni.js')], { CNI_COMMAND: 'VERSION' }, '{"cniVersion":"1.0.0"}'));
  rows.push(['mesonet-cni VERSION (Node start-up only)', `${median(startup).toFixed(1)} ms`, '', 'share of ADD spent starting Node']);
  if (!(await exists('/usr/lib/cni/bridge')) || !(await exists('/usr/lib/cni/host-local'))) {
    rows.push(['CNI ADD latency (median)', `${mine.toFixed(1)} ms mesonet-cni`, 'skipped: /usr/lib/cni/bridge missing', '']);
    return;
  }
  const deb = await measure('d', ['/usr/lib/cni/bridge'], debian, { CNI_PATH: '/usr/lib/cni' });
  rows.push([`CNI ADD latency (median of ${ADDS})`, `${mine.toFixed(1)} ms mesonet-cni`, `${deb.toFixed(1)} ms bridge+host-local`, `${(mine / deb).toFixed(2)}× (goal ≤ 1.5×)`]);
}

async function thousandPeers(prefix: string): Promise<void> {
  const ns = `${prefix}-p`;
  await sh('ip', ['netns', 'add', ns]);
  const c = cfgOf({ overlays: [{ name: 'lab', subnet: '198.19.0.0/16', prefix: 26 }] });
  const ips = Array.from({ length: 1001 }, (_, i) => `198.18.${(i + 11) >> 8}.${(i + 11) & 255}`);
  const peers = peersOf(c, ips);
  const run = runnerFor(ns);
  const t0 = process.hrtime.bigint();
  const d = desiredAgent(c, peers[0]!, peers).desired;
  const ops = plan(d, await observe(run, c));
  const t1 = process.hrtime.bigint();
  await apply(run, render(ops));
  const t2 = process.hrtime.bigint();
  const again = plan(d, await observe(run, c));
  const t3 = process.hrtime.bigint();
  const ms = (a: bigint, b: bigint) => (Number(b - a) / 1e6).toFixed(0);
  const o = await observe(run, c);
  rows.push(['1,000 peers: plan + apply', `${ms(t0, t2)} ms (plan ${ms(t0, t1)}, apply ${ms(t1, t2)}; ${ops.length} ops)`,
    `no-op pass ${ms(t2, t3)} ms, ${again.length} ops`, `${o.routes.length} routes, ${o.fdb.length} fdb, ${o.neighbors.length} neigh (goal < 1 s)`]);
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) { console.error('overlay bench: needs root'); process.exitCode = 1; return; }
  const prefix = uniquePrefix('obn');
  const dataDir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  try {
    await thousandPeers(prefix);
    await cniLatency(prefix, dataDir);
    await throughput(prefix, dataDir);
  } finally {
    await sh('bash', [resolve(scriptsDir, 'teardown.sh'), prefix], { timeoutMs: 60_000 }).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
  console.log('| benchmark | mesonet | peer | ratio / note |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

await main();
