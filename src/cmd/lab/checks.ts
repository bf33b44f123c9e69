// The end-to-end checklist `mesonet up` prints: one line per check with ✓/✗ and the measured figure.
import type { LabPlan } from './plan.js';
import { readdir, readFile } from 'node:fs/promises';
import { nsDig, nsFetch, nsRun, nsJson, run } from './nsfetch.js';
import { poll } from './progress.js';
import { getApp, runningTasks, killTask, taskIp, servicePort, VHOST, type MarathonTask } from './app.js';
import { url } from './daemons.js';

export interface Check {
  readonly ok: boolean;
  readonly what: string;
  readonly figure: string;
}

const APP = '/web';
const ms = (n: number) => `${Math.round(n)} ms`;
const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

export async function checkDns(plan: LabPlan, tasks: MarathonTask[]): Promise<Check[]> {
  const want = tasks.map(taskIp);
  const t0 = Date.now();
  const [a] = await poll(async () => {
    const got = await nsDig(plan.client.ns, plan.master.ip, 'web.marathon.mesos', 'A');
    return sameSet(got, want) ? got : undefined;
  }, 5000);
  const aMs = Date.now() - t0;
  const srv = await nsDig(plan.client.ns, plan.master.ip, '_web._tcp.marathon.mesos', 'SRV');
  return [
    { ok: a !== undefined, what: 'web.marathon.mesos A resolves from the client to every task', figure: a ? `${a.length} addresses in ${ms(aMs)}` : `wanted ${want.join(',')}` },
    { ok: srv.length === tasks.length, what: '_web._tcp.marathon.mesos SRV resolves from the client', figure: `${srv.length} records` },
  ];
}

export async function checkVip(plan: LabPlan, tasks: MarathonTask[]): Promise<Check[]> {
  const name = 'web.marathon.l4lb.thisdcos.directory';
  const [ips] = await poll(async () => {
    const got = await nsDig(plan.client.ns, plan.master.ip, name, 'A');
    return got.length ? got : undefined;
  }, 5000);
  const vip = ips?.[0];
  const checks: Check[] = [{ ok: vip !== undefined, what: `${name} resolves`, figure: vip ?? 'no answer' }];
  if (!vip) return checks;
  // Connections start on an agent, where its l4lb queues the SYN and picks a backend. A task is
  // RUNNING as soon as its process starts; wait (bounded) until each one listens, as a health check would.
  const from = plan.agents[0]!;
  await Promise.all(tasks.map((t) => poll(async () => ((await nsFetch(from.ns, `http://${taskIp(t)}:80/`, { timeoutMs: 1000 })).status === 200 ? true : undefined), 10_000, 100)));
  const seen = new Map<string, number>();
  let failed = 0;
  const t0 = Date.now();
  for (let i = 0; i < 30; i++) {
    const r = await nsFetch(from.ns, `http://${vip}:80/`, { timeoutMs: 2000 });
    if (r.status === 200) seen.set(r.body.trim(), (seen.get(r.body.trim()) ?? 0) + 1);
    else failed++;
  }
  const per = [...seen.values()].join('/');
  checks.push({ ok: failed === 0 && seen.size === tasks.length, what: `30 connections to ${vip}:80 from ${from.name} reach all ${tasks.length} instances`, figure: `${seen.size} instances (${per}), ${failed} failed, ${ms((Date.now() - t0) / 30)} per request` });
  return checks;
}

/**
 * Each running task's overlay address → the pid of its process. Agents run inside `ip netns exec`
 * (a private mount namespace), so task namespaces are entered through a task process instead.
 */
async function taskPids(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const d of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(d)) continue;
    const env = await readFile(`/proc/${d}/environ`, 'latin1').catch(() => '');
    if (!env.includes('MESOS_TASK_ID=')) continue;
    const a = await run('nsenter', ['-t', d, '-n', 'ip', '-4', '-o', 'addr', 'show', 'scope', 'global'], 5000);
    const m = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(a.stdout);
    if (m && !out.has(m[1]!)) out.set(m[1]!, Number(d));
  }
  return out;
}

export async function checkOverlay(plan: LabPlan, tasks: MarathonTask[]): Promise<Check[]> {
  const byIp = await taskPids();
  const ips = tasks.map(taskIp);
  const a = ips.find((ip) => byIp.has(ip));
  const b = a && ips.find((ip) => ip !== a && ip.split('.').slice(0, 3).join('.') !== a.split('.').slice(0, 3).join('.'));
  if (!a || !b) return [{ ok: false, what: 'tasks on different agents reach each other over the overlay', figure: `no pair of tasks on different agents (${ips.join(', ')}; task addresses found ${[...byIp.keys()].join(', ')})` }];
  const t0 = Date.now();
  const r = await run('nsenter', ['-t', String(byIp.get(a)!), '-n', process.execPath, '-e', `fetch('http://${b}:80/').then(r=>r.text()).then(t=>{process.stdout.write(t)}).catch(e=>{console.error(String(e));process.exit(1)})`], 5000);
  return [{ ok: r.code === 0 && r.stdout.trim().length > 0, what: `task ${a} reaches task ${b} on another agent over the overlay`, figure: r.code === 0 ? ms(Date.now() - t0) : r.stderr.trim().slice(0, 120) }];
}

export async function checkEdge(plan: LabPlan): Promise<Check[]> {
  const app = await getApp(plan, APP);
  const sp = app && servicePort(app);
  const pub = plan.public.ip;
  const [byPort, tPort] = await poll(async () => {
    if (!sp) return undefined;
    const r = await nsFetch(plan.client.ns, `http://${pub}:${sp}/`, { timeoutMs: 1000 });
    return r.status === 200 ? r.body.trim() : undefined;
  }, 10_000, 100);
  const vh = await nsRun(plan.client.ns, ['curl', '-s', '-m', '2', '-H', `Host: ${VHOST}`, `http://${pub}:80/`]);
  return [
    { ok: byPort !== undefined, what: `the app answers through haproxy on service port ${sp ?? '?'}`, figure: byPort ? `${byPort} after ${ms(tPort)}` : 'no answer' },
    { ok: vh.code === 0 && vh.stdout.trim().length > 0, what: `the app answers through haproxy on vhost ${VHOST}`, figure: vh.code === 0 ? vh.stdout.trim() : `curl exit ${vh.code}` },
  ];
}

export async function checkKill(plan: LabPlan, tasks: MarathonTask[]): Promise<Check[]> {
  const victim = tasks[0];
  if (!victim) return [{ ok: false, what: 'kill one instance', figure: 'no task' }];
  const ip = taskIp(victim);
  const t0 = Date.now();
  const killed = await killTask(plan, APP, victim.id);
  const [dnsGone] = await poll(async () => {
    const got = await nsDig(plan.client.ns, plan.master.ip, 'web.marathon.mesos', 'A');
    return got.length > 0 && !got.includes(ip) ? Date.now() - t0 : undefined;
  }, 10_000);
  const [vipGone] = await poll(async () => {
    const vips = await nsJson<unknown>(plan.agents[0]!.ns, url(plan.agents[0]!.ip, plan.ports.l4lb, '/vips'));
    return vips !== undefined && !JSON.stringify(vips).includes(`"${ip}`) ? Date.now() - t0 : undefined;
  }, 10_000);
  const [replaced] = await poll(async () => {
    const now = await runningTasks(plan, APP);
    return now.length === tasks.length && !now.some((t) => t.id === victim.id) ? Date.now() - t0 : undefined;
  }, 20_000, 100);
  return [
    { ok: killed && dnsGone !== undefined, what: 'after killing one instance, DNS stops returning it', figure: dnsGone !== undefined ? ms(dnsGone) : 'still answered' },
    { ok: killed && vipGone !== undefined, what: 'after killing one instance, the VIP stops using it', figure: vipGone !== undefined ? ms(vipGone) : 'still a backend' },
    { ok: killed && replaced !== undefined, what: 'Marathon replaces the killed instance', figure: replaced !== undefined ? ms(replaced) : 'not replaced' },
  ];
}
