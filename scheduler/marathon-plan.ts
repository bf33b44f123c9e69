// Marathon's scheduling decisions as pure functions: how many instances an app still needs, which
// tasks to kill (scale-down by killSelection, old config once the new one runs, unhealthy ones), and
// which launches one offer can hold (constraints, backoff, resources consumed as tasks are added).
import type { App } from './marathon-app.js';
import { ACTIVE_MARATHON_STATES, type MTask } from './marathon-json.js';
import { buildLaunch, type Launch, type OfferView } from './marathon-launch.js';
import { meetsConstraints, type Placement } from './marathon-constraints.js';

export interface AppRuntime {
  readonly app: App;
  /** No launches before this time (ms since epoch): restart backoff after failures. */
  readonly backoffUntil: number;
}

const alive = (t: MTask) => ACTIVE_MARATHON_STATES.has(t.state) && t.killReason === undefined;
const current = (app: App, t: MTask) => t.configVersion === app.versionInfo.lastConfigChangeAt;
const ready = (app: App, t: MTask) => t.state === 'TASK_RUNNING' && (app.healthChecks.length === 0 || t.healthy === true);

/** Instances still to launch for the current config. */
export function missing(app: App, tasks: readonly MTask[]): number {
  return Math.max(0, app.instances - tasks.filter((t) => alive(t) && current(app, t)).length);
}

export interface Kill { readonly task: MTask; readonly reason: NonNullable<MTask['killReason']> }

export function kills(app: App, tasks: readonly MTask[]): Kill[] {
  const out: Kill[] = [];
  const live = tasks.filter(alive);
  for (const t of live) if (t.healthy === false && t.state === 'TASK_RUNNING') out.push({ task: t, reason: 'unhealthy' });
  const cur = live.filter((t) => current(app, t) && !out.some((k) => k.task === t));
  if (cur.length > app.instances) {
    const byAge = [...cur].sort((a, b) => (a.stagedAt < b.stagedAt ? -1 : a.stagedAt > b.stagedAt ? 1 : a.id < b.id ? -1 : 1));
    const victims = app.killSelection === 'OLDEST_FIRST' ? byAge : byAge.reverse();
    for (const t of victims.slice(0, cur.length - app.instances)) out.push({ task: t, reason: 'scale' });
  }
  const old = live.filter((t) => !current(app, t));
  if (old.length && (app.instances === 0 || cur.filter((t) => ready(app, t)).length >= app.instances)) {
    for (const t of old) out.push({ task: t, reason: 'upgrade' });
  }
  return out;
}

/** Is the app at its target (for deployment success): enough ready current tasks and nothing old left. */
export function converged(app: App, tasks: readonly MTask[]): boolean {
  const live = tasks.filter((t) => ACTIVE_MARATHON_STATES.has(t.state));
  const cur = live.filter((t) => current(app, t) && t.killReason === undefined);
  return cur.length === app.instances && cur.every((t) => ready(app, t)) && live.every((t) => current(app, t) && t.killReason === undefined);
}

export interface OfferCandidate extends OfferView { readonly attributes: Readonly<Record<string, string | number>> }
export interface PlannedLaunch extends Launch { readonly appId: string }

/**
 * Fill one offer: apps in id order, each taking as many instances as it still needs and the offer
 * holds, honouring constraints (counting tasks placed earlier in this offer) and backoff.
 */
export function fillOffer(
  apps: readonly AppRuntime[], tasksOf: (appId: string) => readonly MTask[], offer: OfferCandidate, now: number,
  uuid: () => string, placementOf: (agentId: string) => Placement | undefined, role = '*',
): PlannedLaunch[] {
  const out: PlannedLaunch[] = [];
  let remaining = offer.resources;
  const here: Placement = { hostname: offer.hostname, attributes: offer.attributes };
  for (const { app, backoffUntil } of [...apps].sort((a, b) => (a.app.id < b.app.id ? -1 : 1))) {
    if (now < backoffUntil) continue;
    const tasks = tasksOf(app.id);
    let need = missing(app, tasks);
    const placed: Placement[] = tasks.filter(alive).map((t) => placementOf(t.agentId) ?? { hostname: t.host, attributes: {} });
    while (need > 0) {
      if (!meetsConstraints(app.constraints, here, placed)) break;
      const l = buildLaunch(app, { ...offer, resources: remaining }, uuid(), role);
      if (!l) break;
      out.push({ ...l, appId: app.id });
      remaining = remaining.subtract(l.resources);
      placed.push(here);
      need--;
    }
  }
  return out;
}

/** Restart backoff after `failures` consecutive failures (Marathon: backoffSeconds × factor^(n−1), capped). */
export function backoffMs(app: App, failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(app.backoffSeconds * Math.pow(app.backoffFactor, failures - 1), app.maxLaunchDelaySeconds) * 1000;
}
