// Processes of the lab: started inside a namespace with `ip netns exec`, logged to the lab directory,
// recorded in pids.json so `mesonet down` stops exactly them, by pid.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteSync as writeFileAtomicSync } from '../../io/atomic-write.js';

export interface LabProc {
  readonly name: string;
  readonly ns: string;
  readonly pid: number;
  readonly log: string;
  readonly args: readonly string[];
}

const pidsFile = (dir: string) => join(dir, 'pids.json');

export function readProcs(dir: string): LabProc[] {
  if (!existsSync(pidsFile(dir))) return [];
  try {
    return JSON.parse(readFileSync(pidsFile(dir), 'utf8')) as LabProc[];
  } catch {
    return [];
  }
}

function recordProc(dir: string, p: LabProc): void {
  writeFileAtomicSync(pidsFile(dir), JSON.stringify([...readProcs(dir), p], null, 2));
}

/** Start `args` inside namespace `ns` (or on the host when ns is ''), detached, output to <dir>/logs/<name>.log. */
export function startIn(dir: string, ns: string, name: string, args: string[], env: Record<string, string> = {}): LabProc {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const log = join(dir, 'logs', `${name}.log`);
  const fd = openSync(log, 'a');
  const argv = ns ? ['ip', 'netns', 'exec', ns, ...args] : args;
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${name}: ${argv.join(' ')}`);
  const p: LabProc = { name, ns, pid: child.pid, log, args };
  recordProc(dir, p);
  return p;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stop every recorded process by pid: SIGTERM, wait up to `graceMs`, then SIGKILL. */
export async function stopAll(dir: string, graceMs = 3000): Promise<number> {
  const procs = readProcs(dir).filter((p) => isAlive(p.pid));
  for (const p of procs) {
    try { process.kill(p.pid, 'SIGTERM'); } catch { /* gone */ }
  }
  const end = Date.now() + graceMs;
  while (Date.now() < end && procs.some((p) => isAlive(p.pid))) await new Promise((r) => setTimeout(r, 50));
  for (const p of procs) {
    if (isAlive(p.pid)) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  return procs.length;
}
