import t from 'tap';
import { DEFAULTS } from './config.js';
import { allocateAll, emptyTable } from './leases.js';
import { masterState, parseMasterState } from './state.js';

const { table } = allocateAll(emptyTable(), DEFAULTS, [{ id: 'M1', ip: '172.17.0.2' }, { id: 'S1', ip: '172.17.0.4' }]);

t.test('state body has the mesos overlay module shape', async (t) => {
  const s = masterState(table, DEFAULTS) as { network: Record<string, unknown>; agents: Record<string, unknown>[] };
  t.same(s.network, { vtep_subnet: '44.128.0.0/20', vtep_mac_oui: '70:B3:D5:00:00:00', overlays: [{ name: 'dcos', subnet: '9.0.0.0/8', prefix: 24, enabled: true }] });
  t.same(s.agents[1], {
    id: 'S1', ip: '172.17.0.4', configuration_attempts: 0,
    overlays: [{
      info: { name: 'dcos', subnet: '9.0.0.0/8', prefix: 24, enabled: true },
      subnet: '9.0.1.0/24',
      mesos_bridge: { name: 'm-dcos', ip: '9.0.1.0/25' },
      docker_bridge: { name: 'd-dcos', ip: '9.0.1.128/25' },
      backend: { vxlan: { vni: 1024, vtep_name: 'vtep1024', vtep_ip: '44.128.0.2/20', vtep_mac: '70:b3:d5:80:00:02' } },
      state: { status: 'STATUS_OK' },
    }],
  });
});

t.test('peers read back from our own state', async (t) => {
  const { peers, problems } = parseMasterState(JSON.parse(JSON.stringify(masterState(table, DEFAULTS))), 'dcos');
  t.same(problems, []);
  t.same(peers[0], { id: 'M1', ip: '172.17.0.2', subnet: '9.0.0.0/24', vtepIp: '44.128.0.1', vtepPrefix: 20, vtepMac: '70:b3:d5:80:00:01', vni: 1024, mesosBridge: '9.0.0.0/25', dockerBridge: '9.0.0.128/25' });
  t.equal(peers.length, 2);
});

t.test('tolerant: bad records are skipped with a problem, others used; ip:port stripped; not-OK skipped', async (t) => {
  const good = (ip: string, n: number, status = 'STATUS_OK') => ({
    ip, overlays: [{ info: { name: 'dcos' }, subnet: `9.0.${n}.0/24`, backend: { vxlan: { vni: 1024, vtep_ip: `44.128.0.${n + 1}/20`, vtep_mac: `70:B3:D5:80:00:0${n + 1}` } }, state: { status } }],
  });
  const body = {
    agents: [
      good('10.0.0.1:5051', 0),
      { ip: 'bogus', overlays: [] },
      { ...good('10.0.0.3', 2), overlays: [{ ...good('10.0.0.3', 2).overlays[0], subnet: '9.0.2.7/24' }] },
      good('10.0.0.4', 3, 'STATUS_FAILED'),
      { ip: '10.0.0.5', overlays: [{ info: { name: 'dcos6' } }] },
      good('10.0.0.6', 5),
    ],
  };
  const { peers, problems } = parseMasterState(body, 'dcos');
  t.same(peers.map((p) => p.ip), ['10.0.0.1', '10.0.0.6']);
  t.equal(peers[0]!.vtepMac, '70:b3:d5:80:00:01', 'MAC lower-cased');
  t.same(problems.map((p) => p.path), ['agents[1]', 'agents[2]']);
  t.same(parseMasterState('garbage', 'dcos').peers, []);
  t.equal(parseMasterState({}, 'dcos').problems.length, 1);
});
