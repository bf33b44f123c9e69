// The network configuration file the agent writes into the CNI conf dir (`<name>.conf`, like the
// mesos overlay module's dcos.conf). Its keys follow the standard bridge and host-local plugins
// (bridge, isGateway, ipMasq, hairpinMode, mtu, ipam.subnet/gateway/routes/dataDir) so an operator
// reads it the same way; `type` and `ipam.type` name this plugin, which does both. Pure.
import { nthAddress } from '../src/kernel/ip.js';
import type { OverlayConfig } from './config.js';
import { bridgeHalves } from './leases.js';

export const PLUGIN_TYPE = 'mesonet-cni';

/** Render `<name>.conf` for an agent whose block is `agentSubnet` (the mesos half is used). */
export function renderNetworkConf(cfg: OverlayConfig, agentSubnet: string): string {
  const half = bridgeHalves(agentSubnet).mesos;
  const conf = {
    cniVersion: '1.0.0',
    name: cfg.name,
    type: PLUGIN_TYPE,
    bridge: cfg.mesosBridgeName,
    isGateway: true,
    // Masquerading is done once per host by the overlay agent's nat chain, not per container.
    ipMasq: false,
    hairpinMode: true,
    mtu: cfg.mtu,
    ipam: {
      type: PLUGIN_TYPE,
      subnet: half,
      gateway: nthAddress(half, 1),
      routes: [{ dst: '0.0.0.0/0' }],
      dataDir: cfg.cniDataDir,
    },
  };
  return JSON.stringify(conf, null, 2) + '\n';
}
