// marathon-lb's named HAProxy templates (53) with their default text, the global/per-port split,
// and how overrides resolve: environment `HAPROXY_<NAME>` (literal "\n" → newline) beats a file
// `<templates dir>/HAPROXY_<NAME>`, which beats the default; per service port, a label
// `HAPROXY_{n}_<NAME>` beats all of them. A table, hence longer than the house aim of 250 lines.
//
// Template text is output format, so it is reproduced byte for byte (the conformance data checks
// it). Three defaults use directives HAProxy 2.1+ removed (reqirep, rspirep, rspadd); with
// `modern: true` (the default everywhere except the byte-compat test) they are replaced by
// http-request replace-path / http-response replace-header / http-response add-header.
// Pure: env and template files are arguments.

export const GLOBAL_TEMPLATES = [
  'HEAD', 'HTTP_FRONTEND_HEAD', 'HTTP_FRONTEND_APPID_HEAD', 'HTTPS_FRONTEND_HEAD', 'HTTPS_GROUPED_FRONTEND_HEAD',
  'HTTPS_GROUPED_VHOST_FRONTEND_HEAD', 'HTTPS_GROUPED_VHOST_BACKEND_HEAD', 'HTTPS_GROUPED_VHOST_FRONTEND_ACL',
  'HTTP_BACKEND_ACL_ALLOW_DENY', 'TCP_BACKEND_ACL_ALLOW_DENY',
] as const;

export const PORT_TEMPLATES = [
  'USERLIST_HEAD', 'FRONTEND_HEAD', 'BACKEND_HEAD', 'BACKEND_REDIRECT_HTTP_TO_HTTPS', 'BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH',
  'BACKEND_HSTS_OPTIONS', 'HTTP_FRONTEND_ACL', 'MAP_HTTP_FRONTEND_ACL', 'HTTP_FRONTEND_ACL_WITH_AUTH', 'HTTP_FRONTEND_ACL_ONLY',
  'MAP_HTTP_FRONTEND_ACL_ONLY', 'HTTP_FRONTEND_ROUTING_ONLY', 'HTTP_FRONTEND_ROUTING_ONLY_WITH_AUTH', 'HTTP_FRONTEND_ACL_WITH_PATH',
  'HTTP_FRONTEND_ACL_WITH_AUTH_AND_PATH', 'HTTP_FRONTEND_ACL_ONLY_WITH_PATH', 'HTTP_FRONTEND_ACL_ONLY_WITH_PATH_AND_AUTH',
  'HTTPS_FRONTEND_ACL_ONLY_WITH_PATH', 'HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH', 'HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH',
  'HTTPS_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH', 'HTTP_FRONTEND_APPID_ACL', 'MAP_HTTP_FRONTEND_APPID_ACL', 'HTTPS_FRONTEND_ACL',
  'MAP_HTTPS_FRONTEND_ACL', 'HTTPS_FRONTEND_ACL_WITH_AUTH', 'HTTPS_FRONTEND_AUTH_ACL_ONLY', 'HTTPS_FRONTEND_AUTH_REQUEST_ONLY',
  'HTTPS_FRONTEND_ACL_WITH_PATH', 'HTTPS_FRONTEND_ACL_WITH_AUTH_AND_PATH', 'BACKEND_HTTP_OPTIONS', 'HTTP_BACKEND_PROXYPASS_GLUE',
  'HTTP_BACKEND_REVPROXY_GLUE', 'HTTP_BACKEND_REDIR', 'BACKEND_HTTP_HEALTHCHECK_OPTIONS', 'BACKEND_TCP_HEALTHCHECK_OPTIONS',
  'BACKEND_STICKY_OPTIONS', 'BACKEND_SERVER_OPTIONS', 'BACKEND_SERVER_HTTP_HEALTHCHECK_OPTIONS',
  'BACKEND_SERVER_TCP_HEALTHCHECK_OPTIONS', 'FRONTEND_BACKEND_GLUE', 'HTTP_BACKEND_NETWORK_ALLOWED_ACL',
  'TCP_BACKEND_NETWORK_ALLOWED_ACL',
] as const;

export type GlobalTemplate = (typeof GLOBAL_TEMPLATES)[number];
export type PortTemplate = (typeof PORT_TEMPLATES)[number];
export type TemplateName = GlobalTemplate | PortTemplate;

export const CIPHERS = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:'
  + 'ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-SHA256:'
  + 'ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES128-SHA256:'
  + 'DHE-RSA-AES256-SHA256:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:!aNULL:!MD5:!DSS';

const HEAD_GLOBAL = `global
  log /dev/log local0
  log /dev/log local1 notice
  spread-checks 5
  max-spread-checks 15000
  maxconn 50000
  tune.ssl.default-dh-param 2048
  ssl-default-bind-ciphers ${CIPHERS}
  ssl-default-bind-options no-sslv3 no-tlsv10 no-tls-tickets
  ssl-default-server-ciphers ${CIPHERS}
  ssl-default-server-options no-sslv3 no-tlsv10 no-tls-tickets
  stats socket /var/run/haproxy/socket expose-fd listeners
  server-state-file global
  server-state-base /var/state/haproxy/
  lua-load /marathon-lb/getpids.lua
  lua-load /marathon-lb/getconfig.lua
  lua-load /marathon-lb/getmaps.lua
  lua-load /marathon-lb/signalmlb.lua
`;

/** The `defaults` section up to (not including) its `option` lines. Shared with the daemon's HEAD. */
export const HEAD_DEFAULTS = `defaults
  load-server-state-from-file global
  log               global
  retries                   3
  backlog               10000
  maxconn               10000
  timeout connect          3s
  timeout client          30s
  timeout server          30s
  timeout tunnel        3600s
  timeout http-keep-alive  1s
  timeout http-request    15s
  timeout queue           30s
  timeout tarpit          60s
`;

const HEAD_STATS = `listen stats
  bind 0.0.0.0:9090
  balance
  mode http
  stats enable
  http-request use-service prometheus-exporter if { path /metrics }
  monitor-uri /_haproxy_health_check
  acl getpid path /_haproxy_getpids
  http-request use-service lua.getpids if getpid
  acl getvhostmap path /_haproxy_getvhostmap
  http-request use-service lua.getvhostmap if getvhostmap
  acl getappmap path /_haproxy_getappmap
  http-request use-service lua.getappmap if getappmap
  acl getconfig path /_haproxy_getconfig
  http-request use-service lua.getconfig if getconfig

  acl signalmlbhup path /_mlb_signal/hup
  http-request use-service lua.signalmlbhup if signalmlbhup
  acl signalmlbusr1 path /_mlb_signal/usr1
  http-request use-service lua.signalmlbusr1 if signalmlbusr1
`;

/**
 * `option` lines of the defaults section from HAPROXY_GLOBAL_DEFAULT_OPTIONS (comma list; default
 * "redispatch,http-server-close,dontlognull"): each stripped, de-duplicated, sorted as lines.
 */
export function globalDefaultOptions(value: string | undefined): string {
  const opts = (value ?? 'redispatch,http-server-close,dontlognull').split(',');
  const lines = [...new Set(opts.map((o) => `  option            ${o.trim()}\n`))];
  return lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join('');
}

/** marathon-lb's default HEAD with the given option lines. */
export const defaultHead = (options: string): string => HEAD_GLOBAL + HEAD_DEFAULTS + options + HEAD_STATS;

const HOST_ACL = '  acl host_{cleanedUpHostname} hdr(host) -i {hostname}\n';
const AUTH_ACL = '  acl auth_{cleanedUpHostname} http_auth(user_{backend})\n';
const PATH_ACL = '  acl path_{backend} path_beg {path}\n';
const USE_HOST = '  use_backend {backend} if host_{cleanedUpHostname}\n';
const USE_HOST_PATH = '  use_backend {backend} if host_{cleanedUpHostname} path_{backend}\n';
const AUTH_HOST = '  http-request auth realm "{realm}" if host_{cleanedUpHostname} !auth_{cleanedUpHostname}\n';
const AUTH_HOST_PATH = '  http-request auth realm "{realm}" if host_{cleanedUpHostname} path_{backend} !auth_{cleanedUpHostname}\n';
const SNI = '{{ ssl_fc_sni {hostname} }}';
const MAP_HOST = '  use_backend %[req.hdr(host),lower,regsub(:.*$,,),map({haproxy_dir}/domain2backend.map)]\n';
const SERVER_CHECK = '  check inter {healthCheckIntervalSeconds}s fall {healthCheckFalls}{healthCheckPortOptions}\n';

/** Default text of every template except HEAD (see defaultHead). */
export const DEFAULTS: Readonly<Record<Exclude<TemplateName, 'HEAD'>, string>> = Object.freeze({
  HTTP_FRONTEND_HEAD: '\nfrontend marathon_http_in\n  bind *:80\n  mode http\n',
  HTTP_FRONTEND_APPID_HEAD: '\nfrontend marathon_http_appid_in\n  bind *:9091\n  mode http\n',
  HTTPS_FRONTEND_HEAD: '\nfrontend marathon_https_in\n  bind *:443 ssl {sslCerts}\n  mode http\n',
  HTTPS_GROUPED_FRONTEND_HEAD: '\nfrontend marathon_https_in\n  bind *:443\n  mode tcp\n  tcp-request inspect-delay 5s\n'
    + '  tcp-request content accept if { req_ssl_hello_type 1 }\n',
  HTTPS_GROUPED_VHOST_FRONTEND_HEAD: '\nfrontend {name}\n  mode http\n  bind abns@{name} accept-proxy ssl {sslCerts}{bindOpts}\n',
  HTTPS_GROUPED_VHOST_BACKEND_HEAD: '\nbackend {name}\n  server loopback-for-tls abns@{name} send-proxy-v2\n',
  HTTPS_GROUPED_VHOST_FRONTEND_ACL: '  use_backend {backend} if {{ req_ssl_sni -i {host} }}\n',
  HTTP_BACKEND_ACL_ALLOW_DENY: '  http-request allow if network_allowed\n  http-request deny\n',
  TCP_BACKEND_ACL_ALLOW_DENY: '  tcp-request content accept if network_allowed\n  tcp-request content reject\n',
  USERLIST_HEAD: '\nuserlist user_{backend}\n  user {user} password {passwd}\n',
  FRONTEND_HEAD: '\nfrontend {backend}\n  bind {bindAddr}:{servicePort}{sslCert}{bindOptions}\n  mode {mode}\n',
  BACKEND_HEAD: '\nbackend {backend}\n  balance {balance}\n  mode {mode}\n',
  BACKEND_REDIRECT_HTTP_TO_HTTPS: '  redirect scheme https code 301 if !{{ ssl_fc }} host_{cleanedUpHostname}\n',
  BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH: '  redirect scheme https code 301 if !{{ ssl_fc }} host_{cleanedUpHostname} path_{backend}\n',
  BACKEND_HSTS_OPTIONS: '  rspadd  Strict-Transport-Security:\\ max-age=15768000\n',
  HTTP_FRONTEND_ACL: HOST_ACL + USE_HOST,
  MAP_HTTP_FRONTEND_ACL: MAP_HOST,
  HTTP_FRONTEND_ACL_WITH_AUTH: HOST_ACL + AUTH_ACL + AUTH_HOST + USE_HOST,
  HTTP_FRONTEND_ACL_ONLY: HOST_ACL,
  MAP_HTTP_FRONTEND_ACL_ONLY: MAP_HOST,
  HTTP_FRONTEND_ROUTING_ONLY: USE_HOST,
  HTTP_FRONTEND_ROUTING_ONLY_WITH_AUTH: AUTH_ACL + AUTH_HOST + USE_HOST,
  HTTP_FRONTEND_ACL_WITH_PATH: HOST_ACL + PATH_ACL + USE_HOST_PATH,
  HTTP_FRONTEND_ACL_WITH_AUTH_AND_PATH: HOST_ACL + AUTH_ACL + PATH_ACL + AUTH_HOST_PATH + USE_HOST_PATH,
  HTTP_FRONTEND_ACL_ONLY_WITH_PATH: PATH_ACL,
  HTTP_FRONTEND_ACL_ONLY_WITH_PATH_AND_AUTH: PATH_ACL + AUTH_ACL,
  HTTPS_FRONTEND_ACL_ONLY_WITH_PATH: PATH_ACL,
  HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH: USE_HOST_PATH,
  HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH: AUTH_HOST_PATH + USE_HOST_PATH,
  HTTPS_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH: AUTH_HOST_PATH + USE_HOST_PATH,
  HTTP_FRONTEND_APPID_ACL: '  acl app_{cleanedUpAppId} hdr(x-marathon-app-id) -i {appId}\n  use_backend {backend} if app_{cleanedUpAppId}\n',
  MAP_HTTP_FRONTEND_APPID_ACL: '  use_backend %[req.hdr(x-marathon-app-id),lower,map({haproxy_dir}/app2backend.map)]\n',
  HTTPS_FRONTEND_ACL: `  use_backend {backend} if ${SNI}\n`,
  MAP_HTTPS_FRONTEND_ACL: '  use_backend %[ssl_fc_sni,lower,map({haproxy_dir}/domain2backend.map)]\n',
  HTTPS_FRONTEND_ACL_WITH_AUTH: AUTH_ACL + `  http-request auth realm "{realm}" if ${SNI} !auth_{cleanedUpHostname}\n`
    + `  use_backend {backend} if ${SNI}\n`,
  HTTPS_FRONTEND_AUTH_ACL_ONLY: AUTH_ACL,
  HTTPS_FRONTEND_AUTH_REQUEST_ONLY: `  http-request auth realm "{realm}" if ${SNI} !auth_{cleanedUpHostname}\n`,
  HTTPS_FRONTEND_ACL_WITH_PATH: `  use_backend {backend} if ${SNI} path_{backend}\n`,
  HTTPS_FRONTEND_ACL_WITH_AUTH_AND_PATH: AUTH_ACL
    + `  http-request auth realm "{realm}" if ${SNI} path_{backend} !auth_{cleanedUpHostname}\n`
    + `  use_backend {backend} if ${SNI} path_{backend}\n`,
  BACKEND_HTTP_OPTIONS: '  option forwardfor\n  http-request set-header X-Forwarded-Port %[dst_port]\n'
    + '  http-request add-header X-Forwarded-Proto https if { ssl_fc }\n',
  HTTP_BACKEND_PROXYPASS_GLUE: '  http-request set-header Host {hostname}\n  reqirep  "^([^ :]*)\\ {proxypath}/?(.*)" "\\1\\ /\\2"\n',
  HTTP_BACKEND_REVPROXY_GLUE: '  acl hdr_location res.hdr(Location) -m found\n'
    + '  rspirep "^Location: (https?://{hostname}(:[0-9]+)?)?(/.*)" "Location:   {rootpath}" if hdr_location\n',
  HTTP_BACKEND_REDIR: '  acl is_root path -i /\n  acl is_domain hdr(host) -i {hostname}\n'
    + '  redirect code 301 location {redirpath} if is_domain is_root\n',
  BACKEND_HTTP_HEALTHCHECK_OPTIONS: '  option  httpchk GET {healthCheckPath}\n  timeout check {healthCheckTimeoutSeconds}s\n',
  BACKEND_TCP_HEALTHCHECK_OPTIONS: '',
  BACKEND_STICKY_OPTIONS: '  cookie mesosphere_server_id insert indirect nocache\n',
  BACKEND_SERVER_OPTIONS: '  server {serverName} {host_ipv4}:{port} id {serverId}{cookieOptions}{healthCheckOptions}{otherOptions}\n',
  BACKEND_SERVER_HTTP_HEALTHCHECK_OPTIONS: SERVER_CHECK,
  BACKEND_SERVER_TCP_HEALTHCHECK_OPTIONS: SERVER_CHECK,
  FRONTEND_BACKEND_GLUE: '  use_backend {backend}\n',
  HTTP_BACKEND_NETWORK_ALLOWED_ACL: '  acl network_allowed src {network_allowed}\n',
  TCP_BACKEND_NETWORK_ALLOWED_ACL: '  acl network_allowed src {network_allowed}\n',
});

/** HAProxy ≥ 2.1 equivalents of the three defaults that use removed directives. */
export const MODERN: Readonly<Partial<Record<TemplateName, string>>> = Object.freeze({
  BACKEND_HSTS_OPTIONS: '  http-response add-header Strict-Transport-Security max-age=15768000\n',
  HTTP_BACKEND_PROXYPASS_GLUE: '  http-request set-header Host {hostname}\n  http-request replace-path ^{proxypath}/?(.*) /\\1\n',
  HTTP_BACKEND_REVPROXY_GLUE: '  acl hdr_location res.hdr(Location) -m found\n'
    + '  http-response replace-header Location ^(https?://{hostname}(:[0-9]+)?)?(/.*) {rootpath} if hdr_location\n',
});

/** Directives HAProxy 2.1+ rejects; a config containing one needs the modern templates. */
export const REMOVED_DIRECTIVES: readonly string[] = ['reqirep', 'rspirep', 'rspadd', 'reqrep', 'rsprep', 'reqadd', 'reqdel', 'rspdel'];

export interface TemplateSources {
  /** Environment (HAPROXY_<NAME>, HAPROXY_GLOBAL_DEFAULT_OPTIONS). Empty values count as unset. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Files of the templates directory by file name (`HAPROXY_<NAME>` → content). */
  readonly files?: Readonly<Record<string, string>>;
  /** Use HAProxy ≥ 2.1 equivalents for removed directives in the defaults (default true). */
  readonly modern?: boolean;
  /** Replaces marathon-lb's default HEAD (e.g. the daemon's own); env/file overrides still win. */
  readonly head?: string;
}

export type Templates = Readonly<Record<TemplateName, string>>;

/** Resolve every template: env beats file beats default. */
export function loadTemplates(src: TemplateSources = {}): Templates {
  const env = src.env ?? {};
  const files = src.files ?? {};
  const modern = src.modern ?? true;
  const out: Record<string, string> = {};
  const head = src.head ?? defaultHead(globalDefaultOptions(env.HAPROXY_GLOBAL_DEFAULT_OPTIONS));
  for (const name of [...GLOBAL_TEMPLATES, ...PORT_TEMPLATES]) {
    const full = `HAPROXY_${name}`;
    const fromEnv = env[full];
    const base = name === 'HEAD' ? head : (modern && MODERN[name]) || DEFAULTS[name];
    if (fromEnv) out[name] = fromEnv.replaceAll('\\n', '\n');
    else if (files[full] !== undefined) out[name] = files[full];
    else out[name] = base;
  }
  return Object.freeze(out) as Templates;
}

const PORT_SET: ReadonlySet<string> = new Set(PORT_TEMPLATES);
export const isPortTemplate = (name: string): name is PortTemplate => PORT_SET.has(name);
