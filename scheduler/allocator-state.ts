// The allocator's internal state and the small pure helpers shared by allocator.ts (bookkeeping API)
// and allocator-cycle.ts (one allocation cycle): agents with their allocations, frameworks with their
// roles/suppression/offer filters, the role sorter and one framework sorter per role, quota and weights.
import { DRFSorter } from './sorter.js';
import { Resources, containsQ, type Quantities } from './resources.js';

/** One offer produced by a cycle: everything `frameworkId` may use on `agentId` in `role`. */
export interface Offer {
  readonly frameworkId: string;
  readonly agentId: string;
  readonly role: string;
  readonly resources: Resources;
}

export interface OfferFilter { readonly resources: Resources; readonly expiresAt: number; seen: boolean }

export interface AgentState {
  readonly id: string;
  total: Resources;
  /** frameworkId → role → resources offered or in use. */
  readonly allocated: Map<string, Map<string, Resources>>;
  /** total − everything allocated (kept current). */
  available: Resources;
  active: boolean;
  hasGpus: boolean;
}

export interface FrameworkState {
  readonly id: string;
  roles: Set<string>;
  readonly suppressed: Set<string>;
  active: boolean;
  capabilities: Set<string>;
  /** role → alternatives of minimum quantities (overrides the allocator-wide default). */
  minAllocatable: Map<string, Quantities[]>;
  /** role → agentId → filters. */
  readonly filters: Map<string, Map<string, OfferFilter[]>>;
}

export interface Quota { readonly guarantees: Quantities; readonly limits: Quantities }

export interface AllocatorState {
  readonly agents: Map<string, AgentState>;
  readonly frameworks: Map<string, FrameworkState>;
  readonly roleSorter: DRFSorter;
  readonly frameworkSorters: Map<string, DRFSorter>;
  readonly quotas: Map<string, Quota>;
  readonly minAllocatable: Quantities[];
  readonly filterGpuResources: boolean;
  /** Resource names left out of DRF shares, for every sorter. */
  readonly excludedNames: readonly string[];
}

/** Fisher–Yates with the caller's randomness, so runs are reproducible from a seed. */
export function shuffle<T>(xs: T[], rng: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = xs[i] as T; xs[i] = xs[j] as T; xs[j] = t;
  }
  return xs;
}

/** Small deterministic PRNG (mulberry32) for seeding `allocate(now, rng)` in tests and simulations. */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An offer is allocatable iff non-empty and it holds at least one of the minimum sets (none = anything). */
export function isAllocatable(st: AllocatorState, fw: FrameworkState, role: string, offer: Resources): boolean {
  if (offer.isEmpty()) return false;
  const sets = fw.minAllocatable.get(role) ?? st.minAllocatable;
  if (sets.length === 0) return true;
  // Range resources count their elements; look at them only when the scalars alone fall short.
  const q = offer.quantities();
  if (sets.some((s) => containsQ(q, s))) return true;
  const qr = offer.quantities(true);
  return qr.size !== q.size && sets.some((s) => containsQ(qr, s));
}

/** Is a filter still in force? It lasts until its time is up AND at least one batch allocation saw it (MESOS-4302). */
export const filterActive = (f: OfferFilter, now: number): boolean => now < f.expiresAt || !f.seen;

/** Did the framework refuse a superset of `offer` on this agent in this role, recently enough? */
export function isFiltered(fw: FrameworkState, role: string, agentId: string, offer: Resources, now: number): boolean {
  const list = fw.filters.get(role)?.get(agentId);
  if (!list) return false;
  return list.some((f) => filterActive(f, now) && f.resources.contains(offer));
}

/** After a batch: drop filters that are expired and were seen by an earlier batch; mark the rest seen. */
export function sweepFilters(st: AllocatorState, now: number): void {
  for (const fw of st.frameworks.values()) {
    if (fw.filters.size === 0) continue;
    for (const [role, byAgent] of fw.filters) {
      for (const [agentId, list] of byAgent) {
        let expired = 0;
        for (const f of list) { if (filterActive(f, now)) f.seen = true; else expired++; }
        if (expired === list.length) byAgent.delete(agentId);
        else if (expired > 0) byAgent.set(agentId, list.filter((f) => filterActive(f, now)));
      }
      if (byAgent.size === 0) fw.filters.delete(role);
    }
  }
}

/** Remember that the framework refused `filter.resources` on the agent in these roles. */
export function addOfferFilter(fw: FrameworkState, roles: Iterable<string>, agentId: string, filter: OfferFilter): void {
  for (const r of roles) {
    let byAgent = fw.filters.get(r);
    if (!byAgent) { byAgent = new Map(); fw.filters.set(r, byAgent); }
    byAgent.set(agentId, [...(byAgent.get(agentId) ?? []), filter]);
  }
}

/** Can this framework be offered anything on this agent (capability checks)? */
export function frameworkCanUse(st: AllocatorState, fw: FrameworkState, agent: AgentState): boolean {
  return !(st.filterGpuResources && agent.hasGpus && !fw.capabilities.has('GPU_RESOURCES'));
}

/** Record an allocation in the agent and both sorter levels. */
export function trackAllocation(st: AllocatorState, agent: AgentState, frameworkId: string, role: string, res: Resources): void {
  if (res.isEmpty()) return;
  let byRole = agent.allocated.get(frameworkId);
  if (!byRole) { byRole = new Map(); agent.allocated.set(frameworkId, byRole); }
  byRole.set(role, (byRole.get(role) ?? Resources.EMPTY).add(res));
  agent.available = res === agent.available ? Resources.EMPTY : agent.available.subtract(res);
  const q = res.quantities();
  trackRole(st, role, frameworkId);
  st.roleSorter.allocated(role, q);
  st.frameworkSorters.get(role)?.allocated(frameworkId, q);
}

/** Remove (at most) `res` from what `frameworkId` holds in `role` on the agent; returns what was removed. */
export function untrackAllocation(st: AllocatorState, agent: AgentState, frameworkId: string, role: string, res: Resources): Resources {
  const byRole = agent.allocated.get(frameworkId);
  const held = byRole?.get(role);
  if (!byRole || !held) return Resources.EMPTY;
  const left = held.subtract(res);
  const removed = held.subtract(left);
  if (left.isEmpty()) byRole.delete(role); else byRole.set(role, left);
  if (byRole.size === 0) agent.allocated.delete(frameworkId);
  agent.available = agent.total.subtract(sumAllocated(agent));
  const q = removed.quantities();
  st.roleSorter.unallocated(role, q);
  st.frameworkSorters.get(role)?.unallocated(frameworkId, q);
  untrackRoleIfIdle(st, role, frameworkId);
  return removed;
}

export function sumAllocated(agent: AgentState): Resources {
  let sum = Resources.EMPTY;
  for (const byRole of agent.allocated.values()) for (const r of byRole.values()) sum = sum.add(r);
  return sum;
}

/** Make sure `role` is in the role sorter and `frameworkId` in its framework sorter (active as its state says). */
export function trackRole(st: AllocatorState, role: string, frameworkId: string): void {
  let fs = st.frameworkSorters.get(role);
  if (!fs) {
    fs = new DRFSorter({ hierarchical: false, excludedNames: st.excludedNames });
    for (const [n, v] of st.roleSorter.total()) fs.addTotal(new Map([[n, v]]));
    st.frameworkSorters.set(role, fs);
    st.roleSorter.add(role, true);
  }
  const fw = st.frameworks.get(frameworkId);
  const active = !!fw && fw.active && fw.roles.has(role) && !fw.suppressed.has(role);
  if (!fs.contains(frameworkId)) fs.add(frameworkId, active);
  else if (active) fs.activate(frameworkId); else fs.deactivate(frameworkId);
}

/** Drop a framework from a role's sorter when it neither subscribes to the role nor holds anything there; drop empty roles. */
export function untrackRoleIfIdle(st: AllocatorState, role: string, frameworkId: string): void {
  const fs = st.frameworkSorters.get(role);
  if (!fs || !fs.contains(frameworkId)) return;
  const fw = st.frameworks.get(frameworkId);
  const subscribed = !!fw && fw.roles.has(role);
  const holds = [...fs.allocation(frameworkId).values()].some((v) => v > 0);
  if (!subscribed && !holds) fs.remove(frameworkId);
  if (fs.size === 0) { st.frameworkSorters.delete(role); st.roleSorter.remove(role); }
}

/** Roles known to the role sorter with weight, DRF share and subscribed frameworks. */
export function roleInfo(st: AllocatorState): Array<{ role: string; weight: number; share: number; frameworks: string[] }> {
  return [...st.frameworkSorters.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([role, s]) => ({
    role, weight: st.roleSorter.weight(role), share: st.roleSorter.share(role),
    frameworks: [...st.frameworks.values()].filter((f) => f.roles.has(role) && s.contains(f.id)).map((f) => f.id),
  }));
}

/** Offer filters in force at `now`, for one framework or all. */
export function countFilters(st: AllocatorState, frameworkId: string | undefined, now: number): number {
  let n = 0;
  for (const fw of st.frameworks.values()) {
    if (frameworkId !== undefined && fw.id !== frameworkId) continue;
    for (const byAgent of fw.filters.values()) for (const list of byAgent.values()) n += list.filter((f) => filterActive(f, now)).length;
  }
  return n;
}
