// Marathon client against a fake Marathon on loopback (ephemeral ports): failover between URLs,
// the SSE stream (CRLF framing, several events), reconnection after the server goes away.
import t from 'tap';
import { silentLogger } from '../../src/io/logger.js';
import { waitFor } from '../../test/helpers/netns.js';
import { FakeMarathon } from '../testing/fake-marathon.js';
import { MarathonClient } from './marathon.js';

t.test('apps: first URL down, second answers and is preferred next time', async (t) => {
  const m = new FakeMarathon();
  const port = await m.listen('127.0.0.1', 0);
  t.teardown(() => m.close());
  m.apps = [{ id: '/a', tasks: [{ id: 'x', host: 'h', ports: [1] }] }, { nope: true }];
  const c = new MarathonClient({ urls: ['http://127.0.0.1:1', `http://127.0.0.1:${port}`], log: silentLogger, timeoutMs: 2_000 });
  const d = await c.apps();
  t.same(d.apps.map((a) => a.id), ['/a']);
  t.equal(d.problems.length, 1, 'the malformed app is a problem, not a failure');
  t.equal(c.current, `http://127.0.0.1:${port}`, 'sticks to the URL that answered');
  const none = new MarathonClient({ urls: ['http://127.0.0.1:1'], log: silentLogger, timeoutMs: 1_000 });
  await t.rejects(none.apps(), { code: 'E_MARATHON' });
});

t.test('events: stream, several events, reconnect', async (t) => {
  const m = new FakeMarathon();
  const port = await m.listen('127.0.0.1', 0);
  const ctl = new AbortController();
  let connects = 0;
  const events: string[] = [];
  const c = new MarathonClient({ urls: [`http://127.0.0.1:${port}`], log: silentLogger });
  const done = c.follow((e) => events.push(e.eventType), () => { connects++; }, ctl.signal, { initialMs: 50, maxMs: 200, stallMs: 5_000 });
  t.teardown(async () => { ctl.abort(); await done; await m.close().catch(() => undefined); });
  await waitFor('connected', () => connects === 1 && m.streamCount === 1);
  m.setApps([], 'status_update_event');
  m.setApps([], 'api_post_event');
  await waitFor('events', () => events.includes('api_post_event'));
  t.same(events, ['event_stream_attached', 'status_update_event', 'api_post_event']);
  await m.close();
  const m2 = new FakeMarathon();
  await m2.listen('127.0.0.1', port);
  t.teardown(() => m2.close());
  await waitFor('reconnected', () => connects === 2, 10_000);
  m2.setApps([], 'health_status_changed_event');
  await waitFor('event after reconnect', () => events.includes('health_status_changed_event'));
  t.pass('reconnected after the server went away');
});
