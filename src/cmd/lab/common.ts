// Shared bits of the lab commands: flags, the plan for a prefix, script paths, root check.
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { resolve, dirname } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../cli.js';
import { DEFAULT_PREFIX, checkPrefix, labPlan, type LabPlan } from './plan.js';

/** Repository root, from dist/src/cmd/lab/*.js. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const scripts = resolve(repoRoot, 'netns-scripts');
export const mesonetBin = resolve(repoRoot, 'bin/mesonet.js');

export function prefixFlag(value: string | undefined): string {
  const prefix = value ?? DEFAULT_PREFIX;
  const bad = checkPrefix(prefix);
  if (bad) throw new UsageError(bad);
  return prefix;
}

/** The plan `up` saved for this prefix, or a fresh one (default agent count) when none was saved. */
export function savedPlan(prefix: string): LabPlan {
  const fresh = labPlan(prefix, 3, tmpdir());
  const file = resolve(fresh.dir, 'plan.json');
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as LabPlan;
    } catch {
      return fresh;
    }
  }
  return fresh;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}
