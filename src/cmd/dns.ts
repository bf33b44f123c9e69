// `mesonet dns records|serve`: the dns room's composition root (config file + flags, state file or
// masters, host-name lookups, signals).
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import os from 'node:os';
import type { Command } from './cli.js';
import { group, intFlag, parseFlags, UsageError } from './cli.js';
import { createLogger, parseLogLevel } from '../io/logger.js';
import { decodeMasterState } from '../kernel/mesos-state.js';
import { formatProblems, type Problem } from '../kernel/errors.js';
import { hostNamesToResolve, parseConfig, recordsFromSnapshot, recordsJson, startDaemon, type DnsConfig } from '../../dns/index.js';

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

async function readJson(file: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${what} ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** /etc/resolv.conf nameservers that are not our own addresses (mesos-dns GetLocalDNS). */
async function localResolvers(): Promise<string[]> {
  const own = new Set(Object.values(os.networkInterfaces()).flatMap((l) => l ?? []).map((a) => a.address));
  try {
    const text = await readFile('/etc/resolv.conf', 'utf8');
    return [...text.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!).filter((ip) => !own.has(ip));
  } catch {
    return [];
  }
}

/** Config from --config plus flag overrides; every problem at once → UsageError (exit 2). */
async function loadConfig(file: string | undefined, overrides: Record<string, unknown>, ignore: (p: Problem) => boolean = () => false): Promise<DnsConfig> {
  const base = file ? await readJson(file, '--config') : {};
  if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new UsageError(`--config ${file}: must be a JSON object`);
  const r = parseConfig({ ...base, ...overrides }, { file, localResolvers: await localResolvers() });
  if (r.ok) return r.value;
  const problems = r.error.filter((p) => !ignore(p));
  if (problems.length) throw new UsageError(`invalid DNS configuration:\n${formatProblems(problems)}`);
  // Only ignored problems: rebuild with a placeholder master so defaults apply, then drop it.
  const again = parseConfig({ ...base, ...overrides, masters: ['placeholder:5050'] }, { file, localResolvers: await localResolvers() });
  if (!again.ok) throw new UsageError(`invalid DNS configuration:\n${formatProblems(again.error)}`);
  return { ...again.value, Masters: [] };
}

const records: Command = {
  name: 'records',
  summary: 'print the mesos-dns records of a master state file as JSON',
  usage: `usage: mesonet dns records --state FILE [--config FILE]

Prints one JSON object, the Records of mesos-dns /v1/axfr:
  {"As":{name:[ip…]},"AAAAs":{name:[ip…]},"SRVs":{name:["target:port"…]}}
names fully qualified with a trailing dot, names and values sorted. Leader and masters come from
the state and the config as a mesos-dns reload takes them (a config without masters is accepted
here). Problems in the state are reported on stderr; the rest is still used.

  --state FILE    Mesos /master/state JSON
  --config FILE   mesos-dns config.json (default: mesos-dns defaults)`,
  async run(argv) {
    const { values } = parseFlags(argv, { state: { type: 'string' }, config: { type: 'string' } });
    if (!values.state) throw new UsageError('--state FILE is required');
    const cfg = await loadConfig(values.config, {}, (p) => p.path === 'Masters' && /specify Mesos masters/.test(p.message));
    const { snapshot, problems } = decodeMasterState(await readJson(values.state, '--state'));
    if (problems.length) process.stderr.write(formatProblems(problems) + '\n');
    const resolved = new Map<string, string[]>();
    await Promise.all(hostNamesToResolve(snapshot, cfg).map(async (h) => {
      try { resolved.set(h, (await lookup(h, { all: true })).map((a) => a.address)); } catch { resolved.set(h, []); }
    }));
    const local = Object.values(os.networkInterfaces()).flatMap((l) => l ?? []).filter((a) => !a.internal).map((a) => a.address.replace(/%.*$/, ''));
    const rs = recordsFromSnapshot(snapshot, cfg, { resolve: (h) => resolved.get(h) ?? [], localAddresses: local });
    process.stdout.write(JSON.stringify(recordsJson(rs)) + '\n');
    return 0;
  },
};

const serve: Command = {
  name: 'serve',
  summary: 'run the Mesos-DNS compatible server (DNS on 53, HTTP API on 8123)',
  usage: `usage: mesonet dns serve [--config FILE] [flags]

Serves the zone of the masters' state (v1 SUBSCRIBE stream when offered, else /master/state every
refreshSeconds), forwards other names to the resolvers, and serves the mesos-dns HTTP API.
Flags override the config file's keys. SIGTERM/SIGINT stop it.

  --config FILE          mesos-dns config.json
  --mesos URL[,URL…]     master base URLs (repeatable; sets masters, https:// sets MesosHTTPSOn)
  --state FILE           serve a fixed /master/state file instead of polling masters
  --domain NAME          zone (default mesos)
  --listener IP          DNS address (default 0.0.0.0)
  --port N               DNS port, UDP and TCP (default 53; 0 = any)
  --http-listener IP     HTTP address (default 0.0.0.0)
  --http-port N          HTTP port (default 8123; 0 = any)
  --resolvers IP[,IP…]   upstream resolvers (default 8.8.8.8)
  --refresh N            refreshSeconds (default 60)
  --ttl N                record TTL (default 60)
  --no-subscribe         only poll /master/state
  --log-level LEVEL      debug|info|warn|error (default info)`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      config: { type: 'string' }, mesos: { type: 'string', multiple: true }, state: { type: 'string' }, domain: { type: 'string' },
      listener: { type: 'string' }, port: { type: 'string' }, 'http-listener': { type: 'string' }, 'http-port': { type: 'string' },
      resolvers: { type: 'string' }, refresh: { type: 'string' }, ttl: { type: 'string' }, 'no-subscribe': { type: 'boolean' }, 'log-level': { type: 'string' },
    });
    const level = parseLogLevel(values['log-level'] ?? 'info');
    if (!level) throw new UsageError(`--log-level must be debug, info, warn or error`);
    const o: Record<string, unknown> = {};
    const urls = (values.mesos ?? []).flatMap((m) => m.split(',')).map((m) => m.trim()).filter(Boolean);
    if (urls.length) {
      o.Masters = urls.map((u) => u.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, ''));
      if (urls.some((u) => /^https:/i.test(u))) o.MesosHTTPSOn = true;
    }
    if (values.domain !== undefined) o.Domain = values.domain;
    if (values.listener !== undefined) o.Listener = values.listener;
    if (values['http-listener'] !== undefined) o.HTTPListener = values['http-listener'];
    if (values.port !== undefined) o.Port = intFlag('port', values.port, 53, 0, 65535);
    if (values['http-port'] !== undefined) o.HttpPort = intFlag('http-port', values['http-port'], 8123, 0, 65535);
    if (values.refresh !== undefined) o.RefreshSeconds = intFlag('refresh', values.refresh, 60, 1);
    if (values.ttl !== undefined) o.TTL = intFlag('ttl', values.ttl, 60, 1);
    if (values.resolvers !== undefined) o.Resolvers = values.resolvers.split(',').map((r) => r.trim()).filter(Boolean);
    if (values['no-subscribe']) o.Subscribe = false;
    const stateOnly = values.state !== undefined;
    const cfg = await loadConfig(values.config, o, stateOnly ? (p) => p.path === 'Masters' && /specify Mesos masters/.test(p.message) : undefined);
    if (!stateOnly && cfg.Masters.length === 0) throw new UsageError('no masters: give --mesos URL or "masters" in the config (ZooKeeper detection is not supported)');
    const logger = createLogger({ level, fields: { room: 'dns' } });
    const daemon = await startDaemon({ config: cfg, logger, version: packageVersion(), masterUrls: stateOnly ? [] : undefined });
    if (values.state) {
      const { snapshot, problems } = decodeMasterState(await readJson(values.state, '--state'));
      if (problems.length) logger.warn('problems in state file', { problems: formatProblems(problems) });
      await daemon.applySnapshot(snapshot);
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    await daemon.close();
    return 0;
  },
};

export const command: Command = group('dns', 'Mesos-DNS compatible server and record tools (records, serve)', [records, serve]);
