// Small file helpers for the overlay: atomic replace (the shared src/io helper, creating the
// directory first) and a read that says "absent" instead of throwing.
import { readFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { atomicWrite } from '../../src/io/atomic-write.js';

export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await atomicWrite(file, text);
}

export async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}
