// The master model ↔ the store. Namespaces: `master` (key `meta`: master id and id counters;
// `weights`, `quotas`), `master-agents` (agent id → agent), `master-frameworks` (framework id →
// framework without tasks), `master-tasks` (task id → task). Writes are per record, issued after
// each change; the store coalesces file writes.
import { Resources } from '../resources.js';
import { MasterModel, type AgentRec, type FrameworkRec, type MasterInfo, type TaskRec } from '../master-model.js';
import type { Records, Store } from '../store.js';

export interface Persisted {
  meta: { id: string; nextAgent: number; nextFramework: number } | undefined;
  weights: Array<{ role: string; weight: number }>;
  quotas: Record<string, { guarantees: Record<string, number>; limits: Record<string, number> }>;
}

function resources(v: unknown): Resources {
  const r = Resources.fromV1(v, { allowUnknown: true });
  return r.ok ? r.value : Resources.EMPTY;
}

export class MasterPersistence {
  private readonly meta: Records;
  private readonly agents: Records;
  private readonly frameworks: Records;
  private readonly tasks: Records;

  constructor(private readonly store: Store) {
    this.meta = store.records('master');
    this.agents = store.records('master-agents');
    this.frameworks = store.records('master-frameworks');
    this.tasks = store.records('master-tasks');
  }

  /** The id of a previous run, if any (a restarted master keeps its id, so agent ids stay valid). */
  previousId(): string | undefined {
    const m = this.meta.get('meta') as Persisted['meta'];
    return typeof m?.id === 'string' ? m.id : undefined;
  }

  policy(): Pick<Persisted, 'weights' | 'quotas'> {
    return {
      weights: (this.meta.get('weights') as Persisted['weights'] | undefined) ?? [],
      quotas: (this.meta.get('quotas') as Persisted['quotas'] | undefined) ?? {},
    };
  }

  /** Rebuild a model from the store. Frameworks come back disconnected until they re-subscribe. */
  load(info: MasterInfo, now: number): MasterModel {
    const m = new MasterModel(info);
    const meta = this.meta.get('meta') as Persisted['meta'];
    if (meta?.id === info.id) { m.nextAgent = meta.nextAgent; m.nextFramework = meta.nextFramework; }
    for (const [, v] of this.agents.list()) {
      const a = v as Record<string, any>;
      const agent: AgentRec = {
        id: a['id'], hostname: a['hostname'], ip: a['ip'], port: a['port'], attributes: a['attributes'] ?? {},
        total: resources(a['total']), registeredTime: a['registeredTime'], version: a['version'] ?? '',
        ...(a['reregisteredTime'] !== undefined ? { reregisteredTime: a['reregisteredTime'] } : {}),
        lastSeen: now,
        ...(a['unreachableSince'] !== undefined ? { unreachableSince: a['unreachableSince'] } : {}),
      };
      m.agents.set(agent.id, agent);
    }
    for (const [, v] of this.frameworks.list()) {
      const f = v as Omit<FrameworkRec, 'tasks'>;
      m.frameworks.set(f.id, { ...f, connected: false, active: false, unregisteredTime: now, tasks: new Map() });
    }
    for (const [, v] of this.tasks.list()) {
      const t = v as Record<string, any>;
      const fw = m.frameworks.get(t['frameworkId']);
      if (!fw) continue;
      const task: TaskRec = {
        info: t['info'], id: t['id'], frameworkId: t['frameworkId'], agentId: t['agentId'], role: t['role'],
        resources: resources(t['resources']), state: t['state'], statuses: t['statuses'] ?? [],
      };
      fw.tasks.set(task.id, task);
    }
    return m;
  }

  saveMeta(m: MasterModel): Promise<void> {
    return this.meta.put('meta', { id: m.info.id, nextAgent: m.nextAgent, nextFramework: m.nextFramework });
  }

  savePolicy(p: Pick<Persisted, 'weights' | 'quotas'>): Promise<void> {
    return Promise.all([this.meta.put('weights', p.weights), this.meta.put('quotas', p.quotas)]).then(() => undefined);
  }

  saveAgent(a: AgentRec): Promise<void> {
    const { total, lastSeen: _l, ...rest } = a;
    return this.agents.put(a.id, { ...rest, total: total.toV1() });
  }

  deleteAgent(id: string): Promise<void> { return this.agents.delete(id); }

  saveFramework(f: FrameworkRec): Promise<void> {
    const { tasks: _t, ...rest } = f;
    return this.frameworks.put(f.id, rest);
  }

  deleteFramework(f: FrameworkRec): Promise<void> {
    return Promise.all([this.frameworks.delete(f.id), ...[...f.tasks.keys()].map((id) => this.tasks.delete(id))]).then(() => undefined);
  }

  saveTask(t: TaskRec): Promise<void> {
    const { resources: r, ...rest } = t;
    return this.tasks.put(t.id, { ...rest, resources: r.toV1() });
  }

  deleteTask(id: string): Promise<void> { return this.tasks.delete(id); }

  flush(): Promise<void> { return this.store.flush(); }
}
