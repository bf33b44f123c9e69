// Running iproute2/iptables, optionally inside a named network namespace (tests and labs drive a
// namespace from outside; a daemon runs in its own). Every call has a timeout; a failure rejects
// with the command, its exit code and stderr.
import { spawn } from 'node:child_process';

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cmd args…` with optional stdin. */
export type Runner = (cmd: string, args: readonly string[], input?: string) => Promise<RunResult>;

export class ExecError extends Error {
  constructor(readonly command: string, readonly exitCode: number | null, readonly stderr: string) {
    super(`${command}: ${stderr.trim().split('\n').slice(0, 3).join('; ') || `exit ${String(exitCode)}`}`);
    this.name = 'ExecError';
  }
}

export function run(cmd: string, args: readonly string[], input?: string, timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    const out: Buffer[] = [];
    const errb: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => errb.push(b));
    child.on('error', (e) => reject(new ExecError(`${cmd} ${args.join(' ')}`, null, e.message)));
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString();
      const stderr = Buffer.concat(errb).toString();
      if (code === 0) resolve({ stdout, stderr });
      else reject(new ExecError(`${cmd} ${args.slice(0, 6).join(' ')}`, code, stderr));
    });
    child.stdin.on('error', () => undefined); // the command may exit before reading its input
    child.stdin.end(input ?? '');
  });
}

/**
 * A runner for namespace `ns` (undefined: the current one). `ip` and `bridge` take `-n`; anything
 * else goes through `ip netns exec`.
 */
export function runnerFor(ns: string | undefined, timeoutMs = 15_000): Runner {
  if (!ns) return (cmd, args, input) => run(cmd, args, input, timeoutMs);
  return (cmd, args, input) =>
    cmd === 'ip' || cmd === 'bridge'
      ? run(cmd, ['-n', ns, ...args], input, timeoutMs)
      : run('ip', ['netns', 'exec', ns, cmd, ...args], input, timeoutMs);
}
