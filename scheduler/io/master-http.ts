// The master's HTTP API on fastify: state endpoints (v0 JSON), the v1 operator API (`POST /api/v1`:
// SUBSCRIBE, GET_STATE, …), the v1 scheduler API (`POST /api/v1/scheduler`), and the agent protocol
// under `/mesonet/v1/agent/*`. Errors are `{code, message}` with a 4xx/5xx status.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { V1_HEARTBEAT, v1Subscribed } from '../v1-json.js';
import { httpStatusOf } from '../errors.js';
import { isCodedError } from '../../src/kernel/errors.js';
import type { MasterCore } from './master-core.js';
import { openRecordIoStream } from './streams.js';
import { agentStatus, heartbeat, parseRegister, registerAgent } from './master-agents.js';
import { disconnected, handleCall, subscribe } from './master-calls.js';
import { operatorCall, registerOperatorRoutes } from './master-operator.js';

type Obj = Record<string, any>;

export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).type('application/json').send({ code, message });
}

export function buildMasterApp(core: MasterCore): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024, forceCloseConnections: true });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.setErrorHandler((e, _req, reply) => {
    const err = e as { statusCode?: number; code?: string; message: string };
    if (isCodedError(e)) return sendError(reply, httpStatusOf(e.code), e.code, e.message);
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    return sendError(reply, status, status < 500 ? 'SCHED_ERR_BAD_REQUEST' : 'SCHED_ERR_INTERNAL', err.message);
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, 'SCHED_ERR_NOT_FOUND', `no route ${req.method} ${req.url}`));

  const state = async (req: { query: unknown }, reply: FastifyReply) => {
    const cb = (req.query as Obj)?.['jsonp'];
    const body = JSON.stringify(core.state());
    if (typeof cb === 'string' && /^[A-Za-z_$][\w$.]*$/.test(cb)) return reply.type('text/javascript').send(`${cb}(${body});`);
    return reply.type('application/json').send(body);
  };
  for (const p of ['/master/state', '/state', '/master/state.json', '/state.json']) app.get(p, state);
  app.get('/master/redirect', async (_req, reply) => reply.code(307).header('Location', `//${core.config.hostname}:${core.config.port}`).send());
  app.get('/master/health', async (_req, reply) => reply.code(200).send());
  app.get('/version', async () => ({ version: core.config.version, git_sha: '', git_tag: core.config.version, build_user: 'mesonet' }));

  // ---- v1 operator API ----
  app.post('/api/v1', async (req, reply) => {
    const body = req.body as Obj;
    if (body?.['type'] === 'SUBSCRIBE') {
      let send: ((e: Obj) => void) | undefined;
      const stream = openRecordIoStream(req, reply, {
        heartbeatMs: core.config.streamHeartbeatSeconds * 1000, heartbeat: V1_HEARTBEAT,
        onClose: () => { if (send) core.subscribers.delete(send); },
      });
      stream.send(v1Subscribed(core.model, core.config.streamHeartbeatSeconds, core.offeredBy('agentId')));
      send = (e) => stream.send(e);
      core.subscribers.add(send);
      return reply;
    }
    const r = operatorCall(core, body);
    if ('error' in r) return sendError(reply, r.error.status, r.error.status === 409 ? 'SCHED_ERR_CONFLICT' : 'SCHED_ERR_BAD_REQUEST', r.error.message);
    return r.body === undefined ? reply.code(202).send() : reply.type('application/json').send(r.body);
  });

  // ---- v1 scheduler API ----
  app.post('/api/v1/scheduler', async (req, reply) => {
    const call = req.body as Obj;
    if (!call || typeof call !== 'object') return sendError(reply, 400, 'SCHED_ERR_BAD_REQUEST', 'expected a JSON call');
    if (call['type'] === 'SUBSCRIBE') {
      const info = call['subscribe']?.['framework_info'];
      if (!info || typeof info !== 'object') return sendError(reply, 400, 'SCHED_ERR_BAD_REQUEST', 'subscribe.framework_info is required');
      const streamId = core.deps.uuid();
      let id = '';
      const stream = openRecordIoStream(req, reply, {
        heartbeatMs: core.config.streamHeartbeatSeconds * 1000, heartbeat: V1_HEARTBEAT, headers: { 'Mesos-Stream-Id': streamId },
        onClose: () => disconnected(core, id, conn),
      });
      const conn = { send: (e: Obj) => stream.send(e), close: () => stream.close() };
      id = subscribe(core, { ...info, ...(call['framework_id'] && !info.id ? { id: call['framework_id'] } : {}) }, conn);
      return reply;
    }
    const fwId = call['framework_id']?.['value'];
    if (typeof fwId !== 'string') return sendError(reply, 400, 'SCHED_ERR_BAD_REQUEST', 'framework_id.value is required');
    const e = handleCall(core, fwId, call);
    core.kick();
    return e ? sendError(reply, e.status, e.status === 404 ? 'SCHED_ERR_NOT_FOUND' : 'SCHED_ERR_BAD_REQUEST', e.message) : reply.code(202).send();
  });

  // ---- agent protocol ----
  app.post('/mesonet/v1/agent/register', async (req, reply) => {
    const parsed = parseRegister(req.body);
    const r = parsed.ok ? registerAgent(core, parsed.value) : parsed;
    if (!r.ok) return sendError(reply, 400, 'SCHED_ERR_BAD_REQUEST', r.error.map((p) => `${p.path}: ${p.message}`).join('; '));
    return r.value;
  });
  app.post('/mesonet/v1/agent/heartbeat', async (req, reply) => {
    const id = (req.body as Obj)?.['agent_id'];
    if (typeof id !== 'string' || !heartbeat(core, id)) return sendError(reply, 404, 'SCHED_ERR_NOT_FOUND', 'unknown or unreachable agent: re-register');
    return { epoch: core.model.info.startTime, master_id: core.model.info.id };
  });
  app.post('/mesonet/v1/agent/status', async (req, reply) => {
    const b = req.body as Obj;
    const id = b?.['agent_id'];
    if (typeof id !== 'string' || !core.model.agents.has(id)) return sendError(reply, 404, 'SCHED_ERR_NOT_FOUND', 'unknown agent');
    const r = agentStatus(core, id, b['status']);
    core.kick();
    return r.ok ? { acknowledged: true } : sendError(reply, 400, 'SCHED_ERR_BAD_REQUEST', r.error.map((p) => p.message).join('; '));
  });

  registerOperatorRoutes(app, core);
  return app;
}
