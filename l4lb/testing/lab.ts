// Namespace-lab helpers for l4lb's tests and bench: processes started inside namespaces (stopped
// by pid at teardown), the connection driver, and the daemon's HTTP API read from inside its
// namespace. Test-only (uses test/helpers).
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { nsExec, repoRoot, waitFor } from '../../test/helpers/netns.js';

export const distDir = resolve(repoRoot, 'dist/l4lb/testing');
export const mesonetBin = resolve(repoRoot, 'bin/mesonet.js');

export interface NsProcess {
  readonly child: ChildProcess;
  readonly out: string[];
  stop(): Promise<void>;
}

/** Start `args` inside `ns` (`ip netns exec` execs, so the pid is the program's own). */
export function startIn(ns: string, args: string[]): NsProcess {
  const child = spawn('ip', ['netns', 'exec', ns, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: string[] = [];
  let partial = '';
  const take = (d: Buffer) => {
    partial += d.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    out.push(...lines);
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        try { process.kill(child.pid, 'SIGTERM'); } catch { /* already gone */ }
        const t = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}

export async function waitLine(p: NsProcess, re: RegExp, what: string, timeoutMs = 10_000): Promise<string> {
  return waitFor(what, () => p.out.find((l) => re.test(l)), timeoutMs);
}

export interface ConnResult {
  ok: number;
  done: number;
  counts: Record<string, number>;
  errors: Record<string, number>;
  connectUs: { p50: number; p99: number; max: number };
  seconds: number;
  rate: number;
}

/** Run the connection driver inside `ns`. */
export async function connections(ns: string, host: string, port: number, n: number, conc: number, timeoutMs = 3000): Promise<ConnResult> {
  const { stdout } = await nsExec(ns, ['node', resolve(distDir, 'conn-client.js'), host, String(port), String(n), String(conc), String(timeoutMs)], { timeoutMs: 120_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ConnResult;
}

/** GET a path of the daemon's API from inside its namespace. */
export async function api(ns: string, path: string, port = 61421): Promise<unknown> {
  const { stdout } = await nsExec(ns, ['curl', '-sf', '--max-time', '2', `http://127.0.0.1:${port}${path}`]);
  return JSON.parse(stdout);
}
