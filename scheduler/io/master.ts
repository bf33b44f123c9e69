// `mesonet master`: open the store (a directory when --work-dir is given, memory otherwise), recover,
// serve HTTP, and run the periodic tick (agent timeouts, framework failover, batch allocation).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { MasterConfig } from '../config.js';
import { MemoryStore, type Store } from '../store.js';
import type { AgentRec } from '../master-model.js';
import type { V1TaskInfo } from '../mesos-types.js';
import { MasterCore, type AgentLink } from './master-core.js';
import { buildMasterApp } from './master-http.js';
import { checkAgents } from './master-agents.js';
import { checkFrameworks } from './master-calls.js';
import { openFileStore } from './file-store.js';
import { join } from 'node:path';

export interface MasterHandle {
  readonly url: string;
  readonly port: number;
  readonly core: MasterCore;
  /** The master's store: room-owned records (e.g. overlay leases) live in their own namespaces. */
  readonly store: Store;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export interface MasterOptions {
  /** Extra routes (e.g. the overlay master's lease API), registered before listening. */
  readonly routes?: (app: FastifyInstance, ctx: { store: Store; core: MasterCore }) => void | Promise<void>;
  readonly log?: (msg: string) => void;
  /** Seeded randomness for the allocator's agent shuffle (tests). */
  readonly rng?: () => number;
  /** How the master reaches agents (default: their HTTP API). */
  readonly agentLink?: AgentLink;
}

/** Agents are reached over their HTTP API (`/mesonet/v1/agent/launch|kill`). */
export const httpAgentLink: AgentLink = {
  async launch(agent: AgentRec, frameworkId: string, task: V1TaskInfo) {
    await postJson(`http://${agent.ip}:${agent.port}/mesonet/v1/agent/launch`, { framework_id: frameworkId, task });
  },
  async kill(agent: AgentRec, frameworkId: string, taskId: string) {
    await postJson(`http://${agent.ip}:${agent.port}/mesonet/v1/agent/kill`, { framework_id: frameworkId, task_id: taskId });
  },
};

export async function postJson(url: string, body: unknown, timeoutMs = 5000): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

export async function startMaster(config: MasterConfig, opts: MasterOptions = {}): Promise<MasterHandle> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`master: ${m}\n`));
  const store = config.workDir ? await openFileStore(join(config.workDir, 'store')) : new MemoryStore();
  const core = await MasterCore.open({ ...config }, store, { now: Date.now, uuid: randomUUID, rng: opts.rng ?? Math.random, agentLink: opts.agentLink ?? httpAgentLink, log });
  const app = buildMasterApp(core);
  if (opts.routes) await opts.routes(app, { store, core });
  await app.listen({ host: config.ip, port: config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  // With an ephemeral port the pid must show the real one.
  (core.model.info as { port: number }).port = port;
  (core.config as { port: number }).port = port;
  const timer = setInterval(() => {
    try {
      checkAgents(core);
      checkFrameworks(core);
      core.allocatePeriodic();
    } catch (e) {
      log(`tick failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }, Math.min(config.allocationIntervalSeconds, config.agentTimeoutSeconds / 2) * 1000);
  log(`listening on http://${config.ip}:${port} (id ${core.model.info.id}${config.workDir ? `, state in ${config.workDir}/store` : ', state in memory'})`);
  return {
    url: `http://${config.ip}:${port}`, port, core, store, app,
    async close() {
      clearInterval(timer);
      for (const c of core.conns.values()) c.close();
      await app.close();
      await store.close();
    },
  };
}
