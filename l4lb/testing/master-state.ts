// Builds Mesos `/master/state` JSON for l4lb tests: agents by IP, one `marathon` framework whose
// tasks declare VIPs on discovery port labels (or legacy VIP_PORTn task labels). Pure.

export interface FakeAgent {
  readonly id: string;
  readonly ip: string;
}

export interface FakeTask {
  readonly id: string;
  readonly agentId: string;
  /** Discovery port number (host port for host scope, container port for container scope). */
  readonly port: number;
  /** VIP_0 label values, e.g. ['/web:80', '198.18.128.10:80']. */
  readonly vips: readonly string[];
  readonly state?: string;
  readonly healthy?: boolean;
  readonly scope?: 'host' | 'container';
  /** Task IPs (container scope). */
  readonly ips?: readonly string[];
  readonly protocol?: string;
}

export function masterState(agents: readonly FakeAgent[], tasks: readonly FakeTask[], framework = 'marathon'): unknown {
  return {
    leader: 'master@198.18.0.1:5050',
    slaves: agents.map((a) => ({ id: a.id, hostname: a.ip, pid: `slave(1)@${a.ip}:5051`, active: true })),
    frameworks: [{
      id: 'fw-marathon',
      name: framework,
      active: true,
      tasks: tasks.map((t) => ({
        id: t.id,
        name: t.id.split('.')[0],
        framework_id: 'fw-marathon',
        slave_id: t.agentId,
        state: t.state ?? 'TASK_RUNNING',
        resources: { cpus: 0.1, mem: 32, ports: `[${t.port}-${t.port}]` },
        statuses: [{
          state: t.state ?? 'TASK_RUNNING',
          timestamp: 1,
          ...(t.healthy === undefined ? {} : { healthy: t.healthy }),
          container_status: { network_infos: [{ ...(t.scope === 'container' ? { name: 'dcos' } : {}), ip_addresses: (t.ips ?? []).map((ip) => ({ protocol: 'IPv4', ip_address: ip })) }] },
        }],
        discovery: {
          visibility: 'FRAMEWORK',
          name: t.id.split('.')[0],
          ports: {
            ports: [{
              number: t.port,
              protocol: t.protocol ?? 'tcp',
              labels: { labels: [...t.vips.map((v, i) => ({ key: `VIP_${i}`, value: v })), { key: 'network-scope', value: t.scope ?? 'host' }] },
            }],
          },
        },
      })),
    }],
  };
}
