// The overlay master's HTTP routes, registered on the master's own Fastify app:
//   GET  /overlay-master/state            the mesos module's State JSON (`?jsonp=cb` supported).
//        With `If-None-Match: <etag>` and `?wait=<seconds>` it long-polls: it answers as soon as the
//        state changes, or 304 after the wait. This is how agents follow the master within ms.
//   POST /overlay-master/agents/delete    {"agents":["<agent ip or id>", …]} frees their leases.
//   POST /overlay-master/agents/register  {"id","ip"} leases (idempotent); used by standalone agents.
// Errors are {code, message} with a 4xx/5xx.
import type { FastifyInstance } from 'fastify';
import type { OverlayConfig } from '../config.js';
import { OverlayMaster, type LeaseStore } from './master.js';

const JSONP = /^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$/;
const MAX_WAIT_S = 60;

/**
 * Register the overlay master routes on `app` and return the master, whose `registerAgent(id, ip)`
 * the Mesos master calls when an agent registers. Leases are loaded from `store` at once; requests
 * that arrive before loading finished wait for it.
 */
export function overlayMasterRoutes(app: FastifyInstance, store: LeaseStore, config: OverlayConfig,
  log: (line: string) => void = () => undefined): OverlayMaster {
  const m = new OverlayMaster(store, config, log);
  m.ready.catch((e: unknown) => log(`overlay: loading leases failed: ${e instanceof Error ? e.message : String(e)}`));
  const bad = (message: string) => ({ code: 'bad-request', message });

  app.addHook('preClose', async () => m.wakeAll());

  app.get('/overlay-master/state', async (req, reply) => {
    await m.ready.catch(() => undefined);
    const q = req.query as Record<string, string | undefined>;
    const ifNone = req.headers['if-none-match'];
    const wait = q.wait === undefined ? 0 : Number(q.wait);
    if (!(wait >= 0 && wait <= MAX_WAIT_S)) return reply.code(400).send(bad(`wait must be 0-${MAX_WAIT_S} seconds`));
    if (typeof ifNone === 'string' && ifNone === m.state().etag) {
      const changed = wait > 0 ? await m.waitChange(ifNone, wait * 1000) : false;
      if (!changed) return reply.code(304).header('etag', ifNone).send();
    }
    const { body, etag } = m.state();
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (q.jsonp !== undefined) {
      if (!JSONP.test(q.jsonp)) return reply.code(400).send(bad('invalid jsonp callback name'));
      return reply.type('application/javascript').send(`${q.jsonp}(${body});`);
    }
    return reply.type('application/json').send(body);
  });

  app.post('/overlay-master/agents/delete', async (req, reply) => {
    const agents = (req.body as { agents?: unknown } | undefined)?.agents;
    if (!Array.isArray(agents) || !agents.every((a) => typeof a === 'string')) {
      return reply.code(400).send(bad('body must be {"agents":["<agent ip or id>", …]}'));
    }
    await m.ready;
    const released = await m.releaseAgents(agents as string[]);
    return { released: released.map((l) => ({ id: l.id, ip: l.ip, subnet: l.subnet, vtepIp: l.vtepIp })) };
  });

  app.post('/overlay-master/agents/register', async (req, reply) => {
    const b = (req.body ?? {}) as { id?: unknown; ip?: unknown };
    if (typeof b.id !== 'string' || typeof b.ip !== 'string') return reply.code(400).send(bad('body must be {"id","ip"}'));
    await m.ready;
    const r = await m.registerAgent(b.id, b.ip);
    if (r.ok) return r.value;
    const status = r.error.code === 'bad-agent' ? 400 : r.error.code === 'store-failed' ? 503 : 409;
    return reply.code(status).send({ code: r.error.code, message: r.error.message });
  });

  return m;
}
