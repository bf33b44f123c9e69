// scheduler: the compact Mesos/Marathon core — master (state, change stream, DRF allocator), agents
// that run tasks (with CNI networks), and the Marathon-like app scheduler. The room's only public door.

// Daemons
export { startMaster, type MasterHandle, type MasterOptions } from './io/master.js';
export { startAgent, type AgentHandle } from './io/agent.js';
export { startMarathon, type MarathonHandle } from './io/marathon.js';
export { SchedulerClient, type SchedulerClientOptions } from './io/scheduler-client.js';

// Configuration
export {
  MASTER_DEFAULTS, AGENT_DEFAULTS, MARATHON_DEFAULTS, parseMasterConfig, parseAgentConfig, parseMarathonConfig,
  type MasterConfig, type AgentConfig, type MarathonConfig,
} from './config.js';
export { SCHED_ERRORS, schedError, httpStatusOf, type SchedErrorCode } from './errors.js';

// State store (embedded file store; room-owned records live in their own namespaces)
export { MemoryStore, validNamespace, type Store, type Records } from './store.js';
export { openFileStore } from './io/file-store.js';

// Allocator (pure; by the allocator's author) and resources
export { Allocator, parseMinAllocatable, seededRng, type Offer, type AllocatorOptions, type AgentSpec, type FrameworkSpec, type QuotaSpec, type RecoverFilter } from './allocator.js';
export { DRFSorter, type SorterOptions } from './sorter.js';
export { Resources, formatRanges, quantities, parseQuantities, type Range, type Reservation, type V1Resource, type Summary } from './resources.js';
export { simulate, parseScenario, progressiveFill, type Scenario, type SimulationResult } from './allocator-simulate.js';

// Pure views of the master (for tools and tests)
export { renderMasterState } from './state-json.js';
export { v1GetState, v1Event } from './v1-json.js';
export { normalizeApp, mergeApp } from './marathon-normalize.js';
export type { App } from './marathon-app.js';
