// The acceptance scenario of the scheduler room, in namespaces: master + Marathon on lab host h1,
// agents on h2 and h3 (all started with the `mesonet` CLI), an app with 3 instances on a container
// network attached by Debian's CNI plugins (bridge + host-local). Tasks run and answer HTTP on their
// own IPs, appear in /master/state with those IPs and in /v2/apps?embed=apps.tasks; killing a task's
// process makes Marathon replace it; SSE and operator-stream clients see the changes.
import t from 'tap';
import { mkdtemp, readFile, rm, writeFile, mkdir, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lab, netnsAllowed, nsExec, repoRoot, sh, uniquePrefix } from '../../test/helpers/netns.js';
import { waitFor } from '../testing/helpers.js';
import { forwarder, runInNs, unixJson, unixStream, type NsProc } from '../testing/ns-proc.js';
import { RecordIoDecoder } from '../../src/kernel/recordio.js';
import { decodeMasterState } from '../../src/kernel/mesos-state.js';

const CNI_DIR = '/usr/lib/cni';

t.test('3 instances on a CNI container network across 2 agents', async (t) => {
  if (!netnsAllowed(t)) return;
  if (!existsSync(join(CNI_DIR, 'bridge')) || !existsSync(join(CNI_DIR, 'host-local'))) {
    t.fail(`Debian containernetworking-plugins are needed in ${CNI_DIR} (apt-get install containernetworking-plugins)`);
    return;
  }
  const prefix = uniquePrefix('sch');
  const dir = await mkdtemp(join(tmpdir(), 'mesonet-e2e-'));
  const procs: NsProc[] = [];
  t.teardown(async () => {
    for (const p of procs.reverse()) await p.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const { hosts, ips } = await lab(t, prefix, 3);
  const [h1, h2, h3] = hosts as [string, string, string];
  const mesonet = resolve(repoRoot, 'bin/mesonet.js');
  const masterIp = ips[0]!;

  const agentNs = new Map<string, string>();
  for (const [i, ns] of [[2, h2], [3, h3]] as const) {
    const conf = join(dir, `cni${i}`);
    await mkdir(conf, { recursive: true });
    await writeFile(join(conf, '10-dcos.conf'), JSON.stringify({
      cniVersion: '1.0.0', name: 'dcos', type: 'bridge', bridge: `${prefix}b`, isGateway: true, ipMasq: false, hairpinMode: true,
      ipam: { type: 'host-local', subnet: `198.19.${i}.0/24`, dataDir: join(dir, `ipam${i}`), routes: [{ dst: '0.0.0.0/0' }] },
    }));
    agentNs.set(`198.19.${i}.`, ns);
  }
  procs.push(runInNs(h1, [process.execPath, mesonet, 'master', '--ip', masterIp, '--port', '5050', '--work-dir', join(dir, 'master'), '--allocation-interval', '0.2', '--stream-heartbeat', '1']));
  procs.push(runInNs(h1, [process.execPath, mesonet, 'marathon', '--master', `${masterIp}:5050`, '--ip', masterIp, '--port', '8080', '--sse-heartbeat', '1']));
  for (const [i, ns] of [[2, h2], [3, h3]] as const) {
    procs.push(runInNs(ns, [process.execPath, mesonet, 'agent', '--master', `${masterIp}:5050`, '--ip', ips[i - 1]!, '--port', '5051',
      '--resources', 'cpus:2;mem:1024;ports:[31000-31099]', '--work-dir', join(dir, `agent${i}`), '--cni-plugin-dir', CNI_DIR,
      '--cni-conf-dir', join(dir, `cni${i}`), '--netns-prefix', `${prefix}-t`, '--heartbeat', '0.5', '--kill-grace', '1']));
  }
  const logs = () => procs.map((p) => p.log()).join('\n---\n');
  const master = await forwarder(h1, dir, 'master', masterIp, 5050);
  const marathon = await forwarder(h1, dir, 'marathon', masterIp, 8080);
  procs.push(master.proc, marathon.proc);
  const state = async () => (await unixJson(master.sock, 'GET', '/master/state')).body;
  try {
    await waitFor('2 agents and marathon registered', async () => { const s = await state(); return s?.slaves?.length === 2 && s.frameworks?.[0]?.name === 'marathon'; }, 30000);
  } catch (e) { t.fail(`${String(e)}\n${logs()}`); return; }

  // Stream clients: Marathon SSE and the master's operator stream.
  const sse: any[] = [];
  let sseBuf = '';
  t.teardown(unixStream(marathon.sock, 'GET', '/v2/events', undefined, { Accept: 'text/event-stream' }, (c) => {
    sseBuf += String(c);
    let i;
    while ((i = sseBuf.indexOf('\r\n\r\n')) >= 0) {
      const frame = sseBuf.slice(0, i); sseBuf = sseBuf.slice(i + 4).replace(/^(\r\n)+/, '');
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (data) sse.push(JSON.parse(data));
    }
  }));
  const v1: Array<{ at: number; e: any }> = [];
  const dec = new RecordIoDecoder();
  t.teardown(unixStream(master.sock, 'POST', '/api/v1', { type: 'SUBSCRIBE' }, { Accept: 'application/json' }, (c) => {
    for (const r of dec.feed(c).records) v1.push({ at: Date.now(), e: JSON.parse(r.toString('utf8')) });
  }));

  const server = `echo $$ > pid; exec ${JSON.stringify(process.execPath)} -e "require('http').createServer((q,s)=>s.end(process.env.MESOS_TASK_ID)).listen(8080,'0.0.0.0')"`;
  const post = await unixJson(marathon.sock, 'POST', '/v2/apps', {
    id: '/web', cmd: server, instances: 3, cpus: 0.1, mem: 32,
    networks: [{ mode: 'container', name: 'dcos' }],
    container: { type: 'MESOS', portMappings: [{ containerPort: 8080, name: 'http', labels: { VIP_0: '/web:80' } }] },
  });
  t.equal(post.status, 201, JSON.stringify(post.body));
  const runningTasks = async () => {
    const { body } = await unixJson(marathon.sock, 'GET', '/v2/apps?embed=apps.tasks');
    const ts = body.apps[0]?.tasks ?? [];
    return ts.length === 3 && ts.every((x: any) => x.state === 'TASK_RUNNING' && x.ipAddresses.length) ? ts : undefined;
  };
  let tasks: any[];
  try { tasks = await waitFor('3 running tasks with IPs', runningTasks, 60000); } catch (e) { t.fail(`${String(e)}\n${logs()}`); return; }

  const s = await state();
  t.same(decodeMasterState(s).problems, []);
  const mtasks = s.frameworks[0].tasks;
  for (const task of tasks) {
    const ip: string = task.ipAddresses[0].ipAddress;
    t.match(ip, /^198\.19\.[23]\.\d+$/, 'an address from the agent\'s CNI subnet');
    const ns = agentNs.get(ip.slice(0, ip.lastIndexOf('.') + 1))!;
    const r = await nsExec(ns, [process.execPath, '-e', `fetch('http://${ip}:8080/').then(r=>r.text()).then(t=>process.stdout.write(t))`]);
    t.equal(r.stdout, task.id, `task answers HTTP on ${ip}`);
    const m = mtasks.find((x: any) => x.id === task.id);
    const last = m.statuses[m.statuses.length - 1];
    t.equal(last.container_status.network_infos[0].ip_addresses[0].ip_address, ip, '/master/state has the task IP');
    t.equal(last.container_status.network_infos[0].name, 'dcos');
    t.same(m.discovery.ports.ports[0], { number: 8080, name: 'http', protocol: 'tcp', labels: { labels: [{ key: 'VIP_0', value: '/web:80' }, { key: 'network-scope', value: 'container' }, { key: 'network-name', value: 'dcos' }] } });
  }

  // Kill one task's process: Marathon replaces it; both streams see it.
  const victim = tasks[0];
  const agentDir = join(dir, `agent${victim.ipAddresses[0].ipAddress.split('.')[2]}`);
  const sandboxRoot = join(agentDir, 'sandboxes', victim.id);
  const containers = await readdir(sandboxRoot);
  const pid = Number((await readFile(join(sandboxRoot, containers[0]!, 'pid'), 'utf8')).trim());
  const killedAt = Date.now();
  process.kill(pid, 'SIGKILL');
  const upd = await waitFor('TASK_UPDATED on the operator stream', () => v1.find((x) => x.e.type === 'TASK_UPDATED' && x.e.task_updated.status.task_id.value === victim.id && x.e.task_updated.state === 'TASK_FAILED'), 20000);
  t.ok(upd.at - killedAt < 2000, `operator stream saw the failure ${upd.at - killedAt} ms after the kill`);
  await waitFor('SSE status_update_event', () => sse.some((e) => e.eventType === 'status_update_event' && e.taskId === victim.id && e.taskStatus === 'TASK_FAILED'), 20000);
  const replaced = await waitFor('replacement running', async () => { const ts = await runningTasks(); return ts && !ts.some((x: any) => x.id === victim.id) ? ts : undefined; }, 60000);
  t.equal(replaced.length, 3);
  t.ok(v1.some((x) => x.e.type === 'TASK_ADDED'), 'operator stream saw TASK_ADDED');
  t.equal(v1[0]?.e.type, 'SUBSCRIBED');

  // Delete the app: tasks end, CNI DEL runs, namespaces go.
  t.equal((await unixJson(marathon.sock, 'DELETE', '/v2/apps/web')).status, 200);
  await waitFor('no task namespaces left', async () => !(await sh('ip', ['netns', 'list'])).stdout.includes(`${prefix}-t`), 30000);
  const ipam = await readdir(join(dir, 'ipam2', 'dcos')).catch(() => [] as string[]);
  t.notOk(ipam.some((f) => /^198\.19\./.test(f)), 'host-local released the addresses (CNI DEL)');
});
