// Building the namespace lab: topology (netns-scripts/setup.sh), resolvers, config files, daemons.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, symlinkSync, rmSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { scripts, repoRoot, mesonetBin } from './common.js';
import type { LabPlan } from './plan.js';
import { type DaemonSpec, masterDaemons, agentDaemons, overlayConfig, dnsConfig } from './daemons.js';
import { startIn, stopAll, isAlive, type LabProc } from './procs.js';
import { nsFetch } from './nsfetch.js';
import { poll, type Progress } from './progress.js';

export async function teardown(plan: LabPlan): Promise<void> {
  await stopAll(plan.dir);
  execFileSync('bash', [resolve(scripts, 'teardown.sh'), plan.prefix], { stdio: 'ignore' });
  rmSync(plan.dir, { recursive: true, force: true });
}

export function buildTopology(plan: LabPlan): void {
  execFileSync('bash', [resolve(scripts, 'setup.sh'), plan.prefix, String(plan.nodes.length)], { stdio: 'ignore', timeout: 60_000 });
  for (const n of plan.nodes) {
    // `ip netns exec` bind-mounts this over /etc/resolv.conf: every node resolves through mesonet's DNS.
    const dir = `/etc/netns/${n.ns}`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/resolv.conf`, `nameserver ${plan.master.ip}\noptions timeout:1 attempts:2\n`);
    // Named VIPs are not on any link: where an l4lb runs, route their range out of eth0 so connect()
    // gets as far as the SYN that the raw-table rule queues (Minuteman kept such a route too).
    if (n.role === 'agent' || n.role === 'public') {
      execFileSync('ip', ['-n', n.ns, 'route', 'replace', plan.vipRange, 'dev', 'eth0'], { stdio: 'ignore' });
    }
  }
}

export function writeConfigs(plan: LabPlan): void {
  mkdirSync(plan.dir, { recursive: true });
  writeFileSync(`${plan.dir}/plan.json`, JSON.stringify(plan, null, 2));
  writeFileSync(`${plan.dir}/overlay.json`, JSON.stringify(overlayConfig(plan), null, 2));
  writeFileSync(`${plan.dir}/dns.json`, JSON.stringify(dnsConfig(plan), null, 2));
  mkdirSync(`${plan.dir}/cni-bin`, { recursive: true });
  symlinkSync(resolve(repoRoot, 'bin/mesonet-cni.js'), `${plan.dir}/cni-bin/mesonet-cni`);
  for (const n of plan.nodes) mkdirSync(`${plan.dir}/${n.name}`, { recursive: true });
  // haproxy's :443 frontend needs a certificate; the lab makes a throwaway self-signed one.
  const pem = `${plan.dir}/public/cert.pem`;
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=mesonet-lab',
    '-keyout', `${plan.dir}/public/key.pem`, '-out', `${plan.dir}/public/crt.pem`], { stdio: 'ignore' });
  writeFileSync(pem, readFileSync(`${plan.dir}/public/crt.pem`, 'utf8') + readFileSync(`${plan.dir}/public/key.pem`, 'utf8'));
}

function start(plan: LabPlan, d: DaemonSpec): LabProc {
  return startIn(plan.dir, d.node.ns, d.name, [process.execPath, mesonetBin, ...d.args]);
}

/** Start daemons and wait until each answers its ready URL (or dies / times out). */
export async function startAll(plan: LabPlan, specs: DaemonSpec[], progress: Progress, timeoutMs = 15_000): Promise<string[]> {
  const procs = specs.map((d) => [d, start(plan, d)] as const);
  progress.step(`started ${specs.map((d) => d.name).join(', ')}`);
  const failures: string[] = [];
  const readyAt: [string, number][] = [];
  await Promise.all(procs.map(async ([d, p]) => {
    if (!d.ready) return;
    const [ok, waited] = await poll(async () => {
      if (!isAlive(p.pid)) return false;
      const r = await nsFetch(d.node.ns, d.ready!, { timeoutMs: 1000 });
      return r.status >= 200 && r.status < 500 ? true : undefined;
    }, timeoutMs, 100);
    if (ok !== true) failures.push(`${d.name} ${isAlive(p.pid) ? 'did not become ready' : 'exited'} (log: ${p.log})`);
    else readyAt.push([d.name, waited]);
  }));
  if (readyAt.length) {
    readyAt.sort((a, b) => b[1] - a[1]);
    progress.step(`ready: ${readyAt.map(([n, w]) => `${n} ${(w / 1000).toFixed(1)}s`).join(', ')}`);
  }
  return failures;
}

export const planDaemons = (plan: LabPlan) => ({
  master: masterDaemons(plan),
  agents: [...plan.agents, plan.public].flatMap((n) => agentDaemons(plan, n)),
});
