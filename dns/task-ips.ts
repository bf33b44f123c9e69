// Task IP selection of mesos-dns (IPSources): the first source, in configured order, that yields at
// least one parseable IP wins, and all of its IPs (v4 and v6, canonical text) are used. Status-based
// sources read only the TASK_RUNNING status with the greatest timestamp (the first such on ties).
// Unknown source names are ignored here (config validation rejects them). Pure.
import type { Task, TaskStatus } from '../src/kernel/snapshot.js';
import { normalizeIp } from '../src/kernel/ip.js';

export const IP_SOURCES = ['netinfo', 'mesos', 'docker', 'host'] as const;
export type IpSource = (typeof IP_SOURCES)[number];

const LABEL_OF: Record<'docker' | 'mesos', string> = {
  docker: 'Docker.NetworkSettings.IPAddress',
  mesos: 'MesosContainerizer.NetworkSettings.IPAddress',
};

/** The TASK_RUNNING status with the greatest timestamp (first on ties), if any. */
export function latestRunningStatus(task: Task): TaskStatus | undefined {
  let best: TaskStatus | undefined;
  let ts = -1;
  for (const s of task.statuses) {
    if (s.state === 'TASK_RUNNING' && s.timestamp > ts) {
      ts = s.timestamp;
      best = s;
    }
  }
  return best;
}

const NO_IPS: readonly string[] = Object.freeze([]);

function candidates(task: Task, source: string, agentIps: readonly string[]): readonly string[] {
  switch (source) {
    case 'host':
      return agentIps;
    case 'netinfo': {
      const infos = latestRunningStatus(task)?.networkInfos;
      if (!infos || infos.length === 0) return NO_IPS;
      if (infos.length === 1 && infos[0]!.ipAddresses.length === 1) return [infos[0]!.ipAddresses[0]!.ipAddress];
      const out: string[] = [];
      for (const n of infos) for (const a of n.ipAddresses) out.push(a.ipAddress);
      return out;
    }
    case 'docker':
    case 'mesos': {
      const key = LABEL_OF[source];
      return (latestRunningStatus(task)?.labels ?? []).filter((l) => l.key === key).map((l) => l.value ?? '');
    }
    default:
      return [];
  }
}

// Dotted-quad text already in canonical form (no leading zeros, octets 0-255): the common case,
// recognised without a full parse; anything else goes through src/kernel/ip.ts.
const CANONICAL_V4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
export const canonicalIp = (text: string): string | undefined => (CANONICAL_V4.test(text) ? text : normalizeIp(text));

/** IPs of `task` from the first source in `sources` that has any; `agentIps` serve the `host` source. */
export function taskIps(task: Task | undefined, sources: readonly string[] | undefined, agentIps: readonly string[]): string[] {
  if (!task) return [];
  for (const source of sources ?? []) {
    const ips: string[] = [];
    for (const text of candidates(task, source, agentIps)) {
      const ip = canonicalIp(text);
      if (ip !== undefined) ips.push(ip);
    }
    if (ips.length > 0) return ips;
  }
  return [];
}
