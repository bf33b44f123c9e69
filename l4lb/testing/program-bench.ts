// Programming-time bench, run inside a namespace the caller made: N VIPs × B backends from a
// generated snapshot → VIP table → native table → kernel rules (ipset swap + chains), each timed.
// `node program-bench.js N B IPSET CHAIN` prints one JSON line of milliseconds.
import { decodeMasterState } from '../../src/kernel/mesos-state.js';
import { buildVipTable, tcpVips } from '../vip-table.js';
import { encodeTable } from '../native-table.js';
import { desiredRules } from '../rules.js';
import { Dataplane } from '../io/nfqueue.js';
import { reconcileRules, removeRules } from '../io/kernel.js';
import { masterState, type FakeTask } from './master-state.js';

const [nText, bText, ipset, chain] = process.argv.slice(2);
const n = Number(nText ?? 10000);
const b = Number(bText ?? 10);
const agents = Array.from({ length: b }, (_, i) => ({ id: `a${i}`, ip: `198.18.${1 + (i >> 8)}.${i & 255}` }));
const tasks: FakeTask[] = [];
for (let v = 0; v < n; v++) {
  const vip = `198.18.${128 + (v >> 8)}.${v & 255}:80`;
  for (let i = 0; i < b; i++) tasks.push({ id: `s${v}.${i}`, agentId: `a${i}`, port: 10000 + (v % 50000), vips: [vip] });
}
const json = JSON.parse(JSON.stringify(masterState(agents, tasks)));
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
// CPU time of this process per phase too: the machine may be shared, wall time then overstates.
const cpu: Record<string, number> = {};
let c0 = process.cpuUsage();
const lap = (name: string) => {
  const d = process.cpuUsage(c0);
  cpu[name] = Math.round((d.user + d.system) / 1000);
  c0 = process.cpuUsage();
};

let t0 = process.hrtime.bigint();
const snapshot = decodeMasterState(json).snapshot;
const decodeMs = ms(t0);
lap('decode');
t0 = process.hrtime.bigint();
const table = buildVipTable(snapshot, { namedRange: '198.18.128.0/17' });
const tableMs = ms(t0);
lap('table');
const vips = tcpVips(table);
t0 = process.hrtime.bigint();
const encoded = encodeTable(vips.map((v) => ({ ip: v.ip, port: v.port, protocol: v.protocol, backends: v.backends.map((x) => ({ ip: x.ip, port: x.port, weight: x.weight, snat: undefined, local: false })) })));
const encodeMs = ms(t0);
lap('encode');
const dp = new Dataplane({ queueFirst: 50, queueLast: 58, ctTimeoutSec: 2, connectThresholdMs: 400, failureThreshold: 5, backoffMs: 30000, passiveHealth: false, snat: true });
c0 = process.cpuUsage();
t0 = process.hrtime.bigint();
const pushed = dp.setTable(encoded);
const pushMs = ms(t0);
lap('push');
dp.close();
const names = { ipset: ipset ?? 'mnbench', chain: chain ?? 'MNBENCH', queueFirst: 50, queueLast: 58 };
t0 = process.hrtime.bigint();
const ops = await reconcileRules(names, desiredRules(names, vips));
const rulesMs = ms(t0);
lap('rulesJs');
t0 = process.hrtime.bigint();
const again = await reconcileRules(names, desiredRules(names, vips));
const noopMs = ms(t0);
await removeRules(names);
process.stdout.write(JSON.stringify({ vips: vips.length, backends: vips.reduce((s, v) => s + v.backends.length, 0), pushed, ops: ops.length, noopOps: again.length, decodeMs, tableMs, encodeMs, pushMs, rulesMs, noopMs, cpuMs: cpu }) + '\n');
