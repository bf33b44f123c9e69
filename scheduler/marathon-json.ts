// Marathon's JSON: tasks as `/v2/tasks` and `embed=apps.tasks` show them (core.md §2.3; what
// marathon-lb reads), AppInfo with counts and deployments, deployments, and the `/v2/events` payloads
// (core.md §2.6). Times are ISO strings; the caller passes them in. Pure.
import type { App } from './marathon-app.js';

export interface MTask {
  id: string; appId: string; agentId: string; host: string; state: string;
  stagedAt: string; startedAt?: string; version: string;
  /** The app's versionInfo.lastConfigChangeAt at launch: tasks of an older config are replaced. */
  configVersion: string;
  ports: number[]; servicePorts: number[];
  ipAddresses: Array<{ ipAddress: string; protocol: 'IPv4' | 'IPv6' }>;
  role: string;
  /** Health from the agent's health check: undefined until the first result. */
  healthy?: boolean;
  firstSuccess?: string; lastSuccess?: string; lastFailure?: string; consecutiveFailures: number;
  /** Why Marathon asked for a kill (scale-down tasks are not replaced). */
  killReason?: 'scale' | 'restart' | 'unhealthy' | 'delete' | 'upgrade' | 'replace';
  message?: string;
}

export interface Deployment {
  id: string; version: string; appId: string;
  action: 'StartApplication' | 'ScaleApplication' | 'RestartApplication' | 'StopApplication';
}

export const ACTIVE_MARATHON_STATES: ReadonlySet<string> = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING']);
export const instanceId = (taskId: string): string => taskId.replace(/\._app\.\d+$/, '');

export function taskJson(t: MTask, app: App | undefined): Record<string, unknown> {
  const active = ACTIVE_MARATHON_STATES.has(t.state) || t.state === 'TASK_UNREACHABLE';
  const out: Record<string, unknown> = {
    id: t.id, appId: t.appId, host: t.host, slaveId: t.agentId, state: t.state, stagedAt: t.stagedAt,
    ...(t.startedAt && active ? { startedAt: t.startedAt } : {}), version: t.version,
    ports: active ? t.ports : [], servicePorts: t.servicePorts, ipAddresses: t.ipAddresses, localVolumes: [], role: t.role,
  };
  if (app && app.healthChecks.length && t.healthy !== undefined) {
    out['healthCheckResults'] = [{
      alive: t.healthy, consecutiveFailures: t.consecutiveFailures, firstSuccess: t.firstSuccess ?? null, lastSuccess: t.lastSuccess ?? null,
      lastFailure: t.lastFailure ?? null, lastFailureCause: t.healthy ? null : t.message ?? null, instanceId: instanceId(t.id),
    }];
  }
  return out;
}

export function deploymentJson(d: Deployment): Record<string, unknown> {
  const actions = [{ action: d.action, app: d.appId }];
  return {
    id: d.id, version: d.version, affectedApps: [d.appId], affectedPods: [], steps: [{ actions }],
    currentActions: actions.map((a) => ({ ...a, readinessCheckResults: [] })), currentStep: 1, totalSteps: 1,
  };
}

export const planJson = (d: Deployment): Record<string, unknown> => ({ id: d.id, steps: [{ actions: [{ action: d.action, app: d.appId }] }], version: d.version });

export interface AppCounts { tasksStaged: number; tasksRunning: number; tasksHealthy: number; tasksUnhealthy: number }

export function appCounts(app: App, tasks: readonly MTask[]): AppCounts {
  const c = { tasksStaged: 0, tasksRunning: 0, tasksHealthy: 0, tasksUnhealthy: 0 };
  for (const t of tasks) {
    if (t.state === 'TASK_STAGING' || t.state === 'TASK_STARTING') c.tasksStaged++;
    if (t.state === 'TASK_RUNNING') c.tasksRunning++;
    if (app.healthChecks.length && t.state === 'TASK_RUNNING' && t.healthy === true) c.tasksHealthy++;
    if (app.healthChecks.length && t.state === 'TASK_RUNNING' && t.healthy === false) c.tasksUnhealthy++;
  }
  return c;
}

export function appJson(app: App, tasks: readonly MTask[], deployments: readonly Deployment[], opts: { embedTasks: boolean; lastTaskFailure?: Record<string, unknown> }): Record<string, unknown> {
  return {
    ...app, ...appCounts(app, tasks),
    deployments: deployments.filter((d) => d.appId === app.id).map((d) => ({ id: d.id })),
    ...(opts.embedTasks ? { tasks: tasks.map((t) => taskJson(t, app)) } : {}),
    ...(opts.lastTaskFailure ? { lastTaskFailure: opts.lastTaskFailure } : {}),
  };
}

// ---- /v2/events payloads ----
export const event = (eventType: string, timestamp: string, fields: Record<string, unknown>): Record<string, unknown> => ({ ...fields, eventType, timestamp });

export function statusUpdateEvent(t: MTask, message: string, timestamp: string): Record<string, unknown> {
  return event('status_update_event', timestamp, {
    slaveId: t.agentId, taskId: t.id, taskStatus: t.state, message, appId: t.appId, host: t.host,
    ipAddresses: t.ipAddresses, ports: t.ports, version: t.version,
  });
}
