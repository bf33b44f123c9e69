// The agent's status update manager: updates go to the master in order, one at a time, retried with
// backoff until the master acknowledges (HTTP 2xx). While the agent is not registered the queue waits.
import type { V1TaskStatus } from '../mesos-types.js';

export class StatusSender {
  private readonly queue: V1TaskStatus[] = [];
  private running = false;
  private stopped = false;

  constructor(
    private readonly post: (status: V1TaskStatus) => Promise<void>,
    private readonly ready: () => boolean,
    private readonly log: (msg: string) => void,
  ) {}

  get pending(): number { return this.queue.length; }

  send(status: V1TaskStatus): void {
    this.queue.push(status);
    void this.pump();
  }

  /** Call when the agent (re-)registers, to flush what waited. */
  wake(): void { void this.pump(); }

  stop(): void { this.stopped = true; }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    let delay = 50;
    try {
      while (!this.stopped && this.queue.length) {
        if (!this.ready()) break;
        const s = this.queue[0]!;
        try {
          await this.post(s);
          this.queue.shift();
          delay = 50;
        } catch (e) {
          this.log(`status ${s.state} for ${s.task_id.value} not acknowledged (${e instanceof Error ? e.message : String(e)}); retrying`);
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, 2000);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
