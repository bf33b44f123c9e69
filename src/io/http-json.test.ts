import t from 'tap';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchJson, getJson, postJson } from './http-json.js';

async function serve(t: Tap.Test, handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
// tap's Test type, without importing tap internals
declare namespace Tap { type Test = { teardown(fn: () => unknown): void } }

t.test('GET and POST JSON', async (t) => {
  const seen: { method?: string; ct?: string; accept?: string; body: string }[] = [];
  const base = await serve(t, (req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, ct: req.headers['content-type'], accept: req.headers.accept, body });
      if (req.url === '/redirect') return void res.writeHead(307, { location: '/state' }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(req.url === '/empty' ? '' : JSON.stringify({ url: req.url, body: body || null }));
    });
  });
  t.same(await getJson(`${base}/state`), { url: '/state', body: null });
  t.same(await postJson(`${base}/api/v1`, { type: 'GET_MASTER' }), { url: '/api/v1', body: '{"type":"GET_MASTER"}' });
  t.same(seen[1], { method: 'POST', ct: 'application/json', accept: 'application/json', body: '{"type":"GET_MASTER"}' });
  const r = await fetchJson(`${base}/redirect`);
  t.match(r, { ok: true, value: { status: 200, json: { url: '/state' } } });
  t.equal(r.ok && r.value.url, `${base}/state`, 'reports the final URL');
  t.match(await fetchJson(`${base}/empty`), { ok: true, value: { json: undefined } });
});

t.test('errors are values with codes', async (t) => {
  const base = await serve(t, (req, res) => {
    if (req.url === '/500') return void res.writeHead(500).end('leader not elected');
    if (req.url === '/html') return void res.writeHead(200).end('<html>');
    if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end('{}'), 800);
  });
  t.match(await fetchJson(`${base}/500`), { ok: false, error: { code: 'E_HTTP_STATUS', status: 500, message: /HTTP 500: leader not elected/ } });
  t.match(await fetchJson(`${base}/html`), { ok: false, error: { code: 'E_HTTP_JSON', status: 200, body: '<html>' } });
  t.match(await fetchJson(`${base}/slow`, { timeoutMs: 100 }), { ok: false, error: { code: 'E_HTTP_TIMEOUT', message: /within 100 ms/ } });
  const ac = new AbortController();
  const p = fetchJson(`${base}/slow`, { signal: ac.signal });
  ac.abort();
  t.match(await p, { ok: false, error: { code: 'E_HTTP_ABORTED' } });
  // A port nothing listens on: bind one, note it, close it.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const dead = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((r) => probe.close(r));
  t.match(await fetchJson(`${dead}/x`, { timeoutMs: 2000 }), { ok: false, error: { code: 'E_HTTP_CONNECT', message: /cannot connect: ECONNREFUSED/ } });
  await t.rejects(getJson(`${base}/500`), { code: 'E_HTTP_STATUS', details: { status: 500 } });
});
