// The :80 / :443 virtual-host routing of one service (marathon-lb's generateHttpVhostAcl): which
// ACL templates apply for single or multiple (comma-separated) vhosts × path × auth × redirect ×
// haproxy-map, the per-vhost entries for --group-https-by-vhost, and the domain map entries. The
// branch structure mirrors marathon-lb's exactly because the output must match it byte for byte,
// including its quirks (map mode sets the weight to -1 once, path ACLs repeat per vhost in the
// grouped frontends, certificates and bind options are Python sets). Pure.
import { cleanName } from './names.js';
import { PySet } from './pyset.js';
import type { Service } from './service.js';
import type { PortTemplate } from './templates.js';

export interface GroupedVhost {
  readonly entries: [number, string][];
  readonly certs: PySet;
  readonly bindOpts: PySet;
}

export interface VhostContext {
  /** The service's template (label override, else global). */
  tpl(name: PortTemplate): string;
  /** Format; throws a RenderError on a template error (caught per service by the caller). */
  fmt(template: string, values: Record<string, string | number | undefined>): string;
  readonly haproxyMap: boolean;
  readonly haproxyDir: string;
  /** marathon-lb's duplicate_map: map-mode `use_backend` lines already emitted. */
  readonly dup: Set<string>;
  /** --group-https-by-vhost: collect per-vhost entries (otherwise they are not needed). */
  readonly grouping: boolean;
  /** Domain map entries [vhost, backend] to add (deduplicated by the caller). */
  addDomain(vhost: string, backend: string): void;
}

export interface VhostAcl {
  readonly weight: number;
  readonly http: string;
  readonly https: string;
  readonly grouped: Map<string, GroupedVhost>;
}

/** Sink for per-vhost entries when they are not collected. */
const DISCARD: GroupedVhost = { entries: { push: () => 0 } as unknown as [number, string][], certs: { add: () => undefined } as unknown as PySet,
  bindOpts: { add: () => undefined } as unknown as PySet };

/** `grouped` when not grouping: always empty (group() hands out DISCARD instead of writing to it). */
const NO_GROUPS: Map<string, GroupedVhost> = new Map();

/** The map-mode lookup templates read the non-MAP label first (a marathon-lb quirk). */
export function mapTpl(ctx: VhostContext, s: Service, label: PortTemplate, dflt: PortTemplate): string {
  return s.labels[label] ?? ctx.tpl(dflt);
}

export function vhostAcl(ctx: VhostContext, s: Service, backend: string): VhostAcl {
  const hostname = s.hostname ?? '';
  const grouped = ctx.grouping ? new Map<string, GroupedVhost>() : NO_GROUPS;
  const group = (v: string): GroupedVhost => {
    if (!ctx.grouping) return DISCARD;
    let g = grouped.get(v);
    if (!g) grouped.set(v, (g = { entries: [], certs: new PySet(), bindOpts: new PySet() }));
    return g;
  };
  let weight = s.backendWeight;
  let http = '';
  let https = '';
  const realm = s.authRealm;
  const f = (name: PortTemplate, values: Record<string, string | number | undefined>): string => ctx.fmt(ctx.tpl(name), values);
  const appId = s.appId;

  if (hostname.includes(',')) {
    const vhosts = hostname.split(',');
    const acl = `${cleanName(vhosts[0]!)}_${appId.slice(1).replaceAll('/', '_')}`;
    if (s.path) {
      if (realm) {
        http += f('HTTP_FRONTEND_ACL_ONLY_WITH_PATH_AND_AUTH', { path: s.path, cleanedUpHostname: acl, hostname: vhosts[0], realm, backend });
        https += f('HTTPS_FRONTEND_ACL_ONLY_WITH_PATH', { path: s.path, cleanedUpHostname: acl, hostname: vhosts[0], realm, backend });
      } else {
        http += f('HTTP_FRONTEND_ACL_ONLY_WITH_PATH', { path: s.path, backend });
        https += f('HTTPS_FRONTEND_ACL_ONLY_WITH_PATH', { path: s.path, backend });
      }
    }
    const head = https;
    for (const vhost of vhosts) {
      const g = group(vhost);
      g.entries.push([weight, head]);
      if (s.sslCert !== undefined) g.certs.add(s.sslCert);
      if (s.bindOptions !== undefined) g.bindOpts.add(s.bindOptions);
      if (ctx.haproxyMap && !s.path && !realm && !s.redirectHttpToHttps) {
        if (!ctx.dup.has('map_http_frontend_acl')) {
          weight = -1;
          http += ctx.fmt(mapTpl(ctx, s, 'HTTP_FRONTEND_ACL_ONLY', 'MAP_HTTP_FRONTEND_ACL_ONLY'), { haproxy_dir: ctx.haproxyDir });
          ctx.dup.add('map_http_frontend_acl');
        }
        ctx.addDomain(vhost, backend);
      } else {
        http += f('HTTP_FRONTEND_ACL_ONLY', { cleanedUpHostname: acl, hostname: vhost });
      }
      let piece: string | undefined;
      if (s.path) {
        piece = realm
          ? f('HTTPS_FRONTEND_ACL_WITH_AUTH_AND_PATH', { cleanedUpHostname: acl, hostname: vhost, appId, realm, backend })
          : f('HTTPS_FRONTEND_ACL_WITH_PATH', { cleanedUpHostname: acl, hostname: vhost, appId, backend });
      } else if (realm) {
        piece = f('HTTPS_FRONTEND_ACL_WITH_AUTH', { cleanedUpHostname: acl, hostname: vhost, appId, realm, backend });
      } else if (ctx.haproxyMap) {
        if (!ctx.dup.has('map_https_frontend_acl')) {
          weight = -1;
          piece = ctx.fmt(mapTpl(ctx, s, 'HTTPS_FRONTEND_ACL', 'MAP_HTTPS_FRONTEND_ACL'), { hostname: vhost, haproxy_dir: ctx.haproxyDir });
          ctx.dup.add('map_https_frontend_acl');
        }
        ctx.addDomain(vhost, backend);
      } else {
        piece = f('HTTPS_FRONTEND_ACL', { cleanedUpHostname: acl, hostname: vhost, appId, backend });
      }
      if (piece !== undefined) {
        https += piece;
        g.entries.push([weight, piece]);
      }
    }
    if (s.redirectHttpToHttps) {
      http += s.path
        ? f('BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH', { bindAddr: s.bindAddr, cleanedUpHostname: acl, backend })
        : f('BACKEND_REDIRECT_HTTP_TO_HTTPS', { bindAddr: s.bindAddr, cleanedUpHostname: acl });
    } else if (s.path) {
      http += realm
        ? f('HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH', { cleanedUpHostname: acl, realm, backend })
        : f('HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH', { cleanedUpHostname: acl, backend });
    } else if (realm) {
      http += f('HTTP_FRONTEND_ROUTING_ONLY_WITH_AUTH', { cleanedUpHostname: acl, realm, backend });
    } else if (!ctx.haproxyMap) {
      http += f('HTTP_FRONTEND_ROUTING_ONLY', { cleanedUpHostname: acl, backend });
    }
    return { weight, http, https, grouped };
  }

  // A single hostname.
  const acl = `${cleanName(hostname)}_${appId.slice(1).replaceAll('/', '_')}`;
  const g = group(hostname);
  if (s.sslCert !== undefined) g.certs.add(s.sslCert);
  if (s.bindOptions !== undefined) g.bindOpts.add(s.bindOptions);
  const push = (piece: string): void => {
    https += piece;
    g.entries.push([weight, piece]);
  };
  if (s.path) {
    if (s.redirectHttpToHttps) {
      http += f('HTTP_FRONTEND_ACL_ONLY', { cleanedUpHostname: acl, hostname });
      http += f('HTTP_FRONTEND_ACL_ONLY_WITH_PATH', { cleanedUpHostname: acl, hostname, path: s.path, backend });
      http += f('BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH', { bindAddr: s.bindAddr, cleanedUpHostname: acl, backend });
    } else if (realm) {
      http += f('HTTP_FRONTEND_ACL_WITH_AUTH_AND_PATH', { cleanedUpHostname: acl, hostname, path: s.path, appId, realm, backend });
    } else {
      http += f('HTTP_FRONTEND_ACL_WITH_PATH', { cleanedUpHostname: acl, hostname, path: s.path, appId, backend });
    }
    push(f('HTTPS_FRONTEND_ACL_ONLY_WITH_PATH', { path: s.path, backend }));
    push(realm
      ? f('HTTPS_FRONTEND_ACL_WITH_AUTH_AND_PATH', { cleanedUpHostname: acl, hostname, path: s.path, appId, realm, backend })
      : f('HTTPS_FRONTEND_ACL_WITH_PATH', { cleanedUpHostname: acl, hostname, appId, backend }));
    return { weight, http, https, grouped };
  }
  if (s.redirectHttpToHttps) {
    http += f('HTTP_FRONTEND_ACL', { cleanedUpHostname: acl, hostname, backend });
    http += f('BACKEND_REDIRECT_HTTP_TO_HTTPS', { bindAddr: s.bindAddr, cleanedUpHostname: acl });
  } else if (realm) {
    http += f('HTTP_FRONTEND_ACL_WITH_AUTH', { cleanedUpHostname: acl, hostname, appId, realm, backend });
  } else if (ctx.haproxyMap) {
    if (!ctx.dup.has('map_http_frontend_acl')) {
      weight = -1;
      http += ctx.fmt(mapTpl(ctx, s, 'HTTP_FRONTEND_ACL', 'MAP_HTTP_FRONTEND_ACL'), { haproxy_dir: ctx.haproxyDir });
      ctx.dup.add('map_http_frontend_acl');
    }
    ctx.addDomain(hostname, backend);
  } else {
    http += f('HTTP_FRONTEND_ACL', { cleanedUpHostname: acl, hostname, appId, backend });
  }
  if (realm) {
    push(f('HTTPS_FRONTEND_ACL_WITH_AUTH', { cleanedUpHostname: acl, hostname, appId, realm, backend }));
  } else if (ctx.haproxyMap) {
    if (!ctx.dup.has('map_https_frontend_acl')) {
      weight = -1;
      push(ctx.fmt(mapTpl(ctx, s, 'HTTPS_FRONTEND_ACL', 'MAP_HTTPS_FRONTEND_ACL'), { hostname, haproxy_dir: ctx.haproxyDir }));
      ctx.dup.add('map_https_frontend_acl');
    }
    ctx.addDomain(hostname, backend);
  } else {
    push(f('HTTPS_FRONTEND_ACL', { cleanedUpHostname: acl, hostname, appId, backend }));
  }
  return { weight, http, https, grouped };
}
