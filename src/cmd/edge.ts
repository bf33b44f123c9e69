// `mesonet edge`: marathon-lb drop-in.
//   mesonet edge config [--apps FILE|-] [marathon-lb flags]   print haproxy.cfg (as marathon_lb.py --dry)
//   mesonet edge serve  [marathon-lb flags]                    the daemon (also: mesonet edge --marathon …)
import { readFileSync } from 'node:fs';
import type { Command } from './cli.js';
import { parseFlags, UsageError } from './cli.js';
import { createLogger } from '../io/logger.js';
import { formatProblems } from '../kernel/errors.js';
import { decodeMarathonApps, dropNulls } from '../kernel/marathon.js';
import {
  EdgeDaemon, FLAGS, generate, HostResolver, hostsToResolve, loadTemplates, MarathonClient, optionsFromConfig, parseEdgeConfig,
  readTemplateFiles, startStatsServer, type EdgeConfig, type FlagValues,
} from '../../edge/index.js';

const usage = `usage: mesonet edge config [--apps FILE|-] --group G [marathon-lb flags]
       mesonet edge serve --marathon URL --group G [marathon-lb flags]

marathon-lb drop-in: HAProxy config from Marathon apps and their HAPROXY_* labels.
  config   print the full haproxy.cfg to stdout, as marathon_lb.py --dry does (apps from --apps,
           a /v2/apps?embed=apps.tasks body, or '-' for stdin; else fetched from --marathon)
  serve    follow /v2/events, regenerate, validate, install and reload HAProxy without dropping
           connections; endpoints on --stats-port (9090)

marathon-lb flags (same names and defaults): --marathon/-m URL (repeatable or comma list;
  http://master.mesos:8080), --group G (repeatable, required; '*' = all), --haproxy-config PATH
  (/etc/haproxy/haproxy.cfg), --ssl-certs LIST (/etc/ssl/cert.pem), --haproxy-map,
  --group-https-by-vhost, --dont-bind-http-https, --health-check/-H, --strict-mode,
  --min-serv-port-ip-per-task N (10050), --max-serv-port-ip-per-task N (10100), --command/-c CMD,
  --max-reload-retries N (10), --reload-interval S (10), --archive-versions N (5),
  --lru-cache-capacity N (1000), --skip-validation, --skip-config-cleanup, --dry/-d, --sse/-s,
  --max-backoff S (300), --auth-credentials user:pass, --log-level LEVEL
mesonet flags: --apps FILE, --templates-dir DIR (templates), --legacy-directives (emit marathon-lb's
  reqirep/rspirep/rspadd instead of HAProxy 2.1+ equivalents), --stats-port N (9090),
  --stats-bind ADDR (0.0.0.0), --run-dir DIR (/run/mesonet-edge), --haproxy-bin PATH (haproxy),
  --resync-interval S (300), --burst-ms MS (100)
Environment: HAPROXY_<TEMPLATE> overrides, HAPROXY_GLOBAL_DEFAULT_OPTIONS, FRAMEWORK_NAME.`;

function config(argv: string[]): EdgeConfig {
  const { values } = parseFlags(argv, FLAGS);
  const r = parseEdgeConfig(values as FlagValues, process.env);
  if (!r.ok) throw new UsageError(formatProblems(r.error).replaceAll('\n', '; '));
  const file = r.value.marathonAuthCredentialFile;
  if (file !== undefined && r.value.authCredentials === undefined) {
    let auth: string;
    try { auth = readFileSync(file, 'utf8').trim(); } catch (e) { throw new UsageError(`--marathon-auth-credential-file: ${(e as Error).message}`); }
    return Object.freeze({ ...r.value, authCredentials: auth });
  }
  return r.value;
}

async function printConfig(cfg: EdgeConfig): Promise<number> {
  const log = createLogger({ level: cfg.logLevel === 'debug' ? 'debug' : 'warn' });
  let decoded;
  if (cfg.apps !== undefined) {
    let text: string;
    try {
      text = readFileSync(cfg.apps === '-' ? 0 : cfg.apps, 'utf8');
    } catch (e) {
      process.stderr.write(`mesonet edge config: cannot read ${cfg.apps}: ${(e as Error).message}\n`);
      return 1;
    }
    let doc: unknown;
    try { doc = JSON.parse(text); } catch (e) {
      process.stderr.write(`mesonet edge config: ${cfg.apps} is not JSON: ${(e as Error).message}\n`);
      return 1;
    }
    decoded = decodeMarathonApps(dropNulls(doc));
  } else {
    try { decoded = await new MarathonClient({ urls: cfg.marathon, auth: cfg.authCredentials, log }).apps(); } catch (e) {
      process.stderr.write(`mesonet edge config: ${(e as Error).message}\n`);
      return 1;
    }
  }
  for (const p of decoded.problems) process.stderr.write(`warning: ${p.path}: ${p.message}\n`);
  const resolve = await new HostResolver(cfg.lruCacheCapacity).prepare(hostsToResolve(decoded.apps));
  const templates = loadTemplates({ env: process.env, files: readTemplateFiles(cfg.templatesDir), modern: !cfg.legacyDirectives });
  const g = generate(decoded.apps, optionsFromConfig(cfg), templates, resolve);
  if (!g.ok) {
    process.stderr.write(`mesonet edge config: ${g.error}\n`);
    return 1;
  }
  for (const s of g.value.skipped) process.stderr.write(`left out: ${s.appId}${s.servicePort !== undefined ? `:${s.servicePort}` : ''}: ${s.reason}\n`);
  // marathon_lb.py --dry does print(config): the config, then one newline.
  process.stdout.write(`${g.value.config}\n`);
  return 0;
}

async function serve(cfg: EdgeConfig): Promise<number> {
  if (cfg.dry) return printConfig(cfg);
  const log = createLogger({ level: cfg.logLevel, fields: { room: 'edge' } });
  const d = new EdgeDaemon(cfg, { log, env: process.env });
  try {
    await d.start();
  } catch (e) {
    await d.stop();
    throw e;
  }
  const http = await startStatsServer(d, cfg.statsBind, cfg.statsPort);
  log.info('edge serving', { stats: `${cfg.statsBind}:${cfg.statsPort}`, haproxy: d.haproxy?.pid, config: cfg.haproxyConfig });
  process.on('SIGHUP', () => { void d.sync('SIGHUP'); });
  process.on('SIGUSR1', () => { void d.reloadExisting(); });
  return new Promise((resolve) => {
    const stop = (): void => {
      log.info('edge stopping');
      void http.close().then(() => d.stop()).then(() => resolve(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

export const command: Command = {
  name: 'edge',
  summary: 'marathon-lb compatible edge: HAProxy config from Marathon (config, serve)',
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === undefined) {
      process.stdout.write(`${usage}\n`);
      return 2;
    }
    if (sub === 'config') return printConfig(config(rest));
    if (sub === 'serve') return serve(config(rest));
    if (sub.startsWith('-')) return serve(config(argv));
    throw new UsageError(`unknown command 'edge ${sub}'`);
  },
};
