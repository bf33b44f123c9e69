// Run a program without a shell: bounded time, optional stdin, output captured. A non-zero exit is
// a value ({code, stdout, stderr}); it becomes a CodedError only with `check: true`. A program that
// cannot be started (missing binary, bad cwd) is a CodedError E_EXEC_SPAWN. On timeout the child
// gets SIGTERM, then SIGKILL after `killGraceMs`; the result has `timedOut: true`. Output still
// held open by a grandchild after the child exited is cut off 500 ms later (daemonizing programs).
import { spawn } from 'node:child_process';
import { CodedError } from '../kernel/errors.js';

export interface ExecOptions {
  readonly timeoutMs?: number;
  readonly input?: string | Uint8Array;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Throw E_EXEC_STATUS / E_EXEC_TIMEOUT instead of returning a failed result. */
  readonly check?: boolean;
  /** Per stream; output beyond it is dropped and `truncated` set. Default 16 MiB. */
  readonly maxBuffer?: number;
  readonly killGraceMs?: number;
}

export interface ExecResult {
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly truncated: boolean;
}

export const DEFAULT_EXEC_TIMEOUT_MS = 30_000;

export function exec(cmd: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const maxBuffer = opts.maxBuffer ?? 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const errs: Buffer[] = [];
    const sizes = { out: 0, err: 0 };
    let truncated = false;
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const collect = (list: Buffer[], key: 'out' | 'err') => (b: Buffer) => {
      const room = maxBuffer - sizes[key];
      if (room <= 0) return void (truncated = true);
      if (b.length > room) truncated = true;
      list.push(b.length > room ? b.subarray(0, room) : b);
      sizes[key] += Math.min(b.length, room);
    };
    child.stdout.on('data', collect(out, 'out'));
    child.stderr.on('data', collect(errs, 'err'));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), opts.killGraceMs ?? 2000);
    }, timeoutMs);
    // A grandchild that inherited our pipes (a daemonizing program) would hold 'close' forever:
    // once the child itself has exited, give its output a moment to drain, then stop waiting.
    let drainTimer: NodeJS.Timeout | undefined;
    child.on('exit', () => {
      drainTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 500);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      reject(new CodedError('E_EXEC_SPAWN', `cannot run ${cmd}: ${e.message}`, { cmd, args: [...args], errno: e.code }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      clearTimeout(drainTimer);
      const r: ExecResult = {
        code, signal, timedOut, truncated,
        stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errs).toString('utf8'),
      };
      if (opts.check && timedOut) {
        return reject(new CodedError('E_EXEC_TIMEOUT', `${cmd} timed out after ${timeoutMs} ms`, { cmd, args: [...args], stderr: r.stderr }));
      }
      if (opts.check && code !== 0) {
        const why = code === null ? `killed by ${signal}` : `exited with ${code}`;
        const tail = r.stderr.trim().split('\n').slice(-3).join(' | ');
        return reject(new CodedError('E_EXEC_STATUS', `${cmd} ${why}${tail ? `: ${tail}` : ''}`, { cmd, args: [...args], code, signal, stderr: r.stderr }));
      }
      resolve(r);
    });
    // A child that exits without reading stdin makes the write fail with EPIPE; that is not our error.
    child.stdin.on('error', () => undefined);
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}
