import t from 'tap';
import { DEFAULTS, parseConfig, toFileShape, withOverrides } from './config.js';

t.test('empty config gives the DC/OS defaults', async (t) => {
  const r = parseConfig({});
  t.ok(r.ok);
  if (!r.ok) return;
  t.same(r.value, DEFAULTS);
  t.equal(r.value.subnet, '9.0.0.0/8');
  t.equal(r.value.prefix, 24);
  t.equal(r.value.vtepSubnet, '44.128.0.0/20');
  t.equal(r.value.vni, 1024);
  t.equal(r.value.udpPort, 64000);
  t.equal(r.value.mtu, 1420);
  t.equal(r.value.vtepName, 'vtep1024');
  t.equal(r.value.mesosBridgeName, 'm-dcos');
  t.ok(Object.isFrozen(DEFAULTS));
});

t.test('mesos module files parse: master.json network and agent.json network_config', async (t) => {
  const r = parseConfig({
    replicated_log_dir: '/var/lib/dcos/mesos/master/',
    network: {
      vtep_subnet: '198.18.16.0/20', vtep_subnet6: 'fd01:a::/64', vtep_mac_oui: '70:B3:D5:00:00:00',
      overlays: [{ name: 'lab', subnet: '198.19.0.0/16', prefix: 24 }, { name: 'dcos6', subnet6: 'fd01:b::/64', prefix6: 80 }],
    },
    network_config: { allocate_subnet: true, mesos_bridge: true, docker_bridge: true, overlay_mtu: 1400, enable_ipv6: false },
    cni_dir: '/tmp/x/cni', cni_data_dir: '/tmp/x/data',
  });
  t.ok(r.ok, r.ok ? '' : JSON.stringify(r.error));
  if (!r.ok) return;
  t.equal(r.value.name, 'lab');
  t.equal(r.value.subnet, '198.19.0.0/16');
  t.equal(r.value.vtepSubnet, '198.18.16.0/20');
  t.equal(r.value.mtu, 1400);
  t.equal(r.value.dockerBridge, true);
  t.equal(r.value.mesosBridgeName, 'm-lab');
  t.equal(r.value.dockerBridgeName, 'd-lab');
  t.equal(r.value.cniConfDir, '/tmp/x/cni');
});

t.test('every problem is reported at once', async (t) => {
  const r = parseConfig({
    overlays: [{ name: 'host', subnet: '9.0.0.1/8', prefix: 40 }],
    vtep_subnet: '9.1.0.0/20', vni: 0, udp_port: 70000, vtep_mac_oui: 'zz', overlay_mtu: 'big', bogus: 1, nat_chain: 'bad chain',
  });
  t.notOk(r.ok);
  if (r.ok) return;
  const paths = r.error.map((p) => p.path).sort();
  t.same(paths, ['bogus', 'nat_chain', 'overlay_mtu', 'overlays.prefix', 'overlays[0].name', 'overlays[0].subnet', 'udp_port', 'vni', 'vtep_mac_oui', 'vtep_subnet'].sort());
});

t.test('vtep subnet must not overlap the overlay', async (t) => {
  const r = parseConfig({ overlays: [{ name: 'x', subnet: '10.0.0.0/8', prefix: 24 }], vtep_subnet: '10.128.0.0/20' });
  t.notOk(r.ok);
  if (!r.ok) t.match(r.error[0]?.message, /overlaps/);
});

t.test('file shape round-trips and overrides re-validate', async (t) => {
  const r = parseConfig({ vtep_name: 'vx1', docker_bridge: true, vtep_mtu: 1450 });
  t.ok(r.ok);
  if (!r.ok) return;
  const again = parseConfig(toFileShape(r.value));
  t.same(again.ok && again.value, r.value);
  const o = withOverrides(r.value, { mesos_bridge_name: 'mb1', vni: 42 });
  t.ok(o.ok);
  if (o.ok) { t.equal(o.value.mesosBridgeName, 'mb1'); t.equal(o.value.vni, 42); t.equal(o.value.vtepName, 'vx1'); }
  const bad = withOverrides(r.value, { mesos_bridge_name: 'vx1' });
  t.notOk(bad.ok, 'bridge and vtep names must differ');
});

t.test('only one IPv4 overlay', async (t) => {
  const r = parseConfig({ overlays: [{ name: 'a', subnet: '10.0.0.0/8' }, { name: 'b', subnet: '11.0.0.0/8' }] });
  t.notOk(r.ok);
  t.notOk(parseConfig('nope').ok);
});
