import t from 'tap';
import { parseRequest, renderError, renderResult, renderVersion, validIfname, validPath, SUPPORTED_VERSIONS } from './cni-spec.js';
import { renderNetworkConf } from './cni-conf.js';
import { hostVethName, macForIp } from './names.js';
import { parseConfig } from './config.js';
import { CNI_ERR } from './errors.js';

const cfg = (() => {
  const r = parseConfig({ overlays: [{ name: 'lab', subnet: '198.19.0.0/16', prefix: 24 }], vtep_subnet: '198.18.16.0/20', cni_data_dir: '/tmp/mn/data' });
  if (!r.ok) throw new Error('config');
  return r.value;
})();
const conf = renderNetworkConf(cfg, '198.19.3.0/24');
const env = (over: Record<string, string | undefined> = {}) => ({ CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1', CNI_NETNS: '/run/netns/x', CNI_IFNAME: 'eth0', ...over });
const codeOf = (r: ReturnType<typeof parseRequest>) => (r.ok ? 0 : r.error.error.code);

t.test('the rendered network conf parses into the request the plugin acts on', async (t) => {
  const c = JSON.parse(conf);
  t.same(c, {
    cniVersion: '1.0.0', name: 'lab', type: 'mesonet-cni', bridge: 'm-lab', isGateway: true, ipMasq: false, hairpinMode: true, mtu: 1420,
    ipam: { type: 'mesonet-cni', subnet: '198.19.3.0/25', gateway: '198.19.3.1', routes: [{ dst: '0.0.0.0/0' }], dataDir: '/tmp/mn/data' },
  });
  const r = parseRequest(env(), conf);
  t.ok(r.ok);
  if (!r.ok || r.value.command === 'VERSION') return;
  t.same(r.value, {
    command: 'ADD', containerId: 'c1', netns: '/run/netns/x', ifname: 'eth0',
    conf: { cniVersion: '1.0.0', name: 'lab', bridge: 'm-lab', mtu: 1420, hairpinMode: true, subnet: '198.19.3.0/25', gateway: '198.19.3.1', routes: [{ dst: '0.0.0.0/0' }], dataDir: '/tmp/mn/data', prevAddress: undefined },
  });
});

t.test('VERSION needs nothing but the command', async (t) => {
  const r = parseRequest({ CNI_COMMAND: 'VERSION' }, '{"cniVersion":"0.4.0"}');
  t.same(r.ok && r.value, { command: 'VERSION', cniVersion: '0.4.0' });
  t.same(JSON.parse(renderVersion('1.0.0')), { cniVersion: '1.0.0', supportedVersions: [...SUPPORTED_VERSIONS] });
  t.same(parseRequest({ CNI_COMMAND: 'VERSION' }, '').ok, true, 'empty stdin is fine for VERSION');
});

t.test('environment problems are code 4 and name every variable', async (t) => {
  const r = parseRequest(env({ CNI_CONTAINERID: '../etc', CNI_IFNAME: 'a/b', CNI_NETNS: '/run/netns/../../etc/passwd' }), conf);
  t.equal(codeOf(r), CNI_ERR.INVALID_ENV);
  if (!r.ok) t.match(r.error.error.msg, /CNI_CONTAINERID, CNI_IFNAME, CNI_NETNS/);
  t.equal(codeOf(parseRequest(env({ CNI_COMMAND: 'FROB' }), conf)), 4);
  t.equal(codeOf(parseRequest(env({ CNI_COMMAND: undefined }), conf)), 4);
  t.equal(codeOf(parseRequest(env({ CNI_NETNS: undefined }), conf)), 4, 'ADD needs a netns');
  t.equal(codeOf(parseRequest(env({ CNI_COMMAND: 'DEL', CNI_NETNS: undefined }), conf)), 0, 'DEL does not');
  t.equal(codeOf(parseRequest(env({ CNI_IFNAME: 'averyveryverylongname' }), conf)), 4);
  t.equal(codeOf(parseRequest(env({ CNI_CONTAINERID: '' }), conf)), 4);
});

t.test('names and paths', async (t) => {
  for (const ok of ['eth0', 'net1', 'a.b-c_d']) t.ok(validIfname(ok), ok);
  for (const bad of ['', '.', '..', 'a b', 'a/b', 'a:b', '0123456789abcdef']) t.notOk(validIfname(bad), JSON.stringify(bad));
  for (const ok of ['/run/netns/x', '/proc/123/ns/net', '/var/run/netns/cni-1234']) t.ok(validPath(ok), ok);
  for (const bad of ['run/netns/x', '/', '/a/../b', '/a/./b', '/a//b', '/a/b/', '/a\nb', '/a b', '']) t.notOk(validPath(bad), JSON.stringify(bad));
});

t.test('stdin problems: decode 6, config 7, version 1, unsupported field 2', async (t) => {
  t.equal(codeOf(parseRequest(env(), '{not json')), CNI_ERR.DECODE_FAILURE);
  t.equal(codeOf(parseRequest(env(), '[1]')), CNI_ERR.DECODE_FAILURE);
  const c = JSON.parse(conf);
  const with_ = (o: Record<string, unknown>) => JSON.stringify({ ...c, ...o });
  t.equal(codeOf(parseRequest(env(), with_({ cniVersion: '9.9.9' }))), CNI_ERR.INCOMPATIBLE_VERSION);
  t.equal(codeOf(parseRequest(env(), with_({ cniVersion: undefined }))), CNI_ERR.INVALID_CONFIG);
  t.equal(codeOf(parseRequest(env(), with_({ ipam: { ...c.ipam, dataDir: '/var/../etc' } }))), CNI_ERR.INVALID_CONFIG);
  t.equal(codeOf(parseRequest(env(), with_({ name: '../../x' }))), CNI_ERR.INVALID_CONFIG);
  t.equal(codeOf(parseRequest(env(), with_({ ipam: { ...c.ipam, type: 'host-local' } }))), CNI_ERR.INVALID_CONFIG);
  t.equal(codeOf(parseRequest(env(), with_({ ipam: { ...c.ipam, gateway: '10.0.0.1' } }))), CNI_ERR.INVALID_CONFIG);
  t.equal(codeOf(parseRequest(env(), with_({ bridge: 'x y' }))), CNI_ERR.INVALID_CONFIG);
  const masq = parseRequest(env(), with_({ ipMasq: true }));
  t.equal(codeOf(masq), CNI_ERR.UNSUPPORTED_FIELD);
  if (!masq.ok) t.match(masq.error.error.msg, /ipMasq=true/, 'names the key and value');
  t.equal(codeOf(parseRequest(env({ CNI_COMMAND: 'CHECK' }), conf)), CNI_ERR.INVALID_CONFIG, 'CHECK needs prevResult');
  t.equal(codeOf(parseRequest(env({ CNI_COMMAND: 'CHECK' }), with_({ cniVersion: '0.3.1', prevResult: { ips: [{ address: '198.19.3.2/25' }] } }))), CNI_ERR.INCOMPATIBLE_VERSION);
  const chk = parseRequest(env({ CNI_COMMAND: 'CHECK' }), with_({ prevResult: { ips: [{ address: '198.19.3.2/25' }] } }));
  t.equal(chk.ok && chk.value.command !== 'VERSION' && chk.value.conf.prevAddress, '198.19.3.2/25');
  const bad = parseRequest(env(), with_({ cniVersion: '0.4.0', mtu: 5 }));
  t.equal(!bad.ok && bad.error.cniVersion, '0.4.0', 'errors echo the requested version');
});

t.test('result and error JSON per spec', async (t) => {
  const r = { interfaces: [{ name: 'm-lab', mac: 'aa' }, { name: 'veth1', mac: 'bb' }, { name: 'eth0', mac: 'cc', sandbox: '/run/netns/x' }], ips: [{ address: '198.19.3.2/25', gateway: '198.19.3.1', interface: 2 }], routes: [{ dst: '0.0.0.0/0', gw: '198.19.3.1' }] };
  t.same(JSON.parse(renderResult('1.0.0', r)), { cniVersion: '1.0.0', ...r, dns: {} });
  t.same(JSON.parse(renderResult('0.4.0', r)).ips, [{ version: '4', address: '198.19.3.2/25', gateway: '198.19.3.1', interface: 2 }]);
  t.same(JSON.parse(renderError('1.0.0', { code: 7, msg: 'bad' })), { cniVersion: '1.0.0', code: 7, msg: 'bad' });
  t.same(JSON.parse(renderError('1.0.0', { code: 100, msg: 'full', details: 'x' })), { cniVersion: '1.0.0', code: 100, msg: 'full', details: 'x' });
});

t.test('derived names', async (t) => {
  const v = hostVethName('c1', 'eth0');
  t.match(v, /^veth[0-9a-f]{8}$/);
  t.equal(hostVethName('c1', 'eth0'), v, 'stable');
  t.not(hostVethName('c2', 'eth0'), v);
  t.equal(macForIp('198.19.3.2'), '0a:58:c6:13:03:02');
});
