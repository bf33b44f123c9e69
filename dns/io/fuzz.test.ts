// Bad input over the wire: 100k malformed, truncated, oversized and random UDP packets plus garbage
// and half-frames on TCP, in bounded time; then the server must still answer normally.
import t from 'tap';
import dgram from 'node:dgram';
import net from 'node:net';
import dns2 from 'dns2';
import { startDaemon } from './daemon.js';
import { handleMessage } from './dns-server.js';
import { parseConfig } from '../config.js';
import { QTYPE } from '../resolve.js';
import { queryPacket, seeded } from '../testing/packets.js';
import { fakeSnapshot } from '../testing/fixtures.js';
import { silentLogger } from '../../src/io/logger.js';

t.test('100k mutated packets, then normal answers', async (t) => {
  const cfg = parseConfig({ masters: ['127.0.0.1:5050'], Listener: '127.0.0.1', Port: 0, HttpOn: false, ExternalOn: false });
  if (!cfg.ok) throw new Error(JSON.stringify(cfg.error));
  const d = await startDaemon({ config: cfg.value, logger: silentLogger, version: 't', masterUrls: [] });
  t.teardown(() => d.close());
  await d.applySnapshot(fakeSnapshot());
  const port = d.udpPort!;
  const rnd = seeded(2024);
  const seeds = [queryPacket(1, 'chronos.marathon.mesos.', QTYPE.A), queryPacket(2, '_liquor-store._tcp.marathon.mesos.', QTYPE.SRV, { edns: 4096 }), queryPacket(3, 'x.example.', QTYPE.ANY)];
  const mutate = (i: number): Buffer => {
    const base = seeds[i % seeds.length]!;
    switch (i % 5) {
      case 0: return Buffer.from(Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)));
      case 1: return base.subarray(0, Math.floor(rnd() * base.length));
      case 2: return Buffer.concat([base, Buffer.alloc(1000 + Math.floor(rnd() * 3000), 0xc0)]);
      default: {
        const b = Buffer.from(base);
        for (let k = 0; k < 1 + Math.floor(rnd() * 4); k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
        return b;
      }
    }
  };
  // 1. 100k mutated messages through the listeners' own handler (fast path, dns2 slow path,
  //    error replies), without the kernel dropping any of them.
  const started = performance.now();
  const TOTAL = 100_000;
  const outcomes = { reply: 0, silent: 0 };
  for (let i = 0; i < TOTAL; i++) {
    const out = await handleMessage(d.engine, mutate(i), i % 7 === 0 ? 'tcp' : 'udp', 1000, silentLogger);
    if (out) outcomes.reply++;
    else outcomes.silent++;
  }
  const elapsed = performance.now() - started;
  t.ok(elapsed < 60_000, `handled ${TOTAL} mutated messages in ${(elapsed / 1000).toFixed(1)} s`);
  t.ok(outcomes.reply > 10_000 && outcomes.silent > 1000, `replies ${outcomes.reply}, dropped ${outcomes.silent}`);

  // 2. The same kind of traffic over the sockets: 10k UDP datagrams, paced to the server.
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  let replies = 0;
  sock.on('message', () => replies++);
  const stats = d.engine.stats;
  const before = stats.packets;
  const SOCKET_TOTAL = 10_000;
  for (let i = 0; i < SOCKET_TOTAL; i += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, k) => new Promise<void>((r) => sock.send(mutate(TOTAL + i + k), port, '127.0.0.1', () => r()))));
    const deadline = performance.now() + 50;
    while (stats.packets - before < i + 100 && performance.now() < deadline) await new Promise((r) => setImmediate(r));
  }
  t.ok(stats.packets - before >= SOCKET_TOTAL * 0.8, `the server read ${stats.packets - before} of ${SOCKET_TOTAL} datagrams`);
  t.ok(replies > 1000, `and kept replying (${replies} replies)`);
  t.comment(`phase 2 done at ${((performance.now() - started) / 1000).toFixed(1)} s`);
  sock.close();

  // 3. TCP: garbage, a frame announcing more bytes than sent, and frames of random bytes.
  for (let c = 0; c < 20; c++) {
    const s = net.connect(d.tcpPort!, '127.0.0.1');
    await new Promise<void>((r) => s.once('connect', () => r()));
    s.write(c % 2 ? Buffer.from([0xff, 0xff, 1, 2, 3]) : Buffer.concat([Buffer.from([0, 40]), Buffer.from(Array.from({ length: 40 }, () => Math.floor(rnd() * 256)))]));
    s.destroy();
  }

  t.comment(`phase 3 done at ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const udpClient = dns2.UDPClient({ dns: '127.0.0.1', port, timeout: 3000 });
  t.same((await udpClient('chronos.marathon.mesos', 'A')).answers.map((a: any) => a.address), ['1.2.3.11'], 'UDP still answers');
  const tcpClient = dns2.TCPClient({ dns: '127.0.0.1', port: d.tcpPort! });
  t.same((await tcpClient('leader.mesos', 'A')).answers.map((a: any) => a.address), ['1.2.3.4'], 'TCP still answers');
});
