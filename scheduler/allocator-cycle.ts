// One allocation cycle of Mesos' Hierarchical DRF allocator (`__generateOffers`), over the given agents:
//   0. shuffle the candidate agents (caller's rng);
//   1. quota consumption per quota role = its (and sub-roles') reservations + unreserved resources it holds;
//      requiredHeadroom = Σ unsatisfied guarantees; availableHeadroom = unreserved resources nobody holds;
//   2. stage 1: agents × roles with unsatisfied guarantees (role-sorter order) × frameworks (DRF order):
//      offer the guarantee part plus the role's reservations, ports, and extra scalars within the limit and
//      the surplus headroom;
//   3. reshuffle; stage 2: agents × roles × frameworks: reservations + ports + unreserved scalars within the
//      quota limit and (when quota needs it) the surplus headroom.
// Every allocation is tracked in the sorters at once, so shares move within the cycle; offers are
// coarse-grained (a framework gets everything left that it may take). Pure.
import { Resources, addQ, isEmptyQ, minQ, subQ, type Quantities } from './resources.js';
import {
  frameworkCanUse, isAllocatable, isFiltered, shuffle, sweepFilters, trackAllocation,
  type AgentState, type AllocatorState, type Offer,
} from './allocator-state.js';

const ancestorsOrSelf = (role: string): string[] => {
  const parts = role.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
};

/** Cut the scalars of `res` down to `bound` (names missing from bound are unbounded). */
function cap(res: Resources, bound: Quantities | undefined): Resources {
  if (!bound) return res;
  const q = new Map(res.quantities());
  let cut = false;
  for (const [n, v] of q) { const b = bound.get(n); if (b !== undefined && b < v) { q.set(n, Math.max(0, b)); cut = true; } }
  return cut ? res.shrink(q) : res;
}

class Cycle {
  readonly offers: Array<{ frameworkId: string; agentId: string; role: string; resources: Resources }> = [];
  /** Index in `offers` of each agent's offers of this cycle (to merge stage 1 and stage 2 pieces). */
  private readonly byAgent = new Map<AgentState, number[]>();
  readonly consumed = new Map<string, Map<string, number>>();
  required: Map<string, number> = new Map();
  available: Map<string, number> = new Map();
  readonly hasQuota: boolean;

  constructor(private readonly st: AllocatorState, private readonly now: number) {
    this.hasQuota = st.quotas.size > 0;
    if (!this.hasQuota) return;
    for (const role of st.quotas.keys()) this.consumed.set(role, new Map());
    for (const agent of st.agents.values()) {
      const reservedRoles = new Set(agent.total.reservations().filter((r) => r).map((r) => r!.role));
      for (const role of reservedRoles) this.consume(role, agent.total.reserved(role).quantities());
      for (const byRole of agent.allocated.values()) for (const [role, res] of byRole) this.consume(role, res.unreserved().quantities());
      this.available = addQ(this.available, agent.available.unreserved().quantities());
    }
    this.recomputeRequired();
  }

  /** Charge quantities to every quota role at or above `role`. */
  consume(role: string, q: Quantities): void {
    for (const a of ancestorsOrSelf(role)) { const c = this.consumed.get(a); if (c) this.consumed.set(a, addQ(c, q)); }
  }

  /** Σ over outermost roles with guarantees of max(0, guarantee − consumed). */
  recomputeRequired(): void {
    let req = new Map<string, number>();
    for (const [role, quota] of this.st.quotas) {
      if (isEmptyQ(quota.guarantees)) continue;
      if (ancestorsOrSelf(role).slice(0, -1).some((a) => !isEmptyQ(this.st.quotas.get(a)?.guarantees ?? new Map()))) continue;
      req = addQ(req, subQ(quota.guarantees, this.consumed.get(role) ?? new Map()));
    }
    this.required = req;
  }

  unsatisfied(role: string): Map<string, number> | undefined {
    const g = this.st.quotas.get(role)?.guarantees;
    if (!g || isEmptyQ(g)) return undefined;
    const u = subQ(g, this.consumed.get(role) ?? new Map());
    return isEmptyQ(u) ? undefined : u;
  }

  /** How much more unreserved scalar the role may take under its own and its ancestors' limits. */
  limitRoom(role: string): Map<string, number> | undefined {
    if (!this.hasQuota) return undefined;
    let room: Map<string, number> | undefined;
    for (const a of ancestorsOrSelf(role)) {
      const l = this.st.quotas.get(a)?.limits;
      if (!l || l.size === 0) continue;
      const r = subQ(l, this.consumed.get(a) ?? new Map());
      room = room ? minQ(room, r) : r;
    }
    return room;
  }

  surplus(): Map<string, number> { return subQ(this.available, this.required); }

  record(agent: AgentState, frameworkId: string, role: string, res: Resources): void {
    trackAllocation(this.st, agent, frameworkId, role, res);
    let mine = this.byAgent.get(agent);
    if (!mine) { mine = []; this.byAgent.set(agent, mine); }
    const prev = mine.map((i) => this.offers[i]).find((o) => o && o.frameworkId === frameworkId && o.role === role);
    if (prev) prev.resources = prev.resources.add(res);
    else { mine.push(this.offers.length); this.offers.push({ frameworkId, agentId: agent.id, role, resources: res }); }
    if (this.hasQuota) {
      const q = res.unreserved().quantities();
      this.consume(role, q);
      this.available = subQ(this.available, q);
      if (ancestorsOrSelf(role).some((a) => this.st.quotas.has(a))) this.recomputeRequired();
    }
  }

  /** Stage 1: satisfy quota guarantees first. */
  stage1(agents: AgentState[]): void {
    const st = this.st;
    for (const agent of agents) {
      for (const role of st.roleSorter.sort()) {
        if (!this.unsatisfied(role)) continue;
        const sorter = st.frameworkSorters.get(role);
        for (const fwId of sorter?.sort() ?? []) {
          const fw = st.frameworks.get(fwId);
          if (!fw || !frameworkCanUse(st, fw, agent)) continue;
          const avail = agent.available.allocatableTo(role);
          if (avail.isEmpty()) break;
          const unsatisfied = this.unsatisfied(role);
          if (!unsatisfied) break;
          const unresScalars = avail.unreserved().scalarsOnly();
          const guarantee = unresScalars.shrink(unsatisfied);
          if (guarantee.isEmpty()) continue;
          const gq = guarantee.quantities();
          const room = this.limitRoom(role);
          const extraBound = minQ(this.surplus(), room ? subQ(room, gq) : new Map());
          const extra = cap(unresScalars.subtract(guarantee), extraBound);
          const offer = guarantee.add(avail.reserved()).add(avail.unreserved().nonScalars()).add(extra);
          if (!isAllocatable(st, fw, role, offer) || isFiltered(fw, role, agent.id, offer, this.now)) continue;
          this.record(agent, fwId, role, offer);
        }
      }
    }
  }

  /** Stage 2: fair share of whatever is left. */
  stage2(agents: AgentState[]): void {
    const st = this.st;
    for (const agent of agents) {
      let roles = st.roleSorter.sortLive();
      let rolesCopied = false;
      for (let ri = 0; ri < roles.length; ri++) {
        if (agent.available.isEmpty()) break;
        const role = roles[ri] as string;
        const sorter = st.frameworkSorters.get(role);
        if (!sorter) continue;
        let fws = sorter.sortLive();
        let fwsCopied = false;
        for (let fi = 0; fi < fws.length; fi++) {
          const fwId = fws[fi] as string;
          const fw = st.frameworks.get(fwId);
          if (!fw || !frameworkCanUse(st, fw, agent)) continue;
          const avail = agent.available.allocatableTo(role);
          if (avail.isEmpty()) break;
          let offer = avail;
          if (this.hasQuota) {
            const unres = avail.unreserved();
            let scalars = cap(unres.scalarsOnly(), this.limitRoom(role));
            if (!isEmptyQ(this.required)) scalars = cap(scalars, this.surplus());
            offer = avail.reserved().add(unres.nonScalars()).add(scalars);
          }
          if (!isAllocatable(st, fw, role, offer) || isFiltered(fw, role, agent.id, offer, this.now)) continue;
          // The sorted lists are patched in place by the allocation: keep a snapshot only if we go on
          // iterating after it (something is left on the agent), as Mesos iterates a sorted copy.
          if (offer !== avail) {
            if (!fwsCopied) { fws = fws.slice(); fwsCopied = true; }
            if (!rolesCopied) { roles = roles.slice(); rolesCopied = true; }
          } else if (!rolesCopied && agent.available !== avail && !agent.available.equals(avail)) { roles = roles.slice(); rolesCopied = true; }
          this.record(agent, fwId, role, offer);
        }
      }
    }
  }
}

/**
 * Run one cycle over `agentIds` (inactive or unknown ids are skipped). `batch` marks a periodic
 * allocation: offer filters that have been seen by one survive until expiry, see isFiltered.
 */
export function runCycle(st: AllocatorState, agentIds: Iterable<string>, now: number, rng: () => number, batch: boolean): Offer[] {
  const agents: AgentState[] = [];
  for (const id of agentIds) { const a = st.agents.get(id); if (a && a.active) agents.push(a); }
  const cycle = new Cycle(st, now);
  shuffle(agents, rng);
  if (cycle.hasQuota && [...st.quotas.keys()].some((r) => cycle.unsatisfied(r))) cycle.stage1(agents);
  shuffle(agents, rng);
  cycle.stage2(agents);
  if (batch) sweepFilters(st, now);
  return cycle.offers;
}

