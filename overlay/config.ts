// Overlay configuration: frozen DC/OS DEFAULTS and a parser that accepts the mesos overlay module's
// JSON style (master.json `network`, agent.json `network_config`, snake_case keys) and reports every
// problem at once. Only the first IPv4 overlay is used; IPv6-only overlays (`dcos6`) are skipped.
// Pure.
import { ok, err, type Problem, type Result } from '../src/kernel/errors.js';
import { parseCidr, cidrsOverlap } from '../src/kernel/ip.js';

export interface OverlayConfig {
  /** Overlay network name (`dcos`); bridges default to `m-<name>` / `d-<name>`. */
  readonly name: string;
  /** The overlay address space, e.g. 9.0.0.0/8. */
  readonly subnet: string;
  /** Prefix length of each agent's block, e.g. 24. */
  readonly prefix: number;
  readonly vtepSubnet: string;
  /** Six colon-separated hex bytes; only the first three are used. */
  readonly vtepMacOui: string;
  readonly vni: number;
  readonly vtepName: string;
  readonly udpPort: number;
  /** MTU of the VTEP device; undefined leaves the kernel's choice (underlay − 50). */
  readonly vtepMtu: number | undefined;
  /** MTU of the bridges and container interfaces (`overlay_mtu`). */
  readonly mtu: number;
  readonly mesosBridge: boolean;
  readonly dockerBridge: boolean;
  readonly mesosBridgeName: string;
  readonly dockerBridgeName: string;
  /** Own iptables nat chain holding the masquerade rules. */
  readonly natChain: string;
  /** Where the agent writes `<name>.conf` and where the CNI plugin keeps its address records. */
  readonly cniConfDir: string;
  readonly cniDataDir: string;
}

export const DEFAULTS: OverlayConfig = Object.freeze({
  name: 'dcos',
  subnet: '9.0.0.0/8',
  prefix: 24,
  vtepSubnet: '44.128.0.0/20',
  vtepMacOui: '70:B3:D5:00:00:00',
  vni: 1024,
  vtepName: 'vtep1024',
  udpPort: 64000,
  vtepMtu: undefined,
  mtu: 1420,
  mesosBridge: true,
  dockerBridge: false,
  mesosBridgeName: 'm-dcos',
  dockerBridgeName: 'd-dcos',
  natChain: 'MESONET-OVERLAY',
  cniConfDir: '/opt/mesosphere/etc/dcos/network/cni',
  cniDataDir: '/var/run/dcos/cni/networks',
});

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;
const NETNAME = /^[A-Za-z0-9_-]{1,13}$/;
const CHAIN = /^[A-Za-z0-9_-]{1,28}$/;
const OUI = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/;
const RESERVED = new Set(['host', 'bridge', 'default', 'none']);
/** Keys of the mesos module files that mean nothing here but must not be reported as unknown. */
const TOLERATED = new Set(['zk', 'replicated_log_dir', 'replicated_log_timeout', 'master', 'max_configuration_attempts',
  'vtep_subnet6', 'allocate_subnet', 'command_timeout', 'enable_ipv6']);
const KNOWN = new Set(['network', 'network_config', 'vtep_subnet', 'vtep_mac_oui', 'vtep_mtu', 'vtep_name', 'vni', 'udp_port',
  'overlays', 'overlay_mtu', 'mesos_bridge', 'docker_bridge', 'mesos_bridge_name', 'docker_bridge_name', 'nat_chain',
  'cni_dir', 'cni_data_dir']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parse a config object (the parsed JSON of a config file; `{}` gives DEFAULTS). Keys may sit at the
 * top level or under `network` / `network_config` as in the mesos module files.
 */
export function parseConfig(input: unknown): Result<OverlayConfig> {
  const problems: Problem[] = [];
  if (!isObj(input)) return err([{ path: '', message: 'config must be a JSON object' }]);
  const net = isObj(input.network) ? input.network : {};
  const agent = isObj(input.network_config) ? input.network_config : {};
  if (input.network !== undefined && !isObj(input.network)) problems.push({ path: 'network', message: 'must be an object' });
  if (input.network_config !== undefined && !isObj(input.network_config)) problems.push({ path: 'network_config', message: 'must be an object' });
  for (const [where, o] of [['', input], ['network.', net], ['network_config.', agent]] as const) {
    for (const k of Object.keys(o)) {
      if (!KNOWN.has(k) && !TOLERATED.has(k)) problems.push({ path: `${where}${k}`, message: 'unknown key' });
    }
  }
  // A key may appear at the top level or in its section; the section wins.
  const pick = (k: string): [string, unknown] =>
    net[k] !== undefined ? [`network.${k}`, net[k]] : agent[k] !== undefined ? [`network_config.${k}`, agent[k]] : [k, input[k]];

  const str = (k: string, dflt: string, re: RegExp, what: string): string => {
    const [path, v] = pick(k);
    if (v === undefined) return dflt;
    if (typeof v !== 'string' || !re.test(v)) { problems.push({ path, message: `must be ${what}, got ${JSON.stringify(v)}` }); return dflt; }
    return v;
  };
  const int = (k: string, dflt: number, min: number, max: number): number => {
    const [path, v] = pick(k);
    if (v === undefined) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      problems.push({ path, message: `must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}` });
      return dflt;
    }
    return v;
  };
  const bool = (k: string, dflt: boolean): boolean => {
    const [path, v] = pick(k);
    if (v === undefined) return dflt;
    if (typeof v !== 'boolean') { problems.push({ path, message: `must be true or false, got ${JSON.stringify(v)}` }); return dflt; }
    return v;
  };

  // The overlay itself: first entry of `overlays` with an IPv4 subnet.
  let name = DEFAULTS.name;
  let subnet = DEFAULTS.subnet;
  let prefix = DEFAULTS.prefix;
  const [opath, overlays] = pick('overlays');
  if (overlays !== undefined) {
    const list = Array.isArray(overlays) ? overlays : [];
    if (!Array.isArray(overlays)) problems.push({ path: opath, message: 'must be a list' });
    const v4 = list.map((o, i) => [i, o] as const).filter(([, o]) => isObj(o) && o.subnet !== undefined);
    if (v4.length === 0) problems.push({ path: opath, message: 'needs one overlay with an IPv4 subnet' });
    if (v4.length > 1) problems.push({ path: opath, message: 'only one IPv4 overlay is supported' });
    const first = v4[0];
    if (first) {
      const [i, o] = first as [number, Obj];
      if (typeof o.name !== 'string' || !NETNAME.test(o.name) || RESERVED.has(o.name)) {
        problems.push({ path: `${opath}[${i}].name`, message: `must be 1-13 characters [A-Za-z0-9_-] and not host/bridge/default/none, got ${JSON.stringify(o.name)}` });
      } else name = o.name;
      const c = typeof o.subnet === 'string' ? parseCidr(o.subnet, `${opath}[${i}].subnet`, { strict: true }) : undefined;
      if (!c || !c.ok || c.value.family !== 4) problems.push({ path: `${opath}[${i}].subnet`, message: `must be an IPv4 CIDR without host bits, got ${JSON.stringify(o.subnet)}` });
      else subnet = c.value.text;
      if (o.prefix !== undefined) {
        if (typeof o.prefix !== 'number' || !Number.isInteger(o.prefix)) problems.push({ path: `${opath}[${i}].prefix`, message: 'must be an integer' });
        else prefix = o.prefix;
      }
    }
  }
  const subnetLen = Number(subnet.split('/')[1]);
  if (prefix < subnetLen || prefix > 28) problems.push({ path: 'overlays.prefix', message: `must be between the subnet's /${subnetLen} and 28, got ${prefix}` });

  const vtepSubnet = str('vtep_subnet', DEFAULTS.vtepSubnet, /./, 'an IPv4 CIDR');
  const vc = parseCidr(vtepSubnet, 'vtep_subnet', { strict: true });
  if (!vc.ok || vc.value.family !== 4) problems.push({ path: 'vtep_subnet', message: `must be an IPv4 CIDR without host bits, got ${JSON.stringify(vtepSubnet)}` });
  else if (vc.value.prefixLength < 8 || vc.value.prefixLength > 30) problems.push({ path: 'vtep_subnet', message: 'prefix must be /8 to /30 (the MAC carries the low 24 bits)' });
  else if (cidrsOverlap(vtepSubnet, subnet)) problems.push({ path: 'vtep_subnet', message: `overlaps the overlay subnet ${subnet}` });

  const mesosBridgeName = str('mesos_bridge_name', `m-${name}`, IFNAME, 'an interface name');
  const dockerBridgeName = str('docker_bridge_name', `d-${name}`, IFNAME, 'an interface name');
  const vtepName = str('vtep_name', DEFAULTS.vtepName, IFNAME, 'an interface name');
  if (new Set([mesosBridgeName, dockerBridgeName, vtepName]).size < 3) problems.push({ path: 'vtep_name', message: 'the VTEP and bridge names must differ' });
  const mtuRaw = pick('vtep_mtu')[1];
  const cfg: OverlayConfig = {
    name, subnet, prefix, vtepSubnet,
    vtepMacOui: str('vtep_mac_oui', DEFAULTS.vtepMacOui, OUI, 'six hex bytes like 70:B3:D5:00:00:00'),
    vni: int('vni', DEFAULTS.vni, 1, 16_777_215),
    vtepName,
    udpPort: int('udp_port', DEFAULTS.udpPort, 1, 65_535),
    vtepMtu: mtuRaw === undefined ? undefined : int('vtep_mtu', 1450, 576, 65_535),
    mtu: int('overlay_mtu', DEFAULTS.mtu, 576, 65_535),
    mesosBridge: bool('mesos_bridge', DEFAULTS.mesosBridge),
    dockerBridge: bool('docker_bridge', DEFAULTS.dockerBridge),
    mesosBridgeName, dockerBridgeName,
    natChain: str('nat_chain', DEFAULTS.natChain, CHAIN, '1-28 characters [A-Za-z0-9_-]'),
    cniConfDir: str('cni_dir', DEFAULTS.cniConfDir, /^\/[^\0]*$/, 'an absolute path'),
    cniDataDir: str('cni_data_dir', DEFAULTS.cniDataDir, /^\/[^\0]*$/, 'an absolute path'),
  };
  return problems.length ? err(problems) : ok(Object.freeze(cfg));
}

/** Apply overrides (CLI flags, tests) on top of a parsed config and re-validate the whole. */
export function withOverrides(base: OverlayConfig, overrides: Obj): Result<OverlayConfig> {
  return parseConfig({ ...toFileShape(base), ...overrides });
}

/** The config in file shape (snake_case), so it round-trips through parseConfig. */
export function toFileShape(c: OverlayConfig): Obj {
  return {
    overlays: [{ name: c.name, subnet: c.subnet, prefix: c.prefix }],
    vtep_subnet: c.vtepSubnet, vtep_mac_oui: c.vtepMacOui, vni: c.vni, vtep_name: c.vtepName, udp_port: c.udpPort,
    ...(c.vtepMtu === undefined ? {} : { vtep_mtu: c.vtepMtu }),
    overlay_mtu: c.mtu, mesos_bridge: c.mesosBridge, docker_bridge: c.dockerBridge,
    ...(c.mesosBridgeName === `m-${c.name}` ? {} : { mesos_bridge_name: c.mesosBridgeName }),
    ...(c.dockerBridgeName === `d-${c.name}` ? {} : { docker_bridge_name: c.dockerBridgeName }),
    nat_chain: c.natChain,
    cni_dir: c.cniConfDir, cni_data_dir: c.cniDataDir,
  };
}
