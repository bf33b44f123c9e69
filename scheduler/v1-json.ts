// The master model in the Mesos v1 operator API shapes (`POST /api/v1`): GET_STATE and the
// SUBSCRIBE event stream (SUBSCRIBED, TASK_ADDED, TASK_UPDATED, AGENT_ADDED, AGENT_REMOVED,
// FRAMEWORK_ADDED/UPDATED/REMOVED, HEARTBEAT). Unlike /master/state, ids are `{value}` objects,
// resources are full Resource arrays, labels are `{labels:[…]}` and times are `{nanoseconds}`. Pure.
import { Resources } from './resources.js';
import { isTerminal, type AgentRec, type FrameworkRec, type MasterEvent, type MasterModel, type TaskRec } from './master-model.js';
import { agentPid } from './state-json.js';

const ns = (seconds: number): { nanoseconds: number } => ({ nanoseconds: Math.round(seconds * 1e9) });

export function v1Task(t: TaskRec): Record<string, unknown> {
  const last = t.statuses[t.statuses.length - 1];
  return {
    name: t.info.name, task_id: { value: t.id }, framework_id: { value: t.frameworkId }, agent_id: { value: t.agentId },
    state: t.state, resources: t.resources.toV1(), statuses: t.statuses,
    ...(last ? { status_update_state: last.state, ...(last.uuid ? { status_update_uuid: last.uuid } : {}) } : {}),
    ...(t.info.labels ? { labels: t.info.labels } : {}),
    ...(t.info.discovery ? { discovery: t.info.discovery } : {}),
    ...(t.info.container ? { container: t.info.container } : {}),
    ...(t.info.health_check ? { health_check: t.info.health_check } : {}),
    ...(t.info.command?.user ? { user: t.info.command.user } : {}),
  };
}

export function v1Attributes(attrs: Record<string, string | number>): Array<Record<string, unknown>> {
  return Object.entries(attrs).map(([name, v]) =>
    typeof v === 'number' ? { name, type: 'SCALAR', scalar: { value: v } } : { name, type: 'TEXT', text: { value: v } });
}

export function v1Agent(m: MasterModel, a: AgentRec, offered: Resources = Resources.EMPTY, used?: Resources): Record<string, unknown> {
  return {
    agent_info: { hostname: a.hostname, port: a.port, resources: a.total.toV1(), attributes: v1Attributes(a.attributes), id: { value: a.id } },
    active: true, deactivated: false, version: a.version, pid: agentPid(a),
    registered_time: ns(a.registeredTime), ...(a.reregisteredTime !== undefined ? { reregistered_time: ns(a.reregisteredTime) } : {}),
    total_resources: a.total.toV1(), allocated_resources: (used ?? m.usedOn(a.id)).toV1(), offered_resources: offered.toV1(),
    capabilities: [{ type: 'MULTI_ROLE' }, { type: 'HIERARCHICAL_ROLE' }, { type: 'RESERVATION_REFINEMENT' }],
  };
}

export function v1FrameworkInfo(f: FrameworkRec): Record<string, unknown> {
  return {
    user: f.user, name: f.name, id: { value: f.id }, failover_timeout: f.failoverTimeout, checkpoint: f.checkpoint,
    role: f.role, hostname: f.hostname, webui_url: f.webuiUrl, ...(f.principal !== undefined ? { principal: f.principal } : {}),
    capabilities: f.capabilities.map((type) => ({ type })),
  };
}

export function v1Framework(f: FrameworkRec): Record<string, unknown> {
  return {
    framework_info: v1FrameworkInfo(f), active: f.active, connected: f.connected, recovered: false,
    registered_time: ns(f.registeredTime), ...(f.reregisteredTime !== undefined ? { reregistered_time: ns(f.reregisteredTime) } : {}),
    ...(f.unregisteredTime ? { unregistered_time: ns(f.unregisteredTime) } : {}),
  };
}

/** `get_state` (also the body of SUBSCRIBED). */
export function v1GetState(m: MasterModel, offeredByAgent: ReadonlyMap<string, Resources> = new Map()): Record<string, unknown> {
  const tasks: unknown[] = [];
  const unreachable: unknown[] = [];
  const completed: unknown[] = [];
  const usage = m.usage();
  for (const f of m.frameworks.values()) {
    for (const t of f.tasks.values()) (isTerminal(t.state) ? completed : t.state === 'TASK_UNREACHABLE' ? unreachable : tasks).push(v1Task(t));
  }
  return {
    get_tasks: { tasks, unreachable_tasks: unreachable, completed_tasks: completed, orphan_tasks: [], pending_tasks: [] },
    get_executors: { executors: [], orphan_executors: [] },
    get_frameworks: { frameworks: [...m.frameworks.values()].map(v1Framework), completed_frameworks: [], recovered_frameworks: [] },
    get_agents: { agents: m.listedAgents().map((a) => v1Agent(m, a, offeredByAgent.get(a.id), usage.byAgent.get(a.id) ?? Resources.EMPTY)), recovered_agents: [] },
  };
}

export function v1Subscribed(m: MasterModel, heartbeatSeconds: number, offeredByAgent?: ReadonlyMap<string, Resources>): Record<string, unknown> {
  return { type: 'SUBSCRIBED', subscribed: { get_state: v1GetState(m, offeredByAgent), heartbeat_interval_seconds: heartbeatSeconds } };
}

export const V1_HEARTBEAT = Object.freeze({ type: 'HEARTBEAT' });

/** One model change as an operator stream event. */
export function v1Event(m: MasterModel, e: MasterEvent): Record<string, unknown> {
  switch (e.type) {
    case 'TASK_ADDED':
      return { type: e.type, task_added: { task: v1Task(e.task) } };
    case 'TASK_UPDATED':
      return { type: e.type, task_updated: { framework_id: { value: e.task.frameworkId }, status: e.status, state: e.task.state } };
    case 'AGENT_ADDED':
      return { type: e.type, agent_added: { agent: v1Agent(m, e.agent) } };
    case 'AGENT_REMOVED':
      return { type: e.type, agent_removed: { agent_id: { value: e.agentId } } };
    case 'FRAMEWORK_ADDED':
      return { type: e.type, framework_added: { framework: v1Framework(e.framework) } };
    case 'FRAMEWORK_UPDATED':
      return { type: e.type, framework_updated: { framework: v1Framework(e.framework) } };
    case 'FRAMEWORK_REMOVED':
      return { type: e.type, framework_removed: { framework_info: v1FrameworkInfo(e.framework) } };
  }
}
