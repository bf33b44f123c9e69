import t from 'tap';
import { decodeMasterState } from '../src/kernel/mesos-state.js';
import { renderMasterState } from './state-json.js';
import { sampleModel, T0 } from './testing/model-fixture.js';
import { Resources } from './resources.js';

const extras = { offeredByAgent: new Map(), offeredByFramework: new Map(), electedTime: T0 + 1 };

t.test('our /master/state decodes with zero problems and keeps every consumer field', async (t) => {
  const m = sampleModel();
  const json = JSON.parse(JSON.stringify(renderMasterState(m, extras)));
  const { snapshot, problems } = decodeMasterState(json);
  t.same(problems, []);
  t.equal(json.leader, 'master@198.18.0.11:5050');
  t.equal(json.pid, json.leader);
  t.same(snapshot.agents.map((a) => a.pid), ['slave(1)@198.18.0.12:5051', 'slave(1)@198.18.0.13:5051']);
  t.same(snapshot.agents[0]?.resources.ports, [{ begin: 31000, end: 31099 }]);
  t.equal(json.slaves[0].resources.ports, '[31000-31099]');
  t.same(json.slaves[0].reserved_resources, { web: { cpus: 1, gpus: 0, mem: 256, disk: 0 } });
  t.equal(json.slaves[0].unreserved_resources.cpus, 2);
  t.equal(json.slaves[0].used_resources.cpus, 0.1);
  for (const k of ['completed_frameworks', 'orphan_tasks', 'unregistered_frameworks', 'recovered_slaves']) t.same(json[k], [], k);
  const fw = json.frameworks[0];
  t.notOk('pid' in fw, 'HTTP frameworks carry no pid');
  t.equal(fw.tasks.length, 1);
  t.equal(fw.completed_tasks.length, 1);
  t.equal(fw.completed_tasks[0].state, 'TASK_FINISHED');
  const task = fw.tasks[0];
  t.equal(task.executor_id, '');
  t.same(task.labels, [{ key: 'HAPROXY_GROUP', value: 'external' }], 'task labels are a bare array');
  t.same(task.discovery.ports.ports[0].labels, { labels: [{ key: 'VIP_0', value: '/web:80' }] }, 'discovery labels keep the proto wrapper');
  t.equal(task.resources.ports, '[31000-31000]', 'single port still written as a range');
  const st = snapshot.frameworks[0]?.tasks[0];
  t.equal(st?.state, 'TASK_RUNNING');
  t.same(st?.statuses.map((s) => s.state), ['TASK_STARTING', 'TASK_RUNNING']);
  t.equal(st?.statuses[1]?.networkInfos[0]?.ipAddresses[0]?.ipAddress, '198.19.0.2');
  t.equal(st?.discovery?.ports[0]?.labels[0]?.value, '/web:80');
});

t.test('repeated states replace the last status instead of growing the list', async (t) => {
  const m = sampleModel();
  const task = m.findTask('prod_web.instance-1._app.1')!;
  m.updateStatus({ task_id: { value: task.id }, state: 'TASK_RUNNING', timestamp: T0 + 50, healthy: false });
  t.same(task.statuses.map((s) => [s.state, s.timestamp]), [['TASK_STARTING', T0 + 4], ['TASK_RUNNING', T0 + 50]]);
});

t.test('unreachable agents leave slaves[]; their tasks move to unreachable_tasks, then completed as LOST', async (t) => {
  const m = sampleModel();
  const a0 = `${m.info.id}-S0`;
  const ev = m.dropAgent(a0, 'TASK_UNREACHABLE', T0 + 100, false);
  t.same(ev.map((e) => e.type), ['AGENT_REMOVED', 'TASK_UPDATED']);
  let json = renderMasterState(m, extras) as any;
  t.equal(json.slaves.length, 1);
  t.equal(json.unreachable_slaves, 1);
  t.equal(json.frameworks[0].unreachable_tasks.length, 1);
  t.equal(json.frameworks[0].tasks.length, 0);
  const ev2 = m.dropAgent(a0, 'TASK_LOST', T0 + 200, true);
  t.same(ev2.map((e) => e.type), ['TASK_UPDATED'], 'no second AGENT_REMOVED');
  json = renderMasterState(m, extras) as any;
  t.equal(json.unreachable_slaves, 0);
  t.same(json.frameworks[0].completed_tasks.map((x: any) => x.state).sort(), ['TASK_FINISHED', 'TASK_LOST']);
});

t.test('offered resources appear on agents and frameworks', async (t) => {
  const m = sampleModel();
  const offer = Resources.parse('cpus:1;mem:128;ports:[31001-31099]');
  if (!offer.ok) throw new Error('parse');
  const fwId = [...m.frameworks.keys()][0]!;
  const json = renderMasterState(m, { offeredByAgent: new Map([[`${m.info.id}-S1`, offer.value]]), offeredByFramework: new Map([[fwId, offer.value]]), electedTime: T0 }) as any;
  t.equal(json.slaves[1].offered_resources.ports, '[31001-31099]');
  t.equal(json.frameworks[0].offered_resources.mem, 128);
  t.equal(json.frameworks[0].resources.mem, 128 + 64, 'resources = used + offered');
});
