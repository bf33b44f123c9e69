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
import { agentTail, taskHashOf } from './hash.js';
import { taskIps } from './task-ips.js';
import { NameTable, parseSrvValue, type Entry } from './name-table.js';

export type RRKind = 'A' | 'AAAA' | 'SRV';

export interface EnumRecord { readonly name: string; readonly host: string; readonly rtype: RRKind }
export interface EnumTask { readonly name: string; readonly id: string; readonly records: EnumRecord[] }
export interface EnumFramework { readonly name: string; readonly tasks: EnumTask[] }

/**
 * The mesos-dns record set: its names live in a NameTable (which the served zone adopts as it is)
 * and the enumerate tree. `As`, `AAAAs`, `SRVs` are the mesos-dns maps (name → values, SRV values
 * "target:port"), computed from the table when read (/v1/axfr, `dns records`, tests).
 */
export interface RecordSet {
  readonly table: NameTable;
  readonly As: Map<string, string[]>;
  readonly AAAAs: Map<string, string[]>;
  readonly SRVs: Map<string, string[]>;
  readonly frameworks: EnumFramework[];
}

class Records implements RecordSet {
  readonly frameworks: EnumFramework[] = [];
  constructor(readonly table: NameTable) {}
  private view(f: (e: Entry) => readonly string[]): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const m of [this.table.names, this.table.hidden]) for (const [n, e] of m) if (!e.dcos && f(e).length > 0) out.set(n, [...f(e)]);
    return out;
  }
  get As() { return this.view((e) => e.a); }
  get AAAAs() { return this.view((e) => e.aaaa); }
  get SRVs() { return this.view((e) => e.srv.map((s) => `${s.target}:${s.port}`)); }
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
  /** TTL the zone serves these names with (config TTL; default 60). */
  readonly ttl?: number;
}

/** Facts from the world that the generator may not fetch itself. */
export interface HostFacts {
  /** Addresses of a host name (mesos-dns uses the system resolver); absent → names resolve to nothing. */
  readonly resolve?: (host: string) => readonly string[];
  /** Non-loopback local interface addresses, for a wildcard listener. */
  readonly localAddresses?: readonly string[];
}

export function emptyRecordSet(ttl = 60): RecordSet {
  return new Records(new NameTable(ttl));
}

/** Insert (name, value); names are lower-cased. Returns true if the pair is new. */
export function insertRR(rs: RecordSet, name: string, value: string, kind: RRKind): boolean {
  return insertLower(rs, name.toLowerCase(), value, kind);
}

/** insertRR for names already in lower case (an SRV value is "target:port"). */
function insertLower(rs: RecordSet, key: string, value: string, kind: RRKind): boolean {
  if (kind !== 'SRV') return rs.table.add(key, kind === 'A' ? 'a' : 'aaaa', value);
  const s = parseSrvValue(value);
  return s !== undefined && rs.table.addSrv(key, s.target, s.port);
}

/** Record kind of a canonical IP text (only IPv6 text contains ':'). */
const kindOf = (ip: string): RRKind => (ip.includes(':') ? 'AAAA' : 'A');
const slotOf = (ip: string): 'a' | 'aaaa' => (ip.includes(':') ? 'aaaa' : 'a');

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

const PROTOS = ['_tcp', '_udp'] as const, BOTH = ['tcp', 'udp'] as const;

/** One pass of a task's records under one name (mesos-dns runs it twice for DiscoveryInfo names). */
function taskNameRecords(table: NameTable, task: Task, taskName: string, canonicalHead: string, fname: string, tail: string, spec: LabelSpec, ips: readonly string[], agentIps: readonly string[], out: EnumTask): void {
  const recs = out.records;
  const addIp = (name: string, ip: string) => {
    const slot = slotOf(ip);
    if (table.add(name, slot, ip)) recs.push({ name, host: ip, rtype: slot === 'a' ? 'A' : 'AAAA' });
  };
  const addSrv = (name: string, target: string, port: number) => {
    if (table.addSrv(name, target, port)) recs.push({ name, host: `${target}:${port}`, rtype: 'SRV' });
  };
  const canonical = `${taskName}${canonicalHead}.${fname}`;
  const arec = `${taskName}.${fname}`;
  const aName = arec + tail, cName = canonical + tail;
  for (const ip of ips) { addIp(aName, ip); addIp(cName, ip); }
  const slaveTail = `.slave${tail}`;
  const cSlave = canonical + slaveTail;
  const aSlave = arec + slaveTail;
  for (const ip of agentIps) { addIp(aSlave, ip); addIp(cSlave, ip); }
  const hasDiscovery = (task.discovery?.name ?? '') !== '';
  const ranges = task.resources.ports;
  if (ranges.length > 0) {
    const head = `_${taskName}.`;
    const srvSlave = PROTOS.map((proto) => `${head}${proto}.${fname}${slaveTail}`);
    const srvPlain = hasDiscovery ? [] : PROTOS.map((proto) => `${head}${proto}.${fname}${tail}`);
    for (const port of expandPorts(ranges)) {
      for (const n of srvSlave) addSrv(n, cSlave, port);
      for (const n of srvPlain) addSrv(n, cSlave, port);
    }
  }
  if (!hasDiscovery) return;
  for (const dp of task.discovery?.ports ?? []) {
    const proto = spec(dp.protocol ?? '');
    const portName = spec(dp.name ?? '');
    for (const p of proto ? [proto] : BOTH) {
      addSrv(`_${taskName}._${p}.${fname}${tail}`, cName, dp.number);
      if (portName) addSrv(`_${portName}._${taskName}._${p}.${fname}${tail}`, cName, dp.number);
    }
  }
}

/** The whole mesos-dns record set for a snapshot. */
export function generateRecords(snapshot: Snapshot, cfg: GeneratorConfig, facts: HostFacts = {}): RecordSet {
  const rs = emptyRecordSet(cfg.ttl ?? 60);
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
      const canonicalHead = `-${taskHashOf(task)}-${agentTail(task.agentId)}`;
      for (const n of names) if (n !== '') taskNameRecords(rs.table, task, n, canonicalHead, fname, tail, spec, ips, aips, out);
    }
  }
  return rs;
}

/** The `Records` JSON of /v1/axfr and of `mesonet dns records`: names and values sorted. */
export function recordsJson(rs: RecordSet): { As: Record<string, string[]>; AAAAs: Record<string, string[]>; SRVs: Record<string, string[]> } {
  const obj = (m: Map<string, string[]>) => Object.fromEntries([...m.keys()].sort().map((k) => [k, [...m.get(k)!].sort()]));
  return { As: obj(rs.As), AAAAs: obj(rs.AAAAs), SRVs: obj(rs.SRVs) };
}
