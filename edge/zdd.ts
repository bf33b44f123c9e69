// The decision parts of marathon-lb's zero-downtime deployment helper (zdd.py), pure: the blue/green
// app definition for the next deploy, how far to scale the new colour, which old tasks HAProxy has
// drained (from the `/haproxy?stats;csv` of every load balancer), and the pre-kill hook's argv.
// The loop that calls Marathon and waits is not here. Apps are plain JSON objects, as zdd.py
// handles them (the definition is passed through, only the fields zdd.py touches change).
import type { Result } from '../src/kernel/errors.js';
import { ok, err } from '../src/kernel/errors.js';

type Json = Record<string, unknown>;
const labelsOf = (app: Json): Record<string, string> => (app.labels ?? {}) as Record<string, string>;
const int = (v: unknown): number => (typeof v === 'number' ? Math.trunc(v) : parseInt(String(v), 10));

export interface ZddArgs {
  readonly initialInstances: number;
  readonly newInstances: number;
  readonly completeCur: boolean;
  readonly completePrev: boolean;
}

export const deploymentTarget = (app: Json): number =>
  'HAPROXY_DEPLOYMENT_TARGET_INSTANCES' in labelsOf(app) ? int(labelsOf(app).HAPROXY_DEPLOYMENT_TARGET_INSTANCES) : int(app.instances);
export const newInstanceCount = (app: Json): number =>
  'HAPROXY_DEPLOYMENT_NEW_INSTANCES' in labelsOf(app) ? int(labelsOf(app).HAPROXY_DEPLOYMENT_NEW_INSTANCES) : 0;
export const isHybrid = (args: ZddArgs, app: Json): boolean => newInstanceCount(app) !== 0 && !args.completeCur && !args.completePrev;

/** Grow the new colour by half (rounded down) until it reaches the old one, then go to the target. */
export function scaleNewAppInstances(args: ZddArgs, newApp: Json, oldApp: Json): number {
  const cur = int(newApp.instances);
  let n = Math.floor(cur + (cur + 1) / 2);
  if (isHybrid(args, newApp)) n = Math.min(n, newInstanceCount(newApp));
  else if (n >= int(oldApp.instances)) n = deploymentTarget(newApp);
  return n;
}

export type StatsRow = Readonly<Record<string, string>>;

/** `/haproxy?stats;csv` → rows keyed by the heading (the trailing empty column dropped). */
export function parseHaproxyStats(csv: string): StatsRow[] {
  const lines = csv.split(/\r?\n/);
  const head = (lines.shift() ?? '').replace(/^[# ]+/, '').replace(/[,\n]+$/, '').split(',');
  const rows: StatsRow[] = [];
  for (const line of lines) {
    if (line === '' || line.startsWith('#')) continue;
    const cells = splitCsv(line).slice(0, -1);
    const row: Record<string, string> = {};
    head.forEach((h, i) => { row[h] = cells[i] ?? ''; });
    rows.push(row);
  }
  return rows;
}

function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of line) {
    if (c === "'") quoted = !quoted;
    else if (c === ',' && !quoted) { out.push(cur); cur = ''; }
    else cur += c;
  }
  out.push(cur);
  return out;
}

/** This deployment group's server rows (`<group>_<HAPROXY_0_PORT>`, not BACKEND/FRONTEND). */
export function appListeners(app: Json, rows: readonly StatsRow[]): StatsRow[] {
  const name = `${labelsOf(app).HAPROXY_DEPLOYMENT_GROUP}_${labelsOf(app).HAPROXY_0_PORT}`;
  return rows.filter((r) => r.pxname === name && r.svname !== 'BACKEND' && r.svname !== 'FRONTEND');
}

/** HAProxy server names of the tasks (`host_port`, or `host_ip_port` when the host is not the IP). */
export function svnamesFromTasks(tasks: readonly Json[], ipOf: (task: Json) => string | undefined): string[] {
  const out: string[] = [];
  for (const task of tasks) {
    const host = String(task.host ?? '');
    const prefix = host.replaceAll('.', '_');
    const ip = ipOf(task) ?? '';
    for (const port of (task.ports ?? []) as number[]) out.push(host === ip ? `${prefix}_${port}` : `${prefix}_${ip.replaceAll('.', '_')}_${port}`);
  }
  return out;
}

const pending = (r: StatsRow): boolean => int(r.qcur || 0) > 0 || int(r.scur || 0) > 0;

/** Tasks whose listener is in MAINT on every load balancer (`drained`: and with no session left). */
export function taskIdsIn(state: 'draining' | 'drained', app: Json, listeners: readonly StatsRow[], haproxyCount: number, ipOf: (t: Json) => string | undefined): string[] {
  const tasks = (app.tasks ?? []) as Json[];
  const names = svnamesFromTasks(tasks, ipOf);
  const sel = listeners.filter((l) => l.status === 'MAINT' && (state === 'draining' || !pending(l)));
  const out: string[] = [];
  for (let i = 0; i < Math.min(names.length, tasks.length); i++) {
    if (sel.filter((l) => l.svname === names[i]).length === haproxyCount) out.push(String(tasks[i]!.id));
  }
  return out;
}

/** Python json.dumps with its default separators (", " and ": ") and ASCII escapes. */
export function pyJsonDumps(v: unknown): string {
  const esc = (s: string): string => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return esc(v);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pyJsonDumps).join(', ')}]`;
  return `{${Object.entries(v as Json).map(([k, x]) => `${esc(k)}: ${pyJsonDumps(x)}`).join(', ')}}`;
}

export const preKillHookArgv = (hook: string, oldApp: unknown, taskIds: readonly string[], newApp: unknown): string[] =>
  [hook, pyJsonDumps(oldApp), pyJsonDumps(taskIds), pyJsonDumps(newApp)];

function servicePort(app: Json): number | undefined {
  const c = (app.container ?? {}) as Json;
  let pms = (((c.docker ?? {}) as Json).portMappings ?? []) as Json[];
  if (pms.length === 0) pms = (c.portMappings ?? []) as Json[];
  if (pms[0]?.servicePort) return int(pms[0].servicePort);
  const defs = (app.portDefinitions ?? []) as Json[];
  if (defs[0]?.port) return int(defs[0].port);
  const ports = (app.ports ?? []) as unknown[];
  return ports.length > 0 ? int(ports[0]) : undefined;
}

function setServicePort(app: Json, port: number): void {
  const c = (app.container ?? {}) as Json;
  const dpm = (((c.docker ?? {}) as Json).portMappings ?? []) as Json[];
  const cpm = (c.portMappings ?? []) as Json[];
  const defs = (app.portDefinitions ?? []) as Json[];
  if (dpm.length > 0) dpm[0]!.servicePort = port;
  else if (cpm.length > 0) cpm[0]!.servicePort = port;
  else if (defs.length > 0) defs[0]!.port = port;
  else if (Array.isArray(app.ports) && app.ports.length > 0) app.ports[0] = port;
}

/**
 * The next colour's app definition (zdd.py prepare_deploy, after validate_app and the checks of
 * do_zdd). `previous` are the running apps of the same deployment group; `now` is the ISO time
 * recorded in HAPROXY_DEPLOYMENT_STARTED_AT.
 */
export function prepareDeploy(args: ZddArgs, previous: readonly Json[], appIn: Json, now: string): Result<Json, string> {
  const app = structuredClone(appIn);
  const labels = app.labels as Record<string, string> | undefined;
  if (typeof app.id !== 'string') return err('App doesn\'t contain a valid App ID');
  if (!labels) return err('No labels found. Please define the HAPROXY_DEPLOYMENT_GROUP label');
  if (!('HAPROXY_DEPLOYMENT_GROUP' in labels)) return err('Please define the HAPROXY_DEPLOYMENT_GROUP label');
  if (!('HAPROXY_DEPLOYMENT_ALT_PORT' in labels)) return err('Please define the HAPROXY_DEPLOYMENT_ALT_PORT label');
  if (previous.length > 1) return err('There appears to be an existing deployment in progress (resume it)');
  if (args.completeCur || args.completePrev) return err('InvalidArgException: Cannot use --complete-cur, --complete-prev flags when config is not hybrid');
  let colour: string;
  let port: number | undefined;
  let target: number;
  const last = previous[0];
  if (last) {
    const ll = labelsOf(last);
    colour = ll.HAPROXY_DEPLOYMENT_COLOUR === 'blue' ? 'green' : 'blue';
    const alt = int(ll.HAPROXY_DEPLOYMENT_ALT_PORT);
    port = Array.isArray(last.ports) && int(last.ports[0]) === alt ? int(ll.HAPROXY_0_PORT) : alt;
    target = int(last.instances);
    const newInstances = Math.min(args.newInstances, target);
    app.instances = newInstances > 0 ? Math.min(args.initialInstances, newInstances) : Math.min(args.initialInstances, target);
    labels.HAPROXY_DEPLOYMENT_NEW_INSTANCES = String(newInstances);
  } else {
    colour = 'blue';
    port = servicePort(app);
    target = int(app.instances);
    labels.HAPROXY_DEPLOYMENT_NEW_INSTANCES = '0';
  }
  const own = servicePort(app);
  if (port === undefined || own === undefined) return err("App doesn't contain a service port");
  labels.HAPROXY_APP_ID = app.id;
  app.id = `${app.id.startsWith('/') ? '' : '/'}${app.id}-${colour}`;
  labels.HAPROXY_0_PORT = String(own);
  setServicePort(app, port);
  labels.HAPROXY_DEPLOYMENT_TARGET_INSTANCES = String(target);
  labels.HAPROXY_DEPLOYMENT_COLOUR = colour;
  labels.HAPROXY_DEPLOYMENT_STARTED_AT = now;
  return ok(app);
}
