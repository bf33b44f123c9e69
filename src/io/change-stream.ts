// Keeps a Snapshot of the Mesos master current and hands each new one to `onSnapshot`.
//  - Stream: `POST <master>/api/v1 {"type":"SUBSCRIBE"}` answers with a RecordIO stream of v1
//    events (SUBSCRIBED first, then TASK_ADDED/…/HEARTBEAT) applied by kernel/mesos-events.ts.
//    After SUBSCRIBED, one `GET_MASTER` call fills in the leader. No bytes for `stallTimeoutMs`
//    (default 3 heartbeat intervals) counts as a dead connection.
//  - Leader following: a 3xx answer is followed to its Location; a connection error, 5xx (503 = not
//    the leader / no leader yet) or a broken stream moves on to the next master URL.
//  - Fallback: when a master does not offer SUBSCRIBE (400/404/405/406/415/501), that master is
//    polled with `GET /master/state` every `pollIntervalMs` (kernel/mesos-state.ts decodes it);
//    after `resubscribeAfterMs` of polling the stream is tried again.
//  - Failures retry with bounded exponential backoff (with jitter); the last good snapshot is
//    kept and no empty snapshot is ever emitted because a master went away.
// Longer than 250 lines: it is one state machine (stream, redirects, poll fallback, backoff) that
// reads best in one place.
import type { Problem } from '../kernel/errors.js';
import { CodedError } from '../kernel/errors.js';
import type { Snapshot } from '../kernel/snapshot.js';
import { EMPTY_SNAPSHOT } from '../kernel/snapshot.js';
import { RecordIoDecoder } from '../kernel/recordio.js';
import { applyEvent, leaderFromGetMaster } from '../kernel/mesos-events.js';
import { decodeMasterState } from '../kernel/mesos-state.js';
import { fetchJson } from './http-json.js';
import { silentLogger, type Logger } from './logger.js';

export interface SnapshotInfo {
  readonly source: 'stream' | 'poll';
  /** Base URL of the master that produced it. */
  readonly master: string;
  /** The v1 event type that caused it (stream only). */
  readonly event?: string;
}

export interface ChangeStreamOptions {
  /** Master base URLs, e.g. "http://198.18.0.10:5050" ("host:port" gets http://). */
  readonly masters: readonly string[];
  readonly onSnapshot: (snapshot: Snapshot, info: SnapshotInfo) => void;
  /** Problems in received data (bad events, malformed state items); the rest was applied. */
  readonly onProblems?: (problems: readonly Problem[], info: SnapshotInfo) => void;
  readonly logger?: Logger;
  /** 'auto' (default): stream, poll where SUBSCRIBE is unavailable. */
  readonly mode?: 'auto' | 'stream' | 'poll';
  readonly pollIntervalMs?: number;
  readonly requestTimeoutMs?: number;
  readonly backoffInitialMs?: number;
  readonly backoffMaxMs?: number;
  readonly stallTimeoutMs?: number;
  readonly resubscribeAfterMs?: number;
  /** Start from this snapshot (e.g. one restored from disk); it is kept until something newer arrives. */
  readonly initial?: Snapshot;
}

export interface ChangeStreamStatus {
  readonly mode: 'connecting' | 'stream' | 'poll' | 'stopped';
  readonly master: string | undefined;
  readonly events: number;
  readonly snapshots: number;
  readonly failures: number;
  readonly lastError: string | undefined;
}

export interface ChangeStream {
  /** The last good snapshot, if any. */
  readonly snapshot: Snapshot | undefined;
  status(): ChangeStreamStatus;
  /** Stop and close the connection; resolves when the loop has ended. */
  stop(): Promise<void>;
}

type Outcome =
  | { kind: 'redirect'; to: string }
  | { kind: 'unavailable'; why: string }
  | { kind: 'failed'; why: string }
  | { kind: 'ended'; why: string; subscribed: boolean }
  | { kind: 'upgrade' }
  | { kind: 'stopped' };

const UNAVAILABLE = new Set([400, 404, 405, 406, 415, 501]);

export function normalizeMasterUrl(text: string): string {
  const t = text.trim().replace(/\/+$/, '');
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `http://${t}`;
}

export function startChangeStream(opts: ChangeStreamOptions): ChangeStream {
  if (opts.masters.length === 0) throw new CodedError('E_CONFIG', 'change stream needs at least one master URL');
  const masters = opts.masters.map(normalizeMasterUrl);
  const log = opts.logger ?? silentLogger;
  const mode = opts.mode ?? 'auto';
  const requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
  const backoffInitialMs = opts.backoffInitialMs ?? 250;
  const backoffMaxMs = opts.backoffMaxMs ?? 15_000;
  const pollIntervalMs = opts.pollIntervalMs ?? 10_000;
  const resubscribeAfterMs = opts.resubscribeAfterMs ?? 300_000;

  let snapshot: Snapshot | undefined = opts.initial;
  let stopped = false;
  let current: AbortController | undefined;
  let wake: (() => void) | undefined;
  const st = { mode: 'connecting' as ChangeStreamStatus['mode'], master: undefined as string | undefined, events: 0, snapshots: 0, failures: 0, lastError: undefined as string | undefined };

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => {
    const timer = setTimeout(() => { wake = undefined; resolve(); }, ms);
    wake = () => { clearTimeout(timer); wake = undefined; resolve(); };
  });

  function emit(next: Snapshot, info: SnapshotInfo): void {
    snapshot = next;
    st.snapshots++;
    try {
      opts.onSnapshot(next, info);
    } catch (e) {
      log.error('onSnapshot failed', { err: e });
    }
  }
  function report(problems: readonly Problem[], info: SnapshotInfo): void {
    if (problems.length === 0) return;
    log.warn('problems in master data', { master: info.master, count: problems.length, first: `${problems[0]?.path}: ${problems[0]?.message}` });
    try {
      opts.onProblems?.(problems, info);
    } catch (e) {
      log.error('onProblems failed', { err: e });
    }
  }

  async function leaderOf(master: string): Promise<ReturnType<typeof leaderFromGetMaster>> {
    const r = await fetchJson(`${master}/api/v1`, { body: { type: 'GET_MASTER' }, timeoutMs: requestTimeoutMs / 2, signal: current?.signal });
    if (!r.ok) log.warn('GET_MASTER failed; leader unknown', { master, err: r.error.message });
    return r.ok ? leaderFromGetMaster(r.value.json) : undefined;
  }

  /** Apply one record; returns whether the stream is now subscribed and, on SUBSCRIBED, the heartbeat interval. */
  async function handleRecord(rec: Buffer, master: string, subscribed: boolean): Promise<{ subscribed: boolean; heartbeatS?: number }> {
    const info: SnapshotInfo = { source: 'stream', master };
    let event: { type?: unknown; subscribed?: { heartbeat_interval_seconds?: unknown } };
    try {
      event = JSON.parse(rec.toString('utf8'));
    } catch (e) {
      report([{ path: 'event', message: `not JSON (${(e as Error).message}); skipped` }], info);
      return { subscribed };
    }
    st.events++;
    const type = typeof event?.type === 'string' ? event.type : '';
    let base = snapshot ?? EMPTY_SNAPSHOT;
    if (type === 'SUBSCRIBED') {
      const leader = await leaderOf(master);
      if (leader) base = { ...base, ...leader };
    } else if (!subscribed) {
      report([{ path: 'event', message: `${type || 'untyped'} event before SUBSCRIBED; skipped` }], info);
      return { subscribed };
    }
    const r = applyEvent(base, event);
    report(r.problems, { ...info, event: type });
    if (r.changed) emit(r.snapshot, { ...info, event: type });
    if (type !== 'SUBSCRIBED') return { subscribed };
    const hb = event.subscribed?.heartbeat_interval_seconds;
    return { subscribed: true, heartbeatS: typeof hb === 'number' && hb > 0 ? hb : 15 };
  }

  async function streamOnce(master: string): Promise<Outcome> {
    const ac = (current = new AbortController());
    let stallMs = opts.stallTimeoutMs ?? requestTimeoutMs;
    let stalled = false;
    let stall: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(stall);
      stall = setTimeout(() => { stalled = true; ac.abort(); }, stallMs);
    };
    let subscribed = false;
    try {
      arm();
      const res = await fetch(`${master}/api/v1`, {
        method: 'POST', redirect: 'manual', signal: ac.signal, body: JSON.stringify({ type: 'SUBSCRIBE' }),
        headers: { 'content-type': 'application/json', accept: 'application/json' },
      });
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel();
        const loc = res.headers.get('location');
        if (!loc) return { kind: 'failed', why: `HTTP ${res.status} without Location` };
        return { kind: 'redirect', to: new URL(loc, `${master}/api/v1`).origin };
      }
      if (res.status !== 200 || !res.body) {
        const text = (await res.text().catch(() => '')).trim().slice(0, 200);
        const why = `SUBSCRIBE answered HTTP ${res.status}${text ? `: ${text}` : ''}`;
        return UNAVAILABLE.has(res.status) ? { kind: 'unavailable', why } : { kind: 'failed', why };
      }
      st.mode = 'stream';
      st.master = master;
      const decoder = new RecordIoDecoder();
      for await (const chunk of res.body) {
        arm();
        const fed = decoder.feed(chunk);
        for (const rec of fed.records) {
          const h = await handleRecord(rec, master, subscribed);
          subscribed = h.subscribed;
          if (h.heartbeatS !== undefined) {
            stallMs = opts.stallTimeoutMs ?? Math.max(3000, 3 * 1000 * h.heartbeatS);
            arm();
            log.info('subscribed to master', { master, stallMs });
          }
        }
        if (fed.error) return { kind: 'ended', why: fed.error.message, subscribed };
      }
      return { kind: 'ended', why: 'stream closed by the master', subscribed };
    } catch (e) {
      if (stopped) return { kind: 'stopped' };
      const why = stalled ? `no data for ${stallMs} ms` : `${(e as Error).message}${(e as { cause?: Error }).cause ? ` (${(e as { cause: Error }).cause.message})` : ''}`;
      return subscribed ? { kind: 'ended', why, subscribed } : { kind: 'failed', why };
    } finally {
      clearTimeout(stall);
      ac.abort();
    }
  }

  async function pollLoop(master: string): Promise<Outcome> {
    const started = Date.now();
    let lastProblems = '';
    for (;;) {
      current = new AbortController();
      const r = await fetchJson(`${master}/master/state`, { timeoutMs: requestTimeoutMs, signal: current.signal });
      if (stopped) return { kind: 'stopped' };
      if (!r.ok) return { kind: 'failed', why: r.error.message };
      const json = r.value.json;
      if (typeof json !== 'object' || json === null || Array.isArray(json)) return { kind: 'failed', why: 'master state is not a JSON object' };
      const d = decodeMasterState(json);
      st.mode = 'poll';
      st.master = master;
      const info: SnapshotInfo = { source: 'poll', master };
      const problemsKey = JSON.stringify(d.problems);
      if (problemsKey !== lastProblems) report(d.problems, info);
      lastProblems = problemsKey;
      if (JSON.stringify(d.snapshot) !== JSON.stringify(snapshot)) emit(d.snapshot, info);
      delay = backoffInitialMs;
      await sleep(pollIntervalMs);
      if (stopped) return { kind: 'stopped' };
      if (mode === 'auto' && Date.now() - started >= resubscribeAfterMs) return { kind: 'upgrade' };
    }
  }

  let delay = backoffInitialMs;
  const pollOnly = new Set<string>();

  async function run(): Promise<void> {
    let idx = 0;
    let target = masters[0] as string;
    let redirects = 0;
    while (!stopped) {
      const usePoll = mode === 'poll' || pollOnly.has(target);
      const out = usePoll ? await pollLoop(target) : await streamOnce(target);
      if (stopped || out.kind === 'stopped') break;
      if (out.kind === 'redirect' && redirects < 5) {
        redirects++;
        log.info('following master redirect', { from: target, to: out.to });
        target = out.to;
        continue;
      }
      redirects = 0;
      if (out.kind === 'upgrade') {
        pollOnly.delete(target);
        continue;
      }
      if (out.kind === 'unavailable' && mode === 'auto') {
        log.info('SUBSCRIBE unavailable; polling /master/state', { master: target, why: out.why });
        pollOnly.add(target);
        continue;
      }
      const why = out.kind === 'redirect' ? 'too many redirects' : out.why;
      st.lastError = `${target}: ${why}`;
      st.mode = 'connecting';
      if (out.kind === 'ended' && out.subscribed) {
        delay = backoffInitialMs; // it was the leader a moment ago: retry it first
        log.warn('change stream ended; reconnecting', { master: target, why });
      } else {
        st.failures++;
        idx = (idx + 1) % masters.length;
        log.warn('master unavailable; trying the next one', { master: target, why, next: masters[idx], inMs: delay });
        target = masters[idx] as string;
      }
      await sleep(delay * (1 + Math.random() * 0.2));
      delay = Math.min(delay * 2, backoffMaxMs);
    }
    st.mode = 'stopped';
  }

  const loop = run().catch((e) => log.error('change stream loop crashed', { err: e }));
  return {
    get snapshot() {
      return snapshot;
    },
    status: () => ({ ...st }),
    async stop() {
      stopped = true;
      current?.abort();
      wake?.();
      await loop;
    },
  };
}
