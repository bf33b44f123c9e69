import t from 'tap';
import { mergeApp, normalizeApp } from './marathon-normalize.js';
import { networkMode, normalizeAppId } from './marathon-app.js';

const V = '2026-01-01T00:00:00.000Z';
const norm = (raw: unknown, extra = {}) => normalizeApp(raw, { version: V, ...extra });

t.test('app ids', async (t) => {
  const cases: Array<[string, string | undefined]> = [
    ['web', '/web'], ['/prod/web', '/prod/web'], ['/a/./b/../c', '/a/c'], ['/Web', undefined], ['/we_b', undefined], ['/-web', undefined], ['/', undefined], ['//a//b/', '/a/b'],
  ];
  for (const [raw, want] of cases) t.equal(normalizeAppId(raw), want, raw);
});

t.test('defaults of a minimal app (core.md §2.2)', async (t) => {
  const r = norm({ id: 'web', cmd: 'sleep 1' });
  if (!r.ok) { t.fail(JSON.stringify(r.error)); return; }
  t.match(r.value, {
    id: '/web', instances: 1, cpus: 1, mem: 128, disk: 0, gpus: 0, requirePorts: false, labels: {}, env: {}, healthChecks: [], constraints: [],
    portDefinitions: [{ port: 0, protocol: 'tcp', name: 'default', labels: {} }], networks: [{ mode: 'host' }],
    upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 }, backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 300,
    killSelection: 'YOUNGEST_FIRST', version: V, versionInfo: { lastScalingAt: V, lastConfigChangeAt: V },
  });
});

t.test('networking: container networks, bridge, legacy docker fields', async (t) => {
  const c = norm({ id: 'c', cmd: 'x', networks: [{ mode: 'container', name: 'dcos' }], container: { type: 'MESOS', portMappings: [{ containerPort: 80, labels: { VIP_0: '/c:80' } }] } });
  t.ok(c.ok);
  if (c.ok) {
    t.equal(networkMode(c.value), 'container');
    t.same(c.value.portDefinitions, [], 'no default portDefinitions off host networking');
    t.same(c.value.container?.portMappings, [{ containerPort: 80, servicePort: 0, protocol: 'tcp', labels: { VIP_0: '/c:80' } }], 'no hostPort in container mode');
  }
  const b = norm({ id: 'b', cmd: 'x', container: { type: 'DOCKER', docker: { image: 'nginx', network: 'BRIDGE', portMappings: [{ containerPort: 80 }] } } });
  t.ok(b.ok);
  if (b.ok) {
    t.equal(networkMode(b.value), 'container/bridge');
    t.same(b.value.container?.portMappings, [{ containerPort: 80, hostPort: 0, servicePort: 0, protocol: 'tcp', labels: {} }], 'legacy docker.portMappings moved; bridge gets hostPort 0');
    t.notOk('portMappings' in (b.value.container?.docker ?? {}));
  }
  const legacy = norm({ id: 'l', cmd: 'x', ports: [0, 10005] });
  t.ok(legacy.ok && legacy.value.portDefinitions.map((p) => p.port).join() === '0,10005');
});

t.test('every problem is reported with its Marathon path', async (t) => {
  const r = norm({ id: 'Bad', cmd: 'a', args: ['b'], instances: -1, cpus: 'x', mem: 1.5, labels: { a: 1 },
    portDefinitions: [{ port: 80 }, { port: 80, protocol: 'sctp' }], networks: [{ mode: 'host' }, { mode: 'container', name: 'x' }],
    constraints: [['hostname', 'NEVER'], ['rack', 'LIKE', '(']], healthChecks: [{ protocol: 'COMMAND' }, { protocol: 'GOPHER' }] });
  t.notOk(r.ok);
  if (r.ok) return;
  const paths = r.error.map((p) => p.path);
  for (const p of ['/id', '/cmd', '/instances', '/cpus', '/labels', '/portDefinitions(1)/protocol', '/portDefinitions', '/networks', '/constraints(0)', '/constraints(1)', '/healthChecks(0)/command', '/healthChecks(1)/protocol']) {
    t.ok(paths.includes(p), `reports ${p}`);
  }
  t.same(norm([]), { ok: false, error: [{ path: '/', message: 'error.expected.jsobject' }] });
  const noCmd = norm({ id: 'x' });
  t.ok(!noCmd.ok && noCmd.error[0]!.path === '/cmd');
});

t.test('updates: partial merge, versionInfo distinguishes scaling from config changes, URL id wins', async (t) => {
  const first = norm({ id: 'web', cmd: 'sleep 1', instances: 1 });
  if (!first.ok) { t.fail('first'); return; }
  const V2 = '2026-01-02T00:00:00.000Z';
  const scaled = normalizeApp(mergeApp(first.value, { instances: 3 }), { version: V2, previous: first.value, pathId: '/web' });
  t.ok(scaled.ok && scaled.value.instances === 3 && scaled.value.versionInfo.lastScalingAt === V2 && scaled.value.versionInfo.lastConfigChangeAt === V);
  const changed = normalizeApp(mergeApp(first.value, { cmd: 'sleep 2' }), { version: V2, previous: first.value, pathId: '/web' });
  t.ok(changed.ok && changed.value.versionInfo.lastConfigChangeAt === V2);
  const mismatch = normalizeApp({ id: '/other', cmd: 'x' }, { version: V2, pathId: '/web' });
  t.ok(!mismatch.ok && mismatch.error[0]!.path === '/id');
});
