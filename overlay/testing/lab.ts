// Helpers for the overlay's namespace tests: a lab config (198.19.0.0/16 overlay, 198.18.16.0/20
// VTEPs, never the DC/OS defaults), running the real `mesonet-cni` binary inside a host namespace,
// and container namespaces named under the test's prefix (so lab teardown removes them too).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { parseConfig, type OverlayConfig } from '../config.js';

export function labConfig(extra: Record<string, unknown> = {}): OverlayConfig {
  const r = parseConfig({ overlays: [{ name: 'lab', subnet: '198.19.0.0/16', prefix: 24 }], vtep_subnet: '198.18.16.0/20', ...extra });
  if (!r.ok) throw new Error(`lab config: ${JSON.stringify(r.error)}`);
  return r.value;
}

export interface CniRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly json: Record<string, unknown> | undefined;
}

/** Run bin/mesonet-cni.js inside host namespace `hostNs` (the runtime's namespace). */
export function runCni(repoRoot: string, hostNs: string, env: Record<string, string>, stdin: string, timeoutMs = 60_000): Promise<CniRun> {
  return new Promise((done, fail) => {
    const child = spawn('ip', ['netns', 'exec', hostNs, process.execPath, resolve(repoRoot, 'bin/mesonet-cni.js')], {
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      let json: Record<string, unknown> | undefined;
      try { json = stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : undefined; } catch { json = undefined; }
      done({ code, stdout, stderr, json });
    });
    child.stdin.end(stdin);
  });
}

export const cniEnv = (command: string, containerId: string, netns: string | undefined, ifname = 'eth0'): Record<string, string> => ({
  CNI_COMMAND: command, CNI_CONTAINERID: containerId, CNI_IFNAME: ifname, CNI_PATH: '/nonexistent',
  ...(netns === undefined ? {} : { CNI_NETNS: netns }),
});

/** The first address of an ADD result, without its prefix. */
export function resultIp(r: CniRun): string | undefined {
  const ips = r.json?.ips;
  const first = Array.isArray(ips) ? (ips[0] as { address?: string } | undefined) : undefined;
  return first?.address?.split('/')[0];
}
