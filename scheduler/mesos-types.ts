// Mesos v1 JSON shapes the room sends and receives (scheduler calls/events, operator events, the
// agent protocol). Only the fields we use are typed; everything else passes through untouched.
// Field names are the protobuf names, as Mesos' JSON renders them. Types only.
import type { V1Resource } from './resources.js';

export interface V1Id { value: string }
export interface V1Label { key: string; value?: string }
export interface V1Labels { labels: V1Label[] }

export interface V1NetworkInfo {
  ip_addresses?: Array<{ protocol?: 'IPv4' | 'IPv6'; ip_address: string }>;
  name?: string;
  groups?: string[];
  labels?: V1Labels;
  port_mappings?: Array<{ host_port: number; container_port: number; protocol?: string }>;
}

export interface V1ContainerInfo {
  type: 'MESOS' | 'DOCKER';
  docker?: Record<string, unknown>;
  network_infos?: V1NetworkInfo[];
  [k: string]: unknown;
}

export interface V1DiscoveryPort {
  number: number; name?: string; protocol?: string; visibility?: string; labels?: V1Labels;
}
export interface V1DiscoveryInfo {
  visibility: 'FRAMEWORK' | 'CLUSTER' | 'EXTERNAL';
  name?: string; environment?: string; location?: string; version?: string;
  ports?: { ports: V1DiscoveryPort[] };
  labels?: V1Labels;
}

export interface V1CommandInfo {
  shell?: boolean;
  value?: string;
  arguments?: string[];
  environment?: { variables: Array<{ name: string; value?: string }> };
  user?: string;
}

export interface V1HealthCheck {
  type: 'COMMAND' | 'HTTP' | 'TCP';
  delay_seconds?: number; interval_seconds?: number; timeout_seconds?: number;
  consecutive_failures?: number; grace_period_seconds?: number;
  command?: V1CommandInfo;
  http?: { scheme?: string; port: number; path?: string; protocol?: string };
  tcp?: { port: number };
}

export interface V1TaskInfo {
  name: string;
  task_id: V1Id;
  agent_id: V1Id;
  resources: V1Resource[];
  command?: V1CommandInfo;
  container?: V1ContainerInfo;
  labels?: V1Labels;
  discovery?: V1DiscoveryInfo;
  health_check?: V1HealthCheck;
  kill_policy?: { grace_period?: { nanoseconds: number } };
  [k: string]: unknown;
}

export interface V1TaskStatus {
  task_id: V1Id;
  state: string;
  agent_id?: V1Id;
  timestamp: number;
  message?: string;
  source?: 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';
  reason?: string;
  uuid?: string;
  healthy?: boolean;
  labels?: V1Labels;
  container_status?: { container_id?: V1Id; network_infos?: V1NetworkInfo[]; executor_pid?: number };
}

export interface V1FrameworkInfo {
  user?: string; name?: string; id?: V1Id; failover_timeout?: number; checkpoint?: boolean;
  role?: string; roles?: string[]; hostname?: string; principal?: string; webui_url?: string;
  capabilities?: Array<{ type: string }>; labels?: V1Labels;
}

export interface V1Offer {
  id: V1Id; framework_id: V1Id; agent_id: V1Id; hostname: string; resources: V1Resource[];
  url?: { scheme: string; address: { hostname?: string; ip?: string; port: number }; path: string };
  attributes?: Array<Record<string, unknown>>;
}
