// The :9090 endpoints marathon-lb users and tools (zdd.py, marathon-lb-autoscale) call, on fastify:
//   /haproxy?stats[;csv]    HAProxy's stats page (proxied from `listen stats` on a unix socket)
//   /_haproxy_health_check  200 while HAProxy has a worker, else 503
//   /_haproxy_getconfig     the installed haproxy.cfg
//   /_haproxy_getvhostmap   domain2backend.map ('' without --haproxy-map)
//   /_haproxy_getappmap     app2backend.map
//   /_haproxy_getpids       HAProxy pids (master, workers, old workers), space separated like pidof
//   /_mlb_signal/hup        full resync now; answers with what was left out and why
//   /_mlb_signal/usr1       validate the installed config and reload
//   /_mesonet/status        JSON: last sync, apps left out, haproxy processes
//   /metrics                mesonet edge metrics, then HAProxy's Prometheus exporter output
import Fastify, { type FastifyInstance } from 'fastify';
import { request } from 'node:http';
import { METRICS_CONTENT_TYPE } from '../../src/io/metrics.js';
import { statsHttpSocket } from '../serve-head.js';
import type { EdgeDaemon, SyncReport } from './daemon.js';

/** GET a path from HAProxy's `listen stats` over its unix socket. */
function fromStats(socketPath: string, path: string, timeoutMs = 5_000): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, type: String(res.headers['content-type'] ?? 'text/plain'), body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function describe(r: SyncReport | undefined): string {
  if (!r) return 'no sync yet\n';
  const lines = [`sync: ${r.reason}; changed: ${r.changed}; reloaded: ${r.reloaded}${r.error ? `; error: ${r.error}` : ''}`];
  for (const s of r.skipped) lines.push(`left out: ${s.appId}${s.servicePort !== undefined ? `:${s.servicePort}` : ''}: ${s.reason}`);
  return `${lines.join('\n')}\n`;
}

export async function startStatsServer(d: EdgeDaemon, host: string, port: number): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const sock = statsHttpSocket(d.cfg.runDir);
  const pids = async (): Promise<number[]> => {
    const p = await d.haproxy?.processes().catch(() => undefined);
    return p ? [...(p.master ? [p.master] : []), ...p.workers, ...p.oldWorkers] : [];
  };

  app.get('/haproxy', async (req, reply) => {
    const q = req.url.slice(req.url.indexOf('?'));
    try {
      const r = await fromStats(sock, `/haproxy${q.startsWith('?') ? q : '?stats'}`);
      return reply.code(r.status).type(r.type).send(r.body);
    } catch (e) {
      return reply.code(503).type('text/plain').send(`haproxy stats unavailable: ${(e as Error).message}\n`);
    }
  });
  app.get('/_haproxy_health_check', async (_req, reply) => {
    const up = d.haproxy ? (await pids()).length > 1 : true;
    return reply.code(up ? 200 : 503).type('text/plain').send(up ? 'OK\n' : 'haproxy is not running\n');
  });
  app.get('/_haproxy_getconfig', async (_req, reply) => reply.type('text/plain').send(d.applier.onDisk().config));
  app.get('/_haproxy_getvhostmap', async (_req, reply) => reply.type('text/plain').send(d.applier.onDisk().domainMap));
  app.get('/_haproxy_getappmap', async (_req, reply) => reply.type('text/plain').send(d.applier.onDisk().appMap));
  app.get('/_haproxy_getpids', async (_req, reply) => reply.type('text/plain').send(`${(await pids()).join(' ')}\n`));
  app.get('/_mlb_signal/hup', async (_req, reply) => reply.type('text/plain').send(describe(await d.sync('signal hup'))));
  app.get('/_mlb_signal/usr1', async (_req, reply) => {
    const ok = await d.reloadExisting();
    return reply.code(ok ? 200 : 500).type('text/plain').send(ok ? 'reloaded\n' : 'config on disk invalid or reload failed\n');
  });
  app.get('/_mesonet/status', async () => ({ last: d.last ?? null, pids: await pids(), marathon: d.marathon.current }));
  app.get('/metrics', async (_req, reply) => {
    let text = d.metrics.render();
    if (d.haproxy?.pid !== undefined) {
      const r = await fromStats(sock, '/metrics').catch(() => undefined);
      if (r && r.status === 200) text += r.body.toString();
    }
    return reply.type(METRICS_CONTENT_TYPE).send(text);
  });
  await app.listen({ host, port });
  return app;
}
