import t from 'tap';
import { emptyRecordSet, generateRecords, insertRR, masterRecords, recordsJson, type GeneratorConfig, type RecordSet } from './records.js';
import { taskHash, agentTail } from './hash.js';
import { taskIps } from './task-ips.js';
import { decodeTask } from '../src/kernel/mesos-state.js';
import { expectedJson, fakeSnapshot, fixtureResolve, generatedJson } from './testing/fixtures.js';

const expected = expectedJson();
const generated = generatedJson();
const base = expected.config;

function cfgFor(over: Partial<GeneratorConfig> = {}): GeneratorConfig {
  return {
    domain: base.domain, nsName: base.SOAMname, listener: base.listener, masters: base.masters,
    ipSources: base.IPSources, enforceRFC952: base.label_spec === 'RFC952', ...over,
  };
}

const valuesOf = (rs: RecordSet, name: string, type: string): string[] =>
  [...((type === 'A' ? rs.As : type === 'AAAA' ? rs.AAAAs : rs.SRVs).get(name) ?? [])];

t.test('conformance: cases (TestInsertState)', async (t) => {
  const snap = fakeSnapshot(base.leader_override);
  let n = 0;
  for (const c of expected.cases) {
    const rs = generateRecords(snap, cfgFor(c.config?.IPSources ? { ipSources: c.config.IPSources } : {}), { resolve: fixtureResolve });
    t.same(valuesOf(rs, c.name, c.type).sort(), [...c.answers].sort(), `${c.test} ${c.type} ${c.name}`);
    n++;
  }
  t.equal(n, 50);
});

t.test('conformance: master_record', async (t) => {
  for (const [i, c] of expected.master_record.cases.entries()) {
    const rs = emptyRecordSet();
    masterRecords(rs, c.domain, c.masters ?? [], c.leader);
    const got: string[] = [];
    for (const [type, m] of [['A', rs.As], ['AAAA', rs.AAAAs], ['SRV', rs.SRVs]] as const) for (const [name, vals] of m) for (const v of vals) got.push(`${name} ${type} ${v}`);
    const want = c.expect.map((r: { name: string; type: string; value: string }) => `${r.name} ${r.type} ${r.value}`);
    t.same(got.sort(), want.sort(), `master_record #${i} leader=${JSON.stringify(c.leader)} masters=${JSON.stringify(c.masters)}`);
  }
});

t.test('conformance: soa_mname (name server gets the listener address)', async (t) => {
  for (const c of expected.soa_mname.cases) {
    const snap = { leader: c.state.leader, leaderInfo: undefined, agents: [], frameworks: [] };
    const rs = generateRecords(snap, cfgFor({ nsName: c.config.SOAMname, listener: c.config.Listener, masters: [] }));
    for (const r of c.must_contain) t.ok(valuesOf(rs, r.name, r.type).includes(r.value), `${c.test}: ${r.name} ${r.type} ${r.value}`);
  }
  const wild = generateRecords(fakeSnapshot(), cfgFor({ listener: '0.0.0.0' }), { localAddresses: ['198.18.0.5', '2001:db8::9'] });
  t.same(valuesOf(wild, 'mesos-dns.mesos.', 'A'), ['198.18.0.5']);
  t.same(valuesOf(wild, 'mesos-dns.mesos.', 'AAAA'), ['2001:db8::9']);
});

t.test('conformance: state.task_ips (TestTask_IPs)', async (t) => {
  for (const c of expected.state.task_ips) {
    const task = c.task === null ? undefined : decodeTask({ id: 'x', slave_id: 's', state: 'TASK_RUNNING', ...c.task }, 'task').value;
    if (c.task !== null) t.ok(task, `${c.test} decodes`);
    t.same(taskIps(task, c.ip_sources, c.slave_ips ?? []), c.want, `${c.test}${c.note ? ` (${c.note})` : ''}`);
  }
});

t.test('conformance: misc (hash, duplicate inserts)', async (t) => {
  for (const c of expected.misc.hash) t.equal(taskHash(c.input), c.want, c.test);
  for (const c of expected.misc.insert_rr_dedup) {
    const rs = emptyRecordSet();
    for (const [name, value, kind] of c.inserts) insertRR(rs, name, value, kind);
    t.equal([...rs.As.values()].reduce((n, s) => n + s.length, 0), c.want_count, c.test);
  }
  t.equal(agentTail('20140803-194712-3041283216-5050-2116-S3'), 's3');
});

t.test('generated-records.json: whole zones for 6 IPSources orders x 2 label specs', async (t) => {
  const snap = fakeSnapshot(generated.zones_config.leader_override);
  t.equal(generated.zones.length, 12);
  for (const z of generated.zones) {
    const rs = generateRecords(snap, cfgFor({
      nsName: generated.zones_config.ns_record_name, listener: generated.zones_config.listener, masters: generated.zones_config.masters,
      ipSources: z.IPSources, enforceRFC952: z.label_spec === 'RFC952',
    }), { resolve: fixtureResolve });
    const got = recordsJson(rs);
    const label = `${z.label_spec} ${z.IPSources.join(',')}`;
    t.same(got.As, z.A, `${label}: A`);
    t.same(got.AAAAs, z.AAAA, `${label}: AAAA`);
    t.same(got.SRVs, z.SRV, `${label}: SRV`);
    if (z.enumerate) t.same({ frameworks: rs.frameworks }, z.enumerate, `${label}: enumerate`);
  }
});

t.test('only RUNNING tasks on known agents get records', async (t) => {
  const snap = fakeSnapshot();
  const rs = generateRecords(snap, cfgFor());
  t.notOk([...rs.As.keys()].some((k) => k.startsWith('poseidon')), 'TASK_KILLED task has no records');
  const orphan = { ...snap, agents: snap.agents.filter((a) => !a.id.endsWith('-0')) };
  const rs2 = generateRecords(orphan, cfgFor());
  t.notOk(rs2.As.has('car-store.marathon.mesos.'), 'task on an unknown agent has no records');
  t.ok(rs2.As.has('reviewbot.marathon.mesos.'));
});
