// The lab's sample app and the Marathon calls that deploy and inspect it.
import { resolve } from 'node:path';
import { repoRoot } from './common.js';
import type { LabPlan } from './plan.js';
import { nsJson, nsFetch } from './nsfetch.js';
import { url } from './daemons.js';

export interface MarathonTask {
  readonly id: string;
  readonly host: string;
  readonly state?: string;
  readonly ports?: number[];
  readonly servicePorts?: number[];
  readonly ipAddresses?: { ipAddress: string; protocol?: string }[];
  readonly slaveId?: string;
}

export interface MarathonApp {
  readonly id: string;
  readonly instances: number;
  readonly tasks?: MarathonTask[];
  readonly tasksRunning?: number;
  readonly portDefinitions?: { port: number }[];
  readonly container?: { portMappings?: { servicePort?: number; containerPort?: number }[] };
  readonly labels?: Record<string, string>;
}

export const VHOST = 'web.lab.mesonet';

/** 3 instances spread over the private agents (GROUP_BY with their count, as Marathon users write it). */
export function sampleApp(agents: number): Record<string, unknown> {
  return {
    id: '/web',
    instances: 3,
    cpus: 0.1,
    mem: 64,
    cmd: `${process.execPath} ${resolve(repoRoot, 'dist/src/cmd/lab/sample-server.js')}`,
    networks: [{ mode: 'container', name: 'dcos' }],
    container: {
      type: 'MESOS',
      portMappings: [{ containerPort: 80, name: 'http', protocol: 'tcp', labels: { VIP_0: '/web:80' } }],
    },
    labels: { HAPROXY_GROUP: 'external', HAPROXY_0_VHOST: VHOST },
    constraints: [['hostname', 'GROUP_BY', String(agents)]],
  };
}

const marathon = (plan: LabPlan, path: string) => url(plan.master.ip, plan.ports.marathon, path);

export async function deploy(plan: LabPlan, app: Record<string, unknown>): Promise<string | undefined> {
  const r = await nsFetch(plan.master.ns, marathon(plan, '/v2/apps'), { method: 'POST', body: app, timeoutMs: 5000 });
  return r.status >= 200 && r.status < 300 ? undefined : `POST /v2/apps answered ${r.status}: ${r.body.slice(0, 300)}`;
}

export async function getApp(plan: LabPlan, id: string): Promise<MarathonApp | undefined> {
  const body = await nsJson<{ app: MarathonApp }>(plan.master.ns, marathon(plan, `/v2/apps${id}?embed=apps.tasks`));
  return body?.app;
}

export async function runningTasks(plan: LabPlan, id: string): Promise<MarathonTask[]> {
  const app = await getApp(plan, id);
  return (app?.tasks ?? []).filter((t) => (t.state ?? 'TASK_RUNNING') === 'TASK_RUNNING');
}

export async function killTask(plan: LabPlan, appId: string, taskId: string): Promise<boolean> {
  const r = await nsFetch(plan.master.ns, marathon(plan, `/v2/apps${appId}/tasks/${encodeURIComponent(taskId)}?scale=false`), { method: 'DELETE' });
  return r.status >= 200 && r.status < 300;
}

/** The task's overlay address (its first IP address), else its host. */
export const taskIp = (t: MarathonTask): string => t.ipAddresses?.[0]?.ipAddress ?? t.host;

export function servicePort(app: MarathonApp): number | undefined {
  return app.container?.portMappings?.[0]?.servicePort ?? app.portDefinitions?.[0]?.port;
}
