// Master + agent on loopback, real processes: environment, exit codes, kill by process group,
// health checks, re-registration after a master restart; CNI invocation in a namespace (root only).
import t from 'tap';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAgentConfig, parseMasterConfig } from '../config.js';
import { startMaster } from './master.js';
import { startAgent } from './agent.js';
import { TestFramework } from '../testing/test-framework.js';
import { getJson, waitFor } from '../testing/helpers.js';
import { installFakeCni } from '../testing/fake-cni.js';
import { exec } from '../../src/io/exec.js';
import { netnsAllowed } from '../../test/helpers/netns.js';

const quiet = { log: process.env['SCHED_TEST_LOG'] ? (m: string) => process.stderr.write(m + '\n') : () => {} };
const cmd = (id: string, value: string, extra: Record<string, unknown> = {}) => ({ name: id, task_id: { value: id }, command: { shell: true, value }, ...extra });
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

async function cluster(t: { teardown: (f: () => unknown) => void }, over: { master?: Record<string, unknown>; agent?: Record<string, unknown> } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'mesonet-agent-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const mc = parseMasterConfig({ ip: '127.0.0.1', port: 0, allocationIntervalSeconds: 0.05, ...over.master });
  if (!mc.ok) throw new Error(JSON.stringify(mc.error));
  const master = await startMaster(mc.value, quiet);
  const ac = parseAgentConfig({ master: master.url, ip: '127.0.0.1', port: 0, workDir: join(dir, 'agent'), resources: 'cpus:4;mem:2048;ports:[31000-31099]', heartbeatSeconds: 0.1, killGraceSeconds: 1, ...over.agent });
  if (!ac.ok) throw new Error(JSON.stringify(ac.error));
  const agent = await startAgent(ac.value, quiet);
  const fw = new TestFramework(master.url);
  t.teardown(async () => { fw.stop(); await agent.close(); await master.close(); });
  await waitFor('agent registered', async () => (await getJson(`${master.url}/master/state`)).slaves.length === 1);
  return { dir, master, agent, fw };
}

t.test('tasks run as processes with the Mesos environment; exit codes map to states', async (t) => {
  const { dir, fw } = await cluster(t);
  fw.launch(cmd('env.1', 'echo "$MESOS_TASK_ID|$FOO|$MESOS_SANDBOX" > out.txt', { command: { shell: true, value: 'echo "$MESOS_TASK_ID|$FOO|$MESOS_SANDBOX" > out.txt', environment: { variables: [{ name: 'FOO', value: 'bar' }] } } }));
  fw.launch(cmd('fail.1', 'echo oops >&2; exit 3'));
  await waitFor('env.1 finished', () => fw.statesOf('env.1').includes('TASK_FINISHED'));
  t.same(fw.statesOf('env.1'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
  await waitFor('fail.1 failed', () => fw.statesOf('fail.1').includes('TASK_FAILED'));
  t.equal(fw.last('fail.1')?.message, 'Command exited with status 3');
  const sandboxes = await exec('find', [join(dir, 'agent', 'sandboxes'), '-name', 'out.txt']);
  const out = (await readFile(sandboxes.stdout.trim(), 'utf8')).trim().split('|');
  t.equal(out[0], 'env.1');
  t.equal(out[1], 'bar');
  t.equal(join(out[2]!, 'out.txt'), sandboxes.stdout.trim(), 'MESOS_SANDBOX is the sandbox (and the cwd)');
  const failErr = await exec('find', [join(dir, 'agent', 'sandboxes', 'fail.1'), '-name', 'stderr']);
  t.equal((await readFile(failErr.stdout.trim(), 'utf8')).trim(), 'oops', 'stderr goes to the sandbox');
  t.equal(fw.last('env.1')?.container_status?.network_infos?.[0]?.ip_addresses?.[0]?.ip_address, '127.0.0.1', 'host network reports the agent IP');
});

t.test('kill terminates the whole process group; the task is TASK_KILLED', async (t) => {
  const { agent, fw } = await cluster(t);
  fw.launch(cmd('sleep.1', 'sleep 300 & sleep 300; wait'));
  await waitFor('running', () => fw.statesOf('sleep.1').includes('TASK_RUNNING'));
  const pid = agent.tasks.tasks.get('sleep.1')!.proc!.pid!;
  t.ok(alive(pid));
  await fw.kill('sleep.1');
  await waitFor('killed', () => fw.statesOf('sleep.1').includes('TASK_KILLED'));
  await waitFor('group gone', async () => (await exec('pgrep', ['-g', String(pid)])).stdout.trim() === '', 3000);
  t.notOk(alive(pid));
});

t.test('an HTTP health check reports healthy on the running status', async (t) => {
  const { fw } = await cluster(t);
  const server = `${JSON.stringify(process.execPath)} -e "require('http').createServer((q,s)=>s.end('ok')).listen(Number(process.env.PORT0),'127.0.0.1')"`;
  fw.launch(cmd('web.1', server, {
    command: { shell: true, value: server, environment: { variables: [{ name: 'PORT0', value: '31007' }] } },
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }, { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31007, end: 31007 }] } }],
    health_check: { type: 'HTTP', http: { port: 31007, path: '/' }, delay_seconds: 0, interval_seconds: 0.1, grace_period_seconds: 10, consecutive_failures: 3, timeout_seconds: 1 },
  }));
  const healthy = await waitFor('healthy', () => fw.updates.find((u) => u.task_id.value === 'web.1' && u.healthy !== undefined), 15000);
  t.equal(healthy.state, 'TASK_RUNNING');
  t.equal(healthy.healthy, true);
  t.equal(healthy.reason, 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');
  await fw.kill('web.1');
  await waitFor('killed', () => fw.statesOf('web.1').includes('TASK_KILLED'));
});

t.test('after a master restart the agent re-registers and running tasks are kept', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mesonet-restart-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const mc = parseMasterConfig({ ip: '127.0.0.1', port: 0, allocationIntervalSeconds: 0.05, workDir: join(dir, 'master') });
  if (!mc.ok) throw new Error('config');
  let master = await startMaster(mc.value, quiet);
  const port = master.port;
  const ac = parseAgentConfig({ master: master.url, ip: '127.0.0.1', port: 0, workDir: join(dir, 'agent'), resources: 'cpus:2;mem:1024', heartbeatSeconds: 0.1, killGraceSeconds: 1 });
  if (!ac.ok) throw new Error('config');
  const agent = await startAgent(ac.value, quiet);
  const fw = new TestFramework(master.url);
  fw.launch(cmd('long.1', 'sleep 300'));
  await waitFor('running', () => fw.statesOf('long.1').includes('TASK_RUNNING'));
  const fwId = fw.client.frameworkId!;
  fw.stop();
  await master.close();
  const mc2 = parseMasterConfig({ ip: '127.0.0.1', port, allocationIntervalSeconds: 0.05, workDir: join(dir, 'master') });
  if (!mc2.ok) throw new Error('config');
  master = await startMaster(mc2.value, quiet);
  t.teardown(async () => { await agent.close(); await master.close(); });
  await waitFor('re-registered', async () => (await getJson(`${master.url}/master/state`)).slaves[0]?.reregistered_time !== undefined, 10000);
  const s = await getJson(`${master.url}/master/state`);
  t.equal(s.frameworks[0].id, fwId);
  t.equal(s.frameworks[0].tasks[0].id, 'long.1');
  t.equal(s.frameworks[0].tasks[0].state, 'TASK_RUNNING');
  t.ok(alive(agent.tasks.tasks.get('long.1')!.proc!.pid!), 'the process never stopped');
});

t.test('container network: namespace + CNI ADD with the standard protocol, IP in network_infos, DEL on exit', async (t) => {
  if (!netnsAllowed(t)) return;
  const dir = await mkdtemp(join(tmpdir(), 'mesonet-cni-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const cni = await installFakeCni(dir, 'testnet', '198.19.77.5/24');
  const prefix = `mnsch${process.pid % 1000}-`;
  const { fw, agent } = await cluster(t, { agent: { cniPluginDir: cni.pluginDir, cniConfDir: cni.confDir, netnsPrefix: prefix } });
  fw.launch(cmd('net.1', 'ip -4 -o addr show dev eth0 > addr.txt; sleep 300', { container: { type: 'MESOS', network_infos: [{ name: 'testnet', labels: { labels: [{ key: 'k', value: 'v' }] } }] } }));
  await waitFor('running', () => fw.statesOf('net.1').includes('TASK_RUNNING'), 15000);
  const ni = fw.last('net.1')?.container_status?.network_infos?.[0];
  t.equal(ni?.name, 'testnet');
  t.same(ni?.ip_addresses, [{ protocol: 'IPv4', ip_address: '198.19.77.5' }]);
  t.same(ni?.labels, { labels: [{ key: 'k', value: 'v' }] }, 'requested network labels kept');
  const task = agent.tasks.tasks.get('net.1')!;
  const netns = task.cni!.netns;
  t.ok(netns.startsWith(prefix));
  t.ok(existsSync(`/var/run/netns/${netns}`));
  const add = (await readFile(cni.logFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  t.equal(add[0].command, 'ADD');
  t.same(add[0].env, { CNI_COMMAND: 'ADD', CNI_CONTAINERID: task.containerId, CNI_NETNS: `/var/run/netns/${netns}`, CNI_IFNAME: 'eth0', CNI_PATH: cni.pluginDir });
  t.equal(add[0].conf.name, 'testnet');
  t.equal(add[0].conf.cniVersion, '1.0.0');
  await waitFor('addr file', async () => (await readFile(join(task.sandbox, 'addr.txt'), 'utf8')).includes('198.19.77.5'), 5000);
  await fw.kill('net.1');
  await waitFor('killed', () => fw.statesOf('net.1').includes('TASK_KILLED'));
  const log = (await readFile(cni.logFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  const del = log.find((l) => l.command === 'DEL');
  t.ok(del, 'DEL invoked');
  t.same(del.conf.prevResult.ips, [{ address: '198.19.77.5/24', interface: 0 }], 'DEL gets the ADD result');
  t.notOk(existsSync(`/var/run/netns/${netns}`), 'namespace removed');
});

t.test('a failing CNI plugin fails the task with its error message and leaves no namespace', async (t) => {
  if (!netnsAllowed(t)) return;
  const dir = await mkdtemp(join(tmpdir(), 'mesonet-cnif-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const cni = await installFakeCni(dir, 'badnet', '198.19.78.5/24', { fail: true });
  const prefix = `mnscf${process.pid % 1000}-`;
  const { fw } = await cluster(t, { agent: { cniPluginDir: cni.pluginDir, cniConfDir: cni.confDir, netnsPrefix: prefix } });
  fw.launch(cmd('bad.1', 'sleep 300', { container: { type: 'MESOS', network_infos: [{ name: 'badnet' }] } }));
  await waitFor('failed', () => fw.statesOf('bad.1').includes('TASK_FAILED'), 15000);
  t.match(fw.last('bad.1')?.message, /CNI error 11: asked to fail/);
  const ns = await exec('ip', ['netns', 'list']);
  t.notOk(ns.stdout.includes(prefix), 'no namespace left');
});
