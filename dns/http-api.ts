// Bodies of the mesos-dns HTTP API (../shared/reference/dns.md §4), computed from the current zone
// and record set; io/http.ts only routes. Empty lookups answer 200 with one all-empty element, as
// upstream does. Pure.
import type { DnsConfig } from './config.js';
import { recordsJson, type RecordSet } from './records.js';
import { cleanQueryName } from './resolve.js';
import type { Zone } from './zone.js';

export const SERVICE_URL = 'https://github.com/mesosphere/mesos-dns';

export function versionBody(version: string) {
  return { Service: 'Mesos-DNS', Version: version, URL: SERVICE_URL };
}

export function hostsBody(zone: Zone | undefined, host: string): { host: string; ip: string }[] {
  const name = cleanQueryName(host);
  const e = zone?.names.get(name);
  const out = [...(e?.a ?? []), ...(e?.aaaa ?? [])].map((ip) => ({ host: name, ip }));
  return out.length ? out : [{ host: '', ip: '' }];
}

export function servicesBody(zone: Zone | undefined, service: string): { service: string; host: string; ip: string; port: string }[] {
  const e = zone?.names.get(cleanQueryName(service));
  const out: { service: string; host: string; ip: string; port: string }[] = [];
  for (const s of e?.srv ?? []) {
    const t = zone?.names.get(s.target.toLowerCase());
    const port = String(s.port);
    if (t?.a[0] !== undefined) out.push({ service, host: s.target, ip: t.a[0], port });
    if (t?.aaaa[0] !== undefined) out.push({ service, host: s.target, ip: t.aaaa[0], port });
  }
  return out.length ? out : [{ service: '', host: '', ip: '', port: '' }];
}

export function enumerateBody(records: RecordSet | undefined) {
  return { frameworks: records?.frameworks ?? [] };
}

export function axfrBody(records: RecordSet | undefined, cfg: DnsConfig, serial: number) {
  return {
    TTL: cfg.TTL, Serial: serial, RefreshSeconds: cfg.RefreshSeconds, Mname: cfg.SOAMname, Rname: cfg.SOARname, Domain: cfg.Domain,
    Records: records ? recordsJson(records) : { As: {}, AAAAs: {}, SRVs: {} },
  };
}
