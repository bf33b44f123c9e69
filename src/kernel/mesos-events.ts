// Mesos v1 operator API events (`POST /api/v1` SUBSCRIBE, JSON encoding; shapes of
// mesos/v1/master/master.proto `Event`) applied to the typed Snapshot, so consumers see the same
// Snapshot whether it came from `/master/state` (mesos-state.ts) or from the change stream.
// Longer than the house aim of 250 lines because it is a codec: one small reader per v1 message.
//
// v1 differs from the v0 `/master/state` shape: ids are `{value}` objects, resources are arrays of
// `Resource` (`{name, type, scalar:{value}} | {…, ranges:{range:[{begin,end}]}}`), labels are
// `{labels:[…]}` (bare arrays are accepted too), agents are `{agent_info:{id,hostname,port,
// attributes,resources}, pid, active, total_resources}`, frameworks `{framework_info:{id,name,
// hostname,role|roles}, active}`, and tasks are listed apart from their frameworks.
//
// Rules: the Snapshot keeps non-terminal tasks only (as `frameworks[].tasks` of /master/state do in
// practice), so a TASK_UPDATED to a terminal state removes the task. A task's `statuses` follow
// Mesos: a status with the same state as the last one replaces it, otherwise it is appended. A
// malformed event yields a Problem and the snapshot unchanged; in SUBSCRIBED, a bad item is
// reported and skipped. Unknown event types are ignored. `leader`/`leaderInfo` are not part of the
// event stream: they are kept from the previous snapshot or set from a GET_MASTER response. Pure.
import type { Problem } from './errors.js';
import type {
  Agent, Discovery, DiscoveryPort, Framework, IpAddress, Label, LeaderInfo, NetworkInfo, PortMapping, PortRange,
  Resources, Snapshot, Task, TaskStatus,
} from './snapshot.js';
import { EMPTY_SNAPSHOT } from './snapshot.js';

import { type Obj, Malformed, isObj, kind, obj } from './json-read.js';
const absent = (v: unknown): boolean => v === undefined || v === null;

function optObj(o: Obj, key: string, path: string): Obj {
  return absent(o[key]) ? {} : obj(o[key], `${path}.${key}`);
}
function typed<T>(o: Obj, key: string, path: string, type: string, check = (_: T) => true): T | undefined {
  const v = o[key];
  if (absent(v)) return undefined;
  if (typeof v !== type || !check(v as T)) throw new Malformed(`${path}.${key}`, `expected a ${type}, got ${kind(v)}`);
  return v as T;
}
const str = (o: Obj, key: string, path: string): string | undefined => typed<string>(o, key, path, 'string');
const num = (o: Obj, key: string, path: string): number | undefined => typed<number>(o, key, path, 'number', Number.isFinite);
const bool = (o: Obj, key: string, path: string): boolean | undefined => typed<boolean>(o, key, path, 'boolean');
function req<T>(v: T | undefined, path: string): T {
  if (v === undefined) throw new Malformed(path, 'required field is missing');
  return v;
}
function arr(o: Obj, key: string, path: string): unknown[] {
  const v = o[key];
  if (absent(v)) return [];
  if (!Array.isArray(v)) throw new Malformed(`${path}.${key}`, `expected an array, got ${kind(v)}`);
  return v;
}
/** A v1 id `{value: "…"}` (a bare string is tolerated). */
function id(o: Obj, key: string, path: string): string | undefined {
  const v = o[key];
  if (absent(v) || typeof v === 'string') return v as string | undefined;
  return str(obj(v, `${path}.${key}`), 'value', `${path}.${key}`);
}
function port(o: Obj, key: string, path: string): number | undefined {
  const v = num(o, key, path);
  if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 65535)) throw new Malformed(`${path}.${key}`, `expected a port 0-65535, got ${v}`);
  return v;
}

export const TERMINAL_STATES: ReadonlySet<string> = new Set([
  'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE',
  'TASK_GONE_BY_OPERATOR', 'TASK_UNREACHABLE', 'TASK_UNKNOWN',
]);

// ── v1 messages ───────────────────────────────────────────────────────────────────────────────

function labels(v: unknown, path: string): Label[] {
  if (absent(v)) return [];
  const list = isObj(v) ? (v.labels ?? []) : v;
  if (!Array.isArray(list)) throw new Malformed(path, `expected a label list, got ${kind(list)}`);
  return list.map((l, i) => {
    const o = obj(l, `${path}[${i}]`);
    return { key: req(str(o, 'key', `${path}[${i}]`), `${path}[${i}].key`), value: str(o, 'value', `${path}[${i}]`) };
  });
}

function ranges(o: Obj, path: string): PortRange[] {
  return arr(optObj(o, 'ranges', path), 'range', `${path}.ranges`).map((r, i) => {
    const p = `${path}.ranges.range[${i}]`;
    const ro = obj(r, p);
    const begin = req(num(ro, 'begin', p), `${p}.begin`);
    const end = req(num(ro, 'end', p), `${p}.end`);
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin > end) throw new Malformed(p, `bad range ${begin}-${end}`);
    return { begin, end };
  });
}

/** A v1 `Resource[]` summed into a Resources summary (reserved copies of a resource add up). */
function resourcesFromV1(v: unknown, path: string): Resources {
  const sums = { cpus: 0, mem: 0, disk: 0, gpus: 0 };
  const ports: PortRange[] = [];
  if (absent(v)) return { ...sums, ports };
  if (!Array.isArray(v)) throw new Malformed(path, `expected a resource array, got ${kind(v)}`);
  v.forEach((r, i) => {
    const p = `${path}[${i}]`;
    const o = obj(r, p);
    const name = req(str(o, 'name', p), `${p}.name`);
    if (name in sums) sums[name as keyof typeof sums] += num(optObj(o, 'scalar', p), 'value', `${p}.scalar`) ?? 0;
    else if (name === 'ports') ports.push(...ranges(o, p));
  });
  // Mesos scalars are fixed-point with three decimals; avoid float sums such as 0.30000000000000004.
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return { cpus: round(sums.cpus), mem: round(sums.mem), disk: round(sums.disk), gpus: round(sums.gpus), ports };
}

/** v1 `Attribute[]` → the v0 attribute map (ranges as "[a-b, c-d]", sets as "{a, b}"). */
function attributes(v: unknown, path: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (absent(v)) return out;
  if (!Array.isArray(v)) throw new Malformed(path, `expected an attribute array, got ${kind(v)}`);
  v.forEach((a, i) => {
    const p = `${path}[${i}]`;
    const o = obj(a, p);
    const name = req(str(o, 'name', p), `${p}.name`);
    if (!absent(o.scalar)) out[name] = req(num(obj(o.scalar, `${p}.scalar`), 'value', `${p}.scalar`), `${p}.scalar.value`);
    else if (!absent(o.text)) out[name] = req(str(obj(o.text, `${p}.text`), 'value', `${p}.text`), `${p}.text.value`);
    else if (!absent(o.ranges)) out[name] = `[${ranges(o, p).map((r) => `${r.begin}-${r.end}`).join(', ')}]`;
    else if (!absent(o.set)) out[name] = `{${arr(obj(o.set, `${p}.set`), 'item', `${p}.set`).map(String).join(', ')}}`;
  });
  return out;
}

function networkInfo(v: unknown, path: string): NetworkInfo {
  const o = obj(v, path);
  const ipAddresses: IpAddress[] = arr(o, 'ip_addresses', path).map((a, i) => {
    const p = `${path}.ip_addresses[${i}]`;
    const ao = obj(a, p);
    const protocol = str(ao, 'protocol', p);
    if (protocol !== undefined && protocol !== 'IPv4' && protocol !== 'IPv6') throw new Malformed(`${p}.protocol`, `expected IPv4 or IPv6, got ${JSON.stringify(protocol)}`);
    return { protocol: protocol as IpAddress['protocol'], ipAddress: str(ao, 'ip_address', p) ?? '' };
  }).filter((a) => a.ipAddress !== '');
  const portMappings: PortMapping[] = arr(o, 'port_mappings', path).map((m, i) => {
    const p = `${path}.port_mappings[${i}]`;
    const mo = obj(m, p);
    return { hostPort: port(mo, 'host_port', p) ?? 0, containerPort: port(mo, 'container_port', p) ?? 0, protocol: str(mo, 'protocol', p) };
  });
  return { name: str(o, 'name', path), ipAddresses, labels: labels(o.labels, `${path}.labels`), portMappings };
}

function taskStatus(v: unknown, path: string): TaskStatus {
  const o = obj(v, path);
  const cs = optObj(o, 'container_status', path);
  return {
    state: req(str(o, 'state', path), `${path}.state`),
    timestamp: num(o, 'timestamp', path) ?? 0,
    labels: labels(o.labels, `${path}.labels`),
    healthy: bool(o, 'healthy', path),
    networkInfos: arr(cs, 'network_infos', `${path}.container_status`).map((n, i) => networkInfo(n, `${path}.container_status.network_infos[${i}]`)),
  };
}

function discovery(v: unknown, path: string): Discovery | undefined {
  if (absent(v)) return undefined;
  const o = obj(v, path);
  const ports: DiscoveryPort[] = arr(optObj(o, 'ports', path), 'ports', `${path}.ports`).map((d, i) => {
    const p = `${path}.ports.ports[${i}]`;
    const po = obj(d, p);
    return {
      number: req(port(po, 'number', p), `${p}.number`), name: str(po, 'name', p), protocol: str(po, 'protocol', p),
      visibility: str(po, 'visibility', p), labels: labels(po.labels, `${p}.labels`),
    };
  });
  return {
    visibility: str(o, 'visibility', path) ?? 'FRAMEWORK', name: str(o, 'name', path), environment: str(o, 'environment', path),
    location: str(o, 'location', path), version: str(o, 'version', path), ports, labels: labels(o.labels, `${path}.labels`),
  };
}

/** A v1 `Task`. */
function taskFromV1(v: unknown, path: string): Task {
  const o = obj(v, path);
  return {
    id: req(id(o, 'task_id', path), `${path}.task_id`),
    name: str(o, 'name', path) ?? '',
    frameworkId: req(id(o, 'framework_id', path), `${path}.framework_id`),
    agentId: req(id(o, 'agent_id', path), `${path}.agent_id`),
    executorId: id(o, 'executor_id', path) ?? '',
    state: str(o, 'state', path) ?? 'TASK_STAGING',
    statuses: arr(o, 'statuses', path).map((s, i) => taskStatus(s, `${path}.statuses[${i}]`)),
    labels: labels(o.labels, `${path}.labels`),
    discovery: discovery(o.discovery, `${path}.discovery`),
    resources: resourcesFromV1(o.resources, `${path}.resources`),
    container: o.container,
  };
}

/** A v1 `GetAgents.Agent`. */
function agentFromV1(v: unknown, path: string): Agent {
  const o = obj(v, path);
  const info = obj(o.agent_info, `${path}.agent_info`);
  const ip = `${path}.agent_info`;
  return {
    id: req(id(info, 'id', ip), `${ip}.id`),
    hostname: str(info, 'hostname', ip) ?? '',
    pid: str(o, 'pid', path),
    port: port(info, 'port', ip),
    attributes: attributes(info.attributes, `${ip}.attributes`),
    resources: absent(o.total_resources) ? resourcesFromV1(info.resources, `${ip}.resources`) : resourcesFromV1(o.total_resources, `${path}.total_resources`),
    active: bool(o, 'active', path) ?? true,
  };
}

/** A v1 `GetFrameworks.Framework` (its tasks come separately; `tasks` starts empty). */
function frameworkFromV1(v: unknown, path: string): Framework {
  const o = obj(v, path);
  const info = obj(o.framework_info, `${path}.framework_info`);
  const ip = `${path}.framework_info`;
  const roles = arr(info, 'roles', ip);
  return {
    id: req(id(info, 'id', ip), `${ip}.id`),
    name: str(info, 'name', ip) ?? '',
    pid: undefined,
    hostname: str(info, 'hostname', ip),
    role: str(info, 'role', ip) ?? (typeof roles[0] === 'string' ? roles[0] : undefined),
    active: bool(o, 'active', path) ?? true,
    tasks: [],
  };
}

// ── reducer ───────────────────────────────────────────────────────────────────────────────────

export interface Applied {
  readonly snapshot: Snapshot;
  /** False for HEARTBEAT, unknown types, malformed events and no-op updates. */
  readonly changed: boolean;
  readonly problems: Problem[];
  /** The event's `type`, or '' when it has none. */
  readonly type: string;
}

function guard(f: () => Problem[]): Problem[] {
  try {
    return f();
  } catch (e) {
    if (e instanceof Malformed) return [{ path: e.path, message: `${e.message}; skipped` }];
    throw e;
  }
}

/** The state body from a SUBSCRIBED event, its `subscribed` part, a GET_STATE response or a bare `get_state`. */
function stateBody(v: unknown): unknown {
  if (!isObj(v)) return v;
  if (isObj(v.subscribed)) return v.subscribed.get_state;
  if (isObj(v.get_state)) return v.get_state;
  return v;
}

/** Build a Snapshot from a SUBSCRIBED event (or GET_STATE); leader fields come from `base`. */
export function subscribedToSnapshot(v: unknown, base: Snapshot = EMPTY_SNAPSHOT): { snapshot: Snapshot; problems: Problem[] } {
  const problems: Problem[] = [];
  const state = stateBody(v);
  const frameworks = new Map<string, Framework & { tasks: Task[] }>();
  const agents: Agent[] = [];
  problems.push(...guard(() => {
    const st = obj(state, 'get_state');
    const each = (key: string, list: string, fn: (item: unknown, path: string) => void): void => {
      const part = absent(st[key]) ? {} : obj(st[key], `get_state.${key}`);
      arr(part, list, `get_state.${key}`).forEach((item, i) => problems.push(...guard(() => (fn(item, `get_state.${key}.${list}[${i}]`), []))));
    };
    each('get_agents', 'agents', (a, p) => void agents.push(agentFromV1(a, p)));
    each('get_frameworks', 'frameworks', (f, p) => {
      const fw = frameworkFromV1(f, p);
      frameworks.set(fw.id, { ...fw, tasks: [] });
    });
    each('get_tasks', 'tasks', (t, p) => {
      const task = taskFromV1(t, p);
      if (TERMINAL_STATES.has(task.state)) return;
      const fw = frameworks.get(task.frameworkId);
      if (!fw) throw new Malformed(`${p}.framework_id`, `unknown framework ${JSON.stringify(task.frameworkId)}`);
      fw.tasks.push(task);
    });
    return [];
  }));
  const snapshot = { leader: base.leader, leaderInfo: base.leaderInfo, agents, frameworks: [...frameworks.values()] };
  return { snapshot, problems };
}

/** Leader fields from a GET_MASTER response (`{get_master:{master_info:{id,pid,hostname,port,address}}}`). */
export function leaderFromGetMaster(v: unknown): { leader: string | undefined; leaderInfo: LeaderInfo } | undefined {
  try {
    const mi = obj(obj(obj(v, '').get_master, 'get_master').master_info, 'get_master.master_info');
    const address = optObj(mi, 'address', 'master_info');
    const leaderInfo: LeaderInfo = {
      id: str(mi, 'id', 'master_info'), pid: str(mi, 'pid', 'master_info'), hostname: str(mi, 'hostname', 'master_info'),
      ip: str(address, 'ip', 'master_info.address'), port: port(mi, 'port', 'master_info'),
    };
    return { leader: leaderInfo.pid, leaderInfo };
  } catch (e) {
    if (e instanceof Malformed) return undefined;
    throw e;
  }
}

/** Mesos keeps one status per consecutive state: same state as the last replaces it. */
function addStatus(statuses: readonly TaskStatus[], s: TaskStatus): TaskStatus[] {
  const last = statuses[statuses.length - 1];
  return last && last.state === s.state ? [...statuses.slice(0, -1), s] : [...statuses, s];
}

const replaceAt = <T>(list: readonly T[], i: number, x: T): T[] => list.map((y, j) => (j === i ? x : y));

/** Apply one decoded v1 event to a snapshot. Never throws; see the header for the rules. */
export function applyEvent(snap: Snapshot, event: unknown): Applied {
  const type = isObj(event) && typeof event.type === 'string' ? event.type : '';
  const same = (problems: Problem[] = []): Applied => ({ snapshot: snap, changed: false, problems, type });
  const next = (snapshot: Snapshot): Applied => ({ snapshot, changed: true, problems: [], type });
  const body = (): Obj => obj((event as Obj)[type.toLowerCase()], type.toLowerCase());
  try {
    switch (type) {
      case '':
        return same([{ path: 'type', message: `event without a type: ${kind(event)}; skipped` }]);
      case 'SUBSCRIBED': {
        const r = subscribedToSnapshot(event, snap);
        return { snapshot: r.snapshot, changed: true, problems: r.problems, type };
      }
      case 'TASK_ADDED': {
        const task = taskFromV1(body().task, 'task_added.task');
        const fi = snap.frameworks.findIndex((f) => f.id === task.frameworkId);
        const fw = snap.frameworks[fi];
        if (!fw) return same([{ path: 'task_added.task.framework_id', message: `unknown framework ${JSON.stringify(task.frameworkId)}; skipped` }]);
        if (TERMINAL_STATES.has(task.state)) return same();
        const ti = fw.tasks.findIndex((t) => t.id === task.id);
        const tasks = ti === -1 ? [...fw.tasks, task] : replaceAt(fw.tasks, ti, task);
        return next({ ...snap, frameworks: replaceAt(snap.frameworks, fi, { ...fw, tasks }) });
      }
      case 'TASK_UPDATED': {
        const b = body();
        const frameworkId = req(id(b, 'framework_id', 'task_updated'), 'task_updated.framework_id');
        const status = obj(b.status, 'task_updated.status');
        const taskId = req(id(status, 'task_id', 'task_updated.status') ?? id(b, 'task_id', 'task_updated'), 'task_updated.status.task_id');
        const s = taskStatus(status, 'task_updated.status');
        const state = str(b, 'state', 'task_updated') ?? s.state;
        const fi = snap.frameworks.findIndex((f) => f.id === frameworkId);
        const fw = snap.frameworks[fi];
        const ti = fw ? fw.tasks.findIndex((t) => t.id === taskId) : -1;
        const task = fw?.tasks[ti];
        if (!fw || !task) {
          // A terminal update for a task we never kept is expected (e.g. a task that failed to launch).
          if (TERMINAL_STATES.has(state)) return same();
          return same([{ path: 'task_updated', message: `unknown task ${JSON.stringify(taskId)} of framework ${JSON.stringify(frameworkId)}; skipped` }]);
        }
        const tasks = TERMINAL_STATES.has(state)
          ? fw.tasks.filter((_, j) => j !== ti)
          : replaceAt(fw.tasks, ti, { ...task, state, statuses: addStatus(task.statuses, s) });
        return next({ ...snap, frameworks: replaceAt(snap.frameworks, fi, { ...fw, tasks }) });
      }
      case 'AGENT_ADDED': {
        const agent = agentFromV1(body().agent, 'agent_added.agent');
        const ai = snap.agents.findIndex((a) => a.id === agent.id);
        return next({ ...snap, agents: ai === -1 ? [...snap.agents, agent] : replaceAt(snap.agents, ai, agent) });
      }
      case 'AGENT_REMOVED': {
        const agentId = req(id(body(), 'agent_id', 'agent_removed'), 'agent_removed.agent_id');
        const agents = snap.agents.filter((a) => a.id !== agentId);
        return agents.length === snap.agents.length ? same() : next({ ...snap, agents });
      }
      case 'FRAMEWORK_ADDED':
      case 'FRAMEWORK_UPDATED': {
        const path = `${type.toLowerCase()}.framework`;
        const fw = frameworkFromV1(body().framework, path);
        const fi = snap.frameworks.findIndex((f) => f.id === fw.id);
        const old = snap.frameworks[fi];
        const frameworks = old ? replaceAt(snap.frameworks, fi, { ...fw, tasks: old.tasks }) : [...snap.frameworks, fw];
        return next({ ...snap, frameworks });
      }
      case 'FRAMEWORK_REMOVED': {
        const info = obj(body().framework_info, 'framework_removed.framework_info');
        const fid = req(id(info, 'id', 'framework_removed.framework_info'), 'framework_removed.framework_info.id');
        const frameworks = snap.frameworks.filter((f) => f.id !== fid);
        return frameworks.length === snap.frameworks.length ? same() : next({ ...snap, frameworks });
      }
      default:
        return same(); // HEARTBEAT and event types we do not track
    }
  } catch (e) {
    if (e instanceof Malformed) return same([{ path: e.path, message: `${e.message}; event skipped` }]);
    throw e;
  }
}
