// Services → haproxy.cfg text, marathon-lb's config(): HEAD, userlists, the :80 frontend with vhost
// ACL blocks (sorted by backend weight, descending, stable), the :9091 app-id frontend, the :443
// frontend (or the SNI splitter and per-vhost frontends with --group-https-by-vhost), then every
// per-service frontend, then every backend. Services are taken sorted by (appId, servicePort) and
// filtered by group and HAPROXY_{n}_ENABLED. A service whose templates fail to format (bad label
// template, health-check port index out of range) is left out with a reason; everything it would
// have contributed is discarded, so one bad app never breaks the others. Pure.
import type { Result } from '../src/kernel/errors.js';
import { ok, err } from '../src/kernel/errors.js';
import { backendName, cleanName } from './names.js';
import { PySet } from './pyset.js';
import { format, formatInto, RenderError } from './fmt.js';
import { renderBackend } from './render-backend.js';
import type { Service } from './service.js';
import type { PortTemplate, Templates } from './templates.js';
import { vhostAcl, type GroupedVhost, type VhostContext } from './vhost.js';
import type { Skipped } from './apps.js';

export interface RenderOptions {
  /** --group (repeatable); '*' matches every app, with or without a group. */
  readonly groups: readonly string[];
  /** Not --dont-bind-http-https. */
  readonly bindHttpHttps: boolean;
  /** --ssl-certs comma list; '' means /etc/ssl/cert.pem. */
  readonly sslCerts: string;
  readonly haproxyMap: boolean;
  /** --haproxy-config: its directory holds domain2backend.map and app2backend.map. */
  readonly haproxyConfig: string;
  readonly groupHttpsByVhost: boolean;
}

export interface Rendered {
  readonly config: string;
  /** [vhost, backend] lines of domain2backend.map, in order (only with haproxyMap). */
  readonly domainMap: readonly (readonly [string, string])[];
  /** [appId, backend] lines of app2backend.map, in order (only with haproxyMap). */
  readonly appMap: readonly (readonly [string, string])[];
  /** Services left out (bad templates and the like). */
  readonly skipped: readonly Skipped[];
  /** Backend name → app id of every service rendered. */
  readonly owners: ReadonlyMap<string, string>;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byWeightDesc = <T extends readonly [number, ...unknown[]]>(xs: T[]): T[] => [...xs].sort((a, b) => b[0] - a[0]);

function hasGroup(groups: ReadonlySet<string>, appGroups: readonly string[]): boolean | 'error' {
  if (groups.has('*')) return true;
  if (groups.size === 0 && appGroups.length === 0) return 'error';
  return appGroups.some((g) => groups.has(g));
}

/** marathon-lb refuses a HEAD that daemonizes or does not expose listener fds (needed for seamless reloads). */
export function checkHead(head: string): string | undefined {
  if (head.split(/\s+/).includes('daemon') || !head.includes('expose-fd listeners')) {
    return 'custom HAPROXY_HEAD must not contain "daemon" and must contain "stats socket … expose-fd listeners"';
  }
  return undefined;
}

const dirname = (p: string): string => {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : i === 0 ? '/' : p.slice(0, i);
};

export function render(services: readonly Service[], T: Templates, opts: RenderOptions): Result<Rendered, string> {
  const headProblem = checkHead(T.HEAD);
  if (headProblem) return err(headProblem);
  const groups = new Set(opts.groups);
  const certs = (opts.sslCerts || '/etc/ssl/cert.pem').split(',');
  const haproxyDir = dirname(opts.haproxyConfig);
  const skipped: Skipped[] = [];
  // Pieces are collected in arrays and joined once: far less garbage than growing strings.
  const userlists: string[] = [];
  const frontends: string[] = [];
  const backends: string[] = [];
  const appidFrontends = [T.HTTP_FRONTEND_APPID_HEAD];
  const httpList: [number, string][] = [];
  const httpsList: [number, string][] = [];
  const grouped = new Map<string, GroupedVhost>();
  const appidSeen = new Set<string>();
  const dup = new Set<string>();
  const domainMap: [string, string][] = [];
  const appMap: [string, string][] = [];
  const mapSeen = new Set<string>();
  const owners = new Map<string, string>();
  const byApp = new Map<string, Service[]>();
  for (const s of services) {
    const l = byApp.get(s.appId);
    if (l) l.push(s);
    else byApp.set(s.appId, [s]);
  }
  const sorted = [...services].sort((a, b) => cmp(a.appId, b.appId) || a.servicePort - b.servicePort);

  for (const s of sorted) {
    const hg = hasGroup(groups, s.haproxyGroups ?? s.groups);
    if (hg === 'error') return err('no groups specified: give --group (use * for all)');
    if (!hg || !s.enabled || s.backends.length === 0) continue;
    const backend = backendName(s.appId, s.servicePort);
    const mode = s.mode ?? (s.hostname ? 'http' : 'tcp');
    const tpl = (name: PortTemplate): string => s.labels[name] ?? T[name];
    // Everything this service contributes is staged here and committed only if all of it formats.
    const localDup = opts.haproxyMap ? new Set(dup) : dup; // only map mode adds to it
    const localDomain: [string, string][] = [];
    try {
      let ul = '';
      if (s.authUser) ul = format(tpl('USERLIST_HEAD'), { backend, user: s.authUser, passwd: s.authPasswd });
      // The frontend and backend sections are collected as pieces and joined once, on commit.
      const fe: string[] = [];
      formatInto(fe, tpl('FRONTEND_HEAD'), {
        bindAddr: s.bindAddr, backend, servicePort: s.servicePort, mode,
        sslCert: s.sslCert ? ` ssl crt ${s.sslCert}` : '', bindOptions: s.bindOptions ? ` ${s.bindOptions}` : '',
      });
      const be: string[] = [];
      formatInto(be, tpl('BACKEND_HEAD'), { backend, balance: s.balance, mode });
      let vh: ReturnType<typeof vhostAcl> | undefined;
      if (opts.bindHttpHttps && s.hostname) {
        const ctx: VhostContext = {
          tpl, fmt: format, haproxyMap: opts.haproxyMap, haproxyDir, dup: localDup, grouping: opts.groupHttpsByVhost,
          addDomain: (v, b) => { localDomain.push([v, b]); },
        };
        vh = vhostAcl(ctx, s, backend);
      }
      let appid = '';
      let appidEntry: [string, string] | undefined;
      if (mode === 'http' && !appidSeen.has(s.appId)) {
        if (opts.haproxyMap) {
          if (!localDup.has('map_http_frontend_appid_acl')) {
            appid = format(s.labels.HTTP_FRONTEND_APPID_ACL ?? T.MAP_HTTP_FRONTEND_APPID_ACL, { haproxy_dir: haproxyDir });
            localDup.add('map_http_frontend_appid_acl');
          }
          appidEntry = [s.appId, backend];
        } else {
          appid = format(tpl('HTTP_FRONTEND_APPID_ACL'), { cleanedUpAppId: cleanName(s.appId), hostname: s.hostname, appId: s.appId, backend });
        }
      }
      renderBackend(be, s, mode, backend, tpl, T, byApp.get(s.appId) ?? [s]);
      formatInto(fe, tpl('FRONTEND_BACKEND_GLUE'), { backend });

      // Commit.
      owners.set(backend, s.appId);
      if (ul) userlists.push(ul);
      frontends.push(fe.join(''));
      backends.push(be.join(''));
      if (vh) {
        httpList.push([vh.weight, vh.http]);
        httpsList.push([vh.weight, vh.https]);
        if (opts.groupHttpsByVhost) mergeGrouped(grouped, vh.grouped);
      }
      if (mode === 'http' && !appidSeen.has(s.appId)) {
        appidSeen.add(s.appId);
        appidFrontends.push(appid);
        if (appidEntry) addUnique(appMap, mapSeen, 'a', appidEntry);
      }
      for (const d of localDomain) addUnique(domainMap, mapSeen, 'd', d);
      if (localDup !== dup) for (const d of localDup) dup.add(d);
    } catch (e) {
      if (!(e instanceof RenderError)) throw e;
      skipped.push({ appId: s.appId, servicePort: s.servicePort, reason: e.message });
    }
  }

  // The sections in order, joined once into one flat string.
  const parts: string[] = [T.HEAD, userlists.join('')];
  try {
    if (opts.bindHttpHttps) parts.push(T.HTTP_FRONTEND_HEAD, byWeightDesc(httpList).map((x) => x[1]).join(''));
    parts.push(appidFrontends.join(''));
    if (opts.bindHttpHttps) parts.push(httpsSection(T, opts, certs, grouped, httpsList));
  } catch (e) {
    if (e instanceof RenderError) return err(`global template: ${e.message}`);
    throw e;
  }
  parts.push(frontends.join(''), backends.join(''));
  const config = parts.join('');
  return ok({ config, domainMap, appMap, skipped, owners });
}

function addUnique(list: [string, string][], seen: Set<string>, tag: string, entry: [string, string]): void {
  const k = `${tag}\u0000${entry[0]}\u0000${entry[1]}`;
  if (seen.has(k)) return;
  seen.add(k);
  list.push(entry);
}

function mergeGrouped(into: Map<string, GroupedVhost>, from: Map<string, GroupedVhost>): void {
  for (const [k, v] of from) {
    const cur = into.get(k);
    if (!cur) { into.set(k, v); continue; }
    cur.entries.push(...v.entries);
    cur.certs.update(v.certs);
    cur.bindOpts.update(v.bindOpts);
  }
}

function httpsSection(T: Templates, opts: RenderOptions, certs: string[], grouped: Map<string, GroupedVhost>, list: [number, string][]): string {
  if (!opts.groupHttpsByVhost) {
    return format(T.HTTPS_FRONTEND_HEAD, { sslCerts: certs.map((c) => `crt ${c}`).join(' ') }) + byWeightDesc(list).map((x) => x[1]).join('');
  }
  const vhosts = [...grouped.keys()].sort(cmp);
  let out = T.HTTPS_GROUPED_FRONTEND_HEAD;
  for (const v of vhosts) out += format(T.HTTPS_GROUPED_VHOST_FRONTEND_ACL, { backend: cleanName(v), host: v });
  const defaultCerts = new PySet();
  for (const c of certs) defaultCerts.add(c);
  for (const v of vhosts) {
    const g = grouped.get(v)!;
    const name = cleanName(v);
    out += format(T.HTTPS_GROUPED_VHOST_BACKEND_HEAD, { name });
    const vc = g.certs.size > 0 ? g.certs : defaultCerts;
    out += format(T.HTTPS_GROUPED_VHOST_FRONTEND_HEAD, {
      name, sslCerts: [...vc].map((c) => `crt ${c}`).join(' '), bindOpts: [...g.bindOpts].map((o) => ` ${o}`).join(' '),
    });
    out += byWeightDesc(g.entries).map((x) => x[1]).join('');
  }
  return out;
}
