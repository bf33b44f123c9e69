// A loopback fake of the Mesos master endpoints the change stream uses, for tests:
// `POST /api/v1` SUBSCRIBE (RecordIO stream of v1 events) and GET_MASTER, and `GET /master/state`.
// Its behaviour is switched at run time (stream, not-leader 503, redirect, SUBSCRIBE missing).
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeRecord } from '../../kernel/recordio.js';

export type SubscribeMode = 'stream' | 'unavailable' | 'not-leader' | { redirect: string };

export interface FakeMasterOptions {
  /** The SUBSCRIBED event sent first on every stream (a function so tests can change it). */
  subscribed?: () => unknown;
  /** `/master/state` body; a number answers with that HTTP status instead. */
  state?: unknown;
  mode?: SubscribeMode;
}

export interface FakeMaster {
  readonly url: string;
  readonly counts: { subscribe: number; getMaster: number; state: number };
  /** Open SUBSCRIBE streams. */
  readonly streams: number;
  mode: SubscribeMode;
  state: unknown;
  subscribed: () => unknown;
  /** Send one event (or raw bytes) on every open stream. */
  send(event: unknown): void;
  sendRaw(bytes: string | Buffer): void;
  /** End every open stream (as a master that steps down would). */
  endStreams(): void;
  close(): Promise<void>;
}

export async function startFakeMaster(opts: FakeMasterOptions = {}): Promise<FakeMaster> {
  const open = new Set<ServerResponse>();
  const counts = { subscribe: 0, getMaster: 0, state: 0 };
  let url = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method === 'GET' && (req.url === '/master/state' || req.url === '/state')) {
        counts.state++;
        if (typeof fake.state === 'number') return void res.writeHead(fake.state).end('state unavailable');
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fake.state ?? {}));
      }
      if (req.method !== 'POST' || req.url !== '/api/v1') return void res.writeHead(404).end('no such endpoint');
      let call: { type?: string };
      try {
        call = JSON.parse(body);
      } catch {
        return void res.writeHead(400).end('bad json');
      }
      const mode = fake.mode;
      if (mode === 'unavailable') return void res.writeHead(405).end('method not allowed');
      if (mode === 'not-leader') return void res.writeHead(503).end('not the leading master');
      if (typeof mode === 'object') return void res.writeHead(307, { location: `${mode.redirect.replace(/^https?:/, '')}/api/v1` }).end();
      if (call.type === 'GET_MASTER') {
        counts.getMaster++;
        const port = Number(new URL(url).port);
        const info = { id: 'fake-master', pid: `master@127.0.0.1:${port}`, hostname: 'localhost', port, address: { ip: '127.0.0.1', port, hostname: 'localhost' } };
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'GET_MASTER', get_master: { master_info: info } }));
      }
      if (call.type !== 'SUBSCRIBE') return void res.writeHead(400).end('unsupported call');
      counts.subscribe++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(encodeRecord(JSON.stringify(fake.subscribed())));
      open.add(res);
      res.on('close', () => open.delete(res));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeMaster = {
    url,
    counts,
    get streams() {
      return open.size;
    },
    mode: opts.mode ?? 'stream',
    state: opts.state,
    subscribed: opts.subscribed ?? (() => ({ type: 'SUBSCRIBED', subscribed: { get_state: {}, heartbeat_interval_seconds: 15 } })),
    send: (event) => fake.sendRaw(encodeRecord(JSON.stringify(event))),
    sendRaw: (bytes) => {
      for (const res of open) res.write(bytes);
    },
    endStreams: () => {
      for (const res of open) res.end();
    },
    close: () => new Promise<void>((r) => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
  return fake;
}
