// HTTP and DNS from inside a lab namespace: the lab's addresses are reachable only there, so these
// run a short-lived node (or dig) under `ip netns exec`.
import { execFile } from 'node:child_process';

export interface NsResponse {
  readonly status: number;
  readonly body: string;
}

export function run(cmd: string, args: string[], timeoutMs: number, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** An HTTP request from inside namespace `ns` (curl: light enough to poll with); status 0 = failed. */
export async function nsFetch(ns: string, url: string, opts: { method?: string; body?: unknown; timeoutMs?: number } = {}): Promise<NsResponse> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const args = ['curl', '-sS', '-L', '-m', String(timeoutMs / 1000), '-X', opts.method ?? 'GET', '-w', '\n%{http_code}'];
  if (opts.body !== undefined) args.push('-H', 'content-type: application/json', '--data-binary', '@-');
  args.push(url);
  const r = await run('ip', ['netns', 'exec', ns, ...args], timeoutMs + 2000, opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const nl = r.stdout.lastIndexOf('\n');
  const status = Number(r.stdout.slice(nl + 1).trim());
  if (r.code !== 0 || !Number.isFinite(status) || status === 0) return { status: 0, body: r.stderr.trim() || `curl exit ${r.code}` };
  return { status, body: r.stdout.slice(0, Math.max(nl, 0)) };
}

export async function nsJson<T>(ns: string, url: string, opts: { method?: string; body?: unknown; timeoutMs?: number } = {}): Promise<T | undefined> {
  const r = await nsFetch(ns, url, opts);
  if (r.status < 200 || r.status >= 300) return undefined;
  try {
    return JSON.parse(r.body) as T;
  } catch {
    return undefined;
  }
}

/** `dig +short` inside a namespace against `server`; returns the answer lines. */
export async function nsDig(ns: string, server: string, name: string, type = 'A', port = 53): Promise<string[]> {
  const r = await run('ip', ['netns', 'exec', ns, 'dig', `@${server}`, '-p', String(port), '+short', '+time=1', '+tries=2', name, type], 6000);
  if (r.code !== 0) return [];
  return r.stdout.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith(';'));
}

/** Run a command in a namespace and return its result (never throws). */
export function nsRun(ns: string, args: string[], timeoutMs = 10_000, input?: string) {
  return run('ip', ['netns', 'exec', ns, ...args], timeoutMs, input);
}
