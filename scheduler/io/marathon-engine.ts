// Marathon's engine: apps and their tasks, kept at `instances` through the master's offers and status
// updates (launch, replace failed/lost/unhealthy tasks with backoff, scale down, roll to a new
// config), deployments, and the event bus behind `/v2/events`. Persistence in the store:
// `marathon` (framework id), `marathon-apps`, `marathon-tasks`.
import { randomUUID } from 'node:crypto';
import type { MarathonConfig } from '../config.js';
import type { App } from '../marathon-app.js';
import { Resources } from '../resources.js';
import { event, instanceId, statusUpdateEvent, type Deployment, type MTask } from '../marathon-json.js';
import { backoffMs, converged, fillOffer, kills, missing, type AppRuntime } from '../marathon-plan.js';
import type { Placement } from '../marathon-constraints.js';
import type { Records, Store } from '../store.js';
import type { V1TaskStatus } from '../mesos-types.js';
import { SchedulerClient } from './scheduler-client.js';

type Obj = Record<string, any>;
const TERMINAL = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN']);
const iso = (ms: number) => new Date(ms).toISOString();

export class MarathonEngine {
  readonly apps = new Map<string, App>();
  readonly tasks = new Map<string, MTask>();
  readonly deployments = new Map<string, Deployment>();
  readonly failures = new Map<string, { count: number; until: number; last?: Obj }>();
  readonly placements = new Map<string, Placement>();
  readonly listeners = new Set<(e: Obj) => void>();
  readonly client: SchedulerClient;
  private readonly appRecs: Records;
  private readonly taskRecs: Records;
  private readonly meta: Records;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly config: MarathonConfig, store: Store, readonly log: (m: string) => void) {
    this.meta = store.records('marathon');
    this.appRecs = store.records('marathon-apps');
    this.taskRecs = store.records('marathon-tasks');
    for (const [id, a] of this.appRecs.list()) this.apps.set(id, a as App);
    for (const [id, t] of this.taskRecs.list()) this.tasks.set(id, t as MTask);
    const fwId = this.meta.get('framework-id');
    this.client = new SchedulerClient({
      master: config.master, log,
      info: { user: 'root', name: config.frameworkName, role: config.role, failover_timeout: 604800, checkpoint: true,
        hostname: config.hostname, webui_url: `http://${config.hostname}:${config.port}`,
        capabilities: [{ type: 'PARTITION_AWARE' }, { type: 'TASK_KILLING_STATE' }],
        ...(typeof fwId === 'string' ? { id: { value: fwId } } : {}) },
      onEvent: (e) => this.onEvent(e),
      onSubscribed: (id) => {
        void this.meta.put('framework-id', id);
        this.publish(event('scheduler_registered_event', iso(Date.now()), { frameworkId: id, master: config.master }));
        void this.client.call({ type: 'RECONCILE', reconcile: { tasks: [...this.tasks.keys()].map((t) => ({ task_id: { value: t } })) } }).catch(() => undefined);
      },
    });
  }

  start(): void {
    this.client.start();
    this.timer = setInterval(() => this.tick(), 500);
  }
  stop(): void { if (this.timer) clearInterval(this.timer); this.client.stop(); }

  publish(e: Obj): void { for (const l of this.listeners) l(e); }
  tasksOf(appId: string): MTask[] { return [...this.tasks.values()].filter((t) => t.appId === appId); }

  // ---------------- apps ----------------
  saveApp(app: App): void { this.apps.set(app.id, app); void this.appRecs.put(app.id, app); }

  /** Start a deployment for an app change and nudge the scheduler. */
  deploy(appId: string, action: Deployment['action'], version: string): Deployment {
    for (const [id, d] of this.deployments) if (d.appId === appId) this.deployments.delete(id);
    const d: Deployment = { id: randomUUID(), version, appId, action };
    this.deployments.set(d.id, d);
    const plan = { id: d.id, steps: [{ actions: [{ action, app: appId }] }], version };
    this.publish(event('deployment_info', iso(Date.now()), { plan, currentStep: { actions: [{ action, app: appId }] } }));
    this.failures.delete(appId);
    this.act();
    return d;
  }

  removeApp(appId: string, version: string): Deployment {
    const app = this.apps.get(appId);
    this.apps.delete(appId);
    void this.appRecs.delete(appId);
    for (const t of this.tasksOf(appId)) this.kill(t, 'delete');
    void app;
    return this.deploy(appId, 'StopApplication', version);
  }

  kill(t: MTask, reason: NonNullable<MTask['killReason']>): void {
    if (TERMINAL.has(t.state)) return;
    t.killReason = reason;
    void this.taskRecs.put(t.id, t);
    void this.client.call({ type: 'KILL', kill: { task_id: { value: t.id }, agent_id: { value: t.agentId } } }).catch((e) => this.log(`kill ${t.id}: ${String(e)}`));
  }

  // ---------------- scheduling ----------------
  private demand(now: number): boolean {
    return [...this.apps.values()].some((a) => missing(a, this.tasksOf(a.id)) > 0 && now >= (this.failures.get(a.id)?.until ?? 0));
  }

  /** Kill what should go, finish converged deployments, ask for offers when something is missing. */
  act(): void {
    for (const app of this.apps.values()) {
      for (const k of kills(app, this.tasksOf(app.id))) {
        if (k.reason === 'unhealthy') {
          this.publish(event('unhealthy_instance_kill_event', iso(Date.now()), { appId: app.id, taskId: k.task.id, instanceId: instanceId(k.task.id), version: app.version, reason: 'health check failed', host: k.task.host, slaveId: k.task.agentId }));
        }
        this.kill(k.task, k.reason);
      }
    }
    for (const d of [...this.deployments.values()]) {
      const app = this.apps.get(d.appId);
      const done = app ? converged(app, this.tasksOf(app.id)) : this.tasksOf(d.appId).every((t) => TERMINAL.has(t.state));
      if (!done) continue;
      this.deployments.delete(d.id);
      const plan = { id: d.id, steps: [{ actions: [{ action: d.action, app: d.appId }] }], version: d.version };
      this.publish(event('deployment_success', iso(Date.now()), { id: d.id, plan }));
      if (!app) this.publish(event('app_terminated_event', iso(Date.now()), { appId: d.appId }));
    }
    if (this.demand(Date.now()) && this.client.isConnected) void this.client.call({ type: 'REVIVE' }).catch(() => undefined);
  }

  private tick(): void {
    try { this.act(); } catch (e) { this.log(`tick: ${String(e)}`); }
  }

  private onEvent(e: Obj): void {
    if (e['type'] === 'OFFERS') for (const o of e['offers']?.['offers'] ?? []) this.onOffer(o);
    else if (e['type'] === 'UPDATE') this.onUpdate(e['update']?.['status']);
  }

  private onOffer(o: Obj): void {
    const res = Resources.fromV1(o['resources'], { allowUnknown: true });
    const attributes: Record<string, string | number> = {};
    for (const a of o['attributes'] ?? []) attributes[a.name] = a.type === 'SCALAR' ? a.scalar?.value : a.text?.value;
    const agentId = o['agent_id']?.['value'] as string;
    this.placements.set(agentId, { hostname: o['hostname'], attributes });
    const now = Date.now();
    const runtimes: AppRuntime[] = [...this.apps.values()].map((app) => ({ app, backoffUntil: this.failures.get(app.id)?.until ?? 0 }));
    const launches = res.ok ? fillOffer(runtimes, (id) => this.tasksOf(id), { agentId, hostname: o['hostname'], resources: res.value, attributes }, now, randomUUID, (a) => this.placements.get(a), this.config.role) : [];
    for (const l of launches) {
      const app = this.apps.get(l.appId)!;
      const t: MTask = {
        id: l.task.task_id.value, appId: app.id, agentId, host: o['hostname'], state: 'TASK_STAGING', stagedAt: iso(now),
        version: app.version, configVersion: app.versionInfo.lastConfigChangeAt, ports: l.hostPorts, servicePorts: l.servicePorts,
        ipAddresses: [], role: this.config.role, consecutiveFailures: 0,
      };
      this.tasks.set(t.id, t);
      void this.taskRecs.put(t.id, t);
    }
    const ops = launches.length ? [{ type: 'LAUNCH', launch: { task_infos: launches.map((l) => l.task) } }] : [];
    const refuse = launches.length ? 0 : this.demand(now) ? 1 : 5;
    void this.client.call({ type: launches.length ? 'ACCEPT' : 'DECLINE', ...(launches.length
      ? { accept: { offer_ids: [o['id']], operations: ops, filters: { refuse_seconds: refuse } } }
      : { decline: { offer_ids: [o['id']], filters: { refuse_seconds: refuse } } }) }).catch((err) => this.log(`offer reply: ${String(err)}`));
  }

  private onUpdate(s: V1TaskStatus | undefined): void {
    if (!s?.task_id?.value) return;
    if (s.uuid && s.agent_id) void this.client.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: s.agent_id, task_id: s.task_id, uuid: s.uuid } }).catch(() => undefined);
    const t = this.tasks.get(s.task_id.value);
    if (!t) return;
    const now = Date.now();
    const stateChanged = t.state !== s.state;
    t.state = s.state;
    if (s.message !== undefined) t.message = s.message;
    if (s.state === 'TASK_RUNNING') t.startedAt ??= iso(now);
    const ips = (s.container_status?.network_infos ?? []).flatMap((n) => n.ip_addresses ?? []).map((a) => ({ ipAddress: a.ip_address, protocol: a.protocol ?? 'IPv4' as const }));
    if (ips.length) t.ipAddresses = ips;
    if (s.healthy !== undefined && s.healthy !== t.healthy) {
      t.healthy = s.healthy;
      if (s.healthy) { t.lastSuccess = iso(now); t.firstSuccess ??= t.lastSuccess; t.consecutiveFailures = 0; } else { t.lastFailure = iso(now); t.consecutiveFailures++; }
      this.publish(event('health_status_changed_event', iso(now), { appId: t.appId, instanceId: instanceId(t.id), version: t.version, alive: s.healthy }));
    }
    if (stateChanged) this.publish(statusUpdateEvent(t, s.message ?? '', iso(now)));
    if (TERMINAL.has(s.state)) {
      this.tasks.delete(t.id);
      void this.taskRecs.delete(t.id);
      if ((s.state === 'TASK_FAILED' || s.state === 'TASK_ERROR') && t.killReason === undefined) {
        const f = this.failures.get(t.appId) ?? { count: 0, until: 0 };
        f.count++;
        const app = this.apps.get(t.appId);
        f.until = now + (app ? backoffMs(app, f.count) : 0);
        f.last = { appId: t.appId, host: t.host, message: s.message ?? '', state: s.state, taskId: t.id, timestamp: iso(now), version: t.version, slaveId: t.agentId };
        this.failures.set(t.appId, f);
      }
    } else {
      if (s.state === 'TASK_RUNNING' && t.killReason === undefined) { const f = this.failures.get(t.appId); if (f) { f.until = 0; f.count = 0; } }
      void this.taskRecs.put(t.id, t);
    }
    this.act();
  }
}
