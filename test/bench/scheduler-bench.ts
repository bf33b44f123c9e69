// Scheduler room benchmark (not part of CI). Measures:
//   state   — rendering + serializing /master/state and v1 GET_STATE for A agents × T tasks (pure);
//   stream  — agent status POST → TASK_UPDATED at an operator SUBSCRIBE client (loopback, ms);
//   launch  — Marathon app with N instances of `sleep` on one in-process agent: POST → all running.
// Run: node dist/test/bench/scheduler-bench.js [--agents 1000] [--tasks 10000] [--updates 200] [--instances 50]
import { parseArgs } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resources } from '../../scheduler/resources.js';
import { MasterModel } from '../../scheduler/master-model.js';
import { renderMasterState } from '../../scheduler/state-json.js';
import { v1GetState } from '../../scheduler/v1-json.js';
import { parseAgentConfig, parseMarathonConfig, parseMasterConfig } from '../../scheduler/config.js';
import { startMaster } from '../../scheduler/io/master.js';
import { startAgent } from '../../scheduler/io/agent.js';
import { startMarathon } from '../../scheduler/io/marathon.js';
import { OperatorSubscriber, getJson, send, waitFor } from '../../scheduler/testing/helpers.js';
import { TestFramework } from '../../scheduler/testing/test-framework.js';

const { values } = parseArgs({ options: { agents: { type: 'string' }, tasks: { type: 'string' }, updates: { type: 'string' }, instances: { type: 'string' } } });
const AGENTS = Number(values.agents ?? 1000);
const TASKS = Number(values.tasks ?? 10000);
const UPDATES = Number(values.updates ?? 200);
const INSTANCES = Number(values.instances ?? 50);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p = (text: string) => { const r = Resources.parse(text); if (!r.ok) throw new Error(text); return r.value; };
const ok = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => { if (!r.ok) throw new Error(JSON.stringify(r.error)); return r.value; };

function stateBench(): void {
  const m = new MasterModel({ id: 'bench', ip: '198.18.0.11', port: 5050, hostname: 'm', version: '1.11.0', startTime: 0 });
  const total = p('cpus:24;mem:4096;disk:4096;ports:[31000-32000]');
  for (let i = 0; i < AGENTS; i++) m.putAgent({ id: m.newAgentId(), hostname: `a${i}`, ip: `198.18.${(i >> 8) & 15}.${i & 255}`, port: 5051, attributes: {}, total, registeredTime: 0, lastSeen: 0, version: '1.11.0' });
  m.putFramework({ id: 'fw', name: 'marathon', role: '*', user: 'root', hostname: 'm', webuiUrl: '', failoverTimeout: 0, checkpoint: true, capabilities: [], registeredTime: 0, unregisteredTime: 0, connected: true, active: true, tasks: new Map() }, true);
  const res = p('cpus:0.1;mem:32;ports:[31000-31000]');
  for (let i = 0; i < TASKS; i++) {
    const agentId = `bench-S${i % AGENTS}`;
    m.addTask('fw', { name: 'web', task_id: { value: `web.${i}` }, agent_id: { value: agentId }, resources: res.toV1(),
      labels: { labels: [{ key: 'HAPROXY_GROUP', value: 'external' }] },
      discovery: { visibility: 'FRAMEWORK', name: 'web', ports: { ports: [{ number: 31000, protocol: 'tcp', labels: { labels: [{ key: 'VIP_0', value: '/web:80' }] } }] } } }, res, '*', 0);
    m.updateStatus({ task_id: { value: `web.${i}` }, state: 'TASK_RUNNING', timestamp: 1, container_status: { network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: '198.19.0.2' }] }] } });
  }
  const x = { offeredByAgent: new Map(), offeredByFramework: new Map(), electedTime: 0 };
  for (const [name, f] of [['/master/state', () => JSON.stringify(renderMasterState(m, x))], ['GET_STATE', () => JSON.stringify(v1GetState(m))]] as const) {
    const times: number[] = [];
    let bytes = 0;
    for (let r = 0; r < 5; r++) { const t0 = performance.now(); bytes = f().length; times.push(performance.now() - t0); }
    console.log(`state   ${name.padEnd(14)} ${AGENTS} agents × ${TASKS} tasks: median ${median(times).toFixed(1)} ms, ${(bytes / 1e6).toFixed(1)} MB`);
  }
}

async function streamAndLaunchBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mesonet-bench-'));
  const quiet = { log: () => {} };
  const master = await startMaster(ok(parseMasterConfig({ ip: '127.0.0.1', port: 0, allocationIntervalSeconds: 0.2 })), quiet);
  const agent = await startAgent(ok(parseAgentConfig({ master: master.url, ip: '127.0.0.1', port: 0, workDir: join(dir, 'agent'), resources: 'cpus:64;mem:65536;ports:[31000-32000]', heartbeatSeconds: 1, killGraceSeconds: 1 })), quiet);
  try {
    await waitFor('agent', async () => (await getJson(`${master.url}/master/state`)).slaves.length === 1);
    // stream latency: a framework launches one long task; the bench posts status updates for it.
    const fw = new TestFramework(master.url);
    fw.launch({ name: 'lat', task_id: { value: 'lat.1' }, command: { shell: true, value: 'sleep 300' } });
    await waitFor('running', () => fw.statesOf('lat.1').includes('TASK_RUNNING'), 20000);
    const sub = await OperatorSubscriber.open(master.url);
    const agentId = agent.agentId()!;
    const lat: number[] = [];
    for (let i = 0; i < UPDATES; i++) {
      const n = sub.events.length;
      const t0 = performance.now();
      await send('POST', `${master.url}/mesonet/v1/agent/status`, { agent_id: agentId, status: { task_id: { value: 'lat.1' }, state: 'TASK_RUNNING', timestamp: Date.now() / 1000, uuid: `b${i}`, healthy: i % 2 === 0 } });
      await waitFor('event', () => sub.events.length > n, 5000, 1);
      lat.push(performance.now() - t0);
    }
    console.log(`stream  status POST → TASK_UPDATED at subscriber: median ${median(lat).toFixed(2)} ms, p90 ${[...lat].sort((a, b) => a - b)[Math.floor(lat.length * 0.9)]!.toFixed(2)} ms (${UPDATES} updates)`);
    sub.close();
    fw.stop();
    // launch rate through Marathon.
    const marathon = await startMarathon(ok(parseMarathonConfig({ master: master.url, ip: '127.0.0.1', port: 0 })), quiet);
    try {
      const t0 = performance.now();
      await send('POST', `${marathon.url}/v2/apps`, { id: 'bench', cmd: 'sleep 300', instances: INSTANCES, cpus: 0.01, mem: 1, portDefinitions: [] });
      await waitFor('all running', async () => (await getJson(`${marathon.url}/v2/apps/bench`)).app.tasksRunning === INSTANCES, 120000, 50);
      const dt = performance.now() - t0;
      console.log(`launch  ${INSTANCES} instances POST → all TASK_RUNNING: ${dt.toFixed(0)} ms (${(INSTANCES / (dt / 1000)).toFixed(1)} tasks/s)`);
      await send('DELETE', `${marathon.url}/v2/apps/bench`);
      await waitFor('all gone', async () => (await getJson(`${master.url}/master/state`)).frameworks.every((f: any) => f.name !== 'marathon' || f.tasks.length === 0), 120000, 100);
    } finally { await marathon.close(); }
  } finally {
    await agent.close();
    await master.close();
    await rm(dir, { recursive: true, force: true });
  }
}

stateBench();
await streamAndLaunchBench();
