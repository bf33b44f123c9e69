// The `/overlay-master/state` body in the mesos overlay module's JSON shape (State = network +
// AgentInfo[]), and the reverse: the peers an agent reads back out of it. Each agent record also
// carries `id` (the Mesos agent id), which the module's protobuf lacks and JSON readers ignore.
// Parsing is tolerant: a bad agent record is skipped with a problem, the others are used. Pure.
import type { Problem } from '../src/kernel/errors.js';
import { isIPv4, parseCidr, cidrContains } from '../src/kernel/ip.js';
import type { OverlayConfig } from './config.js';
import { bridgeHalves, type LeaseTable } from './leases.js';

/** One agent as an overlay peer: everything needed to reach its containers. */
export interface Peer {
  readonly id: string | undefined;
  /** Underlay address (VXLAN destination). */
  readonly ip: string;
  readonly subnet: string;
  readonly vtepIp: string;
  readonly vtepPrefix: number;
  readonly vtepMac: string;
  readonly vni: number;
  readonly mesosBridge: string | undefined;
  readonly dockerBridge: string | undefined;
}

/** Render the master's state: `{network, agents}` as the mesos module's JSON::protobuf(State). */
export function masterState(table: LeaseTable, cfg: OverlayConfig): Record<string, unknown> {
  const vtepLen = Number(cfg.vtepSubnet.split('/')[1]);
  const info = { name: cfg.name, subnet: cfg.subnet, prefix: cfg.prefix, enabled: true };
  return {
    network: {
      vtep_subnet: cfg.vtepSubnet,
      vtep_mac_oui: cfg.vtepMacOui,
      ...(cfg.vtepMtu === undefined ? {} : { vtep_mtu: cfg.vtepMtu }),
      overlays: [info],
    },
    agents: table.agents.map((l) => {
      const h = bridgeHalves(l.subnet);
      return {
        id: l.id,
        ip: l.ip,
        configuration_attempts: 0,
        overlays: [{
          info,
          subnet: l.subnet,
          mesos_bridge: { name: cfg.mesosBridgeName, ip: h.mesos },
          docker_bridge: { name: cfg.dockerBridgeName, ip: h.docker },
          backend: {
            vxlan: {
              vni: cfg.vni,
              vtep_name: cfg.vtepName,
              vtep_ip: `${l.vtepIp}/${vtepLen}`,
              vtep_mac: l.vtepMac,
              ...(cfg.vtepMtu === undefined ? {} : { vtep_mtu: cfg.vtepMtu }),
            },
          },
          state: { status: 'STATUS_OK' },
        }],
      };
    }),
  };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/**
 * Peers of the overlay `name` from a master state body (ours or a real mesos master's). Agents whose
 * overlay is not STATUS_OK (when a state is given) or whose record is malformed are skipped.
 */
export function parseMasterState(input: unknown, name: string): { peers: Peer[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const agents = obj(input).agents;
  if (!Array.isArray(agents)) return { peers: [], problems: [{ path: 'agents', message: 'missing agent list' }] };
  const peers: Peer[] = [];
  agents.forEach((raw, i) => {
    const a = obj(raw);
    const path = `agents[${i}]`;
    const bad = (message: string) => problems.push({ path, message });
    // libprocess addresses may carry a port ("10.0.0.1:5051").
    const ip = typeof a.ip === 'string' ? a.ip.replace(/:\d+$/, '') : '';
    if (!isIPv4(ip)) return bad(`invalid ip ${JSON.stringify(a.ip)}`);
    const overlays = Array.isArray(a.overlays) ? a.overlays.map(obj) : [];
    const o = overlays.find((x) => obj(x.info).name === name);
    if (!o) return; // not on this overlay (e.g. only dcos6): not a problem
    const status = obj(o.state).status;
    if (status !== undefined && status !== 'STATUS_OK') return;
    const vx = obj(obj(o.backend).vxlan);
    const subnet = typeof o.subnet === 'string' ? parseCidr(o.subnet, `${path}.subnet`, { strict: true }) : undefined;
    if (!subnet?.ok || subnet.value.family !== 4) return bad(`invalid subnet ${JSON.stringify(o.subnet)}`);
    const vtep = typeof vx.vtep_ip === 'string' ? /^([^/]+)\/(\d+)$/.exec(vx.vtep_ip) : null;
    const vtepIp = vtep?.[1] ?? '';
    const vtepPrefix = Number(vtep?.[2]);
    if (!isIPv4(vtepIp) || !(vtepPrefix >= 8 && vtepPrefix <= 30)) return bad(`invalid vtep_ip ${JSON.stringify(vx.vtep_ip)}`);
    const vtepMac = typeof vx.vtep_mac === 'string' ? vx.vtep_mac.toLowerCase() : '';
    if (!MAC.test(vtepMac)) return bad(`invalid vtep_mac ${JSON.stringify(vx.vtep_mac)}`);
    const vni = typeof vx.vni === 'number' && Number.isInteger(vx.vni) ? vx.vni : NaN;
    if (!(vni >= 1 && vni <= 16_777_215)) return bad(`invalid vni ${JSON.stringify(vx.vni)}`);
    const bridge = (b: unknown): string | undefined => {
      const ipText = obj(b).ip;
      if (typeof ipText !== 'string') return undefined;
      const c = parseCidr(ipText, '', { strict: true });
      return c.ok && cidrContains(subnet.value, c.value.network) ? c.value.text : undefined;
    };
    peers.push({
      id: typeof a.id === 'string' ? a.id : undefined,
      ip, subnet: subnet.value.text, vtepIp, vtepPrefix, vtepMac, vni,
      mesosBridge: bridge(o.mesos_bridge), dockerBridge: bridge(o.docker_bridge),
    });
  });
  return { peers, problems };
}
