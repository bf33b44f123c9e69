// The scheduler side of the master: SUBSCRIBE (with failover by framework id) and the calls of the
// Mesos v1 scheduler API (ACCEPT with LAUNCH, DECLINE, KILL, ACKNOWLEDGE, RECONCILE, REVIVE,
// SUPPRESS, TEARDOWN), in their JSON shapes. Each call answers 202 or a 4xx reason.
import { Resources } from '../resources.js';
import { isTerminal } from '../master-model.js';
import type { V1FrameworkInfo, V1TaskInfo, V1TaskStatus } from '../mesos-types.js';
import type { FrameworkConn, MasterCore } from './master-core.js';

export interface CallError { status: number; message: string }
type Obj = Record<string, any>;

export function subscribe(core: MasterCore, info: V1FrameworkInfo, conn: FrameworkConn): string {
  const m = core.model;
  const requested = typeof info.id?.value === 'string' && info.id.value !== '' ? info.id.value : undefined;
  const existing = requested !== undefined ? m.frameworks.get(requested) : undefined;
  const id = requested ?? m.newFrameworkId();
  const old = core.conns.get(id);
  if (old && old !== conn) old.close();
  core.conns.set(id, conn);
  core.disconnectedAt.delete(id);
  const fw = core.frameworkFromInfo(info, id, existing);
  const events = m.putFramework(fw, !existing);
  core.allocator.addFramework(id, { roles: [fw.role], capabilities: fw.capabilities, active: true });
  core.allocator.activateFramework(id);
  core.kick();
  conn.send({ type: 'SUBSCRIBED', subscribed: { framework_id: { value: id }, heartbeat_interval_seconds: core.config.streamHeartbeatSeconds } });
  core.emit(events);
  core.deps.log(`framework ${fw.name} (${id}) ${existing ? 're-subscribed' : 'subscribed'} in role ${fw.role}`);
  return id;
}

/** The framework's stream closed: inactive, offers withdrawn; removed after its failover timeout. */
export function disconnected(core: MasterCore, id: string, conn: FrameworkConn): void {
  if (core.conns.get(id) !== conn) return;
  core.conns.delete(id);
  const fw = core.model.frameworks.get(id);
  if (!fw) return;
  core.rescind((o) => o.frameworkId === id);
  core.allocator.deactivateFramework(id);
  fw.connected = false;
  fw.active = false;
  core.disconnectedAt.set(id, core.deps.now());
  core.emit([{ type: 'FRAMEWORK_UPDATED', framework: fw }]);
}

/** Periodic: disconnected frameworks past their failover timeout are torn down. */
export function checkFrameworks(core: MasterCore): void {
  for (const [id, since] of [...core.disconnectedAt]) {
    const fw = core.model.frameworks.get(id);
    if (!fw) { core.disconnectedAt.delete(id); continue; }
    if (core.deps.now() - since > fw.failoverTimeout * 1000) core.teardown(id);
  }
}

const ids = (list: unknown): string[] => (Array.isArray(list) ? list.map((x: Obj) => x?.['value']).filter((v): v is string => typeof v === 'string') : []);

export function handleCall(core: MasterCore, frameworkId: string, call: Obj): CallError | undefined {
  const fw = core.model.frameworks.get(frameworkId);
  if (!fw) return { status: 404, message: `Framework '${frameworkId}' is not subscribed` };
  const now = core.deps.now();
  switch (call['type']) {
    case 'ACCEPT': return accept(core, frameworkId, call['accept'] ?? {});
    case 'DECLINE': {
      const refuse = call['decline']?.['filters']?.['refuse_seconds'];
      for (const id of ids(call['decline']?.['offer_ids'])) {
        const o = core.offers.get(id);
        if (!o || o.frameworkId !== frameworkId) continue;
        core.offers.delete(id);
        core.allocator.recoverResources(frameworkId, o.agentId, o.resources, { refuseSeconds: refuse }, now, o.role);
      }
      return undefined;
    }
    case 'KILL': {
      const taskId = call['kill']?.['task_id']?.['value'];
      if (typeof taskId !== 'string') return { status: 400, message: 'kill.task_id.value is required' };
      const t = fw.tasks.get(taskId);
      if (!t || isTerminal(t.state)) {
        sendUnknown(core, frameworkId, taskId, call['kill']?.['agent_id']?.['value'], 'Attempted to kill an unknown task');
        return undefined;
      }
      const agent = core.model.agents.get(t.agentId);
      if (agent && agent.unreachableSince === undefined) {
        core.deps.agentLink.kill(agent, frameworkId, taskId).catch((e) => core.deps.log(`kill ${taskId}: ${String(e)}`));
      }
      return undefined;
    }
    case 'ACKNOWLEDGE': case 'ACKNOWLEDGE_OPERATION_STATUS': case 'MESSAGE': case 'REQUEST': return undefined;
    case 'RECONCILE': {
      const wanted = Array.isArray(call['reconcile']?.['tasks']) ? call['reconcile']['tasks'] as Obj[] : [];
      const list = wanted.length ? wanted.map((x) => x?.['task_id']?.['value']).filter((v): v is string => typeof v === 'string') : [...fw.tasks.values()].filter((t) => !isTerminal(t.state)).map((t) => t.id);
      for (const taskId of list) {
        const t = fw.tasks.get(taskId);
        const last = t?.statuses[t.statuses.length - 1];
        if (!t) { sendUnknown(core, frameworkId, taskId, undefined, 'Reconciliation: task is unknown'); continue; }
        const status: V1TaskStatus = last ? { ...last, reason: 'REASON_RECONCILIATION' } : { task_id: { value: t.id }, agent_id: { value: t.agentId }, state: t.state, timestamp: core.nowS(), source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' };
        core.conns.get(frameworkId)?.send({ type: 'UPDATE', update: { status } });
      }
      return undefined;
    }
    case 'REVIVE': core.allocator.reviveOffers(frameworkId, call['revive']?.['roles']); core.kick(); return undefined;
    case 'SUPPRESS': core.allocator.suppressOffers(frameworkId, call['suppress']?.['roles']); return undefined;
    case 'TEARDOWN': core.teardown(frameworkId); return undefined;
    default: return { status: 400, message: `Unsupported call type '${String(call['type'])}'` };
  }
}

function sendUnknown(core: MasterCore, frameworkId: string, taskId: string, agentId: string | undefined, message: string): void {
  const status: V1TaskStatus = { task_id: { value: taskId }, state: 'TASK_LOST', timestamp: core.nowS(), source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION', message,
    ...(agentId ? { agent_id: { value: agentId } } : {}) };
  core.conns.get(frameworkId)?.send({ type: 'UPDATE', update: { status } });
}

function accept(core: MasterCore, frameworkId: string, a: Obj): CallError | undefined {
  const offerIds = ids(a['offer_ids']);
  const offers = offerIds.map((id) => core.offers.get(id));
  if (offers.some((o) => !o || o.frameworkId !== frameworkId)) {
    // Mesos answers 202 and reports each task TASK_DROPPED when an offer is gone (rescinded, used).
    for (const op of a['operations'] ?? []) for (const ti of op?.['launch']?.['task_infos'] ?? []) {
      sendUnknownState(core, frameworkId, ti, 'TASK_DROPPED', 'Offer is no longer valid');
    }
    for (const o of offers) if (o && o.frameworkId === frameworkId) { core.offers.delete(o.id); core.allocator.recoverResources(frameworkId, o.agentId, o.resources, undefined, core.deps.now(), o.role); }
    return undefined;
  }
  const valid = offers as NonNullable<(typeof offers)[number]>[];
  if (valid.length === 0) return { status: 400, message: 'accept.offer_ids is empty' };
  const agentId = valid[0]!.agentId;
  if (valid.some((o) => o.agentId !== agentId)) return { status: 400, message: 'offers of one ACCEPT must come from one agent' };
  for (const o of valid) core.offers.delete(o.id);
  let remaining = valid.reduce((r, o) => r.add(o.resources), Resources.EMPTY);
  const role = valid[0]!.role;
  const agent = core.model.agents.get(agentId);
  for (const op of a['operations'] ?? []) {
    if (op?.['type'] !== 'LAUNCH') continue;
    for (const ti of op?.['launch']?.['task_infos'] ?? []) {
      const info = ti as V1TaskInfo;
      const res = Resources.fromV1(info?.resources);
      const taskId = info?.task_id?.value;
      const problem = !agent ? 'agent is gone' : typeof taskId !== 'string' || taskId === '' ? 'task_id is required'
        : !res.ok ? `resources: ${res.error.map((p) => p.message).join('; ')}`
          : core.model.findTask(taskId) && !isTerminal(core.model.findTask(taskId)!.state) ? `task id '${taskId}' is already in use`
            : !remaining.contains(res.value) ? `task uses resources not in the offer (${res.value.toString()} vs ${remaining.toString()})` : undefined;
      if (problem || !res.ok || !agent) { sendUnknownState(core, frameworkId, ti, 'TASK_ERROR', problem ?? 'invalid task'); continue; }
      remaining = remaining.subtract(res.value);
      const added = core.model.addTask(frameworkId, { ...info, agent_id: { value: agentId } }, res.value, role, core.nowS());
      if (!added) continue;
      core.emit(added.events);
      core.deps.agentLink.launch(agent, frameworkId, added.task.info).catch((e) => {
        core.masterStatus(added.task, 'TASK_FAILED', 'REASON_AGENT_UNREACHABLE' as string, `launch failed: ${String(e)}`);
      });
    }
  }
  if (!remaining.isEmpty()) core.allocator.recoverResources(frameworkId, agentId, remaining, { refuseSeconds: a['filters']?.['refuse_seconds'] }, core.deps.now(), role);
  return undefined;
}

function sendUnknownState(core: MasterCore, frameworkId: string, ti: Obj, state: string, message: string): void {
  const taskId = ti?.['task_id']?.['value'];
  if (typeof taskId !== 'string') return;
  const status: V1TaskStatus = { task_id: { value: taskId }, state, timestamp: core.nowS(), source: 'SOURCE_MASTER', reason: 'REASON_TASK_INVALID', message };
  core.conns.get(frameworkId)?.send({ type: 'UPDATE', update: { status } });
}
