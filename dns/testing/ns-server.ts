// Child process for the namespace test: a fake Mesos master (SUBSCRIBE stream, on this namespace's
// loopback) feeding the DNS daemon, which listens on the address given in argv[2], port 53.
// stdout protocol: "ready" once the zone has the first task; on stdin "add" it sends TASK_ADDED for
// a new RUNNING task and prints "sent <epoch ms>". SIGTERM stops everything.
import { createInterface } from 'node:readline';
import { startDaemon } from '../io/daemon.js';
import { parseConfig } from '../config.js';
import { silentLogger } from '../../src/io/logger.js';
import { startFakeMaster } from '../../src/io/testing/fake-mesos-master.js';

const listen = process.argv[2] ?? '127.0.0.1';
const FW = 'fw-1';
const AG = 'agent-1';
const v1task = (id: string, name: string, ip: string, vip?: string) => ({
  name, task_id: { value: id }, framework_id: { value: FW }, agent_id: { value: AG }, state: 'TASK_RUNNING',
  resources: [{ name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31000 }] } }],
  discovery: vip ? { visibility: 'FRAMEWORK', name, ports: { ports: [{ number: 80, protocol: 'tcp', name: 'http', labels: { labels: [{ key: 'VIP_0', value: vip }] } }] } } : undefined,
  statuses: [{ task_id: { value: id }, state: 'TASK_RUNNING', timestamp: 1, container_status: { network_infos: [{ ip_addresses: [{ ip_address: ip }] }] } }],
});

const master = await startFakeMaster({
  subscribed: () => ({
    type: 'SUBSCRIBED',
    subscribed: {
      get_state: {
        get_agents: { agents: [{ agent_info: { id: { value: AG }, hostname: 'agent-1', port: 5051 }, active: true, pid: `slave(1)@${listen}:5051` }] },
        get_frameworks: { frameworks: [{ framework_info: { id: { value: FW }, name: 'marathon' }, active: true }] },
        get_tasks: { tasks: [v1task('web.1', 'web', '198.19.0.2', '/web:80')] },
      },
      heartbeat_interval_seconds: 15,
    },
  }),
});
const cfg = parseConfig({ masters: ['127.0.0.1:5050'], Listener: listen, Port: 53, HttpOn: false, ExternalOn: false, VipRange: '198.18.128.0/17' });
if (!cfg.ok) throw new Error(JSON.stringify(cfg.error));
const daemon = await startDaemon({ config: cfg.value, logger: silentLogger, version: 'ns', masterUrls: [master.url] });
while (!daemon.zone()?.names.has('web.marathon.mesos.')) await new Promise((r) => setTimeout(r, 10));
process.stdout.write('ready\n');

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'add') return;
  const t0 = performance.timeOrigin + performance.now();
  master.send({ type: 'TASK_ADDED', task_added: { task: v1task('db.1', 'db', '198.19.0.3') } });
  process.stdout.write(`sent ${t0.toFixed(3)}\n`);
});
const stop = async () => { await daemon.close(); await master.close(); process.exit(0); };
process.on('SIGTERM', () => void stop());
