// Tracing a config HAProxy rejected back to the apps that caused it: `haproxy -c` names lines
// (`[file:45]`); the section each line sits in (`backend web_10000`, `frontend web_10000`,
// `userlist user_web_10000`) names a backend, and the generator knows which app owns each
// backend. Lines in shared sections (the :80/:443 frontends) name no app; then the daemon narrows
// the culprit down by halving the app list (firstBreaking). Pure (the validity check is an argument).
import type { MarathonApp } from '../src/kernel/marathon.js';

/** Line numbers (1-based) haproxy's output blames in `file`. */
export function blamedLines(output: string, file: string): number[] {
  const out = new Set<number>();
  const esc = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const m of output.matchAll(new RegExp(`${esc}:(\\d+)`, 'g'))) out.add(Number(m[1]));
  return [...out].sort((a, b) => a - b);
}

/** The section header line (e.g. `backend web_10000`) each given line belongs to. */
export function sectionsOf(config: string, lines: readonly number[]): string[] {
  const text = config.split('\n');
  const out = new Set<string>();
  for (const n of lines) {
    for (let i = Math.min(n, text.length) - 1; i >= 0; i--) {
      const m = /^(global|defaults|listen|frontend|backend|userlist|peers|resolvers|cache|program)\b\s*(\S*)/.exec(text[i]!);
      if (m) { out.add(`${m[1]} ${m[2]}`.trim()); break; }
    }
  }
  return [...out];
}

/** App ids owning the blamed sections; `shared` when some blamed section belongs to no app. */
export function blamedApps(sections: readonly string[], owners: ReadonlyMap<string, string>): { apps: string[]; shared: boolean } {
  const apps = new Set<string>();
  let shared = false;
  for (const s of sections) {
    const [kind, name = ''] = s.split(' ');
    const backend = kind === 'userlist' && name.startsWith('user_') ? name.slice(5) : name;
    const app = (kind === 'backend' || kind === 'frontend' || kind === 'userlist') ? owners.get(backend) : undefined;
    if (app !== undefined) apps.add(app);
    else shared = true;
  }
  return { apps: [...apps].sort(), shared };
}

/**
 * With only the first k candidates included, is the config valid? Find the smallest k that is not:
 * candidates[k-1] is a culprit. [] when even no candidate is valid-less (nothing to blame) or all are fine.
 */
export async function firstBreaking(candidates: readonly string[], validWithFirst: (k: number) => Promise<boolean>): Promise<string[]> {
  if (!(await validWithFirst(0))) return [];
  if (await validWithFirst(candidates.length)) return [];
  let lo = 0;
  let hi = candidates.length; // valid(lo), !valid(hi)
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (await validWithFirst(mid)) lo = mid;
    else hi = mid;
  }
  return [candidates[hi - 1]!];
}

/** Per generator app id (deployment groups merged), a digest of everything but the tasks. */
export function fingerprints(apps: readonly MarathonApp[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of apps) {
    const g = a.labels.HAPROXY_DEPLOYMENT_GROUP;
    const id = g ? (g.startsWith('/') ? g : `/${g}`) : a.id;
    const { tasks: _tasks, ...def } = a;
    out.set(id, (out.get(id) ?? '') + JSON.stringify(def));
  }
  return out;
}

