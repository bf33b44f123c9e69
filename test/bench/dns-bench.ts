// DNS benchmarks (not run in CI): `node dist/test/bench/dns-bench.js [seconds] [tasks]`
//  (a) qps and p99 on loopback against a 10,000-task zone: mesonet dns vs dnsmasq serving the same A
//      names from a hosts file, measured in the same run with the same load generator (dnsperf when
//      installed is not used: this bounded Node UDP generator keeps the comparison self-contained);
//  (b) record generation for 10k and 50k tasks (parse + generate), vs mesos-dns measured here;
//  (c) change-to-answer latency through the v1 stream is measured by dns/io/stream.test.ts.
// Everything listens on 127.0.0.1 ephemeral-ish ports; all children are stopped by pid on exit.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** CPU milliseconds of this process (user + system): robust to a loaded, shared machine. */
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Medians over `runs` of: JSON.parse (same-run reference), decode, generate, whole publish (records + DC/OS + zone). */
function generationBench(tasks: number, runs: number) {
  const text = JSON.stringify(syntheticState(tasks));
  const r = { json: [] as number[], decode: [] as number[], generate: [] as number[], publish: [] as number[] };
  let rrs = 0;
  for (let i = 0; i < runs; i++) {
    let t = cpuMs();
    const raw = JSON.parse(text);
    r.json.push(cpuMs() - t);
    t = cpuMs();
    const { snapshot } = decodeMasterState(raw);
    r.decode.push(cpuMs() - t);
    t = cpuMs();
    const rs = generateRecords(snapshot, { domain: 'mesos', nsName: 'ns1.mesos.', listener: '127.0.0.1', masters: cfg.Masters, ipSources: cfg.IPSources, enforceRFC952: false });
    r.generate.push(cpuMs() - t);
    t = cpuMs();
    publish(snapshot, cfg, {}, 1);
    r.publish.push(cpuMs() - t);
    rrs = [rs.As, rs.AAAAs, rs.SRVs].reduce((n, m) => n + [...m.values()].reduce((k, s) => k + s.length, 0), 0);
  }
  return { tasks, mb: text.length / 1e6, jsonMs: median(r.json), decodeMs: median(r.decode), generateMs: median(r.generate), publishMs: median(r.publish), rrs };
}

/** utime + stime of a process, ms (Linux /proc; clock ticks of USER_HZ = 100). */
function procCpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
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
  console.log('(b) record generation, CPU ms (process.cpuUsage), medians of 5 runs (10k) / 3 runs (50k)');
  console.log('    mesos-dns on this machine: 10k parse 124 + generate 288 ms; 50k parse 3100 + generate 1070 ms');
  for (const n of [10_000, 50_000]) {
    const g = generationBench(n, n > 10_000 ? 3 : 5);
    const mesosDns = n === 10_000 ? { parse: 124, gen: 288 } : { parse: 3100, gen: 1070 };
    const parse = g.jsonMs + g.decodeMs;
    console.log(`  ${n} tasks (${g.mb.toFixed(1)} MB, ${g.rrs} RRs): parse ${parse.toFixed(0)} ms (JSON.parse ${g.jsonMs.toFixed(0)} + decode ${g.decodeMs.toFixed(0)}), ` +
      `generate ${g.generateMs.toFixed(0)} ms, whole publish (records + DC/OS names + zone) ${g.publishMs.toFixed(0)} ms = ${(g.publishMs / g.jsonMs).toFixed(1)}x JSON.parse`);
    console.log(`    vs mesos-dns: generate ${(mesosDns.gen / g.generateMs).toFixed(1)}x faster, parse+generate ${((mesosDns.parse + mesosDns.gen) / (parse + g.generateMs)).toFixed(1)}x, parse+publish ${((mesosDns.parse + mesosDns.gen) / (parse + g.publishMs)).toFixed(1)}x`);
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

    console.log(`(a) qps on loopback, ${aNames.length} A names (${TASKS} tasks), 90% hits / 10% NXDOMAIN, ${SECONDS} s per round, 3 rounds interleaved`);
    const rounds: { mesonet: LoadResult; dnsmasq: LoadResult; mCpu: number; dCpu: number }[] = [];
    const mesonetPid = children[0]!.pid!;
    const dnsmasqPid = children[1]!.pid!;
    for (let r = 0; r < 3; r++) {
      let c0 = procCpuMs(mesonetPid);
      const mesonet = await load(mesonetPort, names, SECONDS);
      const mCpu = ((procCpuMs(mesonetPid) - c0) * 1000) / Math.max(1, mesonet.qps * SECONDS);
      c0 = procCpuMs(dnsmasqPid);
      const dnsmasq = await load(dnsmasqPort, names, SECONDS);
      const dCpu = ((procCpuMs(dnsmasqPid) - c0) * 1000) / Math.max(1, dnsmasq.qps * SECONDS);
      rounds.push({ mesonet, dnsmasq, mCpu, dCpu });
      const f = (x: LoadResult, cpu: number) => `${x.qps.toFixed(0)} qps p50 ${x.p50.toFixed(2)} ms p99 ${x.p99.toFixed(2)} ms lost ${x.lost} cpu ${cpu.toFixed(1)} us/q`;
      console.log(`  round ${r + 1}: mesonet ${f(mesonet, mCpu)} | dnsmasq ${f(dnsmasq, dCpu)} | qps ratio ${(mesonet.qps / dnsmasq.qps).toFixed(2)}x`);
    }
    console.log(`  median per-round qps ratio mesonet/dnsmasq ${median(rounds.map((r) => r.mesonet.qps / r.dnsmasq.qps)).toFixed(2)}x; ` +
      `CPU per query mesonet ${median(rounds.map((r) => r.mCpu)).toFixed(1)} us vs dnsmasq ${median(rounds.map((r) => r.dCpu)).toFixed(1)} us ` +
      `(dnsmasq/mesonet ${median(rounds.map((r) => r.dCpu / r.mCpu)).toFixed(2)}x); mesonet p99 ${median(rounds.map((r) => r.mesonet.p99)).toFixed(2)} ms`);
    console.log('  note: the load generator is one Node process on the same 2 shared cores; it caps both servers, so CPU us/query is the robust figure.');
  } finally {
    stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
}
