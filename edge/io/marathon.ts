// Marathon client for the edge daemon: `GET /v2/apps?embed=apps.tasks` trying each --marathon URL
// in order and sticking to the last one that answered (as marathon-lb does), and the `/v2/events`
// SSE stream (Accept: text/event-stream, redirects followed, CRLF or LF framing, heartbeats),
// reconnected with jittered exponential backoff. A stream silent for `stallMs` counts as dead.
import { decodeMarathonApps, dropNulls, parseMarathonEvent, type DecodedApps, type MarathonEvent } from '../../src/kernel/marathon.js';
import type { Logger } from '../../src/io/logger.js';
import { EdgeError } from '../errors.js';

export interface MarathonClientOptions {
  readonly urls: readonly string[];
  /** 'user:password' for HTTP basic auth. */
  readonly auth?: string | undefined;
  readonly timeoutMs?: number;
  readonly log: Logger;
}

/** The events after which marathon-lb regenerates (it subscribes to exactly these). */
export const RELEVANT_EVENTS: readonly string[] = ['api_post_event', 'health_status_changed_event', 'status_update_event'];

export class MarathonClient {
  private urls: string[];
  constructor(private readonly opts: MarathonClientOptions) {
    this.urls = [...opts.urls];
  }

  private headers(accept: string): Record<string, string> {
    const h: Record<string, string> = { Accept: accept, 'User-Agent': 'mesonet-edge' };
    if (this.opts.auth) h.Authorization = `Basic ${Buffer.from(this.opts.auth).toString('base64')}`;
    return h;
  }

  /** Current base URL (the one that last answered). */
  get current(): string {
    return this.urls[0]!;
  }

  async apps(): Promise<DecodedApps> {
    const errors: string[] = [];
    for (let i = 0; i < this.urls.length; i++) {
      const base = this.urls[i]!;
      try {
        const res = await fetch(`${base}/v2/apps?embed=apps.tasks`, {
          headers: { ...this.headers('application/json'), 'Content-Type': 'application/json' },
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 46_000),
        });
        if (!res.ok) { errors.push(`${base}: HTTP ${res.status}`); continue; }
        const body = dropNulls(await res.json());
        if (i !== 0) this.urls = [...this.urls.slice(i), ...this.urls.slice(0, i)];
        return decodeMarathonApps(body);
      } catch (e) {
        errors.push(`${base}: ${(e as Error).message}`);
      }
    }
    throw new EdgeError('E_MARATHON', `no Marathon answered: ${errors.join('; ')}`);
  }

  /**
   * Follow /v2/events until `signal` aborts: `onEvent` for every event, `onConnect` after each
   * (re)connection. Returns only when aborted.
   */
  async follow(onEvent: (e: MarathonEvent) => void, onConnect: () => void, signal: AbortSignal,
    backoff: { initialMs: number; maxMs: number; stallMs: number; random?: () => number }): Promise<void> {
    let wait = backoff.initialMs;
    let idx = 0;
    while (!signal.aborted) {
      const base = this.urls[idx % this.urls.length]!;
      idx++;
      const started = Date.now();
      try {
        await this.stream(base, onEvent, onConnect, signal, backoff.stallMs);
      } catch (e) {
        if (signal.aborted) return;
        this.opts.log.warn('event stream broke', { marathon: base, err: (e as Error).message });
      }
      if (signal.aborted) return;
      if (Date.now() - started > 600_000) wait = backoff.initialMs;
      const delay = (backoff.random ?? Math.random)() * wait;
      wait = Math.min(wait * 1.5, backoff.maxMs);
      await new Promise<void>((r) => { const tm = setTimeout(r, delay); signal.addEventListener('abort', () => { clearTimeout(tm); r(); }, { once: true }); });
    }
  }

  private async stream(base: string, onEvent: (e: MarathonEvent) => void, onConnect: () => void, outer: AbortSignal, stallMs: number): Promise<void> {
    const ctl = new AbortController();
    const abort = (): void => ctl.abort();
    outer.addEventListener('abort', abort, { once: true });
    let stall: NodeJS.Timeout | undefined;
    const arm = (): void => { clearTimeout(stall); stall = setTimeout(() => ctl.abort(new Error(`no data for ${stallMs} ms`)), stallMs); };
    try {
      const q = RELEVANT_EVENTS.map((e) => `event_type=${e}`).join('&');
      arm();
      const res = await fetch(`${base}/v2/events?plan-format=light&${q}`, { headers: this.headers('text/event-stream'), signal: ctl.signal, redirect: 'follow' });
      if (!res.ok || !res.body) throw new EdgeError('E_MARATHON', `${base}/v2/events: HTTP ${res.status}`);
      onConnect();
      const decoder = new TextDecoder();
      let buf = '';
      let data: string[] = [];
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        arm();
        buf += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).replace(/\r$/, '');
          buf = buf.slice(nl + 1);
          if (line === '') {
            if (data.length > 0) this.dispatch(data.join('\n'), onEvent);
            data = [];
          } else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
      }
      throw new Error('stream ended');
    } finally {
      clearTimeout(stall);
      outer.removeEventListener('abort', abort);
    }
  }

  private dispatch(payload: string, onEvent: (e: MarathonEvent) => void): void {
    // Marathon sometimes packs several JSON documents into one data field, separated by CRLF.
    for (const part of payload.split(/\r?\n/)) {
      if (!part.trim()) continue;
      const e = parseMarathonEvent(part);
      if (e.ok) onEvent(e.value);
      else this.opts.log.warn('unreadable event', { problem: e.error.message });
    }
  }
}
