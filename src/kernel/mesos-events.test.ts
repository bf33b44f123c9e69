import t from 'tap';
import { applyEvent, subscribedToSnapshot, leaderFromGetMaster } from './mesos-events.js';
import type { Snapshot } from './snapshot.js';
import { EMPTY_SNAPSHOT } from './snapshot.js';

// Hand-written v1 JSON in the shapes of mesos/v1/master/master.proto.
const FW = 'c0ffee00-0000-4000-8000-000000000001-0000';
const AG = 'c0ffee00-0000-4000-8000-000000000001-S0';

const agentV1 = (id = AG, host = '198.18.0.11') => ({
  agent_info: {
    hostname: host, port: 5051, id: { value: id },
    attributes: [
      { name: 'rack', type: 'TEXT', text: { value: 'r1' } },
      { name: 'level', type: 'SCALAR', scalar: { value: 3 } },
      { name: 'span', type: 'RANGES', ranges: { range: [{ begin: 1, end: 2 }, { begin: 5, end: 5 }] } },
      { name: 'zones', type: 'SET', set: { item: ['a', 'b'] } },
    ],
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }],
  },
  active: true, version: '1.11.0', pid: `slave(1)@${host}:5051`,
  total_resources: [
    { name: 'cpus', type: 'SCALAR', scalar: { value: 4 } },
    { name: 'mem', type: 'SCALAR', scalar: { value: 1024 } },
    { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] } },
  ],
});

const frameworkV1 = (id = FW, name = 'marathon') => ({
  framework_info: { user: 'root', name, id: { value: id }, hostname: 'm1', roles: ['slave_public'] },
  active: true, connected: true, recovered: false,
});

const statusV1 = (taskId: string, state: string, ts: number, extra: object = {}) => ({
  task_id: { value: taskId }, state, timestamp: ts, source: 'SOURCE_EXECUTOR', agent_id: { value: AG },
  container_status: { network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: '198.19.1.5' }], name: 'dcos', labels: { labels: [{ key: 'k', value: 'v' }] }, port_mappings: [{ host_port: 31001, container_port: 80, protocol: 'tcp' }] }] },
  ...extra,
});

const taskV1 = (id: string, state = 'TASK_RUNNING', fw = FW) => ({
  name: 'web', task_id: { value: id }, framework_id: { value: fw }, agent_id: { value: AG }, executor_id: { value: '' }, state,
  resources: [
    { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
    { name: 'cpus', type: 'SCALAR', scalar: { value: 0.2 }, reservations: [{ role: 'r' }] },
    { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31001, end: 31002 }] } },
    { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31005, end: 31005 }] } },
  ],
  statuses: [statusV1(id, state, 1700000000.5)],
  labels: { labels: [{ key: 'VIP_0', value: '/web:80' }, { key: 'novalue' }] },
  discovery: { visibility: 'CLUSTER', name: 'web', ports: { ports: [{ number: 80, name: 'http', protocol: 'tcp', labels: { labels: [{ key: 'VIP_0', value: '/web:80' }] } }] } },
  container: { type: 'MESOS', network_infos: [{ name: 'dcos' }] },
});

const subscribed = (tasks: object[] = [taskV1('web.1')]) => ({
  type: 'SUBSCRIBED',
  subscribed: {
    get_state: {
      get_agents: { agents: [agentV1()] },
      get_frameworks: { frameworks: [frameworkV1()], completed_frameworks: [] },
      get_tasks: { tasks, completed_tasks: [taskV1('old', 'TASK_FINISHED')] },
      get_executors: { executors: [] },
    },
    heartbeat_interval_seconds: 15,
  },
});

const start = (): Snapshot => subscribedToSnapshot(subscribed()).snapshot;
const taskIds = (s: Snapshot): string[] => s.frameworks.flatMap((f) => f.tasks.map((x) => `${f.id}/${x.id}:${x.state}`));

t.test('SUBSCRIBED builds the snapshot', async (t) => {
  const r = subscribedToSnapshot(subscribed());
  t.same(r.problems, []);
  const s = r.snapshot;
  t.same(s.agents, [{
    id: AG, hostname: '198.18.0.11', pid: 'slave(1)@198.18.0.11:5051', port: 5051,
    attributes: { rack: 'r1', level: 3, span: '[1-2, 5-5]', zones: '{a, b}' }, active: true,
    resources: { cpus: 4, mem: 1024, disk: 0, gpus: 0, ports: [{ begin: 31000, end: 32000 }] },
  }]);
  t.equal(s.frameworks.length, 1);
  const fw = s.frameworks[0]!;
  t.same({ ...fw, tasks: [] }, { id: FW, name: 'marathon', pid: undefined, hostname: 'm1', role: 'slave_public', active: true, tasks: [] });
  const task = fw.tasks[0]!;
  t.equal(task.id, 'web.1');
  t.equal(task.frameworkId, FW);
  t.equal(task.agentId, AG);
  t.same(task.resources, { cpus: 0.3, mem: 0, disk: 0, gpus: 0, ports: [{ begin: 31001, end: 31002 }, { begin: 31005, end: 31005 }] });
  t.same(task.labels, [{ key: 'VIP_0', value: '/web:80' }, { key: 'novalue', value: undefined }]);
  t.same(task.statuses[0]!.networkInfos, [{ name: 'dcos', ipAddresses: [{ protocol: 'IPv4', ipAddress: '198.19.1.5' }], labels: [{ key: 'k', value: 'v' }], portMappings: [{ hostPort: 31001, containerPort: 80, protocol: 'tcp' }] }]);
  t.same(task.discovery?.ports, [{ number: 80, name: 'http', protocol: 'tcp', visibility: undefined, labels: [{ key: 'VIP_0', value: '/web:80' }] }]);
  t.same(task.container, { type: 'MESOS', network_infos: [{ name: 'dcos' }] });
  t.same(s.leader, undefined);
});

t.test('SUBSCRIBED variants, leader kept from base, bad items skipped', async (t) => {
  const inner = subscribedToSnapshot(subscribed().subscribed).snapshot;
  const getState = subscribedToSnapshot({ type: 'GET_STATE', get_state: subscribed().subscribed.get_state }).snapshot;
  t.same(inner, start());
  t.same(getState, start());
  const base = { ...EMPTY_SNAPSHOT, leader: 'master@198.18.0.10:5050' };
  t.equal(subscribedToSnapshot(subscribed(), base).snapshot.leader, 'master@198.18.0.10:5050');
  const bad = subscribedToSnapshot(subscribed([taskV1('ok'), { name: 'x' }, taskV1('orphan', 'TASK_RUNNING', 'nope'), taskV1('done', 'TASK_KILLED')]));
  t.same(taskIds(bad.snapshot), [`${FW}/ok:TASK_RUNNING`], 'terminal task dropped, bad ones skipped');
  t.same(bad.problems.map((p) => p.path), ['get_state.get_tasks.tasks[1].task_id', 'get_state.get_tasks.tasks[2].framework_id']);
  const junk = subscribedToSnapshot({ type: 'SUBSCRIBED', subscribed: { get_state: 7 } });
  t.same(junk.snapshot.agents, []);
  t.match(junk.problems, [{ path: 'get_state', message: /expected an object/ }]);
});

type Case = { name: string; event: unknown; changed: boolean; tasks?: string[]; agents?: string[]; frameworks?: string[]; problem?: RegExp };

const cases: Case[] = [
  { name: 'HEARTBEAT', event: { type: 'HEARTBEAT' }, changed: false, tasks: [`${FW}/web.1:TASK_RUNNING`] },
  { name: 'unknown type ignored', event: { type: 'OPERATION_UPDATED', operation_updated: {} }, changed: false },
  { name: 'no type', event: { task_added: {} }, changed: false, problem: /without a type/ },
  { name: 'not an object', event: 'TASK_ADDED', changed: false, problem: /without a type/ },
  { name: 'TASK_ADDED', event: { type: 'TASK_ADDED', task_added: { task: taskV1('web.2', 'TASK_STAGING') } }, changed: true, tasks: [`${FW}/web.1:TASK_RUNNING`, `${FW}/web.2:TASK_STAGING`] },
  { name: 'TASK_ADDED existing id replaces', event: { type: 'TASK_ADDED', task_added: { task: taskV1('web.1', 'TASK_STARTING') } }, changed: true, tasks: [`${FW}/web.1:TASK_STARTING`] },
  { name: 'TASK_ADDED unknown framework', event: { type: 'TASK_ADDED', task_added: { task: taskV1('x', 'TASK_STAGING', 'nofw') } }, changed: false, problem: /unknown framework "nofw"/ },
  { name: 'TASK_ADDED malformed', event: { type: 'TASK_ADDED', task_added: { task: { ...taskV1('x'), resources: 'cpus:1' } } }, changed: false, problem: /resource array/ },
  { name: 'TASK_ADDED no body', event: { type: 'TASK_ADDED' }, changed: false, problem: /expected an object/ },
  { name: 'TASK_UPDATED to terminal removes', event: { type: 'TASK_UPDATED', task_updated: { framework_id: { value: FW }, status: statusV1('web.1', 'TASK_KILLED', 1700000100), state: 'TASK_KILLED' } }, changed: true, tasks: [] },
  { name: 'TASK_UPDATED unknown task', event: { type: 'TASK_UPDATED', task_updated: { framework_id: { value: FW }, status: statusV1('ghost', 'TASK_RUNNING', 1), state: 'TASK_RUNNING' } }, changed: false, problem: /unknown task "ghost"/ },
  { name: 'TASK_UPDATED terminal for unknown task is quiet', event: { type: 'TASK_UPDATED', task_updated: { framework_id: { value: FW }, status: statusV1('ghost', 'TASK_FAILED', 1), state: 'TASK_FAILED' } }, changed: false },
  { name: 'TASK_UPDATED missing framework_id', event: { type: 'TASK_UPDATED', task_updated: { status: statusV1('web.1', 'TASK_RUNNING', 1) } }, changed: false, problem: /framework_id/ },
  { name: 'AGENT_ADDED', event: { type: 'AGENT_ADDED', agent_added: { agent: agentV1('S9', '198.18.0.12') } }, changed: true, agents: [AG, 'S9'] },
  { name: 'AGENT_ADDED malformed', event: { type: 'AGENT_ADDED', agent_added: { agent: { agent_info: { id: { value: 'S9' }, port: 'x' } } } }, changed: false, problem: /agent_info\.port/ },
  { name: 'AGENT_REMOVED', event: { type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: AG } } }, changed: true, agents: [] },
  { name: 'AGENT_REMOVED unknown', event: { type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: 'S77' } } }, changed: false, agents: [AG] },
  { name: 'FRAMEWORK_ADDED', event: { type: 'FRAMEWORK_ADDED', framework_added: { framework: frameworkV1('F2', 'kafka') } }, changed: true, frameworks: [`${FW}:marathon`, 'F2:kafka'] },
  { name: 'FRAMEWORK_UPDATED keeps tasks', event: { type: 'FRAMEWORK_UPDATED', framework_updated: { framework: frameworkV1(FW, 'marathon-2') } }, changed: true, frameworks: [`${FW}:marathon-2`], tasks: [`${FW}/web.1:TASK_RUNNING`] },
  { name: 'FRAMEWORK_REMOVED', event: { type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: { id: { value: FW }, name: 'marathon' } } }, changed: true, frameworks: [], tasks: [] },
  { name: 'FRAMEWORK_REMOVED malformed', event: { type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: { name: 'x' } } }, changed: false, problem: /framework_info\.id/ },
];

for (const c of cases) {
  t.test(`applyEvent: ${c.name}`, async (t) => {
    const before = start();
    const frozen = JSON.stringify(before);
    const r = applyEvent(before, c.event);
    t.equal(r.changed, c.changed, 'changed');
    t.equal(JSON.stringify(before), frozen, 'input snapshot not mutated');
    if (!c.changed) t.equal(r.snapshot, before, 'unchanged returns the same snapshot');
    if (c.problem) t.match(r.problems.map((p) => `${p.path}: ${p.message}`), [c.problem]);
    else t.same(r.problems, []);
    if (c.tasks) t.same(taskIds(r.snapshot), c.tasks, 'tasks');
    if (c.agents) t.same(r.snapshot.agents.map((a) => a.id), c.agents, 'agents');
    if (c.frameworks) t.same(r.snapshot.frameworks.map((f) => `${f.id}:${f.name}`), c.frameworks, 'frameworks');
  });
}

t.test('TASK_UPDATED statuses follow the Mesos rule', async (t) => {
  let s = applyEvent(start(), { type: 'TASK_ADDED', task_added: { task: { ...taskV1('w', 'TASK_STAGING'), statuses: [] } } }).snapshot;
  const upd = (state: string, ts: number, extra: object = {}) =>
    ({ type: 'TASK_UPDATED', task_updated: { framework_id: { value: FW }, status: statusV1('w', state, ts, extra), state } });
  for (const [state, ts, extra] of [['TASK_STARTING', 1, {}], ['TASK_RUNNING', 2, {}], ['TASK_RUNNING', 3, { healthy: true }]] as const) {
    const r = applyEvent(s, upd(state, ts, extra));
    t.ok(r.changed);
    s = r.snapshot;
  }
  const w = s.frameworks[0]!.tasks.find((x) => x.id === 'w')!;
  t.equal(w.state, 'TASK_RUNNING');
  t.same(w.statuses.map((x) => [x.state, x.timestamp, x.healthy]), [['TASK_STARTING', 1, undefined], ['TASK_RUNNING', 3, true]]);
  t.same(w.statuses[1]!.networkInfos[0]!.ipAddresses, [{ protocol: 'IPv4', ipAddress: '198.19.1.5' }]);
  // `state` is authoritative when present; the status' state is the fallback.
  const legacy = applyEvent(s, { type: 'TASK_UPDATED', task_updated: { framework_id: { value: FW }, status: statusV1('w', 'TASK_FINISHED', 4) } });
  t.same(taskIds(legacy.snapshot).filter((x) => x.includes('/w:')), []);
});

t.test('SUBSCRIBED via applyEvent replaces everything but the leader', async (t) => {
  const base = { ...applyEvent(start(), { type: 'AGENT_ADDED', agent_added: { agent: agentV1('S9') } }).snapshot, leader: 'master@198.18.0.10:5050' };
  const r = applyEvent(base, subscribed([]));
  t.ok(r.changed);
  t.same(r.snapshot.agents.map((a) => a.id), [AG]);
  t.same(taskIds(r.snapshot), []);
  t.equal(r.snapshot.leader, 'master@198.18.0.10:5050');
});

t.test('leaderFromGetMaster', async (t) => {
  const resp = { type: 'GET_MASTER', get_master: { master_info: { id: 'm-1', ip: 184684742, port: 5050, pid: 'master@198.18.0.10:5050', hostname: 'm1', address: { hostname: 'm1', ip: '198.18.0.10', port: 5050 } } } };
  t.same(leaderFromGetMaster(resp), { leader: 'master@198.18.0.10:5050', leaderInfo: { id: 'm-1', pid: 'master@198.18.0.10:5050', hostname: 'm1', ip: '198.18.0.10', port: 5050 } });
  t.equal(leaderFromGetMaster({ type: 'GET_MASTER' }), undefined);
  t.equal(leaderFromGetMaster({ get_master: { master_info: { port: 'x' } } }), undefined);
});

t.test('resource summing', async (t) => {
  const agent = (total: object[]) => ({ ...agentV1('S5'), total_resources: total });
  const add = (total: object[]) => applyEvent(EMPTY_SNAPSHOT, { type: 'AGENT_ADDED', agent_added: { agent: agent(total) } });
  t.same(add([]).snapshot.agents[0]!.resources, { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] });
  t.same(add([{ name: 'gpus', scalar: { value: 1 } }, { name: 'disk', scalar: { value: 0.1 } }, { name: 'disk', scalar: { value: 0.2 } }, { name: 'foo', scalar: { value: 9 } }]).snapshot.agents[0]!.resources,
    { cpus: 0, mem: 0, disk: 0.3, gpus: 1, ports: [] });
  const bad = add([{ name: 'ports', ranges: { range: [{ begin: 5, end: 1 }] } }]);
  t.notOk(bad.changed);
  t.match(bad.problems, [{ path: 'agent_added.agent.total_resources[0].ranges.range[0]', message: /bad range 5-1/ }]);
  const noTotal = { ...agentV1('S6') } as Record<string, unknown>;
  delete noTotal.total_resources;
  t.same(applyEvent(EMPTY_SNAPSHOT, { type: 'AGENT_ADDED', agent_added: { agent: noTotal } }).snapshot.agents[0]!.resources.cpus, 1, 'falls back to agent_info.resources');
});
