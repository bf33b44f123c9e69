// How Marathon turns an app and an offer into a Mesos TaskInfo (reference/core.md §2.5): resources
// (cpus, mem, disk, gpus and the host ports it picks from the offer), the task name (`/prod/web` →
// `web.prod`), the Marathon environment (PORT0…, PORTS, HOST, MARATHON_APP_*…), app labels as task
// labels, DiscoveryInfo ports with their port labels (where Minuteman/l4lb find `VIP_n`), container
// network infos, and the first health check as a Mesos health check. Pure.
import { Resources, type Range } from './resources.js';
import { networkMode, type App, type HealthCheck } from './marathon-app.js';
import type { V1DiscoveryPort, V1HealthCheck, V1Label, V1NetworkInfo, V1TaskInfo } from './mesos-types.js';

export interface OfferView {
  readonly agentId: string;
  readonly hostname: string;
  /** What is left of the offer (after earlier launches from it). */
  readonly resources: Resources;
}

export interface Launch {
  readonly task: V1TaskInfo;
  /** Resources the task takes from the offer. */
  readonly resources: Resources;
  readonly hostPorts: number[];
  readonly servicePorts: number[];
}

/** `/prod/web` → `web.prod`. */
export const mesosTaskName = (appId: string): string => appId.split('/').filter((s) => s).reverse().join('.');
/** `/prod/web` + uuid → `prod_web.instance-<uuid>._app.1`. */
export const marathonTaskId = (appId: string, uuid: string): string => `${appId.split('/').filter((s) => s).join('_')}.instance-${uuid}._app.1`;

const toLabels = (l: Record<string, string>): V1Label[] => Object.entries(l).map(([key, value]) => ({ key, value }));

/** Ports the app needs on the host: one entry per port (0 = any free port, else that exact port). */
export function requestedHostPorts(app: App): number[] {
  const mode = networkMode(app);
  if (mode === 'host') return app.portDefinitions.map((p) => (app.requirePorts ? p.port : 0));
  return (app.container?.portMappings ?? []).flatMap((m) => (m.hostPort === undefined ? [] : [m.hostPort]));
}

/** Service ports in definition order (what marathon-lb binds). */
export function servicePorts(app: App): number[] {
  return networkMode(app) === 'host' ? app.portDefinitions.map((p) => p.port) : (app.container?.portMappings ?? []).map((m) => m.servicePort);
}

/** Pick host ports from the offer's ranges; undefined when they do not fit. */
export function pickPorts(wanted: readonly number[], offered: readonly Range[]): number[] | undefined {
  const has = (p: number) => offered.some((r) => r.begin <= p && p <= r.end);
  const fixed = new Set(wanted.filter((p) => p !== 0));
  if ([...fixed].some((p) => !has(p))) return undefined;
  const used = new Set(fixed);
  const out: number[] = [];
  for (const w of wanted) {
    if (w !== 0) { out.push(w); continue; }
    let found: number | undefined;
    for (const r of offered) {
      for (let p = r.begin; p <= r.end && found === undefined; p++) if (!used.has(p)) found = p;
      if (found !== undefined) break;
    }
    if (found === undefined) return undefined;
    used.add(found);
    out.push(found);
  }
  return out;
}

function envName(s: string): string | undefined {
  const n = s.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return /^[A-Z_][A-Z0-9_]*$/.test(n) ? n : undefined;
}

export function marathonEnv(app: App, taskId: string, host: string, portValues: number[], svc: number[]): Record<string, string> {
  const env: Record<string, string> = {};
  const names = networkMode(app) === 'host' ? app.portDefinitions.map((p) => p.name) : (app.container?.portMappings ?? []).map((m) => m.name);
  portValues.forEach((p, i) => {
    env[`PORT${i}`] = String(p);
    const s = svc[i];
    if (s !== undefined && s !== 0) env[`PORT_${s}`] = String(p);
    const n = names[i] ? envName(names[i]!) : undefined;
    if (n) env[`PORT_${n}`] = String(p);
  });
  if (portValues.length) { env['PORT'] = String(portValues[0]); env['PORTS'] = portValues.join(','); }
  Object.assign(env, {
    HOST: host, MESOS_TASK_ID: taskId, MARATHON_APP_ID: app.id, MARATHON_APP_VERSION: app.version,
    MARATHON_APP_RESOURCE_CPUS: String(app.cpus), MARATHON_APP_RESOURCE_MEM: String(app.mem),
    MARATHON_APP_RESOURCE_DISK: String(app.disk), MARATHON_APP_RESOURCE_GPUS: String(app.gpus),
  });
  const image = app.container?.docker?.['image'];
  if (typeof image === 'string') env['MARATHON_APP_DOCKER_IMAGE'] = image;
  const labelNames = Object.keys(app.labels).filter((k) => envName(k) && app.labels[k]!.length <= 512);
  env['MARATHON_APP_LABELS'] = labelNames.map((k) => envName(k)).join(' ');
  for (const k of labelNames) env[`MARATHON_APP_LABEL_${envName(k)}`] = app.labels[k]!;
  return { ...env, ...app.env };
}

function discoveryPorts(app: App, hostPorts: number[]): V1DiscoveryPort[] {
  const protos = (p: string) => p.split(',').map((x) => x.trim()).filter((x) => x);
  if (networkMode(app) === 'host') {
    return app.portDefinitions.flatMap((pd, i) => protos(pd.protocol).map((protocol) => ({
      number: hostPorts[i]!, ...(pd.name ? { name: pd.name } : {}), protocol, labels: { labels: toLabels(pd.labels) },
    })));
  }
  const netName = app.networks.find((n) => n.name)?.name;
  let hi = 0;
  return (app.container?.portMappings ?? []).flatMap((m) => {
    const host = m.hostPort === undefined ? undefined : hostPorts[hi++];
    const scope = host !== undefined
      ? [{ key: 'network-scope', value: 'host' }]
      : [{ key: 'network-scope', value: 'container' }, ...(netName ? [{ key: 'network-name', value: netName }] : [])];
    return protos(m.protocol).map((protocol) => ({
      number: host ?? m.containerPort, ...(m.name ? { name: m.name } : {}), protocol, labels: { labels: [...toLabels(m.labels), ...scope] },
    }));
  });
}

function healthCheck(hc: HealthCheck | undefined, portValues: number[]): V1HealthCheck | undefined {
  if (!hc) return undefined;
  const common = { delay_seconds: hc.delaySeconds, interval_seconds: hc.intervalSeconds, timeout_seconds: hc.timeoutSeconds,
    consecutive_failures: hc.maxConsecutiveFailures, grace_period_seconds: hc.gracePeriodSeconds };
  if (hc.protocol === 'COMMAND') return { type: 'COMMAND', command: { shell: true, value: hc.command?.value ?? 'true' }, ...common };
  const port = hc.port ?? portValues[hc.portIndex ?? 0];
  if (port === undefined) return undefined;
  if (hc.protocol.endsWith('TCP')) return { type: 'TCP', tcp: { port }, ...common };
  return { type: 'HTTP', http: { scheme: hc.protocol.endsWith('HTTPS') ? 'https' : 'http', port, path: hc.path ?? '/' }, ...common };
}

/** A TaskInfo for `app` from `offer`, or undefined when the offer cannot hold it. */
export function buildLaunch(app: App, offer: OfferView, uuid: string, role = '*'): Launch | undefined {
  const pool = offer.resources.allocatableTo(role);
  const hostPorts = pickPorts(requestedHostPorts(app), pool.ranges('ports'));
  if (!hostPorts) return undefined;
  const resources = carve(pool, role, { cpus: app.cpus, mem: app.mem, disk: app.disk, gpus: app.gpus }, hostPorts);
  if (!resources) return undefined;
  const mode = networkMode(app);
  const svc = servicePorts(app);
  const taskId = marathonTaskId(app.id, uuid);
  // In container mode without host ports the task sees its container ports.
  let hi = 0;
  const portValues = mode === 'host' ? hostPorts : (app.container?.portMappings ?? []).map((m) => {
    if (m.hostPort === undefined) return m.containerPort;
    const h = hostPorts[hi++]!;
    return m.containerPort || h;
  });
  const env = marathonEnv(app, taskId, offer.hostname, portValues, svc);
  const name = mesosTaskName(app.id);
  const netInfos: V1NetworkInfo[] = mode === 'host' ? [] : app.networks.map((n) => ({
    name: mode === 'container/bridge' ? 'mesos-bridge' : n.name ?? '',
    labels: { labels: toLabels(n.labels ?? {}) },
    port_mappings: (app.container?.portMappings ?? []).filter((m) => m.hostPort !== undefined)
      .map((m, i) => ({ host_port: hostPorts[i]!, container_port: m.containerPort || hostPorts[i]!, protocol: m.protocol })),
  }));
  const command = app.cmd !== undefined
    ? { shell: true, value: app.cmd }
    : app.args ? { shell: false, value: app.args[0]!, arguments: app.args } : { shell: true, value: 'true' };
  const hc = healthCheck(app.healthChecks[0], portValues);
  const task: V1TaskInfo = {
    name, task_id: { value: taskId }, agent_id: { value: offer.agentId }, resources: resources.toV1(),
    command: { ...command, environment: { variables: Object.entries(env).map(([n, value]) => ({ name: n, value })) }, ...(app.user ? { user: app.user } : {}) },
    labels: { labels: toLabels(app.labels) },
    discovery: { visibility: 'FRAMEWORK', name, ports: { ports: discoveryPorts(app, hostPorts) } },
    ...(mode !== 'host' || app.container ? { container: containerInfo(app, netInfos) } : {}),
    ...(hc ? { health_check: hc } : {}),
    ...(app.taskKillGracePeriodSeconds !== undefined ? { kill_policy: { grace_period: { nanoseconds: Math.round(app.taskKillGracePeriodSeconds * 1e9) } } } : {}),
  };
  return { task, resources, hostPorts, servicePorts: svc };
}

/** Take scalars and ports from the role's reservation first, the rest unreserved; undefined if short. */
function carve(pool: Resources, role: string, scalars: Record<string, number>, ports: number[]): Resources | undefined {
  const reserved = role === '*' ? Resources.EMPTY : pool.reserved(role);
  let out = Resources.EMPTY;
  for (const [name, amount] of Object.entries(scalars)) {
    if (!(amount > 0)) continue;
    const fromRole = Math.min(reserved.scalar(name), amount);
    if (fromRole > 0) out = out.add(Resources.of({ [name]: fromRole }, role));
    if (amount - fromRole > 0) out = out.add(Resources.of({ [name]: amount - fromRole }));
  }
  const rr = reserved.ranges('ports');
  for (const p of ports) {
    const mine = rr.some((r) => r.begin <= p && p <= r.end);
    out = out.add(Resources.of({}, mine ? role : '*', [{ begin: p, end: p }]));
  }
  return pool.contains(out) ? out : undefined;
}

function containerInfo(app: App, netInfos: V1NetworkInfo[]): NonNullable<V1TaskInfo['container']> {
  const docker = app.container?.docker;
  if (app.container?.type === 'DOCKER' && docker) {
    const mode = networkMode(app);
    return {
      type: 'DOCKER', network_infos: netInfos,
      docker: {
        image: docker['image'], network: mode === 'host' ? 'HOST' : mode === 'container/bridge' ? 'BRIDGE' : 'USER',
        privileged: docker['privileged'] ?? false, force_pull_image: docker['forcePullImage'] ?? false,
        ...(mode !== 'host' ? { port_mappings: netInfos[0]?.port_mappings ?? [] } : {}),
      },
    };
  }
  return { type: 'MESOS', network_infos: netInfos };
}
