// The mesos-dns record generator: snapshot + config → the three record maps mesos-dns keeps
// (`As`, `AAAAs`, `SRVs`: FQDN → set of values; SRV values are "target:port") plus the /v1/enumerate
// tree. Naming rules and their order follow ../shared/reference/dns.md §1 exactly:
// frameworks → agents → listener (NS name) → leader/masters → RUNNING tasks on known agents.
// Known deviation: an agent whose host has no IP gets no records (mesos-dns inserts the cleaned
// host *name* as an A value, bug #509, which is not a valid A record).
// Pure: host-name resolution and local interface addresses come in as facts from the caller.
import type { Snapshot, Task, Framework } from '../src/kernel/snapshot.js';
import { domainFrag, labelSpec, type LabelSpec } from '../src/kernel/labels.js';
import { expandPorts, parsePid } from '../src/kernel/mesos-state.js';
import { ipFamily, normalizeIp } from '../src/kernel/ip.js';
import { agentTail, taskHash } from './hash.js';
import { taskIps } from './task-ips.js';

export type RRKind = 'A' | 'AAAA' | 'SRV';

export interface EnumRecord { readonly name: string; readonly host: string; readonly rtype: RRKind }
export interface EnumTask { readonly name: string; readonly id: string; readonly records: EnumRecord[] }
export interface EnumFramework { readonly name: string; readonly tasks: EnumTask[] }

/**
 * Record maps and the enumerate tree. Each value list is insertion-ordered and duplicate-free (a set
 * kept as an array): the lookup zone adopts these arrays as they are instead of copying them.
 */
export interface RecordSet {
  readonly As: Map<string, string[]>;
  readonly AAAAs: Map<string, string[]>;
  readonly SRVs: Map<string, string[]>;
  readonly frameworks: EnumFramework[];
}

export interface GeneratorConfig {
  /** Zone without trailing dot, lower case (e.g. "mesos"). */
  readonly domain: string;
  /** FQDN of the name server (config SOAMname) that gets the listener's address. */
  readonly nsName: string;
  /** DNS listener address: "0.0.0.0"/"::" → every non-loopback local address. */
  readonly listener: string;
  /** Configured masters, "host:port". */
  readonly masters: readonly string[];
  readonly ipSources: readonly string[];
  readonly enforceRFC952: boolean;
}

/** Facts from the world that the generator may not fetch itself. */
export interface HostFacts {
  /** Addresses of a host name (mesos-dns uses the system resolver); absent → names resolve to nothing. */
  readonly resolve?: (host: string) => readonly string[];
  /** Non-loopback local interface addresses, for a wildcard listener. */
  readonly localAddresses?: readonly string[];
}

export function emptyRecordSet(): RecordSet {
  return { As: new Map(), AAAAs: new Map(), SRVs: new Map(), frameworks: [] };
}

/** Insert (name, value); names are lower-cased. Returns true if the pair is new. */
export function insertRR(rs: RecordSet, name: string, value: string, kind: RRKind): boolean {
  return insertLower(rs, name.toLowerCase(), value, kind);
}

/** insertRR for names already in lower case (everything the generator builds). */
function insertLower(rs: RecordSet, key: string, value: string, kind: RRKind): boolean {
  return addUnique(kind === 'A' ? rs.As : kind === 'AAAA' ? rs.AAAAs : rs.SRVs, key, value);
}

// Value lists are arrays (most names have one or two values); a list that grows long gets a Set
// beside it so duplicate checks stay O(1) (e.g. `slave.<domain>.` with thousands of agents).
const LONG = 16;
const indexOf = new WeakMap<string[], Set<string>>();

/** Append `value` to the list of `key` unless present. Returns true if it was added. */
export function addUnique(map: Map<string, string[]>, key: string, value: string): boolean {
  const list = map.get(key);
  if (list === undefined) { map.set(key, [value]); return true; }
  if (list.length < LONG) {
    if (list.includes(value)) return false;
    list.push(value);
    return true;
  }
  let set = indexOf.get(list);
  if (!set) indexOf.set(list, (set = new Set(list)));
  if (set.has(value)) return false;
  set.add(value);
  list.push(value);
  return true;
}

/** Record kind of a canonical IP text (only IPv6 text contains ':'). */
const kindOf = (ip: string): RRKind => (ip.includes(':') ? 'AAAA' : 'A');

/** A literal IP, or the first IPv4 and first IPv6 the resolver knows for a name. */
export function hostToIps(host: string, facts: HostFacts): string[] {
  const literal = normalizeIp(host);
  if (literal !== undefined) return [literal];
  const all = (facts.resolve?.(host) ?? []).map((x) => normalizeIp(x)).filter((x): x is string => x !== undefined);
  const v4 = all.find((x) => ipFamily(x) === 4);
  const v6 = all.find((x) => ipFamily(x) === 6);
  return [v4, v6].filter((x): x is string => x !== undefined);
}

/** "host:port" / "[v6]:port" → parts, or undefined. */
export function splitHostPort(addr: string): { host: string; port: string } | undefined {
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):([^:]*)$/.exec(addr);
  if (!m) return undefined;
  return { host: m[1] ?? m[2] ?? '', port: m[3] ?? '' };
}

function frameworkRecords(rs: RecordSet, fw: Framework, domain: string, spec: LabelSpec, facts: HostFacts): void {
  const pid = fw.pid !== undefined ? parsePid(fw.pid) : undefined;
  const host = pid ? pid.host : (fw.hostname ?? '');
  const fname = domainFrag(fw.name, spec);
  if (fname === '' || host === '') return;
  const name = `${fname}.${domain}.`;
  for (const ip of hostToIps(host, facts)) insertRR(rs, name, ip, kindOf(ip));
  if (pid && hostToIps(host, facts).length > 0) insertRR(rs, `_framework._tcp.${name}`, `${name}:${pid.port}`, 'SRV');
}

/** `leader`, `master`, `masterN`, `_leader._tcp|_udp` (mesos-dns masterRecord). */
export function masterRecords(rs: RecordSet, domain: string, masters: readonly string[], leader: string | undefined, facts: HostFacts = {}): void {
  const pid = parsePid(leader);
  if (!pid) return;
  const tail = `.${domain}.`;
  const leaderIps = hostToIps(pid.host, facts);
  if (leaderIps.length === 0) return;
  for (const ip of leaderIps) {
    insertRR(rs, `leader${tail}`, ip, kindOf(ip));
    insertRR(rs, `master${tail}`, ip, kindOf(ip));
  }
  insertRR(rs, `_leader._tcp${tail}`, `leader${tail}:${pid.port}`, 'SRV');
  insertRR(rs, `_leader._udp${tail}`, `leader${tail}:${pid.port}`, 'SRV');

  const leaderKey = `${leaderIps[0]}:${pid.port}`;
  const seen = new Set<string>();
  let index = 0;
  let leaderListed = false;
  for (const m of masters) {
    const hp = splitHostPort(m);
    if (!hp) continue;
    const ips = hostToIps(hp.host, facts);
    if (ips.length === 0) continue;
    const key = `${ips[0]}:${hp.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (key === leaderKey) leaderListed = true;
    for (const ip of ips) {
      insertRR(rs, `master${tail}`, ip, kindOf(ip));
      insertRR(rs, `master${index}${tail}`, ip, kindOf(ip));
    }
    index++;
  }
  if (!leaderListed) for (const ip of leaderIps) insertRR(rs, `master${index}${tail}`, ip, kindOf(ip));
}

const PROTOS = ['_tcp', '_udp'] as const;
const BOTH = ['tcp', 'udp'] as const;

/** One pass of a task's records under one name (mesos-dns runs it twice for DiscoveryInfo names). */
function taskNameRecords(rs: RecordSet, task: Task, taskName: string, canonicalHead: string, fname: string, tail: string, spec: LabelSpec, ips: readonly string[], agentIps: readonly string[], out: EnumTask): void {
  const recs = out.records;
  const add = (name: string, value: string, rtype: RRKind) => {
    if (insertLower(rs, name, value, rtype)) recs.push({ name, host: value, rtype });
  };
  const canonical = `${taskName}${canonicalHead}.${fname}`;
  const arec = `${taskName}.${fname}`;
  if (ips.length > 0) {
    const aName = arec + tail;
    const cName = canonical + tail;
    for (const ip of ips) {
      const k = kindOf(ip);
      add(aName, ip, k);
      add(cName, ip, k);
    }
  }
  const slaveTail = `.slave${tail}`;
  const cSlave = canonical + slaveTail;
  if (agentIps.length > 0) {
    const aName = arec + slaveTail;
    for (const ip of agentIps) {
      const k = kindOf(ip);
      add(aName, ip, k);
      add(cSlave, ip, k);
    }
  }
  const hasDiscovery = (task.discovery?.name ?? '') !== '';
  const ranges = task.resources.ports;
  if (ranges.length > 0) {
    const head = `_${taskName}.`;
    for (const port of expandPorts(ranges)) {
      const target = `${cSlave}:${port}`;
      for (const proto of PROTOS) add(`${head}${proto}.${fname}${slaveTail}`, target, 'SRV');
      if (!hasDiscovery) for (const proto of PROTOS) add(`${head}${proto}.${fname}${tail}`, target, 'SRV');
    }
  }
  if (!hasDiscovery) return;
  for (const dp of task.discovery?.ports ?? []) {
    const target = `${canonical}${tail}:${dp.number}`;
    const proto = spec(dp.protocol ?? '');
    const portName = spec(dp.name ?? '');
    for (const p of proto ? [proto] : BOTH) {
      add(`_${taskName}._${p}.${fname}${tail}`, target, 'SRV');
      if (portName) add(`_${portName}._${taskName}._${p}.${fname}${tail}`, target, 'SRV');
    }
  }
}

/** The whole mesos-dns record set for a snapshot. */
export function generateRecords(snapshot: Snapshot, cfg: GeneratorConfig, facts: HostFacts = {}): RecordSet {
  const rs = emptyRecordSet();
  const spec = labelSpec(cfg.enforceRFC952);
  const domain = cfg.domain.toLowerCase();
  for (const fw of snapshot.frameworks) frameworkRecords(rs, fw, domain, spec, facts);

  const agentIps = new Map<string, string[]>();
  for (const agent of snapshot.agents) {
    const pid = parsePid(agent.pid);
    const ips = hostToIps(pid ? pid.host : agent.hostname, facts);
    agentIps.set(agent.id, ips);
    for (const ip of ips) {
      insertRR(rs, `slave.${domain}.`, ip, kindOf(ip));
      if (pid) insertRR(rs, `_slave._tcp.${domain}.`, `slave.${domain}.:${pid.port}`, 'SRV');
    }
  }

  const wildcard = cfg.listener === '0.0.0.0' || cfg.listener === '::' || cfg.listener === '';
  const nsIps = wildcard ? (facts.localAddresses ?? []) : hostToIps(cfg.listener, facts);
  for (const ip of nsIps) insertRR(rs, cfg.nsName, ip, kindOf(ip));

  masterRecords(rs, domain, cfg.masters, snapshot.leader, facts);

  const tail = `.${domain}.`;
  for (const fw of snapshot.frameworks) {
    const enumFw: EnumFramework = { name: fw.name, tasks: [] };
    rs.frameworks.push(enumFw);
    const fname = domainFrag(fw.name, spec);
    for (const task of fw.tasks) {
      const aips = agentIps.get(task.agentId);
      if (task.state !== 'TASK_RUNNING' || aips === undefined || fname === '') continue;
      const out: EnumTask = { name: task.name, id: task.id, records: [] };
      enumFw.tasks.push(out);
      const ips = taskIps(task, cfg.ipSources, aips);
      const dname = task.discovery?.name ?? '';
      // With a DiscoveryInfo name, mesos-dns inserts it raw first ("LEGACY") and then cleaned.
      const names = dname !== '' ? [dname.toLowerCase(), spec(dname)] : [spec(task.name)];
      const canonicalHead = `-${taskHash(task.id)}-${agentTail(task.agentId)}`;
      for (const n of names) if (n !== '') taskNameRecords(rs, task, n, canonicalHead, fname, tail, spec, ips, aips, out);
    }
  }
  return rs;
}

/** The `Records` JSON of /v1/axfr and of `mesonet dns records`: names and values sorted. */
export function recordsJson(rs: RecordSet): { As: Record<string, string[]>; AAAAs: Record<string, string[]>; SRVs: Record<string, string[]> } {
  const obj = (m: Map<string, string[]>) => Object.fromEntries([...m.keys()].sort().map((k) => [k, [...m.get(k)!].sort()]));
  return { As: obj(rs.As), AAAAs: obj(rs.AAAAs), SRVs: obj(rs.SRVs) };
}
