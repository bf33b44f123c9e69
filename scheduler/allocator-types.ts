// Option and spec types of the allocator's public API (re-exported by allocator.ts), and the parser
// for minimum allocatable resource sets. Pure.
import { parseQuantities, type Quantities } from './resources.js';
import type { Resources } from './resources.js';

export interface AllocatorOptions {
  /** Default `refuse_seconds` when a decline carries no value (Mesos Filters default 5). */
  readonly refuseSecondsDefault?: number;
  /** `--min_allocatable_resources`, e.g. `cpus:0.01|mem:32` (default). Empty string: anything is allocatable. */
  readonly minAllocatable?: string;
  /** `--fair_sharing_excluded_resource_names`, e.g. ['gpus']. */
  readonly fairnessExcludeResourceNames?: readonly string[];
  /** Offer agents with GPUs only to GPU_RESOURCES-capable frameworks (default true). */
  readonly filterGpuResources?: boolean;
}

export interface AgentSpec {
  readonly total: Resources;
  /** Resources already in use (agent re-registration): per framework and role. */
  readonly used?: ReadonlyArray<{ readonly frameworkId: string; readonly role: string; readonly resources: Resources }>;
  readonly active?: boolean;
}

export interface FrameworkSpec {
  readonly roles: readonly string[];
  readonly suppressedRoles?: readonly string[];
  /** Mesos capability names, e.g. GPU_RESOURCES, MULTI_ROLE. */
  readonly capabilities?: readonly string[];
  /** Per-role override of the minimum allocatable sets (`cpus:1;mem:128|gpus:1`; '' = anything). */
  readonly minAllocatable?: Readonly<Record<string, string>>;
  readonly active?: boolean;
}

/** Quota in natural units: `{guarantees: {cpus: 2, mem: 1024}, limits: {cpus: 4}}`. */
export interface QuotaSpec {
  readonly guarantees?: Readonly<Record<string, number>>;
  readonly limits?: Readonly<Record<string, number>>;
}

export interface RecoverFilter { readonly refuseSeconds?: number }

const MAX_REFUSE_SECONDS = 365 * 24 * 3600;

/** Effective refuse_seconds: absent → default, negative/invalid → default, above 365 days → clamped. */
export function refuseSeconds(filter: RecoverFilter, fallback: number): number {
  const secs = filter.refuseSeconds ?? fallback;
  return Math.min(Number.isFinite(secs) && secs >= 0 ? secs : fallback, MAX_REFUSE_SECONDS);
}

/** Thousandths → natural units, as a plain object. */
export const natural = (m: Quantities): Record<string, number> => Object.fromEntries([...m].map(([n, v]) => [n, v / 1000]));

/** Parse `cpus:0.01|mem:32` into alternative quantity sets; '' means none (anything allocatable). */
export function parseMinAllocatable(text: string): Quantities[] {
  if (text.trim() === '') return [];
  return text.split('|').map((alt) => { const r = parseQuantities(alt, 'min_allocatable_resources'); return r.ok ? r.value : new Map(); });
}
