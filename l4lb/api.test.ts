import t from 'tap';
import { cliVips, dcosNetVips, metricsText, minutemanVips, ZERO_STATS } from './api.js';
import type { VipEntry } from './vip-table.js';

const vips: VipEntry[] = [
  { key: 'tcp://198.18.147.46:80', protocol: 'tcp', ip: '198.18.147.46', port: 80, name: 'web.marathon.l4lb.thisdcos.directory', backends: [{ ip: '198.18.0.13', port: 8080, weight: 1, taskIds: ['w.1'] }] },
  { key: 'tcp://198.18.128.10:80', protocol: 'tcp', ip: '198.18.128.10', port: 80, name: undefined, backends: [{ ip: '198.18.0.13', port: 31000, weight: 0, taskIds: ['a.1'] }, { ip: '198.18.0.13', port: 9000, weight: 1, taskIds: ['a.2'] }] },
];

t.test('CLI contract: sorted by vip, key order, name only for named VIPs', async (t) => {
  const out = cliVips(vips);
  t.equal(JSON.stringify(out), JSON.stringify([
    { vip: '198.18.128.10:80', protocol: 'tcp', backends: [{ ip: '198.18.0.13', port: 31000, weight: 0 }, { ip: '198.18.0.13', port: 9000, weight: 1 }] },
    { vip: '198.18.147.46:80', protocol: 'tcp', name: 'web.marathon.l4lb.thisdcos.directory', backends: [{ ip: '198.18.0.13', port: 8080, weight: 1 }] },
  ]));
});

t.test('dcos-net /v1/vips shows named VIPs by FQDN', async (t) => {
  t.same(dcosNetVips(vips).map((v) => v.vip), ['web.marathon.l4lb.thisdcos.directory:80', '198.18.128.10:80']);
  t.same(dcosNetVips(vips)[1]!.backend, [{ ip: '198.18.0.13', port: 31000 }, { ip: '198.18.0.13', port: 9000 }]);
});

t.test('Minuteman /vips shape with per-backend stats', async (t) => {
  const out = minutemanVips(vips, (ip, port) => (port === 9000 ? { ...ZERO_STATS, successes: 7, failures: 2, tripped: true } : undefined));
  const b = out.vips['198.18.128.10:80']!['198.18.0.13:9000'] as Record<string, unknown>;
  t.same([b.total_sucesses, b.total_failures, b.is_healthy], [7, 2, false]);
  t.equal((out.vips['198.18.128.10:80']!['198.18.0.13:31000'] as Record<string, unknown>).is_healthy, false, 'weight 0 is not healthy');
  t.equal((out.vips['198.18.147.46:80']!['198.18.0.13:8080'] as Record<string, unknown>).is_healthy, true);
});

t.test('metrics text', async (t) => {
  const text = metricsText({ packets: 3, ctNewEexist: 1 }, { vips: 2 });
  t.match(text, /^mesonet_l4lb_packets_total 3$/m);
  t.match(text, /^mesonet_l4lb_ct_new_eexist_total 1$/m);
  t.match(text, /^# TYPE mesonet_l4lb_vips gauge\nmesonet_l4lb_vips 2$/m);
});
