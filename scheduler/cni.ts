// The runtime side of the CNI protocol (CNI 1.0.0 SPEC): choose a network configuration by name,
// build the plugin's environment and stdin for ADD/DEL, and read its result or error JSON.
// Supports `.conf` (one plugin, as Mesos writes them) and `.conflist` (plugins run in order for ADD,
// in reverse for DEL, each getting the previous result). Pure; io/cni-exec.ts runs the binaries.
import { err, ok, type Result } from '../src/kernel/errors.js';

export interface CniPluginConf { readonly type: string; readonly [k: string]: unknown }
export interface CniNetwork {
  readonly name: string;
  readonly cniVersion: string;
  readonly plugins: readonly CniPluginConf[];
  /** The file it came from, for messages. */
  readonly file: string;
}
export interface CniRequest {
  readonly command: 'ADD' | 'DEL' | 'CHECK';
  readonly containerId: string;
  readonly netnsPath: string;
  readonly ifName: string;
  readonly pluginDir: string;
  readonly args?: Readonly<Record<string, string>>;
}
export interface CniIp { readonly address: string; readonly gateway?: string; readonly interface?: number }
export interface CniResult { readonly cniVersion: string; readonly ips: readonly CniIp[]; readonly raw: Record<string, unknown> }

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parse one configuration file's text. */
export function parseCniConf(file: string, text: string): Result<CniNetwork, string> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return err(`${file}: not JSON: ${String(e)}`);
  }
  if (!isObj(v) || typeof v['name'] !== 'string' || v['name'] === '') return err(`${file}: missing "name"`);
  const cniVersion = typeof v['cniVersion'] === 'string' ? v['cniVersion'] : '1.0.0';
  const list = file.endsWith('.conflist') ? v['plugins'] : [v];
  if (!Array.isArray(list) || list.length === 0) return err(`${file}: "plugins" must be a non-empty list`);
  const plugins: CniPluginConf[] = [];
  for (const [i, p] of list.entries()) {
    if (!isObj(p) || typeof p['type'] !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(p['type'])) {
      return err(`${file}: plugin ${i} needs a "type" naming a binary`);
    }
    plugins.push(p as CniPluginConf);
  }
  return ok({ name: v['name'], cniVersion, plugins, file });
}

/** The configuration for `network` among the files of the conf dir (lexical order, first match wins). */
export function findCniNetwork(files: ReadonlyArray<{ name: string; text: string }>, network: string): Result<CniNetwork, string> {
  const problems: string[] = [];
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!/\.(conf|conflist|json)$/.test(f.name)) continue;
    const r = parseCniConf(f.name, f.text);
    if (!r.ok) problems.push(r.error);
    else if (r.value.name === network) return r;
  }
  return err(`no CNI configuration for network '${network}'${problems.length ? ` (skipped: ${problems.join('; ')})` : ''}`);
}

/** Environment for one plugin invocation (CNI_ARGS as K=V;K2=V2). */
export function cniEnv(req: CniRequest): Record<string, string> {
  const env: Record<string, string> = {
    CNI_COMMAND: req.command, CNI_CONTAINERID: req.containerId, CNI_NETNS: req.netnsPath,
    CNI_IFNAME: req.ifName, CNI_PATH: req.pluginDir,
  };
  if (req.args && Object.keys(req.args).length) env['CNI_ARGS'] = Object.entries(req.args).map(([k, v]) => `${k}=${v}`).join(';');
  return env;
}

/** The stdin JSON for a plugin: its own conf plus the runtime-injected name, cniVersion, prevResult. */
export function pluginStdin(net: CniNetwork, plugin: CniPluginConf, prevResult?: Record<string, unknown>): string {
  const conf: Record<string, unknown> = { ...plugin, cniVersion: net.cniVersion, name: net.name };
  delete conf['capabilities'];
  if (prevResult) conf['prevResult'] = prevResult;
  return JSON.stringify(conf);
}

/** Read a plugin's stdout after exit 0 (ADD), or its error JSON {code,msg,details} after a failure. */
export function parseCniOutput(exitCode: number, stdout: string, stderr: string): Result<CniResult | undefined, string> {
  let v: unknown;
  try {
    v = stdout.trim() === '' ? undefined : JSON.parse(stdout);
  } catch {
    v = undefined;
    if (exitCode === 0) return err(`plugin printed invalid JSON: ${stdout.slice(0, 200)}`);
  }
  if (exitCode !== 0) {
    if (isObj(v) && (typeof v['msg'] === 'string' || typeof v['code'] === 'number')) {
      return err(`CNI error ${String(v['code'] ?? '?')}: ${String(v['msg'] ?? '')}${v['details'] ? ` (${String(v['details'])})` : ''}`);
    }
    return err(`plugin exited ${exitCode}: ${(stderr || stdout).trim().slice(0, 300)}`);
  }
  if (v === undefined) return ok(undefined);
  if (!isObj(v)) return err('plugin result is not a JSON object');
  const ips: CniIp[] = [];
  for (const ip of Array.isArray(v['ips']) ? v['ips'] : []) {
    if (isObj(ip) && typeof ip['address'] === 'string') {
      ips.push({ address: ip['address'], ...(typeof ip['gateway'] === 'string' ? { gateway: ip['gateway'] } : {}),
        ...(typeof ip['interface'] === 'number' ? { interface: ip['interface'] } : {}) });
    }
  }
  return ok({ cniVersion: typeof v['cniVersion'] === 'string' ? v['cniVersion'] : '', ips, raw: v });
}

/** Addresses without their prefix length ("198.19.1.5/24" → "198.19.1.5"). */
export function resultAddresses(r: CniResult | undefined): string[] {
  return (r?.ips ?? []).map((ip) => ip.address.split('/')[0]!).filter((a) => a !== '');
}
