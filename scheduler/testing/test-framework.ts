// A minimal scheduler for daemon tests: launches queued tasks, one per offer, sized to fit, and
// records every status update. Uses the real v1 scheduler API client.
import { SchedulerClient } from '../io/scheduler-client.js';
import type { V1TaskInfo, V1TaskStatus } from '../mesos-types.js';

export type TaskSpec = Omit<V1TaskInfo, 'agent_id' | 'resources'> & { resources?: V1TaskInfo['resources'] };

export class TestFramework {
  readonly updates: V1TaskStatus[] = [];
  readonly queue: TaskSpec[] = [];
  readonly client: SchedulerClient;

  constructor(master: string, name = 'testfw', id?: string) {
    this.client = new SchedulerClient({
      master, info: { name, user: 'root', role: '*', failover_timeout: 3600, hostname: 'test', ...(id ? { id: { value: id } } : {}) },
      onEvent: (e) => this.onEvent(e),
    });
    this.client.start();
  }

  launch(spec: TaskSpec): void { this.queue.push(spec); void this.client.call({ type: 'REVIVE' }).catch(() => undefined); }

  private onEvent(e: Record<string, any>): void {
    if (e['type'] === 'UPDATE') this.updates.push(e['update']['status']);
    if (e['type'] !== 'OFFERS') return;
    for (const o of e['offers']['offers']) {
      const spec = this.queue.shift();
      const ops = spec ? [{ type: 'LAUNCH', launch: { task_infos: [{
        resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }],
        ...spec, agent_id: o.agent_id,
      }] } }] : [];
      void this.client.call({ type: 'ACCEPT', accept: { offer_ids: [o.id], operations: ops, filters: { refuse_seconds: 0.05 } } }).catch(() => undefined);
    }
  }

  statesOf(taskId: string): string[] { return this.updates.filter((u) => u.task_id.value === taskId).map((u) => u.state); }
  last(taskId: string): V1TaskStatus | undefined { return [...this.updates].reverse().find((u) => u.task_id.value === taskId); }
  kill(taskId: string): Promise<void> { return this.client.call({ type: 'KILL', kill: { task_id: { value: taskId } } }); }
  stop(): void { this.client.stop(); }
}
