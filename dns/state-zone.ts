// Snapshot + config → everything the server publishes for one zone version: the mesos-dns record
// set, the DC/OS extras and the lookup zone. The serial is chosen by the caller (it only moves when
// the fingerprint changes). Pure.
import type { Snapshot } from '../src/kernel/snapshot.js';
import type { Problem } from '../src/kernel/errors.js';
import type { DnsConfig } from './config.js';
import { generateRecords, splitHostPort, type HostFacts, type RecordSet } from './records.js';
import { parsePid } from '../src/kernel/mesos-state.js';
import { normalizeIp } from '../src/kernel/ip.js';
import { generateDcosRecords } from './dcos-records.js';
import { buildZone, type Zone } from './zone.js';

export interface Published {
  readonly records: RecordSet;
  readonly zone: Zone;
  readonly problems: readonly Problem[];
}

export function recordsFromSnapshot(snapshot: Snapshot, cfg: DnsConfig, facts: HostFacts = {}): RecordSet {
  return generateRecords(snapshot, {
    domain: cfg.Domain, nsName: cfg.SOAMname, listener: cfg.Listener, masters: cfg.Masters, ipSources: cfg.IPSources, enforceRFC952: cfg.EnforceRFC952, ttl: cfg.TTL,
  }, facts);
}

/**
 * One zone version. Both generators write into the same name table, which the zone then serves
 * as it is: every record is built and held once.
 */
export function publish(snapshot: Snapshot, cfg: DnsConfig, facts: HostFacts, serial: number): Published {
  const records = recordsFromSnapshot(snapshot, cfg, facts);
  const dcos = generateDcosRecords(snapshot, {
    domain: cfg.Domain, enforceRFC952: cfg.EnforceRFC952, ipSources: cfg.IPSources, masters: cfg.Masters, vipRange: cfg.VipRange,
  }, facts, { table: records.table, ttl: cfg.TTL, dcosTtl: cfg.DcosTTL });
  const zone = buildZone(records, undefined, {
    domain: cfg.Domain, ttl: cfg.TTL, dcosTtl: cfg.DcosTTL, soaMname: cfg.SOAMname, soaRname: cfg.SOARname,
    soaRefresh: cfg.SOARefresh, soaRetry: cfg.SOARetry, soaExpire: cfg.SOAExpire, serial,
  });
  return { records, zone, problems: dcos.problems };
}

/** SOA serial policy: keep it while the data is unchanged, otherwise max(now, previous + 1). */
export function nextSerial(previous: number | undefined, changed: boolean, nowSeconds: number): number {
  if (previous === undefined) return Math.floor(nowSeconds);
  if (!changed) return previous;
  return Math.max(Math.floor(nowSeconds), previous + 1);
}

/** Host names (not IP literals) the generator will ask `facts.resolve` about, for pre-resolution. */
export function hostNamesToResolve(snapshot: Snapshot, cfg: DnsConfig): string[] {
  const out = new Set<string>();
  const consider = (h: string | undefined) => { if (h && normalizeIp(h) === undefined) out.add(h); };
  for (const fw of snapshot.frameworks) consider(fw.pid !== undefined && parsePid(fw.pid) ? parsePid(fw.pid)!.host : fw.hostname);
  for (const a of snapshot.agents) consider(parsePid(a.pid)?.host ?? a.hostname);
  consider(parsePid(snapshot.leader)?.host);
  for (const m of cfg.Masters) consider(splitHostPort(m)?.host);
  if (!['0.0.0.0', '::', ''].includes(cfg.Listener)) consider(cfg.Listener);
  return [...out].sort();
}
