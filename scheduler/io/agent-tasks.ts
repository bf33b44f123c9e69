// The agent's tasks: launch (sandbox, optional netns + CNI ADD, process), status reporting
// (STARTING → RUNNING → FINISHED/FAILED/KILLED), kill by process group with a grace period, and
// cleanup (CNI DEL, netns removal). Each running task is checkpointed under <work-dir>/tasks so an
// agent that restarts can clean up what a previous run left behind.
import { randomUUID } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentConfig } from '../config.js';
import type { V1NetworkInfo, V1TaskInfo, V1TaskStatus } from '../mesos-types.js';
import { killGraceSeconds, requestedNetwork, taskArgv, taskEnv } from '../task-env.js';
import { attach, detach, deleteNetns, loadNetwork, type CniAttachment } from './cni-exec.js';
import { TaskProcess, exitMessage, signalGroup } from './task-runner.js';
import { writeFileAtomic } from './atomic.js';
import { HealthChecker } from './health.js';

export interface AgentTask {
  readonly frameworkId: string;
  readonly info: V1TaskInfo;
  readonly containerId: string;
  readonly sandbox: string;
  state: string;
  last: V1TaskStatus | undefined;
  proc?: TaskProcess;
  cni?: CniAttachment;
  killRequested: boolean;
  healthy?: boolean;
  health?: HealthChecker;
}

export interface TaskHost {
  readonly config: AgentConfig;
  agentId(): string;
  /** Queue a status for the master. */
  report(status: V1TaskStatus): void;
  log(msg: string): void;
}

const TERMINAL = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE']);

export class AgentTasks {
  readonly tasks = new Map<string, AgentTask>();
  private readonly checkpoints: string;

  constructor(private readonly host: TaskHost) {
    this.checkpoints = join(host.config.workDir, 'tasks');
  }

  list(): AgentTask[] { return [...this.tasks.values()]; }

  /** Forget a task once its terminal status was acknowledged. */
  forget(taskId: string): void {
    const t = this.tasks.get(taskId);
    if (t && TERMINAL.has(t.state)) this.tasks.delete(taskId);
  }

  private networkInfos(t: AgentTask): V1NetworkInfo[] {
    if (t.cni) {
      const requested = t.info.container?.network_infos?.find((n) => n.name === t.cni!.network.name) ?? { name: t.cni.network.name };
      return [{ ...requested, ip_addresses: t.cni.ips.map((ip) => ({ protocol: ip.includes(':') ? 'IPv6' as const : 'IPv4' as const, ip_address: ip })) }];
    }
    return [{ ip_addresses: [{ protocol: 'IPv4', ip_address: this.host.config.ip }] }];
  }

  update(t: AgentTask, state: string, message?: string, reason?: string): void {
    if (TERMINAL.has(t.state)) return;
    t.state = state;
    const status: V1TaskStatus = {
      task_id: { value: t.info.task_id.value }, agent_id: { value: this.host.agentId() }, state, timestamp: Date.now() / 1000,
      source: 'SOURCE_EXECUTOR', uuid: randomUUID(), ...(message ? { message } : {}), ...(reason ? { reason } : {}),
      ...(t.healthy !== undefined && state === 'TASK_RUNNING' ? { healthy: t.healthy } : {}),
      container_status: { container_id: { value: t.containerId }, network_infos: this.networkInfos(t), ...(t.proc?.pid ? { executor_pid: t.proc.pid } : {}) },
    };
    t.last = status;
    this.host.report(status);
  }

  async launch(frameworkId: string, info: V1TaskInfo): Promise<void> {
    const id = info.task_id.value;
    if (this.tasks.has(id)) return;
    const containerId = `mnc-${randomUUID().slice(0, 12)}`;
    const t: AgentTask = { frameworkId, info, containerId, sandbox: join(this.host.config.workDir, 'sandboxes', safe(id), containerId), state: 'TASK_STAGING', last: undefined, killRequested: false };
    this.tasks.set(id, t);
    this.update(t, 'TASK_STARTING');
    try {
      const argv = taskArgv(info);
      if (!argv) throw new Error('task has no command');
      const net = requestedNetwork(info);
      if (net) {
        const netns = `${this.host.config.netnsPrefix}${containerId.slice(4)}`;
        await this.checkpoint(t, { netns, network: net });
        t.cni = await attach({ confDir: this.host.config.cniConfDir, pluginDir: this.host.config.cniPluginDir }, net, netns, containerId);
        await this.checkpoint(t, { netns, network: net, result: t.cni.result?.raw });
      }
      if (t.killRequested) throw Object.assign(new Error('killed before start'), { killed: true });
      const env = taskEnv(info, {
        frameworkId, agentId: this.host.agentId(), sandbox: t.sandbox, agentEndpoint: `${this.host.config.ip}:${this.host.config.port}`,
        ...(t.cni?.ips[0] ? { containerIp: t.cni.ips[0] } : {}), base: process.env,
      });
      t.proc = new TaskProcess({ ...argv, env, sandbox: t.sandbox, ...(t.cni ? { netns: t.cni.netns } : {}) });
      const pid = await t.proc.start();
      await this.checkpoint(t, { pid, ...(t.cni ? { netns: t.cni.netns, network: t.cni.network.name, result: t.cni.result?.raw } : {}) });
      void t.proc.exited.then((exit) => this.finish(t, exit.killed || t.killRequested ? 'TASK_KILLED' : exit.code === 0 ? 'TASK_FINISHED' : 'TASK_FAILED', exitMessage(exit)));
      this.update(t, 'TASK_RUNNING');
      if (info.health_check) {
        t.health = new HealthChecker(info.health_check, t.cni?.ips[0] ?? this.host.config.ip, t.cni?.netns, env, (healthy) => {
          t.healthy = healthy;
          if (t.state === 'TASK_RUNNING') this.update(t, 'TASK_RUNNING', healthy ? 'healthy' : 'health check failed', 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');
        });
        t.health.start();
      }
      if (t.killRequested) t.proc.kill(killGraceSeconds(info, this.host.config.killGraceSeconds));
    } catch (e) {
      const killed = (e as { killed?: boolean }).killed === true;
      this.host.log(`task ${id}: ${killed ? 'killed before it started' : `launch failed: ${e instanceof Error ? e.message : String(e)}`}`);
      await this.finish(t, killed ? 'TASK_KILLED' : 'TASK_FAILED', killed ? 'Killed before start' : `Launch failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  kill(taskId: string): boolean {
    const t = this.tasks.get(taskId);
    if (!t) return false;
    t.killRequested = true;
    if (t.proc) t.proc.kill(killGraceSeconds(t.info, this.host.config.killGraceSeconds));
    return true;
  }

  private async finish(t: AgentTask, state: string, message: string): Promise<void> {
    t.health?.stop();
    if (t.cni) {
      try { await detach({ confDir: this.host.config.cniConfDir, pluginDir: this.host.config.cniPluginDir }, t.cni); } catch (e) { this.host.log(`task ${t.info.task_id.value}: CNI DEL: ${String(e)}`); }
    }
    await rm(join(this.checkpoints, `${safe(t.info.task_id.value)}.json`), { force: true });
    this.update(t, state, message);
  }

  private checkpoint(t: AgentTask, data: Record<string, unknown>): Promise<void> {
    return writeFileAtomic(join(this.checkpoints, `${safe(t.info.task_id.value)}.json`), JSON.stringify({ containerId: t.containerId, ...data }));
  }

  /** At start: kill processes and remove namespaces left by a previous run of this agent. */
  async cleanupOrphans(): Promise<number> {
    let names: string[] = [];
    try { names = await readdir(this.checkpoints); } catch { return 0; }
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      try {
        const c = JSON.parse(await readFile(join(this.checkpoints, n), 'utf8')) as Record<string, any>;
        if (typeof c['pid'] === 'number') signalGroup(c['pid'], 'SIGKILL');
        if (typeof c['netns'] === 'string') {
          const a = { network: { name: c['network'], cniVersion: '1.0.0', plugins: [], file: '' }, netns: c['netns'], containerId: c['containerId'], ifName: 'eth0', result: undefined, ips: [] };
          try {
            await detach({ confDir: this.host.config.cniConfDir, pluginDir: this.host.config.cniPluginDir }, { ...a, network: await loadNetwork(this.host.config.cniConfDir, c['network']), result: c['result'] ? { cniVersion: '', ips: [], raw: c['result'] } : undefined });
          } catch { await deleteNetns(c['netns']); }
        }
      } catch (e) { this.host.log(`orphan cleanup ${n}: ${String(e)}`); }
      await rm(join(this.checkpoints, n), { force: true });
    }
    return names.length;
  }
}

const safe = (id: string): string => id.replace(/[^A-Za-z0-9_.-]/g, '_');
