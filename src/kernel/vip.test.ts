import t from 'tap';
import { agentIp, cleanFrameworkName, cleanVipName, deriveVips, fnv1a32, namedVipAddresses, parseLegacyVipValue, parseVipValue, vipDnsName, vipLabel } from './vip.js';
import type { Agent, DiscoveryPort, Framework, Snapshot, Task, TaskStatus } from './snapshot.js';
import { EMPTY_RESOURCES } from './snapshot.js';
import { cidrContains } from './ip.js';

const agent = (id: string, ip: string): Agent => ({ id, hostname: `host-${id}`, pid: `slave(1)@${ip}:5051`, port: 5051, attributes: {}, resources: EMPTY_RESOURCES, active: true });
const status = (over: Partial<TaskStatus> = {}): TaskStatus => ({ state: 'TASK_RUNNING', timestamp: 1, labels: [], healthy: undefined, networkInfos: [], ...over });
const dport = (number: number, labels: Record<string, string>, protocol = 'tcp'): DiscoveryPort => ({ number, name: undefined, protocol, visibility: undefined, labels: Object.entries(labels).map(([key, value]) => ({ key, value })) });
function task(id: string, over: Partial<Task> & { ports?: DiscoveryPort[] } = {}): Task {
  const { ports, ...rest } = over;
  return {
    id, name: id.split('.')[0]!, frameworkId: 'fw1', agentId: 'a1', executorId: '', state: 'TASK_RUNNING',
    statuses: [status()], labels: [], resources: EMPTY_RESOURCES, container: undefined,
    discovery: ports ? { visibility: 'FRAMEWORK', name: undefined, environment: undefined, location: undefined, version: undefined, ports, labels: [] } : undefined,
    ...rest,
  };
}
const fw = (name: string, tasks: Task[]): Framework => ({ id: 'fw1', name, pid: undefined, hostname: undefined, role: undefined, active: true, tasks });
const snap = (frameworks: Framework[], agents = [agent('a1', '198.18.0.11'), agent('a2', '198.18.0.12')]): Snapshot => ({ leader: undefined, leaderInfo: undefined, agents, frameworks });

t.test('parseVipValue: the three forms and the bad ones', async (t) => {
  t.same(parseVipValue('/web:80'), { kind: 'named', name: '/web', port: 80 });
  t.same(parseVipValue('web:8080'), { kind: 'named', name: 'web', port: 8080 });
  t.same(parseVipValue('198.18.128.5:5000'), { kind: 'ip', ip: '198.18.128.5', port: 5000 });
  for (const bad of ['', 'web', ':80', '/web:0', '/web:65536', '/web:8o', '/web:', 'fd00::1:80']) {
    const r = parseVipValue(bad);
    t.notOk('kind' in r, `rejects ${JSON.stringify(bad)}`);
    if (!('kind' in r)) t.ok(r.message.length > 0);
  }
});

t.test('parseLegacyVipValue: tcp:// and udp://, others rejected', async (t) => {
  t.same(parseLegacyVipValue('tcp://198.18.128.1:80'), { protocol: 'tcp', target: { kind: 'ip', ip: '198.18.128.1', port: 80 } });
  t.same(parseLegacyVipValue('UDP://198.18.128.1:53'), { protocol: 'udp', target: { kind: 'ip', ip: '198.18.128.1', port: 53 } });
  t.match(parseLegacyVipValue('sctp://198.18.128.1:80'), { message: /tcp:\/\// });
  t.match(parseLegacyVipValue('tcp://198.18.128.1:99999'), { message: /bad port/ });
});

t.test('name cleaning and DNS names', async (t) => {
  t.equal(cleanVipName('/my-service'), 'my-service');
  t.equal(cleanVipName('/group/app'), 'groupapp');
  t.equal(cleanVipName('My_Service.v2'), 'my-service-v2');
  t.equal(cleanVipName('/---'), '');
  t.equal(cleanVipName('a'.repeat(70)).length, 63);
  t.equal(cleanFrameworkName('Marathon.user'), 'marathon.user');
  t.equal(vipDnsName('/my-service', 'marathon'), 'my-service.marathon.l4lb.thisdcos.directory');
  t.equal(vipDnsName('/web', 'marathon', 'example.test'), 'web.marathon.example.test');
  t.equal(vipDnsName('/%%%', 'marathon'), undefined);
  t.equal(vipLabel('/web', '***'), undefined);
});

t.test('fnv1a32 known vectors', async (t) => {
  t.equal(fnv1a32(''), 0x811c9dc5);
  t.equal(fnv1a32('a'), 0xe40c292c);
  t.equal(fnv1a32('foobar'), 0xbf9cf968);
});

t.test('agentIp from pid, else an IP hostname', async (t) => {
  t.equal(agentIp('slave(1)@198.18.0.11:5051', 'x'), '198.18.0.11');
  t.equal(agentIp(undefined, '198.18.0.12'), '198.18.0.12');
  t.equal(agentIp('slave(1)@host:5051', 'host'), undefined);
});

t.test('namedVipAddresses: in range, deterministic, order-independent, probing, exhaustion', async (t) => {
  const names = Array.from({ length: 50 }, (_, i) => `svc${i}.marathon`);
  const a = namedVipAddresses(names, '198.18.128.0/17');
  const b = namedVipAddresses([...names].reverse(), '198.18.128.0/17');
  t.equal(a.addresses.size, 50);
  t.same([...a.addresses].sort(), [...b.addresses].sort(), 'input order does not matter');
  for (const ip of a.addresses.values()) t.ok(cidrContains('198.18.128.0/17', ip) && ip !== '198.18.128.0' && ip !== '198.18.255.255', ip);
  t.equal(new Set(a.addresses.values()).size, 50, 'all distinct');
  // A /30 has 2 usable addresses: every name collides, probing fills both, the third is reported.
  const tiny = namedVipAddresses(['a.m', 'b.m', 'c.m'], '198.18.128.0/30');
  t.same([...tiny.addresses.values()].sort(), ['198.18.128.1', '198.18.128.2']);
  t.same([...tiny.addresses.keys()], ['a.m', 'b.m'], 'sorted order wins the slots');
  t.match(tiny.problems, [{ path: 'c.m', message: /exhausted/ }]);
  // A reserved address is skipped by probing: reserve where a.m would land.
  const where = namedVipAddresses(['a.m'], '198.18.128.0/24').addresses.get('a.m')!;
  const moved = namedVipAddresses(['a.m'], '198.18.128.0/24', [where]).addresses.get('a.m')!;
  t.not(moved, where);
  t.ok(cidrContains('198.18.128.0/24', moved));
  t.match(namedVipAddresses(['a.m'], 'nope').problems, [{ path: 'namedRange' }]);
});

t.test('deriveVips: named and IP VIPs, backends with port index and scope', async (t) => {
  const overlayStatus = status({ networkInfos: [{ name: 'dcos', ipAddresses: [{ protocol: 'IPv4', ipAddress: '198.19.1.5' }], labels: [], portMappings: [] }] });
  const s = snap([fw('marathon', [
    task('web.1', { ports: [dport(31001, { VIP_0: '/web:80', 'network-scope': 'host' }), dport(31002, { VIP_1: '198.18.128.9:81' })] }),
    task('web.2', { agentId: 'a2', ports: [dport(31005, { VIP_0: '/web:80', 'network-scope': 'host' })] }),
    task('db.1', { statuses: [overlayStatus], ports: [dport(5432, { vip0: 'db:5432' })] }),
  ])]);
  const { vips, problems } = deriveVips(s, { namedRange: '198.18.128.0/17' });
  t.same(problems, []);
  t.equal(vips.length, 3);
  const web = vips.find((v) => v.name === 'web.marathon.l4lb.thisdcos.directory')!;
  t.ok(web, 'named VIP web');
  t.equal(web.port, 80);
  t.equal(web.label, 'web.marathon');
  t.equal(web.framework, 'marathon');
  t.ok(cidrContains('198.18.128.0/17', web.ip));
  t.equal(web.key, `tcp://${web.ip}:80`);
  t.same(web.backends.map((b) => [b.taskId, b.agentIp, b.hostPort, b.scope, b.portIndex]), [['web.1', '198.18.0.11', 31001, 'host', 0], ['web.2', '198.18.0.12', 31005, 'host', 0]]);
  const ipVip = vips.find((v) => v.ip === '198.18.128.9')!;
  t.same([ipVip.name, ipVip.port, ipVip.backends[0]!.portIndex, ipVip.backends[0]!.scope], [undefined, 81, 1, 'host']);
  const db = vips.find((v) => v.label === 'db.marathon')!;
  t.same([db.backends[0]!.scope, db.backends[0]!.containerPort, db.backends[0]!.taskIps], ['container', 5432, ['198.19.1.5']]);
  t.same(vips.map((v) => v.key), [...vips.map((v) => v.key)].sort(), 'sorted by key');
});

t.test('deriveVips: legacy VIP_PORTn uses the expanded host port; bad index reported', async (t) => {
  const resources = { ...EMPTY_RESOURCES, ports: [{ begin: 31000, end: 31001 }, { begin: 31010, end: 31010 }] };
  const s = snap([fw('marathon', [task('old.1', { resources, labels: [{ key: 'VIP_PORT2', value: 'tcp://198.18.128.20:8080' }, { key: 'vip_port7', value: 'tcp://198.18.128.21:80' }] })])]);
  const { vips, problems } = deriveVips(s);
  t.equal(vips.length, 1);
  t.same([vips[0]!.key, vips[0]!.backends[0]!.hostPort, vips[0]!.backends[0]!.source], ['tcp://198.18.128.20:8080', 31010, 'legacy']);
  t.match(problems, [{ path: 'frameworks[0].tasks[0].labels.vip_port7', message: /port index 7/ }]);
});

t.test('deriveVips: bad items skipped with a problem, the rest kept', async (t) => {
  const s = snap([fw('marathon', [
    task('a.1', { ports: [dport(1, { VIP_0: '/a:notaport' }), dport(2, { VIP_0: '/b:80' }, 'sctp'), dport(3, { VIP_0: '/%%:80' }), dport(4, { VIP_0: '198.18.0.12:80' }), dport(5, { VIP_0: '/ok:80' })] }),
    task('gone.1', { state: 'TASK_FINISHED', ports: [dport(6, { VIP_0: '/gone:80' })] }),
  ])]);
  const { vips, problems } = deriveVips(s);
  t.same(vips.map((v) => v.label), ['ok.marathon']);
  t.equal(problems.length, 4);
  t.match(problems[0], { path: /ports\[0\]\.labels\.VIP_0/, message: /bad port/ });
  t.match(problems[1], { path: /ports\[1\]/, message: /unknown protocol/ });
  t.match(problems.find((p) => /cleans to nothing/.test(p.message)), { path: 'frameworks[0].tasks[0]' });
  t.match(problems.find((p) => /real address/.test(p.message)), { message: /198\.18\.0\.12:80/ });
});

t.test('deriveVips: weight facts carried (state, health), port mapping fills the host port', async (t) => {
  const st = status({ healthy: false, networkInfos: [{ name: 'bridge', ipAddresses: [{ protocol: 'IPv4', ipAddress: '198.19.2.2' }], labels: [], portMappings: [{ hostPort: 31500, containerPort: 80, protocol: 'tcp' }] }] });
  const s = snap([fw('marathon', [task('b.1', { state: 'TASK_KILLING', statuses: [status({ timestamp: 0 }), st], ports: [dport(80, { VIP_0: '/b:80', 'network-scope': 'container' })] })])]);
  const b = deriveVips(s).vips[0]!.backends[0]!;
  t.same([b.state, b.healthy, b.scope, b.containerPort, b.hostPort], ['TASK_KILLING', false, 'container', 80, 31500]);
});

t.test('deriveVips: the same snapshot gives the same map regardless of framework/task order', async (t) => {
  const tasks = Array.from({ length: 20 }, (_, i) => task(`s${i}.1`, { ports: [dport(100 + i, { VIP_0: `/s${i}:80` })] }));
  const a = deriveVips(snap([fw('marathon', tasks)]), { namedRange: '198.18.128.0/28' });
  const b = deriveVips(snap([fw('marathon', [...tasks].reverse())]), { namedRange: '198.18.128.0/28' });
  t.equal(a.vips.length, 14, '14 usable addresses in a /28');
  t.equal(a.problems.length, 6);
  t.same(a.vips.map((v) => [v.label, v.ip]), b.vips.map((v) => [v.label, v.ip]));
});
