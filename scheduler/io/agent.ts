// `mesonet agent`: registers with the master (re-registering with its task list whenever the master
// forgets it or restarts), heartbeats, runs tasks (agent-tasks.ts) and sends their status updates in
// order until acknowledged. HTTP API: launch/kill from the master, `/state` for operators and tools.
import Fastify, { type FastifyInstance } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentConfig } from '../config.js';
import type { V1TaskInfo, V1TaskStatus } from '../mesos-types.js';
import { Resources } from '../resources.js';
import { v0Task } from '../state-json.js';
import { AgentTasks } from './agent-tasks.js';
import { StatusSender } from './status-sender.js';
import { writeFileAtomic } from './atomic.js';
import { postJson } from './master.js';

export interface AgentHandle {
  readonly url: string;
  readonly port: number;
  readonly tasks: AgentTasks;
  agentId(): string | undefined;
  close(opts?: { killTasks?: boolean }): Promise<void>;
}

type Obj = Record<string, any>;

export async function startAgent(config: AgentConfig, opts: { log?: (m: string) => void } = {}): Promise<AgentHandle> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`agent: ${m}\n`));
  const idFile = join(config.workDir, 'agent.json');
  let agentId: string | undefined;
  try { agentId = (JSON.parse(await readFile(idFile, 'utf8')) as Obj)['agent_id']; } catch { /* first start */ }
  let registered = false;
  let epoch: number | undefined;
  let stopped = false;
  let port = config.port;
  const cfg: AgentConfig = { ...config };

  const sender = new StatusSender(
    async (s) => {
      await postJson(`${config.master}/mesonet/v1/agent/status`, { agent_id: agentId, status: s });
      if (['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE'].includes(s.state)) tasks.forget(s.task_id.value);
    },
    () => registered && agentId !== undefined, log);
  const tasks = new AgentTasks({ config: cfg, agentId: () => agentId ?? '', report: (s: V1TaskStatus) => sender.send(s), log });
  const orphans = await tasks.cleanupOrphans();
  if (orphans) log(`cleaned up ${orphans} task(s) left by a previous run`);

  const app = buildAgentApp(cfg, tasks, () => agentId);
  await app.listen({ host: config.ip, port: config.port });
  const addr = app.server.address();
  port = typeof addr === 'object' && addr ? addr.port : config.port;
  (cfg as { port: number }).port = port;

  async function register(): Promise<void> {
    let delay = 100;
    while (!stopped) {
      try {
        const reply = await postJson(`${config.master}/mesonet/v1/agent/register`, {
          ...(agentId ? { agent_id: agentId } : {}), hostname: config.hostname, ip: config.ip, port, resources: config.resources,
          attributes: config.attributes, version: '1.11.0',
          tasks: tasks.list().filter((t) => t.last).map((t) => ({ framework_id: t.frameworkId, task_id: t.info.task_id.value, status: t.last })),
        }) as Obj;
        if (agentId !== reply['agent_id']) {
          agentId = reply['agent_id'];
          await writeFileAtomic(idFile, JSON.stringify({ agent_id: agentId }));
        }
        epoch = reply['epoch'];
        for (const id of reply['kill'] ?? []) tasks.kill(id);
        registered = true;
        log(`registered as ${agentId}`);
        sender.wake();
        return;
      } catch (e) {
        if (stopped) return;
        log(`registration failed: ${e instanceof Error ? e.message : String(e)}; retrying`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 2000);
      }
    }
  }

  let registering: Promise<void> | undefined = register().finally(() => { registering = undefined; });
  const beat = setInterval(() => {
    if (registering || stopped) return;
    const res = fetch(`${config.master}/mesonet/v1/agent/heartbeat`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ agent_id: agentId }), signal: AbortSignal.timeout(5000),
    });
    res.then(async (r) => {
      const body = (await r.json().catch(() => ({}))) as Obj;
      if (r.status === 404 || (r.ok && body['epoch'] !== epoch)) {
        registered = false;
        registering ??= register().finally(() => { registering = undefined; });
      }
    }, () => { /* master away: keep running tasks, keep trying */ });
  }, config.heartbeatSeconds * 1000);

  return {
    url: `http://${config.ip}:${port}`, port, tasks,
    agentId: () => agentId,
    async close(o = {}) {
      stopped = true;
      clearInterval(beat);
      sender.stop();
      if (o.killTasks !== false) {
        const running = tasks.list().filter((t) => t.proc);
        for (const t of tasks.list()) tasks.kill(t.info.task_id.value);
        await Promise.race([Promise.all(running.map((t) => t.proc!.exited)), new Promise((r) => setTimeout(r, (config.killGraceSeconds + 2) * 1000))]);
        // Let CNI DEL / netns removal of the killed tasks finish.
        await new Promise((r) => setTimeout(r, 50));
        for (let i = 0; i < 100 && tasks.list().some((t) => t.cni && !['TASK_KILLED', 'TASK_FAILED', 'TASK_FINISHED'].includes(t.state)); i++) await new Promise((r) => setTimeout(r, 50));
      }
      await app.close();
    },
  };
}

function buildAgentApp(config: AgentConfig, tasks: AgentTasks, agentId: () => string | undefined): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024, forceCloseConnections: true });
  app.post('/mesonet/v1/agent/launch', async (req, reply) => {
    const b = req.body as Obj;
    const task = b?.['task'] as V1TaskInfo | undefined;
    if (typeof b?.['framework_id'] !== 'string' || typeof task?.task_id?.value !== 'string') {
      return reply.code(400).send({ code: 'SCHED_ERR_BAD_REQUEST', message: 'framework_id and task.task_id.value are required' });
    }
    void tasks.launch(b['framework_id'], task);
    return reply.code(202).send();
  });
  app.post('/mesonet/v1/agent/kill', async (req, reply) => {
    const id = (req.body as Obj)?.['task_id'];
    if (typeof id !== 'string') return reply.code(400).send({ code: 'SCHED_ERR_BAD_REQUEST', message: 'task_id is required' });
    return tasks.kill(id) ? reply.code(202).send() : reply.code(404).send({ code: 'SCHED_ERR_NOT_FOUND', message: `unknown task '${id}'` });
  });
  app.get('/health', async () => 'OK');
  // Mesos agent `/state` (the shape Minuteman's mesos_state reads: frameworks[].executors[].tasks).
  const state = async () => {
    const byFw = new Map<string, Obj[]>();
    for (const t of tasks.list()) {
      const r = Resources.fromV1(t.info.resources);
      const rec = { info: t.info, id: t.info.task_id.value, frameworkId: t.frameworkId, agentId: agentId() ?? '', role: '*',
        resources: r.ok ? r.value : Resources.EMPTY, state: t.state, statuses: t.last ? [t.last] : [] };
      byFw.set(t.frameworkId, [...(byFw.get(t.frameworkId) ?? []), v0Task(rec)]);
    }
    const total = Resources.parse(config.resources);
    return {
      id: agentId() ?? '', pid: `slave(1)@${config.ip}:${config.port}`, hostname: config.hostname, version: '1.11.0',
      resources: total.ok ? total.value.toSummary() : {}, attributes: {},
      frameworks: [...byFw].map(([id, ts]) => ({ id, executors: [{ id: '', tasks: ts, completed_tasks: [] }], completed_executors: [] })),
      completed_frameworks: [],
    };
  };
  app.get('/state', state);
  app.get('/slave(1)/state', state);
  return app;
}
