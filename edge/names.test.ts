// Server names/ids: marathon-lb's unit data (unit/server-id.json) plus naming rules.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { conformanceDir } from './testing/conformance.js';
import { backendName, cleanName, cookieValue, serverId, serverName } from './names.js';

interface Step { server_name: string | null; expected_id?: number; expected_error?: string }
const data = JSON.parse(readFileSync(resolve(conformanceDir, 'unit/server-id.json'), 'utf8')) as {
  cases: { source: string; shared_taken_set: boolean; sequence: Step[] }[];
};

t.test('unit/server-id.json', async (t) => {
  t.ok(data.cases.length >= 5, 'cases loaded');
  for (const c of data.cases) {
    await t.test(c.source.split('::')[1] ?? c.source, async (t) => {
      const shared = new Set<number>();
      for (const step of c.sequence) {
        const taken = c.shared_taken_set ? shared : new Set<number>();
        const id = serverId(step.server_name, taken);
        if (step.expected_error) t.equal(id, undefined, `${JSON.stringify(step.server_name)} is rejected`);
        else t.equal(id, step.expected_id, `id of ${step.server_name}`);
      }
    });
  }
});

t.test('ids are unique and non-zero over many names (collision chaining)', async (t) => {
  const taken = new Set<number>();
  const ids = new Set<number>();
  let bad = 0;
  for (let i = 0; i < 3000; i++) {
    const id = serverId(`host-${i}_10_0_${i % 250}_1_${31000 + i}`, taken)!;
    if (!(id > 0 && id < 32767) || ids.has(id)) bad++;
    ids.add(id);
  }
  t.equal(bad, 0, 'every id in 1..32766 and distinct');
  t.equal(ids.size, 3000);
});

t.test('names', async (t) => {
  t.equal(backendName('/group/app', 10000), 'group_app_10000');
  t.equal(cleanName('a.b/c:d-e'), 'a_b_c_d-e');
  t.equal(serverName('agent1', '1.1.1.1', 1024), 'agent1_1_1_1_1_1024');
  t.equal(serverName('10.0.0.1', '10.0.0.1', 80), '10_0_0_1_80', 'host == ip is written once');
  t.equal(cookieValue('agent1_1_1_1_1_1024').length, 10);
});
