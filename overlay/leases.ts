// Lease allocation, as the mesos overlay master does it: each agent gets the lowest free /prefix
// block of the overlay subnet (split in halves for the m- and d- bridges), the lowest free host
// address of the VTEP subnet, and a VTEP MAC made of the OUI's first three bytes and the VTEP
// address's last three. A table in gives a table out: existing leases never move, and only an
// explicit release frees them. Exhaustion is a value for that agent. Pure.
import { ok, err, type Problem, type Result } from '../src/kernel/errors.js';
import { ipv4ToInt, isIPv4, subnetAt, nthAddress, offsetInCidr, addressCount, subnetCount, parseCidr } from '../src/kernel/ip.js';
import type { OverlayConfig } from './config.js';
import type { LeaseError } from './errors.js';

export interface Lease {
  /** Agent id (Mesos SlaveID). */
  readonly id: string;
  /** The agent's underlay address. */
  readonly ip: string;
  /** The agent's block, e.g. 9.0.0.0/24. */
  readonly subnet: string;
  readonly vtepIp: string;
  readonly vtepMac: string;
}

/** Leases in registration order. */
export interface LeaseTable {
  readonly version: 1;
  readonly agents: readonly Lease[];
}

/** A lease with its bridge halves, as printed by `mesonet overlay leases`. */
export interface LeaseView extends Lease {
  readonly mDcos: string;
  readonly dDcos: string;
}

export const emptyTable = (): LeaseTable => ({ version: 1, agents: [] });

const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,254}$/;

/** "70:B3:D5:00:00:00" + 44.128.0.1 → "70:b3:d5:80:00:01". */
export function vtepMacFor(oui: string, vtepIp: string): string {
  const n = ipv4ToInt(vtepIp) ?? 0;
  const low = [(n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].map((b) => b.toString(16).padStart(2, '0'));
  return [...oui.toLowerCase().split(':').slice(0, 3), ...low].join(':');
}

/** The lower (mesos) and upper (docker) halves of an agent block. */
export function bridgeHalves(subnet: string): { mesos: string; docker: string } {
  const len = Number(subnet.split('/')[1]);
  return { mesos: subnetAt(subnet, len + 1, 0)?.text ?? '', docker: subnetAt(subnet, len + 1, 1)?.text ?? '' };
}

export function viewOf(l: Lease): LeaseView {
  const h = bridgeHalves(l.subnet);
  return { id: l.id, ip: l.ip, subnet: l.subnet, mDcos: h.mesos, dDcos: h.docker, vtepIp: l.vtepIp, vtepMac: l.vtepMac };
}

/** Block indices and VTEP offsets in use, computed once per table (cached: tables are immutable). */
const usedCache = new WeakMap<LeaseTable, { subnets: Set<number>; vteps: Set<number> }>();
function usedSets(table: LeaseTable, cfg: OverlayConfig): { subnets: Set<number>; vteps: Set<number> } {
  const hit = usedCache.get(table);
  if (hit) return { subnets: new Set(hit.subnets), vteps: new Set(hit.vteps) };
  const base = ipv4ToInt(cfg.subnet.split('/')[0] ?? '') ?? 0;
  const vbase = ipv4ToInt(cfg.vtepSubnet.split('/')[0] ?? '') ?? 0;
  const shift = 32 - cfg.prefix;
  const r = {
    subnets: new Set(table.agents.map((l) => Math.floor(((ipv4ToInt(l.subnet.split('/')[0] ?? '') ?? 0) - base) / 2 ** shift))),
    vteps: new Set(table.agents.map((l) => (ipv4ToInt(l.vtepIp) ?? 0) - vbase)),
  };
  usedCache.set(table, r);
  return { subnets: new Set(r.subnets), vteps: new Set(r.vteps) };
}

/** Lowest index in [from, limit) not in `used`, or undefined. */
function lowestFree(used: ReadonlySet<number>, from: number, limit: number): number | undefined {
  for (let i = from; i < limit; i++) if (!used.has(i)) return i;
  return undefined;
}

export interface AllocateOutcome {
  readonly table: LeaseTable;
  readonly lease: Result<Lease, LeaseError>;
  /** True when the table changed (a new lease or an agent's address moved). */
  readonly changed: boolean;
}

/**
 * Lease for an agent registering as (id, ip). An agent already in the table keeps its lease (its
 * underlay address is updated if it moved). A new id arriving from an address held by another id is
 * the same machine re-registered with a new id: it inherits that lease instead of leaking it.
 */
export function allocate(table: LeaseTable, cfg: OverlayConfig, agent: { id: string; ip: string }): AllocateOutcome {
  const fail = (code: LeaseError['code'], message: string): AllocateOutcome => ({ table, lease: err({ code, message }), changed: false });
  if (typeof agent.id !== 'string' || !AGENT_ID.test(agent.id)) return fail('bad-agent', `invalid agent id ${JSON.stringify(agent.id)}`);
  if (typeof agent.ip !== 'string' || !isIPv4(agent.ip)) return fail('bad-agent', `invalid agent address ${JSON.stringify(agent.ip)} for ${agent.id}`);
  const byId = table.agents.findIndex((l) => l.id === agent.id);
  const at = byId >= 0 ? byId : table.agents.findIndex((l) => l.ip === agent.ip);
  const old = table.agents[at];
  if (old) {
    if (old.id === agent.id && old.ip === agent.ip) return { table, lease: ok(old), changed: false };
    // Moving or re-keying must not leave two leases on one underlay address.
    const moved: Lease = { ...old, id: agent.id, ip: agent.ip };
    const agents = table.agents.filter((l, i) => i === at || l.ip !== agent.ip).map((l) => (l === old ? moved : l));
    return { table: { version: 1, agents }, lease: ok(moved), changed: true };
  }
  const used = usedSets(table, cfg);
  const s = lowestFree(used.subnets, 0, subnetCount(cfg.subnet, cfg.prefix));
  if (s === undefined) {
    return fail('subnet-exhausted', `no free /${cfg.prefix} left in ${cfg.subnet} (${subnetCount(cfg.subnet, cfg.prefix)} leased) for agent ${agent.id}`);
  }
  // Host addresses only: skip the network (0) and broadcast (size - 1) addresses.
  const v = lowestFree(used.vteps, 1, addressCount(cfg.vtepSubnet) - 1);
  if (v === undefined) return fail('vtep-exhausted', `no free VTEP address left in ${cfg.vtepSubnet} for agent ${agent.id}`);
  const vtepIp = nthAddress(cfg.vtepSubnet, v) ?? '';
  const lease: Lease = { id: agent.id, ip: agent.ip, subnet: subnetAt(cfg.subnet, cfg.prefix, s)?.text ?? '', vtepIp, vtepMac: vtepMacFor(cfg.vtepMacOui, vtepIp) };
  used.subnets.add(s);
  used.vteps.add(v);
  const next: LeaseTable = { version: 1, agents: [...table.agents, lease] };
  usedCache.set(next, used);
  return { table: next, lease: ok(lease), changed: true };
}

/** Drop the leases of agents named by id or by underlay address; their blocks become free. */
export function release(table: LeaseTable, keys: readonly string[]): { table: LeaseTable; released: Lease[] } {
  const k = new Set(keys);
  const released = table.agents.filter((l) => k.has(l.id) || k.has(l.ip));
  if (released.length === 0) return { table, released };
  return { table: { version: 1, agents: table.agents.filter((l) => !released.includes(l)) }, released };
}

/** Allocate for a list of agents in registration order (the `mesonet overlay leases` contract). */
export function allocateAll(table: LeaseTable, cfg: OverlayConfig, agents: readonly { id: string; ip: string }[]):
  { table: LeaseTable; results: { agent: { id: string; ip: string }; lease: Result<Lease, LeaseError> }[] } {
  let t = table;
  const results = agents.map((agent) => {
    const o = allocate(t, cfg, agent);
    t = o.table;
    return { agent, lease: o.lease };
  });
  return { table: t, results };
}

/**
 * Read a stored table against the current config. Leases that no longer fit (outside the subnets,
 * misaligned, duplicated) are dropped with a problem each; the rest are kept exactly.
 */
export function parseLeaseTable(input: unknown, cfg: OverlayConfig): { table: LeaseTable; problems: Problem[] } {
  const problems: Problem[] = [];
  const rec = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  if (!Array.isArray(rec.agents)) return { table: emptyTable(), problems: [{ path: 'agents', message: 'missing lease list' }] };
  const kept: Lease[] = [];
  const seen = { id: new Set<string>(), ip: new Set<string>(), subnet: new Set<string>(), vtep: new Set<string>() };
  rec.agents.forEach((raw: unknown, i: number) => {
    const l = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const bad = (message: string) => problems.push({ path: `agents[${i}]`, message });
    const { id, ip, subnet, vtepIp } = l;
    if (typeof id !== 'string' || !AGENT_ID.test(id)) return bad(`invalid id ${JSON.stringify(id)}`);
    if (typeof ip !== 'string' || !isIPv4(ip)) return bad(`invalid ip ${JSON.stringify(ip)}`);
    const c = typeof subnet === 'string' ? parseCidr(subnet, '', { strict: true }) : undefined;
    if (!c?.ok || c.value.prefixLength !== cfg.prefix || offsetInCidr(cfg.subnet, c.value.network) === undefined) {
      return bad(`subnet ${JSON.stringify(subnet)} is not a /${cfg.prefix} of ${cfg.subnet}`);
    }
    const off = typeof vtepIp === 'string' ? offsetInCidr(cfg.vtepSubnet, vtepIp) : undefined;
    if (off === undefined || off === 0 || off === addressCount(cfg.vtepSubnet) - 1) return bad(`vtepIp ${JSON.stringify(vtepIp)} is not a host of ${cfg.vtepSubnet}`);
    const v = vtepIp as string;
    for (const [set, key, what] of [[seen.id, id, 'id'], [seen.ip, ip, 'ip'], [seen.subnet, c.value.text, 'subnet'], [seen.vtep, v, 'vtepIp']] as const) {
      if (set.has(key)) return bad(`duplicate ${what} ${key}`);
    }
    seen.id.add(id); seen.ip.add(ip); seen.subnet.add(c.value.text); seen.vtep.add(v);
    kept.push({ id, ip, subnet: c.value.text, vtepIp: v, vtepMac: vtepMacFor(cfg.vtepMacOui, v) });
  });
  return { table: { version: 1, agents: kept }, problems };
}
