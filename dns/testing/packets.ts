// Query packets for tests and benchmarks (no dns2): header + one question (+ an optional OPT).
import { encodeQuestion } from '../wire.js';

export function queryPacket(id: number, qname: string, qtype: number, opts: { rd?: boolean; edns?: number } = {}): Buffer {
  const q = encodeQuestion(qname, qtype);
  const opt = opts.edns ? Buffer.from([0, 0, 41, opts.edns >> 8, opts.edns & 0xff, 0, 0, 0, 0, 0, 0]) : Buffer.alloc(0);
  const b = Buffer.alloc(12 + q.length + opt.length);
  b.writeUInt16BE(id, 0);
  b[2] = opts.rd === false ? 0 : 1;
  b.writeUInt16BE(1, 4);
  b.writeUInt16BE(opts.edns ? 1 : 0, 10);
  b.set(q, 12);
  b.set(opt, 12 + q.length);
  return b;
}

/** Deterministic PRNG (LCG) for tests: same seed, same sequence. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 48271) >>> 0) % 2147483647) / 2147483647);
}
