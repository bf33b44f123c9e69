// Service ports: every port 0 in an app's portDefinitions (host networking) or portMappings'
// servicePort gets a cluster-unique port from [local_port_min, local_port_max], as Marathon assigns
// them; a port the app already had at the same position is kept. Pure.
import { networkMode, type App } from './marathon-app.js';

export function assignServicePorts(app: App, previous: App | undefined, used: ReadonlySet<number>, min: number, max: number): App | { error: string } {
  const taken = new Set(used);
  const fixed = networkMode(app) === 'host' ? app.portDefinitions.map((p) => p.port) : (app.container?.portMappings ?? []).map((m) => m.servicePort);
  for (const p of fixed) {
    if (p === 0) continue;
    if (used.has(p)) return { error: `Requested service port ${p} conflicts with a service port in use by another app` };
    taken.add(p);
  }
  const prev = previous ? (networkMode(previous) === 'host' ? previous.portDefinitions.map((p) => p.port) : (previous.container?.portMappings ?? []).map((m) => m.servicePort)) : [];
  let next = min;
  const pick = (i: number): number | undefined => {
    const keep = prev[i];
    if (keep !== undefined && keep !== 0 && !taken.has(keep)) { taken.add(keep); return keep; }
    while (next <= max && taken.has(next)) next++;
    if (next > max) return undefined;
    taken.add(next);
    return next;
  };
  if (networkMode(app) === 'host') {
    const defs = [];
    for (const [i, p] of app.portDefinitions.entries()) {
      const port = p.port === 0 ? pick(i) : p.port;
      if (port === undefined) return { error: `no free service port in [${min}, ${max}]` };
      defs.push({ ...p, port });
    }
    return { ...app, portDefinitions: defs };
  }
  if (!app.container?.portMappings) return app;
  const pms = [];
  for (const [i, m] of app.container.portMappings.entries()) {
    const servicePort = m.servicePort === 0 ? pick(i) : m.servicePort;
    if (servicePort === undefined) return { error: `no free service port in [${min}, ${max}]` };
    pms.push({ ...m, servicePort });
  }
  return { ...app, container: { ...app.container, portMappings: pms } };
}

/** Service ports used by every app except `exceptId`. */
export function usedServicePorts(apps: Iterable<App>, exceptId?: string): Set<number> {
  const s = new Set<number>();
  for (const a of apps) {
    if (a.id === exceptId) continue;
    for (const p of a.portDefinitions) if (p.port) s.add(p.port);
    for (const m of a.container?.portMappings ?? []) if (m.servicePort) s.add(m.servicePort);
  }
  return s;
}
