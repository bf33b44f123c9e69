// Diff desired against observed into an ordered list of operations, and render them as batches:
// `ip -batch` lines (links, addresses, neighbours, routes), `bridge -batch` lines (FDB) and an
// `iptables-restore --noflush` input (the nat chain). An empty plan means nothing to do. Pure.
import type { Desired } from './desired.js';
import type { Observed } from './observed.js';

export type Op =
  | { readonly op: 'vxlan-add'; readonly name: string; readonly vni: number; readonly port: number; readonly local: string }
  | { readonly op: 'bridge-add'; readonly name: string }
  | { readonly op: 'link-del'; readonly name: string }
  | { readonly op: 'link-set'; readonly name: string; readonly mac?: string; readonly mtu?: number; readonly up: boolean }
  | { readonly op: 'addr-add' | 'addr-del'; readonly dev: string; readonly cidr: string }
  | { readonly op: 'neigh-replace'; readonly dev: string; readonly ip: string; readonly mac: string }
  | { readonly op: 'neigh-del'; readonly dev: string; readonly ip: string }
  | { readonly op: 'route-replace' | 'route-del'; readonly dev: string; readonly dst: string; readonly via: string }
  | { readonly op: 'fdb-replace' | 'fdb-del'; readonly dev: string; readonly mac: string; readonly dst: string }
  | { readonly op: 'nat-chain'; readonly chain: string; readonly rules: readonly string[] }
  | { readonly op: 'nat-jump'; readonly rule: string }
  | { readonly op: 'forwarding-on' };

/** Operations that bring `observed` to `desired`, in a safe order (links before what sits on them). */
export function plan(d: Desired, o: Observed): Op[] {
  const ops: Op[] = [];
  const v = d.vtep;
  const cur = o.links.get(v.name);
  // Re-creating the VTEP is the only way to change its VNI, port, local address, learning or UDP
  // checksums (off: VXLAN over a software underlay pays for them in CPU), and it
  // drops everything on it; a MAC change also wipes static neighbours. Otherwise it is left alone.
  const recreate = !!cur && (cur.kind !== 'vxlan' || cur.vni !== v.vni || cur.port !== v.port || cur.local !== v.local || cur.learning !== false || cur.udpCsum === true);
  const wiped = !cur || recreate;
  if (recreate) ops.push({ op: 'link-del', name: v.name });
  if (wiped) ops.push({ op: 'vxlan-add', name: v.name, vni: v.vni, port: v.port, local: v.local });
  const macChange = !wiped && cur.mac !== v.mac;
  linkSet(ops, v.name, wiped ? undefined : cur, { mac: v.mac, mtu: v.mtu });
  addresses(ops, v.name, wiped ? [] : cur.addresses, [v.address]);

  for (const b of d.bridges) {
    const bc = o.links.get(b.name);
    const bad = !!bc && bc.kind !== 'bridge';
    if (bad) ops.push({ op: 'link-del', name: b.name });
    if (!bc || bad) ops.push({ op: 'bridge-add', name: b.name });
    const fresh = !bc || bad;
    linkSet(ops, b.name, fresh ? undefined : bc, { mac: b.mac, mtu: b.mtu });
    addresses(ops, b.name, fresh ? [] : bc.addresses, [b.address]);
  }

  const dev = v.name;
  const clean = wiped || macChange;
  const haveN = new Map((clean ? [] : o.neighbors).map((n) => [n.ip, n.mac]));
  const haveF = new Map((wiped ? [] : o.fdb).map((f) => [f.mac, f.dst]));
  const haveR = new Map((wiped ? [] : o.routes).map((r) => [r.dst, r.via]));
  const wantN = new Map(d.peers.map((p) => [p.vtepIp, p.vtepMac]));
  const wantF = new Map(d.peers.map((p) => [p.vtepMac, p.agentIp]));
  const wantR = new Map(d.peers.map((p) => [p.subnet, p.vtepIp]));
  // Removals first (routes before the neighbours they use), then additions/changes.
  for (const [dst, via] of haveR) if (!wantR.has(dst)) ops.push({ op: 'route-del', dev, dst, via });
  for (const [ip] of haveN) if (!wantN.has(ip)) ops.push({ op: 'neigh-del', dev, ip });
  for (const [mac, dst] of haveF) if (wantF.get(mac) !== dst) ops.push({ op: 'fdb-del', dev, mac, dst });
  for (const [ip, mac] of wantN) if (haveN.get(ip) !== mac) ops.push({ op: 'neigh-replace', dev, ip, mac });
  for (const [mac, dst] of wantF) if (haveF.get(mac) !== dst) ops.push({ op: 'fdb-replace', dev, mac, dst });
  for (const [dst, via] of wantR) if (haveR.get(dst) !== via) ops.push({ op: 'route-replace', dev, dst, via });

  if (d.nat) {
    const n = d.nat;
    const same = o.nat.chainExists && o.nat.rules.length === n.rules.length && o.nat.rules.every((r, i) => r === n.rules[i]);
    if (!same) ops.push({ op: 'nat-chain', chain: n.chain, rules: n.rules });
    if (!o.nat.jumps.includes(n.jump)) ops.push({ op: 'nat-jump', rule: n.jump });
  }
  if (!o.forwarding && d.bridges.length) ops.push({ op: 'forwarding-on' });
  return ops;
}

function linkSet(ops: Op[], name: string, cur: { mac: string; mtu: number; up: boolean } | undefined, want: { mac?: string; mtu?: number | undefined }): void {
  const mac = want.mac !== undefined && cur?.mac !== want.mac ? want.mac : undefined;
  const mtu = want.mtu !== undefined && cur?.mtu !== want.mtu ? want.mtu : undefined;
  if (!cur || !cur.up || mac !== undefined || mtu !== undefined) {
    ops.push({ op: 'link-set', name, ...(mac === undefined ? {} : { mac }), ...(mtu === undefined ? {} : { mtu }), up: true });
  }
}

function addresses(ops: Op[], dev: string, have: readonly string[], want: readonly string[]): void {
  for (const a of have) if (!want.includes(a)) ops.push({ op: 'addr-del', dev, cidr: a });
  for (const a of want) if (!have.includes(a)) ops.push({ op: 'addr-add', dev, cidr: a });
}

export interface Batches {
  /** Lines for `ip -batch -`. */
  readonly ip: readonly string[];
  /** Lines for `bridge -batch -` (run after the ip batch: the VTEP must exist). */
  readonly bridge: readonly string[];
  /** Input for `iptables-restore --noflush`, or undefined. */
  readonly iptables: string | undefined;
  readonly forwarding: boolean;
}

/** Render a plan as command batches. */
export function render(ops: readonly Op[]): Batches {
  const ip: string[] = [];
  const bridge: string[] = [];
  const nat: string[] = [];
  let forwarding = false;
  for (const x of ops) {
    switch (x.op) {
      case 'vxlan-add': ip.push(`link add ${x.name} type vxlan id ${x.vni} dstport ${x.port} local ${x.local} nolearning noudpcsum`); break;
      case 'bridge-add': ip.push(`link add ${x.name} type bridge`); break;
      case 'link-del': ip.push(`link del ${x.name}`); break;
      case 'link-set': ip.push(`link set dev ${x.name}${x.mac ? ` address ${x.mac}` : ''}${x.mtu ? ` mtu ${x.mtu}` : ''}${x.up ? ' up' : ''}`); break;
      case 'addr-add': ip.push(`address add ${x.cidr} dev ${x.dev}`); break;
      case 'addr-del': ip.push(`address del ${x.cidr} dev ${x.dev}`); break;
      case 'neigh-replace': ip.push(`neigh replace ${x.ip} lladdr ${x.mac} dev ${x.dev} nud permanent`); break;
      case 'neigh-del': ip.push(`neigh del ${x.ip} dev ${x.dev}`); break;
      case 'route-replace': ip.push(`route replace ${x.dst} via ${x.via} dev ${x.dev} onlink`); break;
      case 'route-del': ip.push(`route del ${x.dst} via ${x.via} dev ${x.dev}`); break;
      case 'fdb-replace': bridge.push(`fdb replace ${x.mac} dev ${x.dev} dst ${x.dst} self permanent`); break;
      case 'fdb-del': bridge.push(`fdb del ${x.mac} dev ${x.dev} dst ${x.dst} self`); break;
      // Declaring a user chain in a --noflush restore creates it or flushes it: one atomic rewrite.
      case 'nat-chain': nat.push(`:${x.chain} - [0:0]`, ...x.rules); break;
      case 'nat-jump': nat.push(x.rule); break;
      case 'forwarding-on': forwarding = true; break;
    }
  }
  // The chain must be declared before a jump to it; 'nat-chain' always precedes 'nat-jump' in a plan.
  return { ip, bridge, iptables: nat.length ? `*nat\n${nat.join('\n')}\nCOMMIT\n` : undefined, forwarding };
}

/** One line per operation, for logs and the agent's HTTP view. */
export function describe(ops: readonly Op[]): string[] {
  const r = render(ops);
  return [...r.ip.map((l) => `ip ${l}`), ...r.bridge.map((l) => `bridge ${l}`), ...(r.iptables ? ['iptables nat chain update'] : []),
    ...(r.forwarding ? ['sysctl net.ipv4.ip_forward=1'] : [])];
}
