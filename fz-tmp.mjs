import dns2 from 'dns2';
import { Engine } from './dist/dns/engine.js';
import { wellFormed } from './dist/dns/wire.js';
import { queryPacket, seeded } from './dist/dns/testing/packets.js';
import { resolverFixture } from './dist/dns/testing/resolver-fixture.js';
const e = new Engine({ recurseOn: true, srvWeight: 1, setTruncateBit: true, externalOn: false, resolvers: [], zoneResolvers: {} }, seeded(1));
e.setZone(resolverFixture().zone);
const rnd = seeded(2024);
const seeds = [queryPacket(1, 'chronos.marathon.mesos.', 1), queryPacket(2, '_liquor-store._tcp.marathon.mesos.', 33, { edns: 4096 }), queryPacket(3, 'x.example.', 255)];
const mutate = (i) => { const base = seeds[i % seeds.length];
    switch (i % 5) {
      case 0: return Buffer.from(Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)));
      case 1: return base.subarray(0, Math.floor(rnd() * base.length));
      case 2: return Buffer.concat([base, Buffer.alloc(1000 + Math.floor(rnd() * 3000), 0xc0)]);
      default: { const b = Buffer.from(base); for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256); return b; } } };
let complex = 0;
for (let i = 0; i < 100000; i++) {
  const b = mutate(i);
  const out = e.handle(b, 'udp');
  if (out.kind === 'complex') {
    complex++;
    const t0 = performance.now();
    if (wellFormed(b)) { try { dns2.Packet.parse(b); } catch {} }
    const dt = performance.now() - t0;
    if (dt > 5) { console.log('slow', i, dt, b.toString('hex')); break; }
  }
}
console.log('complex', complex, performance.now());
