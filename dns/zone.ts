// The served zone: one immutable lookup table built from the mesos-dns record set and the DC/OS
// extras, swapped atomically by the server on every change. Names are lower-case FQDNs.
// Authorities: `<domain>.` (TTL = config TTL) and `thisdcos.directory.` (TTL 5); PTR names are
// answered when known and otherwise forwarded (no authority over in-addr.arpa / ip6.arpa). Pure.
import { createHash } from 'node:crypto';
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
  const n = name.replace(/\.$/, '');
  if (n.length === 0 || n.length > 253 || !/^[\x21-\x7e]+$/.test(n)) return false;
  return n.split('.').every((l) => l.length >= 1 && l.length <= 63);
}

interface Mutable { a: string[]; aaaa: string[]; srv: SrvTarget[]; ptr: string[]; ttl: number }

export function buildZone(records: RecordSet, dcos: DcosRecords | undefined, p: ZoneParams): Zone {
  const names = new Map<string, Mutable>();
  // Names that cannot be encoded (a raw DiscoveryInfo name with a 70-character label…) are left out.
  const entry = (name: string, ttl: number): Mutable => {
    if (!validDnsName(name)) return { a: [], aaaa: [], srv: [], ptr: [], ttl }; // discarded
    let e = names.get(name);
    if (!e) names.set(name, (e = { a: [], aaaa: [], srv: [], ptr: [], ttl }));
    return e;
  };
  for (const [n, vals] of records.As) entry(n, p.ttl).a.push(...vals);
  for (const [n, vals] of records.AAAAs) entry(n, p.ttl).aaaa.push(...vals);
  for (const [n, vals] of records.SRVs) {
    const e = entry(n, p.ttl);
    for (const v of vals) {
      const s = parseSrvValue(v);
      if (s && validDnsName(s.target)) e.srv.push(s);
    }
  }
  if (dcos) {
    for (const [n, vals] of dcos.addresses) {
      const e = entry(n, p.dcosTtl);
      const { a, aaaa } = splitFamilies(vals);
      e.a.push(...a);
      e.aaaa.push(...aaaa);
    }
    for (const [n, vals] of dcos.ptrs) entry(n, p.ttl).ptr.push(...vals);
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

/** A stable fingerprint of the zone's data (not its serial): used to bump the serial only on change. */
export function zoneFingerprint(z: Zone): string {
  const h = createHash('sha1');
  for (const n of [...z.names.keys()].sort()) {
    const e = z.names.get(n)!;
    h.update(`${n}|${e.ttl}|${[...e.a].sort()}|${[...e.aaaa].sort()}|${e.srv.map((s) => `${s.target}:${s.port}`).sort()}|${[...e.ptr].sort()}\n`);
  }
  for (const a of z.authorities) h.update(`${a.origin}|${a.ttl}|${a.ns}|${a.soa.mname}|${a.soa.rname}|${a.soa.refresh}|${a.soa.retry}|${a.soa.expire}\n`);
  return h.digest('hex');
}

/** The same zone data under another SOA serial. */
export function withSerial(z: Zone, serial: number): Zone {
  return { serial, names: z.names, authorities: z.authorities.map((a) => ({ ...a, soa: { ...a.soa, serial } })) };
}
