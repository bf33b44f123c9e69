// One task as a process: spawned in its own process group (optionally inside a network namespace via
// `ip netns exec`), stdout/stderr appended to files in its sandbox, killed by process group with
// SIGTERM and, after the grace period, SIGKILL. Reports its exit once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';

export interface RunSpec {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly sandbox: string;
  readonly netns?: string;
}

export interface Exit { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly killed: boolean }

export class TaskProcess {
  private child: ChildProcess | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private killRequested = false;
  readonly exited: Promise<Exit>;
  private resolveExit!: (e: Exit) => void;

  constructor(readonly spec: RunSpec) {
    this.exited = new Promise((r) => { this.resolveExit = r; });
  }

  get pid(): number | undefined { return this.child?.pid; }

  /** Start the process; resolves once it is running (rejects when it cannot be spawned). */
  async start(): Promise<number> {
    await mkdir(this.spec.sandbox, { recursive: true });
    const out = await open(join(this.spec.sandbox, 'stdout'), 'a');
    const err = await open(join(this.spec.sandbox, 'stderr'), 'a');
    const [file, args] = this.spec.netns
      ? ['ip', ['netns', 'exec', this.spec.netns, this.spec.file, ...this.spec.args]]
      : [this.spec.file, [...this.spec.args]];
    try {
      const child = spawn(file, args as string[], { cwd: this.spec.sandbox, env: this.spec.env, stdio: ['ignore', out.fd, err.fd], detached: true });
      this.child = child;
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      child.on('exit', (code, signal) => {
        // After a kill the SIGKILL timer stays armed: it also reaches children left in the group.
        if (this.killTimer && !this.killRequested) clearTimeout(this.killTimer);
        this.resolveExit({ code, signal, killed: this.killRequested });
      });
      return child.pid!;
    } finally {
      await out.close();
      await err.close();
    }
  }

  /** SIGTERM the process group now, SIGKILL it after `graceSeconds` if it is still there. */
  kill(graceSeconds: number): void {
    this.killRequested = true;
    const pid = this.child?.pid;
    if (pid === undefined || this.child?.exitCode !== null || this.child?.signalCode !== null) return;
    signalGroup(pid, 'SIGTERM');
    this.killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceSeconds * 1000);
    this.killTimer.unref();
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try { process.kill(-pid, signal); } catch { try { process.kill(pid, signal); } catch { /* gone */ } }
}

/** Mesos-style message for an exit. */
export function exitMessage(e: Exit): string {
  if (e.signal) return `Command terminated with signal ${e.signal}`;
  return `Command exited with status ${e.code ?? '?'}`;
}
