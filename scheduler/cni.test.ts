import t from 'tap';
import { cniEnv, findCniNetwork, parseCniConf, parseCniOutput, pluginStdin, resultAddresses } from './cni.js';

t.test('configuration files: .conf is one plugin, .conflist a chain; first match by name in file order', async (t) => {
  const conf = parseCniConf('10-dcos.conf', JSON.stringify({ cniVersion: '0.4.0', name: 'dcos', type: 'bridge', bridge: 'm-dcos' }));
  t.ok(conf.ok && conf.value.plugins.length === 1 && conf.value.plugins[0]!.type === 'bridge' && conf.value.cniVersion === '0.4.0');
  const list = parseCniConf('20-x.conflist', JSON.stringify({ name: 'x', plugins: [{ type: 'bridge' }, { type: 'portmap' }] }));
  t.ok(list.ok && list.value.plugins.map((p) => p.type).join() === 'bridge,portmap' && list.value.cniVersion === '1.0.0');
  const bad: Array<[string, string, RegExp]> = [
    ['a.conf', '{', /not JSON/], ['a.conf', '{"type":"bridge"}', /missing "name"/], ['a.conflist', '{"name":"x","plugins":[]}', /non-empty/],
    ['a.conf', '{"name":"x","type":"../evil"}', /needs a "type"/],
  ];
  for (const [f, text, re] of bad) { const r = parseCniConf(f, text); t.ok(!r.ok && re.test(r.error), `${f} ${text}`); }
  const files = [
    { name: '99-dcos.conf', text: '{"name":"dcos","type":"second"}' }, { name: '10-dcos.conf', text: '{"name":"dcos","type":"first"}' },
    { name: 'README', text: 'nope' }, { name: '05-broken.conf', text: '{' },
  ];
  const found = findCniNetwork(files, 'dcos');
  t.ok(found.ok && found.value.plugins[0]!.type === 'first');
  const missing = findCniNetwork(files, 'other');
  t.ok(!missing.ok && /no CNI configuration for network 'other'/.test(missing.error) && /05-broken/.test(missing.error));
});

t.test('environment and stdin follow the spec', async (t) => {
  t.same(cniEnv({ command: 'ADD', containerId: 'c1', netnsPath: '/var/run/netns/x', ifName: 'eth0', pluginDir: '/a:/b', args: { K: 'V', K2: 'V2' } }),
    { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1', CNI_NETNS: '/var/run/netns/x', CNI_IFNAME: 'eth0', CNI_PATH: '/a:/b', CNI_ARGS: 'K=V;K2=V2' });
  const net = { name: 'dcos', cniVersion: '1.0.0', file: 'f', plugins: [{ type: 'bridge', capabilities: { portMappings: true }, mtu: 1420 }] };
  const stdin = JSON.parse(pluginStdin(net, net.plugins[0]!, { cniVersion: '1.0.0', ips: [] }));
  t.same(stdin, { type: 'bridge', mtu: 1420, cniVersion: '1.0.0', name: 'dcos', prevResult: { cniVersion: '1.0.0', ips: [] } }, 'capabilities removed, name/version/prevResult injected');
});

t.test('plugin output: results, error JSON, garbage', async (t) => {
  const r = parseCniOutput(0, JSON.stringify({ cniVersion: '1.0.0', ips: [{ address: '198.19.1.5/24', gateway: '198.19.1.1', interface: 0 }, { address: 'fd01::5/64' }] }), '');
  t.ok(r.ok);
  if (r.ok) t.same(resultAddresses(r.value), ['198.19.1.5', 'fd01::5']);
  const e = parseCniOutput(1, JSON.stringify({ cniVersion: '1.0.0', code: 7, msg: 'bad conf', details: 'x' }), '');
  t.ok(!e.ok && e.error === 'CNI error 7: bad conf (x)');
  const plain = parseCniOutput(2, '', 'segfault');
  t.ok(!plain.ok && /exited 2: segfault/.test(plain.error));
  t.ok(!parseCniOutput(0, 'not json', '').ok);
  const empty = parseCniOutput(0, '', '');
  t.ok(empty.ok && empty.value === undefined, 'DEL prints nothing');
});
