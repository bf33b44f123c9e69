// Configuration of the scheduler room's three daemons: frozen DEFAULTS and pure parsers that take
// loosely typed input (CLI flag strings or numbers from a test) and report every problem at once.
import { ok, err, type Problem, type Result } from '../src/kernel/errors.js';

export interface MasterConfig {
  readonly ip: string;
  readonly hostname: string;
  readonly port: number;
  readonly workDir: string | undefined;
  /** Seconds without a heartbeat before an agent is unreachable (its tasks TASK_UNREACHABLE). */
  readonly agentTimeoutSeconds: number;
  /** Further seconds after which an unreachable agent is removed (its tasks TASK_LOST). */
  readonly agentRemovalSeconds: number;
  readonly allocationIntervalSeconds: number;
  /** HEARTBEAT period of the operator change stream (`POST /api/v1` SUBSCRIBE). */
  readonly streamHeartbeatSeconds: number;
  readonly version: string;
}

export interface AgentConfig {
  readonly master: string;
  readonly ip: string;
  readonly hostname: string;
  readonly port: number;
  readonly resources: string;
  readonly attributes: string;
  readonly workDir: string;
  readonly cniPluginDir: string;
  readonly cniConfDir: string;
  readonly heartbeatSeconds: number;
  readonly killGraceSeconds: number;
  /** Prefix of the network namespaces the agent creates for container-network tasks. */
  readonly netnsPrefix: string;
}

export interface MarathonConfig {
  readonly master: string;
  readonly ip: string;
  readonly hostname: string;
  readonly port: number;
  readonly workDir: string | undefined;
  readonly frameworkName: string;
  readonly role: string;
  readonly sseHeartbeatSeconds: number;
  readonly localPortMin: number;
  readonly localPortMax: number;
}

export const MASTER_DEFAULTS: MasterConfig = Object.freeze({
  ip: '127.0.0.1', hostname: '', port: 5050, workDir: undefined,
  agentTimeoutSeconds: 75, agentRemovalSeconds: 600, allocationIntervalSeconds: 1,
  streamHeartbeatSeconds: 15, version: '1.11.0',
});

export const AGENT_DEFAULTS: AgentConfig = Object.freeze({
  master: 'http://127.0.0.1:5050', ip: '127.0.0.1', hostname: '', port: 5051,
  resources: 'cpus:2;mem:1024;disk:1024;ports:[31000-32000]', attributes: '', workDir: '/var/lib/mesonet/agent',
  cniPluginDir: '/usr/lib/cni', cniConfDir: '/etc/mesonet/cni', heartbeatSeconds: 5, killGraceSeconds: 5, netnsPrefix: 'mesonet-',
});

export const MARATHON_DEFAULTS: MarathonConfig = Object.freeze({
  master: 'http://127.0.0.1:5050', ip: '127.0.0.1', hostname: '', port: 8080, workDir: undefined,
  frameworkName: 'marathon', role: '*', sseHeartbeatSeconds: 10, localPortMin: 10000, localPortMax: 20000,
});

type Input = Readonly<Record<string, unknown>>;

class Reader {
  readonly problems: Problem[] = [];
  constructor(private readonly input: Input) {}

  str(key: string, dflt: string): string {
    const v = this.input[key];
    if (v === undefined) return dflt;
    if (typeof v !== 'string') {
      this.problems.push({ path: key, message: 'must be a string' });
      return dflt;
    }
    return v;
  }

  num(key: string, dflt: number, min: number, max: number, integer = false): number {
    const v = this.input[key];
    if (v === undefined) return dflt;
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
      this.problems.push({ path: key, message: `must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${JSON.stringify(v)}` });
      return dflt;
    }
    return n;
  }

  ip(key: string, dflt: string): string {
    const s = this.str(key, dflt);
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(s) || s.split('.').some((o) => Number(o) > 255)) {
      this.problems.push({ path: key, message: `must be an IPv4 address, got '${s}'` });
      return dflt;
    }
    return s;
  }

  url(key: string, dflt: string): string {
    let s = this.str(key, dflt);
    if (!/^https?:\/\//.test(s)) s = `http://${s}`;
    try {
      const u = new URL(s);
      return `${u.protocol}//${u.host}`;
    } catch {
      this.problems.push({ path: key, message: `must be a URL or host:port, got '${s}'` });
      return dflt;
    }
  }

  unknown(known: object): void {
    for (const k of Object.keys(this.input)) {
      if (!(k in known) && this.input[k] !== undefined) this.problems.push({ path: k, message: 'unknown setting' });
    }
  }

  done<T>(value: T): Result<T> {
    return this.problems.length ? err(this.problems) : ok(value);
  }
}

export function parseMasterConfig(input: Input): Result<MasterConfig> {
  const r = new Reader(input);
  const d = MASTER_DEFAULTS;
  const ip = r.ip('ip', d.ip);
  const workDir = r.str('workDir', '') || undefined;
  const cfg: MasterConfig = {
    ip, hostname: r.str('hostname', '') || ip, port: r.num('port', d.port, 0, 65535, true), workDir,
    agentTimeoutSeconds: r.num('agentTimeoutSeconds', d.agentTimeoutSeconds, 0.05, 86400),
    agentRemovalSeconds: r.num('agentRemovalSeconds', d.agentRemovalSeconds, 0, 86400 * 30),
    allocationIntervalSeconds: r.num('allocationIntervalSeconds', d.allocationIntervalSeconds, 0.01, 3600),
    streamHeartbeatSeconds: r.num('streamHeartbeatSeconds', d.streamHeartbeatSeconds, 0.05, 3600),
    version: r.str('version', d.version),
  };
  r.unknown(d);
  return r.done(Object.freeze(cfg));
}

export function parseAgentConfig(input: Input): Result<AgentConfig> {
  const r = new Reader(input);
  const d = AGENT_DEFAULTS;
  const ip = r.ip('ip', d.ip);
  const cfg: AgentConfig = {
    master: r.url('master', d.master), ip, hostname: r.str('hostname', '') || ip,
    port: r.num('port', d.port, 0, 65535, true), resources: r.str('resources', d.resources),
    attributes: r.str('attributes', d.attributes), workDir: r.str('workDir', d.workDir),
    cniPluginDir: r.str('cniPluginDir', d.cniPluginDir), cniConfDir: r.str('cniConfDir', d.cniConfDir),
    heartbeatSeconds: r.num('heartbeatSeconds', d.heartbeatSeconds, 0.05, 3600),
    killGraceSeconds: r.num('killGraceSeconds', d.killGraceSeconds, 0, 3600),
    netnsPrefix: r.str('netnsPrefix', d.netnsPrefix),
  };
  if (!/^[A-Za-z0-9_.-]{1,20}$/.test(cfg.netnsPrefix)) r.problems.push({ path: 'netnsPrefix', message: 'must be 1-20 of [A-Za-z0-9_.-]' });
  r.unknown(d);
  return r.done(Object.freeze(cfg));
}

export function parseMarathonConfig(input: Input): Result<MarathonConfig> {
  const r = new Reader(input);
  const d = MARATHON_DEFAULTS;
  const ip = r.ip('ip', d.ip);
  const cfg: MarathonConfig = {
    master: r.url('master', d.master), ip, hostname: r.str('hostname', '') || ip,
    port: r.num('port', d.port, 0, 65535, true), workDir: r.str('workDir', '') || undefined,
    frameworkName: r.str('frameworkName', d.frameworkName), role: r.str('role', d.role),
    sseHeartbeatSeconds: r.num('sseHeartbeatSeconds', d.sseHeartbeatSeconds, 0.05, 3600),
    localPortMin: r.num('localPortMin', d.localPortMin, 1, 65535, true),
    localPortMax: r.num('localPortMax', d.localPortMax, 1, 65535, true),
  };
  if (cfg.localPortMin > cfg.localPortMax) r.problems.push({ path: 'localPortMin', message: 'must not exceed localPortMax' });
  if (!/^[A-Za-z0-9_.-]+$/.test(cfg.frameworkName)) r.problems.push({ path: 'frameworkName', message: 'must be [A-Za-z0-9_.-]+' });
  r.unknown(d);
  return r.done(Object.freeze(cfg));
}
