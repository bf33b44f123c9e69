// Our hand-written wire encoder checked against an independent decoder (dns2's Packet.parse).
import t from 'tap';
import dns2 from 'dns2';
import { Engine } from '../engine.js';
import { QTYPE } from '../resolve.js';
import { queryPacket, seeded } from '../testing/packets.js';
import { resolverFixture } from '../testing/resolver-fixture.js';

const { Packet } = dns2;
const e = new Engine({ recurseOn: true, srvWeight: 1, setTruncateBit: true, externalOn: true, resolvers: [], zoneResolvers: {} }, seeded(5));
e.setZone(resolverFixture(1234).zone);

function ask(qname: string, qtype: number, edns?: number, transport: 'udp' | 'tcp' = 'udp') {
  const out = e.handle(queryPacket(77, qname, qtype, { edns }), transport);
  if (out.kind !== 'reply') throw new Error(`no reply for ${qname}`);
  return Packet.parse(out.bytes);
}

t.test('A, AAAA, SRV with additionals decode as sent', async (t) => {
  const a = ask('chronos.marathon.mesos.', QTYPE.A);
  t.equal(a.header.id, 77);
  t.equal(a.header.qr, 1);
  t.equal(a.header.aa, 1);
  t.equal(a.header.ra, 1);
  t.same(a.questions.map((q) => [q.name, q.type]), [['chronos.marathon.mesos', 1]]);
  t.same(a.answers.map((r: any) => [r.name, r.ttl, r.address]), [['chronos.marathon.mesos', 60, '1.2.3.11']]);
  const six = ask('toy-store.ipv6-framework.mesos.', QTYPE.AAAA);
  t.equal(six.answers.length, 1);
  t.match((six.answers[0] as any).address, /^fd01:b:0*:0*:0*:1:8000:2$|^fd01:b::1:8000:2$/);
  const srv = ask('_liquor-store._tcp.marathon.mesos.', QTYPE.SRV);
  t.same(srv.answers.map((r: any) => `${r.target}:${r.port}:${r.priority}:${r.weight}`).sort(), [
    'liquor-store-4dfjd-0.marathon.mesos:443:0:1', 'liquor-store-4dfjd-0.marathon.mesos:80:0:1',
    'liquor-store-zasmd-1.marathon.mesos:443:0:1', 'liquor-store-zasmd-1.marathon.mesos:80:0:1',
  ]);
  t.same(srv.additionals.map((r: any) => `${r.name} ${r.address}`).sort(), ['liquor-store-4dfjd-0.marathon.mesos 10.3.0.1', 'liquor-store-zasmd-1.marathon.mesos 10.3.0.2']);
});

t.test('SOA/NS in authority; NXDOMAIN; EDNS OPT echoed', async (t) => {
  const nx = ask('missing.mesos.', QTYPE.A, 4096);
  t.equal(nx.header.rcode, 3);
  const soa = nx.authorities[0] as any;
  t.match(soa, { name: 'missing.mesos', type: Packet.TYPE.SOA, primary: 'ns1.mesos', admin: 'root.ns1.mesos', serial: 1234, refresh: 60, retry: 600, expiration: 86400, minimum: 60 });
  t.equal(nx.additionals.filter((r: any) => r.type === Packet.TYPE.EDNS).length, 1, 'OPT in additional');
  const ns = ask('x.mesos.', QTYPE.NS);
  t.same(ns.authorities.map((r: any) => [r.name, r.ns]), [['x.mesos', 'ns1.mesos']]);
});

t.test('mixed-case question: echoed as sent, A owner lower-cased', async (t) => {
  const r = ask('cHrOnOs.MARATHON.mesoS.', QTYPE.A);
  t.equal(r.questions[0]!.name, 'cHrOnOs.MARATHON.mesoS');
  t.equal((r.answers[0] as any).name, 'chronos.marathon.mesos');
});

t.test('ANY: SRV+A+AAAA answers, NS and SOA in authority', async (t) => {
  const tcp = ask('slave.mesos.', QTYPE.ANY, undefined, 'tcp');
  t.ok(tcp.answers.length >= 4, 'ANY: A and AAAA of slave.mesos');
  t.same(tcp.authorities.map((r: any) => r.type).sort(), [Packet.TYPE.NS, Packet.TYPE.SOA].sort());
});
