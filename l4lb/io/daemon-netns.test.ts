// Namespace test of the whole balancer on the real kernel: `mesonet l4lb serve` in a lab host with
// its rules and NFQUEUE data path, backends in their own namespaces, clients local and remote.
// Lab (prefix-h1..h5 on one bridge, 198.18.0.11-15): h1 = balancer host (daemon, a local client, a
// hairpin backend on :8081), h2 = remote client (routes the VIP range via h1), h3-h5 = backends
// (:8080 answers and closes, :9090 holds the connection and echoes). VIPs from 198.18.128.0/17.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lab, netnsAllowed, nsExec, scriptsDir, sh, uniquePrefix, waitFor } from '../../test/helpers/netns.js';
import { api, connections, distDir, mesonetBin, startIn, waitLine, type NsProcess } from '../testing/lab.js';
import { masterState, type FakeTask } from '../testing/master-state.js';

t.test('l4lb serve in namespaces', async (t) => {
  if (!netnsAllowed(t)) return;
  const prefix = uniquePrefix('l4');
  const chain = prefix.toUpperCase();
  const ipset = `${prefix}vip`;
  const procs: NsProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  t.teardown(async () => {
    for (const p of procs.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const { hosts } = await lab(t, prefix, 5);
  const [h1, h2, ...backendHosts] = hosts as [string, string, string, string, string];
  await nsExec(h2, ['ip', 'route', 'add', '198.18.128.0/17', 'via', '198.18.0.11']);
  await nsExec(h1, ['ip', 'route', 'add', '198.18.128.0/17', 'dev', 'eth0']);

  const serve = async (ns: string, port: number, name: string, mode?: string) => {
    const p = startIn(ns, ['node', resolve(distDir, 'name-server.js'), String(port), name, ...(mode ? [mode] : [])]);
    procs.push(p);
    await waitLine(p, /^listening/, `${name} listening`);
  };
  await Promise.all(backendHosts.flatMap((ns, i) => [serve(ns, 8080, `be${i + 3}`), serve(ns, 9090, `be${i + 3}`, 'hold')]));
  await serve(h1, 8081, 'hair');

  const agents = [1, 3, 4, 5].map((i) => ({ id: `a${i}`, ip: `198.18.0.1${i}` }));
  const webTasks = (over: Record<number, Partial<FakeTask> | null> = {}): FakeTask[] =>
    [3, 4, 5].flatMap((i): FakeTask[] => (over[i] === null ? [] : [
      { id: `web.${i}`, agentId: `a${i}`, port: 8080, vips: ['/web:80', '198.18.128.10:80', '198.18.128.20:8000'], ...over[i] },
      { id: `hold.${i}`, agentId: `a${i}`, port: 9090, vips: ['198.18.128.30:90'], ...over[i] },
    ]));
  const stateFile = join(dir, 'state.json');
  const writeState = (tasks: FakeTask[]) => {
    const all = [...tasks, { id: 'hair.1', agentId: 'a1', port: 8081, vips: ['198.18.128.11:80'] }, { id: 'none.1', agentId: 'a3', port: 8082, vips: ['198.18.128.12:80'], state: 'TASK_STAGING' }];
    writeFileSync(`${stateFile}.tmp`, JSON.stringify(masterState(agents, all)));
    renameSync(`${stateFile}.tmp`, stateFile);
  };
  writeState(webTasks());

  const flags = ['--named-range', '198.18.128.0/17', '--ipset', ipset, '--chain', chain];
  let daemon: NsProcess | undefined;
  const startDaemon = async () => {
    daemon = startIn(h1, ['node', mesonetBin, 'l4lb', 'serve', '--state', stateFile, ...flags]);
    procs.push(daemon);
    await waitLine(daemon, /l4lb serving/, 'daemon serving', 20_000);
  };
  type CliVip = { vip: string; name?: string; backends: { ip: string; port: number; weight: number }[] };
  const vipsNow = async () => (await api(h1, '/v1/vips/cli')) as CliVip[];
  const backendsOf = async (vip: string) => (await vipsNow()).find((v) => v.vip === vip)?.backends;
  await startDaemon();
  const first = await waitFor('6 VIPs published', async () => {
    const v = await vipsNow();
    return v.length === 6 ? v : undefined;
  }, 15_000);
  const named = first.find((v) => v.name === 'web.marathon.l4lb.thisdcos.directory');
  t.ok(named, 'named VIP published with its FQDN');
  const namedIp = named!.vip.split(':')[0]!;

  await t.test('connections through named and IP VIPs reach all backends evenly', async (t) => {
    const runs = await Promise.all([connections(h2, namedIp, 80, 1500, 8), connections(h1, '198.18.128.10', 80, 1500, 8)]);
    const total: Record<string, number> = {};
    for (const r of runs) {
      t.equal(r.ok, r.done, `all ${r.done} succeeded (errors ${JSON.stringify(r.errors)})`);
      for (const [k, n] of Object.entries(r.counts)) total[k] = (total[k] ?? 0) + n;
    }
    t.same(Object.keys(total).sort(), ['be3', 'be4', 'be5']);
    for (const [k, n] of Object.entries(total)) t.ok(Math.abs(n - 1000) <= 150, `${k}: ${n} within ±15 % of 1000`);
  });

  await t.test('rapid client-port reuse (100 ports, 1000 connections) never hangs a connection', async (t) => {
    // A range outside the default one, so no earlier flow left a TIME_WAIT on these SNAT tuples.
    await nsExec(h2, ['sysctl', '-qw', 'net.ipv4.ip_local_port_range=61000 61099']);
    const r = await connections(h2, '198.18.128.20', 8000, 1000, 8);
    await nsExec(h2, ['sysctl', '-qw', 'net.ipv4.ip_local_port_range=32768 60999']);
    t.equal(r.ok, 1000, `all succeeded (errors ${JSON.stringify(r.errors)})`);
    t.ok(r.connectUs.max < 900_000, `no connect waited for a SYN retransmit (max ${r.connectUs.max} µs)`);
  });

  await t.test('a VIP with no backend is refused at once, locally and remotely', async (t) => {
    for (const ns of [h1, h2]) {
      const r = await connections(ns, '198.18.128.12', 80, 20, 4, 2000);
      t.same(r.errors, { ECONNREFUSED: 20 }, ns);
      t.ok(r.seconds < 1, `refused in ${r.seconds.toFixed(3)} s`);
    }
  });

  await t.test('hairpin: a client on the backend\'s own host', async (t) => {
    const r = await connections(h1, '198.18.128.11', 80, 50, 4);
    t.same([r.ok, r.counts], [50, { hair: 50 }]);
  });

  await t.test('rules are idempotent: a second apply changes nothing', async (t) => {
    const { stdout } = await nsExec(h1, ['node', mesonetBin, 'l4lb', 'apply', '--state', stateFile, ...flags]);
    t.same(JSON.parse(stdout), []);
    const saved = (await nsExec(h1, ['iptables-save'])).stdout;
    t.equal(saved.split('\n').filter((l) => l.startsWith(`-A ${chain} `)).length, 3, 'one rule in each of raw, filter, nat');
  });

  // A long-lived flow through the VIP: it must survive draining, removal and a daemon stop.
  const hold = startIn(h2, ['node', resolve(distDir, 'hold-client.js'), '198.18.128.30', '90']);
  procs.push(hold);
  const holder = (await waitLine(hold, /^connected /, 'held connection')).slice('connected '.length);
  let pings = 0;
  const ping = async () => {
    const n = ++pings;
    hold.child.stdin!.write(`ping${n}\n`);
    await waitLine(hold, new RegExp(`^echo ping${n}$`), `echo ping${n}`, 5000);
    return true;
  };
  const holderIdx = Number(holder.slice(2));

  await t.test('weight 0 (unhealthy) drains: no new connections, the established one continues', async (t) => {
    writeState(webTasks({ [holderIdx]: { healthy: false } }));
    await waitFor('drain published', async () => (await backendsOf('198.18.128.10:80'))?.some((b) => b.weight === 0));
    const r = await connections(h2, '198.18.128.10', 80, 150, 4);
    t.equal(r.ok, 150);
    t.equal(r.counts[holder], undefined, `${holder} got no new connection`);
    t.ok(await ping(), 'held flow still echoes');
  });

  await t.test('a removed backend gets no new connections while its established one finishes', async (t) => {
    writeState(webTasks({ [holderIdx]: null }));
    await waitFor('removal published', async () => (await backendsOf('198.18.128.10:80'))?.length === 2);
    const r = await connections(h2, '198.18.128.10', 80, 150, 4);
    t.equal(r.ok, 150);
    t.equal(r.counts[holder], undefined);
    t.ok(await ping(), 'held flow still echoes');
  });

  await t.test('daemon stopped: new SYNs refused at once, established flows continue; restart restores', async (t) => {
    writeState(webTasks());
    await waitFor('all backends back', async () => (await backendsOf('198.18.128.10:80'))?.length === 3);
    await daemon!.stop();
    t.equal(daemon!.child.exitCode, 0, 'clean exit on SIGTERM');
    const refused = await connections(h2, '198.18.128.10', 80, 20, 4, 2000);
    t.same(refused.errors, { ECONNREFUSED: 20 });
    t.ok(refused.seconds < 1, 'at once');
    const saved = (await nsExec(h1, ['iptables-save', '-t', 'raw'])).stdout;
    t.match(saved, new RegExp(`-A ${chain} .*NFQUEUE`), 'rules left in place');
    t.ok(await ping(), 'held flow still echoes');
    await startDaemon();
    const back = await waitFor('service restored', async () => {
      const r = await connections(h2, '198.18.128.10', 80, 30, 4, 2000);
      return r.ok === 30 ? r : undefined;
    }, 15_000);
    t.same(Object.keys(back.counts).sort(), ['be3', 'be4', 'be5']);
  });

  await t.test('the data path counted what it did', async (t) => {
    const m = (await nsExec(h1, ['curl', '-sf', 'http://127.0.0.1:61421/metrics'])).stdout;
    const val = (k: string) => Number(new RegExp(`^mesonet_l4lb_${k} (\\d+)$`, 'm').exec(m)?.[1] ?? NaN);
    t.ok(val('packets_total') >= 30, 'packets');
    t.equal(val('send_errors_total'), 0);
    t.equal(val('ct_new_errors_total'), 0);
  });

  hold.child.stdin!.end();
  await waitLine(hold, /^closed$/, 'held connection closed');

  await t.test('passive health: a backend that resets is taken out after 5 consecutive failures', async (t) => {
    const be5 = procs.find((p) => p.child.spawnargs.includes('be5') && !p.child.spawnargs.includes('hold'))!;
    await be5.stop();
    const first = await connections(h2, '198.18.128.10', 80, 200, 1);
    const refused = first.errors.ECONNREFUSED ?? 0;
    t.comment(JSON.stringify(first));
    t.ok(refused >= 5 && refused <= 8, `${refused} connections met the dead backend before it was tripped`);
    t.equal(first.ok + refused, 200);
    const after = await connections(h2, '198.18.128.10', 80, 100, 4);
    t.same([after.ok, after.counts.be5], [100, undefined], 'no new connection goes to the tripped backend');
    const vips = (await api(h1, '/vips')) as { vips: Record<string, Record<string, { is_healthy: boolean; total_failures: number }>> };
    const m = vips.vips['198.18.128.10:80']!['198.18.0.15:8080']!;
    t.same([m.is_healthy, m.total_failures >= 5], [false, true]);
  });

  await t.test('teardown leaves nothing in the root namespace', async (t) => {
    for (const p of procs.reverse()) await p.stop();
    procs.length = 0;
    await sh('bash', [resolve(scriptsDir, 'teardown.sh'), prefix], { timeoutMs: 60_000 });
    const netns = (await sh('ip', ['netns', 'list'])).stdout;
    t.notMatch(netns, prefix);
    const sets = (await sh('ipset', ['list', '-n'])).stdout;
    t.notMatch(sets, ipset);
    const rules = (await sh('iptables-save', [])).stdout;
    t.notMatch(rules, chain);
  });
});
