import t from 'tap';
import { buildVipTable, taskWeight } from './vip-table.js';
import { decodeMasterState } from '../src/kernel/mesos-state.js';
import { masterState, type FakeTask } from './testing/master-state.js';

const agents = [{ id: 'a1', ip: '198.18.0.11' }, { id: 'a2', ip: '198.18.0.12' }, { id: 'a3', ip: '198.18.0.13' }];
const table = (tasks: FakeTask[]) => buildVipTable(decodeMasterState(masterState(agents, tasks)).snapshot, { namedRange: '198.18.128.0/17' });

t.test('weights: running 1, unhealthy 0, killing 0, staging excluded', async (t) => {
  t.equal(taskWeight('TASK_RUNNING', undefined), 1);
  t.equal(taskWeight('TASK_RUNNING', true), 1);
  t.equal(taskWeight('TASK_RUNNING', false), 0);
  t.equal(taskWeight('TASK_KILLING', true), 0);
  t.equal(taskWeight('TASK_STAGING', undefined), undefined);
  const { vips } = table([
    { id: 'w.1', agentId: 'a1', port: 31000, vips: ['/w:80'] },
    { id: 'w.2', agentId: 'a2', port: 31001, vips: ['/w:80'], healthy: false },
    { id: 'w.3', agentId: 'a3', port: 31002, vips: ['/w:80'], state: 'TASK_KILLING' },
    { id: 'w.4', agentId: 'a3', port: 31003, vips: ['/w:80'], state: 'TASK_STAGING' },
  ]);
  t.equal(vips.length, 1);
  t.same(vips[0]!.backends.map((b) => [b.ip, b.port, b.weight]), [['198.18.0.11', 31000, 1], ['198.18.0.12', 31001, 0], ['198.18.0.13', 31002, 0]]);
  t.equal(vips[0]!.name, 'w.marathon.l4lb.thisdcos.directory');
});

t.test('host scope uses agent IP:host port; container scope uses task IPs:container port', async (t) => {
  const { vips } = table([
    { id: 'h.1', agentId: 'a1', port: 31000, vips: ['198.18.128.1:80'], scope: 'host' },
    { id: 'c.1', agentId: 'a2', port: 8080, vips: ['198.18.128.1:80'], scope: 'container', ips: ['198.19.2.5'] },
  ]);
  t.same(vips[0]!.backends.map((b) => `${b.ip}:${b.port}`), ['198.18.0.11:31000', '198.19.2.5:8080']);
});

t.test('a VIP whose tasks are not running has no backends but still exists (so it is refused)', async (t) => {
  const { vips } = table([{ id: 's.1', agentId: 'a1', port: 31000, vips: ['198.18.128.2:80'], state: 'TASK_STARTING' }]);
  t.same(vips.map((v) => [v.key, v.backends.length]), [['tcp://198.18.128.2:80', 0]]);
});

t.test('container task without IPs is reported, others kept', async (t) => {
  const r = table([
    { id: 'c.1', agentId: 'a2', port: 8080, vips: ['198.18.128.3:80'], scope: 'container' },
    { id: 'c.2', agentId: 'a2', port: 8080, vips: ['198.18.128.3:80'], scope: 'container', ips: ['198.19.2.6'] },
  ]);
  t.same(r.vips[0]!.backends.map((b) => b.ip), ['198.19.2.6']);
  t.match(r.problems, [{ message: /c\.1 has no usable container address/ }]);
});

t.test('bad labels are skipped with problems; the rest keeps working', async (t) => {
  const r = table([
    { id: 'a.1', agentId: 'a1', port: 31000, vips: ['/ok:80', '/bad:99999', '198.18.0.12:80'] },
    { id: 'u.1', agentId: 'a1', port: 31001, vips: ['/u:53'], protocol: 'sctp' },
  ]);
  t.same(r.vips.map((v) => v.name), ['ok.marathon.l4lb.thisdcos.directory']);
  t.equal(r.problems.length, 3);
});
