// Names beyond mesos-dns (DC/OS dcos-net conventions, ../shared/reference/dns.md §6):
//  - `<vip>.<framework>.l4lb.thisdcos.directory` A → named VIP address, from the shared VIP
//    derivation (src/kernel/vip.ts), so dns and l4lb always agree on the address;
//  - `<task>.<framework>.{agentip,containerip,autoip}.dcos.thisdcos.directory`: agent IP, task
//    (container) IPs when the task has any, and "auto" = agent IP when a port is host-mapped (or the
//    task has no IPs of its own), else the container IPs;
//  - `leader.dcos.thisdcos.directory` and `master.dcos.thisdcos.directory`;
//  - PTR records: an agent IP → the agent's host name when it is a name, else `slave.<domain>.`;
//    any other task IP → the canonical mesos-dns names of the tasks that hold it.
// Pure.
import type { Snapshot, Task } from '../src/kernel/snapshot.js';
import { deriveVips } from '../src/kernel/vip.js';
import { domainFrag, labelSpec, rfc1123Label } from '../src/kernel/labels.js';
import { parsePid } from '../src/kernel/mesos-state.js';
import { ipFamily, normalizeIp, reverseName } from '../src/kernel/ip.js';
import type { Problem } from '../src/kernel/errors.js';
import { agentTail, taskHashOf } from './hash.js';
import { latestRunningStatus, taskIps } from './task-ips.js';
import { hostToIps, splitHostPort, type HostFacts } from './records.js';
import type { NameTable } from './name-table.js';

export const DCOS_ZONE = 'thisdcos.directory';

/** name → addresses (A and AAAA mixed), and reverse name → PTR targets. All FQDN, lower case. */
export interface DcosRecords {
  readonly addresses: Map<string, string[]>;
  readonly ptrs: Map<string, string[]>;
  readonly problems: readonly Problem[];
}

export interface DcosConfig {
  readonly domain: string;
  readonly enforceRFC952: boolean;
  readonly ipSources: readonly string[];
  readonly masters: readonly string[];
  /** Named VIP range (default 11.0.0.0/8). */
  readonly vipRange?: string;
}

/** Where the names go: the returned maps (default), or straight into the zone's name table. */
export interface DcosInto {
  readonly table: NameTable;
  /** TTL of thisdcos.directory names (config DcosTTL). */
  readonly dcosTtl: number;
  /** TTL of PTR names (config TTL). */
  readonly ttl: number;
}

function addTo(map: Map<string, string[]>, name: string, value: string): void {
  const list = map.get(name);
  if (list === undefined) map.set(name, [value]);
  else if (!list.includes(value)) list.push(value);
}

/** True if any port of the task is mapped from a host port (network infos or Docker bridge). */
function hasHostPortMapping(task: Task): boolean {
  const status = latestRunningStatus(task);
  if ((status?.networkInfos ?? []).some((n) => n.portMappings.some((p) => p.hostPort > 0))) return true;
  const docker = (task.container as { docker?: { port_mappings?: unknown } } | null | undefined)?.docker?.port_mappings;
  return Array.isArray(docker) && docker.some((p: { host_port?: unknown }) => typeof p?.host_port === 'number' && p.host_port > 0);
}

/** All thisdcos.directory names and PTR records for a snapshot. */
export function generateDcosRecords(snapshot: Snapshot, cfg: DcosConfig, facts: HostFacts = {}, into?: DcosInto): DcosRecords {
  const addresses = new Map<string, string[]>();
  const ptrs = new Map<string, string[]>();
  const addAddress = into
    ? (name: string, ip: string) => { into.table.add(name, ip.includes(':') ? 'aaaa' : 'a', ip, into.dcosTtl, true); }
    : (name: string, ip: string) => addTo(addresses, name, ip);
  const addPtr = into
    ? (name: string, target: string) => { into.table.add(name, 'ptr', target, into.ttl, true); }
    : (name: string, target: string) => addTo(ptrs, name, target);
  const domain = cfg.domain.toLowerCase();
  const spec = labelSpec(cfg.enforceRFC952);

  const derived = deriveVips(snapshot, cfg.vipRange ? { namedRange: cfg.vipRange } : {});
  for (const vip of derived.vips) if (vip.name) addAddress(`${vip.name.toLowerCase()}.`, vip.ip);

  const leader = parsePid(snapshot.leader);
  const leaderIps = leader ? hostToIps(leader.host, facts) : [];
  for (const ip of leaderIps) addAddress(`leader.dcos.${DCOS_ZONE}.`, ip);
  for (const m of cfg.masters) {
    const hp = splitHostPort(m);
    for (const ip of hp ? hostToIps(hp.host, facts) : []) addAddress(`master.dcos.${DCOS_ZONE}.`, ip);
  }
  for (const ip of leaderIps) addAddress(`master.dcos.${DCOS_ZONE}.`, ip);

  const agentIps = new Map<string, string[]>();
  const agentIpSet = new Set<string>();
  for (const agent of snapshot.agents) {
    const pid = parsePid(agent.pid);
    const ips = hostToIps(pid ? pid.host : agent.hostname, facts);
    agentIps.set(agent.id, ips);
    const hostName = normalizeIp(agent.hostname) === undefined ? domainFrag(agent.hostname, rfc1123Label) : '';
    for (const ip of ips) {
      agentIpSet.add(ip);
      const rev = reverseName(ip);
      if (rev) addPtr(`${rev}.`, hostName ? `${hostName}.` : `slave.${domain}.`);
    }
  }

  for (const fw of snapshot.frameworks) {
    const fwLabel = domainFrag(fw.name, rfc1123Label);
    const fname = domainFrag(fw.name, spec);
    for (const task of fw.tasks) {
      const aips = agentIps.get(task.agentId);
      if (task.state !== 'TASK_RUNNING' || aips === undefined || fwLabel === '') continue;
      const containerIps = taskIps(task, ['netinfo'], []);
      const name = rfc1123Label(task.name);
      if (name !== '') {
        const base = `${name}.${fwLabel}`;
        for (const ip of aips) addAddress(`${base}.agentip.dcos.${DCOS_ZONE}.`, ip);
        for (const ip of containerIps) addAddress(`${base}.containerip.dcos.${DCOS_ZONE}.`, ip);
        const auto = hasHostPortMapping(task) || containerIps.length === 0 ? aips : containerIps;
        for (const ip of auto) addAddress(`${base}.autoip.dcos.${DCOS_ZONE}.`, ip);
      }
      // PTR for task-owned addresses (not the agent's): the canonical mesos-dns name.
      const dname = task.discovery?.name ?? '';
      const tname = spec(dname !== '' ? dname : task.name);
      if (tname === '' || fname === '') continue;
      const canonical = `${tname}-${taskHashOf(task)}-${agentTail(task.agentId)}.${fname}.${domain}.`;
      for (const ip of taskIps(task, cfg.ipSources, aips)) {
        if (agentIpSet.has(ip)) continue;
        const rev = reverseName(ip);
        if (rev) addPtr(`${rev}.`, canonical);
      }
    }
  }
  return { addresses, ptrs, problems: derived.problems };
}

/** Split a mixed address set into A and AAAA values. */
export function splitFamilies(values: Iterable<string>): { a: string[]; aaaa: string[] } {
  const a: string[] = [];
  const aaaa: string[] = [];
  for (const v of values) (ipFamily(v) === 6 ? aaaa : a).push(v);
  return { a, aaaa };
}
