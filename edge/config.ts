// Configuration of the edge room: marathon-lb's command-line flags with marathon-lb's defaults, plus
// mesonet's own (stats port, run directory, haproxy binary, resync period). FLAGS is the
// node:util parseArgs spec src/cmd uses; parseEdgeConfig turns the parsed values and the
// environment into a frozen EdgeConfig, reporting every problem at once. Pure.
import type { Problem, Result } from '../src/kernel/errors.js';
import { ok, err } from '../src/kernel/errors.js';

export interface EdgeConfig {
  readonly marathon: readonly string[];
  readonly haproxyConfig: string;
  readonly groups: readonly string[];
  /** --command: reload an externally managed HAProxy with this command instead of our own master. */
  readonly command: string | undefined;
  readonly maxReloadRetries: number;
  readonly reloadIntervalS: number;
  readonly strictMode: boolean;
  readonly archiveVersions: number;
  readonly healthCheck: boolean;
  readonly lruCacheCapacity: number;
  readonly haproxyMap: boolean;
  readonly dontBindHttpHttps: boolean;
  readonly groupHttpsByVhost: boolean;
  readonly sslCerts: string;
  readonly skipValidation: boolean;
  readonly skipConfigCleanup: boolean;
  readonly dry: boolean;
  readonly minServPortIpPerTask: number;
  readonly maxServPortIpPerTask: number;
  readonly maxBackoffS: number;
  readonly authCredentials: string | undefined;
  readonly marathonAuthCredentialFile: string | undefined;
  /** Directory of HAPROXY_<NAME> template files (marathon-lb: ./templates). */
  readonly templatesDir: string;
  /** Emit marathon-lb's exact reqirep/rspirep/rspadd (HAProxy ≤ 2.0) instead of modern equivalents. */
  readonly legacyDirectives: boolean;
  readonly statsPort: number;
  readonly statsBind: string;
  readonly runDir: string;
  readonly haproxyBin: string;
  readonly resyncIntervalS: number;
  /** Events arriving within this window are collapsed into one regeneration. */
  readonly burstMs: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Apps document for `edge config` (a /v2/apps?embed=apps.tasks body); '-' = stdin. */
  readonly apps: string | undefined;
  readonly frameworkName: string | undefined;
}

export const DEFAULTS: EdgeConfig = Object.freeze({
  marathon: Object.freeze(['http://master.mesos:8080']),
  haproxyConfig: '/etc/haproxy/haproxy.cfg',
  groups: Object.freeze([]),
  command: undefined,
  maxReloadRetries: 10,
  reloadIntervalS: 10,
  strictMode: false,
  archiveVersions: 5,
  healthCheck: false,
  lruCacheCapacity: 1000,
  haproxyMap: false,
  dontBindHttpHttps: false,
  groupHttpsByVhost: false,
  sslCerts: '/etc/ssl/cert.pem',
  skipValidation: false,
  skipConfigCleanup: false,
  dry: false,
  minServPortIpPerTask: 10050,
  maxServPortIpPerTask: 10100,
  maxBackoffS: 300,
  authCredentials: undefined,
  marathonAuthCredentialFile: undefined,
  templatesDir: 'templates',
  legacyDirectives: false,
  statsPort: 9090,
  statsBind: '0.0.0.0',
  runDir: '/run/mesonet-edge',
  haproxyBin: 'haproxy',
  resyncIntervalS: 300,
  burstMs: 100,
  logLevel: 'info',
  apps: undefined,
  frameworkName: undefined,
});

type Flag = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

/** parseArgs option spec: marathon-lb's flags (same names) plus mesonet's. */
export const FLAGS = {
  marathon: { type: 'string', short: 'm', multiple: true },
  'haproxy-config': { type: 'string' },
  group: { type: 'string', multiple: true },
  command: { type: 'string', short: 'c' },
  'max-reload-retries': { type: 'string' },
  'reload-interval': { type: 'string' },
  'strict-mode': { type: 'boolean' },
  sse: { type: 'boolean', short: 's' },
  'archive-versions': { type: 'string' },
  'health-check': { type: 'boolean', short: 'H' },
  'lru-cache-capacity': { type: 'string' },
  'haproxy-map': { type: 'boolean' },
  'dont-bind-http-https': { type: 'boolean' },
  'group-https-by-vhost': { type: 'boolean' },
  'ssl-certs': { type: 'string' },
  'skip-validation': { type: 'boolean' },
  'skip-config-cleanup': { type: 'boolean' },
  dry: { type: 'boolean', short: 'd' },
  'min-serv-port-ip-per-task': { type: 'string' },
  'max-serv-port-ip-per-task': { type: 'string' },
  'max-backoff': { type: 'string' },
  'syslog-socket': { type: 'string' },
  'log-format': { type: 'string' },
  'log-level': { type: 'string' },
  'marathon-auth-credential-file': { type: 'string' },
  'auth-credentials': { type: 'string' },
  'dcos-auth-credentials': { type: 'string' },
  'marathon-ca-cert': { type: 'string' },
  apps: { type: 'string' },
  'templates-dir': { type: 'string' },
  'legacy-directives': { type: 'boolean' },
  'stats-port': { type: 'string' },
  'stats-bind': { type: 'string' },
  'run-dir': { type: 'string' },
  'haproxy-bin': { type: 'string' },
  'resync-interval': { type: 'string' },
  'burst-ms': { type: 'string' },
} as const satisfies Record<string, Flag>;

export type FlagValues = { readonly [K in keyof typeof FLAGS]?: (typeof FLAGS)[K] extends { multiple: true } ? string[] : (typeof FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

const LOG_LEVELS: Readonly<Record<string, EdgeConfig['logLevel']>> = {
  debug: 'debug', info: 'info', warn: 'warn', warning: 'warn', error: 'error', critical: 'error',
};

/** Flags + environment → EdgeConfig; every problem is reported. */
export function parseEdgeConfig(v: FlagValues, env: Readonly<Record<string, string | undefined>> = {}): Result<EdgeConfig, Problem[]> {
  const problems: Problem[] = [];
  const int = (name: keyof typeof FLAGS, dflt: number, min: number, max: number): number => {
    const s = v[name] as string | undefined;
    if (s === undefined) return dflt;
    if (!/^-?\d+$/.test(s.trim())) { problems.push({ path: `--${name}`, message: `must be an integer, got '${s}'` }); return dflt; }
    const n = Number(s);
    if (n < min || n > max) problems.push({ path: `--${name}`, message: `must be between ${min} and ${max}, got ${n}` });
    return n;
  };
  const marathon = (v.marathon ?? []).flatMap((m) => m.split(',')).map((m) => m.trim().replace(/\/+$/, '')).filter(Boolean);
  for (const m of marathon) if (!/^https?:\/\/[^/]+/.test(m)) problems.push({ path: '--marathon', message: `not an http(s) URL: '${m}'` });
  const minPort = int('min-serv-port-ip-per-task', DEFAULTS.minServPortIpPerTask, 0, 65535);
  const maxPort = int('max-serv-port-ip-per-task', DEFAULTS.maxServPortIpPerTask, 0, 65535);
  if ((minPort === 0) !== (maxPort === 0)) problems.push({ path: '--min-serv-port-ip-per-task', message: 'give both --min- and --max-serv-port-ip-per-task, or neither (both 0 disables)' });
  if (minPort > maxPort) problems.push({ path: '--min-serv-port-ip-per-task', message: 'must not exceed --max-serv-port-ip-per-task' });
  const levelText = (v['log-level'] ?? DEFAULTS.logLevel).toLowerCase();
  const logLevel = LOG_LEVELS[levelText];
  if (!logLevel) problems.push({ path: '--log-level', message: `unknown level '${v['log-level']}'` });
  if (v['dcos-auth-credentials'] !== undefined) problems.push({ path: '--dcos-auth-credentials', message: 'DC/OS service-account login is not supported; use --auth-credentials' });
  const auth = v['auth-credentials'];
  if (auth !== undefined && !auth.includes(':')) problems.push({ path: '--auth-credentials', message: "want 'user:password'" });
  const cfg: EdgeConfig = Object.freeze({
    marathon: Object.freeze(marathon.length > 0 ? marathon : [...DEFAULTS.marathon]),
    haproxyConfig: v['haproxy-config'] ?? DEFAULTS.haproxyConfig,
    groups: Object.freeze([...(v.group ?? [])]),
    command: v.command,
    maxReloadRetries: int('max-reload-retries', DEFAULTS.maxReloadRetries, -1, 1_000_000),
    reloadIntervalS: int('reload-interval', DEFAULTS.reloadIntervalS, 0, 86_400),
    strictMode: v['strict-mode'] ?? false,
    archiveVersions: int('archive-versions', DEFAULTS.archiveVersions, 0, 1000),
    healthCheck: v['health-check'] ?? false,
    lruCacheCapacity: int('lru-cache-capacity', DEFAULTS.lruCacheCapacity, 1, 100_000_000),
    haproxyMap: v['haproxy-map'] ?? false,
    dontBindHttpHttps: v['dont-bind-http-https'] ?? false,
    groupHttpsByVhost: v['group-https-by-vhost'] ?? false,
    sslCerts: v['ssl-certs'] ?? DEFAULTS.sslCerts,
    skipValidation: v['skip-validation'] ?? false,
    skipConfigCleanup: v['skip-config-cleanup'] ?? false,
    dry: v.dry ?? false,
    minServPortIpPerTask: minPort,
    maxServPortIpPerTask: maxPort,
    maxBackoffS: int('max-backoff', DEFAULTS.maxBackoffS, 1, 86_400),
    authCredentials: auth,
    marathonAuthCredentialFile: v['marathon-auth-credential-file'],
    templatesDir: v['templates-dir'] ?? DEFAULTS.templatesDir,
    legacyDirectives: v['legacy-directives'] ?? false,
    statsPort: int('stats-port', DEFAULTS.statsPort, 0, 65535),
    statsBind: v['stats-bind'] ?? DEFAULTS.statsBind,
    runDir: v['run-dir'] ?? DEFAULTS.runDir,
    haproxyBin: v['haproxy-bin'] ?? DEFAULTS.haproxyBin,
    resyncIntervalS: int('resync-interval', DEFAULTS.resyncIntervalS, 1, 86_400),
    burstMs: int('burst-ms', DEFAULTS.burstMs, 0, 60_000),
    logLevel: logLevel ?? DEFAULTS.logLevel,
    apps: v.apps,
    frameworkName: env.FRAMEWORK_NAME,
  });
  if (cfg.groups.length === 0) problems.push({ path: '--group', message: "required: give at least one group ('*' for all)" });
  return problems.length > 0 ? err(problems) : ok(cfg);
}
