// `mesonet marathon`: the app scheduler as a framework of the master, serving Marathon's REST API.
// State (framework id, apps, tasks) lives in --work-dir when given, in memory otherwise.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { MarathonConfig } from '../config.js';
import { MemoryStore, type Store } from '../store.js';
import { openFileStore } from './file-store.js';
import { MarathonEngine } from './marathon-engine.js';
import { buildMarathonApp } from './marathon-http.js';

export interface MarathonHandle {
  readonly url: string;
  readonly port: number;
  readonly engine: MarathonEngine;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export async function startMarathon(config: MarathonConfig, opts: { log?: (m: string) => void } = {}): Promise<MarathonHandle> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`marathon: ${m}\n`));
  const store: Store = config.workDir ? await openFileStore(join(config.workDir, 'store')) : new MemoryStore();
  const cfg: MarathonConfig = { ...config };
  const engine = new MarathonEngine(cfg, store, log);
  const app = buildMarathonApp(engine);
  await app.listen({ host: config.ip, port: config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  (cfg as { port: number }).port = port;
  engine.start();
  log(`listening on http://${config.ip}:${port}, framework '${config.frameworkName}' on ${config.master}`);
  return {
    url: `http://${config.ip}:${port}`, port, engine, app,
    async close() {
      engine.stop();
      await app.close();
      await store.close();
    },
  };
}
