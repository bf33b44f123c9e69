import t from 'tap';
import { DEFAULTS, parseConfig, type OverlayConfig } from './config.js';
import { allocate, allocateAll, emptyTable, release, parseLeaseTable, viewOf, vtepMacFor, bridgeHalves } from './leases.js';

const cfg = DEFAULTS;
const small = (over: Record<string, unknown>): OverlayConfig => {
  const r = parseConfig(over);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

t.test('first agent with DC/OS defaults', async (t) => {
  const o = allocate(emptyTable(), cfg, { id: 'S0', ip: '10.0.0.1' });
  t.ok(o.lease.ok);
  if (!o.lease.ok) return;
  t.same(viewOf(o.lease.value), {
    id: 'S0', ip: '10.0.0.1', subnet: '9.0.0.0/24', mDcos: '9.0.0.0/25', dDcos: '9.0.0.128/25', vtepIp: '44.128.0.1', vtepMac: '70:b3:d5:80:00:01',
  });
  t.equal(o.changed, true);
});

t.test('second agent matches the docs worked example', async (t) => {
  const { results } = allocateAll(emptyTable(), cfg, [{ id: 'm', ip: '172.17.0.2' }, { id: 'a', ip: '172.17.0.4' }]);
  const second = results[1]!.lease;
  t.ok(second.ok);
  if (second.ok) t.same(viewOf(second.value), { id: 'a', ip: '172.17.0.4', subnet: '9.0.1.0/24', mDcos: '9.0.1.0/25', dDcos: '9.0.1.128/25', vtepIp: '44.128.0.2', vtepMac: '70:b3:d5:80:00:02' });
});

t.test('MAC takes the low three bytes of the VTEP address', async (t) => {
  t.equal(vtepMacFor('70:B3:D5:00:00:00', '44.128.15.254'), '70:b3:d5:80:0f:fe');
  t.equal(vtepMacFor('02:AA:bb:00:00:00', '198.18.16.7'), '02:aa:bb:12:10:07');
  t.same(bridgeHalves('198.19.4.0/24'), { mesos: '198.19.4.0/25', docker: '198.19.4.128/25' });
});

t.test('stable: known agents keep their lease; released blocks are reused lowest first', async (t) => {
  const agents = ['a', 'b', 'c', 'd'].map((id, i) => ({ id, ip: `10.0.0.${i + 1}` }));
  const { table } = allocateAll(emptyTable(), cfg, agents);
  t.same(table.agents.map((l) => l.subnet), ['9.0.0.0/24', '9.0.1.0/24', '9.0.2.0/24', '9.0.3.0/24']);
  const again = allocateAll(table, cfg, [...agents].reverse());
  t.same(again.table, table, 'same table in, same table out, whatever the order');
  const r = release(table, ['b', '10.0.0.3']);
  t.same(r.released.map((l) => l.id), ['b', 'c']);
  const e = allocate(r.table, cfg, { id: 'e', ip: '10.0.0.5' });
  t.ok(e.lease.ok);
  if (e.lease.ok) { t.equal(e.lease.value.subnet, '9.0.1.0/24'); t.equal(e.lease.value.vtepIp, '44.128.0.2'); }
  t.equal(release(table, ['nobody']).table, table, 'releasing nothing returns the same table');
});

t.test('re-registration: same id keeps the lease; a new id on a known address takes it over', async (t) => {
  const { table } = allocateAll(emptyTable(), cfg, [{ id: 'a', ip: '10.0.0.1' }, { id: 'b', ip: '10.0.0.2' }]);
  const same = allocate(table, cfg, { id: 'a', ip: '10.0.0.1' });
  t.equal(same.changed, false);
  t.equal(same.table, table);
  const moved = allocate(table, cfg, { id: 'a', ip: '10.0.0.9' });
  t.equal(moved.changed, true);
  t.same(moved.table.agents.map((l) => [l.id, l.ip, l.subnet]), [['a', '10.0.0.9', '9.0.0.0/24'], ['b', '10.0.0.2', '9.0.1.0/24']]);
  const rekey = allocate(table, cfg, { id: 'b2', ip: '10.0.0.2' });
  t.same(rekey.table.agents.map((l) => [l.id, l.subnet]), [['a', '9.0.0.0/24'], ['b2', '9.0.1.0/24']]);
});

t.test('exhaustion is a value for that agent; the table is unchanged', async (t) => {
  const c = small({ overlays: [{ name: 'x', subnet: '198.19.0.0/23', prefix: 24 }], vtep_subnet: '198.18.16.0/20' });
  const { table, results } = allocateAll(emptyTable(), c, [{ id: 'a', ip: '10.0.0.1' }, { id: 'b', ip: '10.0.0.2' }, { id: 'c', ip: '10.0.0.3' }]);
  t.equal(table.agents.length, 2);
  const third = results[2]!.lease;
  t.notOk(third.ok);
  if (!third.ok) { t.equal(third.error.code, 'subnet-exhausted'); t.match(third.error.message, /agent c/); }
  const v = small({ overlays: [{ name: 'x', subnet: '198.19.0.0/16', prefix: 24 }], vtep_subnet: '198.18.16.0/30' });
  const vr = allocateAll(emptyTable(), v, [{ id: 'a', ip: '10.0.0.1' }, { id: 'b', ip: '10.0.0.2' }, { id: 'c', ip: '10.0.0.3' }]);
  t.same(vr.table.agents.map((l) => l.vtepIp), ['198.18.16.1', '198.18.16.2'], 'network and broadcast never leased');
  t.equal(!vr.results[2]!.lease.ok && vr.results[2]!.lease.error.code, 'vtep-exhausted');
});

t.test('bad agents are refused', async (t) => {
  for (const a of [{ id: '', ip: '10.0.0.1' }, { id: '../x', ip: '10.0.0.1' }, { id: 'a', ip: 'nope' }, { id: 'a', ip: '::1' }]) {
    const o = allocate(emptyTable(), cfg, a);
    t.equal(!o.lease.ok && o.lease.error.code, 'bad-agent', JSON.stringify(a));
  }
});

t.test('stored tables: good leases kept exactly, bad ones dropped with a problem', async (t) => {
  const { table } = allocateAll(emptyTable(), cfg, [{ id: 'a', ip: '10.0.0.1' }, { id: 'b', ip: '10.0.0.2' }]);
  const stored = JSON.parse(JSON.stringify(table));
  t.same(parseLeaseTable(stored, cfg), { table, problems: [] });
  stored.agents.push({ id: 'c', ip: '10.0.0.3', subnet: '10.1.0.0/24', vtepIp: '44.128.0.3' });
  stored.agents.push({ id: 'd', ip: '10.0.0.4', subnet: '9.0.0.0/24', vtepIp: '44.128.0.4' });
  stored.agents.push({ id: 'e', ip: '10.0.0.5', subnet: '9.0.9.0/24', vtepIp: '44.128.0.0' });
  const p = parseLeaseTable(stored, cfg);
  t.same(p.table, table);
  t.same(p.problems.map((x) => x.path), ['agents[2]', 'agents[3]', 'agents[4]']);
  t.match(p.problems[1]!.message, /duplicate subnet/);
  t.equal(parseLeaseTable('junk', cfg).problems.length, 1);
});

t.test('65,536 blocks in a /8: lowest-free stays fast', async (t) => {
  let table = emptyTable();
  const c = small({ overlays: [{ name: 'x', subnet: '198.19.0.0/16', prefix: 28 }], vtep_subnet: '198.18.16.0/20' });
  const agents = Array.from({ length: 1000 }, (_, i) => ({ id: `a${i}`, ip: `10.${i >> 8}.${i & 255}.1` }));
  table = allocateAll(table, c, agents).table;
  t.equal(table.agents.length, 1000);
  t.equal(table.agents[999]!.subnet, '198.19.62.112/28');
  t.equal(new Set(table.agents.map((l) => l.vtepMac)).size, 1000);
});
