// How marathon-lb finds a task's address and ports, and an app's service ports, per networking mode:
//   host             — IP = DNS(task.host), ports = task.ports (else portDefinitions)
//   container/bridge — IP = DNS(task.host), ports = task.ports (else portDefinitions, else
//                      portMappings containerPort); service ports from portMappings
//   container        — IP-per-task: IP = task.ipAddresses[0], ports = ipAddress discovery ports
//                      (else portMappings containerPort); service ports from portMappings, or,
//                      when none, auto-assigned from a range by a hash of "<appId>-<taskPort>-<i>".
// DNS is an argument (`resolve`), so this stays pure. Hashing uses node:crypto (deterministic).
import { createHash } from 'node:crypto';
import type { MarathonApp, MarathonPortMapping, MarathonTask } from '../src/kernel/marathon.js';

export type NetworkingMode = 'host' | 'container/bridge' | 'container' | string;

/** Default host; legacy ipAddress or docker USER → container; docker BRIDGE → container/bridge; last networks[].mode wins. */
export function networkingMode(app: MarathonApp): NetworkingMode {
  let mode: NetworkingMode = 'host';
  if (app.ipAddress) mode = 'container';
  const dn = app.container?.docker?.network;
  if (dn === 'USER') mode = 'container';
  else if (dn === 'BRIDGE') mode = 'container/bridge';
  for (const n of app.networks) mode = n.mode ?? 'container';
  return mode;
}

/** docker.portMappings when non-empty, else container.portMappings. */
export function appPortMappings(app: MarathonApp): readonly MarathonPortMapping[] {
  const d = app.container?.docker?.portMappings ?? [];
  return d.length > 0 ? d : (app.container?.portMappings ?? []);
}

const portDefinitionPorts = (app: MarathonApp): number[] =>
  (app.portDefinitions ?? []).flatMap((p) => (p.port === undefined ? [] : [p.port]));
const portMappingPorts = (app: MarathonApp): number[] =>
  appPortMappings(app).flatMap((p) => (p.containerPort === undefined ? [] : [p.containerPort]));
const discoveryPorts = (app: MarathonApp): number[] =>
  (app.ipAddress?.discoveryPorts ?? []).flatMap((p) => (p.number === undefined ? [] : [p.number]));

/** The ports a task serves on, in service-port order. */
export function appTaskPorts(app: MarathonApp, task: MarathonTask, mode: NetworkingMode): readonly number[] {
  if (mode === 'host') return task.ports.length > 0 ? task.ports : portDefinitionPorts(app);
  if (mode === 'container/bridge') {
    if (task.ports.length > 0) return task.ports;
    const defs = portDefinitionPorts(app);
    return defs.length > 0 ? defs : portMappingPorts(app);
  }
  const disc = discoveryPorts(app);
  return disc.length > 0 ? disc : portMappingPorts(app);
}

/** Resolves an agent host name to an IPv4 address, or undefined. */
export type Resolver = (host: string) => string | undefined;

/** The address a task is reached at: its own IP in container mode, else its host resolved. */
export function taskIp(task: MarathonTask, mode: NetworkingMode, resolve: Resolver): string | undefined {
  if (mode === 'container') {
    const ip = task.ipAddresses[0]?.ipAddress;
    return ip ? ip : undefined;
  }
  if (!task.host) return undefined;
  return resolve(task.host) || undefined;
}

/** marathon-lb's get_task_ip_and_ports: both or neither (`mode`: the app's, if already known). */
export function taskIpAndPorts(
  app: MarathonApp, task: MarathonTask, resolve: Resolver, mode: NetworkingMode = networkingMode(app),
): { ip: string; ports: readonly number[] } | undefined {
  const ip = taskIp(task, mode, resolve);
  const ports = appTaskPorts(app, task, mode);
  if (!ip || ports.length === 0) return undefined;
  return { ip, ports };
}

/** First 8 hex digits of a digest as an integer (sha1 by default; replaceable for tests). */
export type PortHash = (text: string) => string;
const sha1hex: PortHash = (text) => createHash('sha1').update(text, 'utf8').digest('hex');

const MAX_CLASHES = 50;

/**
 * Deterministic service ports for IP-per-task apps without any (Marathon issue 3636). One assigner
 * per generation: assignments depend on the order apps are asked in, as in marathon-lb.
 */
export class ServicePortAssigner {
  private readonly byApp = new Map<string, number | undefined>();
  private readonly taken = new Set<number>();
  constructor(private readonly min: number, private readonly max: number, private readonly hash: PortHash = sha1hex) {}

  get enabled(): boolean {
    return this.min > 0 && this.max > 0 && this.max >= this.min;
  }

  private assign(appId: string, taskPort: number): number | undefined {
    const size = this.max - this.min + 1;
    if (size <= this.byApp.size) return undefined;
    for (let i = 0; i < MAX_CLASHES; i++) {
      const h = parseInt(this.hash(`${appId}-${taskPort}-${i}`).slice(0, 8), 16);
      const trial = this.min + (h % size);
      if (!this.taken.has(trial)) return trial;
    }
    for (let p = this.min; p <= this.max; p++) if (!this.taken.has(p)) return p;
    return undefined;
  }

  private servicePort(appId: string, taskPort: number): number | undefined {
    const key = `${appId}\u0000${taskPort}`;
    const port = this.byApp.get(key) || this.assign(appId, taskPort);
    this.byApp.set(key, port);
    if (port !== undefined) this.taken.add(port);
    return port;
  }

  /** Service ports of an app; an entry is undefined when the range is exhausted. */
  servicePorts(app: MarathonApp): (number | undefined)[] {
    const mode = networkingMode(app);
    if (mode === 'container' || mode === 'container/bridge') {
      const sp = appPortMappings(app).flatMap((p) => (p.servicePort === undefined ? [] : [p.servicePort]));
      if (sp.length > 0) return sp;
    }
    const ports: (number | undefined)[] = app.portDefinitions !== undefined ? portDefinitionPorts(app) : [...(app.ports ?? [])];
    const first = app.tasks[0];
    if (ports.length === 0 && mode === 'container' && this.enabled && first) {
      return appTaskPorts(app, first, mode).map((tp) => this.servicePort(app.id, tp));
    }
    return ports;
  }
}
