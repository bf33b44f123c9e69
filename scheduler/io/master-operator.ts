// Operator endpoints: the non-streaming calls of `POST /api/v1` (GET_STATE, GET_AGENTS, GET_TASKS,
// GET_FRAMEWORKS, GET_MASTER, GET_HEALTH, GET_VERSION, GET/UPDATE_WEIGHTS, GET/UPDATE_QUOTA,
// RESERVE_RESOURCES, UNRESERVE_RESOURCES) and the v0 routes `/master/reserve`, `/master/unreserve`,
// `/quota`, `/weights`, `/roles` (reference/core.md §3.9).
import type { FastifyInstance } from 'fastify';
import { Resources, type V1Resource } from '../resources.js';
import { v1GetState } from '../v1-json.js';
import { masterPid } from '../state-json.js';
import type { MasterCore } from './master-core.js';

type Obj = Record<string, any>;
export interface OpError { status: number; message: string }
export type OpResult = { body: unknown } | { error: OpError };

const fail = (status: number, message: string): OpResult => ({ error: { status, message } });

/** The same resources with their reservations stripped (what a RESERVE takes from the unreserved pool). */
function unreservedForm(r: Resources): Resources {
  const plain = r.toV1().map(({ reservations: _r, role: _o, ...rest }) => rest as V1Resource);
  const u = Resources.fromV1(plain, { allowUnknown: true });
  return u.ok ? u.value : Resources.EMPTY;
}

export function changeReservation(core: MasterCore, agentId: unknown, json: unknown, reserve: boolean): OpResult {
  if (typeof agentId !== 'string') return fail(400, 'missing agent id (slaveId / agent_id.value)');
  const agent = core.model.agents.get(agentId);
  if (!agent) return fail(400, `unknown agent '${agentId}'`);
  let parsedJson = json;
  if (typeof json === 'string') { try { parsedJson = JSON.parse(json); } catch { return fail(400, 'resources is not JSON'); } }
  const res = Resources.fromV1(parsedJson);
  if (!res.ok) return fail(400, res.error.map((p) => `${p.path}: ${p.message}`).join('; '));
  const reserved = res.value;
  if (reserved.isEmpty() || !reserved.unreserved().isEmpty()) {
    return fail(400, 'resources must carry a reservation (reservations: [{type: DYNAMIC, role}])');
  }
  const plain = unreservedForm(reserved);
  core.rescind((o) => o.agentId === agentId);
  const available = core.allocator.available(agentId);
  const needed = reserve ? plain : reserved;
  if (!available.contains(needed)) return fail(409, `insufficient ${reserve ? 'unreserved' : 'reserved'} resources on agent: need ${needed.toString()}, available ${available.toString()}`);
  agent.total = reserve ? agent.total.subtract(plain).add(reserved) : agent.total.subtract(reserved).add(plain);
  core.allocator.updateAgent(agentId, agent.total);
  core.persist.saveAgent(agent).catch(() => undefined);
  core.kick();
  return { body: undefined };
}

function setQuota(core: MasterCore, role: unknown, guarantee: unknown, limits: unknown, replace: boolean): OpResult {
  if (typeof role !== 'string' || role === '') return fail(400, 'role is required');
  if (!replace && core.quotas.has(role)) return fail(400, `quota for role '${role}' already exists`);
  const toNat = (v: unknown): Record<string, number> | OpError => {
    if (v === undefined) return {};
    if (Array.isArray(v)) {
      const r = Resources.fromV1(v);
      if (!r.ok) return { status: 400, message: r.error.map((p) => p.message).join('; ') };
      return Object.fromEntries([...r.value.quantities()].map(([n, q]) => [n, q / 1000]));
    }
    if (typeof v === 'object' && v) return Object.fromEntries(Object.entries(v as Obj).map(([n, x]) => [n, Number(x?.value ?? x)]));
    return { status: 400, message: 'quota resources must be a Resource array or {name: {value}}' };
  };
  const g = toNat(guarantee);
  const l = limits === undefined ? g : toNat(limits);
  if ('status' in g) return { error: g as OpError };
  if ('status' in l) return { error: l as OpError };
  core.quotas.set(role, { guarantees: g as Record<string, number>, limits: l as Record<string, number> });
  core.allocator.updateQuota(role, { guarantees: g as Record<string, number>, limits: l as Record<string, number> });
  core.savePolicy();
  return { body: undefined };
}

function setWeights(core: MasterCore, list: unknown): OpResult {
  if (!Array.isArray(list)) return fail(400, 'expected [{role, weight}]');
  for (const w of list) {
    if (typeof w?.role !== 'string' || typeof w?.weight !== 'number' || !(w.weight > 0)) return fail(400, `invalid weight entry ${JSON.stringify(w)}: weight must be positive`);
  }
  for (const w of list) core.weights.set(w.role, w.weight);
  core.allocator.updateWeights(list);
  core.savePolicy();
  return { body: undefined };
}

const weightsList = (core: MasterCore) => [...core.weights].map(([role, weight]) => ({ role, weight }));

export function operatorCall(core: MasterCore, call: Obj): OpResult {
  const st = () => v1GetState(core.model, core.offeredBy('agentId')) as Obj;
  switch (call?.['type']) {
    case 'GET_STATE': return { body: { type: 'GET_STATE', get_state: st() } };
    case 'GET_AGENTS': return { body: { type: 'GET_AGENTS', get_agents: st()['get_agents'] } };
    case 'GET_FRAMEWORKS': return { body: { type: 'GET_FRAMEWORKS', get_frameworks: st()['get_frameworks'] } };
    case 'GET_TASKS': return { body: { type: 'GET_TASKS', get_tasks: st()['get_tasks'] } };
    case 'GET_HEALTH': return { body: { type: 'GET_HEALTH', get_health: { healthy: true } } };
    case 'GET_VERSION': return { body: { type: 'GET_VERSION', get_version: { version_info: { version: core.config.version } } } };
    case 'GET_MASTER': {
      const i = core.model.info;
      return { body: { type: 'GET_MASTER', get_master: { master_info: { id: i.id, pid: masterPid(core.model), port: i.port, hostname: i.hostname, address: { ip: i.ip, hostname: i.hostname, port: i.port } }, start_time: i.startTime, elected_time: core.electedTime } } };
    }
    case 'GET_WEIGHTS': return { body: { type: 'GET_WEIGHTS', get_weights: { weight_infos: weightsList(core) } } };
    case 'UPDATE_WEIGHTS': return setWeights(core, call['update_weights']?.['weight_infos']);
    case 'GET_QUOTA': return { body: { type: 'GET_QUOTA', get_quota: { status: { infos: [...core.quotas].map(([role, q]) => ({ role, guarantee: Resources.of(q.guarantees).toV1() })) } } } };
    case 'UPDATE_QUOTA': {
      for (const c of call['update_quota']?.['quota_configs'] ?? []) {
        const r = setQuota(core, c?.['role'], c?.['guarantees'], c?.['limits'] ?? {}, true);
        if ('error' in r) return r;
      }
      return { body: undefined };
    }
    case 'RESERVE_RESOURCES': return changeReservation(core, call['reserve_resources']?.['agent_id']?.['value'], call['reserve_resources']?.['resources'], true);
    case 'UNRESERVE_RESOURCES': return changeReservation(core, call['unreserve_resources']?.['agent_id']?.['value'], call['unreserve_resources']?.['resources'], false);
    default: return fail(400, `Unsupported call type '${String(call?.['type'])}'`);
  }
}

export function registerOperatorRoutes(app: FastifyInstance, core: MasterCore): void {
  const send = (reply: any, r: OpResult, okStatus: number) =>
    'error' in r ? reply.code(r.error.status).type('application/json').send({ code: r.error.status === 409 ? 'SCHED_ERR_CONFLICT' : 'SCHED_ERR_BAD_REQUEST', message: r.error.message })
      : reply.code(okStatus).send(r.body ?? '');
  for (const [path, reserve] of [['/master/reserve', true], ['/master/unreserve', false]] as const) {
    app.post(path, async (req, reply) => {
      const b = (req.body ?? {}) as Obj;
      return send(reply, changeReservation(core, b['slaveId'], b['resources'], reserve), 202);
    });
  }
  app.get('/quota', async () => ({ infos: [...core.quotas].map(([role, q]) => ({ role, guarantee: Resources.of(q.guarantees).toV1() })) }));
  app.post('/quota', async (req, reply) => {
    const b = (req.body ?? {}) as Obj;
    return send(reply, setQuota(core, b['role'], b['guarantee'] ?? [], undefined, false), 200);
  });
  app.delete('/quota/*', async (req, reply) => {
    const role = decodeURIComponent((req.params as Obj)['*'] ?? '');
    if (!core.quotas.has(role)) return send(reply, fail(400, `no quota for role '${role}'`), 200);
    core.quotas.delete(role);
    core.allocator.removeQuota(role);
    core.savePolicy();
    return reply.code(200).send('');
  });
  app.get('/weights', async () => weightsList(core));
  app.put('/weights', async (req, reply) => send(reply, setWeights(core, req.body), 200));
  app.get('/roles', async () => ({
    roles: core.allocator.roles().map((r) => ({
      name: r.role, weight: r.weight, frameworks: r.frameworks,
      resources: core.allocator.agentIds().reduce((acc, a) => r.frameworks.reduce((x, f) => x.add(core.allocator.allocation(f, a)), acc), Resources.EMPTY).toSummary(),
      ...(core.quotas.has(r.role) ? { quota: { role: r.role, guarantee: core.quotas.get(r.role)!.guarantees, limit: core.quotas.get(r.role)!.limits } } : {}),
    })),
  }));
}
