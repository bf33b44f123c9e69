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
// A reader throws Malformed with the path *below* the object it reads (`.ports[0]`); each level that
// catches it prepends its own part, and the app/task boundary adds `apps[3].tasks[1]`. Path strings
// are thus only built for the rare bad item, never for the tens of thousands of good ones.

type Obj = Record<string, unknown>;

/** Aborts decoding of the current app or task; caught at that boundary. */
class Malformed extends Error {
  constructor(public path: string, message: string) {
    super(message);
  }
}

/** Prefix a Malformed's path with the part of the path this level adds (other errors pass through). */
function under(e: unknown, prefix: string): unknown {
  if (e instanceof Malformed) e.path = prefix + e.path;
  return e;
}

/** Run a reader of a nested object, its errors under `prefix` (for the few per-app nested objects). */
function at<T>(prefix: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw under(e, prefix);
  }
}

/** The value of every absent list (shared: a model is read-only; frozen so a stray write fails loudly). */
const NONE: readonly never[] = Object.freeze([]);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);
const bad = (key: string, message: string): Malformed => new Malformed(`.${key}`, message);

function obj(v: unknown): Obj {
  if (!isObj(v)) throw new Malformed('', `expected an object, got ${kind(v)}`);
  return v;
}
function optObj(o: Obj, key: string): Obj | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw bad(key, `expected an object, got ${kind(v)}`);
  return v;
}
function str(o: Obj, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(key, `expected a string, got ${kind(v)}`);
  return v;
}
function num(o: Obj, key: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(key, `expected a number, got ${kind(v)}`);
  return v;
}
function int(o: Obj, key: string): number | undefined {
  const v = num(o, key);
  if (v !== undefined && !Number.isInteger(v)) throw bad(key, `expected an integer, got ${v}`);
  return v;
}
function optArr(o: Obj, key: string): unknown[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw bad(key, `expected an array, got ${kind(v)}`);
  return v;
}
function list<T>(o: Obj, key: string, item: (v: unknown) => T): T[] | undefined {
  const a = optArr(o, key);
  if (a === undefined) return undefined;
  const out: T[] = [];
  for (let i = 0; i < a.length; i++) {
    try {
      out.push(item(a[i]));
    } catch (e) {
      throw under(e, `.${key}[${i}]`);
    }
  }
  return out;
}
function intItem(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Malformed('', `expected an integer, got ${kind(v)}`);
  return v;
}

/**
 * String map (labels, env). Non-string values are dropped and reported under `path` (when given);
 * the app is kept.
 */
function strMap(o: Obj, key: string, problems?: Problem[], path?: string): Record<string, string> {
  const m = optObj(o, key);
  const out: Record<string, string> = {};
  if (!m) return out;
  for (const k of Object.keys(m)) {
    const v = m[k];
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') out[k] = v;
    else if (problems && !(key === 'env' && isObj(v))) problems.push({ path: `${path}.${key}.${k}`, message: `expected a string, got ${kind(v)}; ignored` });
  }
  return out;
}

function portDefinition(v: unknown): MarathonPortDefinition {
  const o = obj(v);
  return { port: int(o, 'port'), protocol: str(o, 'protocol'), name: str(o, 'name'), labels: strMap(o, 'labels') };
}

function portMapping(v: unknown): MarathonPortMapping {
  const o = obj(v);
  return {
    containerPort: int(o, 'containerPort'), hostPort: int(o, 'hostPort'), servicePort: int(o, 'servicePort'),
    protocol: str(o, 'protocol'), name: str(o, 'name'), labels: strMap(o, 'labels'),
  };
}

function docker(c: Obj): MarathonDocker | undefined {
  const d = optObj(c, 'docker');
  return d && at('.docker', () => ({ image: str(d, 'image'), network: str(d, 'network'), portMappings: list(d, 'portMappings', portMapping) }));
}

function container(o: Obj): MarathonContainer | undefined {
  const c = optObj(o, 'container');
  return c && at('.container', () => {
    optObj(c, 'docker'); // checked before `type`, as the fields below are read
    const type = str(c, 'type');
    return { type, docker: docker(c), portMappings: list(c, 'portMappings', portMapping) };
  });
}

function discoveryPort(v: unknown): MarathonDiscoveryPort {
  const d = obj(v);
  return { number: int(d, 'number'), name: str(d, 'name'), protocol: str(d, 'protocol') };
}

function ipAddress(o: Obj): MarathonIpAddress | undefined {
  const ip = optObj(o, 'ipAddress');
  // marathon-lb treats an empty ipAddress object as "not IP-per-task"; so do we.
  if (!ip || Object.values(ip).every((v) => v === null || v === undefined)) return undefined;
  return at('.ipAddress', () => {
    const disc = optObj(ip, 'discovery');
    const ports = disc && at('.discovery', () => list(disc, 'ports', discoveryPort));
    return { networkName: str(ip, 'networkName'), discoveryPorts: ports ?? NONE };
  });
}

function healthCheck(v: unknown): MarathonHealthCheck {
  const o = obj(v);
  const cmd = o.command;
  const command = isObj(cmd) ? at('.command', () => str(cmd, 'value')) : str(o, 'command');
  return {
    protocol: str(o, 'protocol'), path: str(o, 'path'), portIndex: int(o, 'portIndex'), port: int(o, 'port'),
    command, gracePeriodSeconds: num(o, 'gracePeriodSeconds'), intervalSeconds: num(o, 'intervalSeconds'),
    timeoutSeconds: num(o, 'timeoutSeconds'), maxConsecutiveFailures: int(o, 'maxConsecutiveFailures'),
    delaySeconds: num(o, 'delaySeconds'),
  };
}

function healthResult(v: unknown): MarathonHealthCheckResult {
  const o = obj(v);
  const alive = o.alive;
  if (alive !== undefined && alive !== null && typeof alive !== 'boolean') throw bad('alive', `expected a boolean, got ${kind(alive)}`);
  return { alive: alive === true, consecutiveFailures: int(o, 'consecutiveFailures'), instanceId: str(o, 'instanceId') };
}

function networkOf(v: unknown): MarathonNetwork {
  const n = obj(v);
  return { mode: str(n, 'mode'), name: str(n, 'name') };
}

/** ipAddresses entries; one without an address is dropped (its protocol is then not checked). */
function taskIps(o: Obj): readonly MarathonTaskIp[] {
  const a = optArr(o, 'ipAddresses');
  if (a === undefined) return NONE;
  const out: MarathonTaskIp[] = [];
  for (let i = 0; i < a.length; i++) {
    try {
      const x = obj(a[i]);
      const ip = str(x, 'ipAddress');
      if (ip !== undefined) out.push({ ipAddress: ip, protocol: str(x, 'protocol') });
    } catch (e) {
      throw under(e, `.ipAddresses[${i}]`);
    }
  }
  return out;
}

/** One task; throws Malformed (path below the task). */
function task(v: unknown): MarathonTask {
  const o = obj(v);
  const id = str(o, 'id');
  if (id === undefined) throw bad('id', 'required string is missing');
  return {
    id, appId: str(o, 'appId'), host: str(o, 'host'), slaveId: str(o, 'slaveId'), state: str(o, 'state'),
    ports: list(o, 'ports', intItem) ?? NONE,
    servicePorts: list(o, 'servicePorts', intItem) ?? NONE,
    ipAddresses: taskIps(o),
    healthCheckResults: list(o, 'healthCheckResults', healthResult),
    stagedAt: str(o, 'stagedAt'), startedAt: str(o, 'startedAt'), version: str(o, 'version'),
  };
}

/** One task; Result so the caller can keep the app and skip only this task. */
export function decodeMarathonTask(v: unknown, path = 'task'): Result<MarathonTask, Problem> {
  try {
    return ok(task(v));
  } catch (e) {
    if (e instanceof Malformed) return err({ path: path + e.path, message: e.message });
    throw e;
  }
}

/** One app; a malformed task is reported in `problems` and skipped, the app kept. */
export function decodeMarathonApp(v: unknown, path = 'app', problems: Problem[] = []): Result<MarathonApp, Problem> {
  const local: Problem[] = [];
  try {
    const o = obj(v);
    const id = str(o, 'id');
    if (id === undefined || id === '') throw bad('id', 'required string is missing');
    const tasks: MarathonTask[] = [];
    const raw = optArr(o, 'tasks') ?? [];
    for (let i = 0; i < raw.length; i++) {
      try {
        tasks.push(task(raw[i]));
      } catch (e) {
        if (!(e instanceof Malformed)) throw e;
        local.push({ path: `${path}.tasks[${i}]${e.path}`, message: `${e.message}; task skipped` });
      }
    }
    const vi = optObj(o, 'versionInfo');
    const app: MarathonApp = {
      id, instances: int(o, 'instances'),
      labels: strMap(o, 'labels', local, path), env: strMap(o, 'env', local, path),
      portDefinitions: list(o, 'portDefinitions', portDefinition),
      ports: list(o, 'ports', intItem),
      container: container(o),
      networks: list(o, 'networks', networkOf) ?? NONE,
      ipAddress: ipAddress(o),
      healthChecks: list(o, 'healthChecks', healthCheck) ?? NONE,
      tasks, version: str(o, 'version'),
      lastScalingAt: vi && at('.versionInfo', () => str(vi, 'lastScalingAt')),
      lastConfigChangeAt: vi && at('.versionInfo', () => str(vi, 'lastConfigChangeAt')),
    };
    for (const p of local) problems.push(p);
    return ok(app);
  } catch (e) {
    if (e instanceof Malformed) return err({ path: path + e.path, message: `${e.message}; app skipped` });
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
  for (let i = 0; i < raw.length; i++) {
    const r = decodeMarathonApp(raw[i], `${base}[${i}]`, problems);
    if (r.ok) apps.push(r.value);
    else problems.push(r.error);
  }
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
