// mesos-dns config.json: same keys (matched case-insensitively, as Go's encoding/json does), same
// defaults (records.NewConfig) and the same validation rules and messages (records/validation.go,
// config.go SetConfig), except that every problem is reported at once instead of exiting on the first.
// mesonet extras (ignored by mesos-dns): VipRange (named-VIP range for l4lb names), DcosTTL (TTL of
// thisdcos.directory names), Subscribe (use the v1 SUBSCRIBE stream when the master offers it).
// Pure: the serial (clock) and resolv.conf fallback are supplied by the caller.
import type { Problem, Result } from '../src/kernel/errors.js';
import { ok, err } from '../src/kernel/errors.js';
import { normalizeIp, parseCidr } from '../src/kernel/ip.js';
import { IP_SOURCES } from './task-ips.js';

export interface DnsConfig {
  readonly RefreshSeconds: number;
  readonly Port: number;
  readonly Timeout: number;
  readonly StateTimeoutSeconds: number;
  readonly ZkDetectionTimeout: number;
  readonly HttpPort: number;
  readonly TTL: number;
  readonly SRVRecordDefaultWeight: number;
  readonly SOASerial: number;
  readonly SOARefresh: number;
  readonly SOARetry: number;
  readonly SOAExpire: number;
  readonly SOAMinttl: number;
  readonly SOAMname: string;
  readonly SOARname: string;
  readonly Masters: readonly string[];
  readonly ZoneResolvers: Readonly<Record<string, readonly string[]>>;
  readonly Resolvers: readonly string[];
  readonly IPSources: readonly string[];
  readonly Zk: string;
  readonly Domain: string;
  readonly File: string;
  readonly Listener: string;
  readonly HTTPListener: string;
  readonly RecurseOn: boolean;
  readonly DnsOn: boolean;
  readonly HttpOn: boolean;
  readonly ExternalOn: boolean;
  readonly EnforceRFC952: boolean;
  readonly SetTruncateBit: boolean;
  readonly EnumerationOn: boolean;
  readonly MesosHTTPSOn: boolean;
  readonly CACertFile: string;
  readonly CertFile: string;
  readonly KeyFile: string;
  readonly MesosCredentials: { readonly Principal: string; readonly Secret: string };
  readonly IAMConfigFile: string;
  readonly MesosAuthentication: string;
  readonly VipRange: string;
  readonly DcosTTL: number;
  readonly Subscribe: boolean;
}

export const DEFAULTS: DnsConfig = Object.freeze({
  RefreshSeconds: 60, Port: 53, Timeout: 5, StateTimeoutSeconds: 300, ZkDetectionTimeout: 30, HttpPort: 8123, TTL: 60,
  SRVRecordDefaultWeight: 1, SOASerial: 0, SOARefresh: 60, SOARetry: 600, SOAExpire: 86400, SOAMinttl: 60,
  SOAMname: 'ns1.mesos', SOARname: 'root.ns1.mesos', Masters: Object.freeze([]), ZoneResolvers: Object.freeze({}),
  Resolvers: Object.freeze(['8.8.8.8']), IPSources: Object.freeze(['netinfo', 'mesos', 'host']), Zk: '', Domain: 'mesos', File: '',
  Listener: '0.0.0.0', HTTPListener: '0.0.0.0', RecurseOn: true, DnsOn: true, HttpOn: true, ExternalOn: true, EnforceRFC952: false,
  SetTruncateBit: true, EnumerationOn: true, MesosHTTPSOn: false, CACertFile: '', CertFile: '', KeyFile: '',
  MesosCredentials: Object.freeze({ Principal: '', Secret: '' }), IAMConfigFile: '', MesosAuthentication: '',
  VipRange: '11.0.0.0/8', DcosTTL: 5, Subscribe: true,
});

type Kind = 'int' | 'string' | 'bool' | 'strings' | 'zones' | 'creds';
const KINDS: Record<keyof DnsConfig, Kind> = {
  RefreshSeconds: 'int', Port: 'int', Timeout: 'int', StateTimeoutSeconds: 'int', ZkDetectionTimeout: 'int', HttpPort: 'int', TTL: 'int',
  SRVRecordDefaultWeight: 'int', SOASerial: 'int', SOARefresh: 'int', SOARetry: 'int', SOAExpire: 'int', SOAMinttl: 'int',
  SOAMname: 'string', SOARname: 'string', Masters: 'strings', ZoneResolvers: 'zones', Resolvers: 'strings', IPSources: 'strings',
  Zk: 'string', Domain: 'string', File: 'string', Listener: 'string', HTTPListener: 'string', RecurseOn: 'bool', DnsOn: 'bool',
  HttpOn: 'bool', ExternalOn: 'bool', EnforceRFC952: 'bool', SetTruncateBit: 'bool', EnumerationOn: 'bool', MesosHTTPSOn: 'bool',
  CACertFile: 'string', CertFile: 'string', KeyFile: 'string', MesosCredentials: 'creds', IAMConfigFile: 'string',
  MesosAuthentication: 'string', VipRange: 'string', DcosTTL: 'int', Subscribe: 'bool',
};
const BY_LOWER = new Map(Object.keys(KINDS).map((k) => [k.toLowerCase(), k as keyof DnsConfig]));

const DOMAIN_RE = /^[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*$/;
const validPort = (p: string) => /^\+?\d+$/.test(p) && Number(p) > 0 && Number(p) <= 65535;

/** Go net.SplitHostPort, enough for host:port and [v6]:port. */
function splitHostPort(s: string): { host: string; port: string } | undefined {
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):([^:[\]]*)$/.exec(s);
  return m ? { host: m[1] ?? m[2] ?? '', port: m[3]! } : undefined;
}

function unique(list: readonly string[], normalize: (s: string) => string | Problem, what: string): Problem[] {
  const seen = new Set<string>();
  for (const s of list) {
    const n = normalize(s);
    if (typeof n !== 'string') return [{ path: what, message: `error validating ${what}: ${n.message}` }];
    if (seen.has(n)) return [{ path: what, message: `error validating ${what}: duplicate found: ${s}` }];
    seen.add(n);
  }
  return [];
}

export function validateMasters(ms: readonly string[] | null | undefined): Problem[] {
  return unique(ms ?? [], (m) => {
    const hp = splitHostPort(m);
    if (!hp) return { path: '', message: `illegal host:port specified: ${m}` };
    if (!validPort(hp.port)) return { path: '', message: `illegal host:port specified: ${m}` };
    return `${normalizeIp(hp.host) ?? hp.host}_${Number(hp.port)}`;
  }, 'masters');
}

export function validateResolvers(rs: readonly string[] | null | undefined): Problem[] {
  return unique(rs ?? [], (r) => {
    const hp = splitHostPort(r) ?? { host: r, port: '53' };
    const ip = normalizeIp(hp.host);
    if (ip === undefined) return { path: '', message: `illegal ip specified: ${hp.host}` };
    if (!validPort(hp.port)) return { path: '', message: `illegal host:port specified: ${r}` };
    return `${ip}_${Number(hp.port)}`;
  }, 'resolvers');
}

export function validateDomain(domain: string): Problem[] {
  return DOMAIN_RE.test(domain) ? [] : [{ path: 'Domain', message: `invalid domain name: ${domain}` }];
}

export function validateZoneResolvers(zrs: Readonly<Record<string, readonly string[]>> | null | undefined, mesosDomain: string): Problem[] {
  const problems: Problem[] = [];
  const all: string[] = [];
  for (const [zone, rs] of Object.entries(zrs ?? {})) {
    const path = `ZoneResolvers.${zone}`;
    if (rs.length === 0) { problems.push({ path, message: `field ZoneResolver ${zone} is empty` }); continue; }
    if (!DOMAIN_RE.test(zone)) { problems.push({ path, message: `invalid domain name: ${zone}` }); continue; }
    problems.push(...validateResolvers(rs).map((p) => ({ ...p, path })));
    if (zone === mesosDomain) { problems.push({ path, message: `can't specify ZoneResolver for Mesos domain (${mesosDomain})` }); continue; }
    all.push(`.${zone}`);
  }
  all.push(`.${mesosDomain}`);
  for (const a of all) for (const b of all) {
    if (a !== b && a.endsWith(b)) problems.push({ path: 'ZoneResolvers', message: `ambiguous zone resolvers: ${a} is masked by ${b}` });
  }
  return problems;
}

export function validateIPSources(srcs: readonly string[]): Problem[] {
  const path = 'IPSources';
  if (srcs.length === 0) return [{ path, message: 'IPSources validation failed: empty ip sources' }];
  if (new Set(srcs).size !== srcs.length) return [{ path, message: 'IPSources validation failed: duplicate ip source specified' }];
  const bad = srcs.find((s) => !(IP_SOURCES as readonly string[]).includes(s));
  return bad === undefined ? [] : [{ path, message: `IPSources validation failed: invalid ip source ${JSON.stringify(bad)}` }];
}

export interface ParseOptions {
  /** Nameservers from /etc/resolv.conf (minus local addresses), used when Resolvers is empty. */
  readonly localResolvers?: readonly string[];
  readonly file?: string;
}

function kindName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Decode one key's value; returns the value or a problem. */
function decodeValue(key: keyof DnsConfig, v: unknown): unknown | Problem {
  const bad = (want: string): Problem => ({ path: key, message: `cannot use ${kindName(v)} as ${want}` });
  switch (KINDS[key]) {
    case 'int': return typeof v === 'number' && Number.isInteger(v) ? v : bad('an integer');
    case 'string': return typeof v === 'string' ? v : bad('a string');
    case 'bool': return typeof v === 'boolean' ? v : bad('a boolean');
    case 'strings': return v === null ? [] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : bad('a list of strings');
    case 'zones':
      if (v === null) return {};
      if (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every((l) => Array.isArray(l) && l.every((x) => typeof x === 'string'))) return v;
      return bad('an object of zone → list of resolvers');
    case 'creds': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad('{principal, secret}');
      const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toLowerCase(), x]));
      if ((o.principal ?? '') !== '' && typeof o.principal !== 'string') return bad('{principal, secret}');
      if ((o.secret ?? '') !== '' && typeof o.secret !== 'string') return bad('{principal, secret}');
      return { Principal: o.principal ?? '', Secret: o.secret ?? '' };
    }
  }
}

/** Parse and validate a config.json document (already JSON-decoded). Every problem at once. */
export function parseConfig(json: unknown, opts: ParseOptions = {}): Result<DnsConfig, Problem[]> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return err([{ path: '', message: 'config must be a JSON object' }]);
  const problems: Problem[] = [];
  const c: Record<string, unknown> = { ...DEFAULTS, File: opts.file ?? '' };
  for (const [k, v] of Object.entries(json)) {
    const key = BY_LOWER.get(k.toLowerCase());
    if (key === undefined) continue; // unknown keys (e.g. old "ns", "email") are ignored, as in Go
    const d = decodeValue(key, v);
    if (d && typeof d === 'object' && 'message' in d && 'path' in d) problems.push(d as Problem);
    else c[key] = d;
  }
  const cfg = c as unknown as DnsConfig;
  if (!cfg.DnsOn && !cfg.HttpOn) problems.push({ path: 'DnsOn', message: 'service validation failed: either DNS or HTTP server should be on' });
  if (cfg.Masters.length === 0 && cfg.Zk === '') problems.push({ path: 'Masters', message: 'service validation failed: specify Mesos masters or Zookeeper in config.json' });
  problems.push(...validateMasters(cfg.Masters));
  let resolvers = cfg.Resolvers;
  if (cfg.ExternalOn) {
    if (resolvers.length === 0) resolvers = opts.localResolvers ?? [];
    problems.push(...validateResolvers(resolvers));
  }
  problems.push(...validateIPSources(cfg.IPSources));
  if (cfg.StateTimeoutSeconds <= 0) problems.push({ path: 'StateTimeoutSeconds', message: `Invalid HTTP Timeout: ${cfg.StateTimeoutSeconds}` });
  const domain = cfg.Domain.toLowerCase();
  problems.push(...validateDomain(domain));
  problems.push(...validateZoneResolvers(cfg.ZoneResolvers, domain));
  for (const key of ['Port', 'HttpPort'] as const) if (cfg[key] < 0 || cfg[key] > 65535) problems.push({ path: key, message: `must be a port 0-65535, got ${cfg[key]}` });
  for (const key of ['RefreshSeconds', 'Timeout', 'TTL', 'DcosTTL'] as const) if (cfg[key] <= 0) problems.push({ path: key, message: `must be positive, got ${cfg[key]}` });
  if (!['', 'basic', 'iam'].includes(cfg.MesosAuthentication)) problems.push({ path: 'MesosAuthentication', message: `unknown authentication ${JSON.stringify(cfg.MesosAuthentication)} (want "", "basic" or "iam")` });
  if (!parseCidr(cfg.VipRange).ok) problems.push({ path: 'VipRange', message: `not a CIDR: ${JSON.stringify(cfg.VipRange)}` });
  if (problems.length) return err(problems);
  return ok(Object.freeze({
    ...cfg,
    Domain: domain,
    Resolvers: resolvers,
    // initSOA: '@' → '.', exactly one trailing dot.
    SOARname: `${cfg.SOARname.replace(/@/g, '.').replace(/\.+$/, '')}.`,
    SOAMname: `${cfg.SOAMname.replace(/\.+$/, '')}.`,
  }));
}

/** /v1/config body: the running config with the secret never shown. */
export function publicConfig(cfg: DnsConfig): DnsConfig {
  return { ...cfg, MesosCredentials: { Principal: cfg.MesosCredentials.Principal, Secret: cfg.MesosCredentials.Secret ? '<redacted>' : '' } };
}
