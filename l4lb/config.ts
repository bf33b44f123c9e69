// l4lb configuration: frozen DEFAULTS (Minuteman's, see reference l4lb-overlay.md §1.7) and a parser
// that reports every problem at once. Names of kernel objects (ipset, chains) are configurable so
// tests can run several balancers side by side. Pure.
import type { Problem, Result } from '../src/kernel/errors.js';
import { err } from '../src/kernel/errors.js';
import { readConfig } from '../src/kernel/config.js';
import { parseCidr } from '../src/kernel/ip.js';

export interface L4lbConfig {
  /** First and last NFQUEUE numbers (`--queue-balance first:last`). */
  readonly queueFirst: number;
  readonly queueLast: number;
  /** ipset of VIP ip,port (`hash:ip,port`); the swap set is `<ipset>-tmp`. */
  readonly ipset: string;
  /** Our chain, created in raw (queue rule) and filter (reject rule). */
  readonly chain: string;
  readonly apiHost: string;
  readonly apiPort: number;
  /** Range named VIPs are hashed into, and their DNS zone. */
  readonly namedRange: string;
  readonly zone: string;
  /** Addresses no VIP may take (real addresses beyond agent/task IPs). */
  readonly reserved: readonly string[];
  /** Passive health: SYN→reply threshold, consecutive failures that trip, and how long a trip lasts. */
  readonly passiveHealth: boolean;
  readonly connectThresholdMs: number;
  readonly failureThreshold: number;
  readonly backoffMs: number;
  /** Timeout (s) of the injected conntrack entry until the handshake updates it. */
  readonly ctTimeoutSec: number;
  /** Minuteman's source NAT: 127.0.0.1 for local→local, egress address for remote backends. */
  readonly snat: boolean;
}

export const DEFAULTS: L4lbConfig = Object.freeze({
  queueFirst: 50,
  queueLast: 58,
  ipset: 'minuteman',
  chain: 'MINUTEMAN',
  apiHost: '0.0.0.0',
  apiPort: 61421,
  namedRange: '11.0.0.0/8',
  zone: 'l4lb.thisdcos.directory',
  reserved: Object.freeze([]) as readonly string[],
  passiveHealth: true,
  connectThresholdMs: 400,
  failureThreshold: 5,
  backoffMs: 30_000,
  ctTimeoutSec: 2,
  snat: true,
});

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,24}$/;

/** Parse a config object (file JSON, or flags with string values when `coerceStrings`). */
export function parseConfig(input: unknown, opts: { coerceStrings?: boolean } = {}): Result<L4lbConfig, Problem[]> {
  const problems: Problem[] = [];
  const r = readConfig(input, (c) => {
    const cfg: L4lbConfig = {
      queueFirst: c.int('queueFirst', DEFAULTS.queueFirst, { min: 0, max: 65535 }),
      queueLast: c.int('queueLast', DEFAULTS.queueLast, { min: 0, max: 65535 }),
      ipset: c.string('ipset', DEFAULTS.ipset),
      chain: c.string('chain', DEFAULTS.chain),
      apiHost: c.ip('apiHost', DEFAULTS.apiHost),
      apiPort: c.int('apiPort', DEFAULTS.apiPort, { min: 0, max: 65535 }),
      namedRange: c.string('namedRange', DEFAULTS.namedRange),
      zone: c.string('zone', DEFAULTS.zone),
      reserved: c.stringArray('reserved', DEFAULTS.reserved),
      passiveHealth: c.bool('passiveHealth', DEFAULTS.passiveHealth),
      connectThresholdMs: c.int('connectThresholdMs', DEFAULTS.connectThresholdMs, { min: 1, max: 600_000 }),
      failureThreshold: c.int('failureThreshold', DEFAULTS.failureThreshold, { min: 1, max: 1_000_000 }),
      backoffMs: c.int('backoffMs', DEFAULTS.backoffMs, { min: 0, max: 86_400_000 }),
      ctTimeoutSec: c.int('ctTimeoutSec', DEFAULTS.ctTimeoutSec, { min: 1, max: 3600 }),
      snat: c.bool('snat', DEFAULTS.snat),
    };
    if (cfg.queueLast < cfg.queueFirst) problems.push({ path: 'queueLast', message: `must be >= queueFirst (${cfg.queueFirst}), got ${cfg.queueLast}` });
    // ipset names ≤ 31 chars (we add "-tmp"); chain names ≤ 28 chars.
    if (!NAME.test(cfg.ipset)) problems.push({ path: 'ipset', message: `want 1-25 characters [A-Za-z0-9_.-], got ${JSON.stringify(cfg.ipset)}` });
    if (!NAME.test(cfg.chain)) problems.push({ path: 'chain', message: `want 1-25 characters [A-Za-z0-9_.-], got ${JSON.stringify(cfg.chain)}` });
    const range = parseCidr(cfg.namedRange, 'namedRange');
    if (!range.ok) problems.push(range.error);
    else if (range.value.family !== 4) problems.push({ path: 'namedRange', message: 'must be an IPv4 CIDR' });
    return cfg;
  }, { coerceStrings: opts.coerceStrings });
  const all = [...(r.ok ? [] : r.error), ...problems];
  return all.length || !r.ok ? err(all) : r;
}
