import t from 'tap';
import { normalizeApp } from './marathon-normalize.js';
import { backoffMs, converged, fillOffer, kills, missing } from './marathon-plan.js';
import { assignServicePorts, usedServicePorts } from './marathon-ports.js';
import { Resources } from './resources.js';
import type { App } from './marathon-app.js';
import type { MTask } from './marathon-json.js';

const app = (raw: Record<string, unknown>, version = 'V1'): App => {
  const r = normalizeApp({ cmd: 'x', cpus: 1, mem: 64, ...raw }, { version });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};
let n = 0;
const task = (a: App, extra: Partial<MTask> = {}): MTask => ({
  id: `t${++n}`, appId: a.id, agentId: 'S1', host: 'h1', state: 'TASK_RUNNING', stagedAt: `2026-01-01T00:00:0${n % 10}.000Z`, version: a.version,
  configVersion: a.versionInfo.lastConfigChangeAt, ports: [], servicePorts: [], ipAddresses: [], role: '*', consecutiveFailures: 0, ...extra,
});

t.test('missing instances and scale-down victims (YOUNGEST_FIRST / OLDEST_FIRST)', async (t) => {
  const a = app({ id: 'web', instances: 2 });
  t.equal(missing(a, []), 2);
  const ts = [task(a, { stagedAt: '2026-01-01T00:00:01.000Z' }), task(a, { stagedAt: '2026-01-01T00:00:03.000Z' }), task(a, { stagedAt: '2026-01-01T00:00:02.000Z' })];
  t.equal(missing(a, ts), 0);
  t.same(kills(a, ts).map((k) => [k.task.stagedAt.slice(17, 19), k.reason]), [['03', 'scale']]);
  const old = { ...a, killSelection: 'OLDEST_FIRST' };
  t.same(kills(old, ts).map((k) => k.task.stagedAt.slice(17, 19)), ['01']);
  t.equal(missing(a, [task(a, { state: 'TASK_FAILED' }), task(a, { killReason: 'replace' }), task(a, { state: 'TASK_UNREACHABLE' })]), 2, 'failed, killing and unreachable tasks do not count');
});

t.test('config change: old tasks go only once the new ones are ready; unhealthy tasks are killed', async (t) => {
  const v1 = app({ id: 'web', instances: 1 });
  const v2 = { ...v1, cmd: 'y', version: 'V2', versionInfo: { lastScalingAt: 'V2', lastConfigChangeAt: 'V2' } };
  const oldT = task(v1);
  t.equal(missing(v2, [oldT]), 1);
  t.same(kills(v2, [oldT]), [], 'keep the old task while the new one is not running');
  const newT = task(v2, { state: 'TASK_STARTING' });
  t.same(kills(v2, [oldT, newT]), []);
  newT.state = 'TASK_RUNNING';
  t.same(kills(v2, [oldT, newT]).map((k) => [k.task.id, k.reason]), [[oldT.id, 'upgrade']]);
  t.notOk(converged(v2, [oldT, newT]));
  t.ok(converged(v2, [newT]));
  const hc = app({ id: 'h', instances: 1, healthChecks: [{ protocol: 'HTTP' }] });
  const sick = task(hc, { healthy: false });
  t.same(kills(hc, [sick]).map((k) => k.reason), ['unhealthy']);
  t.notOk(converged(hc, [task(hc)]), 'health unknown is not ready');
});

t.test('filling an offer: several instances per offer, constraints, backoff', async (t) => {
  const r = Resources.parse('cpus:3;mem:1024;ports:[31000-31010]');
  if (!r.ok) throw new Error('x');
  const offer = { agentId: 'S1', hostname: 'h1', resources: r.value, attributes: { rack: 'r1' } };
  let u = 0;
  const uuid = () => `u${++u}`;
  const a = app({ id: 'a', instances: 5 });
  const b = app({ id: 'b', instances: 2, constraints: [['hostname', 'UNIQUE']] });
  const got = fillOffer([{ app: a, backoffUntil: 0 }, { app: b, backoffUntil: 0 }], () => [], offer, 1000, uuid, () => undefined);
  t.same(got.map((l) => l.appId), ['/a', '/a', '/a'], 'cpus run out after 3 instances of /a');
  const got2 = fillOffer([{ app: b, backoffUntil: 0 }], () => [], offer, 1000, uuid, () => undefined);
  t.same(got2.map((l) => l.appId), ['/b'], 'UNIQUE hostname: one per agent');
  t.same(fillOffer([{ app: a, backoffUntil: 2000 }], () => [], offer, 1000, uuid, () => undefined), [], 'backing off');
  t.equal(backoffMs(app({ id: 'z', backoffSeconds: 1, backoffFactor: 2, maxLaunchDelaySeconds: 5 }), 1), 1000);
  t.equal(backoffMs(app({ id: 'z', backoffSeconds: 1, backoffFactor: 2, maxLaunchDelaySeconds: 5 }), 3), 4000);
  t.equal(backoffMs(app({ id: 'z', backoffSeconds: 1, backoffFactor: 2, maxLaunchDelaySeconds: 5 }), 10), 5000);
});

t.test('service ports: assigned from the range, kept on update, conflicts refused', async (t) => {
  const a = app({ id: 'a', portDefinitions: [{ port: 0 }, { port: 0 }] });
  const got = assignServicePorts(a, undefined, new Set([10000]), 10000, 20000);
  t.ok(!('error' in got) && got.portDefinitions.map((p) => p.port).join() === '10001,10002');
  if ('error' in got) return;
  const again = assignServicePorts(a, got, new Set(), 10000, 20000);
  t.ok(!('error' in again) && again.portDefinitions.map((p) => p.port).join() === '10001,10002', 'kept');
  const clash = assignServicePorts(app({ id: 'c', portDefinitions: [{ port: 10001 }] }), undefined, usedServicePorts([got]), 10000, 20000);
  t.ok('error' in clash);
  const full = assignServicePorts(a, undefined, new Set([10000]), 10000, 10001);
  t.ok('error' in full);
  const c = app({ id: 'k', networks: [{ mode: 'container', name: 'dcos' }], container: { type: 'MESOS', portMappings: [{ containerPort: 80 }] } });
  const cp = assignServicePorts(c, undefined, new Set(), 10000, 20000);
  t.ok(!('error' in cp) && cp.container?.portMappings?.[0]?.servicePort === 10000);
});
