// The l4lb daemon core: keeps the last good VIP table, pushes it to the native data path and
// reconciles the kernel rules whenever a snapshot changes it (desired → plan → apply, silent when
// nothing changed). Updates are serialized and coalesced: a burst of snapshots costs one apply.
// Stopping closes the data path but leaves the rules, so established flows keep working and new
// SYNs to VIPs are refused (queue bypass → REJECT) until a balancer is back.
import type { Logger } from '../../src/io/logger.js';
import type { Snapshot } from '../../src/kernel/snapshot.js';
import { formatProblems } from '../../src/kernel/errors.js';
import type { L4lbConfig } from '../config.js';
import { buildVipTable, tcpVips, type VipEntry, type VipTable } from '../vip-table.js';
import { desiredRules, type RuleNames } from '../rules.js';
import { encodeTable, type NativeVip } from '../native-table.js';
import { Dataplane, type DataplaneStats } from './nfqueue.js';
import { observeRules, reconcileRules, routeInfo } from './kernel.js';

export type ServiceCounters = {
  snapshots: number;
  tableChanges: number;
  ruleApplies: number;
  applyErrors: number;
  skippedItems: number;
};

export class L4lbService {
  private table: VipTable = { vips: [], problems: [] };
  private signature = '';
  private pending: Snapshot | undefined;
  private running: Promise<void> | undefined;
  private dataplane: Dataplane | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastProblems = new Set<string>();
  readonly counters: ServiceCounters = { snapshots: 0, tableChanges: 0, ruleApplies: 0, applyErrors: 0, skippedItems: 0 };

  constructor(readonly config: L4lbConfig, private readonly log: Logger, private readonly opts: { dataplane?: boolean; resyncMs?: number } = {}) {}

  get names(): RuleNames {
    const c = this.config;
    return { ipset: c.ipset, chain: c.chain, queueFirst: c.queueFirst, queueLast: c.queueLast };
  }

  /** Bind the queues and make sure our chains exist (the set keeps its members until the first snapshot). */
  async start(): Promise<void> {
    if (this.opts.dataplane !== false) {
      const c = this.config;
      this.dataplane = new Dataplane({ queueFirst: c.queueFirst, queueLast: c.queueLast, ctTimeoutSec: c.ctTimeoutSec, connectThresholdMs: c.connectThresholdMs, failureThreshold: c.failureThreshold, backoffMs: c.backoffMs, passiveHealth: c.passiveHealth, snat: c.snat });
    }
    const observed = await observeRules(this.names);
    const keep = [...(observed.members ?? [])].map((m) => /^(.+),tcp:(\d+)$/.exec(m)).filter((m) => m !== null).map((m) => ({ ip: m[1]!, port: Number(m[2]) }));
    await this.apply(keep);
    const every = this.opts.resyncMs ?? 30_000;
    if (every > 0) this.timer = setInterval(() => void this.resync(), every).unref();
  }

  /** Feed a new snapshot (from the change stream, a poller or a state file). */
  onSnapshot(snapshot: Snapshot): Promise<void> {
    this.counters.snapshots++;
    this.pending = snapshot;
    if (!this.running) this.running = this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Resolves when every fed snapshot has been applied. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  vips(): readonly VipEntry[] {
    return this.table.vips;
  }

  stats(): DataplaneStats | undefined {
    return this.dataplane?.stats();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.settled().catch(() => undefined);
    this.dataplane?.close();
    this.dataplane = undefined;
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const snapshot = this.pending;
      this.pending = undefined;
      await this.update(snapshot);
    }
  }

  private async update(snapshot: Snapshot): Promise<void> {
    const c = this.config;
    const table = buildVipTable(snapshot, { namedRange: c.namedRange, zone: c.zone, reserved: c.reserved });
    this.reportProblems(table);
    const signature = JSON.stringify(table.vips.map((v) => [v.key, v.name, v.backends.map((b) => [b.ip, b.port, b.weight])]));
    if (signature === this.signature) return;
    this.signature = signature;
    this.counters.tableChanges++;
    try {
      await this.push(table);
    } catch (e) {
      this.counters.applyErrors++;
      this.log.error('vip table push failed; data path keeps its previous table', { err: e });
    }
    await this.apply(tcpVips(table));
    this.table = table; // published (API) once the data path and the kernel have it
  }

  /** Push the table to the data path, with route facts (local backend, SNAT source) for each backend. */
  private async push(table: VipTable): Promise<void> {
    if (!this.dataplane) return;
    const vips = tcpVips(table);
    const routes = await routeInfo(vips.flatMap((v) => v.backends.map((b) => b.ip)));
    const native: NativeVip[] = vips.map((v) => ({
      ip: v.ip, port: v.port, protocol: v.protocol,
      backends: v.backends.map((b) => {
        const r = routes.get(b.ip);
        return { ip: b.ip, port: b.port, weight: b.weight, local: r?.local ?? false, snat: r && !r.local ? r.prefsrc : undefined };
      }),
    }));
    const n = this.dataplane.setTable(encodeTable(native));
    this.log.info('vip table pushed', { vips: n, backends: native.reduce((s, v) => s + v.backends.length, 0) });
  }

  private async apply(vips: readonly { ip: string; port: number }[]): Promise<void> {
    try {
      const ops = await reconcileRules(this.names, desiredRules(this.names, vips));
      for (const op of ops) this.log.info('rules applied', { why: op.why });
      this.counters.ruleApplies += ops.length;
    } catch (e) {
      this.counters.applyErrors++;
      this.log.error('rules apply failed; kernel keeps its previous rules', { err: e });
    }
  }

  /** Periodic: repair rules someone else changed, refresh route facts. */
  private async resync(): Promise<void> {
    if (this.running) return;
    this.running = (async () => {
      await this.push(this.table).catch((e) => this.log.warn('table push failed', { err: e }));
      await this.apply(tcpVips(this.table));
    })().finally(() => (this.running = undefined));
  }

  private reportProblems(table: VipTable): void {
    const now = new Set(table.problems.map((p) => formatProblems([p])));
    for (const p of now) if (!this.lastProblems.has(p)) this.log.warn('VIP skipped', { problem: p });
    this.counters.skippedItems = now.size;
    this.lastProblems = now;
  }
}
