// Query → reply, as mesos-dns answers it (../shared/reference/dns.md §2), over an immutable Zone:
//  - the name is lower-cased and every ".*" removed; A/AAAA owners are that cleaned name, SRV, SOA
//    and NS owners are the question name as sent;
//  - A, AAAA, SRV (+ additional: first A and first AAAA of each distinct target), PTR, and ANY
//    (SRV+A+AAAA, with NS and SOA in authority); SOA and NS go in the AUTHORITY section;
//  - empty: SOA/NS/SRV → NOERROR (SRV without authority); otherwise NXDOMAIN + SOA, or NODATA + SOA
//    when the name has any A, AAAA or SRV;
//  - names outside our zones (and unknown PTR names) are forwarded; where is planForward's call.
// Answers are shuffled per query with the injected `random` (Fisher-Yates). Pure.
import type { Authority, Zone } from './zone.js';
import { validDnsName } from './name-table.js';

export const QTYPE = { A: 1, NS: 2, SOA: 6, PTR: 12, AAAA: 28, SRV: 33, OPT: 41, ANY: 255 } as const;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export type RR =
  | { readonly name: string; readonly ttl: number; readonly type: 'A' | 'AAAA'; readonly address: string }
  | { readonly name: string; readonly ttl: number; readonly type: 'SRV'; readonly priority: number; readonly weight: number; readonly port: number; readonly target: string }
  | { readonly name: string; readonly ttl: number; readonly type: 'PTR' | 'NS'; readonly target: string }
  | {
      readonly name: string; readonly ttl: number; readonly type: 'SOA'; readonly mname: string; readonly rname: string;
      readonly serial: number; readonly refresh: number; readonly retry: number; readonly expire: number; readonly minimum: number;
    };

export interface Reply {
  readonly rcode: number;
  readonly aa: boolean;
  readonly ra: boolean;
  readonly answer: RR[];
  readonly authority: RR[];
  readonly additional: RR[];
}

export type Resolution = { readonly kind: 'reply'; readonly reply: Reply } | { readonly kind: 'forward' };

export interface ResolveOptions {
  readonly recurseOn: boolean;
  readonly srvWeight: number;
}

/** mesos-dns query-name cleaning: lower case, every ".*" removed, trailing dot ensured. */
export function cleanQueryName(name: string): string {
  const n = name.toLowerCase().split('.*').join('');
  return n.endsWith('.') ? n : `${n}.`;
}

export function shuffle<T>(xs: T[], random: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = tmp;
  }
  return xs;
}

/** The authority whose origin is the longest suffix of `name` (a lower-case FQDN). */
export function authorityFor(zone: Zone, name: string): Authority | undefined {
  let best: Authority | undefined;
  for (const a of zone.authorities) {
    if ((name === a.origin || name.endsWith(`.${a.origin}`)) && (!best || a.origin.length > best.origin.length)) best = a;
  }
  return best;
}

const soaRR = (auth: Authority, owner: string): RR => ({ name: owner, ttl: auth.ttl, type: 'SOA', ...auth.soa });

export function resolve(zone: Zone, qname: string, qtype: number, opts: ResolveOptions, random: () => number): Resolution {
  const name = cleanQueryName(qname);
  const owner = qname.endsWith('.') ? qname : `${qname}.`;
  const entry = zone.names.get(name);
  const auth = authorityFor(zone, name);
  if (!auth) {
    if (qtype === QTYPE.PTR && entry && entry.ptr.length > 0) {
      const answer = shuffle(entry.ptr.map((t): RR => ({ name, ttl: entry.ttl, type: 'PTR', target: t })), random);
      return { kind: 'reply', reply: { rcode: RCODE.NOERROR, aa: true, ra: opts.recurseOn, answer, authority: [], additional: [] } };
    }
    return { kind: 'forward' };
  }
  const ttl = entry?.ttl ?? auth.ttl;
  const answer: RR[] = [];
  const authority: RR[] = [];
  const additional: RR[] = [];
  // SRV targets that cannot be encoded (kept in the record set for /v1/axfr) are never served.
  const servedSrv = entry && entry.srv.length > 0 ? entry.srv.filter((s) => validDnsName(s.target)) : [];
  const addrs = (t: 'A' | 'AAAA') => shuffle((t === 'A' ? entry?.a : entry?.aaaa)?.map((address): RR => ({ name, ttl, type: t, address })) ?? [], random);
  const srvs = () => {
    const list = shuffle(servedSrv.map((s): RR => ({ name: owner, ttl, type: 'SRV', priority: 0, weight: opts.srvWeight, port: s.port, target: s.target })), random);
    const seen = new Set<string>();
    for (const rr of list) {
      const target = (rr as { target: string }).target;
      if (seen.has(target)) continue;
      seen.add(target);
      const t = zone.names.get(target.toLowerCase());
      if (t?.a[0] !== undefined) additional.push({ name: target, ttl: t.ttl, type: 'A', address: t.a[0] });
      if (t?.aaaa[0] !== undefined) additional.push({ name: target, ttl: t.ttl, type: 'AAAA', address: t.aaaa[0] });
    }
    return list;
  };
  switch (qtype) {
    case QTYPE.A: answer.push(...addrs('A')); break;
    case QTYPE.AAAA: answer.push(...addrs('AAAA')); break;
    case QTYPE.SRV: answer.push(...srvs()); break;
    case QTYPE.PTR: answer.push(...shuffle((entry?.ptr ?? []).map((t): RR => ({ name, ttl, type: 'PTR', target: t })), random)); break;
    case QTYPE.SOA: authority.push(soaRR(auth, owner)); break;
    case QTYPE.NS: authority.push({ name: owner, ttl: auth.ttl, type: 'NS', target: auth.ns }); break;
    case QTYPE.ANY:
      answer.push(...srvs(), ...addrs('A'), ...addrs('AAAA'));
      authority.push({ name: owner, ttl: auth.ttl, type: 'NS', target: auth.ns }, soaRR(auth, owner));
      break;
    default: break;
  }
  let rcode: number = RCODE.NOERROR;
  if (answer.length === 0 && qtype !== QTYPE.SOA && qtype !== QTYPE.NS && qtype !== QTYPE.SRV) {
    const exists = !!entry && (entry.a.length > 0 || entry.aaaa.length > 0 || servedSrv.length > 0);
    if (!exists) rcode = RCODE.NXDOMAIN;
    if (qtype !== QTYPE.ANY) authority.push(soaRR(auth, owner));
  }
  return { kind: 'reply', reply: { rcode, aa: true, ra: opts.recurseOn, answer, authority, additional } };
}

export interface ForwardConfig {
  readonly externalOn: boolean;
  readonly resolvers: readonly string[];
  readonly zoneResolvers: Readonly<Record<string, readonly string[]>>;
}

/** Upstreams for a name we do not own: the longest matching zone's resolvers, else the defaults. */
export function planForward(qname: string, cfg: ForwardConfig): { resolvers: readonly string[] } | { refused: true } {
  const name = cleanQueryName(qname);
  let best: string | undefined;
  for (const zone of Object.keys(cfg.zoneResolvers)) {
    const z = cleanQueryName(zone);
    if ((name === z || name.endsWith(`.${z}`)) && (best === undefined || z.length > cleanQueryName(best).length)) best = zone;
  }
  const list = best !== undefined ? cfg.zoneResolvers[best]! : cfg.externalOn ? cfg.resolvers : [];
  return list.length > 0 ? { resolvers: list } : { refused: true };
}
