// Replace a file atomically: write a temporary file in the same directory, fsync it, rename it over
// the target, then fsync the directory so the rename itself is durable. Readers see the old or the
// new content, never a mix. The temporary file is removed if anything fails.
import { promises as fsp, openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicWriteOptions {
  /** File mode of the new file (default 0o644). */
  readonly mode?: number;
}

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

async function fsyncDir(dir: string): Promise<void> {
  let h: fsp.FileHandle | undefined;
  try {
    h = await fsp.open(dir, 'r');
    await h.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the rename has still happened.
  } finally {
    await h?.close();
  }
}

export async function atomicWrite(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const tmp = tempPath(path);
  let h: fsp.FileHandle | undefined;
  try {
    h = await fsp.open(tmp, 'wx', opts.mode ?? 0o644);
    await h.writeFile(data);
    await h.sync();
    await h.close();
    h = undefined;
    await fsp.rename(tmp, path);
  } catch (e) {
    await h?.close().catch(() => undefined);
    await fsp.unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fsyncDir(dirname(path));
}

/** Synchronous variant, for short-lived processes such as the CNI plugin. */
export function atomicWriteSync(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  const tmp = tempPath(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', opts.mode ?? 0o644);
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw e;
  }
  try {
    const d = openSync(dirname(path), 'r');
    try {
      fsyncSync(d);
    } finally {
      closeSync(d);
    }
  } catch {
    // directory fsync unsupported: see fsyncDir
  }
}
