// The whole pure pipeline: Marathon apps + flags + templates → haproxy.cfg text, map files and the
// list of what was left out and why. This is what `mesonet edge config` prints and what the daemon
// writes, validates and reloads. Pure: DNS answers and previous health verdicts are arguments.
import type { MarathonApp } from '../src/kernel/marathon.js';
import { buildServices, type Skipped } from './apps.js';
import type { PortHash, Resolver } from './networking.js';
import { render, type RenderOptions } from './render.js';
import type { Templates } from './templates.js';
import type { EdgeConfig } from './config.js';

/** The render options plus what the app → service translation needs. */
export interface GenerateOptions extends RenderOptions {
  readonly healthCheck: boolean;
  readonly strictMode: boolean;
  readonly minServicePort: number;
  readonly maxServicePort: number;
  readonly frameworkName?: string | undefined;
  /** App ids left out with a reason (see BuildOptions.exclude). */
  readonly exclude?: ReadonlyMap<string, string>;
}

export interface Generated {
  readonly config: string;
  /** domain2backend.map content ("key backend\n" per entry); '' without --haproxy-map. */
  readonly domainMap: string;
  /** app2backend.map content; '' without --haproxy-map. */
  readonly appMap: string;
  readonly domainEntries: readonly (readonly [string, string])[];
  readonly appEntries: readonly (readonly [string, string])[];
  readonly skipped: readonly Skipped[];
  readonly health: Map<string, boolean>;
  /** Backend name → app id of every service rendered (to trace HAProxy errors back to apps). */
  readonly owners: ReadonlyMap<string, string>;
}

export type GenerateResult = { ok: true; value: Generated } | { ok: false; error: string };

const mapText = (entries: readonly (readonly [string, string])[]): string => entries.map(([k, v]) => `${k} ${v}\n`).join('');

/** Hosts whose address marathon-lb would look up (non-container tasks), for an async pre-resolve. */
export function hostsToResolve(apps: readonly MarathonApp[]): string[] {
  const hosts = new Set<string>();
  for (const a of apps) for (const t of a.tasks) if (t.host) hosts.add(t.host);
  return [...hosts];
}

export function generate(
  apps: readonly MarathonApp[], opts: GenerateOptions, templates: Templates,
  resolve: Resolver, healthMemory?: ReadonlyMap<string, boolean>, portHash?: PortHash,
): GenerateResult {
  const built = buildServices(apps, {
    strictMode: opts.strictMode, healthCheck: opts.healthCheck, frameworkName: opts.frameworkName,
    minServicePort: opts.minServicePort, maxServicePort: opts.maxServicePort, resolve, healthMemory, portHash,
    exclude: opts.exclude,
  });
  const r = render(built.services, templates, opts);
  if (!r.ok) return r;
  return {
    ok: true,
    value: {
      config: r.value.config,
      domainMap: opts.haproxyMap ? mapText(r.value.domainMap) : '',
      appMap: opts.haproxyMap ? mapText(r.value.appMap) : '',
      domainEntries: r.value.domainMap,
      appEntries: r.value.appMap,
      skipped: [...built.skipped, ...r.value.skipped],
      health: built.health,
      owners: r.value.owners,
    },
  };
}

/** Generator options from the flags (plus apps to leave out). */
export function optionsFromConfig(c: EdgeConfig, exclude?: ReadonlyMap<string, string>): GenerateOptions {
  return {
    groups: c.groups, bindHttpHttps: !c.dontBindHttpHttps, sslCerts: c.sslCerts, haproxyMap: c.haproxyMap,
    haproxyConfig: c.haproxyConfig, groupHttpsByVhost: c.groupHttpsByVhost, healthCheck: c.healthCheck, strictMode: c.strictMode,
    minServicePort: c.minServPortIpPerTask, maxServicePort: c.maxServPortIpPerTask, frameworkName: c.frameworkName, exclude,
  };
}
