// A client of the Mesos v1 scheduler API (`POST /api/v1/scheduler`): SUBSCRIBE opens a RecordIO
// stream of events (SUBSCRIBED, OFFERS, UPDATE, RESCIND, HEARTBEAT, ERROR); calls are separate POSTs
// carrying the framework id and the Mesos-Stream-Id. Reconnects with backoff, re-subscribing with the
// framework id it got, so a restarted master or a dropped stream costs nothing but a few seconds.
import { RecordIoDecoder } from '../../src/kernel/recordio.js';
import type { V1FrameworkInfo } from '../mesos-types.js';

export interface SchedulerClientOptions {
  readonly master: string;
  readonly info: V1FrameworkInfo;
  readonly onEvent: (event: Record<string, any>) => void;
  /** Called after every (re)subscription with the framework id. */
  readonly onSubscribed?: (frameworkId: string) => void;
  readonly onDisconnected?: (reason: string) => void;
  readonly log?: (msg: string) => void;
}

export class SchedulerClient {
  frameworkId: string | undefined;
  private streamId: string | undefined;
  private abort: AbortController | undefined;
  private stopped = false;
  private connected = false;

  constructor(private readonly opts: SchedulerClientOptions) {
    this.frameworkId = opts.info.id?.value;
  }

  get isConnected(): boolean { return this.connected; }

  start(): void { void this.loop(); }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }

  private async loop(): Promise<void> {
    let delay = 100;
    while (!this.stopped) {
      try {
        await this.runOnce();
        delay = 100;
      } catch (e) {
        if (this.stopped) break;
        this.opts.log?.(`scheduler stream: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (this.connected) { this.connected = false; this.opts.onDisconnected?.('stream ended'); }
      if (this.stopped) break;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2000);
    }
  }

  private async runOnce(): Promise<void> {
    this.abort = new AbortController();
    const info = { ...this.opts.info, ...(this.frameworkId ? { id: { value: this.frameworkId } } : {}) };
    const res = await fetch(`${this.opts.master}/api/v1/scheduler`, {
      method: 'POST', signal: this.abort.signal,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: info }, ...(this.frameworkId ? { framework_id: { value: this.frameworkId } } : {}) }),
    });
    if (!res.ok || !res.body) throw new Error(`SUBSCRIBE: HTTP ${res.status}`);
    this.streamId = res.headers.get('Mesos-Stream-Id') ?? undefined;
    const decoder = new RecordIoDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const { records, error } = decoder.feed(chunk);
      for (const rec of records) {
        const ev = JSON.parse(rec.toString('utf8')) as Record<string, any>;
        if (ev['type'] === 'SUBSCRIBED') {
          this.frameworkId = ev['subscribed']?.['framework_id']?.['value'];
          this.connected = true;
          if (this.frameworkId) this.opts.onSubscribed?.(this.frameworkId);
        }
        try { this.opts.onEvent(ev); } catch (e) { this.opts.log?.(`event handler failed: ${String(e)}`); }
      }
      if (error) throw new Error(error.message);
    }
  }

  /** Send a call (`{type:'ACCEPT', accept:{…}}`); resolves on 202, rejects otherwise. */
  async call(call: Record<string, unknown>): Promise<void> {
    if (!this.frameworkId) throw new Error('not subscribed');
    const res = await fetch(`${this.opts.master}/api/v1/scheduler`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(this.streamId ? { 'Mesos-Stream-Id': this.streamId } : {}) },
      body: JSON.stringify({ framework_id: { value: this.frameworkId }, ...call }),
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    if (res.status !== 202) throw new Error(`${String(call['type'])}: HTTP ${res.status} ${text.slice(0, 200)}`);
  }
}
