// normalizeApp: a raw app JSON (POST /v2/apps, PUT /v2/apps/{id}) → App with Marathon's defaults, or
// every problem found. mergeApp applies a partial update (PUT ?partialUpdate=true) before normalizing.
// Pure: the version timestamp comes in as an argument.
import { err, ok, type Problem, type Result } from '../src/kernel/errors.js';
import {
  V, isObj, networkMode, normalizeAppId, portDefinitions, portMappings,
  type App, type AppContainer, type AppNetwork, type HealthCheck, type NetworkMode,
} from './marathon-app.js';

const CONSTRAINT_OPS = new Set(['UNIQUE', 'CLUSTER', 'GROUP_BY', 'LIKE', 'UNLIKE', 'MAX_PER', 'IS']);
const HC_PROTOCOLS = new Set(['HTTP', 'HTTPS', 'TCP', 'COMMAND', 'MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP']);
const MODES = new Set<NetworkMode>(['host', 'container/bridge', 'container']);

export interface NormalizeOptions {
  /** ISO timestamp used as `version` (and versionInfo when `previous` is absent). */
  readonly version: string;
  /** The app being replaced, for versionInfo bookkeeping. */
  readonly previous?: App;
  /** Id from the URL (PUT /v2/apps/{id}); the body's id, when present, must match it. */
  readonly pathId?: string;
}

export function normalizeApp(raw: unknown, opts: NormalizeOptions): Result<App, Problem[]> {
  if (!isObj(raw)) return err([{ path: '/', message: 'error.expected.jsobject' }]);
  const v = new V(raw);
  const rawId = v.str('id') ?? opts.pathId;
  let id = rawId === undefined ? undefined : normalizeAppId(rawId);
  if (rawId === undefined) v.bad('id', 'error.path.missing');
  else if (id === undefined) v.bad('id', `'${rawId}' is not a valid path: segments must match [a-z0-9]([a-z0-9-]*[a-z0-9])?`);
  if (opts.pathId !== undefined && id !== undefined && id !== normalizeAppId(opts.pathId)) v.bad('id', 'does not match the id in the URL');
  id ??= '/invalid';

  const cmd = v.str('cmd');
  const argsRaw = v.arr('args');
  if (argsRaw?.some((a) => typeof a !== 'string')) v.bad('args', 'error.expected.jsstring');
  const args = argsRaw?.map(String);
  if (cmd !== undefined && args !== undefined) v.bad('cmd', 'AppDefinition must either contain one of \'cmd\' or \'args\', not both');

  const networks = appNetworks(v);
  const container = appContainer(v, raw['container'], networks);
  const mode = networkMode({ networks, container });
  if (!cmd && !args && !container?.docker?.['image']) v.bad('cmd', "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'");
  const pds = portDefinitions(v, v.arr('portDefinitions'), v.arr('ports'), mode);
  if (mode !== 'host' && pds.length) v.bad('portDefinitions', 'portDefinitions are only allowed with host networking');

  const instances = v.num('instances', 1, 0, true);
  const constraints = appConstraints(v);
  const healthChecks = appHealthChecks(v);
  const envRaw = raw['env'];
  const env: Record<string, string> = {};
  if (envRaw !== undefined && envRaw !== null) {
    if (!isObj(envRaw)) v.bad('env', 'error.expected.jsobject');
    else for (const [k, x] of Object.entries(envRaw)) if (typeof x === 'string') env[k] = x; else v.bad(`env/${k}`, 'error.expected.jsstring');
  }
  const us = isObj(raw['upgradeStrategy']) ? v.child(raw['upgradeStrategy'], 'upgradeStrategy') : undefined;
  const upgradeStrategy = { minimumHealthCapacity: us?.num('minimumHealthCapacity', 1, 0) ?? 1, maximumOverCapacity: us?.num('maximumOverCapacity', 1, 0) ?? 1 };
  const strList = (k: string): string[] | undefined => {
    const a = v.arr(k);
    if (a?.some((x) => typeof x !== 'string')) v.bad(k, 'error.expected.jsstring');
    return a?.map(String);
  };
  const accepted = strList('acceptedResourceRoles');
  const user = v.str('user');
  const grace = raw['taskKillGracePeriodSeconds'] === undefined ? undefined : v.num('taskKillGracePeriodSeconds', 0, 0);
  const prev = opts.previous;
  const app: App = {
    id, ...(cmd !== undefined ? { cmd } : {}), ...(args !== undefined ? { args } : {}), instances,
    cpus: v.num('cpus', 1, 0.001), mem: v.num('mem', 128, 0), disk: v.num('disk', 0, 0), gpus: v.num('gpus', 0, 0, true),
    portDefinitions: pds, requirePorts: v.bool('requirePorts', false), ...(container ? { container } : {}), networks,
    labels: v.labels('labels'), env, healthChecks, constraints, upgradeStrategy,
    backoffSeconds: v.num('backoffSeconds', 1, 0), backoffFactor: v.num('backoffFactor', 1.15, 1),
    maxLaunchDelaySeconds: v.num('maxLaunchDelaySeconds', 300, 0), role: v.str('role') ?? '*', ...(user !== undefined ? { user } : {}),
    ...(accepted ? { acceptedResourceRoles: accepted } : {}), executor: v.str('executor') ?? '',
    dependencies: strList('dependencies') ?? [], fetch: v.arr('fetch') ?? [], killSelection: v.str('killSelection') ?? 'YOUNGEST_FIRST',
    ...(grace !== undefined ? { taskKillGracePeriodSeconds: grace } : {}), version: opts.version,
    versionInfo: { lastScalingAt: opts.version, lastConfigChangeAt: opts.version },
  };
  if (prev) {
    const { instances: _a, version: _b, versionInfo: _c, ...restPrev } = prev;
    const { instances: _d, version: _e, versionInfo: _f, ...restNew } = app;
    const configChanged = JSON.stringify(restPrev) !== JSON.stringify(restNew);
    app.versionInfo = { lastScalingAt: opts.version, lastConfigChangeAt: configChanged ? opts.version : prev.versionInfo.lastConfigChangeAt };
  }
  return v.problems.length ? err(v.problems) : ok(app);
}

function appNetworks(v: V): AppNetwork[] {
  const raw = v.arr('networks');
  if (!raw || raw.length === 0) return [{ mode: 'host' }];
  const out: AppNetwork[] = [];
  raw.forEach((n, i) => {
    const c = v.child(n, `networks(${i})`);
    if (!c) return;
    const mode = (c.str('mode') ?? 'container') as NetworkMode;
    if (!MODES.has(mode)) c.bad('mode', `unknown network mode '${mode}'`);
    const name = c.str('name');
    if (mode === 'container' && !name) c.bad('name', 'container networks need a name');
    const labels = c.labels('labels');
    out.push({ mode, ...(name !== undefined ? { name } : {}), ...(Object.keys(labels).length ? { labels } : {}) });
  });
  if (new Set(out.map((n) => n.mode)).size > 1) v.bad('networks', 'network modes cannot be mixed');
  return out.length ? out : [{ mode: 'host' }];
}

function appContainer(v: V, raw: unknown, networks: AppNetwork[]): AppContainer | undefined {
  if (raw === undefined || raw === null) return undefined;
  const c = v.child(raw, 'container');
  if (!c) return undefined;
  const o = raw as Record<string, unknown>;
  const type = c.str('type') ?? 'DOCKER';
  if (type !== 'DOCKER' && type !== 'MESOS') c.bad('type', `unknown container type '${type}'`);
  let docker: Record<string, unknown> | undefined;
  if (o['docker'] !== undefined) {
    if (!isObj(o['docker'])) c.bad('docker', 'error.expected.jsobject');
    else docker = { privileged: false, parameters: [], forcePullImage: false, ...o['docker'] };
  }
  const mode = networkMode({ networks, container: docker ? { type, docker, volumes: [] } : undefined });
  const legacy = docker?.['portMappings'];
  if (docker) delete docker['portMappings'];
  const pmRaw = c.arr('portMappings') ?? (Array.isArray(legacy) ? legacy : undefined);
  const pms = pmRaw ? portMappings(c, pmRaw, 'portMappings', mode) : undefined;
  if (pms && mode === 'host') c.bad('portMappings', 'portMappings are not allowed with host networking');
  const volumes = c.arr('volumes') ?? [];
  return { type, ...(docker ? { docker } : {}), ...(pms ? { portMappings: pms } : mode !== 'host' ? { portMappings: [] } : {}), volumes };
}

function appConstraints(v: V): string[][] {
  const raw = v.arr('constraints') ?? [];
  return raw.flatMap((c, i) => {
    if (!Array.isArray(c) || c.length < 2 || c.length > 3 || c.some((x) => typeof x !== 'string')) {
      v.bad(`constraints(${i})`, 'Each constraint must be [field, operator] or [field, operator, value]');
      return [];
    }
    const [field, op, value] = c as string[];
    if (!CONSTRAINT_OPS.has(op!)) v.bad(`constraints(${i})`, `Constraint operator must be one of ${[...CONSTRAINT_OPS].join(', ')}`);
    if ((op === 'LIKE' || op === 'UNLIKE') && value !== undefined) {
      try { new RegExp(`^(${value})$`); } catch { v.bad(`constraints(${i})`, `'${value}' is not a valid regular expression`); }
    }
    if ((op === 'LIKE' || op === 'UNLIKE' || op === 'CLUSTER' || op === 'IS' || op === 'MAX_PER') && value === undefined && op !== 'CLUSTER') {
      v.bad(`constraints(${i})`, `${op} requires a value`);
    }
    return [[field!, op!, ...(value !== undefined ? [value] : [])]];
  });
}

function appHealthChecks(v: V): HealthCheck[] {
  const raw = v.arr('healthChecks') ?? [];
  return raw.flatMap((h, i) => {
    const c = v.child(h, `healthChecks(${i})`);
    if (!c) return [];
    const o = h as Record<string, unknown>;
    const protocol = c.str('protocol') ?? 'HTTP';
    if (!HC_PROTOCOLS.has(protocol)) c.bad('protocol', `unknown health check protocol '${protocol}'`);
    const path = c.str('path');
    const cmd = isObj(o['command']) && typeof o['command']['value'] === 'string' ? { value: o['command']['value'] } : undefined;
    if (protocol === 'COMMAND' && !cmd) c.bad('command', 'COMMAND health checks need command.value');
    const port = o['port'] === undefined ? undefined : c.num('port', 0, 0, true);
    const portIndex = o['portIndex'] === undefined ? (port === undefined && protocol !== 'COMMAND' ? 0 : undefined) : c.num('portIndex', 0, 0, true);
    const hc: HealthCheck = {
      protocol, ...(path !== undefined ? { path } : protocol.includes('HTTP') ? { path: '/' } : {}),
      ...(portIndex !== undefined ? { portIndex } : {}), ...(port !== undefined ? { port } : {}), ...(cmd ? { command: cmd } : {}),
      gracePeriodSeconds: c.num('gracePeriodSeconds', 300, 0), intervalSeconds: c.num('intervalSeconds', 60, 0),
      timeoutSeconds: c.num('timeoutSeconds', 20, 0), maxConsecutiveFailures: c.num('maxConsecutiveFailures', 3, 0, true),
      delaySeconds: c.num('delaySeconds', 15, 0), ignoreHttp1xx: c.bool('ignoreHttp1xx', false), ipProtocol: c.str('ipProtocol') ?? 'IPv4',
    };
    return [hc];
  });
}

/** PUT with partialUpdate: the stored app's JSON with the body's top-level fields replacing it. */
export function mergeApp(previous: App, patch: Record<string, unknown>): Record<string, unknown> {
  const { version: _v, versionInfo: _vi, ...base } = previous;
  return { ...base, ...patch };
}
