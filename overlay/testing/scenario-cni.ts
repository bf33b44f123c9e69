// Namespace test (real kernel) of the mesonet-cni binary in one host namespace programmed by the
// overlay's own plan/apply: 50 concurrent ADDs get 50 distinct addresses; CHECK passes and then
// notices a removed address; DEL twice is fine; exhaustion returns the CNI error and leaks nothing;
// bad stdin changes nothing; a second ADD of the same interface is refused.
import type { Test } from 'tap';
import { mkdtemp, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netnsAllowed, uniquePrefix, sh, nsExec, repoRoot } from '../../test/helpers/netns.js';
import { runnerFor } from '../io/exec.js';
import { observe, apply } from '../io/kernel.js';
import { desiredAgent } from '../desired.js';
import { plan, render } from '../plan.js';
import { renderNetworkConf } from '../cni-conf.js';
import { CNI_ERR } from '../errors.js';
import { labConfig, runCni, cniEnv, resultIp } from './lab.js';

const cfg = labConfig();
const N = 50;

/** mesonet-cni against the kernel: 50 concurrent ADDs, CHECK, DEL, exhaustion, bad input. */
export async function cniScenario(t: Test): Promise<void> {
  if (!netnsAllowed(t)) return;
  const prefix = uniquePrefix('cni');
  const host = `${prefix}-h`;
  const dataDir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  const containers = Array.from({ length: N }, (_, i) => `${prefix}-c${i}`);
  t.teardown(async () => {
    for (const ns of [host, ...containers]) await sh('ip', ['netns', 'del', ns]).catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  });
  await sh('ip', ['netns', 'add', host]);
  await nsExec(host, ['ip', 'link', 'set', 'lo', 'up']);
  // The host's bridge, as the agent programs it (no peers): agent block 198.19.5.0/24.
  const self = { id: 'a1', ip: '198.18.0.11', subnet: '198.19.5.0/24', vtepIp: '198.18.16.6', vtepPrefix: 20, vtepMac: '70:b3:d5:12:10:06', vni: 1024, mesosBridge: undefined, dockerBridge: undefined };
  const run = runnerFor(host);
  const d = desiredAgent(cfg, self, []).desired;
  await apply(run, render(plan(d, await observe(run, cfg))));
  t.same(plan(d, await observe(run, cfg)), [], 'host programmed');
  for (const ns of containers) await sh('ip', ['netns', 'add', ns]);
  const conf = renderNetworkConf({ ...cfg, cniDataDir: dataDir }, self.subnet);
  const store = join(dataDir, 'lab');
  const files = async () => (await readdir(store).catch(() => [] as string[])).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f)).sort();
  const veths = async () => (await nsExec(host, ['ip', '-o', 'link', 'show', 'type', 'veth'])).stdout.trim().split('\n').filter((x) => x);

  // Bad stdin: a coded error, nothing created.
  const bad = await runCni(repoRoot, host, cniEnv('ADD', 'bad', `/run/netns/${containers[0]}`), '{"cniVersion":');
  t.equal(bad.code, 1);
  t.equal(bad.json?.code, CNI_ERR.DECODE_FAILURE);
  const trav = await runCni(repoRoot, host, cniEnv('ADD', '../../etc', `/run/netns/${containers[0]}`), conf);
  t.equal(trav.json?.code, CNI_ERR.INVALID_ENV);
  const missing = await runCni(repoRoot, host, cniEnv('ADD', 'ghost', `/run/netns/${prefix}-nope`), conf);
  t.equal(missing.json?.code, CNI_ERR.NETNS_NOT_FOUND);
  t.same(await files(), [], 'no address reserved by refused ADDs');
  t.same(await veths(), []);

  // 50 concurrent ADDs.
  const adds = await Promise.all(containers.map((ns, i) => runCni(repoRoot, host, cniEnv('ADD', `ctr${i}`, `/run/netns/${ns}`), conf, 120_000)));
  const failed = adds.filter((r) => r.code !== 0);
  t.same(failed.map((r) => `${String(r.code)} ${r.stdout} ${r.stderr}`), [], 'every ADD succeeded');
  const ips = adds.map(resultIp);
  t.equal(new Set(ips).size, N, '50 distinct addresses');
  t.ok(ips.every((ip) => ip && /^198\.19\.5\.([2-9]|[1-9]\d|1[01]\d|12[0-6])$/.test(ip)), 'all inside the m-lab half, not the gateway');
  t.same(await files(), [...ips].sort() as string[], 'one store record per address');
  t.equal((await veths()).length, N);
  t.match((await nsExec(containers[7]!, ['ip', '-j', 'addr', 'show', 'eth0'])).stdout, new RegExp(`"local":"${ips[7]!.replace(/\./g, '\\.')}"`));
  const ping = await nsExec(containers[0]!, ['ping', '-c', '1', '-W', '2', ips[N - 1]!]);
  t.match(ping.stdout, /1 received/, 'containers on the bridge reach each other');
  t.match((await nsExec(containers[0]!, ['ping', '-c', '1', '-W', '2', '198.19.5.1'])).stdout, /1 received/, 'gateway answers');

  // Same interface again: refused, and the existing attachment is untouched.
  const dup = await runCni(repoRoot, host, cniEnv('ADD', 'ctr3', `/run/netns/${containers[3]}`), conf);
  t.equal(dup.json?.code, CNI_ERR.INTERFACE_EXISTS, dup.stdout);
  t.equal((await files()).length, N);

  // CHECK: fine, then notices a removed address.
  const prev = (i: number) => JSON.stringify({ ...JSON.parse(conf), prevResult: adds[i]!.json });
  const chk = await runCni(repoRoot, host, cniEnv('CHECK', 'ctr5', `/run/netns/${containers[5]}`), prev(5));
  t.equal(chk.code, 0, chk.stdout);
  await nsExec(containers[5]!, ['ip', 'addr', 'flush', 'dev', 'eth0']);
  const chk2 = await runCni(repoRoot, host, cniEnv('CHECK', 'ctr5', `/run/netns/${containers[5]}`), prev(5));
  t.equal(chk2.json?.code, CNI_ERR.CHECK_FAILED);
  t.match(String(chk2.json?.details), /does not hold/);

  // DEL 20 of them concurrently, then again for a few: their records and host ends are gone, the
  // other 30 untouched. (The rest go with their namespaces at teardown: fewer Node start-ups.)
  const gone = Array.from({ length: 20 }, (_, k) => k * 2 + 1);
  const dels = await Promise.all(gone.map((i) => runCni(repoRoot, host, cniEnv('DEL', `ctr${i}`, `/run/netns/${containers[i]}`), prev(i), 120_000)));
  t.same(dels.filter((r) => r.code !== 0).map((r) => `${String(r.code)} ${r.stdout} ${r.stderr}`), [], 'every DEL succeeded');
  for (const i of [1, 5, 39]) {
    const again = await runCni(repoRoot, host, cniEnv('DEL', `ctr${i}`, `/run/netns/${containers[i]}`), prev(i));
    t.equal(again.code, 0, `second DEL of ctr${i} succeeds: ${again.stdout}`);
    t.equal(again.stdout, '');
  }
  const kept = ips.filter((_, i) => !gone.includes(i)).sort() as string[];
  t.same(await files(), kept, 'exactly the deleted containers\' records are gone');
  t.equal((await veths()).length, N - gone.length);
  const delGone = await runCni(repoRoot, host, cniEnv('DEL', 'never-added', undefined), conf);
  t.equal(delGone.code, 0, 'DEL of something never added, without a netns, succeeds');

  // Exhaustion: a /30 has one container address (network, gateway, broadcast excluded); the second
  // ADD fails with code 100 and leaks nothing.
  const smallDir = join(dataDir, 'small');
  const small = JSON.stringify({ ...JSON.parse(conf), name: 'small', ipam: { ...JSON.parse(conf).ipam, subnet: '198.19.5.0/30', gateway: '198.19.5.1', dataDir: smallDir } });
  const first = await runCni(repoRoot, host, cniEnv('ADD', 's0', `/run/netns/${containers[1]}`), small);
  t.equal(resultIp(first), '198.19.5.2');
  const ex = await runCni(repoRoot, host, cniEnv('ADD', 's1', `/run/netns/${containers[3]}`), small);
  t.equal(ex.code, 1);
  t.equal(ex.json?.code, CNI_ERR.ADDRESS_EXHAUSTED);
  t.equal(ex.json?.cniVersion, '1.0.0');
  t.equal((await veths()).length, N - gone.length + 1, 'the failed ADD left no veth');
  t.same((await readdir(join(smallDir, 'small'))).filter((f) => /^\d/.test(f)), ['198.19.5.2'], 'and no record');
  t.equal((await nsExec(containers[3]!, ['ip', '-o', 'link'])).stdout.trim().split('\n').length, 1, 'nor an interface in the container');
  t.equal((await runCni(repoRoot, host, cniEnv('DEL', 's0', `/run/netns/${containers[1]}`), small)).code, 0);
  t.equal((await veths()).length, N - gone.length);

  // VERSION.
  const v = await runCni(repoRoot, host, { CNI_COMMAND: 'VERSION' }, '{"cniVersion":"1.0.0"}');
  t.same(v.json, { cniVersion: '1.0.0', supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0'] });
}
