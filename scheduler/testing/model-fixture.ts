// A small master model for tests: one master, two agents, marathon with one running task on a
// container network carrying a VIP port label, and one finished task. Pure.
import { Resources } from '../resources.js';
import { MasterModel, type FrameworkRec } from '../master-model.js';
import type { V1TaskInfo } from '../mesos-types.js';

export const T0 = 1_700_000_000;

function res(text: string): Resources {
  const r = Resources.parse(text);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

export function sampleModel(): MasterModel {
  const m = new MasterModel({ id: 'c0ffee00-0000-4000-8000-000000000001', ip: '198.18.0.11', port: 5050, hostname: 'm1', version: '1.11.0', startTime: T0 });
  for (const [i, ip] of [[0, '198.18.0.12'], [1, '198.18.0.13']] as const) {
    m.putAgent({
      id: m.newAgentId(), hostname: `a${i}`, ip, port: 5051, attributes: { rack: `r${i}`, level: 3 },
      total: res('cpus:2;mem:1024;disk:100;ports:[31000-31099];cpus(web):1;mem(web):256'),
      registeredTime: T0 + 1, lastSeen: T0 + 1, version: '1.11.0',
    });
  }
  const fw: FrameworkRec = {
    id: m.newFrameworkId(), name: 'marathon', role: '*', user: 'root', hostname: 'm1', webuiUrl: 'http://m1:8080',
    failoverTimeout: 604800, checkpoint: true, capabilities: ['PARTITION_AWARE'], registeredTime: T0 + 2, unregisteredTime: 0,
    connected: true, active: true, tasks: new Map(),
  };
  m.putFramework(fw, true);
  const agent0 = `${m.info.id}-S0`;
  const info: V1TaskInfo = {
    name: 'web.prod', task_id: { value: 'prod_web.instance-1._app.1' }, agent_id: { value: agent0 },
    resources: res('cpus:0.1;mem:64;ports:[31000-31000]').toV1(),
    command: { shell: true, value: 'sleep 1000' },
    labels: { labels: [{ key: 'HAPROXY_GROUP', value: 'external' }] },
    discovery: { visibility: 'FRAMEWORK', name: 'web.prod', ports: { ports: [{ number: 31000, name: 'http', protocol: 'tcp', labels: { labels: [{ key: 'VIP_0', value: '/web:80' }] } }] } },
    container: { type: 'MESOS', network_infos: [{ name: 'dcos', labels: { labels: [] } }] },
  };
  m.addTask(fw.id, info, res('cpus:0.1;mem:64;ports:[31000-31000]'), '*', T0 + 3);
  const net = [{ name: 'dcos', ip_addresses: [{ protocol: 'IPv4' as const, ip_address: '198.19.0.2' }] }];
  m.updateStatus({ task_id: info.task_id, agent_id: info.agent_id, state: 'TASK_STARTING', timestamp: T0 + 4, container_status: { container_id: { value: 'c1' }, network_infos: net } });
  m.updateStatus({ task_id: info.task_id, agent_id: info.agent_id, state: 'TASK_RUNNING', timestamp: T0 + 5, healthy: true, container_status: { container_id: { value: 'c1' }, network_infos: net } });
  const done: V1TaskInfo = { ...info, name: 'job', task_id: { value: 'job.1' }, discovery: undefined, labels: undefined, container: undefined };
  delete done.discovery; delete done.labels; delete done.container;
  m.addTask(fw.id, done, res('cpus:0.1;mem:32'), '*', T0 + 6);
  m.updateStatus({ task_id: done.task_id, agent_id: done.agent_id, state: 'TASK_RUNNING', timestamp: T0 + 7 });
  m.updateStatus({ task_id: done.task_id, agent_id: done.agent_id, state: 'TASK_FINISHED', timestamp: T0 + 8 });
  return m;
}
