// Marathon's REST API on fastify (core.md §2.1): /v2/apps (GET/POST/PUT/DELETE, ?embed=apps.tasks),
// /v2/apps/{id}/tasks, task kills, /v2/tasks, /v2/deployments, /v2/info, /v2/leader, /ping and the
// /v2/events SSE stream. Errors use Marathon's body `{message, details?}` (plus our `code`).
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { normalizeApp, mergeApp } from '../marathon-normalize.js';
import { normalizeAppId, isObj, type App } from '../marathon-app.js';
import { appJson, deploymentJson, event, taskJson, type MTask } from '../marathon-json.js';
import { assignServicePorts, usedServicePorts } from '../marathon-ports.js';
import { eventTypeFilter } from '../framing.js';
import type { MarathonEngine } from './marathon-engine.js';
import { openSseStream } from './streams.js';

type Obj = Record<string, any>;
const iso = () => new Date().toISOString();
const fail = (reply: FastifyReply, status: number, code: string, message: string, details?: unknown) =>
  reply.code(status).type('application/json').send({ code, message, ...(details ? { details } : {}) });
const embeds = (q: Obj): Set<string> => new Set([q['embed']].flat().filter((x): x is string => typeof x === 'string'));

export function buildMarathonApp(engine: MarathonEngine): FastifyInstance {
  const cfg = engine.config;
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024, forceCloseConnections: true });
  app.setErrorHandler((e, _req, reply) => {
    const err = e as { statusCode?: number; message: string };
    if (err.statusCode === 400 || /JSON/.test(err.message)) return fail(reply, 400, 'SCHED_ERR_BAD_REQUEST', 'Invalid JSON', [{ path: '/', errors: [err.message] }]);
    return fail(reply, err.statusCode && err.statusCode < 500 ? err.statusCode : 500, 'SCHED_ERR_BAD_REQUEST', err.message);
  });
  app.setNotFoundHandler((req, reply) => fail(reply, 404, 'SCHED_ERR_NOT_FOUND', `no route ${req.method} ${req.url}`));

  const appOut = (a: App, embedTasks: boolean) => appJson(a, engine.tasksOf(a.id), [...engine.deployments.values()], { embedTasks, ...(engine.failures.get(a.id)?.last ? { lastTaskFailure: engine.failures.get(a.id)!.last! } : {}) });
  const notFound = (reply: FastifyReply, id: string) => fail(reply, 404, 'SCHED_ERR_NOT_FOUND', `App '${id}' does not exist`);

  type Outcome = { status: number; body: unknown; deployment?: string; location?: string };
  /** Validate, assign service ports, store, deploy. */
  const apply = (req: FastifyRequest, body: unknown, pathId: string | undefined, partial: boolean): Outcome => {
    if (!isObj(body)) return { status: 400, body: { code: 'SCHED_ERR_BAD_REQUEST', message: 'Invalid JSON', details: [{ path: '/', errors: ['error.expected.jsobject'] }] } };
    const id = pathId ?? (typeof body['id'] === 'string' ? normalizeAppId(body['id']) : undefined);
    const previous = id ? engine.apps.get(id) : undefined;
    const version = iso();
    const raw = previous && partial ? mergeApp(previous, body) : body;
    const r = normalizeApp(raw, { version, ...(previous ? { previous } : {}), ...(pathId ? { pathId } : {}) });
    const invalidBody = (problems: Array<{ path: string; message: string }>) => ({ status: 422, body: { code: 'SCHED_ERR_INVALID_APP', message: 'Object is not valid', details: problems.map((p) => ({ path: p.path, errors: [p.message] })) } });
    if (!r.ok) return invalidBody(r.error);
    const withPorts = assignServicePorts(r.value, previous, usedServicePorts(engine.apps.values(), r.value.id), cfg.localPortMin, cfg.localPortMax);
    if ('error' in withPorts) return invalidBody([{ path: '/portDefinitions', message: withPorts.error }]);
    engine.saveApp(withPorts);
    const action = !previous ? 'StartApplication' : withPorts.versionInfo.lastConfigChangeAt === version ? 'RestartApplication' : 'ScaleApplication';
    engine.publish(event('api_post_event', version, { clientIp: req.ip, uri: req.url, appDefinition: withPorts }));
    const d = engine.deploy(withPorts.id, action, version);
    if (!previous) return { status: 201, deployment: d.id, location: `/v2/apps${withPorts.id}`, body: { ...appOut(withPorts, false), tasksStaged: 0, tasksRunning: 0, tasksHealthy: 0, tasksUnhealthy: 0, deployments: [{ id: d.id }] } };
    return { status: 200, deployment: d.id, body: { deploymentId: d.id, version } };
  };
  const reply = (r: FastifyReply, o: Outcome) => {
    if (o.deployment) r.header('Marathon-Deployment-Id', o.deployment);
    if (o.location) r.header('Location', o.location);
    return r.code(o.status).type('application/json').send(o.body);
  };
  const upsert = (req: FastifyRequest, r: FastifyReply, body: unknown, pathId: string | undefined, partial: boolean) => reply(r, apply(req, body, pathId, partial));

  app.get('/ping', async (_req, reply) => reply.type('text/plain').send('pong'));
  app.get('/v2/info', async () => ({
    name: 'marathon', version: '1.11.0', buildref: 'mesonet', elected: true, leader: `${cfg.hostname}:${cfg.port}`, frameworkId: engine.client.frameworkId ?? null,
    marathon_config: { master: cfg.master, framework_name: cfg.frameworkName, mesos_role: cfg.role, hostname: cfg.hostname, local_port_min: cfg.localPortMin, local_port_max: cfg.localPortMax, failover_timeout: 604800, checkpoint: true },
    zookeeper_config: {}, http_config: { http_port: cfg.port, https_port: 8443 },
  }));
  app.get('/v2/leader', async () => ({ leader: `${cfg.hostname}:${cfg.port}` }));

  app.get('/v2/apps', async (req) => {
    const q = req.query as Obj;
    const e = embeds(q);
    let list = [...engine.apps.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    if (typeof q['id'] === 'string') list = list.filter((a) => a.id.includes(q['id']));
    if (typeof q['cmd'] === 'string') list = list.filter((a) => a.cmd?.includes(q['cmd']));
    if (typeof q['label'] === 'string') list = list.filter((a) => q['label'].split(',').every((sel: string) => {
      const m = /^\s*([^!=]+?)\s*(==|!=)\s*(.*?)\s*$/.exec(sel);
      if (!m) return sel.trim() in a.labels;
      return m[2] === '==' ? a.labels[m[1]!] === m[3] : a.labels[m[1]!] !== m[3];
    }));
    return { apps: list.map((a) => appOut(a, e.has('apps.tasks') || e.has('app.tasks'))) };
  });
  app.post('/v2/apps', async (req, reply) => {
    const b = req.body as Obj;
    const id = isObj(b) && typeof b['id'] === 'string' ? normalizeAppId(b['id']) : undefined;
    if (id && engine.apps.has(id)) return fail(reply, 409, 'SCHED_ERR_CONFLICT', `An app with id [${id}] already exists.`);
    return upsert(req, reply, b, undefined, false);
  });

  // Bulk create-or-update: every app is validated first; nothing changes unless all are valid.
  app.put('/v2/apps', async (req, r) => {
    const list = req.body;
    if (!Array.isArray(list)) return fail(r, 400, 'SCHED_ERR_BAD_REQUEST', 'Invalid JSON', [{ path: '/', errors: ['error.expected.jsarray'] }]);
    const problems = list.flatMap((b, i) => {
      const res = normalizeApp(isObj(b) && typeof b['id'] === 'string' && engine.apps.has(normalizeAppId(b['id']) ?? '') && (req.query as Obj)['partialUpdate'] !== 'false'
        ? mergeApp(engine.apps.get(normalizeAppId(b['id'])!)!, b) : b, { version: iso() });
      return res.ok ? [] : res.error.map((p) => ({ path: `(${i})${p.path}`, errors: [p.message] }));
    });
    if (problems.length) return fail(r, 422, 'SCHED_ERR_INVALID_APP', 'Object is not valid', problems);
    const outcomes = list.map((b) => apply(req, b, undefined, (req.query as Obj)['partialUpdate'] !== 'false'));
    const bad = outcomes.find((o) => o.status >= 400);
    if (bad) return reply(r, bad);
    return r.send({ deploymentId: outcomes.map((o) => o.deployment).find((d) => d) ?? null, version: iso() });
  });

  app.get('/v2/tasks', async (req) => {
    const st = (req.query as Obj)['status'];
    const want = st === 'running' ? 'TASK_RUNNING' : st === 'staging' ? 'TASK_STAGING' : undefined;
    return { tasks: [...engine.tasks.values()].filter((t) => !want || t.state === want).map((t) => taskJson(t, engine.apps.get(t.appId))) };
  });
  app.post('/v2/tasks/delete', async (req, reply) => {
    const ids: unknown = (req.body as Obj)?.['ids'];
    if (!Array.isArray(ids)) return fail(reply, 400, 'SCHED_ERR_BAD_REQUEST', 'ids must be an array');
    const scale = (req.query as Obj)['scale'] === 'true';
    const killed = ids.map((i) => engine.tasks.get(String(i))).filter((t): t is MTask => !!t);
    return killTasks(reply, killed, scale);
  });

  const killTasks = (reply: FastifyReply, list: MTask[], scale: boolean, single = false) => {
    if (scale) {
      for (const t of list) {
        const a = engine.apps.get(t.appId);
        if (a) engine.saveApp({ ...a, instances: Math.max(0, a.instances - 1), version: iso(), versionInfo: { ...a.versionInfo, lastScalingAt: iso() } });
      }
    }
    for (const t of list) engine.kill(t, scale ? 'scale' : 'replace');
    if (scale) {
      const d = list[0] ? engine.deploy(list[0].appId, 'ScaleApplication', iso()) : undefined;
      return reply.send({ deploymentId: d?.id ?? null, version: d?.version ?? iso() });
    }
    engine.act();
    return single ? reply.send({ task: taskJson(list[0]!, engine.apps.get(list[0]!.appId)) }) : reply.send({ tasks: list.map((t) => taskJson(t, engine.apps.get(t.appId))) });
  };

  // /v2/apps/{id...}[/tasks[/{taskId}]|/restart]
  const route = (url: string): { id: string; rest: string[] } | undefined => {
    const parts = url.split('/').filter((s) => s);
    const ti = parts.lastIndexOf('tasks');
    const split = ti >= 1 && (ti === parts.length - 1 || ti === parts.length - 2) ? ti : parts[parts.length - 1] === 'restart' ? parts.length - 1 : parts.length;
    const id = normalizeAppId(`/${parts.slice(0, split).join('/')}`);
    return id ? { id, rest: parts.slice(split) } : undefined;
  };
  app.all('/v2/apps/*', async (req, reply) => {
    const r = route(decodeURIComponent((req.params as Obj)['*'] ?? ''));
    if (!r) return fail(reply, 400, 'SCHED_ERR_BAD_REQUEST', 'invalid app id');
    const a = engine.apps.get(r.id);
    const q = req.query as Obj;
    const [kind, taskId] = r.rest;
    if (kind === undefined) {
      if (req.method === 'GET') return a ? { app: appOut(a, true) } : notFound(reply, r.id);
      if (req.method === 'PUT' || req.method === 'PATCH') return upsert(req, reply, req.body, r.id, q['partialUpdate'] !== 'false' || req.method === 'PATCH');
      if (req.method === 'DELETE') {
        if (!a) return notFound(reply, r.id);
        const d = engine.removeApp(r.id, iso());
        return reply.header('Marathon-Deployment-Id', d.id).send({ deploymentId: d.id, version: d.version });
      }
    }
    if (!a) return notFound(reply, r.id);
    if (kind === 'restart' && req.method === 'POST') {
      const version = iso();
      engine.saveApp({ ...a, version, versionInfo: { ...a.versionInfo, lastConfigChangeAt: version } });
      const d = engine.deploy(a.id, 'RestartApplication', version);
      return reply.header('Marathon-Deployment-Id', d.id).send({ deploymentId: d.id, version });
    }
    if (kind === 'tasks' && req.method === 'GET' && taskId === undefined) return { tasks: engine.tasksOf(a.id).map((t) => taskJson(t, a)) };
    if (kind === 'tasks' && req.method === 'DELETE') {
      if (taskId !== undefined) {
        const t = engine.tasks.get(taskId);
        if (!t || t.appId !== a.id) return fail(reply, 404, 'SCHED_ERR_NOT_FOUND', `Task '${taskId}' does not exist`);
        return killTasks(reply, [t], q['scale'] === 'true', true);
      }
      const host = q['host'];
      return killTasks(reply, engine.tasksOf(a.id).filter((t) => typeof host !== 'string' || t.host === host), q['scale'] === 'true');
    }
    return fail(reply, 405, 'SCHED_ERR_BAD_REQUEST', `${req.method} not allowed here`);
  });

  app.get('/v2/deployments', async () => [...engine.deployments.values()].map(deploymentJson));
  app.delete('/v2/deployments/:id', async (req, reply) => {
    const id = (req.params as Obj)['id'];
    if (!engine.deployments.delete(id)) return fail(reply, 404, 'SCHED_ERR_NOT_FOUND', `DeploymentPlan ${id} does not exist`);
    return (req.query as Obj)['force'] === 'true' ? reply.code(202).send() : reply.send({ deploymentId: id, version: iso() });
  });

  app.get('/v2/events', async (req, reply) => {
    if (!String(req.headers.accept ?? '').includes('text/event-stream')) {
      return fail(reply, 406, 'SCHED_ERR_BAD_REQUEST', 'The event stream needs Accept: text/event-stream');
    }
    const filter = eventTypeFilter(req.query);
    let listener: ((e: Obj) => void) | undefined;
    const sse = openSseStream(req, reply, { heartbeatMs: cfg.sseHeartbeatSeconds * 1000, onClose: () => { if (listener) engine.listeners.delete(listener); } });
    listener = (e) => { if (filter.size === 0 || filter.has(e['eventType'])) sse.send(e['eventType'], e); };
    engine.listeners.add(listener);
    engine.publish(event('event_stream_attached', iso(), { remoteAddress: req.ip }));
    return reply;
  });
  return app;
}
