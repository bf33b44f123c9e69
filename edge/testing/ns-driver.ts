// Drives processes inside a test namespace from the test (which stays in the root namespace): the
// ns-fixture (fake Marathon, backends, request loop) over JSON lines on stdin/stdout, and the edge
// daemon (`mesonet edge serve`). Everything is stopped by pid. Test support only.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from './conformance.js';

type Reply = Record<string, unknown>;

export class NsFixture {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, (r: Reply) => void>();
  private nextId = 1;
  readonly ready: Promise<void>;
  stderr = '';

  constructor(ns: string, backends: number) {
    this.child = spawn('ip', ['netns', 'exec', ns, process.execPath, resolve(repoRoot, 'dist/edge/testing/ns-fixture.js'), String(backends)],
      { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-4000); });
    const rl = createInterface({ input: this.child.stdout! });
    this.ready = new Promise((res, rej) => {
      this.child.once('exit', (code) => rej(new Error(`fixture exited (${code}): ${this.stderr}`)));
      rl.on('line', (line) => {
        const m = JSON.parse(line) as Reply;
        if (m.ready) { res(); return; }
        const w = this.waiting.get(Number(m.id));
        this.waiting.delete(Number(m.id));
        w?.(m);
      });
    });
  }

  call(msg: Reply, timeoutMs = 20_000): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((res, rej) => {
      const t = setTimeout(() => { this.waiting.delete(id); rej(new Error(`fixture: no answer to ${String(msg.op)}`)); }, timeoutMs);
      this.waiting.set(id, (r) => { clearTimeout(t); res(r); });
      this.child.stdin!.write(`${JSON.stringify({ ...msg, id })}\n`);
    });
  }

  async get(port: number, host?: string, path = '/'): Promise<{ status: number; body: string }> {
    return (await this.call({ op: 'get', port, host, path })) as unknown as { status: number; body: string };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.stdin!.end();
    const t = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(t);
  }
}

/** The daemon, run inside the namespace; stop() is SIGTERM by pid, then SIGKILL. */
export class NsDaemon {
  private readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<number | null>;

  constructor(ns: string, args: string[]) {
    this.child = spawn('ip', ['netns', 'exec', ns, process.execPath, resolve(repoRoot, 'bin/mesonet.js'), 'edge', 'serve', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d: Buffer): void => { this.output = (this.output + d.toString()).slice(-20_000); };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    this.exited = new Promise((r) => this.child.once('exit', (code) => r(code)));
  }

  get pid(): number | undefined {
    return this.child.exitCode === null ? this.child.pid : undefined;
  }

  async stop(graceMs = 8_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(t);
    return code;
  }
}

/** Kill the pid written in `pidFile` if that process still exists (a leftover HAProxy master). */
export function killPidFile(pidFile: string): void {
  let pid: number;
  try { pid = Number(readFileSync(pidFile, 'utf8').trim()); } catch { return; }
  if (!Number.isInteger(pid) || pid <= 1) return;
  try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
}
