import t from 'tap';
import { parseConfig, type OverlayConfig } from './config.js';
import { allocateAll, emptyTable } from './leases.js';
import { masterState, parseMasterState } from './state.js';
import { desiredAgent } from './desired.js';
import { emptyObserved } from './observed.js';
import { plan, render } from './plan.js';
import { applyOps } from './model.js';

const cfg: OverlayConfig = (() => {
  const r = parseConfig({ overlays: [{ name: 'lab', subnet: '198.19.0.0/16', prefix: 24 }], vtep_subnet: '198.18.16.0/20' });
  if (!r.ok) throw new Error('config');
  return r.value;
})();

function peersFor(n: number, c: OverlayConfig = cfg) {
  const agents = Array.from({ length: n }, (_, i) => ({ id: `a${i}`, ip: `198.18.${(i + 11) >> 8}.${(i + 11) & 255}` }));
  const { table } = allocateAll(emptyTable(), c, agents);
  return parseMasterState(masterState(table, c), 'lab').peers;
}

t.test('from nothing: full plan in order; applying it gives an empty plan', async (t) => {
  const peers = peersFor(3);
  const { desired, problems } = desiredAgent(cfg, peers[0]!, peers);
  t.same(problems, []);
  t.same(desired.vtep, { name: 'vtep1024', vni: 1024, port: 64000, local: '198.18.0.11', mac: '70:b3:d5:12:10:01', mtu: undefined, address: '198.18.16.1/20' });
  t.same(desired.bridges, [{ name: 'm-lab', mtu: 1420, address: '198.19.0.1/25', mac: '0a:58:c6:13:00:01', subnet: '198.19.0.0/25' }]);
  const ops = plan(desired, emptyObserved());
  const b = render(ops);
  t.same(b.ip, [
    'link add vtep1024 type vxlan id 1024 dstport 64000 local 198.18.0.11 nolearning noudpcsum',
    'link set dev vtep1024 address 70:b3:d5:12:10:01 up',
    'address add 198.18.16.1/20 dev vtep1024',
    'link add m-lab type bridge',
    'link set dev m-lab address 0a:58:c6:13:00:01 mtu 1420 up',
    'address add 198.19.0.1/25 dev m-lab',
    'neigh replace 198.18.16.2 lladdr 70:b3:d5:12:10:02 dev vtep1024 nud permanent',
    'neigh replace 198.18.16.3 lladdr 70:b3:d5:12:10:03 dev vtep1024 nud permanent',
    'route replace 198.19.1.0/24 via 198.18.16.2 dev vtep1024 onlink',
    'route replace 198.19.2.0/24 via 198.18.16.3 dev vtep1024 onlink',
  ]);
  t.same(b.bridge, ['fdb replace 70:b3:d5:12:10:02 dev vtep1024 dst 198.18.0.12 self permanent', 'fdb replace 70:b3:d5:12:10:03 dev vtep1024 dst 198.18.0.13 self permanent']);
  t.equal(b.iptables, '*nat\n:MESONET-OVERLAY - [0:0]\n-A MESONET-OVERLAY -d 198.19.0.0/16 -j RETURN\n-A MESONET-OVERLAY -j MASQUERADE\n-A POSTROUTING -s 198.19.0.0/16 -j MESONET-OVERLAY\nCOMMIT\n');
  const after = applyOps(emptyObserved(), ops);
  t.same(plan(desired, after), [], 'converged: nothing to do');
});

t.test('a removed peer loses its route, neighbour and FDB entry; a new one gains them', async (t) => {
  const peers = peersFor(4);
  const d1 = desiredAgent(cfg, peers[0]!, peers).desired;
  const k = applyOps(emptyObserved(), plan(d1, emptyObserved()));
  const without2 = peers.filter((p) => p.id !== 'a2');
  const ops = plan(desiredAgent(cfg, peers[0]!, without2).desired, k);
  t.same(render(ops).ip, ['route del 198.19.2.0/24 via 198.18.16.3 dev vtep1024', 'neigh del 198.18.16.3 dev vtep1024']);
  t.same(render(ops).bridge, ['fdb del 70:b3:d5:12:10:03 dev vtep1024 dst 198.18.0.13 self']);
  const k2 = applyOps(k, ops);
  t.same(k2.routes.map((r) => r.dst).sort(), ['198.19.1.0/24', '198.19.3.0/24']);
  t.same(plan(d1, k2).map((o) => o.op), ['neigh-replace', 'fdb-replace', 'route-replace'], 'the peer coming back is re-added');
});

t.test('a VTEP with the wrong VNI/port is recreated and refilled; a MAC change re-adds neighbours', async (t) => {
  const peers = peersFor(2);
  const d = desiredAgent(cfg, peers[0]!, peers).desired;
  const k = applyOps(emptyObserved(), plan(d, emptyObserved()));
  const wrong = new Map(k.links);
  wrong.set('vtep1024', { ...k.links.get('vtep1024')!, port: 4789 });
  const ops = plan(d, { ...k, links: wrong });
  t.same(ops.slice(0, 2).map((o) => o.op), ['link-del', 'vxlan-add']);
  t.ok(ops.some((o) => o.op === 'fdb-replace') && ops.some((o) => o.op === 'route-replace'), 'entries re-added');
  t.same(plan(d, applyOps({ ...k, links: wrong }, ops)), []);
  const csum = new Map(k.links);
  csum.set('vtep1024', { ...k.links.get('vtep1024')!, udpCsum: true });
  t.same(plan(d, { ...k, links: csum }).slice(0, 2).map((o) => o.op), ['link-del', 'vxlan-add'], 'UDP checksums on: recreated');
  const mac = new Map(k.links);
  mac.set('vtep1024', { ...k.links.get('vtep1024')!, mac: '02:00:00:00:00:09' });
  t.same(plan(d, { ...k, links: mac }).map((o) => o.op), ['link-set', 'neigh-replace']);
});

t.test('foreign address on the bridge is removed; drifted nat chain is rewritten; forwarding turned on', async (t) => {
  const peers = peersFor(2);
  const d = desiredAgent(cfg, peers[0]!, peers).desired;
  const k = applyOps(emptyObserved(), plan(d, emptyObserved()));
  const links = new Map(k.links);
  links.set('m-lab', { ...k.links.get('m-lab')!, addresses: ['198.19.0.1/25', '198.19.0.77/25'] });
  const drift = { ...k, links, nat: { ...k.nat, rules: ['-A MESONET-OVERLAY -j ACCEPT'] }, forwarding: false };
  t.same(plan(d, drift).map((o) => o.op), ['addr-del', 'nat-chain', 'forwarding-on']);
});

t.test('colliding peers are skipped with a problem; self is never a peer', async (t) => {
  const peers = peersFor(3);
  const clash = { ...peers[2]!, id: 'evil', ip: '198.18.0.99', subnet: '198.19.1.0/24', vtepMac: '70:b3:d5:10:00:63', vtepIp: '198.18.16.99' };
  const { desired, problems } = desiredAgent(cfg, peers[0]!, [...peers, clash]);
  t.equal(desired.peers.length, 2);
  t.match(problems[0]?.message, /subnet/);
  t.notOk(desired.peers.some((p) => p.agentIp === '198.18.0.11'));
});

t.test('no bridges (a master): no nat chain', async (t) => {
  const r = parseConfig({ overlays: [{ name: 'lab', subnet: '198.19.0.0/16' }], vtep_subnet: '198.18.16.0/20', mesos_bridge: false });
  if (!r.ok) return t.fail('config');
  const peers = peersFor(2);
  const d = desiredAgent(r.value, peers[0]!, peers).desired;
  t.same(d.bridges, []);
  t.equal(d.nat, undefined);
});

t.test('1,000 peers: plan and render well under budget', async (t) => {
  // A /16 holds 256 /24 blocks; 1,001 agents need /28 blocks (4,096 of them).
  const r = parseConfig({ overlays: [{ name: 'lab', subnet: '198.19.0.0/16', prefix: 28 }], vtep_subnet: '198.18.16.0/20' });
  if (!r.ok) return t.fail('config');
  const peers = peersFor(1001, r.value);
  t.equal(peers.length, 1001);
  // CPU time, not wall time: the machine is shared, and what is tested is the planning cost.
  const start = process.cpuUsage();
  const d = desiredAgent(r.value, peers[0]!, peers).desired;
  const ops = plan(d, emptyObserved());
  const b = render(ops);
  const used = process.cpuUsage(start);
  const ms = (used.user + used.system) / 1000;
  t.equal(b.bridge.length, 1000);
  t.equal(b.ip.filter((l) => l.startsWith('route replace')).length, 1000);
  t.ok(ms < 500, `planned in ${ms.toFixed(1)} ms`);
});
