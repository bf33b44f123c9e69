// The dns room's public door: src/cmd imports the room only through this file.
export { DEFAULTS, parseConfig, publicConfig, validateDomain, validateMasters, validateResolvers, validateZoneResolvers, type DnsConfig, type ParseOptions } from './config.js';
export { DNS_ERRORS, configError } from './errors.js';
export { generateRecords, recordsJson, masterRecords, type RecordSet, type GeneratorConfig, type HostFacts, type EnumFramework } from './records.js';
export { generateDcosRecords, DCOS_ZONE, type DcosRecords } from './dcos-records.js';
export { publish, recordsFromSnapshot, nextSerial, hostNamesToResolve, type Published } from './state-zone.js';
export { buildZone, type Zone } from './zone.js';
export { resolve, planForward, cleanQueryName, QTYPE, RCODE, type Reply, type RR } from './resolve.js';
export { Engine, type EngineConfig, type EngineStats } from './engine.js';
export { taskIps, IP_SOURCES } from './task-ips.js';
export { taskHash, agentTail } from './hash.js';
export { startDaemon, type DaemonOptions, type DnsDaemon } from './io/daemon.js';
