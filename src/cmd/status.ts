import { type Command, parseFlags } from './cli.js';
import { prefixFlag, savedPlan } from './lab/common.js';
import { readProcs, isAlive } from './lab/procs.js';
import { nsJson } from './lab/nsfetch.js';
import { url } from './lab/daemons.js';

interface State { slaves?: { id: string; hostname: string }[]; frameworks?: { name: string; tasks?: { name: string; state: string }[] }[] }

export const command: Command = {
  name: 'status',
  summary: 'show the lab: agents, apps, tasks, VIPs, DNS records, overlay leases, daemons',
  usage: 'usage: mesonet status [--prefix P] [--json]\n\nPrints what the lab runs and which daemons are alive; names the log directory.',
  async run(argv) {
    const { values } = parseFlags(argv, { prefix: { type: 'string' }, json: { type: 'boolean' } });
    const plan = savedPlan(prefixFlag(values.prefix));
    const procs = readProcs(plan.dir).map((p) => ({ name: p.name, ns: p.ns, pid: p.pid, alive: isAlive(p.pid), log: p.log }));
    if (procs.length === 0) {
      process.stdout.write(`no lab '${plan.prefix}' (nothing recorded in ${plan.dir}); run 'mesonet up'\n`);
      return 1;
    }
    const m = plan.master;
    const ns = procs.some((p) => p.ns) ? m.ns : '';
    const ip = ns ? m.ip : '127.0.0.1';
    const get = <T>(u: string) => (ns ? nsJson<T>(ns, u) : fetch(u, { signal: AbortSignal.timeout(2000) }).then((r) => (r.ok ? (r.json() as Promise<T>) : undefined)).catch(() => undefined));
    const [state, apps, records, leases, vips] = await Promise.all([
      get<State>(url(ip, plan.ports.master, '/master/state')),
      get<{ apps: { id: string; instances: number; tasksRunning?: number }[] }>(url(ip, plan.ports.marathon, '/v2/apps')),
      get<Record<string, unknown>>(url(ip, plan.ports.dnsHttp, '/v1/enumerate')),
      ns ? get<{ agents?: unknown[] }>(url(ip, plan.ports.master, '/overlay-master/state')) : Promise.resolve(undefined),
      plan.agents[0] && ns ? nsJson<unknown>(plan.agents[0].ns, url(plan.agents[0].ip, plan.ports.l4lb, '/vips')) : Promise.resolve(undefined),
    ]);
    const tasks = (state?.frameworks ?? []).flatMap((f) => (f.tasks ?? []).map((t) => ({ framework: f.name, name: t.name, state: t.state })));
    const recordCount = JSON.stringify(records ?? {}).match(/"(?:host|name)"\s*:/g)?.length ?? 0;
    const summary = {
      lab: plan.prefix, logs: `${plan.dir}/logs`,
      agents: (state?.slaves ?? []).map((s) => `${s.hostname} ${s.id}`),
      apps: (apps?.apps ?? []).map((a) => `${a.id} ${a.tasksRunning ?? '?'}/${a.instances}`),
      tasks: tasks.map((t) => `${t.framework}/${t.name} ${t.state}`),
      vips: vips === undefined ? 'unavailable' : Array.isArray(vips) ? vips.length : Object.keys(vips as object).length,
      dnsRecords: records === undefined ? 'unavailable' : recordCount,
      overlayLeases: leases === undefined ? (ns ? 'unavailable' : 'none (local)') : (leases.agents?.length ?? 0),
      daemons: procs.map((p) => `${p.alive ? 'alive' : 'DEAD '} ${p.name} pid ${p.pid}`),
    };
    if (values.json) {
      process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      return 0;
    }
    const out: string[] = [`lab ${summary.lab} — logs in ${summary.logs}`];
    for (const [k, v] of Object.entries(summary)) {
      if (k === 'lab' || k === 'logs') continue;
      if (Array.isArray(v)) out.push(`${k} (${v.length}):`, ...v.map((x) => `  ${x}`));
      else out.push(`${k}: ${v}`);
    }
    process.stdout.write(out.join('\n') + '\n');
    return procs.every((p) => p.alive) ? 0 : 1;
  },
};
