// IP and CIDR helpers over ipaddr.js: every parse goes through ipaddr.js, arithmetic is done on
// BigInt offsets so IPv4 and IPv6 share one code path. Bad input is a value (undefined or a
// Problem), never an exception. IPv4 must be dotted four-part decimal ("10.1" and "010.0.0.1" are
// rejected, although ipaddr.js alone would accept them); IPv6 zone ids ("fe80::1%eth0") are rejected.
// Pure: no I/O.
import ipaddr from 'ipaddr.js';
import type { Problem, Result } from './errors.js';
import { ok, err } from './errors.js';

export type IpFamily = 4 | 6;

/** A parsed address: its canonical text (IPv6 in RFC 5952 form) and family. */
export interface Ip {
  readonly address: string;
  readonly family: IpFamily;
}

/** A parsed CIDR; `network` has the host bits cleared; `text` is `${network}/${prefixLength}`. */
export interface Cidr {
  readonly network: string;
  readonly prefixLength: number;
  readonly family: IpFamily;
  readonly text: string;
}

export type CidrLike = string | Cidr;

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

function toAddr(text: string): Addr | undefined {
  if (typeof text !== 'string') return undefined;
  const s = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return ipaddr.IPv4.parse(s);
  if (s.includes(':') && !s.includes('%') && ipaddr.IPv6.isValid(s)) return ipaddr.IPv6.parse(s);
  return undefined;
}

const familyOf = (a: Addr): IpFamily => (a.kind() === 'ipv4' ? 4 : 6);
const textOf = (a: Addr): string => (a.kind() === 'ipv4' ? a.toString() : (a as ipaddr.IPv6).toRFC5952String());

function addrToBig(a: Addr): bigint {
  let n = 0n;
  for (const b of a.toByteArray()) n = (n << 8n) | BigInt(b);
  return n;
}

function bigToText(n: bigint, family: IpFamily): string {
  const bytes: number[] = [];
  for (let i = 0; i < BITS[family] / 8; i++) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  return textOf(ipaddr.fromByteArray(bytes));
}

/** Parse an address. */
export function parseIp(text: string, path = ''): Result<Ip, Problem> {
  const a = toAddr(text);
  if (!a) return err({ path, message: `not an IP address: ${JSON.stringify(text)}` });
  return ok({ address: textOf(a), family: familyOf(a) });
}

export const isIp = (text: string): boolean => toAddr(text) !== undefined;
export const isIPv4 = (text: string): boolean => toAddr(text)?.kind() === 'ipv4';
export const isIPv6 = (text: string): boolean => toAddr(text)?.kind() === 'ipv6';

/** Canonical text of an address (e.g. "2001:DB8:0::1" → "2001:db8::1"), or undefined if invalid. */
export function normalizeIp(text: string): string | undefined {
  const a = toAddr(text);
  return a ? textOf(a) : undefined;
}

/** Address family, or undefined if invalid. */
export function ipFamily(text: string): IpFamily | undefined {
  const a = toAddr(text);
  return a ? familyOf(a) : undefined;
}

/**
 * Parse "a.b.c.d/n" or "x::/n". Host bits are cleared ("9.0.0.1/8" → 9.0.0.0/8) unless
 * `strict` is set, in which case they are a problem.
 */
export function parseCidr(text: string, path = '', opts: { strict?: boolean } = {}): Result<Cidr, Problem> {
  const bad = (why: string): Result<never, Problem> => err({ path, message: `${why}: ${JSON.stringify(text)}` });
  if (typeof text !== 'string') return bad('not a CIDR');
  const m = /^\s*([^/\s]+)\/(\d{1,3})\s*$/.exec(text);
  if (!m) return bad('not a CIDR (want address/prefix)');
  const a = toAddr(m[1] ?? '');
  if (!a) return bad('not a CIDR (bad address)');
  const family = familyOf(a);
  const prefixLength = Number(m[2]);
  if (prefixLength > BITS[family]) return bad(`prefix length over ${BITS[family]}`);
  const hostBits = BigInt(BITS[family] - prefixLength);
  const value = addrToBig(a);
  const base = (value >> hostBits) << hostBits;
  if (opts.strict && base !== value) return bad('host bits set');
  const network = bigToText(base, family);
  return ok({ network, prefixLength, family, text: `${network}/${prefixLength}` });
}

function resolve(c: CidrLike): Cidr | undefined {
  if (typeof c !== 'string') return c;
  const r = parseCidr(c);
  return r.ok ? r.value : undefined;
}

const baseOf = (c: Cidr): bigint => addrToBig(toAddr(c.network) as Addr);
const sizeOf = (c: Cidr): bigint => 1n << BigInt(BITS[c.family] - c.prefixLength);

/** True when `ip` lies inside `cidr` (false for invalid input or a family mismatch). */
export function cidrContains(cidr: CidrLike, ip: string): boolean {
  return offsetInCidr(cidr, ip) !== undefined;
}

/** Offset of `ip` from the network address of `cidr` (0 for the network itself), or undefined if outside. */
export function offsetInCidr(cidr: CidrLike, ip: string): number | undefined {
  const c = resolve(cidr);
  const a = toAddr(ip);
  if (!c || !a || familyOf(a) !== c.family) return undefined;
  const off = addrToBig(a) - baseOf(c);
  return off >= 0n && off < sizeOf(c) ? Number(off) : undefined;
}

/** True when the two CIDRs share any address. */
export function cidrsOverlap(a: CidrLike, b: CidrLike): boolean {
  const x = resolve(a);
  const y = resolve(b);
  if (!x || !y || x.family !== y.family) return false;
  const wider = x.prefixLength <= y.prefixLength ? x : y;
  const narrower = wider === x ? y : x;
  return cidrContains(wider, narrower.network);
}

/** "1.2.3.4" → 0x01020304, or undefined if not IPv4. */
export function ipv4ToInt(ip: string): number | undefined {
  const a = toAddr(ip);
  return a && a.kind() === 'ipv4' ? Number(addrToBig(a)) : undefined;
}

/** 0x01020304 → "1.2.3.4", or undefined unless 0 ≤ n < 2^32 is an integer. */
export function intToIpv4(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) return undefined;
  return bigToText(BigInt(n), 4);
}

/** Number of addresses in `cidr` (a Number: exact up to 2^53, approximate beyond). */
export function addressCount(cidr: CidrLike): number {
  const c = resolve(cidr);
  return c ? Number(sizeOf(c)) : 0;
}

/**
 * The n-th address of `cidr` counting from the network address (n = 0); negative n counts back
 * from the last address (-1 = broadcast for IPv4). Undefined when out of range.
 */
export function nthAddress(cidr: CidrLike, n: number): string | undefined {
  const c = resolve(cidr);
  if (!c || !Number.isInteger(n)) return undefined;
  const size = sizeOf(c);
  const off = n < 0 ? size + BigInt(n) : BigInt(n);
  if (off < 0n || off >= size) return undefined;
  return bigToText(baseOf(c) + off, c.family);
}

/** Last address of `cidr` (the IPv4 broadcast address). */
export const lastAddress = (cidr: CidrLike): string | undefined => nthAddress(cidr, -1);

/** How many /newPrefix subnets fit in `cidr` (0 when newPrefix is shorter than its prefix or too long). */
export function subnetCount(cidr: CidrLike, newPrefix: number): number {
  const c = resolve(cidr);
  if (!c || !Number.isInteger(newPrefix) || newPrefix < c.prefixLength || newPrefix > BITS[c.family]) return 0;
  return Number(1n << BigInt(newPrefix - c.prefixLength));
}

/** Subnet number `index` of size /newPrefix inside `cidr`: subnetAt("9.0.0.0/8", 24, 3) → 9.0.3.0/24. */
export function subnetAt(cidr: CidrLike, newPrefix: number, index: number): Cidr | undefined {
  const c = resolve(cidr);
  if (!c || !Number.isInteger(index) || index < 0 || index >= subnetCount(c, newPrefix)) return undefined;
  const base = baseOf(c) + (BigInt(index) << BigInt(BITS[c.family] - newPrefix));
  const network = bigToText(base, c.family);
  return { network, prefixLength: newPrefix, family: c.family, text: `${network}/${newPrefix}` };
}

/** Index of the /newPrefix subnet of `cidr` that holds `ip` (inverse of subnetAt), or undefined. */
export function subnetIndexOf(cidr: CidrLike, newPrefix: number, ip: string): number | undefined {
  const c = resolve(cidr);
  const off = offsetInCidr(cidr, ip);
  if (!c || off === undefined || subnetCount(c, newPrefix) === 0) return undefined;
  const a = toAddr(ip) as Addr;
  return Number((addrToBig(a) - baseOf(c)) >> BigInt(BITS[c.family] - newPrefix));
}

/**
 * Total order for sorting: IPv4 before IPv6, then numerically. Invalid addresses sort last, among
 * themselves by text.
 */
export function compareIps(a: string, b: string): number {
  const x = toAddr(a);
  const y = toAddr(b);
  if (!x || !y) return x ? -1 : y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  const fx = familyOf(x);
  const fy = familyOf(y);
  if (fx !== fy) return fx - fy;
  const d = addrToBig(x) - addrToBig(y);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/**
 * PTR owner name without a trailing dot: "1.2.3.4" → "4.3.2.1.in-addr.arpa";
 * IPv6 → 32 reversed nibbles + ".ip6.arpa". Undefined for an invalid address.
 */
export function reverseName(ip: string): string | undefined {
  const a = toAddr(ip);
  if (!a) return undefined;
  const bytes = a.toByteArray();
  if (a.kind() === 'ipv4') return `${bytes.reverse().join('.')}.in-addr.arpa`;
  const nibbles = bytes.flatMap((b) => [(b >> 4).toString(16), (b & 15).toString(16)]);
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}
