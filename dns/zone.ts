// The served zone: one immutable lookup table built from the mesos-dns record set and the DC/OS
// extras, swapped atomically by the server on every change. Names are lower-case FQDNs.
// Authorities: `<domain>.` (TTL = config TTL) and `thisdcos.directory.` (TTL 5); PTR names are
// answered when known and otherwise forwarded (no authority over in-addr.arpa / ip6.arpa). Pure.
import type { RecordSet } from './records.js';
import { DCOS_ZONE, type DcosRecords } from './dcos-records.js';
import { NameTable, type SrvTarget } from './name-table.js';
export { parseSrvValue, validDnsName, type SrvTarget } from './name-table.js';


export interface NameData {
  readonly a: readonly string[];
  readonly aaaa: readonly string[];
  readonly srv: readonly SrvTarget[];
  readonly ptr: readonly string[];
  readonly ttl: number;
}

export interface Soa {
  readonly mname: string;
  readonly rname: string;
  readonly serial: number;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  readonly minimum: number;
}

export interface Authority {
  /** Lower-case FQDN, e.g. "mesos.". */
  readonly origin: string;
  readonly ttl: number;
  readonly soa: Soa;
  readonly ns: string;
}

export interface Zone {
  readonly serial: number;
  readonly authorities: readonly Authority[];
  readonly names: ReadonlyMap<string, NameData>;
}

export interface ZoneParams {
  readonly domain: string;
  readonly ttl: number;
  /** TTL of thisdcos.directory names (dcos-net: 5). */
  readonly dcosTtl: number;
  readonly soaMname: string;
  readonly soaRname: string;
  readonly soaRefresh: number;
  readonly soaRetry: number;
  readonly soaExpire: number;
  readonly serial: number;
}

export const fqdn = (name: string): string => (name.endsWith('.') ? name : `${name}.`);

/**
 * The zone adopts the record set's name table as its lookup map (no copy). DC/OS extras given as
 * maps (`dcos`, tests and tools) and a zone TTL other than the table's are the uncommon cases: they
 * are applied to a copy, so a record set is never changed by building a zone from it.
 */
export function buildZone(records: RecordSet, dcos: DcosRecords | undefined, p: ZoneParams): Zone {
  let table = records.table;
  const dcosNames = dcos ? dcos.addresses.size + dcos.ptrs.size : 0;
  if (table.ttl !== p.ttl || dcosNames > 0) {
    const copy = new NameTable(p.ttl);
    for (const [n, e] of table.names) copy.names.set(n, { a: e.a.slice(), aaaa: e.aaaa.slice(), srv: e.srv.slice(), ptr: e.ptr.slice(), ttl: e.dcos ? e.ttl : p.ttl, dcos: e.dcos });
    for (const [n, vals] of dcos?.addresses ?? []) for (const v of vals) copy.add(n, v.includes(':') ? 'aaaa' : 'a', v, p.dcosTtl, true);
    for (const [n, vals] of dcos?.ptrs ?? []) for (const v of vals) copy.add(n, 'ptr', v, p.ttl, true);
    table = copy;
  }
  const soa = (minimum: number): Soa => ({
    mname: fqdn(p.soaMname), rname: fqdn(p.soaRname), serial: p.serial, refresh: p.soaRefresh, retry: p.soaRetry, expire: p.soaExpire, minimum,
  });
  const authorities: Authority[] = [
    { origin: fqdn(p.domain.toLowerCase()), ttl: p.ttl, soa: soa(p.ttl), ns: fqdn(p.soaMname) },
    { origin: `${DCOS_ZONE}.`, ttl: p.dcosTtl, soa: soa(p.dcosTtl), ns: fqdn(p.soaMname) },
  ];
  return { serial: p.serial, authorities, names: table.names };
}

/**
 * True if two zones hold the same data (names, values in order, TTLs, SOA/NS parameters; the serial
 * is ignored). Used to move the serial only on change. A reordering counts as a change, which only
 * costs a serial bump.
 */
export function sameZoneData(x: Zone | undefined, y: Zone): boolean {
  if (!x || x.names.size !== y.names.size || x.authorities.length !== y.authorities.length) return false;
  const eq = <T>(a: readonly T[], b: readonly T[], f: (u: T, v: T) => boolean = (u, v) => u === v) => a.length === b.length && a.every((u, i) => f(u, b[i]!));
  for (let i = 0; i < x.authorities.length; i++) {
    const a = x.authorities[i]!;
    const b = y.authorities[i]!;
    if (a.origin !== b.origin || a.ttl !== b.ttl || a.ns !== b.ns || a.soa.mname !== b.soa.mname || a.soa.rname !== b.soa.rname ||
      a.soa.refresh !== b.soa.refresh || a.soa.retry !== b.soa.retry || a.soa.expire !== b.soa.expire || a.soa.minimum !== b.soa.minimum) return false;
  }
  for (const [n, e] of y.names) {
    const o = x.names.get(n);
    if (!o || o.ttl !== e.ttl || !eq(o.a, e.a) || !eq(o.aaaa, e.aaaa) || !eq(o.ptr, e.ptr) || !eq(o.srv, e.srv, (u, v) => u.target === v.target && u.port === v.port)) return false;
  }
  return true;
}

/** The same zone data under another SOA serial. */
export function withSerial(z: Zone, serial: number): Zone {
  return { serial, names: z.names, authorities: z.authorities.map((a) => ({ ...a, soa: { ...a.soa, serial } })) };
}
