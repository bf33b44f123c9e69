// `mesonet l4lb serve|vips|rules|clean`: the Minuteman-style balancer's composition root.
import { readFile } from 'node:fs/promises';
import type { Command } from './cli.js';
import { group, intFlag, parseFlags, UsageError } from './cli.js';
import { createLogger, parseLogLevel } from '../io/logger.js';
import { startChangeStream } from '../io/change-stream.js';
import { formatProblems } from '../kernel/errors.js';
import { buildApi, buildVipTable, cliVips, desiredRules, L4lbService, parseConfig, readStateFile, reconcileRules, removeRules, tcpVips, watchStateFile, type L4lbConfig } from '../../l4lb/index.js';

const COMMON = {
  config: { type: 'string' },
  'named-range': { type: 'string' },
  ipset: { type: 'string' },
  chain: { type: 'string' },
  queues: { type: 'string' },
} as const;

const COMMON_USAGE = `  --config FILE         JSON config (keys of l4lb/config.ts; flags override it)
  --named-range CIDR    range named VIPs are hashed into (default 11.0.0.0/8)
  --ipset NAME          ipset of VIPs (default minuteman)
  --chain NAME          our iptables chain in raw, filter and nat (default MINUTEMAN)
  --queues A:B          NFQUEUE range (default 50:58)`;

type CommonValues = { [K in keyof typeof COMMON]?: string } & Record<string, unknown>;

async function loadConfig(v: CommonValues, extra: Record<string, unknown> = {}): Promise<L4lbConfig> {
  let base: Record<string, unknown> = {};
  if (v.config) {
    try {
      base = JSON.parse(await readFile(v.config, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`--config ${v.config}: ${(e as Error).message}`);
    }
  }
  const flags: Record<string, unknown> = { ...extra };
  if (v['named-range'] !== undefined) flags.namedRange = v['named-range'];
  if (v.ipset !== undefined) flags.ipset = v.ipset;
  if (v.chain !== undefined) flags.chain = v.chain;
  if (v.queues !== undefined) {
    const m = /^(\d+)(?::(\d+))?$/.exec(v.queues);
    if (!m) throw new UsageError(`--queues must be N or A:B, got '${v.queues}'`);
    flags.queueFirst = m[1];
    flags.queueLast = m[2] ?? m[1];
  }
  const r = parseConfig({ ...base, ...flags }, { coerceStrings: true });
  if (!r.ok) throw new UsageError(`bad configuration:\n${formatProblems(r.error)}`);
  return r.value;
}

const vips: Command = {
  name: 'vips',
  summary: 'print the VIP table of a master state file as JSON',
  usage: `usage: mesonet l4lb vips --state FILE [flags]

Prints a JSON array, one entry per VIP, sorted by vip:
  {"vip":"ip:port","protocol":"tcp","name":"<fqdn>" (named VIPs only),"backends":[{"ip","port","weight"}]}
Skipped labels are reported on stderr.

  --state FILE          Mesos /master/state JSON
${COMMON_USAGE}`,
  async run(argv) {
    const { values } = parseFlags(argv, { ...COMMON, state: { type: 'string' } });
    if (!values.state) throw new UsageError('--state FILE is required');
    const cfg = await loadConfig(values);
    let decoded;
    try {
      decoded = await readStateFile(values.state);
    } catch (e) {
      process.stderr.write(`mesonet l4lb vips: ${(e as Error).message}\n`);
      return 1;
    }
    const table = buildVipTable(decoded.snapshot, { namedRange: cfg.namedRange, zone: cfg.zone, reserved: cfg.reserved });
    const problems = [...decoded.problems, ...table.problems];
    if (problems.length) process.stderr.write(formatProblems(problems) + '\n');
    process.stdout.write(JSON.stringify(cliVips(table.vips)) + '\n');
    return 0;
  },
};

const rules: Command = {
  name: 'rules',
  summary: 'print the ipset/iptables input the balancer would apply for a state file',
  usage: `usage: mesonet l4lb rules --state FILE [flags]\n\n  --state FILE          Mesos /master/state JSON\n${COMMON_USAGE}`,
  async run(argv) {
    const { values } = parseFlags(argv, { ...COMMON, state: { type: 'string' } });
    if (!values.state) throw new UsageError('--state FILE is required');
    const cfg = await loadConfig(values);
    const decoded = await readStateFile(values.state);
    const table = buildVipTable(decoded.snapshot, { namedRange: cfg.namedRange, zone: cfg.zone, reserved: cfg.reserved });
    const d = desiredRules({ ipset: cfg.ipset, chain: cfg.chain, queueFirst: cfg.queueFirst, queueLast: cfg.queueLast }, tcpVips(table));
    process.stdout.write(`# ipset ${cfg.ipset}\n${d.members.join('\n')}\n*raw\n${d.raw.join('\n')}\n*filter\n${d.filter.join('\n')}\n`);
    return 0;
  },
};

const apply: Command = {
  name: 'apply',
  summary: 'reconcile this namespace\'s ipset and rules to a state file once (no data path)',
  usage: `usage: mesonet l4lb apply --state FILE [flags]\n\nObserve → plan → apply; prints the operations done as a JSON array ([] when nothing changed).\n\n  --state FILE          Mesos /master/state JSON\n${COMMON_USAGE}`,
  async run(argv) {
    const { values } = parseFlags(argv, { ...COMMON, state: { type: 'string' } });
    if (!values.state) throw new UsageError('--state FILE is required');
    const cfg = await loadConfig(values);
    const decoded = await readStateFile(values.state);
    const table = buildVipTable(decoded.snapshot, { namedRange: cfg.namedRange, zone: cfg.zone, reserved: cfg.reserved });
    const names = { ipset: cfg.ipset, chain: cfg.chain, queueFirst: cfg.queueFirst, queueLast: cfg.queueLast };
    const ops = await reconcileRules(names, desiredRules(names, tcpVips(table)));
    process.stdout.write(JSON.stringify(ops.map((o) => o.why)) + '\n');
    return 0;
  },
};

const clean: Command = {
  name: 'clean',
  summary: 'remove the balancer\'s chains, jumps and ipset from this network namespace',
  usage: `usage: mesonet l4lb clean [flags]\n\n${COMMON_USAGE}`,
  async run(argv) {
    const { values } = parseFlags(argv, COMMON);
    const cfg = await loadConfig(values);
    const ops = await removeRules({ ipset: cfg.ipset, chain: cfg.chain, queueFirst: cfg.queueFirst, queueLast: cfg.queueLast });
    for (const op of ops) process.stderr.write(`${op.why}\n`);
    return 0;
  },
};

const serve: Command = {
  name: 'serve',
  summary: 'run the balancer: NFQUEUE data path, kernel rules, HTTP API on 61421',
  usage: `usage: mesonet l4lb serve (--master URL... | --state FILE) [flags]

Binds the NFQUEUE range, keeps the ipset and rules equal to the VIPs of the snapshot, and
serves /vips, /v1/vips and /metrics. SIGTERM/SIGINT stop it and leave the rules in place
(established flows continue; new SYNs to VIPs are refused until it is back).

  --master URL          master base URL (repeatable): SUBSCRIBE stream, /master/state polling fallback
  --state FILE          Mesos /master/state JSON file, re-read when it changes
  --api-host IP         HTTP listen address (default 0.0.0.0)
  --api-port N          HTTP port (default 61421; 0 = ephemeral, printed on stderr)
  --log-level LEVEL     debug|info|warn|error (default info)
${COMMON_USAGE}`,
  async run(argv) {
    const { values } = parseFlags(argv, { ...COMMON, master: { type: 'string', multiple: true }, state: { type: 'string' }, 'api-host': { type: 'string' }, 'api-port': { type: 'string' }, 'log-level': { type: 'string' } });
    if (!values.state === !values.master) throw new UsageError('give exactly one of --master URL or --state FILE');
    const level = parseLogLevel(values['log-level'] ?? 'info');
    if (!level) throw new UsageError(`--log-level must be debug|info|warn|error, got '${values['log-level']}'`);
    const extra: Record<string, unknown> = {};
    if (values['api-host'] !== undefined) extra.apiHost = values['api-host'];
    if (values['api-port'] !== undefined) extra.apiPort = String(intFlag('api-port', values['api-port'], 61421, 0, 65535));
    const cfg = await loadConfig(values, extra);
    const log = createLogger({ level, fields: { room: 'l4lb' } });

    const service = new L4lbService(cfg, log);
    try {
      await service.start();
    } catch (e) {
      log.error('cannot start the data path', { err: e });
      return 1;
    }
    const app = buildApi(service);
    await app.listen({ host: cfg.apiHost, port: cfg.apiPort });
    const addr = app.server.address();
    log.info('l4lb serving', { api: typeof addr === 'object' && addr ? `${addr.address}:${addr.port}` : String(addr), queues: `${cfg.queueFirst}:${cfg.queueLast}`, ipset: cfg.ipset, chain: cfg.chain });

    const onError = (e: unknown) => log.warn('snapshot source failed; keeping the last good table', { err: e });
    const stopSource = values.state
      ? (() => { const w = watchStateFile(values.state!, (s, p) => { if (p.length) log.warn('state problems', { problems: formatProblems(p) }); void service.onSnapshot(s); }, onError); return async () => w.stop(); })()
      : (() => { const cs = startChangeStream({ masters: values.master!, logger: log, onSnapshot: (s) => void service.onSnapshot(s) }); return () => cs.stop(); })();

    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    log.info('stopping; rules stay in place');
    await stopSource();
    await app.close();
    await service.stop();
    return 0;
  },
};

export const command: Command = group('l4lb', 'Minuteman-style VIP load balancer (serve, vips, rules, apply, clean)', [serve, vips, rules, apply, clean]);
