// Upstream forwarding as mesos-dns does it: resolvers tried one after another in configured order,
// over the client's transport (UDP → UDP, TCP → TCP), each with its own timeout; the first reply is
// returned verbatim (an upstream TC bit included). undefined = every resolver failed (→ SERVFAIL).
// A fresh socket per exchange keeps concurrent forwarded queries from seeing each other's replies.
import dgram from 'node:dgram';
import net from 'node:net';

export interface Upstream { readonly host: string; readonly port: number }

/** "1.2.3.4", "1.2.3.4:5353", "2001:db8::1", "[2001:db8::1]:53". */
export function parseUpstream(text: string): Upstream | undefined {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text);
  if (m) return { host: m[1]!, port: m[2] ? Number(m[2]) : 53 };
  return net.isIPv6(text) ? { host: text, port: 53 } : undefined;
}

function exchangeUdp(query: Uint8Array, up: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket(net.isIPv6(up.host) ? 'udp6' : 'udp4');
    const id = (query[0]! << 8) | query[1]!;
    let done = false;
    const finish = (v: Buffer | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.close();
      resolve(v);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    sock.on('error', () => finish(undefined));
    sock.on('message', (msg, rinfo) => {
      if (rinfo.port !== up.port || msg.length < 12 || msg.readUInt16BE(0) !== id) return; // not our answer
      finish(msg);
    });
    sock.send(query, up.port, up.host, (e) => { if (e) finish(undefined); });
  });
}

function exchangeTcp(query: Uint8Array, up: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    let done = false;
    const sock = net.connect({ host: up.host, port: up.port });
    const finish = (v: Buffer | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    sock.on('error', () => finish(undefined));
    sock.on('close', () => finish(undefined));
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock.write(Buffer.concat([len, query]));
    });
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) finish(buf.subarray(2, 2 + buf.readUInt16BE(0)));
    });
  });
}

/** Ask each resolver in turn; the first reply wins. */
export async function forward(query: Uint8Array, resolvers: readonly string[], transport: 'udp' | 'tcp', timeoutMs: number): Promise<Buffer | undefined> {
  for (const r of resolvers) {
    const up = parseUpstream(r);
    if (!up) continue;
    const reply = transport === 'udp' ? await exchangeUdp(query, up, timeoutMs) : await exchangeTcp(query, up, timeoutMs);
    if (reply) return reply;
  }
  return undefined;
}
