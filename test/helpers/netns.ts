// Shared helpers for namespace tests (test/netns/, room io tests). Each test owns a unique prefix,
// builds its own namespaces, and removes them on teardown, pass or fail.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const pexec = promisify(execFile);

/** Repository root (works from dist/test/helpers and test/helpers). */
export const repoRoot = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes('/dist/') ? resolve(here, '../../..') : resolve(here, '../..');
})();

export const scriptsDir = resolve(repoRoot, 'netns-scripts');

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface TapLike {
  skip: (...args: any[]) => unknown;
  fail: (...args: any[]) => unknown;
  teardown: (fn: () => any) => unknown;
}

/**
 * Whether a namespace test may run. Root runs it. Without root it skips, unless NETNS_TESTS=1
 * (CI), where it fails instead: a namespace test that skips in CI is a defect.
 */
export function netnsAllowed(t: TapLike): boolean {
  const root = process.getuid?.() === 0;
  if (root) return true;
  if (process.env.NETNS_TESTS === '1') {
    t.fail('NETNS_TESTS=1 but not running as root: namespace tests cannot run');
    return false;
  }
  t.skip('namespace test: needs root (set NETNS_TESTS=1 to make this a failure)');
  return false;
}

/** A short unique prefix for kernel objects (link names are limited to 15 characters). */
export function uniquePrefix(tag: string): string {
  const r = Math.floor(Math.random() * 36 ** 3).toString(36).padStart(3, '0');
  return `mn${tag.slice(0, 3)}${(process.pid % 1000).toString(36)}${r}`.slice(0, 10);
}

export async function sh(cmd: string, args: string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<{ stdout: string; stderr: string }> {
  const p = pexec(cmd, args, { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 });
  if (opts.input !== undefined) p.child.stdin?.end(opts.input);
  return p;
}

/** Run a command inside a namespace. */
export function nsExec(ns: string, args: string[], opts: { timeoutMs?: number } = {}) {
  return sh('ip', ['netns', 'exec', ns, ...args], opts);
}

/** Poll `check` until it returns a truthy value or the timeout passes; returns the value or throws. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false | null> | T | undefined | false | null, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Build a lab of `hosts` namespaces with netns-scripts/setup.sh; teardown registered on `t`. */
export async function lab(t: TapLike, prefix: string, hosts: number): Promise<{ prefix: string; hosts: string[]; ips: string[] }> {
  t.teardown(() => sh('bash', [resolve(scriptsDir, 'teardown.sh'), prefix], { timeoutMs: 60_000 }).catch(() => undefined));
  const { stdout } = await sh('bash', [resolve(scriptsDir, 'setup.sh'), prefix, String(hosts)], { timeoutMs: 60_000 });
  const hostsOut: string[] = [];
  const ips: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^host (\S+) (\S+)$/.exec(line.trim());
    if (m) { hostsOut.push(m[1]!); ips.push(m[2]!); }
  }
  return { prefix, hosts: hostsOut, ips };
}
