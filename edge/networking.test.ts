// Networking modes, task addresses and IP-per-task service-port assignment: marathon-lb's unit data
// (unit/task-ip-and-ports.json, unit/service-port-assigner.json).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeMarathonApp, dropNulls, type MarathonApp } from '../src/kernel/marathon.js';
import { conformanceDir } from './testing/conformance.js';
import { networkingMode, ServicePortAssigner, taskIpAndPorts } from './networking.js';

const unit = (f: string): { cases: Record<string, unknown>[] } => JSON.parse(readFileSync(resolve(conformanceDir, 'unit', f), 'utf8'));

function app(raw: unknown, tasks?: unknown[]): MarathonApp {
  const o = { id: '/unit-app', ...(dropNulls(raw) as object), ...(tasks ? { tasks } : {}) };
  const r = decodeMarathonApp(o);
  if (!r.ok) throw new Error(`${r.error.path}: ${r.error.message}`);
  return r.value;
}

t.test('unit/task-ip-and-ports.json', async (t) => {
  const d = unit('task-ip-and-ports.json');
  t.ok(d.cases.length >= 9);
  for (const c of d.cases) {
    const a = app(c.app, [c.task]);
    const dns = c.resolve_ip_returns as string | null | undefined;
    const got = taskIpAndPorts(a, a.tasks[0]!, () => dns ?? undefined);
    const exp = c.expected as { ip: string | null; ports: number[] | null };
    t.same(got ?? { ip: null, ports: null }, exp, String(String(c.source).split('::')[1]));
  }
});

t.test('unit/service-port-assigner.json', async (t) => {
  const d = unit('service-port-assigner.json');
  t.ok(d.cases.length >= 12);
  for (const c of d.cases) {
    const name = String(c.source).split('::')[1]!;
    const min = (c.min_port as number | null) ?? 0;
    const max = (c.max_port as number | null) ?? 0;
    const hash = name.endsWith('max_clash') ? () => '0'.repeat(64) : undefined;
    if (c.apps_in_order) {
      const apps = (c.apps_in_order as unknown[]).map((x) => app(x));
      const a = new ServicePortAssigner(min, max, hash);
      const first = apps.map((x) => a.servicePorts(x));
      t.same(first, c.reference_output_in_order, `${name}: in order`);
      t.same(apps.map((x) => a.servicePorts(x)), first, `${name}: same assigner again gives the same ports`);
      const b = new ServicePortAssigner(min, max, hash);
      const rev = [...apps].reverse().map((x) => b.servicePorts(x)).reverse();
      t.same(rev, c.reference_output_after_reset_reverse_order, `${name}: after reset, reverse order`);
      continue;
    }
    const got = new ServicePortAssigner(min, max, hash).servicePorts(app(c.app));
    if (c.expected !== undefined) t.same(got, c.expected, name);
    if (c.reference_output !== undefined) {
      t.same(got.map((p) => p ?? null), c.reference_output, `${name}: reference output`);
      const assigned = got.filter((p): p is number => p !== undefined).sort((x, y) => x - y);
      t.same(assigned, Array.from({ length: max - min + 1 }, (_, i) => min + i), `${name}: the whole range is used once`);
    }
  }
});

t.test('networking mode', async (t) => {
  t.equal(networkingMode(app({})), 'host');
  t.equal(networkingMode(app({ ipAddress: {} })), 'host', 'empty ipAddress is not IP-per-task');
  t.equal(networkingMode(app({ ipAddress: { networkName: 'n' } })), 'container');
  t.equal(networkingMode(app({ container: { type: 'DOCKER', docker: { network: 'BRIDGE' } } })), 'container/bridge');
  t.equal(networkingMode(app({ networks: [{ mode: 'host' }, {}] })), 'container', 'last network wins, mode defaults to container');
});
