// `GET /master/state`: the master model rendered in the Mesos 1.x v0 JSON shape that mesos-dns,
// Minuteman/mesos_state and dcos tools parse (reference/core.md §1.2–§1.6): snake_case fields, enum
// names as strings, bare-array labels on tasks/statuses/network infos, generic proto JSON (with
// `{labels:[…]}` wrappers) inside discovery/container, resource summaries with ports as "[a-b, c-d]",
// times as float seconds, `completed_frameworks`/`orphan_tasks`/`unregistered_frameworks` always
// present, no `pid` on HTTP frameworks. Pure.
import { Resources, type Summary } from './resources.js';
import { isTerminal, type AgentRec, type FrameworkRec, type MasterModel, type TaskRec } from './master-model.js';
import type { V1NetworkInfo, V1TaskStatus } from './mesos-types.js';

export interface StateExtras {
  /** Resources currently offered, per agent id and per framework id. */
  readonly offeredByAgent: ReadonlyMap<string, Resources>;
  readonly offeredByFramework: ReadonlyMap<string, Resources>;
  readonly electedTime: number;
}

export const masterPid = (m: MasterModel): string => `master@${m.info.ip}:${m.info.port}`;
export const agentPid = (a: AgentRec): string => `slave(1)@${a.ip}:${a.port}`;

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
function summary(r: Resources): Summary {
  const s = r.toSummary();
  for (const [k, v] of Object.entries(s)) if (typeof v === 'number') s[k] = round3(v);
  return s;
}

function v0NetworkInfo(n: V1NetworkInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (n.ip_addresses) out['ip_addresses'] = n.ip_addresses.map((a) => ({ protocol: a.protocol ?? 'IPv4', ip_address: a.ip_address }));
  if (n.name !== undefined) out['name'] = n.name;
  if (n.groups) out['groups'] = n.groups;
  if (n.labels) out['labels'] = n.labels.labels;
  if (n.port_mappings) out['port_mappings'] = n.port_mappings;
  return out;
}

export function v0Status(s: V1TaskStatus): Record<string, unknown> {
  const out: Record<string, unknown> = { state: s.state, timestamp: s.timestamp };
  if (s.labels) out['labels'] = s.labels.labels;
  if (s.healthy !== undefined) out['healthy'] = s.healthy;
  if (s.container_status) {
    const cs: Record<string, unknown> = {};
    if (s.container_status.container_id) cs['container_id'] = s.container_status.container_id;
    if (s.container_status.network_infos) cs['network_infos'] = s.container_status.network_infos.map(v0NetworkInfo);
    out['container_status'] = cs;
  }
  return out;
}

export function v0Task(t: TaskRec): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: t.id, name: t.info.name, framework_id: t.frameworkId, executor_id: '', slave_id: t.agentId,
    state: t.state, resources: summary(t.resources), role: t.role, statuses: t.statuses.map(v0Status),
  };
  if (t.info.labels) out['labels'] = t.info.labels.labels;
  if (t.info.discovery) out['discovery'] = t.info.discovery;
  if (t.info.container) out['container'] = t.info.container;
  if (t.info.health_check) out['health_check'] = t.info.health_check;
  if (t.info.command?.user) out['user'] = t.info.command.user;
  return out;
}

function v0Agent(a: AgentRec, used: Resources, offered: Resources): Record<string, unknown> {
  return {
    id: a.id, hostname: a.hostname, port: a.port, pid: agentPid(a), attributes: a.attributes,
    registered_time: a.registeredTime, ...(a.reregisteredTime !== undefined ? { reregistered_time: a.reregisteredTime } : {}),
    resources: summary(a.total), used_resources: summary(used), offered_resources: summary(offered),
    reserved_resources: a.total.toReservedSummaries(),
    unreserved_resources: summary(a.total.unreserved()),
    active: true, deactivated: false, version: a.version, capabilities: ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT'],
  };
}

function v0Framework(f: FrameworkRec, used: Resources, offered: Resources): Record<string, unknown> {
  const tasks: TaskRec[] = [];
  const unreachable: TaskRec[] = [];
  const completed: TaskRec[] = [];
  for (const t of f.tasks.values()) (isTerminal(t.state) ? completed : t.state === 'TASK_UNREACHABLE' ? unreachable : tasks).push(t);
  return {
    id: f.id, name: f.name, hostname: f.hostname, webui_url: f.webuiUrl,
    active: f.active, connected: f.connected, recovered: false,
    user: f.user, failover_timeout: f.failoverTimeout, checkpoint: f.checkpoint,
    registered_time: f.registeredTime, unregistered_time: f.unregisteredTime,
    ...(f.reregisteredTime !== undefined ? { reregistered_time: f.reregisteredTime } : {}),
    ...(f.principal !== undefined ? { principal: f.principal } : {}),
    capabilities: f.capabilities, role: f.role,
    used_resources: summary(used), offered_resources: summary(offered), resources: summary(used.add(offered)),
    tasks: tasks.map(v0Task), unreachable_tasks: unreachable.map(v0Task), completed_tasks: completed.map(v0Task),
    offers: [], executors: [], offer_constraints: {},
  };
}

/** The whole `/master/state` document. */
export function renderMasterState(m: MasterModel, x: StateExtras): Record<string, unknown> {
  const pid = masterPid(m);
  const agents = m.listedAgents();
  const unreachable = [...m.agents.values()].length - agents.length;
  const usage = m.usage();
  return {
    version: m.info.version, id: m.info.id, pid, hostname: m.info.hostname,
    start_time: m.info.startTime, elected_time: x.electedTime,
    activated_slaves: agents.length, deactivated_slaves: 0, unreachable_slaves: unreachable,
    leader: pid,
    leader_info: { id: m.info.id, pid, port: m.info.port, hostname: m.info.hostname, address: { hostname: m.info.hostname, ip: m.info.ip, port: m.info.port } },
    capabilities: ['AGENT_UPDATE', 'QUOTA_V2'],
    slaves: agents.map((a) => v0Agent(a, usage.byAgent.get(a.id) ?? Resources.EMPTY, x.offeredByAgent.get(a.id) ?? Resources.EMPTY)),
    recovered_slaves: [],
    frameworks: [...m.frameworks.values()].map((f) => v0Framework(f, usage.byFramework.get(f.id) ?? Resources.EMPTY, x.offeredByFramework.get(f.id) ?? Resources.EMPTY)),
    completed_frameworks: [], orphan_tasks: [], unregistered_frameworks: [],
  };
}
