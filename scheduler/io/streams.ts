// Long-lived streaming responses on fastify: RecordIO over chunked HTTP (Mesos v1 SUBSCRIBE) and
// server-sent events (Marathon /v2/events). The reply is hijacked; heartbeats run on a timer; the
// stream ends when the client goes away or close() is called.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordIoFrame, sseFrame, SSE_HEARTBEAT } from '../framing.js';

export interface Stream {
  send(event: Record<string, unknown>): void;
  close(): void;
  readonly closed: boolean;
}

/** Start a RecordIO JSON stream; `heartbeat` is sent every `heartbeatMs`. */
export function openRecordIoStream(req: FastifyRequest, reply: FastifyReply, opts: {
  heartbeatMs: number; heartbeat: Record<string, unknown>; headers?: Record<string, string>; onClose: () => void;
}): Stream {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', ...(opts.headers ?? {}) });
  res.flushHeaders();
  req.raw.socket.setNoDelay(true);
  let closed = false;
  const timer = setInterval(() => write(opts.heartbeat), opts.heartbeatMs);
  timer.unref();
  const finish = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    opts.onClose();
  };
  const write = (e: Record<string, unknown>): void => { if (!closed && !res.destroyed) res.write(recordIoFrame(e)); };
  res.on('close', finish);
  return {
    send: write,
    close: () => { if (!closed) { res.end(); finish(); } },
    get closed() { return closed; },
  };
}

/** Start an SSE stream (CRLF frames, bare CRLF heartbeats) as Marathon's event servlet writes it. */
export function openSseStream(req: FastifyRequest, reply: FastifyReply, opts: { heartbeatMs: number; onClose: () => void }): {
  send(eventType: string, data: unknown): void; close(): void;
} {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'text/event-stream;charset=UTF-8', 'Cache-Control': 'no-cache, no-store, must-revalidate', Connection: 'close' });
  res.flushHeaders();
  req.raw.socket.setNoDelay(true);
  let closed = false;
  const timer = setInterval(() => { if (!closed) res.write(SSE_HEARTBEAT); }, opts.heartbeatMs);
  timer.unref();
  const finish = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    opts.onClose();
  };
  res.on('close', finish);
  return {
    send: (t, d) => { if (!closed && !res.destroyed) res.write(sseFrame(t, d)); },
    close: () => { if (!closed) { res.end(); finish(); } },
  };
}
