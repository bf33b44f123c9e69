import t from 'tap';
import { startChangeStream, normalizeMasterUrl, type ChangeStreamOptions, type SnapshotInfo } from './change-stream.js';
import { startFakeMaster, type FakeMaster } from './testing/fake-mesos-master.js';
import { waitFor } from '../../test/helpers/netns.js';
import type { Snapshot } from '../kernel/snapshot.js';
import type { Problem } from '../kernel/errors.js';

const FW = 'fw-1';
const AG = 'agent-1';
const task = (id: string, state = 'TASK_RUNNING') => ({
  name: 'web', task_id: { value: id }, framework_id: { value: FW }, agent_id: { value: AG }, state,
  resources: [{ name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31000 }] } }],
  statuses: [{ task_id: { value: id }, state, timestamp: 1 }],
});
const subscribedEvent = (tasks: object[] = [task('t1')]) => () => ({
  type: 'SUBSCRIBED',
  subscribed: {
    get_state: {
      get_agents: { agents: [{ agent_info: { id: { value: AG }, hostname: 'a1', port: 5051 }, active: true, pid: 'slave(1)@198.18.0.11:5051' }] },
      get_frameworks: { frameworks: [{ framework_info: { id: { value: FW }, name: 'marathon' }, active: true }] },
      get_tasks: { tasks },
    },
    heartbeat_interval_seconds: 15,
  },
});
const v0State = (taskIds: string[]) => ({
  leader: 'master@198.18.0.10:5050',
  slaves: [{ id: AG, hostname: 'a1', pid: 'slave(1)@198.18.0.11:5051' }],
  frameworks: [{ id: FW, name: 'marathon', tasks: taskIds.map((id) => ({ id, name: 'web', slave_id: AG, state: 'TASK_RUNNING' })) }],
});

const taskIds = (s: Snapshot | undefined): string[] => (s?.frameworks ?? []).flatMap((f) => f.tasks.map((x) => x.id));

interface Harness {
  seen: { snapshot: Snapshot; info: SnapshotInfo }[];
  problems: Problem[];
  stream: ReturnType<typeof startChangeStream>;
}

async function master(t: Tap, opts: Parameters<typeof startFakeMaster>[0] = {}): Promise<FakeMaster> {
  const m = await startFakeMaster({ subscribed: subscribedEvent(), ...opts });
  t.teardown(() => m.close());
  return m;
}
type Tap = { teardown(fn: () => unknown): void };

function client(t: Tap, masters: string[], extra: Partial<ChangeStreamOptions> = {}): Harness {
  const h: Harness = { seen: [], problems: [], stream: undefined as never };
  h.stream = startChangeStream({
    masters, backoffInitialMs: 20, backoffMaxMs: 100, pollIntervalMs: 50, requestTimeoutMs: 2000,
    onSnapshot: (snapshot, info) => h.seen.push({ snapshot, info }),
    onProblems: (p) => h.problems.push(...p),
    ...extra,
  });
  t.teardown(() => h.stream.stop());
  return h;
}

t.test('normalizeMasterUrl', async (t) => {
  t.equal(normalizeMasterUrl('198.18.0.10:5050'), 'http://198.18.0.10:5050');
  t.equal(normalizeMasterUrl(' https://m:5050/ '), 'https://m:5050');
});

t.test('stream: SUBSCRIBED, then events, leader from GET_MASTER', async (t) => {
  const m = await master(t);
  const h = client(t, [m.url]);
  await waitFor('first snapshot', () => h.seen.length >= 1, 5000);
  const first = h.seen[0]!;
  t.same(taskIds(first.snapshot), ['t1']);
  t.same(first.info, { source: 'stream', master: m.url, event: 'SUBSCRIBED' });
  t.equal(first.snapshot.leader, `master@127.0.0.1:${new URL(m.url).port}`);
  t.equal(first.snapshot.agents[0]?.pid, 'slave(1)@198.18.0.11:5051');
  t.equal(m.counts.getMaster, 1);

  m.send({ type: 'TASK_ADDED', task_added: { task: task('t2', 'TASK_STAGING') } });
  await waitFor('task added', () => h.seen.length >= 2, 5000);
  t.same(taskIds(h.stream.snapshot), ['t1', 't2']);

  m.send({ type: 'HEARTBEAT' });
  m.sendRaw('9\n{not json');
  m.send({ type: 'TASK_UPDATED', task_updated: { framework_id: { value: FW }, status: { task_id: { value: 't1' }, state: 'TASK_KILLED', timestamp: 2 }, state: 'TASK_KILLED' } });
  await waitFor('task removed', () => h.seen.length >= 3, 5000);
  t.equal(h.seen.length, 3, 'heartbeat and the bad record caused no snapshot');
  t.same(taskIds(h.stream.snapshot), ['t2']);
  t.match(h.problems, [{ path: 'event', message: /not JSON/ }]);
  t.match(h.stream.status(), { mode: 'stream', master: m.url, events: 4, snapshots: 3 });
});

t.test('reconnects after the stream ends, keeping the last snapshot', async (t) => {
  const m = await master(t);
  const h = client(t, [m.url]);
  await waitFor('subscribed', () => h.seen.length >= 1, 5000);
  m.subscribed = subscribedEvent([task('t1'), task('t9')]);
  m.endStreams();
  await waitFor('resubscribed', () => m.counts.subscribe >= 2 && h.seen.length >= 2, 5000);
  t.same(taskIds(h.stream.snapshot), ['t1', 't9']);
  t.match(h.stream.status().lastError, /stream closed by the master/);
});

t.test('follows a redirect to the leader', async (t) => {
  const leader = await master(t);
  const follower = await master(t, { mode: { redirect: leader.url } });
  const h = client(t, [follower.url]);
  await waitFor('snapshot via leader', () => h.seen.length >= 1, 5000);
  t.equal(h.seen[0]!.info.master, leader.url);
  t.equal(follower.counts.subscribe, 0);
  t.equal(leader.counts.subscribe, 1);
});

t.test('moves on to the next master when one is not the leader', async (t) => {
  const standby = await master(t, { mode: 'not-leader' });
  const leader = await master(t);
  const h = client(t, [standby.url, leader.url]);
  await waitFor('snapshot from the second master', () => h.seen.length >= 1, 5000);
  t.equal(h.seen[0]!.info.master, leader.url);
  t.match(h.stream.status(), { failures: 1, lastError: /HTTP 503/ });
});

t.test('falls back to polling /master/state when SUBSCRIBE is unavailable', async (t) => {
  const m = await master(t, { mode: 'unavailable', state: v0State(['p1']) });
  const h = client(t, [m.url]);
  await waitFor('polled snapshot', () => h.seen.length >= 1, 5000);
  t.same(h.seen[0]!.info, { source: 'poll', master: m.url });
  t.same(taskIds(h.seen[0]!.snapshot), ['p1']);
  t.equal(h.seen[0]!.snapshot.leader, 'master@198.18.0.10:5050');
  const polls = m.counts.state;
  await waitFor('two more polls', () => m.counts.state >= polls + 2, 5000);
  t.equal(h.seen.length, 1, 'an unchanged state emits nothing');

  m.state = v0State(['p1', 'p2']);
  await waitFor('changed state', () => h.seen.length >= 2, 5000);
  t.same(taskIds(h.stream.snapshot), ['p1', 'p2']);

  m.state = 500;
  const before = m.counts.state;
  await waitFor('failing polls', () => m.counts.state >= before + 2, 5000);
  t.same(taskIds(h.stream.snapshot), ['p1', 'p2'], 'last good snapshot kept');
  t.equal(h.seen.length, 2);
  t.match(h.stream.status().lastError, /HTTP 500/);

  m.state = { slaves: 'oops', frameworks: [] };
  await waitFor('problem reported', () => h.problems.length >= 1, 5000);
  t.match(h.problems[0], { path: 'slaves' });
});

t.test('mode poll never subscribes; resubscribe upgrade in auto mode', async (t) => {
  const m = await master(t, { state: v0State(['p1']) });
  const h = client(t, [m.url], { mode: 'poll' });
  await waitFor('polled', () => h.seen.length >= 1, 5000);
  t.equal(m.counts.subscribe, 0);

  const m2 = await master(t, { mode: 'unavailable', state: v0State(['p1']) });
  const h2 = client(t, [m2.url], { resubscribeAfterMs: 100 });
  await waitFor('polled', () => h2.seen.length >= 1, 5000);
  m2.mode = 'stream';
  await waitFor('upgraded to the stream', () => h2.stream.status().mode === 'stream' && m2.counts.subscribe === 1, 5000);
});

t.test('a silent stream counts as dead', async (t) => {
  const m = await master(t);
  const h = client(t, [m.url], { stallTimeoutMs: 150 });
  await waitFor('reconnected after the stall', () => m.counts.subscribe >= 2, 5000);
  t.match(h.stream.status().lastError, /no data for 150 ms/);
  t.ok(h.seen.length >= 1);
});

t.test('stop closes the stream', async (t) => {
  const m = await master(t);
  const h = client(t, [m.url]);
  await waitFor('open stream', () => m.streams === 1 && h.seen.length >= 1, 5000);
  await h.stream.stop();
  t.equal(h.stream.status().mode, 'stopped');
  await waitFor('server saw the close', () => m.streams === 0, 5000);
  const n = m.counts.subscribe;
  m.send({ type: 'HEARTBEAT' });
  t.equal(m.counts.subscribe, n, 'no reconnect after stop');
});

t.test('no masters is a configuration error', async (t) => {
  t.throws(() => startChangeStream({ masters: [], onSnapshot: () => undefined }), { code: 'E_CONFIG' });
});
