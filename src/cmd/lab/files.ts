// Small synchronous file helpers for the lab's own bookkeeping (pids, plan).
import { writeFileSync, renameSync } from 'node:fs';

export function writeFileAtomicSync(path: string, data: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
