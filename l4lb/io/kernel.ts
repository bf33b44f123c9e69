// Side effects on the kernel's rule tables: observe (ipset save, iptables-save), apply a plan
// (ipset restore, iptables-restore --noflush), and ask routing which backends are local and which
// source address reaches each remote one (one `ip -batch` for all backends).
import { exec } from '../../src/io/exec.js';
import { l4lbError, L4LB_ERRORS } from '../errors.js';
import { parseIpsetSave, parseIptablesSave, planRemoval, planRules, TABLES, type DesiredRules, type ObservedRules, type Operation, type RuleNames } from '../rules.js';

const TIMEOUT = 60_000;

export async function observeRules(names: RuleNames): Promise<ObservedRules> {
  const [set, raw, filter, nat] = await Promise.all([
    exec('ipset', ['save', names.ipset], { timeoutMs: TIMEOUT }),
    ...TABLES.map((t) => exec('iptables-save', ['-t', t], { timeoutMs: TIMEOUT })),
  ]);
  for (const [what, r] of [['raw', raw], ['filter', filter], ['nat', nat]] as const) {
    if (r?.code !== 0) throw l4lbError(L4LB_ERRORS.APPLY, `iptables-save -t ${what} failed: ${r?.stderr.trim()}`);
  }
  return {
    members: set!.code === 0 ? parseIpsetSave(set!.stdout, names.ipset) : undefined,
    raw: parseIptablesSave(raw!.stdout, names.chain),
    filter: parseIptablesSave(filter!.stdout, names.chain),
    nat: parseIptablesSave(nat!.stdout, names.chain),
  };
}

export async function applyOperations(ops: readonly Operation[]): Promise<void> {
  for (const op of ops) {
    const r = op.kind === 'ipset'
      ? await exec('ipset', ['restore'], { input: op.input, timeoutMs: TIMEOUT })
      : await exec('iptables-restore', ['--noflush', '-w', '5'], { input: op.input, timeoutMs: TIMEOUT });
    if (r.code !== 0) throw l4lbError(L4LB_ERRORS.APPLY, `${op.why}: ${(r.stderr || r.stdout).trim()}`, { input: op.input.slice(0, 2000) });
  }
}

/** Observe → plan → apply; returns what was done (empty when nothing changed). */
export async function reconcileRules(names: RuleNames, desired: DesiredRules): Promise<Operation[]> {
  const ops = planRules(names, desired, await observeRules(names));
  await applyOperations(ops);
  return ops;
}

/** Remove our chains, jumps and set (`mesonet l4lb clean`, tests). */
export async function removeRules(names: RuleNames): Promise<Operation[]> {
  const ops = planRemoval(names, await observeRules(names));
  await applyOperations(ops);
  return ops;
}

export interface RouteInfo {
  /** The address is one of this host's (route type local). */
  readonly local: boolean;
  /** Preferred source address towards it. */
  readonly prefsrc: string | undefined;
}

/** Route facts for each address (unroutable ones are left out). */
export async function routeInfo(ips: readonly string[]): Promise<Map<string, RouteInfo>> {
  const out = new Map<string, RouteInfo>();
  const unique = [...new Set(ips)];
  if (!unique.length) return out;
  const r = await exec('ip', ['-force', '-j', '-batch', '-'], { input: unique.map((ip) => `route get ${ip}\n`).join(''), timeoutMs: TIMEOUT });
  for (const line of r.stdout.split('\n')) {
    if (!line.trim().startsWith('[')) continue;
    try {
      for (const e of JSON.parse(line) as { type?: string; dst?: string; prefsrc?: string }[]) {
        if (e.dst) out.set(e.dst, { local: e.type === 'local', prefsrc: e.prefsrc });
      }
    } catch {
      // a line we cannot read: that address simply gets no SNAT
    }
  }
  return out;
}
