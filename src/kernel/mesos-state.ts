// Mesos master state codec: `GET /master/state` JSON (the v0 shape of Mesos 1.x, see
// ../shared/reference/core.md §1 and conformance/mesos-dns/fake.json) → the typed Snapshot.
// Longer than the house aim of 250 lines because it is a codec: one small reader per JSON object.
//
// Tolerance rules:
//  - unknown fields are ignored; optional fields that are absent get their documented default;
//  - a field that is present with the wrong type makes its enclosing agent / framework / task
//    malformed: that item is reported as a Problem with its path (`frameworks[1].tasks[3].resources.ports`)
//    and skipped, everything else is kept;
//  - a document that is not an object yields the empty snapshot and one problem.
// Also exported: the port-range parser (`"[31000-31002, 31005-31005]"`), libprocess pid parsing
// (`master@1.2.3.4:5050`, `slave(1)@[2001:db8::1]:5051`) and the leader host, as mesos-dns reads them.
// Pure: no I/O; nothing here throws to the caller.
import type { Problem, Result } from './errors.js';
import { ok, err } from './errors.js';
import type {
  Agent, Discovery, DiscoveryPort, Framework, IpAddress, Label, LeaderInfo, NetworkInfo, PortMapping, PortRange,
  Resources, Snapshot, Task, TaskStatus,
} from './snapshot.js';

import { type Obj, Malformed, isObj, kind, obj } from './json-read.js';
function str(o: Obj, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Malformed(`${path}.${key}`, `expected a string, got ${kind(v)}`);
  return v;
}
function reqStr(o: Obj, key: string, path: string): string {
  const v = str(o, key, path);
  if (v === undefined) throw new Malformed(`${path}.${key}`, 'required string is missing');
  return v;
}
function num(o: Obj, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Malformed(`${path}.${key}`, `expected a number, got ${kind(v)}`);
  return v;
}
function bool(o: Obj, key: string, path: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new Malformed(`${path}.${key}`, `expected a boolean, got ${kind(v)}`);
  return v;
}
function arr(o: Obj, key: string, path: string): unknown[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Malformed(`${path}.${key}`, `expected an array, got ${kind(v)}`);
  return v;
}
function port(o: Obj, key: string, path: string): number | undefined {
  const v = num(o, key, path);
  if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 65535)) throw new Malformed(`${path}.${key}`, `expected a port 0-65535, got ${v}`);
  return v;
}

// ── ports and pids ────────────────────────────────────────────────────────────────────────────

/**
 * Parse a Mesos RANGES string such as `"[31000-31002, 31005-31005]"` (brackets optional, `"[]"` is
 * empty; a lone `31000` is accepted as `31000-31000`). Ports must be 0-65535 and begin ≤ end.
 */
export function parsePortRanges(text: string): Result<PortRange[], string> {
  const fast = simpleRanges(text);
  if (fast !== undefined) return ok(fast);
  const body = text.trim().replace(/^\[/, '').replace(/\]$/, '').trim();
  if (body === '') return ok([]);
  const out: PortRange[] = [];
  for (const part of body.split(',')) {
    const m = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(part);
    if (!m) return err(`bad port range ${JSON.stringify(part.trim())} in ${JSON.stringify(text)}`);
    const begin = Number(m[1]);
    const end = m[2] === undefined ? begin : Number(m[2]);
    if (begin > 65535 || end > 65535 || begin > end) return err(`bad port range ${begin}-${end} in ${JSON.stringify(text)}`);
    out.push({ begin, end });
  }
  return ok(out);
}

/** Every port of the ranges, in order (`[{31111,31111},{31115,31117}]` → 31111, 31115, 31116, 31117). */
export function expandPorts(ranges: readonly PortRange[]): number[] {
  const out: number[] = [];
  for (const r of ranges) for (let p = r.begin; p <= r.end; p++) out.push(p);
  return out;
}

/**
 * The exact shape Mesos writes, `[b-e]` or `[b-e, b-e, …]` (digits, no leading zeros, no other
 * spaces), parsed without regular expressions or intermediate strings (a state has one per task);
 * undefined for anything else, which the general parser above then handles or rejects.
 */
function simpleRanges(t: string): PortRange[] | undefined {
  const n = t.length;
  if (n < 5 || t.charCodeAt(0) !== 91 || t.charCodeAt(n - 1) !== 93) return undefined;
  const out: PortRange[] = [];
  let i = 1;
  const number = (): number => {
    const start = i;
    let v = 0;
    while (i < n - 1) {
      const c = t.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      i++;
    }
    const len = i - start;
    return len === 0 || len > 5 || (len > 1 && t.charCodeAt(start) === 48) ? -1 : v;
  };
  for (;;) {
    const begin = number();
    if (begin < 0 || t.charCodeAt(i) !== 45) return undefined;
    i++;
    const end = number();
    if (end < 0 || begin > 65535 || end > 65535 || begin > end) return undefined;
    out.push({ begin, end });
    if (i === n - 1) return out;
    if (t.charCodeAt(i) !== 44 || t.charCodeAt(i + 1) !== 32) return undefined;
    i += 2;
  }
}

/** A libprocess process id `id@host:port`; IPv6 hosts are written `[addr]` and returned bare. */
export interface Pid {
  readonly id: string;
  readonly host: string;
  readonly port: number;
}

/** Parse `slave(1)@127.0.0.1:5051` / `master@[2001:db8::1]:5050` (surrounding spaces ignored). */
export function parsePid(text: string | undefined): Pid | undefined {
  const parts = (text ?? '').trim().split('@');
  if (parts.length !== 2) return undefined;
  const [id, addr] = parts as [string, string];
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(addr);
  if (!m) return undefined;
  const host = m[1] ?? m[2] ?? '';
  const p = Number(m[3]);
  if (host === '' || p > 65535) return undefined;
  return { id, host, port: p };
}

/** The leader's host (normally an IP) from the state's `leader` pid, or a problem. */
export function leaderHost(leader: string | undefined): Result<string, Problem[]> {
  const pid = parsePid(leader);
  if (!pid) return err([{ path: 'leader', message: `not a libprocess pid (name@host:port): ${JSON.stringify(leader ?? '')}` }]);
  return ok(pid.host);
}

// ── small shared parts ────────────────────────────────────────────────────────────────────────

/** Labels: a bare array `[{key,value}]` or the proto wrapper `{labels:[…]}`, both accepted everywhere. */
function labels(v: unknown, path: string): Label[] {
  if (v === undefined || v === null) return [];
  const list = isObj(v) ? (v.labels ?? []) : v;
  if (!Array.isArray(list)) throw new Malformed(path, `expected a label list, got ${kind(list)}`);
  return list.map((l, i) => {
    const o = obj(l, `${path}[${i}]`);
    return { key: reqStr(o, 'key', `${path}[${i}]`), value: str(o, 'value', `${path}[${i}]`) };
  });
}

function resources(v: unknown, path: string): Resources {
  if (v === undefined || v === null) return { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] };
  const o = obj(v, path);
  const portsText = str(o, 'ports', path);
  let ports: PortRange[] = [];
  if (portsText !== undefined) {
    const r = parsePortRanges(portsText);
    if (!r.ok) throw new Malformed(`${path}.ports`, r.error);
    ports = r.value;
  }
  return { cpus: num(o, 'cpus', path) ?? 0, mem: num(o, 'mem', path) ?? 0, disk: num(o, 'disk', path) ?? 0, gpus: num(o, 'gpus', path) ?? 0, ports };
}

function networkInfo(v: unknown, path: string): NetworkInfo {
  const o = obj(v, path);
  let ipAddresses: IpAddress[] = arr(o, 'ip_addresses', path).map((a, i) => {
    const p = `${path}.ip_addresses[${i}]`;
    const ao = obj(a, p);
    const protocol = str(ao, 'protocol', p);
    if (protocol !== undefined && protocol !== 'IPv4' && protocol !== 'IPv6') throw new Malformed(`${p}.protocol`, `expected IPv4 or IPv6, got ${JSON.stringify(protocol)}`);
    return { protocol: protocol as IpAddress['protocol'], ipAddress: str(ao, 'ip_address', p) ?? '' };
  }).filter((a) => a.ipAddress !== '');
  // Mesos 0.25 wrote a single `ip_address`; `ip_addresses` (0.26+) wins when both are present.
  const legacy = str(o, 'ip_address', path);
  if (ipAddresses.length === 0 && legacy) ipAddresses = [{ protocol: undefined, ipAddress: legacy }];
  const portMappings: PortMapping[] = arr(o, 'port_mappings', path).map((m, i) => {
    const p = `${path}.port_mappings[${i}]`;
    const mo = obj(m, p);
    return { hostPort: port(mo, 'host_port', p) ?? 0, containerPort: port(mo, 'container_port', p) ?? 0, protocol: str(mo, 'protocol', p) };
  });
  return { name: str(o, 'name', path), ipAddresses, labels: labels(o.labels, `${path}.labels`), portMappings };
}

function taskStatus(v: unknown, path: string): TaskStatus {
  const o = obj(v, path);
  const cs = o.container_status === undefined || o.container_status === null ? {} : obj(o.container_status, `${path}.container_status`);
  return {
    state: reqStr(o, 'state', path),
    timestamp: num(o, 'timestamp', path) ?? 0,
    labels: labels(o.labels, `${path}.labels`),
    healthy: bool(o, 'healthy', path),
    networkInfos: arr(cs, 'network_infos', `${path}.container_status`).map((n, i) => networkInfo(n, `${path}.container_status.network_infos[${i}]`)),
  };
}

function discovery(v: unknown, path: string): Discovery | undefined {
  if (v === undefined || v === null) return undefined;
  const o = obj(v, path);
  const portsObj = o.ports === undefined || o.ports === null ? {} : obj(o.ports, `${path}.ports`);
  const ports: DiscoveryPort[] = arr(portsObj, 'ports', `${path}.ports`).map((d, i) => {
    const p = `${path}.ports.ports[${i}]`;
    const po = obj(d, p);
    const number = port(po, 'number', p);
    if (number === undefined) throw new Malformed(`${p}.number`, 'required port number is missing');
    return { number, name: str(po, 'name', p), protocol: str(po, 'protocol', p), visibility: str(po, 'visibility', p), labels: labels(po.labels, `${p}.labels`) };
  });
  return {
    visibility: str(o, 'visibility', path) ?? 'FRAMEWORK',
    name: str(o, 'name', path),
    environment: str(o, 'environment', path),
    location: str(o, 'location', path),
    version: str(o, 'version', path),
    ports,
    labels: labels(o.labels, `${path}.labels`),
  };
}

// ── items ─────────────────────────────────────────────────────────────────────────────────────

/** A decoded item, or undefined with the problem that made it unusable. */
export interface Decoded<T> {
  readonly value: T | undefined;
  readonly problems: Problem[];
}

function guarded<T>(f: () => T): Decoded<T> {
  try {
    return { value: f(), problems: [] };
  } catch (e) {
    if (e instanceof Malformed) return { value: undefined, problems: [{ path: e.path, message: `${e.message}; item skipped` }] };
    throw e;
  }
}

/** Decode one task (`frameworks[i].tasks[j]`); `frameworkId` is the default for a missing framework_id. */
export function decodeTask(v: unknown, path: string, frameworkId = ''): Decoded<Task> {
  return guarded(() => {
    const o = obj(v, path);
    return {
      id: reqStr(o, 'id', path),
      name: str(o, 'name', path) ?? '',
      frameworkId: str(o, 'framework_id', path) ?? frameworkId,
      agentId: reqStr(o, 'slave_id', path),
      executorId: str(o, 'executor_id', path) ?? '',
      state: reqStr(o, 'state', path),
      statuses: arr(o, 'statuses', path).map((s, i) => taskStatus(s, `${path}.statuses[${i}]`)),
      labels: labels(o.labels, `${path}.labels`),
      discovery: discovery(o.discovery, `${path}.discovery`),
      resources: resources(o.resources, `${path}.resources`),
      container: o.container,
    };
  });
}

/** Decode one agent (`slaves[i]`). */
export function decodeAgent(v: unknown, path: string): Decoded<Agent> {
  return guarded(() => {
    const o = obj(v, path);
    const attributes: Record<string, string | number> = {};
    if (o.attributes !== undefined && o.attributes !== null) {
      for (const [k, a] of Object.entries(obj(o.attributes, `${path}.attributes`))) {
        if (typeof a !== 'string' && typeof a !== 'number') throw new Malformed(`${path}.attributes.${k}`, `expected a string or number, got ${kind(a)}`);
        attributes[k] = a;
      }
    }
    const pid = str(o, 'pid', path);
    return {
      id: reqStr(o, 'id', path),
      hostname: str(o, 'hostname', path) ?? '',
      pid,
      port: port(o, 'port', path) ?? parsePid(pid)?.port,
      attributes,
      resources: resources(o.resources, `${path}.resources`),
      active: bool(o, 'active', path) ?? true,
    };
  });
}

/** Decode one framework (`frameworks[i]`) with its tasks; a bad task is reported and left out. */
export function decodeFramework(v: unknown, path: string): Decoded<Framework> {
  const problems: Problem[] = [];
  const d = guarded(() => {
    const o = obj(v, path);
    const id = reqStr(o, 'id', path);
    const roles = arr(o, 'roles', path);
    const tasks: Task[] = [];
    arr(o, 'tasks', path).forEach((t, i) => {
      const r = decodeTask(t, `${path}.tasks[${i}]`, id);
      problems.push(...r.problems);
      if (r.value) tasks.push(r.value);
    });
    return {
      id,
      name: str(o, 'name', path) ?? '',
      pid: str(o, 'pid', path),
      hostname: str(o, 'hostname', path),
      role: str(o, 'role', path) ?? (typeof roles[0] === 'string' ? roles[0] : undefined),
      active: bool(o, 'active', path) ?? true,
      tasks,
    };
  });
  return { value: d.value, problems: d.value ? problems : d.problems };
}

function leaderInfo(v: unknown): Decoded<LeaderInfo | undefined> {
  return guarded(() => {
    if (v === undefined || v === null) return undefined;
    const o = obj(v, 'leader_info');
    const address = o.address === undefined || o.address === null ? {} : obj(o.address, 'leader_info.address');
    return {
      id: str(o, 'id', 'leader_info'),
      pid: str(o, 'pid', 'leader_info'),
      hostname: str(o, 'hostname', 'leader_info'),
      ip: str(address, 'ip', 'leader_info.address'),
      port: port(o, 'port', 'leader_info'),
    };
  });
}

/** Decode a whole `/master/state` document. Never throws; see the header for the tolerance rules. */
export function decodeMasterState(json: unknown): { snapshot: Snapshot; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!isObj(json)) {
    return { snapshot: { leader: undefined, leaderInfo: undefined, agents: [], frameworks: [] }, problems: [{ path: '', message: `master state must be a JSON object, got ${kind(json)}` }] };
  }
  const list = (key: string): unknown[] => {
    const v = json[key];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    problems.push({ path: key, message: `expected an array, got ${kind(v)}; ignored` });
    return [];
  };
  let leader: string | undefined;
  if (typeof json.leader === 'string') leader = json.leader;
  else if (json.leader !== undefined && json.leader !== null) problems.push({ path: 'leader', message: `expected a string, got ${kind(json.leader)}; ignored` });
  const li = leaderInfo(json.leader_info);
  problems.push(...li.problems);

  const agents: Agent[] = [];
  list('slaves').forEach((a, i) => {
    const r = decodeAgent(a, `slaves[${i}]`);
    problems.push(...r.problems);
    if (r.value) agents.push(r.value);
  });
  const frameworks: Framework[] = [];
  list('frameworks').forEach((f, i) => {
    const r = decodeFramework(f, `frameworks[${i}]`);
    problems.push(...r.problems);
    if (r.value) frameworks.push(r.value);
  });
  return { snapshot: { leader, leaderInfo: li.value, agents, frameworks }, problems };
}
