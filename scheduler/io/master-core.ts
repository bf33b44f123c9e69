// The master's engine: the model, the allocator, outstanding offers, framework connections and
// operator subscribers, wired together. No HTTP here (master-http.ts) and no timers (master.ts calls
// tick()); agents are reached through an AgentLink so tests can fake them.
import { Allocator, type Offer } from '../allocator.js';
import { Resources } from '../resources.js';
import { MasterModel, isTerminal, type AgentRec, type FrameworkRec, type MasterEvent, type TaskRec } from '../master-model.js';
import type { V1FrameworkInfo, V1Offer, V1TaskInfo, V1TaskStatus } from '../mesos-types.js';
import { renderMasterState } from '../state-json.js';
import { v1Attributes, v1Event, v1GetState } from '../v1-json.js';
import type { MasterConfig } from '../config.js';
import type { Store } from '../store.js';
import { MasterPersistence } from './master-persist.js';

export interface FrameworkConn { send(event: Record<string, unknown>): void; close(): void }
export interface AgentLink {
  launch(agent: AgentRec, frameworkId: string, task: V1TaskInfo): Promise<void>;
  kill(agent: AgentRec, frameworkId: string, taskId: string): Promise<void>;
}
export interface CoreDeps {
  /** Milliseconds since epoch. */
  now(): number;
  uuid(): string;
  rng(): number;
  agentLink: AgentLink;
  log(msg: string): void;
}
export interface OfferRec { id: string; frameworkId: string; agentId: string; role: string; resources: Resources }

export class MasterCore {
  readonly allocator = new Allocator();
  readonly offers = new Map<string, OfferRec>();
  readonly conns = new Map<string, FrameworkConn>();
  readonly disconnectedAt = new Map<string, number>();
  readonly subscribers = new Set<(event: Record<string, unknown>) => void>();
  readonly electedTime: number;
  /** Role weights and quotas as set by operators (persisted in namespace `master`). */
  readonly weights = new Map<string, number>();
  readonly quotas = new Map<string, { guarantees: Record<string, number>; limits: Record<string, number> }>();
  private allocQueued = false;

  private constructor(readonly config: MasterConfig, readonly model: MasterModel, readonly persist: MasterPersistence, readonly deps: CoreDeps) {
    this.electedTime = deps.now() / 1000;
  }

  /** Open on a store: recover the previous run's agents, frameworks, tasks and policy if present. */
  static async open(config: MasterConfig, store: Store, deps: CoreDeps): Promise<MasterCore> {
    const persist = new MasterPersistence(store);
    const nowS = deps.now() / 1000;
    const info = { id: persist.previousId() ?? deps.uuid(), ip: config.ip, port: config.port, hostname: config.hostname, version: config.version, startTime: nowS };
    const core = new MasterCore(config, persist.load(info, nowS), persist, deps);
    const policy = persist.policy();
    core.allocator.updateWeights(policy.weights);
    for (const w of policy.weights) core.weights.set(w.role, w.weight);
    for (const [role, q] of Object.entries(policy.quotas)) { core.allocator.updateQuota(role, q); core.quotas.set(role, q); }
    for (const f of core.model.frameworks.values()) {
      core.allocator.addFramework(f.id, { roles: [f.role], active: false });
      core.disconnectedAt.set(f.id, deps.now());
    }
    for (const a of core.model.agents.values()) if (a.unreachableSince === undefined) core.addAgentToAllocator(a);
    await persist.saveMeta(core.model);
    return core;
  }

  nowS(): number { return this.deps.now() / 1000; }

  savePolicy(): void {
    this.persist.savePolicy({
      weights: [...this.weights].map(([role, weight]) => ({ role, weight })),
      quotas: Object.fromEntries(this.quotas),
    }).catch((e) => this.deps.log(`store write failed: ${String(e)}`));
  }

  /** Apply model events: persist what changed, tell operator subscribers. */
  emit(events: MasterEvent[]): void {
    for (const e of events) {
      const p = this.persistEvent(e);
      p.catch((err) => this.deps.log(`store write failed: ${String(err)}`));
      if (this.subscribers.size) {
        const v1 = v1Event(this.model, e);
        for (const s of this.subscribers) s(v1);
      }
    }
  }

  private persistEvent(e: MasterEvent): Promise<void> {
    switch (e.type) {
      case 'TASK_ADDED': case 'TASK_UPDATED': return this.persist.saveTask(e.task);
      case 'AGENT_ADDED': return Promise.all([this.persist.saveAgent(e.agent), this.persist.saveMeta(this.model)]).then(() => undefined);
      case 'AGENT_REMOVED': { const a = this.model.agents.get(e.agentId); return a ? this.persist.saveAgent(a) : this.persist.deleteAgent(e.agentId); }
      case 'FRAMEWORK_ADDED': case 'FRAMEWORK_UPDATED': return Promise.all([this.persist.saveFramework(e.framework), this.persist.saveMeta(this.model)]).then(() => undefined);
      case 'FRAMEWORK_REMOVED': return this.persist.deleteFramework(e.framework);
    }
  }

  addAgentToAllocator(a: AgentRec): void {
    const used = this.model.tasksOnAgent(a.id).filter((t) => t.state !== 'TASK_UNREACHABLE')
      .map((t) => ({ frameworkId: t.frameworkId, role: t.role, resources: t.resources }));
    this.allocator.addAgent(a.id, { total: a.total, used });
    this.kick();
  }

  // ---------------- offers ----------------
  offeredBy(key: 'agentId' | 'frameworkId'): Map<string, Resources> {
    const out = new Map<string, Resources>();
    for (const o of this.offers.values()) out.set(o[key], (out.get(o[key]) ?? Resources.EMPTY).add(o.resources));
    return out;
  }

  /** Withdraw offers (agent gone, framework gone/disconnected); resources go back without a filter. */
  rescind(match: (o: OfferRec) => boolean, recover = true): void {
    for (const o of [...this.offers.values()]) {
      if (!match(o)) continue;
      this.offers.delete(o.id);
      if (recover) this.allocator.recoverResources(o.frameworkId, o.agentId, o.resources, undefined, this.deps.now(), o.role);
      this.conns.get(o.frameworkId)?.send({ type: 'RESCIND', rescind: { offer_id: { value: o.id } } });
    }
  }

  /** Schedule an event-driven allocation (batched: one run per turn of the event loop). */
  kick(): void {
    if (this.allocQueued) return;
    this.allocQueued = true;
    setImmediate(() => {
      this.allocQueued = false;
      if (this.allocator.hasPending()) this.sendOffers(this.allocator.allocatePending(this.deps.now(), this.deps.rng));
    });
  }

  allocatePeriodic(): void {
    this.sendOffers(this.allocator.allocate(this.deps.now(), this.deps.rng));
  }

  private sendOffers(offers: Offer[]): void {
    const byFw = new Map<string, V1Offer[]>();
    for (const o of offers) {
      const agent = this.model.agents.get(o.agentId);
      const conn = this.conns.get(o.frameworkId);
      if (!agent || !conn) {
        this.allocator.recoverResources(o.frameworkId, o.agentId, o.resources, undefined, this.deps.now(), o.role);
        continue;
      }
      const id = `${this.model.info.id}-O${this.deps.uuid().slice(0, 8)}`;
      this.offers.set(id, { id, frameworkId: o.frameworkId, agentId: o.agentId, role: o.role, resources: o.resources });
      const list = byFw.get(o.frameworkId) ?? [];
      list.push({
        id: { value: id }, framework_id: { value: o.frameworkId }, agent_id: { value: o.agentId }, hostname: agent.hostname,
        resources: o.resources.toV1(), url: { scheme: 'http', address: { hostname: agent.hostname, ip: agent.ip, port: agent.port }, path: '/slave(1)' },
        attributes: v1Attributes(agent.attributes),
        ...({ allocation_info: { role: o.role } } as object),
      });
      byFw.set(o.frameworkId, list);
    }
    for (const [fw, list] of byFw) this.conns.get(fw)?.send({ type: 'OFFERS', offers: { offers: list } });
  }

  // ---------------- tasks ----------------
  /** A status for a task (from an agent, or made up by the master): record, forward, free resources. */
  applyStatus(status: V1TaskStatus): TaskRec | undefined {
    const r = this.model.updateStatus(status);
    if (!r.task) return undefined;
    for (const id of r.forgotten) this.persist.deleteTask(id).catch(() => undefined);
    this.emit(r.events);
    if (r.events.length) this.conns.get(r.task.frameworkId)?.send({ type: 'UPDATE', update: { status } });
    if (r.becameTerminal && this.model.agents.get(r.task.agentId)?.unreachableSince === undefined) {
      this.allocator.recoverResources(r.task.frameworkId, r.task.agentId, r.task.resources, undefined, this.deps.now(), r.task.role);
    }
    return r.task;
  }

  masterStatus(task: TaskRec, state: string, reason: string, message: string): void {
    this.applyStatus({
      task_id: { value: task.id }, agent_id: { value: task.agentId }, state, timestamp: this.nowS(),
      source: 'SOURCE_MASTER', reason, message, uuid: this.deps.uuid(),
    });
  }

  // ---------------- frameworks ----------------
  frameworkFromInfo(info: V1FrameworkInfo, id: string, existing: FrameworkRec | undefined): FrameworkRec {
    const now = this.nowS();
    return {
      id, name: info.name ?? 'framework', role: info.role ?? info.roles?.[0] ?? '*', user: info.user ?? 'root',
      hostname: info.hostname ?? this.config.hostname, webuiUrl: info.webui_url ?? '',
      ...(info.principal !== undefined ? { principal: info.principal } : {}),
      failoverTimeout: info.failover_timeout ?? 0, checkpoint: info.checkpoint ?? false,
      capabilities: (info.capabilities ?? []).map((c) => c.type).filter((c) => typeof c === 'string'),
      registeredTime: existing?.registeredTime ?? now, ...(existing ? { reregisteredTime: now } : {}), unregisteredTime: 0,
      connected: true, active: true, tasks: existing?.tasks ?? new Map(),
    };
  }

  /** Remove a framework for good: kill its tasks, drop its offers and allocations. */
  teardown(frameworkId: string): void {
    const fw = this.model.frameworks.get(frameworkId);
    if (!fw) return;
    this.rescind((o) => o.frameworkId === frameworkId, false);
    for (const t of fw.tasks.values()) {
      if (isTerminal(t.state)) continue;
      const agent = this.model.agents.get(t.agentId);
      if (agent) this.deps.agentLink.kill(agent, frameworkId, t.id).catch(() => undefined);
    }
    this.conns.get(frameworkId)?.close();
    this.conns.delete(frameworkId);
    this.disconnectedAt.delete(frameworkId);
    this.allocator.removeFramework(frameworkId);
    this.emit(this.model.removeFramework(frameworkId));
  }

  // ---------------- reading ----------------
  state(): Record<string, unknown> {
    return renderMasterState(this.model, { offeredByAgent: this.offeredBy('agentId'), offeredByFramework: this.offeredBy('frameworkId'), electedTime: this.electedTime });
  }
  getState(): Record<string, unknown> { return v1GetState(this.model, this.offeredBy('agentId')); }
}
