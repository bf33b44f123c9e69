// Loads marathon-lb's conformance data (../shared/conformance/marathon-lb, see its README.txt) and
// turns one case into generate() inputs: flags, template sources, a DNS table resolver. Used by the
// data-driven tests and the benchmark. Test support only (reads files).
import { readFileSync, readdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeMarathonApps, dropNulls, type MarathonApp } from '../../src/kernel/marathon.js';
import type { GenerateOptions } from '../generate.js';
import type { Resolver } from '../networking.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Repository root, from edge/testing or dist/edge/testing. */
export const repoRoot = here.includes('/dist/') ? resolve(here, '../../..') : resolve(here, '../..');
export const conformanceDir = resolve(repoRoot, '../shared/conformance/marathon-lb');

export interface CaseArgs {
  group: string[];
  dont_bind_http_https: boolean;
  ssl_certs: string;
  haproxy_map: boolean;
  group_https_by_vhost: boolean;
  haproxy_config: string;
  health_check: boolean;
  strict_mode: boolean;
  min_serv_port_ip_per_task?: number;
  max_serv_port_ip_per_task?: number;
}

export interface ConfCase {
  file: string;
  args: CaseArgs;
  env: Record<string, string>;
  dns: Record<string, string> | null;
  apps: unknown[];
  expected_config: string;
  expected_domain_map?: [string, string][];
  expected_app_map?: [string, string][];
}

export function listCases(sub: 'cases' | 'generated'): string[] {
  return readdirSync(resolve(conformanceDir, sub)).filter((f) => f.endsWith('.json')).sort().map((f) => resolve(conformanceDir, sub, f));
}

export function loadCase(path: string): ConfCase {
  return { file: path, ...(JSON.parse(readFileSync(path, 'utf8')) as Omit<ConfCase, 'file'>) };
}

export function caseApps(c: ConfCase): { apps: MarathonApp[]; problems: number } {
  const d = decodeMarathonApps({ apps: dropNulls(c.apps) });
  return { apps: d.apps, problems: d.problems.length };
}

export function caseOptions(c: ConfCase): GenerateOptions {
  const a = c.args;
  return {
    groups: a.group, bindHttpHttps: !a.dont_bind_http_https, sslCerts: a.ssl_certs, haproxyMap: a.haproxy_map,
    haproxyConfig: a.haproxy_config, groupHttpsByVhost: a.group_https_by_vhost, healthCheck: a.health_check,
    strictMode: a.strict_mode, minServicePort: a.min_serv_port_ip_per_task ?? 10050, maxServicePort: a.max_serv_port_ip_per_task ?? 10100,
    frameworkName: c.env.FRAMEWORK_NAME,
  };
}

/** DNS table of the case; IP literals resolve to themselves. */
export function caseResolver(c: ConfCase): Resolver {
  return (host) => (isIP(host) ? host : c.dns?.[host]);
}
