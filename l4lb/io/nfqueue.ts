// The one file that loads the native addon (native/, built by binding.gyp into build/Release).
// Everything NFQUEUE/ctnetlink reaches the rest of mesonet through here.
import { createRequire } from 'node:module';
import type { BackendStats } from '../api.js';

export interface NativeVersion {
  readonly version: string;
  readonly abi: number;
  readonly napi: number;
  readonly libmnl: number;
  readonly libnetfilterQueue: number;
  readonly libnetfilterConntrack: boolean;
}

export interface DataplaneOptions {
  readonly queueFirst: number;
  readonly queueLast: number;
  readonly maxLen?: number;
  readonly ctTimeoutSec: number;
  readonly connectThresholdMs: number;
  readonly failureThreshold: number;
  readonly backoffMs: number;
  readonly passiveHealth: boolean;
  readonly snat: boolean;
}

/** Data path counters (monotonic since open). */
export interface DataplaneCounters {
  readonly packets: number;
  readonly batches: number;
  readonly maxBatch: number;
  readonly mapped: number;
  readonly noBackend: number;
  readonly unknownVip: number;
  readonly notSyn: number;
  readonly ctNew: number;
  readonly ctDelete: number;
  readonly ctNewEexist: number;
  readonly ctNewErrors: number;
  readonly ctDeleteEnoent: number;
  readonly ctDeleteErrors: number;
  readonly verdictErrors: number;
  readonly otherErrors: number;
  readonly sendErrors: number;
  readonly recvErrors: number;
  readonly events: number;
  readonly eventOverruns: number;
  readonly healthSuccess: number;
  readonly healthFailure: number;
  readonly healthExpired: number;
  readonly retransmits: number;
  readonly tables: number;
}

export interface DataplaneStats {
  readonly counters: DataplaneCounters;
  readonly backends: readonly (BackendStats & { readonly ip: string; readonly port: number })[];
}

interface NativeDataplane {
  setTable(table: Uint32Array): number;
  stats(): DataplaneStats;
  close(): void;
}

interface NativeAddon {
  version(): NativeVersion;
  simulate(table: Uint32Array, vipIp: number, vipPort: number, n: number, seed: number, keepPending?: boolean): number[] | null;
  Dataplane: new (opts: DataplaneOptions) => NativeDataplane;
}

/** The ABI this TypeScript side was written against; the addon must report the same. */
export const EXPECTED_NATIVE_ABI = 2;

let cached: NativeAddon | undefined;

function load(): NativeAddon {
  if (cached) return cached;
  let addon: NativeAddon;
  try {
    const require = createRequire(import.meta.url);
    // dist/l4lb/io/nfqueue.js → repository root is three levels up.
    addon = require('../../../build/Release/mesonet_native.node') as NativeAddon;
  } catch (e) {
    throw new Error(`native addon not built (run 'npm run build:native'): ${e instanceof Error ? e.message : String(e)}`);
  }
  const v = addon.version();
  if (v.abi !== EXPECTED_NATIVE_ABI) {
    throw new Error(`native addon ABI ${v.abi} does not match expected ${EXPECTED_NATIVE_ABI}; rebuild with 'npm run build:native'`);
  }
  cached = addon;
  return addon;
}

/** Load the addon and check its ABI; throws with a clear message when it is missing or mismatched. */
export function nativeVersion(): NativeVersion {
  return load().version();
}

/**
 * The SYN data path: binds NFQUEUE queueFirst..queueLast in the current network namespace and
 * runs a native worker thread (the event loop is never blocked). Throws when the queues cannot be
 * bound (e.g. another process holds them).
 */
export class Dataplane {
  private native: NativeDataplane | undefined;

  constructor(opts: DataplaneOptions) {
    this.native = new (load().Dataplane)(opts);
  }

  /** Replace the table (see l4lb/native-table.ts); returns the number of VIPs. Throws if malformed (old table kept). */
  setTable(table: Uint32Array): number {
    if (!this.native) throw new Error('dataplane is closed');
    return this.native.setTable(table);
  }

  stats(): DataplaneStats {
    if (!this.native) throw new Error('dataplane is closed');
    return this.native.stats();
  }

  /** Stop the worker and release the queues (SYNs then pass by --queue-bypass and meet the REJECT rule). */
  close(): void {
    this.native?.close();
    this.native = undefined;
  }
}

/**
 * Run the native backend choice `n` times for one VIP of `table` (no netlink, no root needed).
 * Returns picks per backend in table order, then the number of "no backend" answers; null if the
 * VIP is not in the table.
 */
export function simulateChoice(table: Uint32Array, vipIp: number, vipPort: number, n: number, seed: number, keepPending = false): number[] | null {
  return load().simulate(table, vipIp, vipPort, n, seed, keepPending);
}
