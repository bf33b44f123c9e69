// The overlay master's HTTP routes on a Fastify app (inject, no sockets except the long-poll test).
import t from 'tap';
import fastify from 'fastify';
import { parseConfig } from '../config.js';
import { overlayMasterRoutes } from './master-http.js';
import { memoryLeaseStore } from './file-store.js';

const cfg = (() => {
  const r = parseConfig({ overlays: [{ name: 'lab', subnet: '198.19.0.0/23', prefix: 24 }], vtep_subnet: '198.18.16.0/20' });
  if (!r.ok) throw new Error('config');
  return r.value;
})();

async function setup(store = memoryLeaseStore()) {
  const app = fastify();
  const m = overlayMasterRoutes(app, store, cfg);
  await app.ready();
  return { app, m, store };
}

t.test('register, state, delete; checkpoint before publish; stable across a restart', async (t) => {
  const { app, m, store } = await setup();
  t.teardown(() => app.close());
  const a = await m.registerAgent('a1', '198.18.0.11');
  t.same(a.ok && a.value, { id: 'a1', ip: '198.18.0.11', subnet: '198.19.0.0/24', mDcos: '198.19.0.0/25', dDcos: '198.19.0.128/25', vtepIp: '198.18.16.1', vtepMac: '70:b3:d5:12:10:01' });
  const r2 = await app.inject({ method: 'POST', url: '/overlay-master/agents/register', payload: { id: 'a2', ip: '198.18.0.12' } });
  t.equal(r2.statusCode, 200);
  t.equal(r2.json().subnet, '198.19.1.0/24');
  t.equal(store.saved.length, 2, 'each new lease saved');
  const again = await m.registerAgent('a1', '198.18.0.11');
  t.ok(again.ok);
  t.equal(store.saved.length, 2, 'a known agent causes no write');

  const s = await app.inject({ url: '/overlay-master/state' });
  t.equal(s.statusCode, 200);
  const body = s.json();
  t.same(body.agents.map((x: { ip: string }) => x.ip), ['198.18.0.11', '198.18.0.12']);
  t.equal(body.agents[0].overlays[0].backend.vxlan.vtep_ip, '198.18.16.1/20');
  const etag = s.headers.etag as string;
  t.ok(etag);
  const same = await app.inject({ url: '/overlay-master/state', headers: { 'if-none-match': etag } });
  t.equal(same.statusCode, 304);
  const jsonp = await app.inject({ url: '/overlay-master/state?jsonp=cb' });
  t.match(jsonp.body, /^cb\(\{"network"/);
  t.equal((await app.inject({ url: '/overlay-master/state?jsonp=alert(1)' })).statusCode, 400);

  // Exhaustion: the /23 holds two /24 blocks.
  const full = await app.inject({ method: 'POST', url: '/overlay-master/agents/register', payload: { id: 'a3', ip: '198.18.0.13' } });
  t.equal(full.statusCode, 409);
  t.equal(full.json().code, 'subnet-exhausted');
  t.equal((await app.inject({ method: 'POST', url: '/overlay-master/agents/register', payload: { id: 'a3' } })).statusCode, 400);

  const del = await app.inject({ method: 'POST', url: '/overlay-master/agents/delete', payload: { agents: ['198.18.0.11'] } });
  t.same(del.json(), { released: [{ id: 'a1', ip: '198.18.0.11', subnet: '198.19.0.0/24', vtepIp: '198.18.16.1' }] });
  t.equal((await app.inject({ method: 'POST', url: '/overlay-master/agents/delete', payload: { agents: 'x' } })).statusCode, 400);
  const a3 = await m.registerAgent('a3', '198.18.0.13');
  t.equal(a3.ok && a3.value.subnet, '198.19.0.0/24', 'the freed block is leased again');

  // A new master on the same store recovers the same leases.
  const { app: app2, m: m2 } = await setup(store);
  t.teardown(() => app2.close());
  t.same(m2.leases(), m.leases());
  const b = await m2.registerAgent('a2', '198.18.0.12');
  t.equal(b.ok && b.value.subnet, '198.19.1.0/24');
});

t.test('a failing store refuses the lease and changes nothing', async (t) => {
  const store = { async load() { return undefined; }, async save() { throw new Error('disk full'); } };
  const app = fastify();
  const m = overlayMasterRoutes(app, store, cfg);
  await app.ready();
  t.teardown(() => app.close());
  const r = await app.inject({ method: 'POST', url: '/overlay-master/agents/register', payload: { id: 'a1', ip: '198.18.0.11' } });
  t.equal(r.statusCode, 503);
  t.match(r.json().message, /disk full/);
  t.same(m.leases().agents, []);
  const s = await app.inject({ url: '/overlay-master/state' });
  t.same(s.json().agents, []);
});

t.test('long-poll answers as soon as the state changes', async (t) => {
  const { app, m } = await setup();
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  const port = (app.server.address() as { port: number }).port;
  const first = await fetch(`http://127.0.0.1:${port}/overlay-master/state`);
  const etag = first.headers.get('etag') ?? '';
  await first.text();
  const started = Date.now();
  const pending = fetch(`http://127.0.0.1:${port}/overlay-master/state?wait=20`, { headers: { 'if-none-match': etag } });
  setTimeout(() => void m.registerAgent('a9', '198.18.0.19'), 100);
  const res = await pending;
  const ms = Date.now() - started;
  t.equal(res.status, 200);
  t.equal(((await res.json()) as { agents: { ip: string }[] }).agents[0]?.ip, '198.18.0.19');
  t.ok(ms >= 90 && ms < 5000, `answered after ${ms} ms`);
  const idle = await fetch(`http://127.0.0.1:${port}/overlay-master/state?wait=0.2`, { headers: { 'if-none-match': res.headers.get('etag') ?? '' } });
  t.equal(idle.status, 304, 'no change within the wait → 304');
  t.equal((await fetch(`http://127.0.0.1:${port}/overlay-master/state?wait=999`)).status, 400);
});

t.test('stored leases that no longer fit are dropped, the rest kept', async (t) => {
  const stored = { version: 1, agents: [
    { id: 'a1', ip: '198.18.0.11', subnet: '198.19.1.0/24', vtepIp: '198.18.16.5', vtepMac: 'x' },
    { id: 'a2', ip: '198.18.0.12', subnet: '9.0.0.0/24', vtepIp: '198.18.16.6' },
  ] };
  const { app, m } = await setup(memoryLeaseStore(stored));
  t.teardown(() => app.close());
  t.same(m.leases().agents.map((l) => [l.id, l.subnet, l.vtepMac]), [['a1', '198.19.1.0/24', '70:b3:d5:12:10:05']]);
  t.equal(m.loadProblems.length, 1);
  const n = await m.registerAgent('a3', '198.18.0.13');
  t.same(n.ok && [n.value.subnet, n.value.vtepIp], ['198.19.0.0/24', '198.18.16.1'], 'lowest free around the kept lease');
});
