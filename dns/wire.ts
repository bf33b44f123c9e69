// DNS wire format for the hot path (RFC 1035 / 6891), written for speed and kept deliberately small:
//  - parseQuery reads the header, one uncompressed question and an optional OPT record; anything
//    else (compressed question, answer/authority records, other additional records) is "complex"
//    and handed to the slow path (dns2's full decoder in io/);
//  - prepare() encodes each RR of a Reply once, position-independently: names are compressed only
//    by pointers into the question (at fixed offsets from byte 12), SRV targets are not compressed
//    (RFC 2782), so encoded RRs can be reordered freely per query (shuffling without re-encoding);
//  - render() assembles header + question + RRs (shuffled with the injected randomness) + OPT,
//    patching id and RD, and truncates like mesos-dns when over the size limit: TC=1 (unless
//    disabled), drop the additional section, then drop answers from the end until it fits.
// A codec, so a little over 250 lines. Pure.
import ipaddr from 'ipaddr.js';
import type { Reply, RR } from './resolve.js';
import { QTYPE, RCODE } from './resolve.js';

export interface Query {
  readonly id: number;
  readonly rd: boolean;
  readonly opcode: number;
  /** Question name as sent, presentation form with trailing dot. */
  readonly qname: string;
  readonly qtype: number;
  readonly qclass: number;
  /** Raw question bytes (name + type + class), echoed in the reply. */
  readonly question: Uint8Array;
  readonly edns: { readonly udpSize: number } | undefined;
}

export type Parsed =
  | { readonly kind: 'query'; readonly query: Query }
  /** Well-formed header but something we answer with an error code (FORMERR, NOTIMP). */
  | { readonly kind: 'error'; readonly rcode: number; readonly id: number; readonly rd: boolean; readonly opcode: number }
  /** Valid header, shape the fast parser does not handle: use the slow path. */
  | { readonly kind: 'complex' }
  /** Not a query at all (too short, a response): drop silently. */
  | { readonly kind: 'drop' };

export const MAX_UDP = 4096;

/** End offset of an uncompressed name (≤ 255 bytes), or -1. No string is built (hot path). */
function plainNameEnd(b: Uint8Array, off: number): number {
  const start = off;
  for (;;) {
    if (off >= b.length) return -1;
    const len = b[off]!;
    if (len === 0) return off + 1;
    if (len > 63 || off + len + 1 - start > 254) return -1; // compression pointer, reserved bits, too long
    off += len + 1;
  }
}

/** Presentation text of the uncompressed name at `off` (trailing dot; root = "."). */
function plainNameText(b: Uint8Array, off: number): string {
  let name = '';
  for (let len = b[off]!; len !== 0; len = b[off]!) {
    for (let i = off + 1; i <= off + len; i++) name += String.fromCharCode(b[i]!);
    name += '.';
    off += len + 1;
  }
  return name === '' ? '.' : name;
}

/** A parsed query whose name text is only built when asked for (cache hits never ask). */
class WireQuery implements Query {
  private name: string | undefined;
  constructor(
    private readonly buf: Uint8Array,
    readonly id: number, readonly rd: boolean, readonly qtype: number, readonly qclass: number,
    readonly question: Uint8Array, readonly edns: Query['edns'],
  ) {}
  get opcode(): number { return 0; }
  get qname(): string { return (this.name ??= plainNameText(this.buf, 12)); }
}

export function parseQuery(b: Uint8Array): Parsed {
  if (b.length < 12) return { kind: 'drop' };
  const id = (b[0]! << 8) | b[1]!;
  const f1 = b[2]!;
  if (f1 & 0x80) return { kind: 'drop' }; // a response, not a query
  const opcode = (f1 >> 3) & 0x0f;
  const rd = (f1 & 0x01) !== 0;
  if (opcode !== 0) return { kind: 'error', rcode: RCODE.NOTIMP, id, rd, opcode };
  const qd = (b[4]! << 8) | b[5]!;
  const an = (b[6]! << 8) | b[7]!;
  const ns = (b[8]! << 8) | b[9]!;
  const ar = (b[10]! << 8) | b[11]!;
  if (qd !== 1) return { kind: 'error', rcode: RCODE.FORMERR, id, rd, opcode };
  const nameEnd = plainNameEnd(b, 12);
  if (nameEnd < 0) return b.length > 12 && (b[12]! & 0xc0) === 0xc0 ? { kind: 'complex' } : { kind: 'error', rcode: RCODE.FORMERR, id, rd, opcode };
  if (nameEnd + 4 > b.length) return { kind: 'error', rcode: RCODE.FORMERR, id, rd, opcode };
  const qtype = (b[nameEnd]! << 8) | b[nameEnd + 1]!;
  const qclass = (b[nameEnd + 2]! << 8) | b[nameEnd + 3]!;
  const qend = nameEnd + 4;
  let edns: Query['edns'];
  if (an !== 0 || ns !== 0 || ar > 1) return { kind: 'complex' };
  if (ar === 1) {
    // Only a bare OPT is handled here: root name, type 41, class = UDP size, TTL, RDATA skipped.
    if (qend + 11 > b.length || b[qend] !== 0 || ((b[qend + 1]! << 8) | b[qend + 2]!) !== QTYPE.OPT) return { kind: 'complex' };
    const rdlen = (b[qend + 9]! << 8) | b[qend + 10]!;
    if (qend + 11 + rdlen > b.length) return { kind: 'error', rcode: RCODE.FORMERR, id, rd, opcode };
    edns = { udpSize: (b[qend + 3]! << 8) | b[qend + 4]! };
  }
  return { kind: 'query', query: new WireQuery(b, id, rd, qtype, qclass, b.subarray(12, qend), edns) };
}

/** Skip a possibly compressed name; pointers must point backwards (no loops). End offset or -1. */
function skipName(b: Uint8Array, off: number): number {
  let end = -1;
  let jumps = 0;
  for (;;) {
    if (off >= b.length) return -1;
    const len = b[off]!;
    if (len === 0) return end === -1 ? off + 1 : end;
    if ((len & 0xc0) === 0xc0) {
      if (off + 1 >= b.length) return -1;
      const target = ((len & 0x3f) << 8) | b[off + 1]!;
      if (target >= off || ++jumps > 64) return -1;
      if (end === -1) end = off + 2;
      off = target;
      continue;
    }
    if (len > 63) return -1;
    off += len + 1;
  }
}

/**
 * True if every section of the message is structurally sound (counts match the bytes, names end,
 * pointers only point backwards, RDATA within bounds). Guards the full decoder of the slow path,
 * whose cost otherwise grows with attacker-chosen record counts.
 */
export function wellFormed(b: Uint8Array): boolean {
  if (b.length < 12) return false;
  const count = (i: number) => (b[i]! << 8) | b[i + 1]!;
  let off = 12;
  for (let i = 0; i < count(4); i++) {
    off = skipName(b, off);
    if (off < 0 || off + 4 > b.length) return false;
    off += 4;
  }
  const rrs = count(6) + count(8) + count(10);
  if (rrs * 11 > b.length - off) return false;
  for (let i = 0; i < rrs; i++) {
    off = skipName(b, off);
    if (off < 0 || off + 10 > b.length) return false;
    off += 10 + ((b[off + 8]! << 8) | b[off + 9]!);
    if (off > b.length) return false;
  }
  return off === b.length;
}

// ── encoding ──────────────────────────────────────────────────────────────────────────────────

const TYPE_CODE: Record<RR['type'], number> = { A: 1, NS: 2, SOA: 6, PTR: 12, AAAA: 28, SRV: 33 };

function labelsOf(name: string): string[] {
  return name === '.' || name === '' ? [] : name.replace(/\.$/, '').split('.');
}

/** Byte builder for one RR. */
class Bytes {
  readonly out: number[] = [];
  u8(n: number) { this.out.push(n & 0xff); }
  u16(n: number) { this.out.push((n >>> 8) & 0xff, n & 0xff); }
  u32(n: number) { this.u16(Math.floor(n / 65536) % 65536); this.u16(n % 65536); }
}

/** Encoder context: the question's labels and their offsets, for suffix pointers. */
class NameCtx {
  private readonly suffixes = new Map<string, number>();
  constructor(qname: string) {
    const labels = labelsOf(qname);
    let off = 12;
    for (let i = 0; i < labels.length; i++) {
      this.suffixes.set(labels.slice(i).join('.'), off);
      off += labels[i]!.length + 1;
    }
  }
  write(w: Bytes, name: string, compress: boolean): void {
    const labels = labelsOf(name);
    for (let i = 0; i < labels.length; i++) {
      const ptr = compress ? this.suffixes.get(labels.slice(i).join('.')) : undefined;
      if (ptr !== undefined) { w.u16(0xc000 | ptr); return; }
      const l = labels[i]!;
      w.u8(l.length);
      for (let k = 0; k < l.length; k++) w.u8(l.charCodeAt(k));
    }
    w.u8(0);
  }
}

/** Address bytes via ipaddr.js (src/kernel/ip.ts has no byte export yet); values are pre-validated. */
function ipBytes(w: Bytes, ip: string): void {
  for (const x of ipaddr.parse(ip).toByteArray()) w.u8(x);
}

/** Encode one RR (position-independent; see header). */
export function encodeRR(rr: RR, ctx: NameCtx): Uint8Array {
  const w = new Bytes();
  ctx.write(w, rr.name, true);
  w.u16(TYPE_CODE[rr.type]);
  w.u16(1);
  w.u32(rr.ttl);
  const rdata = new Bytes();
  switch (rr.type) {
    case 'A': case 'AAAA': ipBytes(rdata, rr.address); break;
    case 'SRV': rdata.u16(rr.priority); rdata.u16(rr.weight); rdata.u16(rr.port); ctx.write(rdata, rr.target, false); break;
    case 'NS': case 'PTR': ctx.write(rdata, rr.target, false); break;
    case 'SOA':
      ctx.write(rdata, rr.mname, false); ctx.write(rdata, rr.rname, false);
      rdata.u32(rr.serial); rdata.u32(rr.refresh); rdata.u32(rr.retry); rdata.u32(rr.expire); rdata.u32(rr.minimum);
      break;
  }
  w.u16(rdata.out.length);
  for (const x of rdata.out) w.out.push(x);
  return Uint8Array.from(w.out);
}

/** A reply encoded once for one question; rendered per query. */
export interface Prepared {
  readonly rcode: number;
  readonly aa: boolean;
  readonly ra: boolean;
  readonly question: Uint8Array;
  readonly answers: readonly Uint8Array[];
  readonly authority: readonly Uint8Array[];
  readonly additional: readonly Uint8Array[];
}

export function prepare(query: Pick<Query, 'qname' | 'question'>, reply: Reply): Prepared {
  const ctx = new NameCtx(query.qname);
  const enc = (rrs: readonly RR[]) => rrs.map((rr) => encodeRR(rr, ctx));
  return {
    rcode: reply.rcode, aa: reply.aa, ra: reply.ra, question: Uint8Array.from(query.question),
    answers: enc(reply.answer), authority: enc(reply.authority), additional: enc(reply.additional),
  };
}

export interface RenderOptions {
  readonly id: number;
  readonly rd: boolean;
  /** Echo an OPT record (the query had one). */
  readonly edns: boolean;
  /** Size limit: 512 / the client's EDNS size on UDP, 65535 on TCP. */
  readonly maxSize: number;
  readonly setTruncateBit: boolean;
  readonly random: () => number;
}

const OPT_RR = Uint8Array.from([0, 0, 41, MAX_UDP >> 8, MAX_UDP & 0xff, 0, 0, 0, 0, 0, 0]);
const sum = (xs: readonly Uint8Array[], n = xs.length) => { let s = 0; for (let i = 0; i < n; i++) s += xs[i]!.length; return s; };

export function render(p: Prepared, o: RenderOptions): Buffer {
  let answers = p.answers;
  if (answers.length > 1) {
    const idx = answers.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(o.random() * (i + 1));
      const t = idx[i]!; idx[i] = idx[j]!; idx[j] = t;
    }
    answers = idx.map((i) => p.answers[i]!);
  }
  const opt = o.edns ? OPT_RR.length : 0;
  const fixed = 12 + p.question.length + opt;
  let additional = p.additional;
  let authority = p.authority;
  let nAns = answers.length;
  let tc = false;
  if (fixed + sum(answers) + sum(authority) + sum(additional) > o.maxSize) {
    tc = true;
    additional = [];
    while (nAns > 0 && fixed + sum(answers, nAns) + sum(authority) > o.maxSize) nAns--;
    if (fixed + sum(answers, nAns) + sum(authority) > o.maxSize) authority = [];
  }
  const size = fixed + sum(answers, nAns) + sum(authority) + sum(additional);
  const b = Buffer.allocUnsafe(size);
  b.writeUInt16BE(o.id, 0);
  b[2] = 0x80 | (p.aa ? 0x04 : 0) | (tc && o.setTruncateBit ? 0x02 : 0) | (o.rd ? 0x01 : 0);
  b[3] = (p.ra ? 0x80 : 0) | (p.rcode & 0x0f);
  b.writeUInt16BE(1, 4);
  b.writeUInt16BE(nAns, 6);
  b.writeUInt16BE(authority.length, 8);
  b.writeUInt16BE(additional.length + (o.edns ? 1 : 0), 10);
  let off = 12;
  b.set(p.question, off); off += p.question.length;
  for (let i = 0; i < nAns; i++) { b.set(answers[i]!, off); off += answers[i]!.length; }
  for (const rr of authority) { b.set(rr, off); off += rr.length; }
  for (const rr of additional) { b.set(rr, off); off += rr.length; }
  if (o.edns) b.set(OPT_RR, off);
  return b;
}

/** A header-only error reply (FORMERR, NOTIMP, SERVFAIL, REFUSED) echoing the question if known. */
export function errorReply(id: number, rd: boolean, opcode: number, rcode: number, question?: Uint8Array, ra = true): Buffer {
  const q = question ?? new Uint8Array(0);
  const b = Buffer.alloc(12 + q.length);
  b.writeUInt16BE(id, 0);
  b[2] = 0x80 | ((opcode & 0x0f) << 3) | (rd ? 1 : 0);
  b[3] = (ra ? 0x80 : 0) | (rcode & 0x0f);
  b.writeUInt16BE(q.length ? 1 : 0, 4);
  b.set(q, 12);
  return b;
}

/** Encode a question (for tests and the slow path): name + type + class. */
export function encodeQuestion(qname: string, qtype: number, qclass = 1): Uint8Array {
  const w = new Bytes();
  new NameCtx('.').write(w, qname, false);
  w.u16(qtype);
  w.u16(qclass);
  return Uint8Array.from(w.out);
}

/** Maximum reply size for a query on a transport. */
export function maxReplySize(transport: 'udp' | 'tcp', edns: Query['edns']): number {
  if (transport === 'tcp') return 65535;
  return edns ? Math.min(Math.max(512, edns.udpSize), MAX_UDP) : 512;
}
