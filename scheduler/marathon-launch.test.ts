import t from 'tap';
import { normalizeApp } from './marathon-normalize.js';
import { buildLaunch, marathonTaskId, mesosTaskName, pickPorts } from './marathon-launch.js';
import { Resources } from './resources.js';
import type { App } from './marathon-app.js';

const app = (raw: Record<string, unknown>): App => {
  const r = normalizeApp({ cmd: 'run', cpus: 0.5, mem: 64, ...raw }, { version: 'V' });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};
const offer = (text = 'cpus:4;mem:1024;ports:[31000-31005]') => {
  const r = Resources.parse(text);
  if (!r.ok) throw new Error('offer');
  return { agentId: 'S1', hostname: 'agent1', resources: r.value };
};
const labelsOf = (x: { labels?: { labels: Array<{ key: string; value?: string }> } }) => Object.fromEntries((x.labels?.labels ?? []).map((l) => [l.key, l.value]));

t.test('names and ids as Marathon makes them', async (t) => {
  t.equal(mesosTaskName('/prod/web'), 'web.prod');
  t.equal(marathonTaskId('/prod/web', 'u-1'), 'prod_web.instance-u-1._app.1');
});

t.test('host port picking', async (t) => {
  const r = [{ begin: 31000, end: 31002 }, { begin: 31010, end: 31010 }];
  const cases: Array<[number[], number[] | undefined]> = [
    [[], []], [[0], [31000]], [[0, 0, 0, 0], [31000, 31001, 31002, 31010]], [[0, 0, 0, 0, 0], undefined],
    [[31001, 0], [31001, 31000]], [[0, 31000], [31001, 31000]], [[31005], undefined],
  ];
  for (const [want, got] of cases) t.same(pickPorts(want, r), got, JSON.stringify(want));
});

t.test('host networking: resources, env, labels, discovery ports with VIP labels', async (t) => {
  const a = app({ id: '/prod/web', instances: 2, labels: { HAPROXY_GROUP: 'external', 'bad key': 'x' }, env: { FOO: 'bar' },
    portDefinitions: [{ port: 10000, name: 'http', protocol: 'tcp', labels: { VIP_0: '/web:80' } }, { port: 10001, protocol: 'udp,tcp' }] });
  const l = buildLaunch(a, offer(), 'u1');
  if (!l) { t.fail('should fit'); return; }
  t.same(l.hostPorts, [31000, 31001]);
  t.equal(l.resources.toString(), 'cpus:0.5;mem:64;ports:[31000-31001]');
  t.equal(l.task.name, 'web.prod');
  t.equal(l.task.task_id.value, 'prod_web.instance-u1._app.1');
  const env = Object.fromEntries((l.task.command?.environment?.variables ?? []).map((v) => [v.name, v.value]));
  t.match(env, { PORT0: '31000', PORT1: '31001', PORT: '31000', PORTS: '31000,31001', PORT_10000: '31000', PORT_HTTP: '31000', HOST: 'agent1',
    MESOS_TASK_ID: 'prod_web.instance-u1._app.1', MARATHON_APP_ID: '/prod/web', MARATHON_APP_VERSION: 'V', MARATHON_APP_RESOURCE_CPUS: '0.5',
    MARATHON_APP_LABELS: 'HAPROXY_GROUP BAD_KEY', MARATHON_APP_LABEL_HAPROXY_GROUP: 'external', FOO: 'bar' });
  t.same(labelsOf(l.task), { HAPROXY_GROUP: 'external', 'bad key': 'x' });
  t.same(l.task.discovery, { visibility: 'FRAMEWORK', name: 'web.prod', ports: { ports: [
    { number: 31000, name: 'http', protocol: 'tcp', labels: { labels: [{ key: 'VIP_0', value: '/web:80' }] } },
    { number: 31001, protocol: 'udp', labels: { labels: [] } }, { number: 31001, protocol: 'tcp', labels: { labels: [] } },
  ] } });
  t.equal(l.task.container, undefined, 'plain command tasks carry no container');
  t.same(l.servicePorts, [10000, 10001]);
});

t.test('requirePorts uses the service port as host port; tasks that do not fit are undefined', async (t) => {
  const a = app({ id: 'x', requirePorts: true, portDefinitions: [{ port: 31004 }] });
  t.same(buildLaunch(a, offer(), 'u')?.hostPorts, [31004]);
  t.equal(buildLaunch(app({ id: 'x', requirePorts: true, portDefinitions: [{ port: 40000 }] }), offer(), 'u'), undefined);
  t.equal(buildLaunch(app({ id: 'big', cpus: 8 }), offer(), 'u'), undefined);
  t.equal(buildLaunch(app({ id: 'many', portDefinitions: [0, 0, 0, 0, 0, 0, 0].map(() => ({ port: 0 })) }), offer(), 'u'), undefined);
  const reserved = buildLaunch(app({ id: 'r', cpus: 2 }), offer('cpus:1;mem:1024;cpus(ops):4;ports:[31000-31005]'), 'u', 'ops');
  t.ok(reserved, 'a framework role may use its reservation');
  t.equal(buildLaunch(app({ id: 'r', cpus: 2 }), offer('cpus:1;mem:1024;cpus(ops):4;ports:[31000-31005]'), 'u', '*'), undefined, 'but not another role\'s');
});

t.test('container network: network_infos, container-scoped discovery ports, container ports in env; health check', async (t) => {
  const a = app({ id: '/web', networks: [{ mode: 'container', name: 'dcos', labels: { team: 'a' } }],
    container: { type: 'MESOS', portMappings: [{ containerPort: 8080, name: 'http', labels: { VIP_0: '/web:80' } }, { containerPort: 9000, hostPort: 0 }] },
    healthChecks: [{ protocol: 'MESOS_HTTP', path: '/health', portIndex: 0, delaySeconds: 0 }] });
  const l = buildLaunch(a, offer(), 'u');
  if (!l) { t.fail('fit'); return; }
  t.same(l.hostPorts, [31000]);
  t.same(l.task.container, { type: 'MESOS', network_infos: [{ name: 'dcos', labels: { labels: [{ key: 'team', value: 'a' }] }, port_mappings: [{ host_port: 31000, container_port: 9000, protocol: 'tcp' }] }] });
  t.same(l.task.discovery?.ports?.ports.map((p) => [p.number, labelsOf(p)]), [
    [8080, { VIP_0: '/web:80', 'network-scope': 'container', 'network-name': 'dcos' }],
    [31000, { 'network-scope': 'host' }],
  ]);
  const env = Object.fromEntries((l.task.command?.environment?.variables ?? []).map((v) => [v.name, v.value]));
  t.equal(env['PORT0'], '8080');
  t.equal(env['PORT1'], '9000');
  t.match(l.task.health_check, { type: 'HTTP', http: { scheme: 'http', port: 8080, path: '/health' }, delay_seconds: 0, consecutive_failures: 3 });
});

t.test('docker bridge apps keep a DOCKER container with network BRIDGE', async (t) => {
  const a = app({ id: 'd', container: { type: 'DOCKER', docker: { image: 'nginx', network: 'BRIDGE' }, portMappings: [{ containerPort: 80 }] } });
  const l = buildLaunch(a, offer(), 'u');
  t.match(l?.task.container, { type: 'DOCKER', docker: { image: 'nginx', network: 'BRIDGE', port_mappings: [{ host_port: 31000, container_port: 80, protocol: 'tcp' }] }, network_infos: [{ name: 'mesos-bridge' }] });
});
