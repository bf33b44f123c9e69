// The query engine the servers call for every packet: parse → (cache hit | resolve + prepare) →
// render, or a forwarding decision. One cache of prepared answers per zone version: each answer is
// encoded once, then every query only copies bytes, patches id/RD and shuffles the encoded answer
// RRs. Swapping the zone swaps the cache, atomically from the caller's point of view.
// Before the first zone is loaded every query gets SERVFAIL (never an authoritative NXDOMAIN).
// Pure: randomness is injected; no sockets (the io server does the sending and forwarding).
import type { Zone } from './zone.js';
import { planForward, RCODE, resolve, type ForwardConfig } from './resolve.js';
import { errorReply, maxReplySize, parseQuery, prepare, render, type Prepared, type Query } from './wire.js';

export interface EngineConfig extends ForwardConfig {
  readonly recurseOn: boolean;
  readonly srvWeight: number;
  readonly setTruncateBit: boolean;
  /** Prepared answers kept per zone version before the cache is reset. */
  readonly cacheEntries?: number;
}

export type Transport = 'udp' | 'tcp';

export type Outcome =
  | { readonly kind: 'reply'; readonly bytes: Buffer }
  | { readonly kind: 'forward'; readonly resolvers: readonly string[]; readonly query: Query }
  | { readonly kind: 'complex' }
  | { readonly kind: 'drop' };

export interface EngineStats {
  /** Every message handed to handle(), well-formed or not. */
  packets: number;
  queries: number;
  cacheHits: number;
  forwarded: number;
  refused: number;
  errors: number;
  dropped: number;
  truncated: number;
  nxdomain: number;
}

const FORWARD = Symbol('forward');

/**
 * Cache slot for one exact question (name bytes as sent, so 0x20 case variants are separate keys
 * and each reply echoes its own question). Keyed by a 30-bit hash of the bytes (a small integer:
 * no key string is built per query); colliding questions are chained.
 */
interface Slot { readonly q: Uint8Array; readonly value: Prepared | typeof FORWARD; readonly next: Slot | undefined }

/** FNV-1a over bytes, cut to 30 bits (a V8 small integer, so Map lookups allocate nothing). */
function hashBytes(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h & 0x3fffffff;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Engine {
  private zone: Zone | undefined;
  private cache = new Map<number, Slot>();
  private cached = 0;
  readonly stats: EngineStats = { packets: 0, queries: 0, cacheHits: 0, forwarded: 0, refused: 0, errors: 0, dropped: 0, truncated: 0, nxdomain: 0 };

  constructor(private cfg: EngineConfig, private readonly random: () => number) {}

  /** Install a new zone (and a fresh answer cache for it). */
  setZone(zone: Zone): void {
    this.zone = zone;
    this.cache = new Map();
    this.cached = 0;
  }

  currentZone(): Zone | undefined {
    return this.zone;
  }

  /** Handle one raw DNS message. */
  handle(packet: Uint8Array, transport: Transport): Outcome {
    this.stats.packets++;
    const parsed = parseQuery(packet);
    switch (parsed.kind) {
      case 'drop':
        this.stats.dropped++;
        return parsed;
      case 'complex':
        return parsed;
      case 'error':
        this.stats.queries++;
        this.stats.errors++;
        return { kind: 'reply', bytes: errorReply(parsed.id, parsed.rd, parsed.opcode, parsed.rcode, undefined, this.cfg.recurseOn) };
      case 'query':
        return this.handleQuery(parsed.query, transport);
    }
  }

  /** Handle a parsed query (the slow path decodes with dns2 and comes here too). */
  handleQuery(query: Query, transport: Transport): Outcome {
    this.stats.queries++;
    const zone = this.zone;
    if (!zone) {
      this.stats.errors++;
      return { kind: 'reply', bytes: errorReply(query.id, query.rd, 0, RCODE.SERVFAIL, query.question, this.cfg.recurseOn) };
    }
    const q = query.question;
    const h = hashBytes(q);
    let slot = this.cache.get(h);
    while (slot !== undefined && !sameBytes(slot.q, q)) slot = slot.next;
    let prepared: Prepared | typeof FORWARD;
    if (slot !== undefined) {
      this.stats.cacheHits++;
      prepared = slot.value;
    } else {
      const res = resolve(zone, query.qname, query.qtype, this.cfg, this.random);
      prepared = res.kind === 'forward' ? FORWARD : prepare(query, res.reply);
      if (this.cached >= (this.cfg.cacheEntries ?? 100_000)) { this.cache.clear(); this.cached = 0; }
      const key = prepared === FORWARD ? Uint8Array.from(q) : prepared.question;
      this.cache.set(h, { q: key, value: prepared, next: this.cache.get(h) });
      this.cached++;
    }
    if (prepared === FORWARD) {
      const plan = planForward(query.qname, this.cfg);
      if ('refused' in plan) {
        this.stats.refused++;
        return { kind: 'reply', bytes: errorReply(query.id, query.rd, 0, RCODE.REFUSED, query.question, this.cfg.recurseOn) };
      }
      this.stats.forwarded++;
      return { kind: 'forward', resolvers: plan.resolvers, query };
    }
    if (prepared.rcode === RCODE.NXDOMAIN) this.stats.nxdomain++;
    const maxSize = maxReplySize(transport, query.edns);
    const bytes = render(prepared, { id: query.id, rd: query.rd, edns: query.edns !== undefined, maxSize, setTruncateBit: this.cfg.setTruncateBit, random: this.random });
    if (bytes[2]! & 0x02) this.stats.truncated++;
    return { kind: 'reply', bytes };
  }
}
