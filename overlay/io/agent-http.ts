// The overlay agent's HTTP view: GET /overlay-agent/overlay returns this agent's AgentInfo in the
// mesos module's shape (ip, configuration_attempts, overlays with state) plus `programmed`: what the
// last reconcile put in the kernel (VTEP, bridges, peers, nat chain) and its last changes.
// Fastify is loaded lazily so that importing the room (e.g. from the CNI plugin) stays light.
import type { FastifyInstance } from 'fastify';
import type { OverlayConfig } from '../config.js';
import type { OverlayAgent } from './agent.js';
import { bridgeHalves } from '../leases.js';

export function agentInfo(agent: OverlayAgent, cfg: OverlayConfig, underlayIp: string): Record<string, unknown> {
  const s = agent.status();
  const self = s.self;
  const info = { name: cfg.name, subnet: cfg.subnet, prefix: cfg.prefix, enabled: true };
  const h = self ? bridgeHalves(self.subnet) : undefined;
  const status = !self ? 'STATUS_CONFIGURING' : s.lastError ? 'STATUS_FAILED' : s.desired ? 'STATUS_OK' : 'STATUS_CONFIGURING';
  return {
    ip: underlayIp,
    configuration_attempts: s.reconciles,
    overlays: self && h ? [{
      info,
      subnet: self.subnet,
      ...(cfg.mesosBridge ? { mesos_bridge: { name: cfg.mesosBridgeName, ip: h.mesos } } : {}),
      ...(cfg.dockerBridge ? { docker_bridge: { name: cfg.dockerBridgeName, ip: h.docker } } : {}),
      backend: { vxlan: { vni: self.vni, vtep_name: cfg.vtepName, vtep_ip: `${self.vtepIp}/${self.vtepPrefix}`, vtep_mac: self.vtepMac } },
      state: { status, ...(s.lastError ? { error: s.lastError } : {}) },
    }] : [],
    programmed: s.desired ? { ...s.desired, lastChange: s.lastChange, changes: s.changes } : undefined,
  };
}

/** Start the agent's HTTP server; resolves with the server once listening. */
export async function startAgentHttp(agent: OverlayAgent, cfg: OverlayConfig, underlayIp: string, listen: { host: string; port: number }): Promise<FastifyInstance> {
  const { default: fastify } = await import('fastify');
  const app = fastify({ logger: false });
  app.get('/overlay-agent/overlay', async () => agentInfo(agent, cfg, underlayIp));
  await app.listen({ host: listen.host, port: listen.port });
  return app;
}
