import { decodeMasterState } from './dist/src/kernel/mesos-state.js';
import { generateRecords } from './dist/dns/records.js';
import { publish } from './dist/dns/state-zone.js';
import { parseConfig } from './dist/dns/config.js';
const agents = 1000, tasks = 10000;
const ip = (n, base) => `198.${base}.${(n >> 8) & 255}.${n & 255}`;
const state = { leader: 'master@198.18.0.10:5050',
  slaves: Array.from({ length: agents }, (_, i) => ({ id: `M-S${i}`, hostname: ip(i + 16, 18), pid: `slave(1)@${ip(i + 16, 18)}:5051` })),
  frameworks: [{ id: 'F0', name: 'marathon', pid: 'scheduler@198.18.0.10:8080', tasks: Array.from({ length: tasks }, (_, i) => ({ id: `app${i}.x`, name: `app${i}`, slave_id: `M-S${i % agents}`, state: 'TASK_RUNNING', resources: { ports: `[31000-31000]` }, statuses: [{ state: 'TASK_RUNNING', timestamp: 1, container_status: { network_infos: [{ ip_addresses: [{ ip_address: ip(i + 1, 19) }] }] } }] })) }] };
const text = JSON.stringify(state);
const cfg = parseConfig({ masters: ['198.18.0.10:5050'], Listener: '127.0.0.1' }).value;
for (let r = 0; r < 3; r++) {
  const t0 = performance.now(); const { snapshot } = decodeMasterState(JSON.parse(text)); const t1 = performance.now();
  generateRecords(snapshot, { domain: 'mesos', nsName: 'ns1.mesos.', listener: '127.0.0.1', masters: cfg.Masters, ipSources: cfg.IPSources, enforceRFC952: false });
  const t2 = performance.now(); publish(snapshot, cfg, {}, 1); const t3 = performance.now();
  console.log('parse', (t1-t0).toFixed(0), 'gen', (t2-t1).toFixed(0), 'publish', (t3-t2).toFixed(0));
}
