// The VIP table: every VIP of the snapshot (shared derivation in src/kernel/vip.ts) with the
// endpoints the balancer sends to and their weights, as dcos-net computes them:
//  - host scope (host/bridge networking): agent IP : host port;
//  - container scope (overlay, `network-scope=container`): each task IP : container port;
//  - weight 1 when running and not reported unhealthy; 0 (drain: no new connections, existing
//    flows kept) when running but `healthy: false`, or killing; other states are not backends.
// A backend whose address cannot be known (agent without an IP, container without IPs or port) is
// reported and left out. Pure.
import type { Problem } from '../src/kernel/errors.js';
import type { Snapshot } from '../src/kernel/snapshot.js';
import { isIPv4 } from '../src/kernel/ip.js';
import { deriveVips, type VipBackend, type VipProtocol } from '../src/kernel/vip.js';

export interface Backend {
  readonly ip: string;
  readonly port: number;
  /** 1 = takes new connections, 0 = draining. */
  readonly weight: number;
  /** Task ids behind this endpoint (several tasks may share one host port only by mistake). */
  readonly taskIds: readonly string[];
}

export interface VipEntry {
  readonly key: string;
  readonly protocol: VipProtocol;
  readonly ip: string;
  readonly port: number;
  /** FQDN of a named VIP. */
  readonly name: string | undefined;
  /** Sorted by ip (as text), then port. */
  readonly backends: readonly Backend[];
}

export interface VipTable {
  /** Sorted by key. */
  readonly vips: readonly VipEntry[];
  readonly problems: readonly Problem[];
}

export interface VipTableOptions {
  readonly namedRange?: string;
  readonly zone?: string;
  readonly reserved?: readonly string[];
}

/** Weight of a task, or undefined when it is not a backend at all. */
export function taskWeight(state: string, healthy: boolean | undefined): number | undefined {
  if (state === 'TASK_RUNNING') return healthy === false ? 0 : 1;
  if (state === 'TASK_KILLING') return 0;
  return undefined;
}

/** Endpoints of one task port behind a VIP (empty when they cannot be known). */
export function endpoints(b: VipBackend): { ip: string; port: number }[] {
  if (b.scope === 'host') return b.agentIp !== undefined && b.hostPort !== undefined ? [{ ip: b.agentIp, port: b.hostPort }] : [];
  if (b.containerPort !== undefined && b.taskIps.length) return b.taskIps.filter(isIPv4).map((ip) => ({ ip, port: b.containerPort! }));
  // A container port without task IPs (not yet reported) falls back to a known host port mapping.
  return b.agentIp !== undefined && b.hostPort !== undefined ? [{ ip: b.agentIp, port: b.hostPort }] : [];
}

/** Backend order of every output: ip as text, then port as a number (the CLI contract). */
export function compareBackends(a: { ip: string; port: number }, b: { ip: string; port: number }): number {
  return (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0) || a.port - b.port;
}

export function buildVipTable(snapshot: Snapshot, opts: VipTableOptions = {}): VipTable {
  const derived = deriveVips(snapshot, opts);
  const problems: Problem[] = [...derived.problems];
  const vips = derived.vips.map((v): VipEntry => {
    const byEndpoint = new Map<string, { ip: string; port: number; weight: number; taskIds: string[] }>();
    for (const b of v.backends) {
      const weight = taskWeight(b.state, b.healthy);
      if (weight === undefined) continue;
      const eps = endpoints(b);
      if (!eps.length) {
        problems.push({ path: v.key, message: `task ${b.taskId} has no usable ${b.scope} address for port index ${b.portIndex}; backend skipped` });
        continue;
      }
      for (const ep of eps) {
        const k = `${ep.ip}:${ep.port}`;
        const have = byEndpoint.get(k);
        if (have) {
          have.weight = Math.max(have.weight, weight);
          if (!have.taskIds.includes(b.taskId)) have.taskIds.push(b.taskId);
        } else byEndpoint.set(k, { ...ep, weight, taskIds: [b.taskId] });
      }
    }
    const backends = [...byEndpoint.values()].sort(compareBackends);
    return { key: v.key, protocol: v.protocol, ip: v.ip, port: v.port, name: v.name, backends };
  });
  return { vips, problems };
}

/** The TCP VIPs the kernel balances (the NFQUEUE path, like Minuteman's, never balanced UDP). */
export const tcpVips = (table: VipTable): VipEntry[] => table.vips.filter((v) => v.protocol === 'tcp');
