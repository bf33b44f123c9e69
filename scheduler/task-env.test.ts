import t from 'tap';
import { killGraceSeconds, requestedNetwork, taskArgv, taskEnv } from './task-env.js';
import type { V1TaskInfo } from './mesos-types.js';

const task = (extra: Partial<V1TaskInfo> = {}): V1TaskInfo => ({ name: 'web', task_id: { value: 't1' }, agent_id: { value: 'a1' }, resources: [], ...extra });

t.test('environment: agent variables, inherited PATH, framework variables win', async (t) => {
  const env = taskEnv(task({ command: { value: 'x', environment: { variables: [{ name: 'PORT0', value: '31000' }, { name: 'HOME', value: '/custom' }] } } }),
    { frameworkId: 'f1', agentId: 'a1', sandbox: '/sb', agentEndpoint: '1.2.3.4:5051', containerIp: '198.19.0.5', base: { PATH: '/bin', SECRET: 'no' } });
  t.match(env, { PATH: '/bin', MESOS_TASK_ID: 't1', MESOS_SANDBOX: '/sb', MESOS_FRAMEWORK_ID: 'f1', MESOS_AGENT_ID: 'a1', MESOS_CONTAINER_IP: '198.19.0.5', PORT0: '31000', HOME: '/custom' });
  t.notOk('SECRET' in env, 'only a few variables are inherited from the agent');
});

t.test('argv, network request and kill grace', async (t) => {
  t.same(taskArgv(task({ command: { shell: true, value: 'echo hi' } })), { file: '/bin/sh', args: ['-c', 'echo hi'] });
  t.same(taskArgv(task({ command: { value: 'echo hi' } })), { file: '/bin/sh', args: ['-c', 'echo hi'] }, 'shell is the default');
  t.same(taskArgv(task({ command: { shell: false, value: '/bin/echo', arguments: ['echo', 'a', 'b'] } })), { file: '/bin/echo', args: ['a', 'b'] });
  t.equal(taskArgv(task()), undefined);
  t.equal(requestedNetwork(task({ container: { type: 'MESOS', network_infos: [{ name: '' }, { name: 'dcos' }] } })), 'dcos');
  t.equal(requestedNetwork(task({ container: { type: 'MESOS', network_infos: [] } })), undefined);
  t.equal(killGraceSeconds(task({ kill_policy: { grace_period: { nanoseconds: 2.5e9 } } }), 5), 2.5);
  t.equal(killGraceSeconds(task(), 5), 5);
});
