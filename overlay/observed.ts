// What the kernel holds, read from iproute2's JSON output (`ip -j -d link`, `ip -j addr`,
// `ip -j neigh`, `bridge -j fdb`, `ip -j route`) and `iptables-save -t nat`. Only the objects the
// overlay owns are kept: its VTEP and bridges, and the neighbours, FDB entries and gateway routes on
// the VTEP. Parsers never throw: unreadable output counts as "nothing there". Pure.

export interface ObservedLink {
  readonly name: string;
  readonly kind: string | undefined;
  readonly mtu: number;
  readonly mac: string;
  readonly up: boolean;
  readonly master: string | undefined;
  /** VXLAN attributes (undefined for other kinds). */
  readonly vni: number | undefined;
  readonly port: number | undefined;
  readonly local: string | undefined;
  readonly learning: boolean | undefined;
  readonly udpCsum: boolean | undefined;
  /** Global IPv4 addresses as `ip/len`. */
  readonly addresses: readonly string[];
}

export interface ObservedNat {
  readonly chainExists: boolean;
  readonly rules: readonly string[];
  /** POSTROUTING rules that jump to the chain. */
  readonly jumps: readonly string[];
}

export interface Observed {
  readonly links: ReadonlyMap<string, ObservedLink>;
  /** Permanent neighbours on the VTEP. */
  readonly neighbors: readonly { ip: string; mac: string }[];
  /** Permanent FDB entries with a destination on the VTEP. */
  readonly fdb: readonly { mac: string; dst: string }[];
  /** Routes through a gateway on the VTEP (main table). */
  readonly routes: readonly { dst: string; via: string }[];
  readonly nat: ObservedNat;
  readonly forwarding: boolean;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function jsonList(text: string): Obj[] {
  try {
    const v: unknown = JSON.parse(text.trim() || '[]');
    return Array.isArray(v) ? v.map(obj) : [];
  } catch {
    return [];
  }
}

/** Links named in `names` from `ip -j -d addr show` output (link details and addresses in one). */
export function parseLinks(text: string, names: readonly string[]): Map<string, ObservedLink> {
  const want = new Set(names);
  const out = new Map<string, ObservedLink>();
  for (const l of jsonList(text)) {
    const name = str(l.ifname);
    if (!name || !want.has(name)) continue;
    const info = obj(l.linkinfo);
    const data = obj(info.info_data);
    const kind = str(info.info_kind);
    const addrs = Array.isArray(l.addr_info) ? l.addr_info.map(obj) : [];
    out.set(name, {
      name,
      kind,
      mtu: typeof l.mtu === 'number' ? l.mtu : 0,
      mac: (str(l.address) ?? '').toLowerCase(),
      up: Array.isArray(l.flags) && l.flags.includes('UP'),
      master: str(l.master),
      vni: kind === 'vxlan' && typeof data.id === 'number' ? data.id : undefined,
      port: kind === 'vxlan' && typeof data.port === 'number' ? data.port : undefined,
      local: kind === 'vxlan' ? str(data.local) : undefined,
      learning: kind === 'vxlan' && typeof data.learning === 'boolean' ? data.learning : undefined,
      udpCsum: kind === 'vxlan' && typeof data.udp_csum === 'boolean' ? data.udp_csum : undefined,
      addresses: addrs
        .filter((a) => a.family === 'inet' && a.scope === 'global' && typeof a.local === 'string')
        .map((a) => `${a.local as string}/${String(a.prefixlen)}`),
    });
  }
  return out;
}

/** Permanent neighbours on `dev` from `ip -j neigh show` (entries without a dev field count as on it). */
export function parseNeighbors(text: string, dev?: string): { ip: string; mac: string }[] {
  return jsonList(text)
    .filter((n) => dev === undefined || n.dev === undefined || n.dev === dev)
    .filter((n) => Array.isArray(n.state) && n.state.includes('PERMANENT') && typeof n.dst === 'string' && typeof n.lladdr === 'string')
    .map((n) => ({ ip: n.dst as string, mac: (n.lladdr as string).toLowerCase() }));
}

/** Permanent entries with a destination from `bridge -j fdb show dev VTEP`. */
export function parseFdb(text: string): { mac: string; dst: string }[] {
  return jsonList(text)
    .filter((f) => f.state === 'permanent' && typeof f.dst === 'string' && typeof f.mac === 'string')
    .map((f) => ({ mac: (f.mac as string).toLowerCase(), dst: f.dst as string }));
}

/** Gateway routes on `dev` from `ip -j route show` ("default" is not ours and is ignored). */
export function parseRoutes(text: string, dev?: string): { dst: string; via: string }[] {
  return jsonList(text)
    .filter((r) => dev === undefined || r.dev === undefined || r.dev === dev)
    .filter((r) => typeof r.dst === 'string' && typeof r.gateway === 'string' && r.dst !== 'default')
    .map((r) => ({ dst: (r.dst as string).includes('/') ? (r.dst as string) : `${r.dst as string}/32`, via: r.gateway as string }));
}

/** The chain's rules and the POSTROUTING jumps to it from `iptables-save -t nat`. */
export function parseNat(text: string, chain: string): ObservedNat {
  const lines = text.split('\n').map((l) => l.trim());
  return {
    chainExists: lines.some((l) => l.startsWith(`:${chain} `)),
    rules: lines.filter((l) => l.startsWith(`-A ${chain} `)),
    jumps: lines.filter((l) => l.startsWith('-A POSTROUTING ') && l.endsWith(` -j ${chain}`)),
  };
}

export const emptyObserved = (): Observed => ({
  links: new Map(), neighbors: [], fdb: [], routes: [], nat: { chainExists: false, rules: [], jumps: [] }, forwarding: true,
});
