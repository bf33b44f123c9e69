import t from 'tap';
import {
  parseIp, isIp, isIPv4, isIPv6, normalizeIp, ipFamily, parseCidr, cidrContains, offsetInCidr, cidrsOverlap,
  ipv4ToInt, intToIpv4, addressCount, nthAddress, lastAddress, subnetCount, subnetAt, subnetIndexOf,
  compareIps, reverseName,
} from './ip.js';

t.test('parseIp / predicates', async (t) => {
  const cases: [string, string | undefined, 4 | 6 | undefined][] = [
    ['1.2.3.4', '1.2.3.4', 4],
    [' 10.0.0.1 ', '10.0.0.1', 4],
    ['255.255.255.255', '255.255.255.255', 4],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1', 6],
    ['::', '::', 6],
    ['::ffff:1.2.3.4', '::ffff:102:304', 6],
    ['1', undefined, undefined],
    ['1.2.3', undefined, undefined],
    ['010.0.0.1', undefined, undefined],
    ['256.1.1.1', undefined, undefined],
    ['fe80::1%eth0', undefined, undefined],
    ['', undefined, undefined],
    ['example.com', undefined, undefined],
    ['1.2.3.4/8', undefined, undefined],
  ];
  for (const [input, norm, fam] of cases) {
    t.equal(normalizeIp(input), norm, `normalize ${input}`);
    t.equal(ipFamily(input), fam, `family ${input}`);
    t.equal(isIp(input), norm !== undefined, `isIp ${input}`);
    t.equal(isIPv4(input), fam === 4, `isIPv4 ${input}`);
    t.equal(isIPv6(input), fam === 6, `isIPv6 ${input}`);
    const r = parseIp(input, 'x.ip');
    if (norm) t.same(r, { ok: true, value: { address: norm, family: fam } });
    else t.match(r, { ok: false, error: { path: 'x.ip', message: /not an IP address/ } });
  }
  t.equal(isIp(undefined as unknown as string), false, 'non-string is not an IP');
});

t.test('parseCidr', async (t) => {
  t.same(parseCidr('9.0.0.0/8'), { ok: true, value: { network: '9.0.0.0', prefixLength: 8, family: 4, text: '9.0.0.0/8' } });
  t.same(parseCidr('9.1.2.3/8').ok && parseCidr('9.1.2.3/8'), { ok: true, value: { network: '9.0.0.0', prefixLength: 8, family: 4, text: '9.0.0.0/8' } });
  t.match(parseCidr('9.1.2.3/8', 'net', { strict: true }), { ok: false, error: { path: 'net', message: /host bits/ } });
  t.same(parseCidr('fd00::1/64'), { ok: true, value: { network: 'fd00::', prefixLength: 64, family: 6, text: 'fd00::/64' } });
  t.same(parseCidr('0.0.0.0/0'), { ok: true, value: { network: '0.0.0.0', prefixLength: 0, family: 4, text: '0.0.0.0/0' } });
  for (const bad of ['9.0.0.0', '9.0.0.0/33', 'fd00::/129', '9/8', '9.0.0.0/-1', '9.0.0.0/8/8', 'x/8', '', '9.0.0.0/ 8']) {
    t.equal(parseCidr(bad).ok, false, `rejects ${JSON.stringify(bad)}`);
  }
});

t.test('containment and overlap', async (t) => {
  t.ok(cidrContains('198.18.0.0/15', '198.19.255.255'));
  t.notOk(cidrContains('198.18.0.0/15', '198.20.0.0'));
  t.notOk(cidrContains('198.18.0.0/15', '::1'), 'family mismatch');
  t.notOk(cidrContains('bogus', '1.2.3.4'));
  t.ok(cidrContains('fd00::/8', 'fdff::1'));
  t.equal(offsetInCidr('198.19.0.0/16', '198.19.1.2'), 258);
  t.equal(offsetInCidr('198.19.0.0/16', '198.20.0.0'), undefined);
  t.ok(cidrsOverlap('9.0.0.0/8', '9.1.0.0/16'));
  t.ok(cidrsOverlap('9.1.0.0/16', '9.0.0.0/8'));
  t.notOk(cidrsOverlap('9.0.0.0/8', '11.0.0.0/8'));
  t.notOk(cidrsOverlap('9.0.0.0/8', '::/0'));
});

t.test('ipv4 <-> int', async (t) => {
  t.equal(ipv4ToInt('1.2.3.4'), 0x01020304);
  t.equal(ipv4ToInt('255.255.255.255'), 0xffffffff);
  t.equal(ipv4ToInt('::1'), undefined);
  t.equal(intToIpv4(0x01020304), '1.2.3.4');
  t.equal(intToIpv4(0), '0.0.0.0');
  t.equal(intToIpv4(-1), undefined);
  t.equal(intToIpv4(2 ** 32), undefined);
  t.equal(intToIpv4(1.5), undefined);
  for (const ip of ['198.18.0.11', '11.255.0.1', '0.0.0.255']) t.equal(intToIpv4(ipv4ToInt(ip)!), ip, `round trip ${ip}`);
});

t.test('nthAddress / counts', async (t) => {
  t.equal(nthAddress('198.19.1.0/24', 0), '198.19.1.0');
  t.equal(nthAddress('198.19.1.0/24', 1), '198.19.1.1');
  t.equal(nthAddress('198.19.1.0/24', 255), '198.19.1.255');
  t.equal(nthAddress('198.19.1.0/24', 256), undefined, 'exhausted is a value');
  t.equal(nthAddress('198.19.1.0/24', -1), '198.19.1.255');
  t.equal(nthAddress('198.19.1.0/24', -257), undefined);
  t.equal(lastAddress('11.0.0.0/8'), '11.255.255.255');
  t.equal(nthAddress('fd00::/64', 257), 'fd00::101');
  t.equal(nthAddress('9.0.0.0/8', 256 * 256 + 3), '9.1.0.3');
  t.equal(addressCount('198.18.0.0/20'), 4096);
  t.equal(addressCount('nope'), 0);
});

t.test('subnets', async (t) => {
  t.equal(subnetCount('9.0.0.0/8', 24), 65536);
  t.equal(subnetCount('9.0.0.0/8', 8), 1);
  t.equal(subnetCount('9.0.0.0/8', 7), 0);
  t.equal(subnetCount('9.0.0.0/8', 33), 0);
  t.same(subnetAt('9.0.0.0/8', 24, 0), { network: '9.0.0.0', prefixLength: 24, family: 4, text: '9.0.0.0/24' });
  t.equal(subnetAt('9.0.0.0/8', 24, 3)?.text, '9.0.3.0/24');
  t.equal(subnetAt('9.0.0.0/8', 24, 256)?.text, '9.1.0.0/24');
  t.equal(subnetAt('9.0.0.0/8', 24, 65535)?.text, '9.255.255.0/24');
  t.equal(subnetAt('9.0.0.0/8', 24, 65536), undefined);
  t.equal(subnetAt('9.0.0.0/8', 24, -1), undefined);
  t.equal(subnetAt('198.19.0.0/24', 25, 1)?.text, '198.19.0.128/25');
  t.equal(subnetAt('fd00::/48', 64, 2)?.text, 'fd00:0:0:2::/64');
  t.equal(subnetIndexOf('9.0.0.0/8', 24, '9.1.0.77'), 256);
  t.equal(subnetIndexOf('9.0.0.0/8', 24, '10.0.0.1'), undefined);
  for (const i of [0, 7, 4095]) {
    const s = subnetAt('198.19.0.0/16', 28, i)!;
    t.equal(subnetIndexOf('198.19.0.0/16', 28, nthAddress(s, 5)!), i, `inverse at ${i}`);
  }
});

t.test('compareIps sorts v4 numerically, then v6, then junk', async (t) => {
  const sorted = ['::1', 'junk', '10.0.0.10', '10.0.0.9', '9.255.255.255', '2001:db8::', 'a'].sort(compareIps);
  t.same(sorted, ['9.255.255.255', '10.0.0.9', '10.0.0.10', '::1', '2001:db8::', 'a', 'junk']);
  t.equal(compareIps('1.2.3.4', '1.2.3.4'), 0);
  t.equal(compareIps('::1', '0:0::1'), 0);
});

t.test('reverseName', async (t) => {
  t.equal(reverseName('198.18.0.11'), '11.0.18.198.in-addr.arpa');
  t.equal(
    reverseName('2001:db8::567:89ab'),
    'b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
  );
  t.equal(reverseName('nope'), undefined);
});
