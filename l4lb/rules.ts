// Kernel rules for the VIP data path: desired → plan → apply. Pure: it renders and diffs text; the
// io layer runs `ipset restore` / `iptables-restore --noflush` with the operations' input.
//  - ipset <set> (hash:ip,port) holds every TCP VIP ip,port; replaced atomically by filling
//    <set>-tmp and swapping.
//  - raw <chain>: SYNs to the set → NFQUEUE --queue-balance first:last --queue-bypass; jumped to
//    from PREROUTING and OUTPUT. Bypass: with no balancer bound, the SYN passes un-NATed…
//  - filter <chain>: …and SYNs still addressed to a VIP (no backend, or no balancer) are REJECTed
//    with a TCP reset ("connection refused" at once); jumped to from OUTPUT and FORWARD. Minuteman
//    used icmp-port-unreachable, but the kernel rate-limits ICMP errors per remote peer (a burst of
//    6, then 1/s), so remote clients mostly hung instead (measured); resets are not rate-limited.
//  - nat <chain>: jumped to from all four nat hooks, holding one no-op rule that uses conntrack.
//    Modern kernels register conntrack and NAT hooks per namespace only on demand (nat base chains
//    register the NAT hooks; a conntrack match registers conntrack). Without both, the NAT carried
//    by our injected conntrack entries is never applied (measured: SYNs left un-NATed).
// Only our chains and our jumps are ever written; other rules are never touched.
// The rule texts are written in the canonical form iptables-save prints, so observing is a string compare.

export interface RuleNames {
  readonly ipset: string;
  readonly chain: string;
  readonly queueFirst: number;
  readonly queueLast: number;
}

/** What the kernel should hold. */
export interface DesiredRules {
  /** ipset members, `ip,tcp:port`, sorted. */
  readonly members: readonly string[];
  readonly raw: readonly string[];
  readonly filter: readonly string[];
  readonly nat: readonly string[];
}

/** What the kernel holds (parsed from `ipset save <set>` and `iptables-save -t raw|filter`). */
export interface ObservedRules {
  /** undefined: the set does not exist. */
  readonly members: ReadonlySet<string> | undefined;
  readonly raw: ObservedTable;
  readonly filter: ObservedTable;
  readonly nat: ObservedTable;
}

export interface ObservedTable {
  /** undefined: the chain does not exist. */
  readonly chain: readonly string[] | undefined;
  /** Number of `-j <chain>` rules in each built-in chain. */
  readonly jumps: Readonly<Record<string, number>>;
}

export type Operation =
  | { readonly kind: 'ipset'; readonly why: string; readonly input: string }
  | { readonly kind: 'iptables'; readonly table: Table; readonly why: string; readonly input: string };

export type Table = 'raw' | 'filter' | 'nat';
export const TABLES: readonly Table[] = ['raw', 'filter', 'nat'];

const SYN = '-p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN';
export const HOOKS = Object.freeze({ raw: ['PREROUTING', 'OUTPUT'], filter: ['OUTPUT', 'FORWARD'], nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'] } as const);

export function desiredRules(names: RuleNames, vips: readonly { ip: string; port: number }[]): DesiredRules {
  const members = [...new Set(vips.map((v) => `${v.ip},tcp:${v.port}`))].sort();
  const match = `${SYN} -m set --match-set ${names.ipset} dst,dst`;
  const q = names.queueFirst === names.queueLast ? `--queue-num ${names.queueFirst}` : `--queue-balance ${names.queueFirst}:${names.queueLast}`;
  return {
    members,
    raw: [`-A ${names.chain} ${match} -j NFQUEUE ${q} --queue-bypass`],
    filter: [`-A ${names.chain} ${match} -j REJECT --reject-with tcp-reset`],
    nat: [`-A ${names.chain} -m conntrack --ctstate DNAT -j RETURN`],
  };
}

/** Parse `ipset save <set>` output into members, `ip,tcp:port` (undefined if no `create` line). */
export function parseIpsetSave(text: string, set: string): Set<string> | undefined {
  let exists = false;
  const members = new Set<string>();
  for (const line of text.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (w[0] === 'create' && w[1] === set) exists = true;
    else if (w[0] === 'add' && w[1] === set && w[2]) members.add(w[2]);
  }
  return exists ? members : undefined;
}

/** Parse one table of `iptables-save` output: our chain's rules and the jumps to it. */
export function parseIptablesSave(text: string, chain: string): ObservedTable {
  let exists = false;
  const rules: string[] = [];
  const jumps: Record<string, number> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === `:${chain}` || line.startsWith(`:${chain} `)) exists = true;
    else if (line.startsWith(`-A ${chain} `)) rules.push(line);
    else {
      const m = /^-A (\S+) -j (\S+)$/.exec(line);
      if (m && m[2] === chain) jumps[m[1]!] = (jumps[m[1]!] ?? 0) + 1;
    }
  }
  return { chain: exists ? rules : undefined, jumps };
}

function ipsetInput(set: string, members: readonly string[]): string {
  const tmp = `${set}-tmp`;
  // Fixed parameters: `create -exist` only tolerates an existing set with identical ones.
  const opts = 'family inet hashsize 1024 maxelem 1048576';
  return [
    `create ${set} hash:ip,port ${opts} -exist`,
    `create ${tmp} hash:ip,port ${opts} -exist`,
    `flush ${tmp}`,
    ...members.map((m) => `add ${tmp} ${m}`),
    `swap ${tmp} ${set}`,
    `destroy ${tmp}`,
  ].join('\n') + '\n';
}

function sameList(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

function tableOp(table: Table, chain: string, want: readonly string[], have: ObservedTable): Operation | undefined {
  const lines: string[] = [];
  const why: string[] = [];
  if (!sameList(have.chain, want)) {
    // In --noflush mode a chain declaration flushes (or creates) just that chain.
    lines.push(`:${chain} - [0:0]`, ...want);
    why.push(have.chain === undefined ? `create chain ${chain}` : `rewrite chain ${chain}`);
  }
  for (const hook of HOOKS[table]) {
    const n = have.jumps[hook] ?? 0;
    if (n === 0) { lines.push(`-I ${hook} 1 -j ${chain}`); why.push(`jump from ${hook}`); }
    for (let i = 1; i < n; i++) { lines.push(`-D ${hook} -j ${chain}`); why.push(`remove duplicate jump from ${hook}`); }
  }
  if (!lines.length) return undefined;
  return { kind: 'iptables', table, why: `${table}: ${why.join(', ')}`, input: `*${table}\n${lines.join('\n')}\nCOMMIT\n` };
}

/** Operations that bring `observed` to `desired`, in order (the set must exist before rules use it). Empty when nothing changed. */
export function planRules(names: RuleNames, desired: DesiredRules, observed: ObservedRules): Operation[] {
  const ops: Operation[] = [];
  const have = observed.members;
  const same = have !== undefined && have.size === desired.members.length && desired.members.every((m) => have.has(m));
  if (!same) {
    const why = have === undefined ? `create ipset ${names.ipset} with ${desired.members.length} VIPs` : `swap ipset ${names.ipset}: ${desired.members.length} VIPs (was ${have.size})`;
    ops.push({ kind: 'ipset', why, input: ipsetInput(names.ipset, desired.members) });
  }
  for (const table of TABLES) {
    const op = tableOp(table, names.chain, desired[table], observed[table]);
    if (op) ops.push(op);
  }
  return ops;
}

/** Operations that remove everything we own (jumps, chains, then the set). */
export function planRemoval(names: RuleNames, observed: ObservedRules): Operation[] {
  const ops: Operation[] = [];
  for (const table of TABLES) {
    const have = observed[table];
    const lines: string[] = [];
    for (const [hook, n] of Object.entries(have.jumps)) for (let i = 0; i < n; i++) lines.push(`-D ${hook} -j ${names.chain}`);
    if (have.chain !== undefined) lines.push(`-F ${names.chain}`, `-X ${names.chain}`);
    if (lines.length) ops.push({ kind: 'iptables', table, why: `${table}: remove ${names.chain}`, input: `*${table}\n${lines.join('\n')}\nCOMMIT\n` });
  }
  if (observed.members !== undefined) ops.push({ kind: 'ipset', why: `destroy ipset ${names.ipset}`, input: `destroy ${names.ipset}\n` });
  return ops;
}
