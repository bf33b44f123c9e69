// Test helpers for the scheduler room's daemon tests: polling waits, JSON HTTP calls, and an operator
// stream subscriber that keeps a Snapshot current with the kernel's v1 event reducer.
import { RecordIoDecoder } from '../../src/kernel/recordio.js';
import { applyEvent } from '../../src/kernel/mesos-events.js';
import { EMPTY_SNAPSHOT, type Snapshot } from '../../src/kernel/snapshot.js';

/** Poll until `check` returns a truthy value (bounded; never a fixed sleep): the shared test helper. */
export { waitFor } from '../../test/helpers/netns.js';

export async function getJson(url: string): Promise<any> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function send(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(url, {
    method, signal: AbortSignal.timeout(5000),
    headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { /* keep text */ }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** A `POST /api/v1 {"type":"SUBSCRIBE"}` client: every event, with arrival times, and the reduced snapshot. */
export class OperatorSubscriber {
  readonly events: Array<{ at: number; event: any }> = [];
  snapshot: Snapshot = EMPTY_SNAPSHOT;
  problems: unknown[] = [];
  contentType = '';
  private readonly abort = new AbortController();

  static async open(master: string): Promise<OperatorSubscriber> {
    const s = new OperatorSubscriber();
    const res = await fetch(`${master}/api/v1`, {
      method: 'POST', signal: s.abort.signal, headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ type: 'SUBSCRIBE' }),
    });
    if (!res.ok || !res.body) throw new Error(`SUBSCRIBE: ${res.status}`);
    s.contentType = res.headers.get('content-type') ?? '';
    void s.read(res.body as unknown as AsyncIterable<Uint8Array>);
    return s;
  }

  private async read(body: AsyncIterable<Uint8Array>): Promise<void> {
    const d = new RecordIoDecoder();
    try {
      for await (const chunk of body) {
        const { records } = d.feed(chunk);
        for (const r of records) {
          const event = JSON.parse(r.toString('utf8'));
          this.events.push({ at: Date.now(), event });
          const applied = applyEvent(this.snapshot, event);
          this.snapshot = applied.snapshot;
          this.problems.push(...applied.problems);
        }
      }
    } catch { /* closed */ }
  }

  types(): string[] { return this.events.map((e) => e.event.type); }
  close(): void { this.abort.abort(); }
}
