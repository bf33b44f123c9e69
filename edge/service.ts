// One load-balanced service = one Marathon app × one service port, as marathon-lb's MarathonService
// holds it, and the per-port `HAPROXY_{n}_*` labels that shape it. Labels are applied in
// marathon-lb's order (alphabetical by label name, so BACKEND_WEIGHT precedes PATH's weight bump).
// A label value marathon-lb could not parse (AUTH without three parts, PORT that is not an int) is
// a Problem for that port instead of an exception. Pure.
import type { MarathonHealthCheck } from '../src/kernel/marathon.js';
import { isPortTemplate, type PortTemplate } from './templates.js';

export interface Backend {
  readonly host: string;
  readonly ip: string;
  readonly port: number;
  readonly draining: boolean;
}

export interface Service {
  appId: string;
  servicePort: number;
  backends: Backend[];
  hostname: string | undefined;
  proxypath: string | undefined;
  revproxypath: string | undefined;
  redirpath: string | undefined;
  /** Per-port HAPROXY_{n}_GROUP; undefined when not set (then `groups` applies). */
  haproxyGroups: string[] | undefined;
  path: string | undefined;
  authRealm: string | undefined;
  authUser: string | undefined;
  authPasswd: string | undefined;
  sticky: boolean;
  enabled: boolean;
  redirectHttpToHttps: boolean;
  useHsts: boolean;
  sslCert: string | undefined;
  bindOptions: string | undefined;
  bindAddr: string;
  /** App-level HAPROXY_GROUP list. */
  groups: string[];
  mode: string | undefined;
  balance: string;
  healthCheck: MarathonHealthCheck | undefined;
  /** Per-port template overrides by template name. */
  labels: Partial<Record<PortTemplate, string>>;
  backendWeight: number;
  networkAllowed: string | undefined;
  healthcheckPortIndex: number | undefined;
}

export function newService(appId: string, servicePort: number, healthCheck: MarathonHealthCheck | undefined, strictMode: boolean): Service {
  return {
    appId, servicePort, backends: [], hostname: undefined, proxypath: undefined, revproxypath: undefined, redirpath: undefined,
    haproxyGroups: undefined, path: undefined, authRealm: undefined, authUser: undefined, authPasswd: undefined, sticky: false,
    enabled: !strictMode, redirectHttpToHttps: false, useHsts: false, sslCert: undefined, bindOptions: undefined, bindAddr: '*',
    groups: [], mode: healthCheck && protocolOf(healthCheck) === 'HTTP' ? 'http' : undefined, balance: 'roundrobin', healthCheck,
    labels: {}, backendWeight: 0, networkAllowed: undefined, healthcheckPortIndex: undefined,
  };
}

/** A health check's protocol; Marathon's default is HTTP. */
export const protocolOf = (hc: MarathonHealthCheck): string => hc.protocol ?? 'HTTP';

/** marathon-lb's string_to_bool. */
export const toBool = (v: string): boolean => ['true', 't', 'yes', 'y'].includes(v.toLowerCase());

/** Python int(): optional sign, digits, surrounding whitespace; anything else is undefined. */
export function pyInt(v: string): number | undefined {
  const s = v.trim().replaceAll(/(?<=\d)_(?=\d)/g, '');
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

type Setter = (s: Service, v: string) => string | undefined;

const BEHAVIOUR: Readonly<Record<string, Setter>> = {
  AUTH: (s, v) => {
    const parts = v.split(':');
    if (parts.length !== 3) return `want realm:user:password, got ${parts.length} part(s)`;
    [s.authRealm, s.authUser, s.authPasswd] = parts as [string, string, string];
    return undefined;
  },
  VHOST: (s, v) => { s.hostname = v.toLowerCase(); return undefined; },
  GROUP: (s, v) => { s.haproxyGroups = v.split(','); return undefined; },
  PATH: (s, v) => { s.path = v; if (s.backendWeight === 0) s.backendWeight = 1; return undefined; },
  STICKY: (s, v) => { s.sticky = toBool(v); return undefined; },
  ENABLED: (s, v) => { s.enabled = toBool(v); return undefined; },
  REDIRECT_TO_HTTPS: (s, v) => { s.redirectHttpToHttps = toBool(v); return undefined; },
  USE_HSTS: (s, v) => { s.useHsts = toBool(v); return undefined; },
  SSL_CERT: (s, v) => { s.sslCert = v; return undefined; },
  BIND_OPTIONS: (s, v) => { s.bindOptions = v; return undefined; },
  BIND_ADDR: (s, v) => { s.bindAddr = v; return undefined; },
  PORT: (s, v) => intSetter(v, (n) => { s.servicePort = n; }),
  MODE: (s, v) => { s.mode = v.toLowerCase(); return undefined; },
  BALANCE: (s, v) => { s.balance = v; return undefined; },
  HTTP_BACKEND_PROXYPASS_PATH: (s, v) => { s.proxypath = v; return undefined; },
  HTTP_BACKEND_REVPROXY_PATH: (s, v) => { s.revproxypath = v; return undefined; },
  HTTP_BACKEND_REDIR: (s, v) => { s.redirpath = v; return undefined; },
  BACKEND_WEIGHT: (s, v) => intSetter(v, (n) => { s.backendWeight = n; }),
  BACKEND_NETWORK_ALLOWED_ACL: (s, v) => { s.networkAllowed = v; return undefined; },
  BACKEND_HEALTHCHECK_PORT_INDEX: (s, v) => intSetter(v, (n) => { s.healthcheckPortIndex = n; }),
};

function intSetter(v: string, set: (n: number) => void): string | undefined {
  const n = pyInt(v);
  if (n === undefined) return `want an integer, got ${JSON.stringify(v)}`;
  set(n);
  return undefined;
}

/**
 * Every per-port label name marathon-lb knows, sorted the way it applies them. The template
 * override labels (stored as-is, "\r\n" → "\n") include HTTP_BACKEND_REDIR only as a behaviour.
 */
export const LABEL_NAMES: readonly string[] = (() => {
  const names = new Set<string>(Object.keys(BEHAVIOUR));
  for (const t of TEMPLATE_LABELS()) names.add(t);
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
})();

const KNOWN: ReadonlySet<string> = new Set(LABEL_NAMES);

function TEMPLATE_LABELS(): string[] {
  return [
    'FRONTEND_HEAD', 'USERLIST_HEAD', 'BACKEND_REDIRECT_HTTP_TO_HTTPS', 'BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH', 'BACKEND_HEAD',
    'HTTP_FRONTEND_ACL', 'MAP_HTTP_FRONTEND_ACL', 'HTTP_FRONTEND_ACL_ONLY', 'MAP_HTTP_FRONTEND_ACL_ONLY', 'HTTP_FRONTEND_ROUTING_ONLY',
    'HTTP_FRONTEND_ROUTING_ONLY_WITH_AUTH', 'HTTP_FRONTEND_ACL_WITH_AUTH', 'HTTP_FRONTEND_ACL_WITH_PATH',
    'HTTP_FRONTEND_ACL_WITH_AUTH_AND_PATH', 'HTTP_FRONTEND_ACL_ONLY_WITH_PATH', 'HTTP_FRONTEND_ACL_ONLY_WITH_PATH_AND_AUTH',
    'HTTPS_FRONTEND_ACL_ONLY_WITH_PATH', 'HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH', 'HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH',
    'HTTP_FRONTEND_APPID_ACL', 'MAP_HTTP_FRONTEND_APPID_ACL', 'HTTPS_FRONTEND_ACL', 'MAP_HTTPS_FRONTEND_ACL',
    'HTTPS_FRONTEND_ACL_WITH_AUTH', 'HTTPS_FRONTEND_ACL_WITH_PATH', 'HTTPS_FRONTEND_ACL_WITH_AUTH_AND_PATH', 'BACKEND_HTTP_OPTIONS',
    'HTTP_BACKEND_PROXYPASS_GLUE', 'HTTP_BACKEND_REVPROXY_GLUE', 'BACKEND_HSTS_OPTIONS', 'BACKEND_HTTP_HEALTHCHECK_OPTIONS',
    'BACKEND_TCP_HEALTHCHECK_OPTIONS', 'BACKEND_STICKY_OPTIONS', 'BACKEND_SERVER_OPTIONS', 'BACKEND_SERVER_TCP_HEALTHCHECK_OPTIONS',
    'BACKEND_SERVER_HTTP_HEALTHCHECK_OPTIONS', 'FRONTEND_BACKEND_GLUE', 'HTTP_BACKEND_NETWORK_ALLOWED_ACL',
    'TCP_BACKEND_NETWORK_ALLOWED_ACL',
  ];
}

/**
 * Apply the app's `HAPROXY_{index}_*` labels to a service, in marathon-lb's order. Returns the
 * problems (label → reason); a service with problems should be left out.
 */
export function applyLabels(s: Service, labels: Readonly<Record<string, string>>, index: number): string[] {
  const problems: string[] = [];
  const prefix = `HAPROXY_${index}_`;
  // Only this port's labels, in LABEL_NAMES order (which is plain sorted order).
  const names: string[] = [];
  for (const key of Object.keys(labels)) if (key.startsWith(prefix) && KNOWN.has(key.slice(prefix.length))) names.push(key.slice(prefix.length));
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    const key = prefix + name;
    const value = labels[key]!;
    const set = BEHAVIOUR[name];
    if (set) {
      const p = set(s, value);
      if (p) problems.push(`${key}: ${p}`);
    } else if (isPortTemplate(name)) s.labels[name] = value.replaceAll('\r\n', '\n');
  }
  return problems;
}
