// `mesonet overlay`: leases (the lease contract as a CLI), agent (the overlay agent daemon) and
// master (a standalone overlay master, for labs; the scheduler's master embeds the same routes).
import { readFile } from 'node:fs/promises';
import { formatProblems } from '../kernel/errors.js';
import { group, parseFlags, intFlag, UsageError, type Command } from './cli.js';
import {
  parseConfig, withOverrides, allocateAll, emptyTable, parseLeaseTable, viewOf, overlayMasterRoutes, fileLeaseStore,
  memoryLeaseStore, OverlayAgent, startAgentHttp, runnerFor, type OverlayConfig,
} from '../../overlay/index.js';

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`${what} ${path} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Config from --config (or DEFAULTS), with flag overrides in file-key form; problems → UsageError. */
async function loadConfig(file: string | undefined, overrides: Record<string, unknown> = {}): Promise<OverlayConfig> {
  const base = parseConfig(file === undefined ? {} : await readJson(file, 'config'));
  if (!base.ok) throw new UsageError(`invalid config:\n${formatProblems(base.error)}`);
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const r = Object.keys(defined).length ? withOverrides(base.value, defined) : base;
  if (!r.ok) throw new UsageError(`invalid config:\n${formatProblems(r.error)}`);
  return r.value;
}

function hostPort(flag: string, v: string): { host: string; port: number } {
  const m = /^(.+):(\d+)$/.exec(v);
  if (!m) throw new UsageError(`--${flag} must be HOST:PORT, got '${v}'`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: intFlag(flag, m[2], 0, 0, 65535) };
}

const leases: Command = {
  name: 'leases',
  summary: 'print the leases agents get, in registration order',
  usage: `usage: mesonet overlay leases --agents FILE [--config FILE] [--table FILE]

Leases for the agents in FILE ({"agents":[{"id","ip"}…]}, registration order), allocated as the
overlay master does: lowest free /prefix block, lowest free VTEP address, MAC = OUI + last 3 bytes.
Prints {"agents":[{"id","ip","subnet","mDcos","dDcos","vtepIp","vtepMac"}…]}. An agent that gets no
lease (exhausted) is printed with {"id","ip","error":{"code","message"}} and the exit code is 1.
  --config FILE   overlay config (mesos module style keys); default DC/OS 9.0.0.0/8, 44.128.0.0/20
  --table FILE    an existing lease table ({"version":1,"agents":[…]}) to allocate on top of`,
  async run(argv) {
    const { values } = parseFlags(argv, { agents: { type: 'string' }, config: { type: 'string' }, table: { type: 'string' } });
    if (!values.agents) throw new UsageError('--agents FILE is required');
    const cfg = await loadConfig(values.config);
    const input = await readJson(values.agents, 'agents file');
    const list = (input as { agents?: unknown } | null)?.agents;
    if (!Array.isArray(list)) throw new UsageError('agents file must be {"agents":[{"id","ip"}…]}');
    let table = emptyTable();
    if (values.table) {
      const t = parseLeaseTable(await readJson(values.table, 'lease table'), cfg);
      if (t.problems.length) process.stderr.write(`mesonet overlay leases: lease table: ${formatProblems(t.problems)}\n`);
      table = t.table;
    }
    const agents = list.map((a: unknown) => {
      const o = (a ?? {}) as { id?: unknown; ip?: unknown };
      return { id: String(o.id ?? ''), ip: String(o.ip ?? '') };
    });
    const { results } = allocateAll(table, cfg, agents);
    let failed = 0;
    const out = results.map(({ agent, lease }) => {
      if (lease.ok) return viewOf(lease.value);
      failed++;
      process.stderr.write(`mesonet overlay leases: ${lease.error.message}\n`);
      return { id: agent.id, ip: agent.ip, error: { code: lease.error.code, message: lease.error.message } };
    });
    process.stdout.write(JSON.stringify({ agents: out }, null, 2) + '\n');
    return failed ? 1 : 0;
  },
};

const untilSignal = () => new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});

const agent: Command = {
  name: 'agent',
  summary: 'program this host for the overlay, following the master',
  usage: `usage: mesonet overlay agent --master URL --agent-id ID --underlay-ip IP [flags]

Follows URL/overlay-master/state (long-poll; registers itself when absent) and keeps the VTEP, the
bridges, per-peer neighbour/FDB/route entries and the masquerade chain in step with it.
  --config FILE             overlay config (mesos module style keys)
  --listen HOST:PORT        serve GET /overlay-agent/overlay (default: no HTTP)
  --docker-bridge           also create the d-<name> bridge
  --no-mesos-bridge         no m-<name> bridge (a master: VTEP only)
  --vtep-name NAME  --mesos-bridge-name NAME  --docker-bridge-name NAME  --nat-chain NAME
  --cni-conf-dir DIR        write <name>.conf there (default: do not write)
  --cni-data-dir DIR        IPAM data dir named in that conf
  --reconcile-seconds N     full reconcile period (default 30)
  --poll-ms N               poll period against a master without long-poll (default 1000)
  --no-register             do not register with the master when absent from its state`,
  async run(argv) {
    const { values: v } = parseFlags(argv, {
      master: { type: 'string' }, 'agent-id': { type: 'string' }, 'underlay-ip': { type: 'string' }, config: { type: 'string' },
      listen: { type: 'string' }, 'docker-bridge': { type: 'boolean' }, 'no-mesos-bridge': { type: 'boolean' },
      'vtep-name': { type: 'string' }, 'mesos-bridge-name': { type: 'string' }, 'docker-bridge-name': { type: 'string' },
      'nat-chain': { type: 'string' }, 'cni-conf-dir': { type: 'string' }, 'cni-data-dir': { type: 'string' },
      'reconcile-seconds': { type: 'string' }, 'poll-ms': { type: 'string' }, 'no-register': { type: 'boolean' },
    });
    if (!v.master || !v['agent-id'] || !v['underlay-ip']) throw new UsageError('--master, --agent-id and --underlay-ip are required');
    const cfg = await loadConfig(v.config, {
      docker_bridge: v['docker-bridge'] ? true : undefined, mesos_bridge: v['no-mesos-bridge'] ? false : undefined,
      vtep_name: v['vtep-name'], mesos_bridge_name: v['mesos-bridge-name'], docker_bridge_name: v['docker-bridge-name'],
      nat_chain: v['nat-chain'], cni_dir: v['cni-conf-dir'], cni_data_dir: v['cni-data-dir'],
    });
    const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
    const a = new OverlayAgent({
      config: cfg, agentId: v['agent-id'], underlayIp: v['underlay-ip'], master: v.master, run: runnerFor(undefined),
      reconcileMs: intFlag('reconcile-seconds', v['reconcile-seconds'], 30, 1, 86_400) * 1000,
      pollMs: intFlag('poll-ms', v['poll-ms'], 1000, 50, 600_000), register: !v['no-register'],
      writeCniConf: v['cni-conf-dir'] !== undefined, log,
    });
    const http = v.listen ? await startAgentHttp(a, cfg, v['underlay-ip'], hostPort('listen', v.listen)) : undefined;
    if (http) log(`overlay-agent: listening on ${JSON.stringify(http.server.address())}`);
    a.start();
    await untilSignal();
    await a.stop();
    await http?.close();
    return 0;
  },
};

const master: Command = {
  name: 'master',
  summary: 'a standalone overlay master (labs; the core master embeds it)',
  usage: `usage: mesonet overlay master --listen HOST:PORT [--state FILE] [--config FILE]

Serves /overlay-master/state, /overlay-master/agents/register and /overlay-master/agents/delete.
Leases persist in FILE (default: in memory only). Prints "listening on http://HOST:PORT".`,
  async run(argv) {
    const { values: v } = parseFlags(argv, { listen: { type: 'string' }, state: { type: 'string' }, config: { type: 'string' } });
    if (!v.listen) throw new UsageError('--listen HOST:PORT is required');
    const cfg = await loadConfig(v.config);
    const { default: fastify } = await import('fastify');
    const app = fastify({ logger: false });
    const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
    const m = overlayMasterRoutes(app, v.state ? fileLeaseStore(v.state) : memoryLeaseStore(), cfg, log);
    await m.ready;
    const lp = hostPort('listen', v.listen);
    await app.listen({ host: lp.host, port: lp.port });
    const addr = app.server.address();
    process.stdout.write(`listening on http://${lp.host}:${typeof addr === 'object' && addr ? addr.port : lp.port}\n`);
    await untilSignal();
    await app.close();
    return 0;
  },
};

export const command = group('overlay', 'VXLAN overlay: leases, agent programming, standalone master', [leases, agent, master]);
