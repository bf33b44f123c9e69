// The binary table JS pushes to the native data path whenever the VIP table changes: one
// Uint32Array, so 10,000 VIPs × 10 backends cross the N-API boundary in one call. Layout (all
// numbers host order, IPv4 addresses as 32-bit integers):
//   [MAGIC, nVips, { vipIp, port, proto, nBackends, { ip, port, weight, snatIp, flags } × nBackends } × nVips]
// flags bit 0: the backend is an address of this host. snatIp 0: no source NAT. Pure.
import { ipv4ToInt as toInt } from '../src/kernel/ip.js';

export const TABLE_MAGIC = 0x4d4e5431; // "MNT1"
export const FLAG_LOCAL = 1;
const PROTO = { tcp: 6, udp: 17 } as const;

export interface NativeBackend {
  readonly ip: string;
  readonly port: number;
  readonly weight: number;
  /** Source address for this backend (Minuteman: egress address for remote backends). */
  readonly snat: string | undefined;
  readonly local: boolean;
}

export interface NativeVip {
  readonly ip: string;
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
  readonly backends: readonly NativeBackend[];
}

/** Encode; VIPs or backends with a non-IPv4 address are left out (IPv6 is not balanced). */
export function encodeTable(vips: readonly NativeVip[]): Uint32Array {
  const memo = new Map<string, number | undefined>();
  const ipv4ToInt = (ip: string): number | undefined => {
    if (!memo.has(ip)) memo.set(ip, toInt(ip));
    return memo.get(ip);
  };
  const out: number[] = [TABLE_MAGIC, 0];
  let n = 0;
  for (const v of vips) {
    const ip = ipv4ToInt(v.ip);
    if (ip === undefined) continue;
    const backends = v.backends.filter((b) => ipv4ToInt(b.ip) !== undefined);
    out.push(ip, v.port, PROTO[v.protocol], backends.length);
    for (const b of backends) out.push(ipv4ToInt(b.ip)!, b.port, b.weight, (b.snat && ipv4ToInt(b.snat)) || 0, b.local ? FLAG_LOCAL : 0);
    n++;
  }
  out[1] = n;
  return Uint32Array.from(out);
}

/** Inverse of encodeTable (for tests and diagnostics). */
export function decodeTable(a: Uint32Array): { ip: number; port: number; proto: number; backends: number[][] }[] | undefined {
  if (a[0] !== TABLE_MAGIC) return undefined;
  const vips: { ip: number; port: number; proto: number; backends: number[][] }[] = [];
  let i = 2;
  for (let v = 0; v < (a[1] ?? 0); v++) {
    const [ip, port, proto, nb] = [a[i]!, a[i + 1]!, a[i + 2]!, a[i + 3]!];
    i += 4;
    const backends: number[][] = [];
    for (let b = 0; b < nb; b++, i += 5) backends.push(Array.from(a.subarray(i, i + 5)));
    vips.push({ ip, port, proto, backends });
  }
  return vips;
}
