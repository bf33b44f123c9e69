// Mesos' Hierarchical DRF allocator as a pure, synchronous object. The master feeds it events and
// asks it for offers; time (`now`, milliseconds) and randomness (`rng`, [0,1)) are arguments.
//
// Public API (see the doc comment on each method):
//   new Allocator(options?: AllocatorOptions)
//   agents:     addAgent(id, {total, used?, active?}) · updateAgent(id, total) · removeAgent(id)
//               activateAgent(id) · deactivateAgent(id)
//   frameworks: addFramework(id, {roles, suppressedRoles?, capabilities?, minAllocatable?, active?})
//               updateFramework(id, spec) · removeFramework(id) · activateFramework(id) · deactivateFramework(id)
//   offers:     recoverResources(frameworkId, agentId, resources, filter | undefined, now, role?)
//               suppressOffers(frameworkId, roles?) · reviveOffers(frameworkId, roles?)
//   policy:     updateQuota(role, {guarantees?, limits?}) · removeQuota(role) · updateWeights([{role, weight}])
//   cycles:     allocate(now, rng): Offer[]          — periodic batch over all agents (daemon: every 1 s)
//               allocatePending(now, rng): Offer[]   — event-driven batch over agents events asked for
//               hasPending(): boolean
//   reading:    allocation(frameworkId, agentId?) · available(agentId) · roles() · quota(role) · weight(role)
//               activeFilters(frameworkId?) · agentIds()
// Semantics (reference/core.md §3): offered resources count as allocated until recovered; a DECLINE or
// the unused part of an ACCEPT is recoverResources(..., {refuseSeconds?}) (undefined refuseSeconds =
// the protobuf default 5 s; 0 = no filter); a finished task is recoverResources(..., undefined) (no filter).
// Event-driven requests (addAgent, updateAgent with a new total, activateAgent, addFramework,
// activateFramework, reviveOffers) mark agents pending; recoverResources/updateQuota/updateWeights do not.
import { Resources, quantities, type Quantities } from './resources.js';
import { DRFSorter } from './sorter.js';
import { runCycle } from './allocator-cycle.js';
import {
  addOfferFilter, countFilters, roleInfo, sumAllocated, trackAllocation, trackRole, untrackAllocation, untrackRoleIfIdle,
  type AgentState, type AllocatorState, type FrameworkState, type Offer,
} from './allocator-state.js';
import { natural, parseMinAllocatable, refuseSeconds, type AgentSpec, type AllocatorOptions, type FrameworkSpec, type QuotaSpec, type RecoverFilter } from './allocator-types.js';

export type { Offer } from './allocator-state.js';
export type { AgentSpec, AllocatorOptions, FrameworkSpec, QuotaSpec, RecoverFilter } from './allocator-types.js';
export { parseMinAllocatable } from './allocator-types.js';
export { seededRng } from './allocator-state.js';

export class Allocator {
  private readonly st: AllocatorState;
  private readonly refuseDefault: number;
  private readonly pending = new Set<string>(); // agents that events asked to allocate

  constructor(options: AllocatorOptions = {}) {
    const excluded = options.fairnessExcludeResourceNames ?? [];
    this.refuseDefault = options.refuseSecondsDefault ?? 5;
    this.st = {
      agents: new Map(), frameworks: new Map(), frameworkSorters: new Map(), quotas: new Map(),
      roleSorter: new DRFSorter({ excludedNames: excluded }),
      minAllocatable: parseMinAllocatable(options.minAllocatable ?? 'cpus:0.01|mem:32'),
      filterGpuResources: options.filterGpuResources ?? true,
      excludedNames: excluded,
    };
  }

  // ---------------- agents ----------------
  /** Register an agent with its total resources (reservations included) and what is already used on it. */
  addAgent(id: string, spec: AgentSpec): void {
    if (this.st.agents.has(id)) this.removeAgent(id);
    const agent: AgentState = { id, total: spec.total, allocated: new Map(), available: spec.total, active: spec.active ?? true, hasGpus: spec.total.scalar('gpus') > 0 };
    this.st.agents.set(id, agent);
    this.changeTotals(spec.total.quantities(), 1);
    for (const u of spec.used ?? []) trackAllocation(this.st, agent, u.frameworkId, u.role, u.resources);
    this.pending.add(id);
  }

  /** New total (e.g. after a RESERVE/UNRESERVE); allocations are kept. */
  updateAgent(id: string, total: Resources): void {
    const agent = this.st.agents.get(id);
    if (!agent || agent.total.equals(total)) return;
    this.changeTotals(agent.total.quantities(), -1);
    this.changeTotals(total.quantities(), 1);
    agent.total = total;
    agent.hasGpus = total.scalar('gpus') > 0;
    agent.available = total.subtract(sumAllocated(agent));
    this.pending.add(id);
  }

  /** Forget an agent, its allocations (in the sorters) and every offer filter about it. */
  removeAgent(id: string): void {
    const agent = this.st.agents.get(id);
    if (!agent) return;
    for (const [fwId, byRole] of [...agent.allocated]) for (const [role, res] of [...byRole]) untrackAllocation(this.st, agent, fwId, role, res);
    this.changeTotals(agent.total.quantities(), -1);
    this.st.agents.delete(id);
    this.pending.delete(id);
    for (const fw of this.st.frameworks.values()) for (const byAgent of fw.filters.values()) byAgent.delete(id);
  }

  activateAgent(id: string): void { const a = this.st.agents.get(id); if (a && !a.active) { a.active = true; this.pending.add(id); } }
  deactivateAgent(id: string): void { const a = this.st.agents.get(id); if (a) a.active = false; }
  agentIds(): string[] { return [...this.st.agents.keys()]; }
  private changeTotals(q: Quantities, sign: 1 | -1): void {
    const f = (s: DRFSorter): void => (sign > 0 ? s.addTotal(q) : s.removeTotal(q));
    f(this.st.roleSorter);
    for (const s of this.st.frameworkSorters.values()) f(s);
  }

  // ---------------- frameworks ----------------
  /** Subscribe a framework to its roles; asks for an allocation over all agents. */
  addFramework(id: string, spec: FrameworkSpec): void {
    const existing = this.st.frameworks.get(id);
    const fw: FrameworkState = existing ?? {
      id, roles: new Set(), suppressed: new Set(), active: true, capabilities: new Set(), minAllocatable: new Map(), filters: new Map(),
    };
    this.st.frameworks.set(id, fw);
    this.applySpec(fw, spec);
    this.requestAll();
  }

  /** Change roles, suppression, capabilities or minimum allocatable sets (UPDATE_FRAMEWORK). */
  updateFramework(id: string, spec: FrameworkSpec): void {
    const fw = this.st.frameworks.get(id);
    if (fw) this.applySpec(fw, spec);
  }

  private applySpec(fw: FrameworkState, spec: FrameworkSpec): void {
    const old = fw.roles;
    fw.roles = new Set(spec.roles);
    fw.suppressed.clear();
    for (const r of spec.suppressedRoles ?? []) fw.suppressed.add(r);
    fw.capabilities = new Set(spec.capabilities ?? []);
    fw.minAllocatable = new Map(Object.entries(spec.minAllocatable ?? {}).map(([r, t]) => [r, parseMinAllocatable(t)]));
    if (spec.active !== undefined) fw.active = spec.active;
    for (const r of fw.roles) trackRole(this.st, r, fw.id);
    for (const r of old) if (!fw.roles.has(r)) { fw.filters.delete(r); this.refreshRole(fw, r); untrackRoleIfIdle(this.st, r, fw.id); }
  }

  /** Remove a framework: drop what it holds everywhere (the master recovers tasks first) and its filters. */
  removeFramework(id: string): void {
    const fw = this.st.frameworks.get(id);
    for (const agent of this.st.agents.values()) {
      const byRole = agent.allocated.get(id);
      if (byRole) for (const [role, res] of [...byRole]) untrackAllocation(this.st, agent, id, role, res);
    }
    if (!fw) return;
    this.st.frameworks.delete(id);
    for (const r of fw.roles) { const s = this.st.frameworkSorters.get(r); if (s) { s.deactivate(id); untrackRoleIfIdle(this.st, r, id); } }
  }

  activateFramework(id: string): void {
    const fw = this.st.frameworks.get(id);
    if (!fw) return;
    fw.active = true;
    for (const r of fw.roles) this.refreshRole(fw, r);
    this.requestAll();
  }

  /** Disconnected framework: no offers, and its offer filters are cleared (as Mesos does). */
  deactivateFramework(id: string): void {
    const fw = this.st.frameworks.get(id);
    if (!fw) return;
    fw.active = false;
    fw.filters.clear();
    for (const r of fw.roles) this.refreshRole(fw, r);
  }

  private refreshRole(fw: FrameworkState, role: string): void {
    const s = this.st.frameworkSorters.get(role);
    if (!s || !s.contains(fw.id)) return;
    if (fw.active && fw.roles.has(role) && !fw.suppressed.has(role)) s.activate(fw.id); else s.deactivate(fw.id);
  }

  // ---------------- offers ----------------
  /**
   * Resources come back from a framework: declined, unused after ACCEPT, or freed by a finished task.
   * `filter` undefined → no filter (task end). `filter = {}` → default refuse_seconds (5 s); 0 → none;
   * negative/invalid → default; above 365 days → clamped. `role` defaults to every role the framework
   * holds resources in on that agent. Does not trigger an allocation.
   */
  recoverResources(frameworkId: string, agentId: string, resources: Resources, filter: RecoverFilter | undefined, now: number, role?: string): void {
    const agent = this.st.agents.get(agentId);
    if (!agent) return;
    let rest = resources;
    const roles = role !== undefined ? [role] : [...(agent.allocated.get(frameworkId)?.keys() ?? [])];
    for (const r of roles) rest = rest.subtract(untrackAllocation(this.st, agent, frameworkId, r, rest));
    const fw = this.st.frameworks.get(frameworkId);
    if (!filter || !fw || resources.isEmpty()) return;
    const secs = refuseSeconds(filter, this.refuseDefault);
    if (secs > 0) addOfferFilter(fw, roles.length ? roles : [...fw.roles], agentId, { resources, expiresAt: now + secs * 1000, seen: false });
  }

  /** SUPPRESS: no offers in these roles (default: all the framework's roles) until revived. */
  suppressOffers(frameworkId: string, roles?: readonly string[]): void {
    const fw = this.st.frameworks.get(frameworkId);
    if (!fw) return;
    for (const r of roles ?? [...fw.roles]) { fw.suppressed.add(r); this.refreshRole(fw, r); }
  }

  /** REVIVE: clear filters, unsuppress, and ask for an allocation over all agents. */
  reviveOffers(frameworkId: string, roles?: readonly string[]): void {
    const fw = this.st.frameworks.get(frameworkId);
    if (!fw) return;
    for (const r of roles ?? [...fw.roles]) { fw.filters.delete(r); fw.suppressed.delete(r); this.refreshRole(fw, r); }
    this.requestAll();
  }

  // ---------------- quota and weights ----------------
  /** Set a role's quota (natural units). Empty guarantees and limits remove it. Takes effect next cycle. */
  updateQuota(role: string, spec: QuotaSpec): void {
    const guarantees = quantities(spec.guarantees ?? {});
    const limits = quantities(spec.limits ?? {});
    if (guarantees.size === 0 && limits.size === 0) this.st.quotas.delete(role);
    else this.st.quotas.set(role, { guarantees, limits });
  }
  removeQuota(role: string): void { this.st.quotas.delete(role); }
  /** A role's quota in natural units, or undefined. */
  quota(role: string): { guarantees: Record<string, number>; limits: Record<string, number> } | undefined {
    const q = this.st.quotas.get(role);
    return q && { guarantees: natural(q.guarantees), limits: natural(q.limits) };
  }

  /** Role weights (positive); take effect at the next cycle. */
  updateWeights(weights: ReadonlyArray<{ readonly role: string; readonly weight: number }>): void {
    for (const { role, weight } of weights) if (Number.isFinite(weight) && weight > 0) this.st.roleSorter.updateWeight(role, weight);
  }
  weight(role: string): number { return this.st.roleSorter.weight(role); }

  // ---------------- cycles ----------------
  /** Periodic batch allocation over every active agent (also serves pending requests). */
  allocate(now: number, rng: () => number): Offer[] {
    this.pending.clear();
    return runCycle(this.st, this.st.agents.keys(), now, rng, true);
  }

  /** Event-driven allocation over the agents events asked for; [] when nothing is pending. */
  allocatePending(now: number, rng: () => number): Offer[] {
    if (this.pending.size === 0) return [];
    const ids = [...this.pending];
    this.pending.clear();
    return runCycle(this.st, ids, now, rng, false);
  }
  hasPending(): boolean { return this.pending.size > 0; }
  private requestAll(): void { for (const id of this.st.agents.keys()) this.pending.add(id); }

  // ---------------- reading ----------------
  /** What a framework holds (offered or in use), on one agent or summed over all. */
  allocation(frameworkId: string, agentId?: string): Resources {
    let sum = Resources.EMPTY;
    for (const a of this.st.agents.values()) {
      if (agentId !== undefined && a.id !== agentId) continue;
      for (const r of a.allocated.get(frameworkId)?.values() ?? []) sum = sum.add(r);
    }
    return sum;
  }
  /** An agent's resources nobody holds. */
  available(agentId: string): Resources { return this.st.agents.get(agentId)?.available ?? Resources.EMPTY; }
  /** Roles known to the role sorter: weight, DRF share, frameworks (for `/roles`). */
  roles(): Array<{ role: string; weight: number; share: number; frameworks: string[] }> { return roleInfo(this.st); }
  /** Offer filters in force at `now` (metric `allocator/mesos/offer_filters/roles/<role>/active`). */
  activeFilters(frameworkId?: string, now = -Infinity): number { return countFilters(this.st, frameworkId, now); }
}
