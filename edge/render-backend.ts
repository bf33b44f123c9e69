// The body of one `backend` section after its head: HTTP options (HSTS, forwardfor, proxypass,
// revproxy, root redirect), network allow-lists, sticky cookies, the health-check options (once,
// from the service's first health check) and one `server` line per backend sorted by (host, port),
// each with its stable id. Health-check ports follow HAPROXY_{n}_BACKEND_HEALTHCHECK_PORT_INDEX
// (the port of the same backend in another service port of the app). Pure.
import type { MarathonHealthCheck } from '../src/kernel/marathon.js';
import { cookieValue, serverId, serverName } from './names.js';
import { format, formatInto, RenderError } from './fmt.js';
import type { PyValue } from './pyformat.js';
import { protocolOf, type Backend, type Service } from './service.js';
import type { PortTemplate, Templates } from './templates.js';

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byHostPort = (a: Backend, b: Backend): number => cmp(a.host, b.host) || a.port - b.port;
const sortBackends = (bs: readonly Backend[]): readonly Backend[] => (bs.length < 2 ? bs : [...bs].sort(byHostPort));

/**
 * marathon-lb's get_backend_port: the port of the idx-th backend (sorted by host, port) of the
 * service port the index label names, or of this service (`sorted`: its backends, sorted) when there
 * is none or it is out of range.
 */
function backendPort(sameApp: readonly Service[], s: Service, sorted: readonly Backend[], idx: number): number {
  const own = (): number => {
    const b = sorted[idx];
    if (!b) throw new RenderError(`no backend #${idx}`);
    return b.port;
  };
  const hpi = s.healthcheckPortIndex;
  if (hpi === undefined || Math.abs(hpi) > sameApp.length) return own();
  const ordered = [...sameApp].sort((a, b) => cmp(a.appId, b.appId) || a.servicePort - b.servicePort);
  const target = ordered[hpi < 0 ? ordered.length + hpi : hpi];
  if (!target) throw new RenderError(`HAPROXY_n_BACKEND_HEALTHCHECK_PORT_INDEX ${hpi} is out of range`);
  const b = sortBackends(target.backends)[idx];
  if (!b) throw new RenderError(`HAPROXY_n_BACKEND_HEALTHCHECK_PORT_INDEX ${hpi}: that port has no backend #${idx}`);
  return b.port;
}

const num = (v: number | undefined, dflt: number): number => v ?? dflt;

/** The values of the health-check templates. */
function checkValues(hc: MarathonHealthCheck, port: number | undefined): Record<string, PyValue> {
  const max = num(hc.maxConsecutiveFailures, 3);
  return {
    healthCheckPortIndex: hc.portIndex, healthCheckPort: port, healthCheckProtocol: protocolOf(hc),
    healthCheckPath: hc.path ?? '/', healthCheckTimeoutSeconds: num(hc.timeoutSeconds, 20),
    healthCheckIntervalSeconds: num(hc.intervalSeconds, 60), healthCheckGracePeriodSeconds: num(hc.gracePeriodSeconds, 300),
    healthCheckMaxConsecutiveFailures: max, healthCheckFalls: max + 1,
    healthCheckPortOptions: port ? ` port ${port}` : '',
    healthCheck: hc as unknown as PyValue, // read-only: `{healthCheck[path]}` lookups
  };
}

/** A server health-check template trimmed and prefixed with a blank (if not empty); memoized by text. */
const serverChecks = new Map<string, string>();
function serverCheckTemplate(t: string): string {
  let r = serverChecks.get(t);
  if (r === undefined) {
    const trimmed = t.trim();
    r = trimmed ? ` ${trimmed}` : trimmed;
    if (serverChecks.size > 1000) serverChecks.clear();
    serverChecks.set(t, r);
  }
  return r;
}

/** Appends the pieces of the backend body to `out`. */
export function renderBackend(
  out: string[], s: Service, mode: string, backend: string, tpl: (n: PortTemplate) => string, T: Templates, sameApp: readonly Service[],
): void {
  if (mode === 'http') {
    if (s.useHsts) out.push(tpl('BACKEND_HSTS_OPTIONS'));
    out.push(tpl('BACKEND_HTTP_OPTIONS'));
    if (s.proxypath) formatInto(out, tpl('HTTP_BACKEND_PROXYPASS_GLUE'), { hostname: s.hostname, proxypath: s.proxypath });
    if (s.revproxypath) formatInto(out, tpl('HTTP_BACKEND_REVPROXY_GLUE'), { hostname: s.hostname, rootpath: s.revproxypath });
    if (s.redirpath) formatInto(out, tpl('HTTP_BACKEND_REDIR'), { hostname: s.hostname, redirpath: s.redirpath });
  }
  if (s.networkAllowed && (mode === 'http' || mode === 'tcp')) {
    const acl = mode === 'http' ? tpl('HTTP_BACKEND_NETWORK_ALLOWED_ACL') : tpl('TCP_BACKEND_NETWORK_ALLOWED_ACL');
    for (const network of s.networkAllowed.split(/\s+/).filter(Boolean)) formatInto(out, acl, { network_allowed: network });
    out.push(mode === 'http' ? T.HTTP_BACKEND_ACL_ALLOW_DENY : T.TCP_BACKEND_ACL_ALLOW_DENY);
  }
  if (s.sticky) out.push(tpl('BACKEND_STICKY_OPTIONS'));

  const hc = s.healthCheck;
  const tcpCheck = hc !== undefined && (mode === 'tcp' || protocolOf(hc) === 'TCP' || protocolOf(hc) === 'MESOS_TCP');
  const httpCheck = hc !== undefined && !tcpCheck && mode === 'http';
  const taken = new Set<number>();
  const serverTpl = tpl('BACKEND_SERVER_OPTIONS');
  const serverCheckTpl = tcpCheck
    ? serverCheckTemplate(tpl('BACKEND_SERVER_TCP_HEALTHCHECK_OPTIONS'))
    : httpCheck ? serverCheckTemplate(tpl('BACKEND_SERVER_HTTP_HEALTHCHECK_OPTIONS')) : '';
  // The server check options only vary per server with a health-check port index.
  const fixedChecks = hc && serverCheckTpl && s.healthcheckPortIndex === undefined ? format(serverCheckTpl, checkValues(hc, hc.port)) : undefined;
  const sorted = sortBackends(s.backends);
  for (let idx = 0; idx < sorted.length; idx++) {
    const b = sorted[idx]!;
    if (idx === 0 && hc) {
      const t = tcpCheck ? tpl('BACKEND_TCP_HEALTHCHECK_OPTIONS') : httpCheck ? tpl('BACKEND_HTTP_HEALTHCHECK_OPTIONS') : '';
      if (t) formatInto(out, t, checkValues(hc, backendPort(sameApp, s, sorted, idx)));
    }
    const name = serverName(b.host, b.ip, b.port);
    const id = serverId(name, taken);
    let checks = fixedChecks ?? '';
    if (hc && serverCheckTpl && fixedChecks === undefined) {
      const port = s.healthcheckPortIndex !== undefined ? backendPort(sameApp, s, sorted, idx) : hc.port;
      checks = format(serverCheckTpl, checkValues(hc, port));
    }
    formatInto(out, serverTpl, {
      host: b.host, host_ipv4: b.ip, port: b.port, serverName: name, serverId: id,
      cookieOptions: s.sticky ? ` check cookie ${cookieValue(name)}` : '', healthCheckOptions: checks,
      otherOptions: b.draining ? ' disabled' : '',
    });
  }
}
