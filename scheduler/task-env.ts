// The environment and the network request of a task the agent launches. The framework's
// CommandInfo.environment (Marathon puts PORT0…, PORTS, HOST, MARATHON_APP_ID… there) is overlaid on
// the variables the agent itself provides, as Mesos' command executor does (MESOS_TASK_ID,
// MESOS_SANDBOX, MESOS_FRAMEWORK_ID, MESOS_AGENT_ID, MESOS_CONTAINER_IP). Pure.
import type { V1TaskInfo } from './mesos-types.js';

export interface EnvContext {
  readonly frameworkId: string;
  readonly agentId: string;
  readonly sandbox: string;
  readonly agentEndpoint: string;
  /** The task's own IP when it has a container network. */
  readonly containerIp?: string;
  /** Inherited from the agent process (PATH, LANG…). */
  readonly base: Readonly<Record<string, string | undefined>>;
}

const INHERITED = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

export function taskEnv(task: V1TaskInfo, ctx: EnvContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of INHERITED) { const v = ctx.base[k]; if (v !== undefined) env[k] = v; }
  env['PATH'] ??= '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  Object.assign(env, {
    HOME: ctx.sandbox, MESOS_SANDBOX: ctx.sandbox, MESOS_DIRECTORY: ctx.sandbox,
    MESOS_TASK_ID: task.task_id.value, MESOS_FRAMEWORK_ID: ctx.frameworkId, MESOS_AGENT_ID: ctx.agentId,
    MESOS_SLAVE_ID: ctx.agentId, MESOS_AGENT_ENDPOINT: ctx.agentEndpoint,
  });
  if (ctx.containerIp) env['MESOS_CONTAINER_IP'] = ctx.containerIp;
  for (const v of task.command?.environment?.variables ?? []) {
    if (typeof v?.name === 'string' && v.name !== '') env[v.name] = v.value ?? '';
  }
  return env;
}

/** The command line: a shell string (`shell` true or absent), else value + arguments. */
export function taskArgv(task: V1TaskInfo): { file: string; args: string[] } | undefined {
  const c = task.command;
  if (!c) return undefined;
  if (c.shell === false) {
    if (!c.value) return undefined;
    return { file: c.value, args: (c.arguments ?? []).slice(1) };
  }
  if (!c.value) return undefined;
  return { file: '/bin/sh', args: ['-c', c.value] };
}

/** The container network the task asks for (first named network_info), if any. */
export function requestedNetwork(task: V1TaskInfo): string | undefined {
  const nets = task.container?.network_infos ?? [];
  for (const n of nets) if (typeof n?.name === 'string' && n.name !== '') return n.name;
  return undefined;
}

/** The kill grace period from the task's kill_policy, in seconds. */
export function killGraceSeconds(task: V1TaskInfo, dflt: number): number {
  const ns = task.kill_policy?.grace_period?.nanoseconds;
  return typeof ns === 'number' && ns >= 0 ? ns / 1e9 : dflt;
}
