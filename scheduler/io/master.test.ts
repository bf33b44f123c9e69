// The master on loopback with a fake agent link: registration, offers, launch, status flow, the
// operator change stream against /master/state, unreachable agents, and recovery after a restart.
import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMasterState } from '../../src/kernel/mesos-state.js';
import { parseMasterConfig, type MasterConfig } from '../config.js';
import { startMaster, type MasterHandle } from './master.js';
import { SchedulerClient } from './scheduler-client.js';
import { OperatorSubscriber, getJson, send, waitFor } from '../testing/helpers.js';
import type { AgentLink } from './master-core.js';
import type { V1TaskInfo } from '../mesos-types.js';

function config(over: Record<string, unknown> = {}): MasterConfig {
  const r = parseMasterConfig({ ip: '127.0.0.1', port: 0, allocationIntervalSeconds: 0.05, agentTimeoutSeconds: 60, streamHeartbeatSeconds: 0.2, ...over });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

function fakeLink() {
  const launched: Array<{ frameworkId: string; task: V1TaskInfo }> = [];
  const killed: string[] = [];
  const link: AgentLink = {
    async launch(_a, frameworkId, task) { launched.push({ frameworkId, task }); },
    async kill(_a, _f, taskId) { killed.push(taskId); },
  };
  return { link, launched, killed };
}

const register = (m: MasterHandle, extra: Record<string, unknown> = {}) => send('POST', `${m.url}/mesonet/v1/agent/register`, {
  hostname: 'agent1', ip: '127.0.0.1', port: 5999, resources: 'cpus:2;mem:1024;disk:100;ports:[31000-31009]', attributes: 'rack:r1', ...extra,
});

/** A framework that launches one task per offer from the first offer it gets. */
function framework(m: MasterHandle, taskIds: string[]) {
  const updates: any[] = [];
  const client = new SchedulerClient({
    master: m.url, info: { name: 'marathon', user: 'root', role: '*', failover_timeout: 3600, hostname: 'h' },
    onEvent: (e) => {
      if (e['type'] === 'UPDATE') updates.push(e['update']['status']);
      if (e['type'] !== 'OFFERS') return;
      for (const o of e['offers']['offers']) {
        const id = taskIds.shift();
        const launch = id ? [{ type: 'LAUNCH', launch: { task_infos: [{
          name: 'web', task_id: { value: id }, agent_id: o.agent_id, command: { shell: true, value: 'sleep 100' },
          resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 64 } },
            { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31000 }] } }],
          labels: { labels: [{ key: 'VIP_0', value: '/web:80' }] },
          discovery: { visibility: 'FRAMEWORK', name: 'web', ports: { ports: [{ number: 31000, name: 'http', protocol: 'tcp', labels: { labels: [{ key: 'VIP_0', value: '/web:80' }] } }] } },
        }] } }] : [];
        // The master may close mid-call when a test ends: a rejected reply is not an error here.
        void client.call({ type: 'ACCEPT', accept: { offer_ids: [o.id], operations: launch, filters: { refuse_seconds: 0.1 } } }).catch(() => undefined);
      }
    },
  });
  client.start();
  return { client, updates };
}

t.test('agent registration, offers, launch, status updates, state and stream agree', async (t) => {
  const f = fakeLink();
  const m = await startMaster(config(), { agentLink: f.link, log: () => {} });
  t.teardown(() => m.close());
  const sub = await OperatorSubscriber.open(m.url);
  t.teardown(() => sub.close());
  t.match(sub.contentType, /application\/json/);

  const bad = await register(m, { resources: 'cpus:-1;bogus:3;ports:[5-1]' });
  t.equal(bad.status, 400);
  t.match(bad.body.message, /negative/);
  t.match(bad.body.message, /unknown resource 'bogus'/);

  const reg = await register(m);
  t.equal(reg.status, 200);
  const agentId: string = reg.body.agent_id;
  t.match(agentId, /-S0$/);

  const fw = framework(m, ['web.1']);
  t.teardown(() => fw.client.stop());
  await waitFor('launch', () => f.launched.length === 1);
  t.equal(f.launched[0]!.task.task_id.value, 'web.1');
  const changeAt = Date.now();
  const st = await send('POST', `${m.url}/mesonet/v1/agent/status`, { agent_id: agentId, status: {
    task_id: { value: 'web.1' }, state: 'TASK_RUNNING', timestamp: Date.now() / 1000, uuid: 'u1',
    container_status: { container_id: { value: 'c1' }, network_infos: [{ name: 'dcos', ip_addresses: [{ protocol: 'IPv4', ip_address: '198.19.0.7' }] }] },
  } });
  t.equal(st.status, 200);
  await waitFor('framework update', () => fw.updates.some((u) => u.state === 'TASK_RUNNING'));
  const updated = await waitFor('TASK_UPDATED on the stream', () => sub.events.find((e) => e.event.type === 'TASK_UPDATED'));
  // Pushed, not polled: the event follows the change well inside one polling period (1 s). The 100 ms
  // goal is measured by test/bench/scheduler-bench.ts (median ~11 ms); a timed assertion at 100 ms
  // here would fail on a loaded CI machine for reasons that have nothing to do with the stream.
  t.comment(`TASK_UPDATED ${updated.at - changeAt} ms after the status POST (goal 100 ms)`);
  t.ok(updated.at - changeAt < 1000, `TASK_UPDATED pushed within one polling period (${updated.at - changeAt} ms)`);

  const state = await getJson(`${m.url}/master/state`);
  const decoded = decodeMasterState(state);
  t.same(decoded.problems, []);
  t.equal(state.leader, `master@127.0.0.1:${m.port}`);
  t.equal(state.slaves[0].used_resources.ports, '[31000-31000]');
  const task = decoded.snapshot.frameworks[0]!.tasks[0]!;
  t.equal(task.state, 'TASK_RUNNING');
  t.equal(task.statuses[0]!.networkInfos[0]!.ipAddresses[0]!.ipAddress, '198.19.0.7');
  for (const p of ['/state', '/master/state.json', '/state.json']) t.equal((await getJson(`${m.url}${p}`)).id, state.id, p);

  t.same(sub.types().slice(0, 1), ['SUBSCRIBED']);
  for (const ty of ['AGENT_ADDED', 'FRAMEWORK_ADDED', 'TASK_ADDED', 'TASK_UPDATED']) t.ok(sub.types().includes(ty), ty);
  await waitFor('heartbeat', () => sub.types().includes('HEARTBEAT'));
  t.same(sub.problems, []);
  // The subscriber's snapshot equals the decoded state (leader fields are not part of the stream).
  const strip = (s: any) => JSON.parse(JSON.stringify({ ...s, leader: undefined, leaderInfo: undefined }));
  t.same(strip(sub.snapshot), strip(decoded.snapshot));

  // A retry of the same status (same uuid) changes nothing; an unknown task is acknowledged and dropped.
  const before = (await getJson(`${m.url}/master/state`)).frameworks[0].tasks[0].statuses.length;
  await send('POST', `${m.url}/mesonet/v1/agent/status`, { agent_id: agentId, status: { task_id: { value: 'web.1' }, state: 'TASK_RUNNING', timestamp: 1, uuid: 'u1' } });
  t.equal((await getJson(`${m.url}/master/state`)).frameworks[0].tasks[0].statuses.length, before);
  t.equal((await send('POST', `${m.url}/mesonet/v1/agent/status`, { agent_id: agentId, status: { task_id: { value: 'nope' }, state: 'TASK_RUNNING' } })).status, 200);

  // Kill goes to the agent; the terminal status frees the resources.
  await fw.client.call({ type: 'KILL', kill: { task_id: { value: 'web.1' }, agent_id: { value: agentId } } });
  await waitFor('kill sent', () => f.killed.includes('web.1'));
  await send('POST', `${m.url}/mesonet/v1/agent/status`, { agent_id: agentId, status: { task_id: { value: 'web.1' }, state: 'TASK_KILLED', timestamp: Date.now() / 1000, uuid: 'u2' } });
  const after = await getJson(`${m.url}/master/state`);
  t.equal(after.frameworks[0].tasks.length, 0);
  t.equal(after.frameworks[0].completed_tasks[0].state, 'TASK_KILLED');
  t.equal(after.slaves[0].used_resources.cpus, 0);
  await waitFor('TASK_UPDATED KILLED on stream', () => sub.events.some((e) => e.event.task_updated?.state === 'TASK_KILLED'));
});

/** Heartbeat for an agent until stopped (the agent is alive while the test sets things up). */
function heartbeats(m: MasterHandle, agentId: string): () => void {
  const timer = setInterval(() => void send('POST', `${m.url}/mesonet/v1/agent/heartbeat`, { agent_id: agentId }).catch(() => undefined), 50);
  return () => clearInterval(timer);
}

t.test('silent agents become unreachable, tasks TASK_UNREACHABLE, then LOST; re-registration restores', async (t) => {
  const f = fakeLink();
  const m = await startMaster(config({ agentTimeoutSeconds: 0.5, agentRemovalSeconds: 60 }), { agentLink: f.link, log: () => {} });
  t.teardown(() => m.close());
  const reg = await register(m);
  const agentId: string = reg.body.agent_id;
  const stopBeating = heartbeats(m, agentId);
  const fw = framework(m, ['t.1']);
  t.teardown(() => fw.client.stop());
  await waitFor('launch', () => f.launched.length === 1);
  await send('POST', `${m.url}/mesonet/v1/agent/status`, { agent_id: agentId, status: { task_id: { value: 't.1' }, state: 'TASK_RUNNING', timestamp: Date.now() / 1000 } });
  stopBeating();
  await waitFor('unreachable', async () => (await getJson(`${m.url}/master/state`)).unreachable_slaves === 1, 5000);
  const s = await getJson(`${m.url}/master/state`);
  t.equal(s.slaves.length, 0);
  t.equal(s.frameworks[0].unreachable_tasks[0].state, 'TASK_UNREACHABLE');
  t.ok(fw.updates.some((u) => u.state === 'TASK_UNREACHABLE'), 'framework told');
  t.equal((await send('POST', `${m.url}/mesonet/v1/agent/heartbeat`, { agent_id: agentId })).status, 404, 'must re-register');
  const again = await register(m, { agent_id: agentId, tasks: [{ framework_id: s.frameworks[0].id, task_id: 't.1', status: { task_id: { value: 't.1' }, state: 'TASK_RUNNING', timestamp: Date.now() / 1000 } }] });
  t.equal(again.body.agent_id, agentId);
  const s2 = await getJson(`${m.url}/master/state`);
  t.equal(s2.slaves.length, 1);
  t.equal(s2.frameworks[0].tasks[0].state, 'TASK_RUNNING');
});

t.test('removal after the unreachable period makes tasks TASK_LOST', async (t) => {
  const f = fakeLink();
  const m = await startMaster(config({ agentTimeoutSeconds: 0.5, agentRemovalSeconds: 0.3 }), { agentLink: f.link, log: () => {} });
  t.teardown(() => m.close());
  const reg = await register(m);
  const stopBeating = heartbeats(m, reg.body.agent_id);
  const fw = framework(m, ['t.2']);
  t.teardown(() => fw.client.stop());
  await waitFor('launch', () => f.launched.length === 1);
  await send('POST', `${m.url}/mesonet/v1/agent/status`, { agent_id: reg.body.agent_id, status: { task_id: { value: 't.2' }, state: 'TASK_RUNNING', timestamp: Date.now() / 1000 } });
  stopBeating();
  await waitFor('lost', async () => (await getJson(`${m.url}/master/state`)).frameworks[0].completed_tasks[0]?.state === 'TASK_LOST', 5000);
  t.ok(fw.updates.some((u) => u.state === 'TASK_LOST'));
  t.equal((await getJson(`${m.url}/master/state`)).unreachable_slaves, 0);
});

t.test('a restarted master recovers agents, frameworks, tasks and reservations from its work dir', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mesonet-master-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const f = fakeLink();
  let m = await startMaster(config({ workDir: dir }), { agentLink: f.link, log: () => {} });
  const reg = await register(m);
  const agentId: string = reg.body.agent_id;
  const fw = framework(m, ['keep.1']);
  await waitFor('launch', () => f.launched.length === 1);
  await send('POST', `${m.url}/mesonet/v1/agent/status`, { agent_id: agentId, status: { task_id: { value: 'keep.1' }, state: 'TASK_RUNNING', timestamp: Date.now() / 1000 } });
  const rsv = await send('POST', `${m.url}/master/reserve`, `slaveId=${agentId}&resources=${encodeURIComponent(JSON.stringify([{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ type: 'DYNAMIC', role: 'ops', principal: 'me' }] }]))}`, { 'Content-Type': 'application/x-www-form-urlencoded' });
  t.equal(rsv.status, 202, JSON.stringify(rsv.body));
  const tooMuch = await send('POST', `${m.url}/master/reserve`, `slaveId=${agentId}&resources=${encodeURIComponent(JSON.stringify([{ name: 'cpus', type: 'SCALAR', scalar: { value: 50 }, reservations: [{ type: 'DYNAMIC', role: 'ops' }] }]))}`, { 'Content-Type': 'application/x-www-form-urlencoded' });
  t.equal(tooMuch.status, 409);
  t.equal((await send('PUT', `${m.url}/weights`, [{ role: 'ops', weight: 2.5 }])).status, 200);
  t.equal((await send('PUT', `${m.url}/weights`, [{ role: 'ops', weight: -1 }])).status, 400);
  const q = await send('POST', `${m.url}/quota`, { role: 'ops', guarantee: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }] });
  t.equal(q.status, 200, JSON.stringify(q.body));
  t.equal((await send('POST', `${m.url}/quota`, { role: 'ops', guarantee: [] })).status, 400, 'quota already set');
  t.equal((await send('POST', `${m.url}/quota`, { role: 'x', guarantee: [{ name: 'cpus', type: 'SCALAR', scalar: { value: -1 } }] })).status, 400);
  const before = await getJson(`${m.url}/master/state`);
  t.same(before.slaves[0].reserved_resources.ops.cpus, 1);
  fw.client.stop();
  await m.close();

  m = await startMaster(config({ workDir: dir }), { agentLink: f.link, log: () => {} });
  t.teardown(() => m.close());
  const after = await getJson(`${m.url}/master/state`);
  t.equal(after.id, before.id, 'same master id');
  t.same(decodeMasterState(after).problems, []);
  t.equal(after.slaves[0].id, agentId);
  t.same(after.slaves[0].reserved_resources, before.slaves[0].reserved_resources, 'reservations survive');
  t.equal(after.frameworks[0].tasks[0].id, 'keep.1');
  t.equal(after.frameworks[0].tasks[0].state, 'TASK_RUNNING');
  t.equal(after.frameworks[0].connected, false, 'framework waits for re-subscription');
  t.same(await getJson(`${m.url}/weights`), [{ role: 'ops', weight: 2.5 }]);
  t.same(await getJson(`${m.url}/quota`), { infos: [{ role: 'ops', guarantee: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }] }] }, 'quota survives');
  const unres = await send('POST', `${m.url}/master/unreserve`, `slaveId=${agentId}&resources=${encodeURIComponent(JSON.stringify([{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, reservations: [{ type: 'DYNAMIC', role: 'ops', principal: 'me' }] }]))}`, { 'Content-Type': 'application/x-www-form-urlencoded' });
  t.equal(unres.status, 202, JSON.stringify(unres.body));
  t.same((await getJson(`${m.url}/master/state`)).slaves[0].reserved_resources, {}, 'unreserved');
  t.equal((await send('DELETE', `${m.url}/quota/ops`)).status, 200);
  t.same(await getJson(`${m.url}/quota`), { infos: [] });
  // The agent re-registers with its running task: nothing is lost.
  const again = await register(m, { agent_id: agentId, tasks: [{ framework_id: after.frameworks[0].id, task_id: 'keep.1', status: { task_id: { value: 'keep.1' }, state: 'TASK_RUNNING', timestamp: Date.now() / 1000 } }] });
  t.equal(again.body.agent_id, agentId);
  t.same(again.body.kill, []);
  const s = await getJson(`${m.url}/master/state`);
  t.equal(s.frameworks[0].tasks[0].state, 'TASK_RUNNING');
  // The framework re-subscribes with its id and gets its task back on reconciliation.
  const fw2 = new SchedulerClient({ master: m.url, info: { name: 'marathon', id: { value: after.frameworks[0].id }, failover_timeout: 3600 }, onEvent: () => {} });
  fw2.start();
  t.teardown(() => fw2.stop());
  await waitFor('re-subscribed', async () => (await getJson(`${m.url}/master/state`)).frameworks[0].connected === true);
});

t.test('the shared change-stream client (src/io) follows our master, leader included', async (t) => {
  const { startChangeStream } = await import('../../src/io/change-stream.js');
  const f = fakeLink();
  const m = await startMaster(config(), { agentLink: f.link, log: () => {} });
  t.teardown(() => m.close());
  const snaps: any[] = [];
  const cs = startChangeStream({ masters: [m.url], onSnapshot: (s, info) => snaps.push({ s, info }) });
  t.teardown(() => cs.stop());
  const reg = await register(m);
  const fw = framework(m, ['cs.1']);
  t.teardown(() => fw.client.stop());
  await waitFor('launch', () => f.launched.length === 1);
  await send('POST', `${m.url}/mesonet/v1/agent/status`, { agent_id: reg.body.agent_id, status: { task_id: { value: 'cs.1' }, state: 'TASK_RUNNING', timestamp: Date.now() / 1000 } });
  const last = await waitFor('stream snapshot with the running task', () => {
    const s = cs.snapshot;
    return s?.frameworks[0]?.tasks[0]?.state === 'TASK_RUNNING' && s.leader ? s : undefined;
  });
  t.equal(cs.status().mode, 'stream', 'used the stream, not polling');
  const decoded = decodeMasterState(await getJson(`${m.url}/master/state`));
  t.equal(last.leader, decoded.snapshot.leader);
  t.same(JSON.parse(JSON.stringify(last.agents)), JSON.parse(JSON.stringify(decoded.snapshot.agents)));
  t.same(JSON.parse(JSON.stringify(last.frameworks)), JSON.parse(JSON.stringify(decoded.snapshot.frameworks)));
});
