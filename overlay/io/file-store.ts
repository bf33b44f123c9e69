// A LeaseStore in one JSON file (atomic replace), for a standalone overlay master and tests. The
// scheduler's master passes its own store instead.
import type { LeaseTable } from '../leases.js';
import type { LeaseStore } from './master.js';
import { readText, writeFileAtomic } from './files.js';

export function fileLeaseStore(path: string): LeaseStore {
  return {
    async load() {
      const text = await readText(path);
      if (text === undefined) return undefined;
      return JSON.parse(text) as unknown;
    },
    async save(t: LeaseTable) {
      await writeFileAtomic(path, JSON.stringify(t, null, 2) + '\n');
    },
  };
}

/** An in-memory LeaseStore (tests, an ephemeral lab master). */
export function memoryLeaseStore(initial?: unknown): LeaseStore & { saved: LeaseTable[] } {
  let current = initial;
  const saved: LeaseTable[] = [];
  return {
    saved,
    async load() { return current; },
    async save(t: LeaseTable) { current = JSON.parse(JSON.stringify(t)); saved.push(t); },
  };
}
