// HTTP API on 61421 (fastify): /vips and /vip/:vip (Minuteman's shapes), /v1/vips (dcos-net's),
// /metrics (Prometheus text). Errors are `{code, message}` with a 4xx.
import Fastify, { type FastifyInstance } from 'fastify';
import { cliVips, dcosNetVips, metricsText, minutemanVips, type BackendStats } from '../api.js';
import type { VipEntry } from '../vip-table.js';
import type { DataplaneStats } from './nfqueue.js';

export interface ApiSource {
  vips(): readonly VipEntry[];
  stats(): DataplaneStats | undefined;
  readonly counters: Readonly<Record<string, number>>;
}

function statsLookup(stats: DataplaneStats | undefined): (ip: string, port: number) => BackendStats | undefined {
  const m = new Map((stats?.backends ?? []).map((b) => [`${b.ip}:${b.port}`, b]));
  return (ip, port) => m.get(`${ip}:${port}`);
}

export function buildApi(src: ApiSource): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/vips', async () => minutemanVips(src.vips(), statsLookup(src.stats())));
  app.get<{ Params: { vip: string } }>('/vip/:vip', async (req, reply) => {
    const all = minutemanVips(src.vips(), statsLookup(src.stats())).vips;
    const hit = all[req.params.vip];
    if (!/^\d+\.\d+\.\d+\.\d+:\d+$/.test(req.params.vip)) return reply.code(400).send({ code: 'invalid_vip', message: `not ip:port: ${req.params.vip}` });
    if (!hit) return reply.code(404).send({ code: 'no_backends', message: `no VIP ${req.params.vip}` });
    return hit;
  });
  app.get('/v1/vips', async () => dcosNetVips(src.vips()));
  app.get('/v1/vips/cli', async () => cliVips(src.vips()));
  app.get('/metrics', async (_req, reply) => {
    const s = src.stats();
    const vips = src.vips();
    const gauges = { vips: vips.length, backends: vips.reduce((n, v) => n + v.backends.length, 0), trippedBackends: (s?.backends ?? []).filter((b) => b.tripped).length };
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return metricsText({ ...(s?.counters ?? {}), ...src.counters }, gauges);
  });
  return app;
}
