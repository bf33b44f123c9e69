// Which daemons the lab starts where, with which flags. Pure: (plan) → specs; up.ts runs them.
import type { LabPlan, LabNode } from './plan.js';

export interface DaemonSpec {
  /** Unique name: `<node>-<daemon>`, also the log file name. */
  readonly name: string;
  readonly node: LabNode;
  /** Arguments after `mesonet`. */
  readonly args: readonly string[];
  /** URL (reachable inside node.ns) that answers 2xx once the daemon is ready. */
  readonly ready?: string;
}

export const url = (ip: string, port: number, path = '') => `http://${ip}:${port}${path}`;

/** The overlay config file the lab writes (mesos overlay module style keys), lab ranges only. */
export function overlayConfig(plan: LabPlan): Record<string, unknown> {
  return {
    overlays: [{ name: 'dcos', subnet: plan.overlay.subnet, prefix: plan.overlay.prefix }],
    vtep_subnet: plan.overlay.vtepSubnet,
    vtep_mac_oui: `${plan.overlay.vtepMacOui}:00:00:00`,
  };
}

export function masterDaemons(plan: LabPlan): DaemonSpec[] {
  const m = plan.master;
  const dir = plan.dir;
  return [
    { name: 'master', node: m, args: ['master', '--ip', m.ip, '--hostname', m.ip, '--port', String(plan.ports.master), '--work-dir', `${dir}/master/state`, '--overlay-config', `${dir}/overlay.json`], ready: url(m.ip, plan.ports.master, '/overlay-master/state') },
    { name: 'marathon', node: m, args: ['marathon', '--master', url(m.ip, plan.ports.master), '--ip', m.ip, '--hostname', m.ip, '--port', String(plan.ports.marathon), '--work-dir', `${dir}/master/marathon`], ready: url(m.ip, plan.ports.marathon, '/ping') },
    { name: 'dns', node: m, args: ['dns', 'serve', '--config', `${dir}/dns.json`], ready: url(m.ip, plan.ports.dnsHttp, '/v1/version') },
  ];
}

export function agentDaemons(plan: LabPlan, node: LabNode): DaemonSpec[] {
  const m = plan.master;
  const dir = `${plan.dir}/${node.name}`;
  const pub = node.role === 'public';
  const resources = pub ? 'cpus(slave_public):2;mem(slave_public):2048;disk(slave_public):4096;ports(slave_public):[80-80,443-443,10000-10100]' : 'cpus:4;mem:4096;disk:8192;ports:[31000-31999]';
  const specs: DaemonSpec[] = [
    { name: `${node.name}-overlay`, node, args: ['overlay', 'agent', '--master', url(m.ip, plan.ports.master), '--agent-id', node.name, '--underlay-ip', node.ip, '--config', `${plan.dir}/overlay.json`, '--listen', `${node.ip}:${plan.ports.overlayAgent}`, '--cni-conf-dir', `${dir}/cni/conf`, '--cni-data-dir', `${dir}/cni/data`, '--vtep-name', 'vtep1024'], ready: url(node.ip, plan.ports.overlayAgent, '/overlay-agent/overlay') },
    { name: `${node.name}-agent`, node, args: ['agent', '--master', url(m.ip, plan.ports.master), '--ip', node.ip, '--hostname', node.ip, '--port', String(plan.ports.agent), '--resources', resources, '--work-dir', `${dir}/agent`, '--cni-plugin-dir', `${plan.dir}/cni-bin`, '--cni-conf-dir', `${dir}/cni/conf`, '--netns-prefix', `${plan.prefix}-t`, ...(pub ? ['--attributes', 'public_ip:true'] : [])] },
    { name: `${node.name}-l4lb`, node, args: ['l4lb', 'serve', '--master', url(m.ip, plan.ports.master), '--named-range', plan.vipRange, '--api-host', node.ip, '--api-port', String(plan.ports.l4lb)], ready: url(node.ip, plan.ports.l4lb, '/vips') },
  ];
  if (pub) {
    specs.push({ name: 'public-edge', node, args: ['edge', 'serve', '--marathon', url(m.ip, plan.ports.marathon), '--group', 'external', '--haproxy-config', `${dir}/edge/haproxy.cfg`, '--ssl-certs', `${dir}/cert.pem`, '--run-dir', `${dir}/edge/run`, '--stats-port', String(plan.ports.edge)], ready: url(node.ip, plan.ports.edge, '/_haproxy_health_check') });
  }
  return specs;
}

/** mesos-dns style config.json for the lab's DNS on the master. */
export function dnsConfig(plan: LabPlan): Record<string, unknown> {
  const m = plan.master;
  return {
    masters: [`${m.ip}:${plan.ports.master}`],
    refreshSeconds: 60,
    ttl: 60,
    domain: 'mesos',
    port: plan.ports.dns,
    listener: m.ip,
    httpon: true,
    httpport: plan.ports.dnsHttp,
    externalon: false,
    resolvers: [],
    IPSources: ['netinfo', 'mesos', 'host'],
    VipRange: plan.vipRange,
    SOAMname: 'ns1.mesos',
    SOARname: 'root.ns1.mesos',
    enforceRFC952: false,
  };
}
