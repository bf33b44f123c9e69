import t from 'tap';
import { Engine } from './engine.js';
import { QTYPE, RCODE } from './resolve.js';
import { parseQuery } from './wire.js';
import { emptyRecordSet, insertRR } from './records.js';
import { buildZone } from './zone.js';
import { queryPacket, seeded } from './testing/packets.js';
import { resolverFixture } from './testing/resolver-fixture.js';

const cfg = { recurseOn: false, srvWeight: 1, setTruncateBit: true, externalOn: true, resolvers: ['198.18.0.53'], zoneResolvers: {} };
const header = (b: Uint8Array) => ({ id: (b[0]! << 8) | b[1]!, qr: !!(b[2]! & 0x80), aa: !!(b[2]! & 4), tc: !!(b[2]! & 2), rd: !!(b[2]! & 1), rcode: b[3]! & 15, an: (b[6]! << 8) | b[7]!, ns: (b[8]! << 8) | b[9]!, ar: (b[10]! << 8) | b[11]! });

t.test('SERVFAIL until a zone is loaded, then answers; the cache serves repeats', async (t) => {
  const e = new Engine(cfg, seeded(1));
  const out0 = e.handle(queryPacket(7, 'leader.mesos.', QTYPE.A), 'udp');
  t.equal(out0.kind, 'reply');
  if (out0.kind === 'reply') t.match(header(out0.bytes), { id: 7, qr: true, rcode: RCODE.SERVFAIL });
  e.setZone(resolverFixture().zone);
  for (const id of [1, 2, 65535]) {
    const out = e.handle(queryPacket(id, 'leader.mesos.', QTYPE.A, { rd: id !== 2 }), 'udp');
    if (out.kind !== 'reply') { t.fail('reply expected'); continue; }
    t.match(header(out.bytes), { id, qr: true, aa: true, rd: id !== 2, rcode: 0, an: 1 });
  }
  t.equal(e.stats.cacheHits, 2, 'second and third query served from the prepared answer');
  const fwd = e.handle(queryPacket(9, 'example.org.', QTYPE.A), 'udp');
  t.equal(fwd.kind, 'forward');
  if (fwd.kind === 'forward') t.same(fwd.resolvers, ['198.18.0.53']);
  e.setZone(resolverFixture(5).zone);
  t.equal(e.stats.cacheHits, 2);
  e.handle(queryPacket(1, 'leader.mesos.', QTYPE.A), 'udp');
  t.equal(e.stats.cacheHits, 2, 'a new zone starts a new cache');
});

t.test('EDNS0 echo, truncation at 512 and at the client size', async (t) => {
  const e = new Engine(cfg, seeded(2));
  const rs = emptyRecordSet();
  for (let i = 1; i <= 100; i++) insertRR(rs, 'app.mesos.', `198.19.0.${i}`, 'A');
  e.setZone(buildZone(rs, undefined, { domain: 'mesos', ttl: 60, dcosTtl: 5, soaMname: 'ns1.mesos', soaRname: 'root.ns1.mesos', soaRefresh: 60, soaRetry: 600, soaExpire: 86400, serial: 1 }));
  const reply = (edns: number | undefined, transport: 'udp' | 'tcp') => {
    const out = e.handle(queryPacket(3, 'app.mesos.', QTYPE.A, { edns }), transport);
    if (out.kind !== 'reply') throw new Error('reply expected');
    return { ...header(out.bytes), size: out.bytes.length };
  };
  const plain = reply(undefined, 'udp');
  t.match(plain, { tc: true, ar: 0 });
  t.ok(plain.size === 507 && plain.an === 30, `no EDNS: ${plain.an} answers in ${plain.size} bytes (mesos-dns measured: 30 in 507 for a 100-record name of this length)`);
  const e1232 = reply(1232, 'udp');
  t.match(e1232, { tc: true, ar: 1 }, 'OPT kept when truncating');
  t.ok(e1232.size <= 1232 && e1232.an > 30 && e1232.an < 100, `EDNS 1232: ${e1232.an} answers in ${e1232.size} bytes`);
  t.match(reply(4096, 'udp'), { tc: false, an: 100, ar: 1 });
  t.match(reply(undefined, 'tcp'), { tc: false, an: 100 });
  const noTc = new Engine({ ...cfg, setTruncateBit: false }, seeded(2));
  noTc.setZone(e.currentZone()!);
  const out = noTc.handle(queryPacket(3, 'app.mesos.', QTYPE.A), 'udp');
  t.ok(out.kind === 'reply' && !header(out.bytes).tc && header(out.bytes).an === 30, 'SetTruncateBit=false: cut, TC clear');
  const p = parseQuery(queryPacket(3, 'x.', QTYPE.A, { edns: 1232 }));
  t.ok(p.kind === 'query' && p.query.edns?.udpSize === 1232);
});

t.test('fuzz: 100k mutated packets never throw, and normal answers still work', async (t) => {
  const e = new Engine(cfg, seeded(3));
  e.setZone(resolverFixture().zone);
  const rnd = seeded(99);
  const seeds = [queryPacket(1, 'chronos.marathon.mesos.', QTYPE.A), queryPacket(2, '_liquor-store._tcp.marathon.mesos.', QTYPE.SRV, { edns: 4096 }), queryPacket(3, 'x.example.', QTYPE.ANY)];
  const kinds = new Map<string, number>();
  let thrown = 0;
  for (let i = 0; i < 100_000; i++) {
    const base = seeds[i % seeds.length]!;
    let b: Buffer;
    const mode = i % 4;
    if (mode === 0) b = Buffer.from(Array.from({ length: Math.floor(rnd() * 80) }, () => Math.floor(rnd() * 256)));
    else if (mode === 1) b = base.subarray(0, Math.floor(rnd() * base.length));
    else {
      b = Buffer.from(base);
      for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      if (mode === 3) b = Buffer.concat([b, Buffer.alloc(Math.floor(rnd() * 600), Math.floor(rnd() * 256))]);
    }
    try {
      const out = e.handle(b, rnd() < 0.5 ? 'udp' : 'tcp');
      kinds.set(out.kind, (kinds.get(out.kind) ?? 0) + 1);
    } catch {
      thrown++;
    }
  }
  t.equal(thrown, 0, 'no exception escaped');
  t.ok((kinds.get('reply') ?? 0) > 1000 && (kinds.get('drop') ?? 0) > 1000, `outcomes ${JSON.stringify([...kinds])}`);
  const out = e.handle(queryPacket(42, 'chronos.marathon.mesos.', QTYPE.A), 'udp');
  t.ok(out.kind === 'reply' && header(out.bytes).an === 1 && header(out.bytes).id === 42);
});

t.test('0x20 case: each spelling is cached under its own bytes and its reply echoes the question as sent', async (t) => {
  const e = new Engine(cfg, seeded(3));
  e.setZone(resolverFixture().zone);
  const spellings = ['leader.mesos.', 'LeAdEr.MeSoS.', 'lEaDeR.mEsOs.'];
  for (const round of [0, 1]) {
    for (const [i, name] of spellings.entries()) {
      const q = queryPacket(100 + i, name, QTYPE.A);
      const out = e.handle(q, 'udp');
      if (out.kind !== 'reply') { t.fail('reply expected'); continue; }
      t.match(header(out.bytes), { id: 100 + i, rcode: 0, an: 1 }, `${name} round ${round}`);
      t.same([...out.bytes.subarray(12, q.length)], [...q.subarray(12)], `${name}: question echoed byte for byte`);
    }
  }
  t.equal(e.stats.cacheHits, 3, 'the second round is served from the three cached spellings');
});
