// l4lb: Minuteman-style VIP load balancer. The room's only public door.
export { DEFAULTS, parseConfig, type L4lbConfig } from './config.js';
export { L4LB_ERRORS, l4lbError, type L4lbErrorCode } from './errors.js';
export { buildVipTable, tcpVips, taskWeight, type Backend, type VipEntry, type VipTable, type VipTableOptions } from './vip-table.js';
export { desiredRules, planRules, planRemoval, type DesiredRules, type ObservedRules, type Operation, type RuleNames } from './rules.js';
export { chooseBackend, type Candidate } from './balancer.js';
export { isTripped, recordFailure, recordSuccess, NEW_HEALTH, type BackendHealth, type HealthConfig } from './health.js';
export { cliVips, dcosNetVips, minutemanVips, metricsText, type BackendStats, type CliVip } from './api.js';
export { encodeTable, decodeTable, type NativeVip, type NativeBackend } from './native-table.js';
export { nativeVersion, simulateChoice, Dataplane, EXPECTED_NATIVE_ABI, type NativeVersion, type DataplaneStats, type DataplaneCounters, type DataplaneOptions } from './io/nfqueue.js';
export { L4lbService, type ServiceCounters } from './io/service.js';
export { buildApi, type ApiSource } from './io/http.js';
export { observeRules, reconcileRules, removeRules, routeInfo } from './io/kernel.js';
export { readStateFile, watchStateFile, type StateFileWatch } from './io/state-file.js';
