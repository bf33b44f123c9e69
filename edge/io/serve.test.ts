// Namespace test with real HAProxy: in a namespace this test creates, a fake Marathon and three
// tiny HTTP backends (ns-fixture), and `mesonet edge serve` starting HAProxy in master-worker mode.
// Checks: a service port and a vhost answer through HAProxy, round-robin over all 3 backends; a
// bad app (template HAProxy rejects) and an app with an unformattable label are left out and
// reported while the good app is served; then a client loop keeps requesting through HAProxy
// (fresh connection per request) while Marathon changes trigger reloads: zero failed requests.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netnsAllowed, uniquePrefix, sh, waitFor } from '../../test/helpers/netns.js';
import { makeCheckDir } from '../testing/check-fixture.js';
import { killPidFile, NsDaemon, NsFixture } from '../testing/ns-driver.js';

const HAPROXY = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';

const task = (id: string, port: number): Record<string, unknown> => ({ id, host: '127.0.0.1', ports: [port], state: 'TASK_RUNNING' });
const web = (ports: number[]): Record<string, unknown> => ({
  id: '/web', labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: 'web.example.com' }, portDefinitions: [{ port: 10000 }],
  tasks: ports.map((p, i) => task(`web.${i}`, p)),
});
const bad = {
  id: '/bad', labels: { HAPROXY_GROUP: 'external', HAPROXY_0_BACKEND_HEAD: '\nbackend {backend}\n  balance {balance}\n  mode {mode}\n  no-such-directive here\n' },
  portDefinitions: [{ port: 10001 }], tasks: [task('bad.0', 31001)],
};
const unformattable = {
  id: '/typo', labels: { HAPROXY_GROUP: 'external', HAPROXY_0_FRONTEND_HEAD: '\nfrontend {backend}\n  bind {bindAddress}:{servicePort}\n' },
  portDefinitions: [{ port: 10002 }], tasks: [task('typo.0', 31002)],
};
const other = (n: number): Record<string, unknown> => ({
  id: '/other', labels: { HAPROXY_GROUP: 'external', HAPROXY_0_BALANCE: n % 2 ? 'leastconn' : 'roundrobin' },
  portDefinitions: [{ port: 10003 }], tasks: [task('other.0', 31003)],
});

t.test('edge serve with real haproxy in a namespace', async (t) => {
  if (!netnsAllowed(t)) return;
  const ns = `${uniquePrefix('edg')}-x`;
  const dir = mkdtempSync(join(tmpdir(), 'mesonet-edge-serve-'));
  const certs = await makeCheckDir();
  let fixture: NsFixture | undefined;
  let daemon: NsDaemon | undefined;
  t.teardown(async () => {
    await daemon?.stop().catch(() => undefined);
    killPidFile(join(dir, 'run/haproxy.pid'));
    await fixture?.stop().catch(() => undefined);
    await sh('ip', ['netns', 'del', ns]).catch(() => undefined);
    certs.remove();
    rmSync(dir, { recursive: true, force: true });
  });
  await sh('ip', ['netns', 'add', ns]);
  await sh('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
  const cert = join(dir, 'cert.pem');
  writeFileSync(cert, readFileSync(join(certs.dir, 'cert.pem')));

  fixture = new NsFixture(ns, 3);
  await fixture.ready;
  await fixture.call({ op: 'apps', apps: [web([31001, 31002, 31003]), bad, unformattable] });
  daemon = new NsDaemon(ns, ['--marathon', 'http://127.0.0.1:8080', '--group', 'external', '--haproxy-config', join(dir, 'etc/haproxy.cfg'),
    '--run-dir', join(dir, 'run'), '--haproxy-bin', HAPROXY, '--stats-bind', '127.0.0.1', '--ssl-certs', cert, '--burst-ms', '30',
    '--log-level', 'info']);
  const f = fixture;
  const d = daemon;

  await waitFor('the service port answers through haproxy', async () => (await f.get(10000)).status === 200, 20_000)
    .catch((e: Error) => { throw new Error(`${e.message}\n${d.output}`); });
  await waitFor('the :9090 endpoints answer', async () => (await f.get(9090, undefined, '/_haproxy_health_check')).status === 200, 10_000);
  const seen = new Set<string>();
  for (let i = 0; i < 9; i++) seen.add((await f.get(10000)).body.trim());
  t.same([...seen].sort(), ['backend-1', 'backend-2', 'backend-3'], 'round robin over the 3 backends');
  const vhost = await f.get(80, 'web.example.com');
  t.equal(vhost.status, 200, 'vhost on :80 routes to the app');
  t.match(vhost.body, /^backend-\d/);
  t.equal((await f.get(80, 'nobody.example.com')).status, 503, 'unknown vhost has no backend');

  // The bad apps are left out, visibly; the good one is served.
  const st = await f.get(9090, undefined, '/_mesonet/status');
  t.equal(st.status, 200, '/_mesonet/status', { body: st.body, daemon: d.output.slice(-3000) });
  const status = JSON.parse(st.body) as { last: { skipped: { appId: string; reason: string }[] } };
  const skipped = status.last.skipped.map((s) => s.appId).sort();
  t.same(skipped, ['/bad', '/typo'], 'both bad apps reported as left out');
  t.match(status.last.skipped.find((s) => s.appId === '/bad')?.reason ?? '', /haproxy -c rejected/);
  t.match(status.last.skipped.find((s) => s.appId === '/typo')?.reason ?? '', /bindAddress/);
  const cfg = (await f.get(9090, undefined, '/_haproxy_getconfig')).body;
  t.match(cfg, /backend web_10000/);
  t.notMatch(cfg, /bad_10001|typo_10002/, 'installed config has no trace of the bad apps');
  t.equal((await f.get(10001)).status, 0, 'nothing listens for the bad app');
  const hup = await f.get(9090, undefined, '/_mlb_signal/hup');
  t.match(hup.body, /left out: \/bad: haproxy -c rejected its configuration: unknown keyword 'no-such-directive'/, '/_mlb_signal/hup shows what was left out');
  const metrics = (await f.get(9090, undefined, '/metrics')).body;
  t.match(metrics, /^mesonet_edge_apps_left_out 2$/m, 'gauge of apps left out');
  t.match(metrics, /^mesonet_edge_apps_left_out_total 2$/m, 'counter of apps left out');
  t.match(metrics, /haproxy_process_/, 'HAProxy exporter metrics appended');
  t.match((await f.get(9090, undefined, '/haproxy?stats;csv')).body, /^# pxname,svname/m, 'stats CSV');
  t.equal((await f.get(9090, undefined, '/_haproxy_health_check')).status, 200);
  const pids0 = (await f.get(9090, undefined, '/_haproxy_getpids')).body.trim().split(' ');
  t.ok(pids0.length >= 2, 'master and worker pids');

  // Reloads under load: zero failed requests.
  const reloadsOk = async (): Promise<number> => Number(/mesonet_edge_reloads_total\{result="ok"\} (\d+)/.exec((await f.get(9090, undefined, '/metrics')).body)?.[1] ?? 0);
  const base = await reloadsOk();
  await f.call({ op: 'load', port: 10000, workers: 3 });
  await f.call({ op: 'load', port: 80, host: 'web.example.com', workers: 2 });
  const changes = 6;
  for (let i = 1; i <= changes; i++) {
    const ports = i % 2 ? [31001, 31002] : [31001, 31002, 31003];
    await f.call({ op: 'apps', apps: [web(ports), bad, unformattable, other(i)] });
    await waitFor(`reload ${i}`, async () => (await reloadsOk()) >= base + i, 20_000);
    const p = await f.call({ op: 'progress' });
    t.ok(Number(p.ok) > 0, `requests flowing after reload ${i}`);
  }
  const load = await f.call({ op: 'stop' });
  t.ok(Number(load.ok) > 50, `client loop made requests (${String(load.ok)})`);
  t.equal(load.failed, 0, `zero failed requests across ${changes} reloads`, { errors: load.errors });
  t.equal((await f.get(10003)).status, 200, 'the app added during the reloads is served');
  const pids1 = (await f.get(9090, undefined, '/_haproxy_getpids')).body.trim().split(' ');
  t.equal(pids1[0], pids0[0], 'same master throughout');
  t.not(pids1[1], pids0[1], 'a new worker serves');
  t.match(d.output, /app left out.*\/bad/, 'log line for the bad app');

  const code = await d.stop();
  t.equal(code, 0, 'daemon exits cleanly on SIGTERM');
  await waitFor('haproxy stopped with the daemon', async () => (await f.get(10000)).status === 0, 10_000);
});
