// VIP derivation shared by dns and l4lb (Minuteman/dcos-net semantics). From a snapshot it finds every
// VIP declared by task port labels, names it, gives named VIPs a deterministic address, and lists the
// tasks behind each VIP with the facts a balancer needs (agent IP, host/container port, task IPs,
// state, health). Weights and endpoint choice are the balancer's business, not this file's.
// Label sources, as dcos-net reads them:
//  - discovery port labels: a key starting with "VIP" (case-insensitive; `VIP_0`), value `/name:port`,
//    `name:port` or `ip:port`; protocol from the discovery port; `network-scope` label host|container.
//  - legacy task labels `VIP_PORT<n>` = `tcp://ip:port` (or udp://, or a name); n indexes the task's
//    expanded `ports` resource, which gives the host port.
// Named-VIP addresses: FNV-1a (32-bit) of the cleaned `<name>.<framework>` modulo the usable size of
// the range (network and broadcast excluded), collisions resolved by linear probing (wrapping) with
// names taken in sorted order, so every node holding the same snapshot computes the same map.
// Pure: bad labels become Problems and are skipped; nothing here throws. Longer than 250 lines: the
// whole derivation is one definition that dns and l4lb must agree on, so it stays in one file.
import type { Problem } from './errors.js';
import type { Label, Snapshot, Task, TaskStatus } from './snapshot.js';
import { domainFrag, rfc1123Label } from './labels.js';
import { addressCount, intToIpv4, ipv4ToInt, isIp, isIPv4, normalizeIp, parseCidr } from './ip.js';

export type VipProtocol = 'tcp' | 'udp';

export const VIP_DEFAULTS = Object.freeze({
  /** Range named VIPs are hashed into (DC/OS: 11.0.0.0/8). */
  namedRange: '11.0.0.0/8',
  /** DNS zone of named VIPs. */
  zone: 'l4lb.thisdcos.directory',
});

export interface VipOptions {
  readonly namedRange?: string;
  readonly zone?: string;
  /** Addresses no VIP may use (e.g. real host addresses); agent and task IPs are always reserved. */
  readonly reserved?: readonly string[];
}

/** A parsed label value: an IP VIP or a named VIP (name as written, e.g. "/web"). */
export type VipTarget =
  | { readonly kind: 'ip'; readonly ip: string; readonly port: number }
  | { readonly kind: 'named'; readonly name: string; readonly port: number };

/** One task port behind a VIP. */
export interface VipBackend {
  readonly taskId: string;
  readonly taskName: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly state: string;
  /** Latest status's health: undefined when the task has no health result. */
  readonly healthy: boolean | undefined;
  readonly source: 'discovery' | 'legacy';
  /** Index of the labelled port (discovery port index, or the VIP_PORT<n> index into `ports`). */
  readonly portIndex: number;
  /** `host`: the port number is an agent port; `container`: it is a port on the task's own IPs. */
  readonly scope: 'host' | 'container';
  readonly agentIp: string | undefined;
  readonly hostPort: number | undefined;
  readonly containerPort: number | undefined;
  readonly taskIps: readonly string[];
}

export interface Vip {
  /** Unique key `<protocol>://<ip>:<port>`. */
  readonly key: string;
  readonly protocol: VipProtocol;
  readonly ip: string;
  readonly port: number;
  /** Named VIPs: the FQDN `<name>.<framework>.<zone>`; IP VIPs: undefined. */
  readonly name: string | undefined;
  /** Named VIPs: the cleaned `<name>.<framework>` that was hashed. */
  readonly label: string | undefined;
  readonly framework: string | undefined;
  readonly backends: readonly VipBackend[];
}

export interface DerivedVips {
  /** Sorted by key. */
  readonly vips: readonly Vip[];
  readonly problems: readonly Problem[];
}

const TERMINAL = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN']);

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** Parse a `VIP_n` value: `/name:port`, `name:port` or `ip:port` (split at the last ':'). */
export function parseVipValue(value: string | undefined): VipTarget | Problem {
  const v = (value ?? '').trim();
  const i = v.lastIndexOf(':');
  if (i <= 0) return { path: '', message: `VIP label ${JSON.stringify(v)} is not <name-or-ip>:<port>` };
  const left = v.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  const port = parsePort(v.slice(i + 1));
  if (port === undefined) return { path: '', message: `VIP label ${JSON.stringify(v)} has a bad port (want 1-65535)` };
  if (isIp(left)) {
    if (!isIPv4(left)) return { path: '', message: `VIP label ${JSON.stringify(v)}: IPv6 VIPs are not supported` };
    return { kind: 'ip', ip: normalizeIp(left) ?? left, port };
  }
  return { kind: 'named', name: left, port };
}

/** Parse a legacy `VIP_PORTn` value: `tcp://ip:port` or `udp://…` (a name is accepted too). */
export function parseLegacyVipValue(value: string | undefined): { protocol: VipProtocol; target: VipTarget } | Problem {
  const m = /^(tcp|udp):\/\/(.+)$/i.exec((value ?? '').trim());
  if (!m) return { path: '', message: `legacy VIP label ${JSON.stringify(value ?? '')} is not tcp://<ip>:<port> or udp://<ip>:<port>` };
  const target = parseVipValue(m[2]);
  return 'kind' in target ? { protocol: m[1]!.toLowerCase() as VipProtocol, target } : target;
}

/** Clean a VIP name into one DNS label ("/my-service" → "my-service", "/group/app" → "groupapp"). */
export function cleanVipName(name: string): string {
  return rfc1123Label(name);
}

/** Clean a framework name into DNS labels, keeping its dots ("my.fw" → "my.fw"). */
export function cleanFrameworkName(name: string): string {
  return domainFrag(name);
}

/** FQDN of a named VIP: `<name>.<framework>.<zone>`, or undefined if either cleans to nothing. */
export function vipDnsName(name: string, framework: string, zone: string = VIP_DEFAULTS.zone): string | undefined {
  const label = vipLabel(name, framework);
  return label === undefined ? undefined : `${label}.${zone}`;
}

/** The hashed key `<name>.<framework>` after cleaning, or undefined if either cleans to nothing. */
export function vipLabel(name: string, framework: string): string | undefined {
  const n = cleanVipName(name);
  const f = cleanFrameworkName(framework);
  return n && f ? `${n}.${f}` : undefined;
}

/** FNV-1a 32-bit over the UTF-8 bytes of `s`. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Addresses for named VIPs: each label hashed into `range` (IPv4 CIDR; network and broadcast
 * excluded for prefixes up to /30), labels taken in sorted order, linear probing past taken or
 * reserved addresses. Labels that find no free address are reported and left out.
 */
export function namedVipAddresses(labels: Iterable<string>, range: string = VIP_DEFAULTS.namedRange, reserved: Iterable<string> = []): { addresses: Map<string, string>; problems: Problem[] } {
  const addresses = new Map<string, string>();
  const problems: Problem[] = [];
  const cidr = parseCidr(range);
  if (!cidr.ok || cidr.value.family !== 4) {
    problems.push({ path: 'namedRange', message: `named VIP range must be an IPv4 CIDR, got ${JSON.stringify(range)}` });
    return { addresses, problems };
  }
  const edge = cidr.value.prefixLength <= 30 ? 1 : 0;
  const first = ipv4ToInt(cidr.value.network)! + edge;
  const size = addressCount(cidr.value) - 2 * edge;
  const taken = new Set<number>();
  for (const r of reserved) {
    const n = ipv4ToInt(r);
    if (n !== undefined && n >= first && n < first + size) taken.add(n - first);
  }
  for (const label of [...new Set(labels)].sort()) {
    if (taken.size >= size) {
      problems.push({ path: label, message: `named VIP range ${cidr.value.text} is exhausted` });
      continue;
    }
    let off = fnv1a32(label) % size;
    while (taken.has(off)) off = (off + 1) % size;
    taken.add(off);
    addresses.set(label, intToIpv4(first + off)!);
  }
  return { addresses, problems };
}

/** The status that describes the task now: the last one by timestamp (ties: the later in the list). */
function latestStatus(task: Task): TaskStatus | undefined {
  let best: TaskStatus | undefined;
  for (const s of task.statuses) if (!best || s.timestamp >= best.timestamp) best = s;
  return best;
}

/** Agent IP from its libprocess pid (`slave(1)@10.0.0.1:5051`), else its hostname if that is an IP. */
export function agentIp(pid: string | undefined, hostname: string | undefined): string | undefined {
  const m = /@([^:]+):\d+$/.exec(pid ?? '');
  if (m && isIPv4(m[1]!)) return m[1];
  return hostname && isIPv4(hostname) ? hostname : undefined;
}

const labelValue = (labels: readonly Label[], key: string): string | undefined =>
  labels.find((l) => l.key.toLowerCase() === key)?.value;

/** Port mappings of a task: from its network infos and from a Docker `container.docker.port_mappings`. */
function portMappings(task: Task, status: TaskStatus | undefined): { hostPort: number; containerPort: number }[] {
  const out = (status?.networkInfos ?? []).flatMap((n) => n.portMappings.map((p) => ({ hostPort: p.hostPort, containerPort: p.containerPort })));
  const docker = (task.container as { docker?: { port_mappings?: unknown } } | null | undefined)?.docker?.port_mappings;
  if (Array.isArray(docker)) {
    for (const p of docker as { host_port?: unknown; container_port?: unknown }[]) {
      if (typeof p?.host_port === 'number' && typeof p.container_port === 'number') out.push({ hostPort: p.host_port, containerPort: p.container_port });
    }
  }
  return out;
}

interface Declared { protocol: VipProtocol; target: VipTarget; backend: VipBackend; framework?: string; path?: string }

/** Per-derivation memo: the same label values and task IPs recur across many tasks. */
class Memo {
  private readonly values = new Map<string, VipTarget | Problem>();
  private readonly v4 = new Map<string, boolean>();
  vip(value: string | undefined): VipTarget | Problem {
    const key = value ?? '';
    let r = this.values.get(key);
    if (r === undefined) this.values.set(key, (r = parseVipValue(value)));
    return r;
  }
  isIPv4(ip: string): boolean {
    let r = this.v4.get(ip);
    if (r === undefined) this.v4.set(ip, (r = isIPv4(ip)));
    return r;
  }
}

/** Every VIP declaration of one task, with problems for the labels that could not be used. */
function declarations(task: Task, framework: string, agentAddr: string | undefined, path: string, problems: Problem[], memo: Memo): Declared[] {
  const status = latestStatus(task);
  const taskIps = (status?.networkInfos ?? []).flatMap((n) => n.ipAddresses.map((a) => a.ipAddress)).filter((ip) => memo.isIPv4(ip));
  const onNamedNetwork = (status?.networkInfos ?? []).some((n) => n.name !== undefined && n.name !== '');
  const mappings = portMappings(task, status);
  const base = { taskId: task.id, taskName: task.name, frameworkId: task.frameworkId, agentId: task.agentId, state: task.state, healthy: status?.healthy, agentIp: agentAddr, taskIps };
  const out: Declared[] = [];
  const report = (p: string, message: string) => problems.push({ path: p, message: `${message} (framework ${framework}, task ${task.id}); VIP skipped` });

  (task.discovery?.ports ?? []).forEach((dp, i) => {
    const scopeLabel = labelValue(dp.labels, 'network-scope')?.toLowerCase();
    const scope: 'host' | 'container' = scopeLabel === 'host' ? 'host' : scopeLabel === 'container' ? 'container' : onNamedNetwork ? 'container' : 'host';
    const proto = (dp.protocol ?? 'tcp').toLowerCase();
    for (const l of dp.labels) {
      if (!/^vip/i.test(l.key)) continue;
      const p = `${path}.discovery.ports[${i}].labels.${l.key}`;
      if (proto !== 'tcp' && proto !== 'udp') { report(p, `unknown protocol ${JSON.stringify(dp.protocol)}`); continue; }
      const target = memo.vip(l.value);
      if (!('kind' in target)) { report(p, target.message); continue; }
      const hostPort = scope === 'host' ? dp.number : mappings.find((m) => m.containerPort === dp.number)?.hostPort;
      const containerPort = scope === 'container' ? dp.number : mappings.find((m) => m.hostPort === dp.number)?.containerPort;
      out.push({ protocol: proto, target, backend: { ...base, source: 'discovery', portIndex: i, scope, hostPort, containerPort } });
    }
  });

  let ports: number[] | undefined; // expanded only when a legacy label needs it
  for (const l of task.labels) {
    const m = /^vip_port(\d+)$/i.exec(l.key);
    if (!m) continue;
    ports ??= task.resources.ports.flatMap((r) => Array.from({ length: Math.max(0, Math.min(r.end - r.begin + 1, 65536)) }, (_, k) => r.begin + k));
    const p = `${path}.labels.${l.key}`;
    const idx = Number(m[1]);
    const parsed = parseLegacyVipValue(l.value);
    if (!('target' in parsed)) { report(p, parsed.message); continue; }
    const hostPort = ports[idx];
    if (hostPort === undefined) { report(p, `port index ${idx} is outside the task's ${ports.length} ports`); continue; }
    const containerPort = mappings.find((mp) => mp.hostPort === hostPort)?.containerPort;
    out.push({ protocol: parsed.protocol, target: parsed.target, backend: { ...base, source: 'legacy', portIndex: idx, scope: 'host', hostPort, containerPort } });
  }
  return out;
}

/** Every VIP of the snapshot with its backends (tasks not in a terminal state), plus problems. */
export function deriveVips(snapshot: Snapshot, opts: VipOptions = {}): DerivedVips {
  const zone = opts.zone ?? VIP_DEFAULTS.zone;
  const problems: Problem[] = [];
  const agentIps = new Map(snapshot.agents.map((a) => [a.id, agentIp(a.pid, a.hostname)]));
  const decls: (Declared & { framework: string; path: string })[] = [];
  const memo = new Memo();
  snapshot.frameworks.forEach((fw, fi) => {
    fw.tasks.forEach((task, ti) => {
      if (TERMINAL.has(task.state)) return;
      const path = `frameworks[${fi}].tasks[${ti}]`;
      for (const d of declarations(task, fw.name, agentIps.get(task.agentId), path, problems, memo)) {
        d.framework = fw.name;
        d.path = path;
        decls.push(d as Declared & { framework: string; path: string });
      }
    });
  });

  // Real addresses (agents, tasks, caller's list) may not be VIPs: named ones probe past them,
  // IP VIPs on them are skipped.
  const real = new Set<string>([...(opts.reserved ?? []), ...[...agentIps.values()].filter((x): x is string => !!x), ...decls.flatMap((d) => d.backend.taskIps)]);
  const ipVips = new Set<string>();
  const labels = new Set<string>();
  for (const d of decls) {
    if (d.target.kind === 'ip') ipVips.add(d.target.ip);
    else {
      const label = vipLabel(d.target.name, d.framework);
      if (label) labels.add(label);
    }
  }
  const named = namedVipAddresses(labels, opts.namedRange ?? VIP_DEFAULTS.namedRange, [...real, ...ipVips]);
  problems.push(...named.problems);

  const byKey = new Map<string, { vip: Omit<Vip, 'backends'>; backends: VipBackend[] }>();
  for (const d of decls) {
    let ip: string;
    let name: string | undefined;
    let label: string | undefined;
    let framework: string | undefined;
    if (d.target.kind === 'ip') {
      if (real.has(d.target.ip)) { problems.push({ path: d.path, message: `VIP ${d.target.ip}:${d.target.port} collides with a real address (task ${d.backend.taskId}); VIP skipped` }); continue; }
      ip = d.target.ip;
    } else {
      label = vipLabel(d.target.name, d.framework);
      if (label === undefined) { problems.push({ path: d.path, message: `VIP name ${JSON.stringify(d.target.name)} (framework ${JSON.stringify(d.framework)}) cleans to nothing (task ${d.backend.taskId}); VIP skipped` }); continue; }
      const addr = named.addresses.get(label);
      if (addr === undefined) continue; // reported by namedVipAddresses
      ip = addr;
      name = `${label}.${zone}`;
      framework = d.framework;
    }
    const key = `${d.protocol}://${ip}:${d.target.port}`;
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { vip: { key, protocol: d.protocol, ip, port: d.target.port, name, label, framework }, backends: [] }));
    entry.backends.push(d.backend);
  }
  const vips = [...byKey.values()].map((e) => ({ ...e.vip, backends: e.backends })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { vips, problems };
}
