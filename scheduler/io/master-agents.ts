// Agent ↔ master protocol (our own JSON; both ends are ours): register/re-register, heartbeat, status
// updates, and the periodic check that marks silent agents unreachable and later removes them.
import { err, ok, type Problem, type Result } from '../../src/kernel/errors.js';
import { Resources } from '../resources.js';
import { isTerminal, parseAttributes, type AgentRec } from '../master-model.js';
import type { V1TaskStatus } from '../mesos-types.js';
import type { MasterCore } from './master-core.js';

export interface RegisterRequest {
  agent_id?: string; hostname: string; ip: string; port: number; resources: string; attributes?: string; version?: string;
  /** Tasks the agent runs, with their latest status (re-registration). */
  tasks?: Array<{ framework_id: string; task_id: string; status: V1TaskStatus }>;
}
export interface RegisterReply { agent_id: string; master_id: string; epoch: number; heartbeat_interval_seconds: number; kill: string[] }

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseRegister(body: unknown): Result<RegisterRequest, Problem[]> {
  const p: Problem[] = [];
  if (!isObj(body)) return err([{ path: '', message: 'expected a JSON object' }]);
  for (const k of ['hostname', 'ip', 'resources'] as const) if (typeof body[k] !== 'string' || body[k] === '') p.push({ path: k, message: 'required string' });
  if (!Number.isInteger(body['port']) || (body['port'] as number) <= 0 || (body['port'] as number) > 65535) p.push({ path: 'port', message: 'must be a port number' });
  if (body['tasks'] !== undefined && !Array.isArray(body['tasks'])) p.push({ path: 'tasks', message: 'must be an array' });
  return p.length ? err(p) : ok(body as unknown as RegisterRequest);
}

export function registerAgent(core: MasterCore, req: RegisterRequest): Result<RegisterReply, Problem[]> {
  const total = Resources.parse(req.resources);
  if (!total.ok) return err(total.error);
  const attrs = parseAttributes(req.attributes ?? '');
  if (attrs.problems.length) return err(attrs.problems.map((message) => ({ path: 'attributes', message })));
  const now = core.nowS();
  const m = core.model;
  const known = req.agent_id !== undefined ? m.agents.get(req.agent_id) : undefined;
  const kill: string[] = [];
  let agent: AgentRec;
  if (known) {
    core.rescind((o) => o.agentId === known.id);
    core.allocator.removeAgent(known.id);
    agent = { ...known, hostname: req.hostname, ip: req.ip, port: req.port, attributes: attrs.attributes, version: req.version ?? known.version, reregisteredTime: now, lastSeen: now };
    delete agent.unreachableSince;
    m.agents.set(agent.id, agent);
    const reported = new Map((req.tasks ?? []).map((t) => [t.task_id, t]));
    for (const t of m.tasksOnAgent(agent.id)) {
      const r = reported.get(t.id);
      if (!r) { core.masterStatus(t, 'TASK_LOST', 'REASON_SLAVE_RESTARTED', 'Task not known to the re-registered agent'); continue; }
      if (r.status.state !== t.state || t.state === 'TASK_UNREACHABLE') core.applyStatus({ ...r.status, timestamp: r.status.timestamp ?? now });
    }
    for (const r of reported.values()) {
      const t = m.findTask(r.task_id, r.framework_id);
      if (!t || t.agentId !== agent.id || isTerminal(t.state)) if (!isTerminal(r.status.state)) kill.push(r.task_id);
    }
  } else {
    agent = { id: m.newAgentId(), hostname: req.hostname, ip: req.ip, port: req.port, attributes: attrs.attributes, total: total.value,
      registeredTime: now, lastSeen: now, version: req.version ?? core.config.version };
    for (const r of req.tasks ?? []) if (!isTerminal(r.status.state)) kill.push(r.task_id);
    m.agents.set(agent.id, agent);
  }
  core.emit([{ type: 'AGENT_ADDED', agent }]);
  core.addAgentToAllocator(agent);
  core.deps.log(`agent ${agent.id} ${known ? 're-registered' : 'registered'} from ${agent.ip}:${agent.port}`);
  return ok({ agent_id: agent.id, master_id: m.info.id, epoch: m.info.startTime, heartbeat_interval_seconds: Math.max(0.05, core.config.agentTimeoutSeconds / 5), kill });
}

/** A heartbeat: false when the agent must (re-)register (unknown or currently unreachable). */
export function heartbeat(core: MasterCore, agentId: string): boolean {
  const a = core.model.agents.get(agentId);
  if (!a || a.unreachableSince !== undefined) return false;
  a.lastSeen = core.nowS();
  return true;
}

export function agentStatus(core: MasterCore, agentId: string, status: V1TaskStatus): Result<void, Problem[]> {
  if (!isObj(status) || !isObj(status.task_id) || typeof status.task_id.value !== 'string' || typeof status.state !== 'string') {
    return err([{ path: 'status', message: 'needs task_id.value and state' }]);
  }
  const task = core.model.findTask(status.task_id.value);
  if (!task || task.agentId !== agentId) return ok(undefined); // unknown: acknowledged and dropped
  const last = task.statuses[task.statuses.length - 1];
  if (status.uuid !== undefined && last?.uuid === status.uuid) return ok(undefined); // a retry we already have
  core.applyStatus({ ...status, agent_id: { value: agentId }, source: status.source ?? 'SOURCE_EXECUTOR' });
  return ok(undefined);
}

/** Periodic: agents silent past the timeout become unreachable; unreachable past the removal time are removed. */
export function checkAgents(core: MasterCore): void {
  const now = core.nowS();
  const c = core.config;
  for (const a of [...core.model.agents.values()]) {
    if (a.unreachableSince === undefined && now - a.lastSeen > c.agentTimeoutSeconds) {
      core.deps.log(`agent ${a.id} unreachable (no heartbeat for ${(now - a.lastSeen).toFixed(1)} s)`);
      core.rescind((o) => o.agentId === a.id);
      core.allocator.removeAgent(a.id);
      dropWithStatuses(core, a.id, 'TASK_UNREACHABLE', false);
    } else if (a.unreachableSince !== undefined && now - a.unreachableSince > c.agentRemovalSeconds) {
      core.deps.log(`agent ${a.id} removed (unreachable for ${(now - a.unreachableSince).toFixed(1)} s)`);
      dropWithStatuses(core, a.id, 'TASK_LOST', true);
    }
  }
}

function dropWithStatuses(core: MasterCore, agentId: string, state: 'TASK_UNREACHABLE' | 'TASK_LOST', remove: boolean): void {
  const events = core.model.dropAgent(agentId, state, core.nowS(), remove);
  core.emit(events);
  for (const e of events) if (e.type === 'TASK_UPDATED') core.conns.get(e.task.frameworkId)?.send({ type: 'UPDATE', update: { status: e.status } });
}
