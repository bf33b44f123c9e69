// The served zone: one immutable lookup table built from the mesos-dns record set and the DC/OS
// extras, swapped atomically by the server on every change. Names are lower-case FQDNs.
// Authorities: `<domain>.` (TTL = config TTL) and `thisdcos.directory.` (TTL 5); PTR names are
// answered when known and otherwise forwarded (no authority over in-addr.arpa / ip6.arpa). Pure.
import type { RecordSet } from './records.js';
import { DCOS_ZONE, splitFamilies, type DcosRecords } from './dcos-records.js';

export interface SrvTarget { readonly target: string; readonly port: number }

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

/** Parse an SRV value "target:port" (the target may itself contain no ':'). */
export function parseSrvValue(v: string): SrvTarget | undefined {
  const i = v.lastIndexOf(':');
  const port = Number(v.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  return { target: v.slice(0, i), port };
}

/** True if `name` can be written on the wire: labels 1-63 bytes of ASCII, at most 253 characters. */
export function validDnsName(name: string): boolean {
  const n = name.length > 0 && name.charCodeAt(name.length - 1) === 46 ? name.length - 1 : name.length;
  if (n === 0 || n > 253) return false;
  let label = 0;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c === 46) {
      if (label === 0) return false;
      label = 0;
    } else if (c < 0x21 || c > 0x7e || ++label > 63) return false;
  }
  return label > 0;
}

interface Mutable { a: string[]; aaaa: string[]; srv: SrvTarget[]; ptr: string[]; ttl: number; adopted: number }
type Kind = 'a' | 'aaaa' | 'srv' | 'ptr';
const BIT: Record<Kind, number> = { a: 1, aaaa: 2, srv: 4, ptr: 8 };

/** Shared empty list for kinds a name does not have (most names have one kind): never pushed to. */
const NONE: never[] = Object.freeze([]) as unknown as never[];

/**
 * Put `vals` under kind `k` of an entry. The first list a name gets is adopted as it is (no copy:
 * the record set and the zone share it, and neither changes it after the build); a second list for
 * the same name and kind is merged into a private copy.
 */
function put<T>(e: Mutable, k: Kind, vals: T[]): void {
  if (vals.length === 0) return;
  const cur = e[k] as T[];
  if (cur === NONE) { (e as unknown as Record<Kind, T[]>)[k] = vals; e.adopted |= BIT[k]; return; }
  const mine = e.adopted & BIT[k] ? cur.slice() : cur;
  e.adopted &= ~BIT[k];
  for (const v of vals) mine.push(v);
  (e as unknown as Record<Kind, T[]>)[k] = mine;
}

export function buildZone(records: RecordSet, dcos: DcosRecords | undefined, p: ZoneParams): Zone {
  const names = new Map<string, Mutable>();
  // Names that cannot be encoded (a raw DiscoveryInfo name with a 70-character label…) are left out.
  const entry = (name: string, ttl: number): Mutable => {
    let e = names.get(name);
    if (e) return e;
    e = { a: NONE, aaaa: NONE, srv: NONE, ptr: NONE, ttl, adopted: 0 };
    if (validDnsName(name)) names.set(name, e); // else: discarded
    return e;
  };
  for (const [n, vals] of records.As) put(entry(n, p.ttl), 'a', vals);
  for (const [n, vals] of records.AAAAs) put(entry(n, p.ttl), 'aaaa', vals);
  for (const [n, vals] of records.SRVs) {
    const e = entry(n, p.ttl);
    const srv: SrvTarget[] = [];
    for (const v of vals) {
      const s = parseSrvValue(v);
      if (s && validDnsName(s.target)) srv.push(s);
    }
    put(e, 'srv', srv);
  }
  if (dcos) {
    for (const [n, vals] of dcos.addresses) {
      const e = entry(n, p.dcosTtl);
      if (!vals.some((v) => v.includes(':'))) put(e, 'a', vals);
      else {
        const { a, aaaa } = splitFamilies(vals);
        put(e, 'a', a);
        put(e, 'aaaa', aaaa);
      }
    }
    for (const [n, vals] of dcos.ptrs) put(entry(n, p.ttl), 'ptr', vals);
  }
  const soa = (minimum: number): Soa => ({
    mname: fqdn(p.soaMname), rname: fqdn(p.soaRname), serial: p.serial, refresh: p.soaRefresh, retry: p.soaRetry, expire: p.soaExpire, minimum,
  });
  const authorities: Authority[] = [
    { origin: fqdn(p.domain.toLowerCase()), ttl: p.ttl, soa: soa(p.ttl), ns: fqdn(p.soaMname) },
    { origin: `${DCOS_ZONE}.`, ttl: p.dcosTtl, soa: soa(p.dcosTtl), ns: fqdn(p.soaMname) },
  ];
  return { serial: p.serial, authorities, names };
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
