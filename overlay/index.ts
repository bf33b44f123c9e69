// overlay: VXLAN overlay with master-leased subnets and VTEPs, agent programming, and the CNI 1.0
// plugin. The room's only public door.
//
// Master (wire into the Mesos master, one call):
//   const overlay = overlayMasterRoutes(app, store, config)   // registers /overlay-master/* routes
//   await overlay.registerAgent(agentId, agentIp)            // on every agent (re)registration
// Agent (wire into the Mesos agent or run `mesonet overlay agent`):
//   new OverlayAgent({config, agentId, underlayIp, master, run: runnerFor(undefined)}).start()
//   startAgentHttp(agent, config, underlayIp, {host, port})  // GET /overlay-agent/overlay
//   renderNetworkConf(config, agentSubnet)                   // <cniConfDir>/<name>.conf text
// CNI plugin: cniMain(env, stdin) → {stdout, exitCode}.
export { DEFAULTS, parseConfig, withOverrides, toFileShape, type OverlayConfig } from './config.js';
export { CNI_ERR, type CniError, type LeaseError, type LeaseErrorCode } from './errors.js';
export {
  allocate, allocateAll, release, emptyTable, parseLeaseTable, viewOf, vtepMacFor, bridgeHalves,
  type Lease, type LeaseTable, type LeaseView,
} from './leases.js';
export { masterState, parseMasterState, type Peer } from './state.js';
export { desiredAgent, type Desired } from './desired.js';
export { plan, render, describe, type Op } from './plan.js';
export { emptyObserved, type Observed } from './observed.js';
export { renderNetworkConf, PLUGIN_TYPE } from './cni-conf.js';
export { SUPPORTED_VERSIONS } from './cni-spec.js';
export { OverlayMaster, type LeaseStore } from './io/master.js';
export { overlayMasterRoutes } from './io/master-http.js';
export { fileLeaseStore, memoryLeaseStore } from './io/file-store.js';
export { OverlayAgent, type AgentOptions, type AgentStatus } from './io/agent.js';
export { startAgentHttp, agentInfo } from './io/agent-http.js';
export { runnerFor, run, type Runner } from './io/exec.js';
export { observe, apply, removeAll } from './io/kernel.js';
export { cniMain, type CniOutput } from './io/cni-plugin.js';
