// A set of strings that iterates in the order CPython 3.11's `set` does when run with
// PYTHONHASHSEED=0 (the reference marathon-lb run): SipHash-1-3 with a zero key over the string's
// code units (1, 2 or 4 bytes each, as CPython stores it), an open-addressing table starting at 8
// slots with 9 linear probes then perturbed probing, resized ×4 when 3/5 full. marathon-lb joins
// the certificates and bind options of --group-https-by-vhost frontends from such sets, so their
// order is part of its output. Pure.

const M64 = (1n << 64n) - 1n;
const rotl = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & M64;

function sipRound(v: [bigint, bigint, bigint, bigint]): void {
  v[0] = (v[0] + v[1]) & M64; v[1] = rotl(v[1], 13n); v[1] ^= v[0]; v[0] = rotl(v[0], 32n);
  v[2] = (v[2] + v[3]) & M64; v[3] = rotl(v[3], 16n); v[3] ^= v[2];
  v[0] = (v[0] + v[3]) & M64; v[3] = rotl(v[3], 21n); v[3] ^= v[0];
  v[2] = (v[2] + v[1]) & M64; v[1] = rotl(v[1], 17n); v[1] ^= v[2]; v[2] = rotl(v[2], 32n);
}

/** SipHash-1-3, key (0, 0), of `bytes`; as an unsigned 64-bit value. */
export function siphash13(bytes: Uint8Array): bigint {
  const v: [bigint, bigint, bigint, bigint] = [0x736f6d6570736575n, 0x646f72616e646f6dn, 0x6c7967656e657261n, 0x7465646279746573n];
  const len = bytes.length;
  const full = len - (len % 8);
  const word = (off: number, n: number): bigint => {
    let m = 0n;
    for (let i = n - 1; i >= 0; i--) m = (m << 8n) | BigInt(bytes[off + i]!);
    return m;
  };
  for (let off = 0; off < full; off += 8) {
    const m = word(off, 8);
    v[3] ^= m; sipRound(v); v[0] ^= m;
  }
  const b = ((BigInt(len) & 0xffn) << 56n) | word(full, len - full);
  v[3] ^= b; sipRound(v); v[0] ^= b;
  v[2] ^= 0xffn;
  sipRound(v); sipRound(v); sipRound(v);
  return (v[0] ^ v[1] ^ v[2] ^ v[3]) & M64;
}

/** CPython's str hash (as unsigned 64-bit; -1 mapped to -2) with PYTHONHASHSEED=0. */
export function pyStrHash(s: string): bigint {
  const cps = [...s].map((c) => c.codePointAt(0)!);
  if (cps.length === 0) return 0n;
  const max = Math.max(...cps);
  const kind = max < 0x100 ? 1 : max < 0x10000 ? 2 : 4;
  const bytes = new Uint8Array(cps.length * kind);
  cps.forEach((cp, i) => { for (let k = 0; k < kind; k++) bytes[i * kind + k] = (cp >> (8 * k)) & 0xff; });
  const h = siphash13(bytes);
  return h === M64 ? M64 - 1n : h; // hash -1 is reserved: CPython uses -2
}

const LINEAR_PROBES = 9;

export class PySet implements Iterable<string> {
  private table: ({ key: string; hash: bigint } | undefined)[] = new Array(8).fill(undefined);
  private used = 0;

  get size(): number {
    return this.used;
  }

  has(key: string): boolean {
    return this.table.some((e) => e?.key === key);
  }

  add(key: string): void {
    if (this.has(key)) return;
    const hash = pyStrHash(key);
    this.insert(this.table, hash, key);
    this.used++;
    const mask = this.table.length - 1;
    if (this.used * 5 >= mask * 3) this.resize(this.used > 50000 ? this.used * 2 : this.used * 4);
  }

  /** set.update(other): add the other set's members in its iteration order. */
  update(other: Iterable<string>): void {
    for (const k of other) this.add(k);
  }

  private insert(table: ({ key: string; hash: bigint } | undefined)[], hash: bigint, key: string): void {
    const mask = table.length - 1;
    let perturb = hash;
    let i = Number(hash & BigInt(mask));
    for (;;) {
      if (table[i] === undefined) { table[i] = { key, hash }; return; }
      if (i + LINEAR_PROBES <= mask) {
        for (let j = 1; j <= LINEAR_PROBES; j++) {
          if (table[i + j] === undefined) { table[i + j] = { key, hash }; return; }
        }
      }
      perturb >>= 5n;
      i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(mask));
    }
  }

  private resize(minUsed: number): void {
    let size = 8;
    while (size <= minUsed) size <<= 1;
    const old = this.table;
    this.table = new Array(size).fill(undefined);
    for (const e of old) if (e) this.insert(this.table, e.hash, e.key);
  }

  *[Symbol.iterator](): Iterator<string> {
    for (const e of this.table) if (e) yield e.key;
  }
}
