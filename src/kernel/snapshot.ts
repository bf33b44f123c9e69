// The typed snapshot every consumer (dns, l4lb, overlay) computes from. Produced from Mesos master
// state JSON (`/master/state`, v0 shape) by mesos-state.ts and kept current from the v1 operator API
// change stream by mesos-events.ts. Field names are camelCase; values are normalized (ports expanded
// from range strings, labels as ordered key/value pairs, absent optional parts as undefined/[]).
// Pure types only.

export interface Label {
  readonly key: string;
  readonly value: string | undefined;
}

/** Inclusive port range, e.g. "[31000-31002]" → { begin: 31000, end: 31002 }. */
export interface PortRange {
  readonly begin: number;
  readonly end: number;
}

export interface Resources {
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly gpus: number;
  readonly ports: readonly PortRange[];
}

export interface IpAddress {
  readonly protocol: 'IPv4' | 'IPv6' | undefined;
  readonly ipAddress: string;
}

export interface PortMapping {
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: string | undefined;
}

export interface NetworkInfo {
  readonly name: string | undefined;
  readonly ipAddresses: readonly IpAddress[];
  readonly labels: readonly Label[];
  readonly portMappings: readonly PortMapping[];
}

export interface TaskStatus {
  readonly state: string;
  readonly timestamp: number;
  readonly labels: readonly Label[];
  readonly healthy: boolean | undefined;
  readonly networkInfos: readonly NetworkInfo[];
}

export interface DiscoveryPort {
  readonly number: number;
  readonly name: string | undefined;
  readonly protocol: string | undefined;
  readonly visibility: string | undefined;
  readonly labels: readonly Label[];
}

export interface Discovery {
  readonly visibility: string;
  readonly name: string | undefined;
  readonly environment: string | undefined;
  readonly location: string | undefined;
  readonly version: string | undefined;
  readonly ports: readonly DiscoveryPort[];
  readonly labels: readonly Label[];
}

export interface Task {
  readonly id: string;
  readonly name: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly executorId: string;
  readonly state: string;
  readonly statuses: readonly TaskStatus[];
  readonly labels: readonly Label[];
  readonly discovery: Discovery | undefined;
  readonly resources: Resources;
  /** Raw `container` object (type, docker.network, port_mappings…); consumers read what they need. */
  readonly container: unknown;
}

export interface Framework {
  readonly id: string;
  readonly name: string;
  readonly pid: string | undefined;
  readonly hostname: string | undefined;
  readonly role: string | undefined;
  readonly active: boolean;
  readonly tasks: readonly Task[];
}

export interface Agent {
  readonly id: string;
  readonly hostname: string;
  readonly pid: string | undefined;
  readonly port: number | undefined;
  readonly attributes: Readonly<Record<string, string | number>>;
  readonly resources: Resources;
  readonly active: boolean;
}

export interface LeaderInfo {
  readonly id: string | undefined;
  readonly pid: string | undefined;
  readonly hostname: string | undefined;
  readonly ip: string | undefined;
  readonly port: number | undefined;
}

export interface Snapshot {
  /** `leader` field: a libprocess pid like `master@10.0.0.1:5050`. */
  readonly leader: string | undefined;
  readonly leaderInfo: LeaderInfo | undefined;
  readonly agents: readonly Agent[];
  readonly frameworks: readonly Framework[];
}

export const EMPTY_RESOURCES: Resources = Object.freeze({ cpus: 0, mem: 0, disk: 0, gpus: 0, ports: Object.freeze([]) });

export const EMPTY_SNAPSHOT: Snapshot = Object.freeze({
  leader: undefined,
  leaderInfo: undefined,
  agents: Object.freeze([]),
  frameworks: Object.freeze([]),
});
