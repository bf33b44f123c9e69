// The CNI 1.0.0 contract of `mesonet-cni`, as pure functions: read the environment and stdin into
// a validated request (or a coded error), and render results and errors in the spec's JSON. Every
// name that ends up in a path or a command (container id, ifname, netns path, network name, data
// dir) is checked here, so the imperative layer only ever sees validated values. Pure.
import { ok, err, type Result } from '../src/kernel/errors.js';
import { parseCidr, cidrContains, nthAddress, isIPv4 } from '../src/kernel/ip.js';
import { CNI_ERR, cniError, type CniError } from './errors.js';
import { PLUGIN_TYPE } from './cni-conf.js';
import { DEFAULTS } from './config.js';

export const SUPPORTED_VERSIONS = Object.freeze(['0.3.0', '0.3.1', '0.4.0', '1.0.0']);
export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION';

export interface NetConf {
  readonly cniVersion: string;
  readonly name: string;
  readonly bridge: string;
  readonly mtu: number;
  readonly hairpinMode: boolean;
  readonly subnet: string;
  readonly gateway: string;
  readonly routes: readonly { dst: string; gw?: string }[];
  readonly dataDir: string;
  /** The address CHECK expects (from prevResult), if any. */
  readonly prevAddress: string | undefined;
}

export interface CniRequest {
  readonly command: Exclude<CniCommand, 'VERSION'>;
  readonly containerId: string;
  readonly netns: string | undefined;
  readonly ifname: string;
  readonly conf: NetConf;
}

export type Parsed = CniRequest | { readonly command: 'VERSION'; readonly cniVersion: string };

export interface CniFailureOut {
  readonly cniVersion: string;
  readonly error: CniError;
}

const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;
const NETWORK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Linux interface names: 1-15 bytes, not "." or "..", no "/", ":" or whitespace. */
export function validIfname(n: string): boolean {
  return /^[A-Za-z0-9_.@+-]{1,15}$/.test(n) && n !== '.' && n !== '..';
}

/** An absolute path with no empty, "." or ".." segments and no unusual characters. */
export function validPath(p: string): boolean {
  if (p.length > 1024 || !/^\/[A-Za-z0-9_.:@+/-]*$/.test(p)) return false;
  if (p === '/') return false;
  return p.slice(1).split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Read CNI_* variables and the network configuration. */
export function parseRequest(env: Readonly<Record<string, string | undefined>>, stdin: string): Result<Parsed, CniFailureOut> {
  let raw: unknown;
  let decodeError: string | undefined;
  try { raw = JSON.parse(stdin); } catch (e) { decodeError = e instanceof Error ? e.message : String(e); }
  const rawVersion = isObj(raw) && typeof raw.cniVersion === 'string' ? raw.cniVersion : undefined;
  const version = rawVersion !== undefined && SUPPORTED_VERSIONS.includes(rawVersion) ? rawVersion : '1.0.0';
  const fail = (code: CniError['code'], msg: string, details?: string) => err({ cniVersion: version, error: cniError(code, msg, details) });

  const command = env.CNI_COMMAND;
  if (command === 'VERSION') return ok({ command: 'VERSION', cniVersion: version });
  if (command !== 'ADD' && command !== 'DEL' && command !== 'CHECK') {
    return fail(CNI_ERR.INVALID_ENV, 'invalid CNI_COMMAND', `CNI_COMMAND=${JSON.stringify(command ?? '')}; want ADD, DEL, CHECK or VERSION`);
  }
  const bad: string[] = [];
  const containerId = env.CNI_CONTAINERID ?? '';
  if (!CONTAINER_ID.test(containerId)) bad.push('CNI_CONTAINERID (alphanumeric first, then [A-Za-z0-9_.-])');
  const ifname = env.CNI_IFNAME ?? '';
  if (!validIfname(ifname)) bad.push('CNI_IFNAME (1-15 characters, no "/", ":" or spaces)');
  const netnsRaw = env.CNI_NETNS;
  const needNetns = command !== 'DEL';
  if ((needNetns || (netnsRaw ?? '') !== '') && !validPath(netnsRaw ?? '')) bad.push('CNI_NETNS (an absolute path without "." or ".." segments)');
  if (bad.length) return fail(CNI_ERR.INVALID_ENV, `invalid environment variables: ${bad.map((b) => b.split(' ')[0]).join(', ')}`, bad.join('; '));

  if (decodeError !== undefined) return fail(CNI_ERR.DECODE_FAILURE, 'cannot decode network configuration', decodeError);
  if (!isObj(raw)) return fail(CNI_ERR.DECODE_FAILURE, 'network configuration must be a JSON object');
  if (rawVersion === undefined) return fail(CNI_ERR.INVALID_CONFIG, 'network configuration has no cniVersion');
  if (!SUPPORTED_VERSIONS.includes(rawVersion)) {
    return fail(CNI_ERR.INCOMPATIBLE_VERSION, `incompatible CNI version ${rawVersion}`, `supported: ${SUPPORTED_VERSIONS.join(', ')}`);
  }
  if (command === 'CHECK' && (rawVersion === '0.3.0' || rawVersion === '0.3.1')) {
    return fail(CNI_ERR.INCOMPATIBLE_VERSION, `CHECK needs CNI version 0.4.0 or later, got ${rawVersion}`);
  }
  const conf = parseConf(raw, rawVersion, command === 'CHECK');
  if (!conf.ok) return err({ cniVersion: version, error: conf.error });
  const netns = netnsRaw === undefined || netnsRaw === '' ? undefined : netnsRaw;
  return ok({ command, containerId, netns, ifname, conf: conf.value });
}

function parseConf(raw: Obj, cniVersion: string, needPrev: boolean): Result<NetConf, CniError> {
  const problems: string[] = [];
  const unsupported: string[] = [];
  if (typeof raw.name !== 'string' || !NETWORK_NAME.test(raw.name)) problems.push(`name ${JSON.stringify(raw.name)}`);
  if (raw.type !== PLUGIN_TYPE) problems.push(`type ${JSON.stringify(raw.type)} (want ${PLUGIN_TYPE})`);
  const bridge = raw.bridge ?? DEFAULTS.mesosBridgeName;
  if (typeof bridge !== 'string' || !validIfname(bridge)) problems.push(`bridge ${JSON.stringify(raw.bridge)}`);
  const mtu = raw.mtu ?? 1500;
  if (typeof mtu !== 'number' || !Number.isInteger(mtu) || mtu < 576 || mtu > 65535) problems.push(`mtu ${JSON.stringify(raw.mtu)}`);
  if (raw.hairpinMode !== undefined && typeof raw.hairpinMode !== 'boolean') problems.push('hairpinMode must be a boolean');
  // Per-container masquerading and a non-gateway bridge are not offered (the agent masquerades).
  if (raw.ipMasq === true) unsupported.push('ipMasq=true');
  if (raw.isGateway === false) unsupported.push('isGateway=false');
  const ipam = isObj(raw.ipam) ? raw.ipam : undefined;
  if (!ipam) problems.push('ipam must be an object');
  else if (ipam.type !== PLUGIN_TYPE) problems.push(`ipam.type ${JSON.stringify(ipam.type)} (want ${PLUGIN_TYPE})`);
  const sub = typeof ipam?.subnet === 'string' ? parseCidr(ipam.subnet, '', { strict: true }) : undefined;
  const subnet = sub?.ok && sub.value.family === 4 && sub.value.prefixLength <= 30 ? sub.value.text : undefined;
  if (!subnet) problems.push(`ipam.subnet ${JSON.stringify(ipam?.subnet)} (an IPv4 CIDR up to /30)`);
  const gateway = ipam?.gateway ?? (subnet ? nthAddress(subnet, 1) : undefined);
  if (typeof gateway !== 'string' || !isIPv4(gateway) || (subnet && !cidrContains(subnet, gateway))) problems.push(`ipam.gateway ${JSON.stringify(ipam?.gateway)}`);
  const routes: { dst: string; gw?: string }[] = [];
  const rawRoutes = ipam?.routes ?? [{ dst: '0.0.0.0/0' }];
  if (!Array.isArray(rawRoutes)) problems.push('ipam.routes must be a list');
  else rawRoutes.forEach((r: unknown, i) => {
    const dst = isObj(r) && typeof r.dst === 'string' ? parseCidr(r.dst, '', { strict: true }) : undefined;
    const gw = isObj(r) ? r.gw : undefined;
    if (!dst?.ok || dst.value.family !== 4 || (gw !== undefined && (typeof gw !== 'string' || !isIPv4(gw)))) problems.push(`ipam.routes[${i}]`);
    else routes.push(gw === undefined ? { dst: dst.value.text } : { dst: dst.value.text, gw: gw as string });
  });
  const dataDir = ipam?.dataDir ?? DEFAULTS.cniDataDir;
  if (typeof dataDir !== 'string' || !validPath(dataDir)) problems.push(`ipam.dataDir ${JSON.stringify(ipam?.dataDir)} (an absolute path without "." or "..")`);
  let prevAddress: string | undefined;
  if (raw.prevResult !== undefined || needPrev) {
    const ips = isObj(raw.prevResult) && Array.isArray(raw.prevResult.ips) ? raw.prevResult.ips : undefined;
    const first: unknown = ips?.[0];
    const addr = isObj(first) && typeof first.address === 'string' ? first.address : undefined;
    if (addr === undefined && needPrev) problems.push('prevResult with ips[0].address is required for CHECK');
    prevAddress = addr;
  }
  if (problems.length) return err(cniError(CNI_ERR.INVALID_CONFIG, `invalid network configuration: ${problems.join('; ')}`));
  if (unsupported.length) return err(cniError(CNI_ERR.UNSUPPORTED_FIELD, `unsupported field: ${unsupported.join(', ')}`));
  return ok({
    cniVersion, name: raw.name as string, bridge: bridge as string, mtu: mtu as number, hairpinMode: raw.hairpinMode !== false,
    subnet: subnet as string, gateway: gateway as string, routes, dataDir: dataDir as string, prevAddress,
  });
}

export interface AddResult {
  readonly interfaces: readonly { name: string; mac: string; sandbox?: string }[];
  readonly ips: readonly { address: string; gateway: string; interface: number }[];
  readonly routes: readonly { dst: string; gw?: string }[];
}

/** The ADD success result in the requested version (0.3.x/0.4.0 also carry ips[].version). */
export function renderResult(cniVersion: string, r: AddResult): string {
  const old = cniVersion !== '1.0.0';
  return JSON.stringify({
    cniVersion,
    interfaces: r.interfaces,
    ips: r.ips.map((ip) => (old ? { version: '4', ...ip } : ip)),
    routes: r.routes,
    dns: {},
  });
}

export function renderError(cniVersion: string, e: CniError): string {
  return JSON.stringify({ cniVersion, code: e.code, msg: e.msg, ...(e.details === undefined ? {} : { details: e.details }) });
}

export function renderVersion(cniVersion: string): string {
  return JSON.stringify({ cniVersion, supportedVersions: SUPPORTED_VERSIONS });
}
