// Marathon app definitions: validation and normalization of a POST/PUT body into an App with
// Marathon's defaults (reference/core.md §2.2). Problems come back as Marathon's 422 details
// `[{path, errors[]}]`; nothing throws. Pure.
import type { Problem } from '../src/kernel/errors.js';

export type NetworkMode = 'host' | 'container/bridge' | 'container';
export type Labels = Record<string, string>;

export interface PortDefinition { port: number; protocol: string; name?: string; labels: Labels }
export interface PortMapping {
  containerPort: number; hostPort?: number; servicePort: number; protocol: string; name?: string; labels: Labels;
  networkNames?: string[];
}
export interface AppNetwork { mode: NetworkMode; name?: string; labels?: Labels }
export interface HealthCheck {
  protocol: string; path?: string; portIndex?: number; port?: number; command?: { value: string };
  gracePeriodSeconds: number; intervalSeconds: number; timeoutSeconds: number; maxConsecutiveFailures: number;
  delaySeconds: number; ignoreHttp1xx: boolean; ipProtocol: string;
}
export interface AppContainer {
  type: string; docker?: Record<string, unknown>; portMappings?: PortMapping[]; volumes: unknown[];
}

export interface App {
  id: string; cmd?: string; args?: string[]; instances: number; cpus: number; mem: number; disk: number; gpus: number;
  portDefinitions: PortDefinition[]; requirePorts: boolean; container?: AppContainer; networks: AppNetwork[];
  labels: Labels; env: Record<string, string>; healthChecks: HealthCheck[]; constraints: string[][];
  upgradeStrategy: { minimumHealthCapacity: number; maximumOverCapacity: number };
  backoffSeconds: number; backoffFactor: number; maxLaunchDelaySeconds: number; role: string; user?: string;
  acceptedResourceRoles?: string[]; executor: string; dependencies: string[]; fetch: unknown[];
  killSelection: string; taskKillGracePeriodSeconds?: number; version: string;
  versionInfo: { lastScalingAt: string; lastConfigChangeAt: string };
}

const ID_SEGMENT = /^(([a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])|\.|\.\.)$/;

/** Absolute, normalized app id (`web` → `/web`, `/a/./b/../c` → `/a/c`) or undefined when invalid. */
export function normalizeAppId(id: string, base = '/'): string | undefined {
  const raw = id.startsWith('/') ? id : `${base.replace(/\/$/, '')}/${id}`;
  const out: string[] = [];
  for (const seg of raw.split('/').filter((s) => s !== '')) {
    if (!ID_SEGMENT.test(seg)) return undefined;
    if (seg === '.') continue;
    if (seg === '..') { out.pop(); continue; }
    out.push(seg);
  }
  return out.length ? `/${out.join('/')}` : undefined;
}

/** The networking mode as marathon-lb derives it: docker network first, else the last network's mode. */
export function networkMode(app: Pick<App, 'networks' | 'container'>): NetworkMode {
  const net = app.container?.docker?.['network'];
  if (net === 'BRIDGE') return 'container/bridge';
  if (net === 'USER') return 'container';
  return app.networks[app.networks.length - 1]?.mode ?? 'host';
}

/** Field reader that records Marathon-style problems (`/path` + error key) and returns defaults. */
export class V {
  readonly problems: Problem[] = [];
  constructor(private readonly o: Record<string, unknown>, private readonly base = '') {}
  bad(path: string, message: string): void { this.problems.push({ path: `${this.base}/${path}`, message }); }
  num(k: string, dflt: number, min: number, int = false): number {
    const v = this.o[k];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'number' || !Number.isFinite(v)) { this.bad(k, 'error.expected.jsnumber'); return dflt; }
    if (int && !Number.isInteger(v)) { this.bad(k, 'error.expected.int'); return dflt; }
    if (v < min) { this.bad(k, `error.min (must be >= ${min})`); return dflt; }
    return v;
  }
  str(k: string): string | undefined {
    const v = this.o[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') { this.bad(k, 'error.expected.jsstring'); return undefined; }
    return v;
  }
  bool(k: string, dflt: boolean): boolean {
    const v = this.o[k];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'boolean') { this.bad(k, 'error.expected.jsboolean'); return dflt; }
    return v;
  }
  labels(k: string): Labels {
    const v = this.o[k];
    if (v === undefined || v === null) return {};
    if (!isObj(v) || Object.values(v).some((x) => typeof x !== 'string')) { this.bad(k, 'error.expected.jsobject of strings'); return {}; }
    return { ...(v as Labels) };
  }
  arr(k: string): unknown[] | undefined {
    const v = this.o[k];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) { this.bad(k, 'error.expected.jsarray'); return undefined; }
    return v;
  }
  child(o: unknown, path: string): V | undefined {
    if (!isObj(o)) { this.bad(path, 'error.expected.jsobject'); return undefined; }
    const c = new V(o, `${this.base}/${path}`);
    c.problems.push = (...p: Problem[]) => this.problems.push(...p);
    return c;
  }
}

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function protocolOk(p: string): boolean {
  return ['tcp', 'udp', 'udp,tcp', 'tcp,udp'].includes(p);
}

export function portDefinitions(v: V, raw: unknown[] | undefined, legacy: unknown[] | undefined, mode: NetworkMode): PortDefinition[] {
  if (raw === undefined && legacy !== undefined) {
    return legacy.map((p, i) => {
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 65535) v.bad(`ports(${i})`, 'error.expected.port');
      return { port: typeof p === 'number' ? p : 0, protocol: 'tcp', labels: {} };
    });
  }
  if (raw === undefined) return mode === 'host' ? [{ port: 0, protocol: 'tcp', name: 'default', labels: {} }] : [];
  const out: PortDefinition[] = [];
  raw.forEach((p, i) => {
    const c = v.child(p, `portDefinitions(${i})`);
    if (!c) return;
    const port = c.num('port', 0, 0, true);
    if (port > 65535) c.bad('port', 'error.max (65535)');
    const protocol = c.str('protocol') ?? 'tcp';
    if (!protocolOk(protocol)) c.bad('protocol', `invalid protocol '${protocol}'`);
    const name = c.str('name');
    out.push({ port, protocol, ...(name !== undefined ? { name } : {}), labels: c.labels('labels') });
  });
  const nonZero = out.map((p) => p.port).filter((p) => p !== 0);
  if (new Set(nonZero).size !== nonZero.length) v.bad('portDefinitions', 'Ports must be unique.');
  const names = out.flatMap((p) => (p.name ? [p.name] : []));
  if (new Set(names).size !== names.length) v.bad('portDefinitions', 'Port names must be unique.');
  return out;
}

export function portMappings(v: V, raw: unknown[], path: string, mode: NetworkMode): PortMapping[] {
  return raw.flatMap((p, i) => {
    const c = v.child(p, `${path}(${i})`);
    if (!c) return [];
    const containerPort = c.num('containerPort', 0, 0, true);
    const hostRaw = (p as Record<string, unknown>)['hostPort'];
    const hostPort = hostRaw === undefined || hostRaw === null ? (mode === 'container/bridge' ? 0 : undefined) : c.num('hostPort', 0, 0, true);
    const protocol = c.str('protocol') ?? 'tcp';
    if (!protocolOk(protocol)) c.bad('protocol', `invalid protocol '${protocol}'`);
    const name = c.str('name');
    const nn = c.arr('networkNames');
    const m: PortMapping = { containerPort, ...(hostPort !== undefined ? { hostPort } : {}), servicePort: c.num('servicePort', 0, 0, true), protocol,
      ...(name !== undefined ? { name } : {}), labels: c.labels('labels'), ...(nn ? { networkNames: nn.map(String) } : {}) };
    return [m];
  });
}
