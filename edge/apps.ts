// Marathon apps → services, marathon-lb's get_apps(): deployment groups merged, marathon-lb itself
// ($FRAMEWORK_NAME) skipped, one service per service port with its labels applied and its health
// check picked, then every routable task added as a backend of each service port it serves.
// Tasks are routable unless their host is empty, their state is one of the excluded states, (with
// --health-check) no health result says alive, or no address/ports are known. Only services with a
// backend are returned. A port whose labels cannot be parsed is skipped with a reason; the rest of
// the app is kept. Pure: DNS and the previous health verdicts are arguments.
import type { MarathonApp, MarathonHealthCheck } from '../src/kernel/marathon.js';
import { mergeDeploymentGroups } from './deployment.js';
import { networkingMode, ServicePortAssigner, taskIpAndPorts, type PortHash, type Resolver } from './networking.js';
import { applyLabels, newService, protocolOf, type Service } from './service.js';

/** States whose tasks never receive traffic (RUNNING, LOST and UNREACHABLE do). */
export const EXCLUDED_TASK_STATES: ReadonlySet<string> = new Set([
  'TASK_STAGING', 'TASK_STARTING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR',
  'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN',
]);

export interface BuildOptions {
  readonly strictMode: boolean;
  /** --health-check: route only tasks Marathon reports alive. */
  readonly healthCheck: boolean;
  /** $FRAMEWORK_NAME: the app `/<name>` (marathon-lb itself) is not balanced. */
  readonly frameworkName?: string | undefined;
  readonly minServicePort: number;
  readonly maxServicePort: number;
  readonly resolve: Resolver;
  /** Last health verdict per task id, used when a task arrives without healthCheckResults. */
  readonly healthMemory?: ReadonlyMap<string, boolean>;
  readonly portHash?: PortHash;
  /** App ids to leave out (e.g. HAProxy rejected what they generate), with the reason to report. */
  readonly exclude?: ReadonlyMap<string, string>;
}

export interface Skipped {
  readonly appId: string;
  readonly servicePort?: number | undefined;
  readonly reason: string;
}

export interface BuildResult {
  readonly services: Service[];
  readonly skipped: Skipped[];
  /** Health verdicts seen in this round (task id → alive), to feed the next round's healthMemory. */
  readonly health: Map<string, boolean>;
}

/** marathon-lb's get_health_check: the first check with a port (any index), else the first for this index. */
export function healthCheckFor(checks: readonly MarathonHealthCheck[], portIndex: number): MarathonHealthCheck | undefined {
  for (const c of checks) {
    if (c.port) return c;
    if (c.portIndex === portIndex) return c;
  }
  return undefined;
}

const HTTPISH = new Set(['HTTP', 'HTTPS', 'MESOS_HTTP', 'MESOS_HTTPS']);

export function buildServices(apps: readonly MarathonApp[], opts: BuildOptions): BuildResult {
  const merged = mergeDeploymentGroups(apps);
  const skipped: Skipped[] = [...merged.skipped];
  const health = new Map<string, boolean>();
  const assigner = new ServicePortAssigner(opts.minServicePort, opts.maxServicePort, opts.portHash);
  const out: Service[] = [];

  for (const lb of merged.apps) {
    const app = lb.app;
    if (opts.frameworkName !== undefined && lb.id.slice(1) === opts.frameworkName) continue;
    const excluded = opts.exclude?.get(lb.id);
    if (excluded !== undefined) { skipped.push({ appId: lb.id, reason: excluded }); continue; }
    const groups = app.labels.HAPROXY_GROUP !== undefined ? app.labels.HAPROXY_GROUP.split(',') : [];
    const servicePorts = assigner.servicePorts(app);
    // Keyed by the service port Marathon gave (before HAPROXY_{n}_PORT); a repeated port keeps
    // its first position and the last definition, as a Python dict does.
    const byPort = new Map<number, Service>();
    servicePorts.forEach((sp, i) => {
      if (sp === undefined) {
        skipped.push({ appId: lb.id, reason: `service port ${i}: no service port could be assigned (range exhausted)` });
        return;
      }
      const s = newService(lb.id, sp, healthCheckFor(app.healthChecks, i), opts.strictMode);
      const problems = applyLabels(s, app.labels, i);
      if (problems.length > 0) {
        skipped.push({ appId: lb.id, servicePort: sp, reason: problems.join('; ') });
        byPort.delete(sp);
        return;
      }
      if (s.healthCheck === undefined && s.healthcheckPortIndex !== undefined) {
        s.healthCheck = healthCheckFor(app.healthChecks, s.healthcheckPortIndex);
        if (s.healthCheck && HTTPISH.has(protocolOf(s.healthCheck))) s.mode = 'http';
      }
      byPort.set(sp, s);
    });

    const checked = opts.healthCheck && app.healthChecks.length > 0;
    const mode = networkingMode(app);
    for (const task of lb.tasks) {
      if (!task.host) continue;
      // (TASK_RUNNING first: a string compare is cheaper than hashing every task's state string)
      if (task.state !== undefined && task.state !== 'TASK_RUNNING' && EXCLUDED_TASK_STATES.has(task.state)) continue;
      if (checked) {
        if (task.healthCheckResults === undefined) {
          if (!opts.healthMemory?.get(task.id)) continue;
        } else {
          const alive = task.healthCheckResults.some((r) => r.alive);
          health.set(task.id, alive);
          if (!alive) continue;
        }
      }
      const addr = taskIpAndPorts(app, task, opts.resolve, mode);
      if (!addr) continue;
      const n = Math.min(addr.ports.length, servicePorts.length);
      for (let i = 0; i < n; i++) {
        const sp = servicePorts[i];
        const s = sp === undefined ? undefined : byPort.get(sp);
        if (!s) continue;
        s.groups = groups;
        s.backends.push({ host: task.host, ip: addr.ip, port: addr.ports[i]!, draining: lb.draining.has(task) });
      }
    }
    for (const s of byPort.values()) if (s.backends.length > 0) out.push(s);
  }
  return { services: out, skipped, health };
}
