// Zero-downtime (blue/green) deployment groups, as marathon-lb's get_apps pre-pass does them: apps
// sharing HAPROXY_DEPLOYMENT_GROUP are merged under the id `/<group>`. The older app (by
// HAPROXY_DEPLOYMENT_STARTED_AT; missing = oldest) keeps its definition; the newer app's tasks are
// appended; min(old tasks, healthy new, max(0, healthy new + old instances − target)) old tasks
// (sorted by id) are marked draining (→ `server … disabled`). Quirks kept: the health-check test
// looks at the app being merged in, and HAPROXY_DEPLOYMENT_NEW_INSTANCES always triggers the
// lastScalingAt comparison. A group that cannot be merged (bad label) is skipped with a reason.
// Pure.
import type { MarathonApp, MarathonTask } from '../src/kernel/marathon.js';

/** An app as the generator sees it: possibly renamed to its deployment group, some tasks draining. */
export interface LbApp {
  readonly app: MarathonApp;
  readonly id: string;
  tasks: readonly MarathonTask[];
  /** Tasks to route as `disabled` (old colour of a merged deployment group). */
  draining: ReadonlySet<MarathonTask>;
}

const NOT_DRAINING: ReadonlySet<MarathonTask> = new Set();

export interface MergeResult {
  readonly apps: LbApp[];
  readonly skipped: { appId: string; reason: string }[];
}

const time = (s: string | undefined): number => {
  if (s === undefined) return -Infinity;
  const t = Date.parse(s);
  return Number.isNaN(t) ? NaN : t;
};

function mergePair(prev: LbApp, cur: LbApp): LbApp | string {
  const pd = time(prev.app.labels.HAPROXY_DEPLOYMENT_STARTED_AT);
  const cd = time(cur.app.labels.HAPROXY_DEPLOYMENT_STARTED_AT);
  if (Number.isNaN(pd) || Number.isNaN(cd)) return 'HAPROXY_DEPLOYMENT_STARTED_AT is not a date';
  let [old, nu] = pd < cd ? [prev, cur] : [cur, prev];
  let target = 1;
  if (Object.hasOwn(nu.app.labels, 'HAPROXY_DEPLOYMENT_NEW_INSTANCES')) {
    const ns = time(nu.app.lastScalingAt);
    const os = time(old.app.lastScalingAt);
    if (!Number.isFinite(ns) || !Number.isFinite(os)) return 'versionInfo.lastScalingAt is missing or not a date';
    if (os > ns) [old, nu] = [nu, old];
    const t = nu.app.labels.HAPROXY_DEPLOYMENT_TARGET_INSTANCES;
    if (t === undefined || !/^\s*[+-]?\d+\s*$/.test(t)) return 'HAPROXY_DEPLOYMENT_TARGET_INSTANCES is missing or not an integer';
    target = Number(t);
  }
  const oldTasks = [...old.tasks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let healthyNew = 0;
  if (cur.app.healthChecks.length > 0) {
    for (const t of nu.tasks) if (t.healthCheckResults?.some((r) => r.alive)) healthyNew++;
  } else healthyNew = nu.app.instances ?? 1;
  const drainable = Math.max(0, healthyNew + (old.app.instances ?? 1) - target);
  const n = Math.min(oldTasks.length, healthyNew, drainable);
  // A task stays draining through later merges of the same group, whichever side it ends up on.
  old.draining = new Set([...old.draining, ...nu.draining, ...oldTasks.slice(0, n)]);
  old.tasks = [...oldTasks, ...nu.tasks];
  return old;
}

/** Merge deployment groups; apps without the label keep their order, groups follow in first-seen order. */
export function mergeDeploymentGroups(apps: readonly MarathonApp[]): MergeResult {
  const plain: LbApp[] = [];
  const groups = new Map<string, LbApp | undefined>();
  const skipped: { appId: string; reason: string }[] = [];
  for (const app of apps) {
    const lb: LbApp = { app, id: app.id, tasks: app.tasks, draining: NOT_DRAINING };
    const dg = app.labels.HAPROXY_DEPLOYMENT_GROUP;
    if (dg === undefined) { plain.push(lb); continue; }
    if (dg === '') { skipped.push({ appId: app.id, reason: 'HAPROXY_DEPLOYMENT_GROUP is empty' }); continue; }
    const id = dg.startsWith('/') ? dg : `/${dg}`;
    const renamed: LbApp = { ...lb, id };
    if (!groups.has(id)) { groups.set(id, renamed); continue; }
    const prev = groups.get(id);
    if (prev === undefined) continue; // group already failed
    const merged = mergePair(prev, renamed);
    if (typeof merged === 'string') {
      skipped.push({ appId: id, reason: `deployment group not merged: ${merged}` });
      groups.set(id, undefined);
    } else groups.set(id, merged);
  }
  return { apps: [...plain, ...[...groups.values()].filter((a): a is LbApp => a !== undefined)], skipped };
}
