// UDP and TCP listeners around the pure Engine: the engine's precomputed answers for everything
// its fast parser reads, dns2's full decoder (behind a structural check) for unusual query shapes,
// the 65535-byte limit on TCP. Forwarded queries go upstream verbatim (io/forward.ts).
// Nothing a client sends can stop the server: every handler is guarded, and an internal error
// answers SERVFAIL (mesos-dns: panicRecover).
import dgram from 'node:dgram';
import net from 'node:net';
import dns2 from 'dns2';
import type { Engine, Outcome, Transport } from '../engine.js';
import { encodeQuestion, errorReply, wellFormed, type Query } from '../wire.js';
import { RCODE } from '../resolve.js';
import { forward } from './forward.js';
import type { Logger } from '../../src/io/logger.js';

const { Packet } = dns2;

export interface DnsServerOptions {
  readonly host: string;
  /** 0 = ephemeral (tests). UDP and TCP share the number when both are free. */
  readonly port: number;
  readonly engine: Engine;
  /** Upstream timeout per resolver, ms (config Timeout × 1000). */
  readonly forwardTimeoutMs: number;
  readonly logger: Logger;
  readonly udp?: boolean;
  readonly tcp?: boolean;
}

export interface DnsServer {
  readonly udpPort: number | undefined;
  readonly tcpPort: number | undefined;
  close(): Promise<void>;
}

/** Decode an unusual query with dns2 and turn it into the engine's Query (first question only). */
function slowParse(msg: Buffer): Query | undefined {
  if (!wellFormed(msg)) return undefined;
  let p: InstanceType<typeof Packet>;
  try {
    p = Packet.parse(msg);
  } catch {
    return undefined;
  }
  const q = p.questions[0];
  if (!q || typeof q.name !== 'string') return undefined;
  const opt = p.additionals.find((r) => r && r.type === Packet.TYPE.EDNS);
  const qname = q.name.endsWith('.') ? q.name : `${q.name}.`;
  return {
    id: p.header.id, rd: !!p.header.rd, opcode: 0, qname, qtype: q.type, qclass: q.class,
    question: encodeQuestion(qname, q.type, q.class), edns: opt ? { udpSize: Number(opt.class) || 512 } : undefined,
  };
}

/**
 * Run one message through the engine exactly as the listeners do (fast path, dns2 slow path,
 * forwarding, SERVFAIL on internal errors); resolves to the reply bytes, or undefined for silence.
 */
export async function handleMessage(engine: Engine, msg: Buffer, transport: Transport, timeoutMs: number, log: Logger): Promise<Buffer | undefined> {
  const id = msg.length >= 2 ? msg.readUInt16BE(0) : 0;
  const rd = msg.length >= 3 && (msg[2]! & 1) === 1;
  try {
    let out: Outcome = engine.handle(msg, transport);
    if (out.kind === 'complex') {
      const q = slowParse(msg);
      out = q ? engine.handleQuery(q, transport) : { kind: 'reply', bytes: errorReply(id, rd, 0, RCODE.FORMERR) };
    }
    if (out.kind === 'drop') return undefined;
    if (out.kind === 'reply') return out.bytes;
    if (out.kind === 'forward') {
      const reply = await forward(msg, out.resolvers, transport, timeoutMs);
      return reply ?? errorReply(id, rd, 0, RCODE.SERVFAIL, out.query.question);
    }
    return undefined;
  } catch (e) {
    log.error('dns handler failed', { err: e });
    return errorReply(id, rd, 0, RCODE.SERVFAIL);
  }
}

function listenUdp(opts: DnsServerOptions): Promise<dgram.Socket> {
  const sock = dgram.createSocket({ type: net.isIPv6(opts.host) ? 'udp6' : 'udp4', reuseAddr: false });
  sock.on('message', (msg, rinfo) => {
    let fast: Outcome;
    try {
      fast = opts.engine.handle(msg, 'udp');
    } catch (e) {
      opts.logger.error('dns handler failed', { err: e });
      if (msg.length >= 12) sock.send(errorReply(msg.readUInt16BE(0), (msg[2]! & 1) === 1, 0, RCODE.SERVFAIL), rinfo.port, rinfo.address);
      return;
    }
    // Hot path: synchronous reply from precomputed bytes, no promise.
    if (fast.kind === 'reply') { sock.send(fast.bytes, rinfo.port, rinfo.address); return; }
    if (fast.kind === 'drop') return;
    const slow = fast.kind === 'forward'
      ? forward(msg, fast.resolvers, 'udp', opts.forwardTimeoutMs).then((r) => r ?? errorReply(fast.query.id, fast.query.rd, 0, RCODE.SERVFAIL, fast.query.question))
      : handleMessage(opts.engine, msg, 'udp', opts.forwardTimeoutMs, opts.logger);
    slow.then((bytes) => { if (bytes) sock.send(bytes, rinfo.port, rinfo.address); }, (e) => opts.logger.error('udp reply failed', { err: e }));
  });
  sock.on('error', (e) => opts.logger.error('udp socket error', { err: e }));
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(opts.port, opts.host, () => { sock.off('error', reject); resolve(sock); });
  });
}

interface TcpListener { readonly server: net.Server; readonly conns: Set<net.Socket> }

/**
 * TCP: RFC 1035 length-prefixed messages, pipelined (replies may come out of order, RFC 7766),
 * 10 s idle timeout, at most 64 queries in flight per connection. Our own framing rather than
 * dns2's TCPServer: that one runs dns2's full decoder on every message before any handler sees it,
 * and a 40-byte message claiming thousands of records costs it seconds of CPU (measured here).
 */
function listenTcp(opts: DnsServerOptions, port: number): Promise<TcpListener> {
  const conns = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    conns.add(sock);
    sock.setTimeout(10_000, () => sock.destroy());
    sock.on('close', () => conns.delete(sock));
    sock.on('error', () => sock.destroy());
    let buf: Buffer = Buffer.alloc(0);
    let inFlight = 0;
    sock.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        if (++inFlight > 64) { sock.destroy(); return; }
        handleMessage(opts.engine, Buffer.from(msg), 'tcp', opts.forwardTimeoutMs, opts.logger).then((bytes) => {
          inFlight--;
          if (!bytes || sock.destroyed) return;
          const head = Buffer.alloc(2);
          head.writeUInt16BE(bytes.length);
          sock.write(Buffer.concat([head, bytes]));
        }, (e) => opts.logger.error('tcp reply failed', { err: e }));
      }
    });
  });
  server.on('error', (e: Error) => opts.logger.error('tcp server error', { err: e }));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, opts.host, () => { server.off('error', reject); resolve({ server, conns }); });
  });
}

export async function startDnsServer(opts: DnsServerOptions): Promise<DnsServer> {
  let udp: dgram.Socket | undefined;
  let tcp: TcpListener | undefined;
  // Port 0: pick a UDP port, then take the same number on TCP; retry if TCP has it in use.
  for (let attempt = 0; ; attempt++) {
    udp = opts.udp === false ? undefined : await listenUdp(opts);
    if (opts.tcp === false) break;
    try {
      tcp = await listenTcp(opts, opts.port === 0 && udp ? udp.address().port : opts.port);
      break;
    } catch (e) {
      await new Promise<void>((r) => (udp ? udp.close(() => r()) : r()));
      if (opts.port !== 0 || attempt >= 10) throw e;
    }
  }
  const udpPort = udp?.address().port;
  const addr = tcp?.server.address();
  return {
    udpPort,
    tcpPort: addr && typeof addr === 'object' ? addr.port : undefined,
    close: async () => {
      await new Promise<void>((r) => (udp ? udp.close(() => r()) : r()));
      for (const c of tcp?.conns ?? []) c.destroy();
      await new Promise<void>((r) => (tcp ? tcp.server.close(() => r()) : r()));
    },
  };
}
