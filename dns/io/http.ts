// The mesos-dns HTTP API on fastify (default 0.0.0.0:8123): /v1/version, /v1/config (the secret
// never shown), /v1/hosts/{host}, /v1/hosts/{host}/ports (501, as upstream), /v1/services/{service},
// /v1/enumerate and /v1/axfr (when EnumerationOn), plus /metrics. Bodies come from http-api.ts.
// Any Accept header gets JSON (DCOS_OSS-611: `Accept: application/json` must not 406).
import Fastify, { type FastifyInstance } from 'fastify';
import type { DnsConfig } from '../config.js';
import { publicConfig } from '../config.js';
import { axfrBody, enumerateBody, hostsBody, servicesBody, versionBody } from '../http-api.js';
import type { RecordSet } from '../records.js';
import type { Zone } from '../zone.js';
import { METRICS_CONTENT_TYPE, type Registry } from '../../src/io/metrics.js';

export interface HttpState {
  readonly config: DnsConfig;
  readonly version: string;
  zone(): Zone | undefined;
  records(): RecordSet | undefined;
  readonly metrics: Registry;
}

export function buildHttpApi(s: HttpState): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const json = { 'content-type': 'application/json' };
  app.get('/v1/version', async (_req, reply) => reply.headers(json).send(versionBody(s.version)));
  app.get('/v1/config', async (_req, reply) => reply.headers(json).send(publicConfig(s.config)));
  app.get<{ Params: { host: string } }>('/v1/hosts/:host', async (req, reply) => reply.headers(json).send(hostsBody(s.zone(), req.params.host)));
  app.get('/v1/hosts/:host/ports', async (_req, reply) => reply.code(501).type('text/plain; charset=utf-8').send('To be implemented...'));
  app.get<{ Params: { service: string } }>('/v1/services/:service', async (req, reply) => reply.headers(json).send(servicesBody(s.zone(), req.params.service)));
  if (s.config.EnumerationOn) {
    app.get('/v1/enumerate', async (_req, reply) => reply.headers(json).send(enumerateBody(s.records())));
    app.get('/v1/axfr', async (_req, reply) => reply.headers(json).send(axfrBody(s.records(), s.config, s.zone()?.serial ?? 0)));
  }
  app.get('/metrics', async (_req, reply) => reply.type(METRICS_CONTENT_TYPE).send(s.metrics.render()));
  app.setErrorHandler((e: { statusCode?: number; code?: string; message: string }, _req, reply) => {
    const status = e.statusCode && e.statusCode >= 400 ? e.statusCode : 500;
    reply.code(status).send({ code: e.code ?? 'E_HTTP', message: e.message });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ code: 'E_NOT_FOUND', message: `no route ${req.method} ${req.url}` }));
  return app;
}
