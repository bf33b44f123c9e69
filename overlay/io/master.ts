// The master side of the overlay: one lease table, loaded from the master's store, changed only by
// registrations and explicit deletes, each change checkpointed to the store BEFORE it is published
// (as the mesos module does with its replicated log). Watchers (long-polling agents) are woken on
// every published change. Mutations are serialized.
import type { Problem, Result } from '../../src/kernel/errors.js';
import { err } from '../../src/kernel/errors.js';
import type { OverlayConfig } from '../config.js';
import type { LeaseError } from '../errors.js';
import { allocate, emptyTable, parseLeaseTable, release, viewOf, type Lease, type LeaseTable, type LeaseView } from '../leases.js';
import { masterState } from '../state.js';
import { fnv1a } from '../hash.js';

/** Where the master keeps the table (the scheduler's store, a file, etcd…). */
export interface LeaseStore {
  load(): Promise<unknown>;
  save(table: LeaseTable): Promise<void>;
}

export class OverlayMaster {
  private table: LeaseTable = emptyTable();
  private body = '';
  private tag = '';
  private chain: Promise<unknown>;
  private waiters = new Set<() => void>();
  /** Problems found in the stored table at load (bad leases are dropped, the rest kept). */
  loadProblems: Problem[] = [];
  readonly ready: Promise<void>;

  constructor(private readonly store: LeaseStore, readonly config: OverlayConfig, private readonly log: (line: string) => void = () => undefined) {
    this.publish(emptyTable());
    this.ready = this.load();
    this.chain = this.ready.catch(() => undefined);
  }

  private async load(): Promise<void> {
    const raw = await this.store.load();
    if (raw === undefined || raw === null) return;
    const { table, problems } = parseLeaseTable(raw, this.config);
    this.loadProblems = problems;
    for (const p of problems) this.log(`overlay: stored lease ${p.path} dropped: ${p.message}`);
    this.publish(table);
  }

  private publish(t: LeaseTable): void {
    this.table = t;
    this.body = JSON.stringify(masterState(t, this.config));
    this.tag = `"${fnv1a(this.body).toString(16)}-${t.agents.length}"`;
    const w = [...this.waiters];
    this.waiters.clear();
    for (const f of w) f();
  }

  /** Run one mutation after the previous ones; the new table is saved, then published. */
  private mutate<T>(f: (t: LeaseTable) => { table: LeaseTable; changed: boolean; value: T }): Promise<T> {
    const next = this.chain.then(async () => {
      const r = f(this.table);
      if (r.changed) {
        await this.store.save(r.table);
        this.publish(r.table);
      }
      return r.value;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Lease for an agent that registered (idempotent: a known agent gets its lease back). */
  async registerAgent(agentId: string, agentIp: string): Promise<Result<LeaseView, LeaseError>> {
    try {
      return await this.mutate((t) => {
        const o = allocate(t, this.config, { id: agentId, ip: agentIp });
        if (!o.lease.ok) this.log(`overlay: no lease for agent ${agentId}: ${o.lease.error.message}`);
        else if (o.changed) this.log(`overlay: agent ${agentId} (${agentIp}) leased ${o.lease.value.subnet}, vtep ${o.lease.value.vtepIp}`);
        return { table: o.table, changed: o.changed, value: o.lease.ok ? { ok: true as const, value: viewOf(o.lease.value) } : o.lease };
      });
    } catch (e) {
      return err({ code: 'store-failed', message: `overlay lease store: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  /** Release the leases of agents named by id or underlay address. */
  async releaseAgents(keys: readonly string[]): Promise<Lease[]> {
    return this.mutate((t) => {
      const r = release(t, keys);
      for (const l of r.released) this.log(`overlay: released ${l.subnet} and ${l.vtepIp} of agent ${l.id} (${l.ip})`);
      return { table: r.table, changed: r.released.length > 0, value: r.released };
    });
  }

  leases(): LeaseTable { return this.table; }
  /** The `/overlay-master/state` body as JSON text, and its entity tag. */
  state(): { body: string; etag: string } { return { body: this.body, etag: this.tag }; }

  /** Resolve when the state's tag differs from `etag`, or after `ms`; true if it changed. */
  waitChange(etag: string, ms: number): Promise<boolean> {
    if (etag !== this.tag) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); this.waiters.delete(done); resolve(this.tag !== etag); };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  /** Wake every watcher (on shutdown). */
  wakeAll(): void {
    const w = [...this.waiters];
    this.waiters.clear();
    for (const f of w) f();
  }
}
