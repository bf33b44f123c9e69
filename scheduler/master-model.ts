// The master's bookkeeping: agents, frameworks and tasks with their status history, as plain data
// mutated only through these functions, each returning the change events the operator stream sends
// (TASK_ADDED, TASK_UPDATED, AGENT_ADDED…). Offers and allocation live elsewhere (io/master.ts with
// the allocator); this file knows nothing about time or ids except what callers pass in. Pure.
import { Resources } from './resources.js';
import type { V1TaskInfo, V1TaskStatus } from './mesos-types.js';

export const TERMINAL_STATES: ReadonlySet<string> = new Set([
  'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR',
]);
export const isTerminal = (state: string): boolean => TERMINAL_STATES.has(state);
/** Completed tasks kept per framework (Mesos' --max_completed_tasks_per_framework defaults to 1000). */
export const MAX_COMPLETED_TASKS = 1000;

export interface AgentRec {
  id: string; hostname: string; ip: string; port: number;
  attributes: Record<string, string | number>;
  /** Total resources including static and dynamic reservations. */
  total: Resources;
  registeredTime: number; reregisteredTime?: number;
  /** Seconds since epoch of the last heartbeat or registration. */
  lastSeen: number;
  /** Set while the agent is unreachable (missed heartbeats); it is not listed in `slaves` then. */
  unreachableSince?: number;
  version: string;
}

export interface FrameworkRec {
  id: string; name: string; role: string; user: string; hostname: string; webuiUrl: string; principal?: string;
  failoverTimeout: number; checkpoint: boolean; capabilities: string[];
  registeredTime: number; reregisteredTime?: number; unregisteredTime: number;
  connected: boolean; active: boolean;
  /** Every task, active or completed, by id (insertion order = launch order). */
  tasks: Map<string, TaskRec>;
}

export interface TaskRec {
  info: V1TaskInfo;
  id: string; frameworkId: string; agentId: string; role: string;
  resources: Resources;
  state: string;
  statuses: V1TaskStatus[];
}

export type MasterEvent =
  | { type: 'TASK_ADDED'; task: TaskRec }
  | { type: 'TASK_UPDATED'; task: TaskRec; status: V1TaskStatus }
  | { type: 'AGENT_ADDED'; agent: AgentRec }
  | { type: 'AGENT_REMOVED'; agentId: string }
  | { type: 'FRAMEWORK_ADDED' | 'FRAMEWORK_UPDATED'; framework: FrameworkRec }
  | { type: 'FRAMEWORK_REMOVED'; framework: FrameworkRec };

export interface MasterInfo {
  readonly id: string; readonly ip: string; readonly port: number; readonly hostname: string;
  readonly version: string; readonly startTime: number;
}

export class MasterModel {
  readonly agents = new Map<string, AgentRec>();
  readonly frameworks = new Map<string, FrameworkRec>();
  nextAgent = 0;
  nextFramework = 0;
  constructor(readonly info: MasterInfo) {}

  newAgentId(): string { return `${this.info.id}-S${this.nextAgent++}`; }
  newFrameworkId(): string { return `${this.info.id}-${String(this.nextFramework++).padStart(4, '0')}`; }

  /** Add or replace an agent (registration or re-registration). */
  putAgent(agent: AgentRec): MasterEvent[] {
    this.agents.set(agent.id, agent);
    return [{ type: 'AGENT_ADDED', agent }];
  }

  /** Stop listing an agent (unreachable or removed); its active tasks get `state`. */
  dropAgent(agentId: string, state: 'TASK_UNREACHABLE' | 'TASK_LOST', now: number, remove: boolean): MasterEvent[] {
    const agent = this.agents.get(agentId);
    if (!agent) return [];
    const events: MasterEvent[] = [];
    const wasListed = agent.unreachableSince === undefined;
    if (remove) this.agents.delete(agentId);
    else agent.unreachableSince ??= now;
    if (wasListed) events.push({ type: 'AGENT_REMOVED', agentId });
    for (const t of this.tasksOnAgent(agentId)) {
      if (isTerminal(t.state) || t.state === state) continue;
      events.push(...this.updateStatus({
        task_id: { value: t.id }, agent_id: { value: agentId }, state, timestamp: now, source: 'SOURCE_MASTER',
        reason: state === 'TASK_UNREACHABLE' ? 'REASON_SLAVE_REMOVED' : 'REASON_SLAVE_REMOVED',
        message: state === 'TASK_UNREACHABLE' ? 'Agent is unreachable' : 'Agent was removed',
      }).events);
    }
    return events;
  }

  /** Active (non-terminal) tasks on an agent, including unreachable ones. */
  tasksOnAgent(agentId: string): TaskRec[] {
    const out: TaskRec[] = [];
    for (const f of this.frameworks.values()) for (const t of f.tasks.values()) if (t.agentId === agentId && !isTerminal(t.state)) out.push(t);
    return out;
  }

  findTask(taskId: string, frameworkId?: string): TaskRec | undefined {
    if (frameworkId !== undefined) return this.frameworks.get(frameworkId)?.tasks.get(taskId);
    for (const f of this.frameworks.values()) { const t = f.tasks.get(taskId); if (t) return t; }
    return undefined;
  }

  putFramework(fw: FrameworkRec, added: boolean): MasterEvent[] {
    this.frameworks.set(fw.id, fw);
    return [{ type: added ? 'FRAMEWORK_ADDED' : 'FRAMEWORK_UPDATED', framework: fw }];
  }

  removeFramework(id: string): MasterEvent[] {
    const fw = this.frameworks.get(id);
    if (!fw) return [];
    this.frameworks.delete(id);
    return [{ type: 'FRAMEWORK_REMOVED', framework: fw }];
  }

  /** Record a launched task (state TASK_STAGING until the agent reports). */
  addTask(frameworkId: string, info: V1TaskInfo, resources: Resources, role: string, now: number): { task: TaskRec; events: MasterEvent[] } | undefined {
    const fw = this.frameworks.get(frameworkId);
    if (!fw) return undefined;
    const id = info.task_id.value;
    const agentId = info.agent_id.value;
    const task: TaskRec = { info, id, frameworkId, agentId, role, resources, state: 'TASK_STAGING', statuses: [] };
    void now;
    fw.tasks.set(id, task);
    return { task, events: [{ type: 'TASK_ADDED', task }] };
  }

  /**
   * Apply a status update. Statuses keep one entry per consecutive state (a repeat replaces the last).
   * Terminal tasks past MAX_COMPLETED_TASKS are forgotten, oldest first.
   */
  updateStatus(status: V1TaskStatus): { task?: TaskRec; events: MasterEvent[]; becameTerminal: boolean; forgotten: string[] } {
    const task = this.findTask(status.task_id.value);
    if (!task) return { events: [], becameTerminal: false, forgotten: [] };
    if (isTerminal(task.state)) return { task, events: [], becameTerminal: false, forgotten: [] };
    const last = task.statuses[task.statuses.length - 1];
    if (last && last.state === status.state) task.statuses[task.statuses.length - 1] = status;
    else task.statuses.push(status);
    task.state = status.state;
    const becameTerminal = isTerminal(status.state);
    const forgotten = becameTerminal ? this.trimCompleted(task.frameworkId) : [];
    return { task, events: [{ type: 'TASK_UPDATED', task, status }], becameTerminal, forgotten };
  }

  /** Forget the oldest completed tasks beyond MAX_COMPLETED_TASKS; returns their ids. */
  private trimCompleted(frameworkId: string): string[] {
    const fw = this.frameworks.get(frameworkId);
    if (!fw) return [];
    const done = [...fw.tasks.values()].filter((t) => isTerminal(t.state));
    const drop = done.slice(0, Math.max(0, done.length - MAX_COMPLETED_TASKS)).map((t) => t.id);
    for (const id of drop) fw.tasks.delete(id);
    return drop;
  }

  /** Resources used by active tasks on an agent. */
  usedOn(agentId: string): Resources {
    let r = Resources.EMPTY;
    for (const t of this.tasksOnAgent(agentId)) if (t.state !== 'TASK_UNREACHABLE') r = r.add(t.resources);
    return r;
  }

  usedBy(frameworkId: string): Resources {
    let r = Resources.EMPTY;
    const fw = this.frameworks.get(frameworkId);
    for (const t of fw?.tasks.values() ?? []) if (!isTerminal(t.state) && t.state !== 'TASK_UNREACHABLE') r = r.add(t.resources);
    return r;
  }

  /** Resources used by active reachable tasks, per agent id and per framework id, in one pass. */
  usage(): { byAgent: Map<string, Resources>; byFramework: Map<string, Resources> } {
    const byAgent = new Map<string, Resources>();
    const byFramework = new Map<string, Resources>();
    for (const f of this.frameworks.values()) {
      let fwSum = Resources.EMPTY;
      for (const t of f.tasks.values()) {
        if (isTerminal(t.state) || t.state === 'TASK_UNREACHABLE') continue;
        fwSum = fwSum.add(t.resources);
        byAgent.set(t.agentId, (byAgent.get(t.agentId) ?? Resources.EMPTY).add(t.resources));
      }
      byFramework.set(f.id, fwSum);
    }
    return { byAgent, byFramework };
  }

  /** Agents listed in state (registered and reachable). */
  listedAgents(): AgentRec[] {
    return [...this.agents.values()].filter((a) => a.unreachableSince === undefined);
  }
}

/** Mesos agent attributes text (`rack:r1;level:3`) → object; numeric values become numbers. */
export function parseAttributes(text: string): { attributes: Record<string, string | number>; problems: string[] } {
  const attributes: Record<string, string | number> = {};
  const problems: string[] = [];
  for (const part of text.split(';').map((s) => s.trim()).filter((s) => s)) {
    const m = /^([A-Za-z0-9_.-]+):(.+)$/.exec(part);
    if (!m) { problems.push(`attribute '${part}' is not name:value`); continue; }
    const v = m[2]!.trim();
    attributes[m[1]!] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  return { attributes, problems };
}
