// Atomic file replacement for the scheduler's store and agent checkpoints: the shared src/io helper
// (temp file, fsync, rename, fsync of the directory), creating the directory first.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { atomicWrite } from '../../src/io/atomic-write.js';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await atomicWrite(path, data, { mode: 0o600 });
}
