// `mesonet up --local`: the HTTP/DNS side of the plane on loopback, no root, no namespaces:
// master, agent, marathon, dns (port 8053) and edge config; no overlay, no l4lb.
import { tmpdir } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { labPlan } from './plan.js';
import { startIn, stopAll, isAlive } from './procs.js';
import { mesonetBin, repoRoot } from './common.js';
import { poll, type Progress } from './progress.js';
import { resolve } from 'node:path';
import { execFile } from 'node:child_process';

const L = '127.0.0.1';

async function get(url: string, init?: RequestInit): Promise<Response | undefined> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(2000) });
  } catch {
    return undefined;
  }
}

function dig(name: string, type: string, port: number): Promise<string[]> {
  return new Promise((res) => execFile('dig', [`@${L}`, '-p', String(port), '+short', '+time=1', name, type], (e, out) => res(e ? [] : String(out).split('\n').filter(Boolean))));
}

export async function runLocal(prefix: string, progress: Progress): Promise<number> {
  const plan = labPlan(prefix, 1, tmpdir());
  await stopAll(plan.dir);
  mkdirSync(plan.dir, { recursive: true });
  writeFileSync(`${plan.dir}/plan.json`, JSON.stringify({ ...plan, local: true }, null, 2));
  const dnsPort = 8053;
  writeFileSync(`${plan.dir}/dns.json`, JSON.stringify({ masters: [`${L}:5050`], domain: 'mesos', port: dnsPort, listener: L, httpport: 8123, resolvers: [], refreshSeconds: 60, IPSources: ['host'] }));
  const m = (name: string, args: string[]) => startIn(plan.dir, '', name, [process.execPath, mesonetBin, ...args]);
  const procs = [
    m('master', ['master', '--ip', L, '--port', '5050', '--work-dir', `${plan.dir}/master`]),
    m('marathon', ['marathon', '--master', `http://${L}:5050`, '--ip', L, '--port', '8080']),
    m('agent', ['agent', '--master', `http://${L}:5050`, '--ip', L, '--port', '5051', '--work-dir', `${plan.dir}/agent`, '--resources', 'cpus:4;mem:4096;disk:4096;ports:[31000-31999]']),
    m('dns', ['dns', 'serve', '--config', `${plan.dir}/dns.json`]),
  ];
  progress.step(`started master, marathon, agent, dns on ${L} (logs in ${plan.dir}/logs)`);
  const [ready] = await poll(async () => ((await get(`http://${L}:8080/ping`))?.ok && (await get(`http://${L}:8123/v1/version`))?.ok ? true : undefined), 15_000, 100);
  if (!ready) {
    progress.step(`not ready: ${procs.filter((p) => !isAlive(p.pid)).map((p) => `${p.name} exited`).join(', ') || 'timed out'}`);
    return 1;
  }
  const app = { id: '/web', instances: 2, cpus: 0.1, mem: 32, cmd: `${process.execPath} ${resolve(repoRoot, 'dist/src/cmd/lab/sample-server.js')}`, portDefinitions: [{ port: 0, name: 'http' }], labels: { HAPROXY_GROUP: 'external' } };
  await get(`http://${L}:8080/v2/apps`, { method: 'POST', body: JSON.stringify(app), headers: { 'content-type': 'application/json' } });
  const [running] = await poll(async () => {
    const r = await get(`http://${L}:8080/v2/apps/web?embed=apps.tasks`);
    const body = r?.ok ? ((await r.json()) as { app?: { tasks?: { state?: string }[] } }) : undefined;
    return (body?.app?.tasks ?? []).filter((t) => (t.state ?? 'TASK_RUNNING') === 'TASK_RUNNING').length >= 2 ? true : undefined;
  }, 20_000, 100);
  progress.check(running === true, '2 instances of /web running on the local agent', '');
  const [a] = await poll(async () => ((await dig('web.marathon.mesos', 'A', dnsPort)).includes(L) ? true : undefined), 5000);
  progress.check(a === true, `web.marathon.mesos resolves to ${L} (dig @${L} -p ${dnsPort})`, '');
  const [srv] = await poll(async () => ((await dig('_web._tcp.marathon.mesos', 'SRV', dnsPort)).length >= 2 ? true : undefined), 5000);
  progress.check(srv === true, '_web._tcp.marathon.mesos has an SRV record per instance', '');
  progress.step(`local plane up in ${progress.elapsed()}; 'mesonet down${prefix === 'mnlab' ? '' : ` --prefix ${prefix}`}' stops it`);
  return running && a && srv ? 0 : 1;
}
