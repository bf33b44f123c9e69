// Master + two agents + Marathon on loopback with real processes: POST an app, tasks run and answer
// on their ports, show up in /v2/apps?embed=apps.tasks (as marathon-lb reads them) and in
// /master/state (with discovery VIP labels), failed and killed tasks are replaced, scale, delete,
// bad input is rejected with Marathon's error bodies, and the SSE stream carries the events.
import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAgentConfig, parseMarathonConfig, parseMasterConfig } from '../config.js';
import { startMaster } from './master.js';
import { startAgent } from './agent.js';
import { startMarathon } from './marathon.js';
import { getJson, send, waitFor } from '../testing/helpers.js';
import { SseClient } from '../testing/sse-client.js';
import { decodeMasterState } from '../../src/kernel/mesos-state.js';
import { decodeMarathonApps } from '../../src/kernel/marathon.js';
import { deriveVips } from '../../src/kernel/vip.js';

const quiet = { log: process.env['SCHED_TEST_LOG'] ? (m: string) => process.stderr.write(m + '\n') : () => {} };
const ok = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => { if (!r.ok) throw new Error(JSON.stringify(r.error)); return r.value; };
const SERVER = `${JSON.stringify(process.execPath)} -e "require('http').createServer((q,s)=>s.end(process.env.MESOS_TASK_ID)).listen(Number(process.env.PORT0),'127.0.0.1')"`;

async function cluster(t: { teardown: (f: () => unknown) => void }) {
  const dir = await mkdtemp(join(tmpdir(), 'mesonet-marathon-'));
  const master = await startMaster(ok(parseMasterConfig({ ip: '127.0.0.1', port: 0, allocationIntervalSeconds: 0.1 })), quiet);
  const agents: Awaited<ReturnType<typeof startAgent>>[] = [];
  for (const [i, range] of ['[31100-31149]', '[31150-31199]'].entries()) {
    agents.push(await startAgent(ok(parseAgentConfig({ master: master.url, ip: '127.0.0.1', hostname: `agent${i}`, port: 0, workDir: join(dir, `a${i}`),
      resources: `cpus:4;mem:4096;ports:${range}`, attributes: `rack:r${i}`, heartbeatSeconds: 0.2, killGraceSeconds: 1 })), quiet));
  }
  const marathon = await startMarathon(ok(parseMarathonConfig({ master: master.url, ip: '127.0.0.1', port: 0, sseHeartbeatSeconds: 0.2 })), quiet);
  t.teardown(async () => {
    await marathon.close();
    for (const a of agents) await a.close();
    await master.close();
    await rm(dir, { recursive: true, force: true });
  });
  await waitFor('agents + framework', async () => { const s = await getJson(`${master.url}/master/state`); return s.slaves.length === 2 && s.frameworks.length === 1; });
  return { master, agents, marathon };
}

const running = async (url: string, id: string, n: number) => {
  const { app } = await getJson(`${url}/v2/apps${id}`);
  const live = app.tasks.filter((x: any) => x.state === 'TASK_RUNNING' && (!app.healthChecks.length || x.healthCheckResults?.[0]?.alive));
  return live.length === n && app.tasks.length === n ? app : undefined;
};

t.test('an app runs, is visible to marathon-lb and mesos consumers, and is kept at its instance count', async (t) => {
  const { master, marathon, agents } = await cluster(t);
  const sse = await SseClient.open(`${marathon.url}/v2/events`);
  t.teardown(() => sse.close());
  t.match(sse.contentType, /^text\/event-stream/);
  t.equal((await send('GET', `${marathon.url}/ping`)).body, 'pong');

  const def = {
    id: '/prod/web', cmd: SERVER, instances: 2, cpus: 0.1, mem: 32,
    portDefinitions: [{ port: 0, name: 'http', protocol: 'tcp', labels: { VIP_0: '/web:80' } }],
    labels: { HAPROXY_GROUP: 'external' },
    healthChecks: [{ protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 30, intervalSeconds: 0.2, timeoutSeconds: 2, maxConsecutiveFailures: 3, delaySeconds: 0 }],
  };
  const created = await send('POST', `${marathon.url}/v2/apps`, def);
  t.equal(created.status, 201, JSON.stringify(created.body));
  t.equal(created.headers.get('location'), '/v2/apps/prod/web');
  t.ok(created.headers.get('marathon-deployment-id'));
  t.equal(created.body.portDefinitions[0].port, 10000, 'service port assigned from 10000');
  t.same(created.body.labels, { HAPROXY_GROUP: 'external' });
  t.equal(created.body.deployments.length, 1);
  t.equal((await send('POST', `${marathon.url}/v2/apps`, def)).status, 409, 'duplicate id');

  const app = await waitFor('2 healthy tasks', () => running(marathon.url, '/prod/web', 2), 30000);
  for (const task of app.tasks) {
    t.equal(task.appId, '/prod/web');
    t.match(task.id, /^prod_web\.instance-[0-9a-f-]+\._app\.1$/);
    t.same(task.servicePorts, [10000]);
    const body = await (await fetch(`http://127.0.0.1:${task.ports[0]}/`)).text();
    t.equal(body, task.id, 'the task answers on its host port with its MESOS_TASK_ID');
  }
  t.not(app.tasks[0].id, app.tasks[1].id);
  const decodedApps = decodeMarathonApps(await getJson(`${marathon.url}/v2/apps?embed=apps.tasks`));
  t.same(decodedApps.problems, [], 'the kernel Marathon codec (marathon-lb shapes) accepts our apps');
  t.equal(decodedApps.apps[0]?.tasks.length, 2);
  await waitFor('deployment finished', async () => (await getJson(`${marathon.url}/v2/deployments`)).length === 0);

  const state = await getJson(`${master.url}/master/state`);
  const decoded = decodeMasterState(state);
  t.same(decoded.problems, []);
  const mt = state.frameworks[0].tasks[0];
  t.equal(mt.name, 'web.prod');
  t.same(mt.labels, [{ key: 'HAPROXY_GROUP', value: 'external' }]);
  t.equal(mt.discovery.name, 'web.prod');
  t.same(mt.discovery.ports.ports[0].labels, { labels: [{ key: 'VIP_0', value: '/web:80' }] });
  t.equal(mt.discovery.ports.ports[0].name, 'http');
  t.equal(mt.statuses[mt.statuses.length - 1].healthy, true);
  const vips = deriveVips(decoded.snapshot);
  t.equal(vips.vips.length, 1);
  t.equal(vips.vips[0]?.name, 'web.marathon.l4lb.thisdcos.directory');
  t.equal(vips.vips[0]?.backends.length, 2, 'both tasks back the VIP');

  // A task whose process dies is replaced.
  const victim = app.tasks[0];
  const pid = agents.map((a) => a.tasks.tasks.get(victim.id)?.proc?.pid).find((p) => p !== undefined);
  t.ok(pid, 'the agent runs the task as a process');
  process.kill(-pid!, 'SIGKILL');
  await waitFor('replaced after the process died', async () => { const a = await running(marathon.url, '/prod/web', 2); return a && !a.tasks.some((x: any) => x.id === victim.id) ? a : undefined; }, 30000);
  // A task killed through the API (scale=false) is replaced too.
  const victim2 = (await getJson(`${marathon.url}/v2/apps/prod/web`)).app.tasks[0];
  const killed = await send('DELETE', `${marathon.url}/v2/apps/prod/web/tasks/${victim2.id}`);
  t.equal(killed.status, 200);
  t.equal(killed.body.task.id, victim2.id);
  await waitFor('replaced after kill', async () => { const a = await running(marathon.url, '/prod/web', 2); return a && !a.tasks.some((x: any) => x.id === victim2.id) ? a : undefined; }, 30000);
  t.equal((await getJson(`${marathon.url}/v2/apps/prod/web`)).app.instances, 2, 'instances unchanged');

  t.ok(sse.types().includes('api_post_event'));
  t.ok(sse.types().includes('deployment_info'));
  t.ok(sse.types().includes('deployment_success'));
  t.ok(sse.types().includes('health_status_changed_event'));
  const su = sse.events.filter((e) => e.type === 'status_update_event');
  t.ok(su.some((e) => e.data.taskStatus === 'TASK_RUNNING'));
  t.ok(su.some((e) => e.data.taskStatus === 'TASK_FAILED' && e.data.taskId === victim.id));
  t.ok(su.some((e) => e.data.taskStatus === 'TASK_KILLED' && e.data.taskId === victim2.id));
  t.match(su[0]!.data, { appId: '/prod/web', eventType: 'status_update_event', timestamp: String });
  t.match(sse.raw, /event: status_update_event\r\ndata: \{.*\}\r\n\r\n/, 'CRLF framing');

  // Scale down by killing with scale=true.
  const last = (await getJson(`${marathon.url}/v2/apps/prod/web`)).app.tasks[0];
  const scaled = await send('DELETE', `${marathon.url}/v2/apps/prod/web/tasks/${last.id}?scale=true`);
  t.equal(scaled.status, 200);
  t.ok(scaled.body.deploymentId);
  await waitFor('1 task', () => running(marathon.url, '/prod/web', 1), 20000);
  t.equal((await getJson(`${marathon.url}/v2/apps/prod/web`)).app.instances, 1);

  // Delete: tasks go, app_terminated_event.
  const del = await send('DELETE', `${marathon.url}/v2/apps/prod/web`);
  t.equal(del.status, 200);
  await waitFor('terminated', () => sse.types().includes('app_terminated_event'), 20000);
  t.equal((await send('GET', `${marathon.url}/v2/apps/prod/web`)).status, 404);
  await waitFor('no tasks in master', async () => (await getJson(`${master.url}/master/state`)).frameworks[0].tasks.length === 0, 20000);
});

t.test('a task that exits is replaced; bad input gets Marathon error bodies; UNIQUE limits placement', async (t) => {
  const { marathon, master } = await cluster(t);
  const crash = await send('POST', `${marathon.url}/v2/apps`, { id: 'crashy', cmd: 'sleep 0.3; exit 1', instances: 1, cpus: 0.1, mem: 16, backoffSeconds: 0.1, backoffFactor: 1 });
  t.equal(crash.status, 201);
  await waitFor('a failure recorded and a replacement launched', async () => {
    const { app } = await getJson(`${marathon.url}/v2/apps/crashy`);
    return app.lastTaskFailure?.state === 'TASK_FAILED' && app.tasks.length === 1 && app.tasks[0].id !== app.lastTaskFailure.taskId;
  }, 20000);
  const { app: crashy } = await getJson(`${marathon.url}/v2/apps/crashy`);
  t.match(crashy.lastTaskFailure.message, /exited with status 1/);

  t.equal((await send('POST', `${marathon.url}/v2/apps`, '{"id": "x",')).status, 400, 'invalid JSON');
  const bad = await send('POST', `${marathon.url}/v2/apps`, { id: 'Bad_Id', cmd: 'x', instances: -1, constraints: [['hostname', 'SOMETIMES']] });
  t.equal(bad.status, 422);
  t.equal(bad.body.message, 'Object is not valid');
  const paths = bad.body.details.map((d: any) => d.path);
  t.ok(paths.includes('/id') && paths.includes('/instances') && paths.includes('/constraints(0)'), JSON.stringify(paths));
  t.equal((await send('GET', `${marathon.url}/v2/apps/nope`)).body.message, "App '/nope' does not exist");

  const uniq = await send('POST', `${marathon.url}/v2/apps`, { id: 'uniq', cmd: 'sleep 300', instances: 3, cpus: 0.1, mem: 16, constraints: [['hostname', 'UNIQUE']] });
  t.equal(uniq.status, 201);
  await waitFor('2 running', () => running(marathon.url, '/uniq', 2), 20000);
  const { app: u } = await getJson(`${marathon.url}/v2/apps/uniq`);
  t.equal(u.tasks.length, 2, 'the third instance has nowhere to go');
  t.same(u.tasks.map((x: any) => x.host).sort(), ['agent0', 'agent1']);
  // Scale through PUT (partial update) and bulk PUT /v2/apps; a bad item rejects the whole batch.
  const put = await send('PUT', `${marathon.url}/v2/apps/uniq`, { instances: 1 });
  t.equal(put.status, 200);
  t.ok(put.body.deploymentId && put.body.version);
  await waitFor('scaled to 1', () => running(marathon.url, '/uniq', 1), 20000);
  const bulkBad = await send('PUT', `${marathon.url}/v2/apps`, [{ id: 'uniq', instances: 2 }, { id: 'NOPE', cmd: 'x' }]);
  t.equal(bulkBad.status, 422);
  t.equal((await getJson(`${marathon.url}/v2/apps/uniq`)).app.instances, 1, 'nothing applied');
  const bulk = await send('PUT', `${marathon.url}/v2/apps`, [{ id: 'uniq', instances: 2 }, { id: 'bulk', cmd: 'sleep 300', cpus: 0.1, mem: 16 }]);
  t.equal(bulk.status, 200, JSON.stringify(bulk.body));
  await waitFor('bulk applied', async () => (await running(marathon.url, '/uniq', 2)) && (await running(marathon.url, '/bulk', 1)), 20000);
  const info = await getJson(`${marathon.url}/v2/info`);
  t.equal(info.name, 'marathon');
  t.equal(info.frameworkId, (await getJson(`${master.url}/master/state`)).frameworks[0].id);
  t.equal(info.marathon_config.local_port_min, 10000);
  const all = await getJson(`${marathon.url}/v2/tasks`);
  t.equal(all.tasks.filter((x: any) => x.appId === '/uniq').length, 2);
});

t.test('a restarted Marathon keeps its apps, framework id and running tasks (no duplicate launches)', async (t) => {
  const { master } = await cluster(t);
  const dir = await mkdtemp(join(tmpdir(), 'mesonet-mstore-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const cfg = ok(parseMarathonConfig({ master: master.url, ip: '127.0.0.1', port: 0, workDir: dir, frameworkName: 'marathon2' }));
  let m = await startMarathon(cfg, quiet);
  t.equal((await send('POST', `${m.url}/v2/apps`, { id: 'keep', cmd: 'sleep 300', instances: 2, cpus: 0.1, mem: 16 })).status, 201);
  const before = await waitFor('2 running', () => running(m.url, '/keep', 2), 20000);
  const fwId = m.engine.client.frameworkId;
  await m.close();
  m = await startMarathon(cfg, quiet);
  t.teardown(() => m.close());
  await waitFor('re-subscribed', () => m.engine.client.isConnected);
  t.equal(m.engine.client.frameworkId, fwId, 'same framework id');
  const after = await waitFor('still 2 running', () => running(m.url, '/keep', 2), 20000);
  t.same(after.tasks.map((x: any) => x.id).sort(), before.tasks.map((x: any) => x.id).sort(), 'the same tasks, none relaunched');
  const s = await getJson(`${master.url}/master/state`);
  t.equal(s.frameworks.find((f: any) => f.id === fwId).tasks.length, 2);
});
