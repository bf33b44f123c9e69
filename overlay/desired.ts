// What one agent's kernel should hold for the overlay, computed from the config, the agent's own
// lease and its peers: the VTEP, the bridges with their gateway addresses, and per peer a permanent
// neighbour (VTEP IP → VTEP MAC), a static FDB entry (VTEP MAC → underlay IP: head-end replication,
// no learning, no multicast) and a route to its block via its VTEP. Plus the masquerade chain:
// traffic from the overlay leaves NATed unless it goes to the overlay. Pure.
import type { Problem } from '../src/kernel/errors.js';
import { nthAddress, cidrsOverlap } from '../src/kernel/ip.js';
import type { OverlayConfig } from './config.js';
import { bridgeHalves } from './leases.js';
import { macForIp } from './names.js';
import type { Peer } from './state.js';

export interface DesiredVtep {
  readonly name: string;
  readonly vni: number;
  readonly port: number;
  /** Underlay address the VXLAN packets leave from. */
  readonly local: string;
  readonly mac: string;
  readonly mtu: number | undefined;
  /** e.g. 44.128.0.1/20 */
  readonly address: string;
}

export interface DesiredBridge {
  readonly name: string;
  readonly mtu: number;
  /** Gateway address with the half's prefix, e.g. 9.0.0.1/25. */
  readonly address: string;
  /** Fixed MAC (from the gateway address), so it does not follow the ports' MACs. */
  readonly mac: string;
  /** The half itself, e.g. 9.0.0.0/25 (the CNI plugin's range for the mesos bridge). */
  readonly subnet: string;
}

export interface PeerEntry {
  readonly agentIp: string;
  readonly vtepIp: string;
  readonly vtepMac: string;
  readonly subnet: string;
}

export interface DesiredNat {
  readonly chain: string;
  /** Rules of the chain, in iptables-save form (`-A CHAIN …`), in order. */
  readonly rules: readonly string[];
  /** The POSTROUTING rule that sends overlay traffic to the chain. */
  readonly jump: string;
}

export interface Desired {
  readonly vtep: DesiredVtep;
  readonly bridges: readonly DesiredBridge[];
  readonly peers: readonly PeerEntry[];
  readonly nat: DesiredNat | undefined;
}

/** Gateway address of a half: its first host, with the half's prefix. */
export function gatewayOf(half: string): string {
  return `${nthAddress(half, 1) ?? ''}/${half.split('/')[1] ?? ''}`;
}

function bridge(name: string, mtu: number, half: string): DesiredBridge {
  const address = gatewayOf(half);
  return { name, mtu, address, mac: macForIp(address.split('/')[0] ?? ''), subnet: half };
}

/** The masquerade chain: RETURN towards the overlay, MASQUERADE everything else leaving it. */
export function natRules(cfg: OverlayConfig): DesiredNat {
  const c = cfg.natChain;
  return {
    chain: c,
    rules: [`-A ${c} -d ${cfg.subnet} -j RETURN`, `-A ${c} -j MASQUERADE`],
    jump: `-A POSTROUTING -s ${cfg.subnet} -j ${c}`,
  };
}

/**
 * Desired state of the agent `self` (from the master's state) among `peers` (every agent, self
 * included or not). A peer is skipped with a problem when it collides with this agent or an
 * earlier peer (same underlay address, VTEP address, MAC or an overlapping block).
 */
export function desiredAgent(cfg: OverlayConfig, self: Peer, peers: readonly Peer[]): { desired: Desired; problems: Problem[] } {
  const problems: Problem[] = [];
  const halves = bridgeHalves(self.subnet);
  const bridges: DesiredBridge[] = [];
  if (cfg.mesosBridge) bridges.push(bridge(cfg.mesosBridgeName, cfg.mtu, halves.mesos));
  if (cfg.dockerBridge) bridges.push(bridge(cfg.dockerBridgeName, cfg.mtu, halves.docker));
  const seen = { ip: new Set([self.ip]), vtep: new Set([self.vtepIp]), mac: new Set([self.vtepMac]) };
  const subnets = new Set([self.subnet]);
  const entries: PeerEntry[] = [];
  for (const p of peers) {
    if (p.ip === self.ip || (self.id !== undefined && p.id === self.id)) continue;
    const clash = seen.ip.has(p.ip) ? 'underlay address' : seen.vtep.has(p.vtepIp) ? 'VTEP address' : seen.mac.has(p.vtepMac) ? 'VTEP MAC'
      : subnets.has(p.subnet) || cidrsOverlap(self.subnet, p.subnet) ? 'subnet' : undefined;
    if (clash) {
      problems.push({ path: `peer ${p.id ?? p.ip}`, message: `skipped: its ${clash} collides with another agent` });
      continue;
    }
    seen.ip.add(p.ip); seen.vtep.add(p.vtepIp); seen.mac.add(p.vtepMac); subnets.add(p.subnet);
    entries.push({ agentIp: p.ip, vtepIp: p.vtepIp, vtepMac: p.vtepMac, subnet: p.subnet });
  }
  return {
    desired: {
      vtep: { name: cfg.vtepName, vni: self.vni, port: cfg.udpPort, local: self.ip, mac: self.vtepMac, mtu: cfg.vtepMtu, address: `${self.vtepIp}/${self.vtepPrefix}` },
      bridges,
      peers: entries,
      nat: bridges.length ? natRules(cfg) : undefined,
    },
    problems,
  };
}
