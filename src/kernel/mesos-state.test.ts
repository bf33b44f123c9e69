import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeMasterState, decodeTask, expandPorts, leaderHost, parsePid, parsePortRanges } from './mesos-state.js';

// dist/src/kernel/<this>.js → repo root is three levels up; shared data sits beside the repo.
const shared = fileURLToPath(new URL('../../../../shared/conformance/mesos-dns/', import.meta.url));
const fake = JSON.parse(readFileSync(shared + 'fake.json', 'utf8')) as Record<string, unknown>;
const expected = JSON.parse(readFileSync(shared + 'expected.json', 'utf8'));

t.test('fake.json decodes completely, without problems', async (t) => {
  const { snapshot, problems } = decodeMasterState(fake);
  t.same(problems, []);
  t.equal(snapshot.leader, 'master@1.2.3.4:5050');
  t.equal(snapshot.agents.length, 4);
  t.same(snapshot.agents.map((a) => a.pid), ['slave(1)@1.2.3.10:5051', 'slave(1)@1.2.3.11:5051', 'slave(1)@1.2.3.12:5051', 'slave(1)@[2001:db8::1]:5051']);
  t.equal(snapshot.agents[0]!.port, 5051, 'agent port falls back to the pid port');
  t.same(snapshot.agents[0]!.resources.ports, [{ begin: 31000, end: 32000 }]);
  t.same(snapshot.frameworks.map((f) => f.name), ['ipv6-framework', 'chronos with a space AND MIXED CASE-2.0.1', 'no pid', 'marathon']);
  t.equal(snapshot.frameworks[2]!.pid, undefined);
  t.equal(snapshot.frameworks[2]!.hostname, 'localhost');
  const marathon = snapshot.frameworks[3]!;
  t.equal(marathon.tasks.length, 8);
  const liquor = marathon.tasks.find((x) => x.name === 'liquor.store')!;
  t.equal(liquor.discovery?.name, 'liquor.store');
  t.same(liquor.discovery?.ports.map((p) => [p.number, p.name, p.protocol]), [[80, 'http', 'tcp'], [443, 'https', 'tcp']]);
  t.same(liquor.discovery?.labels, [{ key: 'dc', value: 'de1' }, { key: 'canary', value: 'Teneriffa' }]);
  t.equal(liquor.statuses.length, 4);
  t.same(liquor.statuses[1]!.labels[1], { key: 'Docker.NetworkSettings.IPAddress', value: '10.3.0.1' });
  t.same(liquor.resources.ports, [{ begin: 31354, end: 31354 }, { begin: 31355, end: 31355 }]);
  const nginx = marathon.tasks.find((x) => x.name === 'nginx')!;
  t.same(nginx.resources.ports, [], '"[]" is no ports');
  const toy = snapshot.frameworks[0]!.tasks[0]!;
  t.same(toy.statuses[0]!.networkInfos.map((n) => n.ipAddresses.map((a) => a.ipAddress)), [['12.0.1.3'], ['12.0.1.2', 'fd01:b::1:8000:2']]);
  t.equal(toy.statuses[0]!.networkInfos[1]!.ipAddresses[1]!.protocol, 'IPv6');
  t.equal(snapshot.frameworks[1]!.tasks[0]!.frameworkId, '20140703-014514-3041283216-5050-5348-000', 'task framework_id kept as written');
});

t.test('a malformed task is reported with its path and skipped; the rest is kept', async (t) => {
  const doc = structuredClone(fake) as { frameworks: { tasks: { resources: { ports: string } }[] }[]; slaves: unknown[] };
  doc.frameworks[3]!.tasks[3]!.resources.ports = '[31000-oops]';
  doc.slaves.push({ hostname: 'no-id' });
  doc.frameworks.push('not a framework' as never);
  const { snapshot, problems } = decodeMasterState(doc);
  t.same(problems.map((p) => p.path), ['slaves[4].id', 'frameworks[3].tasks[3].resources.ports', 'frameworks[4]']);
  t.match(problems[1]!.message, /bad port range/);
  t.equal(snapshot.agents.length, 4);
  t.equal(snapshot.frameworks.length, 4);
  t.equal(snapshot.frameworks[3]!.tasks.length, 7);
  t.notOk(snapshot.frameworks[3]!.tasks.some((x) => x.id.startsWith('liquor-store.b71166c1')));
});

t.test('wrong types are problems, unknown fields are ignored', async (t) => {
  const r = decodeMasterState({
    leader: 7, slaves: {}, extra: { x: 1 },
    frameworks: [{ id: 'f1', name: 'fw', active: 'yes' }, { id: 'f2', name: 'ok', weird: [], tasks: [{ id: 't', slave_id: 's', state: 'TASK_RUNNING', statuses: [{ state: 'TASK_RUNNING', timestamp: 'x' }] }] }],
  });
  t.same(r.problems.map((p) => p.path), ['leader', 'slaves', 'frameworks[0].active', 'frameworks[1].tasks[0].statuses[0].timestamp']);
  t.equal(r.snapshot.leader, undefined);
  t.same(r.snapshot.frameworks.map((f) => [f.id, f.tasks.length]), [['f2', 0]]);
  for (const bad of [null, 3, 'x', []]) {
    const d = decodeMasterState(bad);
    t.same(d.snapshot.frameworks, []);
    t.equal(d.problems.length, 1);
  }
});

t.test('conformance: state.port_ranges', async (t) => {
  for (const c of expected.state.port_ranges) {
    const r = parsePortRanges(c.input);
    t.ok(r.ok, c.test);
    if (r.ok) t.same(expandPorts(r.value).map(String), c.want, c.test);
  }
  t.same(parsePortRanges('31000'), { ok: true, value: [{ begin: 31000, end: 31000 }] });
  for (const bad of ['[31000-]', '[a-b]', '[2-1]', '[1-70000]', '[1-2,,3-4]', '[1-2, ]', '[-5]', '[1-2, 3-]', '[99999-99999]']) t.notOk(parsePortRanges(bad).ok, bad);
});

t.test('parsePortRanges: the exact Mesos shape (fast path) and its near misses agree with the general rules', async (t) => {
  t.same(parsePortRanges('[31000-31002, 31005-31005]'), { ok: true, value: [{ begin: 31000, end: 31002 }, { begin: 31005, end: 31005 }] });
  t.same(parsePortRanges('[0-0]'), { ok: true, value: [{ begin: 0, end: 0 }] });
  t.same(parsePortRanges('[65535-65535]'), { ok: true, value: [{ begin: 65535, end: 65535 }] });
  t.same(parsePortRanges('[007-8]'), { ok: true, value: [{ begin: 7, end: 8 }] }, 'leading zeros: general parser');
  t.same(parsePortRanges('[1-2,3-4]'), { ok: true, value: [{ begin: 1, end: 2 }, { begin: 3, end: 4 }] }, 'no space after the comma');
  t.same(parsePortRanges(' [ 10 - 20 ] '), { ok: true, value: [{ begin: 10, end: 20 }] }, 'extra spaces');
  t.same(parsePortRanges('[]'), { ok: true, value: [] });
});

t.test('conformance: state.pid_parse', async (t) => {
  for (const c of expected.state.pid_parse) {
    const pid = parsePid(JSON.parse(c.json));
    t.same(pid && { id: pid.id, host: pid.host, port: String(pid.port) }, c.want, c.test);
  }
  for (const bad of ['', '@', '1@', '@2', '3@4', 'a@b@c:1', 'x@h:99999', 'x@[::1:1']) t.equal(parsePid(bad), undefined, bad);
});

t.test('conformance: state.leader_ip', async (t) => {
  for (const c of expected.state.leader_ip) {
    const r = leaderHost(c.input);
    if (c.want_error) t.notOk(r.ok, c.test);
    else t.same(r, { ok: true, value: c.want }, c.test);
  }
});

t.test('task decoding: legacy ip_address, label shapes, defaults', async (t) => {
  const base = { id: 't1', slave_id: 's1', state: 'TASK_RUNNING' };
  const a = decodeTask({ ...base, statuses: [{ state: 'TASK_RUNNING', container_status: { network_infos: [{ ip_address: '1.2.3.4', ip_addresses: [{ ip_address: '1.2.4.8' }] }, { ip_address: '5.6.7.8' }] } }] }, 't');
  t.same(a.value!.statuses[0]!.networkInfos.map((n) => n.ipAddresses.map((x) => x.ipAddress)), [['1.2.4.8'], ['5.6.7.8']]);
  const b = decodeTask({ ...base, labels: { labels: [{ key: 'k' }] } }, 't', 'fw');
  t.same(b.value!.labels, [{ key: 'k', value: undefined }]);
  t.equal(b.value!.frameworkId, 'fw');
  t.equal(b.value!.executorId, '');
  t.same(b.value!.resources, { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] });
  const c = decodeTask({ ...base, discovery: { ports: { ports: [{ name: 'x' }] } } }, 'p');
  t.equal(c.value, undefined);
  t.same(c.problems.map((p) => p.path), ['p.discovery.ports.ports[0].number']);
});
