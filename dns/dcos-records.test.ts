import t from 'tap';
import { decodeMasterState } from '../src/kernel/mesos-state.js';
import { deriveVips } from '../src/kernel/vip.js';
import { generateDcosRecords } from './dcos-records.js';
import { fakeSnapshot } from './testing/fixtures.js';

// A small cluster in the lab range: agent 198.18.0.11, a bridge task with a host-port mapping and
// a VIP, and an overlay task with its own address.
const state = {
  leader: 'master@198.18.0.10:5050',
  slaves: [{ id: 'M-S0', hostname: 'agent-1.lab', pid: 'slave(1)@198.18.0.11:5051' }],
  frameworks: [{
    id: 'F1', name: 'marathon', pid: 'scheduler@198.18.0.10:8080',
    tasks: [
      {
        id: 'web.1', name: 'web', slave_id: 'M-S0', state: 'TASK_RUNNING', resources: { ports: '[31000-31000]' },
        discovery: { visibility: 'FRAMEWORK', name: 'web', ports: { ports: [{ number: 31000, protocol: 'tcp', labels: { labels: [{ key: 'VIP_0', value: '/web:80' }] } }] } },
        statuses: [{ state: 'TASK_RUNNING', timestamp: 1, container_status: { network_infos: [{ ip_addresses: [{ ip_address: '172.17.0.2' }], port_mappings: [{ host_port: 31000, container_port: 80 }] }] } }],
      },
      {
        id: 'db.1', name: 'db', slave_id: 'M-S0', state: 'TASK_RUNNING',
        statuses: [{ state: 'TASK_RUNNING', timestamp: 1, container_status: { network_infos: [{ name: 'dcos', ip_addresses: [{ ip_address: '198.19.0.5' }] }] } }],
      },
      { id: 'gone.1', name: 'gone', slave_id: 'M-S0', state: 'TASK_FINISHED', statuses: [] },
    ],
  }],
};

t.test('thisdcos.directory names and PTRs', async (t) => {
  const { snapshot, problems } = decodeMasterState(state);
  t.same(problems, []);
  const r = generateDcosRecords(snapshot, { domain: 'mesos', enforceRFC952: false, ipSources: ['netinfo', 'mesos', 'host'], masters: ['198.18.0.10:5050', '198.18.0.12:5050'], vipRange: '198.18.128.0/17' });
  const get = (n: string) => [...(r.addresses.get(n) ?? [])].sort();
  const vip = deriveVips(snapshot, { namedRange: '198.18.128.0/17' }).vips.find((v) => v.name === 'web.marathon.l4lb.thisdcos.directory');
  t.ok(vip, 'the shared derivation names the VIP');
  t.same(get('web.marathon.l4lb.thisdcos.directory.'), [vip!.ip], 'VIP name → the derived address');
  t.match(vip!.ip, /^198\.18\.(1[2-9][0-9]|2[0-5][0-9])\./, 'inside the configured range');
  t.same(get('web.marathon.agentip.dcos.thisdcos.directory.'), ['198.18.0.11']);
  t.same(get('web.marathon.containerip.dcos.thisdcos.directory.'), ['172.17.0.2']);
  t.same(get('web.marathon.autoip.dcos.thisdcos.directory.'), ['198.18.0.11'], 'host-port mapped → agent IP');
  t.same(get('db.marathon.autoip.dcos.thisdcos.directory.'), ['198.19.0.5'], 'overlay task → its own IP');
  t.same(get('leader.dcos.thisdcos.directory.'), ['198.18.0.10']);
  t.same(get('master.dcos.thisdcos.directory.'), ['198.18.0.10', '198.18.0.12']);
  t.notOk(r.addresses.has('gone.marathon.agentip.dcos.thisdcos.directory.'), 'finished task has no name');
  t.same([...(r.ptrs.get('11.0.18.198.in-addr.arpa.') ?? [])], ['agent-1.lab.'], 'agent IP → agent host name');
  t.same([...(r.ptrs.get('5.0.19.198.in-addr.arpa.') ?? [])].length, 1);
  t.match([...(r.ptrs.get('5.0.19.198.in-addr.arpa.') ?? [])][0], /^db-[a-z0-9]{5}-s0\.marathon\.mesos\.$/, 'task IP → canonical task name');
});

t.test('fixture: IPv6 agent gets an ip6.arpa PTR; IP-named agents point at slave.<domain>', async (t) => {
  const r = generateDcosRecords(fakeSnapshot(), { domain: 'mesos', enforceRFC952: false, ipSources: ['netinfo', 'mesos', 'host'], masters: [] });
  t.same([...(r.ptrs.get('10.3.2.1.in-addr.arpa.') ?? [])], ['slave.mesos.']);
  const v6 = [...r.ptrs.keys()].find((k) => k.endsWith('ip6.arpa.') && k.startsWith('1.0.0.0'));
  t.ok(v6, 'PTR for 2001:db8::1');
  t.same([...(r.addresses.get('toy-store.ipv6-framework.containerip.dcos.thisdcos.directory.') ?? [])], ['12.0.1.3', '12.0.1.2', 'fd01:b::1:8000:2']);
});
