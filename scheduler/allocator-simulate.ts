// Offline drivers of the allocator: the DRF paper's progressive filling (pure DRF, no offers) and the
// scenario simulator behind `mesonet allocator simulate --scenario FILE [--seed N]` (issue 3, item 4).
// Scenario JSON: agents [{id, resources (Mesos text), reserved?}], roles {name: {weight?, guarantee?,
// limit?}}, frameworks [{id, role, task (Mesos text), policy}], maxCycles?. Policy `one-task` launches
// one task per offer if it fits and declines the rest with refuse_seconds 0; `hold` keeps every offer
// whole (one "task" per held offer). Cycles run until one launches nothing, or maxCycles. Pure.
import { err, ok, type Problem, type Result } from '../src/kernel/errors.js';
import { DRFSorter } from './sorter.js';
import { Resources, fromMilli, quantities, toMilli } from './resources.js';
import { Allocator } from './allocator.js';
import { seededRng } from './allocator-state.js';

export interface ScenarioFramework { readonly id: string; readonly role: string; readonly task: Resources; readonly policy: 'one-task' | 'hold' }
export interface ScenarioRole { readonly weight?: number; readonly guarantee?: Record<string, number>; readonly limit?: Record<string, number> }
export interface Scenario {
  readonly agents: ReadonlyArray<{ readonly id: string; readonly resources: Resources }>;
  readonly roles: Readonly<Record<string, ScenarioRole>>;
  readonly frameworks: readonly ScenarioFramework[];
  readonly maxCycles: number;
}
export interface SimulationResult { tasks: Record<string, number>; agents: Record<string, string[]>; cycles: number }

/** DRF paper Algorithm 1: repeatedly give one task to the user with the lowest dominant share while it fits. */
export function progressiveFill(capacity: Record<string, number>, demands: Record<string, Record<string, number>>):
  { tasks: Record<string, number>; shares: Record<string, number>; leftover: Record<string, number> } {
  const sorter = new DRFSorter({ hierarchical: false });
  sorter.addTotal(quantities(capacity));
  const left = quantities(capacity);
  const tasks: Record<string, number> = {};
  for (const user of Object.keys(demands)) { sorter.add(user, true); tasks[user] = 0; }
  for (;;) {
    // Algorithm 1 stops as soon as the lowest-share user's next task no longer fits.
    const next = sorter.sort()[0];
    if (next === undefined || !Object.entries(demands[next] ?? {}).every(([n, v]) => (left.get(n) ?? 0) >= toMilli(v))) break;
    const d = quantities(demands[next] ?? {});
    for (const [n, v] of d) left.set(n, (left.get(n) ?? 0) - v);
    sorter.allocated(next, d);
    tasks[next] = (tasks[next] ?? 0) + 1;
  }
  const shares = Object.fromEntries(Object.keys(demands).map((u) => [u, sorter.share(u)]));
  return { tasks, shares, leftover: Object.fromEntries([...left].map(([n, v]) => [n, fromMilli(v)])) };
}

function parseAmounts(v: unknown, path: string, problems: Problem[]): Record<string, number> | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') {
    const r = Resources.parse(v, { path, allowUnknown: true });
    if (!r.ok) { problems.push(...r.error); return undefined; }
    return Object.fromEntries([...r.value.quantities()].map(([n, m]) => [n, fromMilli(m)]));
  }
  if (typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'number' && x >= 0)) return v as Record<string, number>;
  problems.push({ path, message: 'expected Mesos text (cpus:2;mem:1024) or {name: number}' });
  return undefined;
}

/** Validate scenario JSON; every problem is reported with its path. */
export function parseScenario(json: unknown): Result<Scenario> {
  const problems: Problem[] = [];
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const agents: Array<{ id: string; resources: Resources }> = [];
  if (!Array.isArray(o['agents'])) problems.push({ path: 'agents', message: 'expected an array' });
  else o['agents'].forEach((a: any, i: number) => {
    if (typeof a?.id !== 'string') { problems.push({ path: `agents[${i}].id`, message: 'expected a string' }); return; }
    const r = Resources.parse(String(a.resources ?? ''), { path: `agents[${i}].resources` });
    let res = r.ok ? r.value : Resources.EMPTY;
    if (!r.ok) problems.push(...r.error);
    const reserved: Array<[string, unknown]> = typeof a.reserved === 'string' ? [['', a.reserved]] : Object.entries(a.reserved ?? {});
    for (const [role, text] of reserved) {
      const p = Resources.parse(String(text), { path: `agents[${i}].reserved${role ? `.${role}` : ''}`, ...(role ? { defaultRole: role } : {}) });
      if (p.ok) res = res.add(p.value); else problems.push(...p.error);
    }
    agents.push({ id: a.id, resources: res });
  });
  const roles: Record<string, ScenarioRole> = {};
  for (const [name, spec] of Object.entries((o['roles'] ?? {}) as Record<string, any>)) {
    const w = spec?.weight;
    if (w !== undefined && !(typeof w === 'number' && w > 0)) problems.push({ path: `roles.${name}.weight`, message: 'must be a positive number' });
    const guarantee = parseAmounts(spec?.guarantee, `roles.${name}.guarantee`, problems);
    const limit = parseAmounts(spec?.limit, `roles.${name}.limit`, problems);
    roles[name] = { ...(w !== undefined ? { weight: w } : {}), ...(guarantee ? { guarantee } : {}), ...(limit ? { limit } : {}) };
  }
  const frameworks: ScenarioFramework[] = [];
  if (!Array.isArray(o['frameworks'])) problems.push({ path: 'frameworks', message: 'expected an array' });
  else o['frameworks'].forEach((f: any, i: number) => {
    const where = `frameworks[${i}]`;
    if (typeof f?.id !== 'string') problems.push({ path: `${where}.id`, message: 'expected a string' });
    const policy = f?.policy ?? 'one-task';
    if (policy !== 'one-task' && policy !== 'hold') problems.push({ path: `${where}.policy`, message: "expected 'one-task' or 'hold'" });
    const task = Resources.parse(String(f?.task ?? ''), { path: `${where}.task` });
    if (!task.ok) problems.push(...task.error);
    if (typeof f?.id === 'string' && task.ok) frameworks.push({ id: f.id, role: typeof f.role === 'string' ? f.role : '*', task: task.value, policy });
  });
  const maxCycles = o['maxCycles'] ?? 1000;
  if (!(typeof maxCycles === 'number' && Number.isInteger(maxCycles) && maxCycles > 0)) problems.push({ path: 'maxCycles', message: 'must be a positive integer' });
  return problems.length ? err(problems) : ok({ agents, roles, frameworks, maxCycles: maxCycles as number });
}

/** Fit a task into an offer, using the offer role's reservations when the unreserved part is short. */
function fit(offer: Resources, task: Resources, role: string): Resources | undefined {
  if (offer.contains(task)) return task;
  const asRole = Resources.parse(task.toString(), { defaultRole: role, allowUnknown: true });
  return asRole.ok && offer.contains(asRole.value) ? asRole.value : undefined;
}

/** Run the scenario: one allocation cycle per simulated second until a cycle launches nothing. */
export function simulate(s: Scenario, seed = 1): SimulationResult {
  const a = new Allocator();
  const rng = seededRng(seed);
  for (const [role, spec] of Object.entries(s.roles)) {
    if (spec.weight !== undefined) a.updateWeights([{ role, weight: spec.weight }]);
    if (spec.guarantee || spec.limit) a.updateQuota(role, { guarantees: spec.guarantee ?? {}, limits: spec.limit ?? {} });
  }
  for (const ag of s.agents) a.addAgent(ag.id, { total: ag.resources });
  const byId = new Map(s.frameworks.map((f) => [f.id, f]));
  for (const f of s.frameworks) a.addFramework(f.id, { roles: [f.role] });
  const tasks: Record<string, number> = Object.fromEntries(s.frameworks.map((f) => [f.id, 0]));
  const agents: Record<string, Set<string>> = Object.fromEntries(s.frameworks.map((f) => [f.id, new Set<string>()]));
  let cycles = 0;
  while (cycles < s.maxCycles) {
    cycles++;
    const now = cycles * 1000;
    let launched = 0;
    for (const o of a.allocate(now, rng)) {
      const f = byId.get(o.frameworkId);
      if (!f) continue;
      const used = f.policy === 'hold' ? o.resources : fit(o.resources, f.task, o.role);
      if (used) { launched++; tasks[f.id] = (tasks[f.id] ?? 0) + 1; agents[f.id]?.add(o.agentId); }
      const rest = used ? o.resources.subtract(used) : o.resources;
      if (!rest.isEmpty()) a.recoverResources(o.frameworkId, o.agentId, rest, { refuseSeconds: 0 }, now, o.role);
    }
    if (launched === 0) break;
  }
  return { tasks, agents: Object.fromEntries(Object.entries(agents).map(([f, set]) => [f, [...set].sort()])), cycles };
}
