// Attach and detach a task's network namespace with CNI plugins, the standard way: the network's
// configuration from the conf dir, each plugin binary found in the plugin dir (CNI_PATH, `:`-separated)
// by its "type", CNI_* variables in the environment, the configuration on stdin. Also creates and
// removes the namespace itself (`ip netns add/delete`).
import { readdir, readFile, access } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { exec } from '../../src/io/exec.js';
import { cniEnv, findCniNetwork, parseCniOutput, pluginStdin, resultAddresses, type CniNetwork, type CniResult } from '../cni.js';
import { schedError } from '../errors.js';

export interface CniAttachment {
  readonly network: CniNetwork;
  readonly netns: string;
  readonly containerId: string;
  readonly ifName: string;
  readonly result: CniResult | undefined;
  readonly ips: string[];
}

export interface CniDirs { readonly confDir: string; readonly pluginDir: string }

export async function loadNetwork(confDir: string, name: string): Promise<CniNetwork> {
  let names: string[] = [];
  try { names = await readdir(confDir); } catch (e) { throw schedError('SCHED_ERR_CNI', `cannot read CNI conf dir ${confDir}: ${String(e)}`); }
  const files = await Promise.all(names.filter((n) => /\.(conf|conflist|json)$/.test(n)).map(async (n) => ({ name: n, text: await readFile(join(confDir, n), 'utf8') })));
  const r = findCniNetwork(files, name);
  if (!r.ok) throw schedError('SCHED_ERR_CNI', `${r.error} in ${confDir}`);
  return r.value;
}

async function findPlugin(pluginDir: string, type: string): Promise<string> {
  for (const dir of pluginDir.split(':').filter((d) => d)) {
    const p = join(dir, type);
    try { await access(p, constants.X_OK); return p; } catch { /* next */ }
  }
  throw schedError('SCHED_ERR_CNI', `CNI plugin '${type}' not found in ${pluginDir}`);
}

async function runPlugin(dirs: CniDirs, net: CniNetwork, i: number, command: 'ADD' | 'DEL', netnsPath: string, containerId: string, ifName: string, prev?: Record<string, unknown>): Promise<CniResult | undefined> {
  const plugin = net.plugins[i]!;
  const bin = await findPlugin(dirs.pluginDir, plugin.type);
  const env = { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...cniEnv({ command, containerId, netnsPath, ifName, pluginDir: dirs.pluginDir }) };
  const r = await exec(bin, [], { env, input: pluginStdin(net, plugin, prev), timeoutMs: 30_000 });
  if (r.timedOut) throw schedError('SCHED_ERR_CNI', `CNI ${command} ${plugin.type}: timed out`);
  const out = parseCniOutput(r.code ?? 1, r.stdout, r.stderr);
  if (!out.ok) throw schedError('SCHED_ERR_CNI', `CNI ${command} ${plugin.type} (${net.file}): ${out.error}`);
  return out.value;
}

export async function createNetns(name: string): Promise<void> {
  const r = await exec('ip', ['netns', 'add', name], { timeoutMs: 10_000 });
  if (r.code !== 0) throw schedError('SCHED_ERR_LAUNCH', `ip netns add ${name}: ${r.stderr.trim()}`);
  await exec('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up'], { timeoutMs: 10_000 });
}

export async function deleteNetns(name: string): Promise<void> {
  await exec('ip', ['netns', 'delete', name], { timeoutMs: 10_000 });
}

/** Create the namespace and run the ADD chain; on failure everything done so far is undone. */
export async function attach(dirs: CniDirs, networkName: string, netns: string, containerId: string, ifName = 'eth0'): Promise<CniAttachment> {
  const network = await loadNetwork(dirs.confDir, networkName);
  await createNetns(netns);
  const netnsPath = `/var/run/netns/${netns}`;
  let prev: CniResult | undefined;
  try {
    for (let i = 0; i < network.plugins.length; i++) {
      const r = await runPlugin(dirs, network, i, 'ADD', netnsPath, containerId, ifName, prev?.raw);
      if (r) prev = r;
    }
  } catch (e) {
    await detach(dirs, { network, netns, containerId, ifName, result: prev, ips: [] }).catch(() => undefined);
    throw e;
  }
  return { network, netns, containerId, ifName, result: prev, ips: resultAddresses(prev) };
}

/** DEL in reverse plugin order with the ADD result as prevResult, then remove the namespace. Idempotent. */
export async function detach(dirs: CniDirs, a: CniAttachment): Promise<void> {
  const netnsPath = `/var/run/netns/${a.netns}`;
  let firstError: unknown;
  for (let i = a.network.plugins.length - 1; i >= 0; i--) {
    try { await runPlugin(dirs, a.network, i, 'DEL', netnsPath, a.containerId, a.ifName, a.result?.raw); } catch (e) { firstError ??= e; }
  }
  await deleteNetns(a.netns);
  if (firstError) throw firstError;
}
