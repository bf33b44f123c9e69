// Marathon apps codec: the body of `GET /v2/apps?embed=apps.tasks` (Marathon 1.x, see
// ../shared/reference/core.md §2.2–2.3) → typed apps with their tasks; plus the SSE event envelope
// of `/v2/events` (§2.6) and `dropNulls`, marathon-lb's cleanup_json (null-valued keys removed
// recursively, list elements kept). Longer than the house aim of 250 lines because it is a codec:
// one small reader per JSON object.
//
// Tolerance rules:
//  - unknown fields are ignored; null is the same as absent; absent optional parts get a default
//    ([] / {}) except where presence itself carries meaning (portDefinitions vs legacy ports,
//    healthCheckResults, container, ipAddress), which stay undefined;
//  - a field present with the wrong type makes its app (or task) malformed: the app (task) is
//    reported as a Problem with its path (`apps[3].tasks[1].ports[0]`) and skipped, the rest kept;
//  - a label or env value that is not a string is dropped with a Problem (the app is kept);
//  - a document that is neither `{apps:[…]}` nor an array yields no apps and one problem.
// Pure: no I/O; nothing here throws to the caller.
import type { Problem, Result } from './errors.js';
import { ok, err } from './errors.js';

export interface MarathonPortDefinition {
  readonly port: number | undefined;
  readonly protocol: string | undefined;
  readonly name: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
}

export interface MarathonPortMapping {
  readonly containerPort: number | undefined;
  readonly hostPort: number | undefined;
  readonly servicePort: number | undefined;
  readonly protocol: string | undefined;
  readonly name: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
}

export interface MarathonDocker {
  readonly image: string | undefined;
  /** Deprecated docker network: BRIDGE | HOST | USER | NONE. */
  readonly network: string | undefined;
  /** Deprecated docker.portMappings; undefined when absent. */
  readonly portMappings: readonly MarathonPortMapping[] | undefined;
}

export interface MarathonContainer {
  readonly type: string | undefined;
  readonly docker: MarathonDocker | undefined;
  readonly portMappings: readonly MarathonPortMapping[] | undefined;
}

export interface MarathonNetwork {
  /** host | container/bridge | container; undefined means Marathon's default, `container`. */
  readonly mode: string | undefined;
  readonly name: string | undefined;
}

export interface MarathonDiscoveryPort {
  readonly number: number | undefined;
  readonly name: string | undefined;
  readonly protocol: string | undefined;
}

/** Legacy (Marathon ≤ 1.4) IP-per-task definition. Kept only when the object has some field. */
export interface MarathonIpAddress {
  readonly networkName: string | undefined;
  readonly discoveryPorts: readonly MarathonDiscoveryPort[];
}

export interface MarathonHealthCheck {
  readonly protocol: string | undefined;
  readonly path: string | undefined;
  readonly portIndex: number | undefined;
  readonly port: number | undefined;
  readonly command: string | undefined;
  readonly gracePeriodSeconds: number | undefined;
  readonly intervalSeconds: number | undefined;
  readonly timeoutSeconds: number | undefined;
  readonly maxConsecutiveFailures: number | undefined;
  readonly delaySeconds: number | undefined;
}

export interface MarathonHealthCheckResult {
  readonly alive: boolean;
  readonly consecutiveFailures: number | undefined;
  readonly instanceId: string | undefined;
}

export interface MarathonTaskIp {
  readonly ipAddress: string;
  readonly protocol: string | undefined;
}

export interface MarathonTask {
  readonly id: string;
  readonly appId: string | undefined;
  readonly host: string | undefined;
  readonly slaveId: string | undefined;
  /** Mesos task state name (TASK_RUNNING …); undefined when Marathon did not send it. */
  readonly state: string | undefined;
  readonly ports: readonly number[];
  readonly servicePorts: readonly number[];
  readonly ipAddresses: readonly MarathonTaskIp[];
  /** undefined when absent (marathon-lb then reuses the last verdict it saw). */
  readonly healthCheckResults: readonly MarathonHealthCheckResult[] | undefined;
  readonly stagedAt: string | undefined;
  readonly startedAt: string | undefined;
  readonly version: string | undefined;
}

export interface MarathonApp {
  readonly id: string;
  readonly instances: number | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
  /** undefined when the app has no `portDefinitions` key (then legacy `ports` applies). */
  readonly portDefinitions: readonly MarathonPortDefinition[] | undefined;
  /** Legacy `ports`; undefined when absent. */
  readonly ports: readonly number[] | undefined;
  readonly container: MarathonContainer | undefined;
  readonly networks: readonly MarathonNetwork[];
  readonly ipAddress: MarathonIpAddress | undefined;
  readonly healthChecks: readonly MarathonHealthCheck[];
  readonly tasks: readonly MarathonTask[];
  readonly version: string | undefined;
  readonly lastScalingAt: string | undefined;
  readonly lastConfigChangeAt: string | undefined;
}

export interface DecodedApps {
  readonly apps: MarathonApp[];
  readonly problems: Problem[];
}

// ---- readers ------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

/** Aborts decoding of the current app or task; caught at that boundary. */
class Malformed extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
  }
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) throw new Malformed(path, `expected an object, got ${kind(v)}`);
  return v;
}
function optObj(o: Obj, key: string, path: string): Obj | undefined {
  const v = o[key];
  return v === undefined || v === null ? undefined : obj(v, `${path}.${key}`);
}
function str(o: Obj, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Malformed(`${path}.${key}`, `expected a string, got ${kind(v)}`);
  return v;
}
function num(o: Obj, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Malformed(`${path}.${key}`, `expected a number, got ${kind(v)}`);
  return v;
}
function int(o: Obj, key: string, path: string): number | undefined {
  const v = num(o, key, path);
  if (v !== undefined && !Number.isInteger(v)) throw new Malformed(`${path}.${key}`, `expected an integer, got ${v}`);
  return v;
}
function optArr(o: Obj, key: string, path: string): unknown[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new Malformed(`${path}.${key}`, `expected an array, got ${kind(v)}`);
  return v;
}
function list<T>(o: Obj, key: string, path: string, item: (v: unknown, p: string) => T): T[] | undefined {
  const a = optArr(o, key, path);
  return a?.map((v, i) => item(v, `${path}.${key}[${i}]`));
}
function intItem(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Malformed(path, `expected an integer, got ${kind(v)}`);
  return v;
}

/** String map (labels, env). Non-string values are dropped and reported; the app is kept. */
function strMap(o: Obj, key: string, path: string, problems: Problem[]): Record<string, string> {
  const m = optObj(o, key, path);
  const out: Record<string, string> = {};
  if (!m) return out;
  for (const [k, v] of Object.entries(m)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') out[k] = v;
    else if (!(key === 'env' && isObj(v))) problems.push({ path: `${path}.${key}.${k}`, message: `expected a string, got ${kind(v)}; ignored` });
  }
  return out;
}

function portDefinition(v: unknown, path: string): MarathonPortDefinition {
  const o = obj(v, path);
  return { port: int(o, 'port', path), protocol: str(o, 'protocol', path), name: str(o, 'name', path), labels: strMap(o, 'labels', path, []) };
}

function portMapping(v: unknown, path: string): MarathonPortMapping {
  const o = obj(v, path);
  return {
    containerPort: int(o, 'containerPort', path), hostPort: int(o, 'hostPort', path), servicePort: int(o, 'servicePort', path),
    protocol: str(o, 'protocol', path), name: str(o, 'name', path), labels: strMap(o, 'labels', path, []),
  };
}

function container(o: Obj, path: string): MarathonContainer | undefined {
  const c = optObj(o, 'container', path);
  if (!c) return undefined;
  const p = `${path}.container`;
  const d = optObj(c, 'docker', p);
  const dp = `${p}.docker`;
  return {
    type: str(c, 'type', p),
    docker: d && { image: str(d, 'image', dp), network: str(d, 'network', dp), portMappings: list(d, 'portMappings', dp, portMapping) },
    portMappings: list(c, 'portMappings', p, portMapping),
  };
}

function ipAddress(o: Obj, path: string): MarathonIpAddress | undefined {
  const ip = optObj(o, 'ipAddress', path);
  // marathon-lb treats an empty ipAddress object as "not IP-per-task"; so do we.
  if (!ip || Object.values(ip).every((v) => v === null || v === undefined)) return undefined;
  const p = `${path}.ipAddress`;
  const disc = optObj(ip, 'discovery', p);
  const ports = disc ? list(disc, 'ports', `${p}.discovery`, (v, pp) => {
    const d = obj(v, pp);
    return { number: int(d, 'number', pp), name: str(d, 'name', pp), protocol: str(d, 'protocol', pp) };
  }) : undefined;
  return { networkName: str(ip, 'networkName', p), discoveryPorts: ports ?? [] };
}

function healthCheck(v: unknown, path: string): MarathonHealthCheck {
  const o = obj(v, path);
  const cmd = o.command;
  const command = isObj(cmd) ? str(cmd, 'value', `${path}.command`) : str(o, 'command', path);
  return {
    protocol: str(o, 'protocol', path), path: str(o, 'path', path), portIndex: int(o, 'portIndex', path), port: int(o, 'port', path),
    command, gracePeriodSeconds: num(o, 'gracePeriodSeconds', path), intervalSeconds: num(o, 'intervalSeconds', path),
    timeoutSeconds: num(o, 'timeoutSeconds', path), maxConsecutiveFailures: int(o, 'maxConsecutiveFailures', path),
    delaySeconds: num(o, 'delaySeconds', path),
  };
}

function healthResult(v: unknown, path: string): MarathonHealthCheckResult {
  const o = obj(v, path);
  const alive = o.alive;
  if (alive !== undefined && alive !== null && typeof alive !== 'boolean') throw new Malformed(`${path}.alive`, `expected a boolean, got ${kind(alive)}`);
  return { alive: alive === true, consecutiveFailures: int(o, 'consecutiveFailures', path), instanceId: str(o, 'instanceId', path) };
}

/** One task; Result so the caller can keep the app and skip only this task. */
export function decodeMarathonTask(v: unknown, path = 'task'): Result<MarathonTask, Problem> {
  try {
    const o = obj(v, path);
    const id = str(o, 'id', path);
    if (id === undefined) throw new Malformed(`${path}.id`, 'required string is missing');
    return ok({
      id, appId: str(o, 'appId', path), host: str(o, 'host', path), slaveId: str(o, 'slaveId', path), state: str(o, 'state', path),
      ports: list(o, 'ports', path, intItem) ?? [],
      servicePorts: list(o, 'servicePorts', path, intItem) ?? [],
      ipAddresses: (list(o, 'ipAddresses', path, (x, p) => {
        const a = obj(x, p);
        const ip = str(a, 'ipAddress', p);
        return ip === undefined ? undefined : { ipAddress: ip, protocol: str(a, 'protocol', p) };
      }) ?? []).filter((a): a is MarathonTaskIp => a !== undefined),
      healthCheckResults: list(o, 'healthCheckResults', path, healthResult),
      stagedAt: str(o, 'stagedAt', path), startedAt: str(o, 'startedAt', path), version: str(o, 'version', path),
    });
  } catch (e) {
    if (e instanceof Malformed) return err({ path: e.path, message: e.message });
    throw e;
  }
}

/** One app; a malformed task is reported in `problems` and skipped, the app kept. */
export function decodeMarathonApp(v: unknown, path = 'app', problems: Problem[] = []): Result<MarathonApp, Problem> {
  const local: Problem[] = [];
  try {
    const o = obj(v, path);
    const id = str(o, 'id', path);
    if (id === undefined || id === '') throw new Malformed(`${path}.id`, 'required string is missing');
    const tasks: MarathonTask[] = [];
    for (const [i, t] of (optArr(o, 'tasks', path) ?? []).entries()) {
      const r = decodeMarathonTask(t, `${path}.tasks[${i}]`);
      if (r.ok) tasks.push(r.value);
      else local.push({ path: r.error.path, message: `${r.error.message}; task skipped` });
    }
    const vi = optObj(o, 'versionInfo', path);
    const app: MarathonApp = {
      id, instances: int(o, 'instances', path),
      labels: strMap(o, 'labels', path, local), env: strMap(o, 'env', path, local),
      portDefinitions: list(o, 'portDefinitions', path, portDefinition),
      ports: list(o, 'ports', path, intItem),
      container: container(o, path),
      networks: list(o, 'networks', path, (x, p) => {
        const n = obj(x, p);
        return { mode: str(n, 'mode', p), name: str(n, 'name', p) };
      }) ?? [],
      ipAddress: ipAddress(o, path),
      healthChecks: list(o, 'healthChecks', path, healthCheck) ?? [],
      tasks, version: str(o, 'version', path),
      lastScalingAt: vi && str(vi, 'lastScalingAt', `${path}.versionInfo`),
      lastConfigChangeAt: vi && str(vi, 'lastConfigChangeAt', `${path}.versionInfo`),
    };
    problems.push(...local);
    return ok(app);
  } catch (e) {
    if (e instanceof Malformed) return err({ path: e.path, message: `${e.message}; app skipped` });
    throw e;
  }
}

/** `{apps:[…]}` (or a bare array of apps, or `{app:{…}}`) → apps and problems. */
export function decodeMarathonApps(doc: unknown): DecodedApps {
  const problems: Problem[] = [];
  let raw: unknown[];
  if (Array.isArray(doc)) raw = doc;
  else if (isObj(doc) && Array.isArray(doc.apps)) raw = doc.apps;
  else if (isObj(doc) && isObj(doc.app)) raw = [doc.app];
  else return { apps: [], problems: [{ path: '', message: `expected {"apps":[…]}, got ${kind(doc)}` }] };
  const base = Array.isArray(doc) ? '' : 'apps';
  const apps: MarathonApp[] = [];
  raw.forEach((a, i) => {
    const r = decodeMarathonApp(a, `${base}[${i}]`, problems);
    if (r.ok) apps.push(r.value);
    else problems.push(r.error);
  });
  return { apps, problems };
}

/** JSON text → apps; unparsable text is one problem and no apps. */
export function parseMarathonApps(text: string): DecodedApps {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { apps: [], problems: [{ path: '', message: `invalid JSON: ${(e as Error).message}` }] };
  }
  return decodeMarathonApps(doc);
}

/** marathon-lb's cleanup_json: drop null-valued object keys recursively; list elements are kept. */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNulls(x);
    return out;
  }
  return v;
}

// ---- /v2/events -----------------------------------------------------------------------------------

export interface MarathonEvent {
  readonly eventType: string;
  readonly timestamp: string | undefined;
  readonly appId: string | undefined;
  readonly taskId: string | undefined;
  readonly taskStatus: string | undefined;
  /** The whole event object (nulls dropped), for consumers that need type-specific fields. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** One SSE `data:` payload → event envelope. */
export function parseMarathonEvent(data: string): Result<MarathonEvent, Problem> {
  let doc: unknown;
  try {
    doc = dropNulls(JSON.parse(data));
  } catch (e) {
    return err({ path: '', message: `invalid JSON: ${(e as Error).message}` });
  }
  if (!isObj(doc)) return err({ path: '', message: `expected an object, got ${kind(doc)}` });
  const pick = (k: string): string | undefined => (typeof doc[k] === 'string' ? (doc[k] as string) : undefined);
  const eventType = pick('eventType');
  if (eventType === undefined) return err({ path: 'eventType', message: 'required string is missing' });
  return ok({ eventType, timestamp: pick('timestamp'), appId: pick('appId'), taskId: pick('taskId'), taskStatus: pick('taskStatus'), raw: doc });
}
