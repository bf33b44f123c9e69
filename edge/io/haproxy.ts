// HAProxy as a child process in master-worker mode (`haproxy -W -S <master socket> -f <cfg>`):
// validate a config (`haproxy -c`), start the master, reload it seamlessly (SIGUSR2 to the master
// pid we started; the master re-executes itself and the new worker takes the listening sockets
// over the stats socket declared with `expose-fd listeners`, so no connection is refused), wait
// until a new worker is serving (master CLI `show proc`), and stop it by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { exec } from '../../src/io/exec.js';
import type { Logger } from '../../src/io/logger.js';
import { EdgeError } from '../errors.js';

export interface CheckResult {
  readonly ok: boolean;
  /** haproxy's own words (stderr + stdout), trimmed. */
  readonly output: string;
}

/** `haproxy -c -f <file>`: does HAProxy accept this config? */
export async function checkConfig(bin: string, file: string, timeoutMs = 30_000): Promise<CheckResult> {
  const r = await exec(bin, ['-c', '-f', file], { timeoutMs });
  return { ok: r.code === 0 && !r.timedOut, output: `${r.stderr}${r.stdout}`.trim() };
}

/** Send one command to a HAProxy CLI socket (stats or master) and return the whole answer. */
export function cliCommand(socketPath: string, command: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(socketPath);
    let out = '';
    const timer = setTimeout(() => { sock.destroy(); reject(new EdgeError('E_HAPROXY_CLI', `no answer from ${socketPath} to '${command}'`)); }, timeoutMs);
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.end(`${command}\n`));
    sock.on('data', (d: string) => { out += d; });
    sock.on('error', (e) => { clearTimeout(timer); reject(new EdgeError('E_HAPROXY_CLI', `${socketPath}: ${e.message}`)); });
    sock.on('close', () => { clearTimeout(timer); resolve(out); });
  });
}

export interface Processes {
  readonly master: number | undefined;
  /** Current workers (serving). */
  readonly workers: number[];
  /** Old workers finishing their connections after a reload. */
  readonly oldWorkers: number[];
}

/** Parse the master CLI's `show proc`. */
export function parseShowProc(text: string): Processes {
  let section: 'master' | 'workers' | 'old' | 'other' = 'master';
  let master: number | undefined;
  const workers: number[] = [];
  const oldWorkers: number[] = [];
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (l.startsWith('#')) {
      section = /old workers/i.test(l) ? 'old' : /workers/i.test(l) ? 'workers' : /^#\s*<PID>/i.test(l) ? 'master' : 'other';
      continue;
    }
    const m = /^(\d+)\s+(\S+)/.exec(l);
    if (!m) continue;
    const pid = Number(m[1]);
    if (m[2] === 'master') master = pid;
    else if (section === 'workers') workers.push(pid);
    else if (section === 'old') oldWorkers.push(pid);
  }
  return { master, workers, oldWorkers };
}

export interface MasterOptions {
  readonly bin: string;
  readonly configFile: string;
  /** Master CLI socket path (`-S`). */
  readonly masterSocket: string;
  /** `-p`: the master writes its pid here (lets a supervisor or test stop it by pid). */
  readonly pidFile?: string;
  readonly log: Logger;
  /** Called when the master exits on its own (not through stop()). */
  readonly onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One HAProxy master process we started and own. */
export class HaproxyMaster {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;
  private lastOutput = '';

  constructor(private readonly opts: MasterOptions) {}

  get pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  async start(timeoutMs = 10_000): Promise<Processes> {
    const { bin, configFile, masterSocket, log } = this.opts;
    const args = ['-W', '-S', `${masterSocket},mode,600`, ...(this.opts.pidFile ? ['-p', this.opts.pidFile] : []), '-f', configFile];
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (d: Buffer): void => {
      this.lastOutput = (this.lastOutput + d.toString()).slice(-4000);
      for (const line of d.toString().split('\n')) if (line.trim()) log.debug('haproxy', { line: line.trim() });
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        if (!this.stopping) {
          log.error('haproxy master exited', { code, signal, output: this.lastOutput.trim().split('\n').slice(-3).join(' | ') });
          this.opts.onExit?.(code, signal);
        }
        resolve();
      });
      child.on('error', (e) => { log.error('haproxy could not start', { err: e }); resolve(); });
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.pid === undefined) {
        throw new EdgeError('E_HAPROXY_START', `haproxy exited at start: ${this.lastOutput.trim().slice(-500)}`);
      }
      const p = await this.processes().catch(() => undefined);
      if (p && p.workers.length > 0) return p;
      if (Date.now() > deadline) throw new EdgeError('E_HAPROXY_START', `haproxy did not start a worker within ${timeoutMs} ms`);
      await sleep(25);
    }
  }

  processes(): Promise<Processes> {
    return cliCommand(this.opts.masterSocket, 'show proc').then(parseShowProc);
  }

  /** Seamless reload: SIGUSR2 to the master, then wait for a worker that was not there before. */
  async reload(timeoutMs = 15_000): Promise<Processes> {
    const pid = this.pid;
    if (pid === undefined) throw new EdgeError('E_HAPROXY_RELOAD', 'haproxy is not running');
    const before = await this.processes();
    const old = new Set([...before.workers, ...before.oldWorkers]);
    process.kill(pid, 'SIGUSR2');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await sleep(20);
      const p = await this.processes().catch(() => undefined);
      if (p && p.workers.some((w) => !old.has(w))) return p;
      if (this.pid === undefined) throw new EdgeError('E_HAPROXY_RELOAD', 'haproxy master died during reload');
      if (Date.now() > deadline) throw new EdgeError('E_HAPROXY_RELOAD', `no new worker within ${timeoutMs} ms`);
    }
  }

  /** Stop the master (and its workers) by pid: SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    const pid = this.pid;
    this.stopping = true;
    if (pid === undefined) return;
    process.kill(pid, 'SIGTERM');
    const killer = setTimeout(() => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }, graceMs);
    await this.exited;
    clearTimeout(killer);
  }
}
