// JSON shapes served on 61421 and printed by the CLI. Pure.
//  - /vips: Minuteman's `{ vips: { "ip:port": { "bip:bport": metrics } } }`;
//  - /v1/vips: dcos-net's `[{ vip, protocol, backend: [{ ip, port }] }]` (named VIPs by FQDN);
//  - CLI `mesonet l4lb vips`: `[{ vip: "ip:port", protocol, name?, backends: [{ ip, port, weight }] }]`
//    sorted by vip (as text), backends by ip (as text) then port (as a number);
//  - /metrics: Prometheus text.
import type { VipEntry } from './vip-table.js';

/** Per-backend observations from the data path (native stats). */
export interface BackendStats {
  readonly pending: number;
  readonly successes: number;
  readonly failures: number;
  readonly consecutiveFailures: number;
  readonly tripped: boolean;
  readonly latencyEwmaUs: number;
  readonly lastLatencyUs: number;
}

export const ZERO_STATS: BackendStats = Object.freeze({ pending: 0, successes: 0, failures: 0, consecutiveFailures: 0, tripped: false, latencyEwmaUs: 0, lastLatencyUs: 0 });

export function minutemanVips(vips: readonly VipEntry[], stats: (ip: string, port: number) => BackendStats | undefined) {
  const out: Record<string, Record<string, unknown>> = {};
  for (const v of vips) {
    if (v.protocol !== 'tcp') continue;
    const bs: Record<string, unknown> = {};
    for (const b of v.backends) {
      const s = stats(b.ip, b.port) ?? ZERO_STATS;
      bs[`${b.ip}:${b.port}`] = {
        ewma_cost: s.pending + 1,
        total_failures: s.failures,
        total_sucesses: s.successes, // sic: Minuteman's spelling
        is_healthy: !s.tripped && b.weight > 0,
        weight: b.weight,
        pending: s.pending,
        latency_last_60s: { ewma_us: s.latencyEwmaUs, last_us: s.lastLatencyUs },
      };
    }
    out[`${v.ip}:${v.port}`] = bs;
  }
  return { vips: out };
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function dcosNetVips(vips: readonly VipEntry[]) {
  return vips.map((v) => ({
    vip: `${v.name ?? v.ip}:${v.port}`,
    protocol: v.protocol,
    backend: v.backends.map((b) => ({ ip: b.ip, port: b.port })),
  }));
}

export interface CliVip {
  vip: string;
  protocol: 'tcp' | 'udp';
  name?: string;
  backends: { ip: string; port: number; weight: number }[];
}

export function cliVips(vips: readonly VipEntry[]): CliVip[] {
  return vips
    .map((v) => {
      const backends = v.backends.map((b) => ({ ip: b.ip, port: b.port, weight: b.weight }));
      const vip = `${v.ip}:${v.port}`;
      // Key order is part of the contract: vip, protocol, name (named VIPs only), backends.
      return v.name !== undefined ? { vip, protocol: v.protocol, name: v.name, backends } : { vip, protocol: v.protocol, backends };
    })
    .sort((a, b) => compareText(a.vip, b.vip) || compareText(a.protocol, b.protocol));
}

/** Prometheus text for flat counters (`name → value`), each prefixed `mesonet_l4lb_`. */
export function metricsText(counters: Readonly<Record<string, number>>, gauges: Readonly<Record<string, number>> = {}): string {
  const lines: string[] = [];
  const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  for (const [k, v] of Object.entries(counters)) lines.push(`# TYPE mesonet_l4lb_${snake(k)}_total counter`, `mesonet_l4lb_${snake(k)}_total ${v}`);
  for (const [k, v] of Object.entries(gauges)) lines.push(`# TYPE mesonet_l4lb_${snake(k)} gauge`, `mesonet_l4lb_${snake(k)} ${v}`);
  return lines.join('\n') + '\n';
}
