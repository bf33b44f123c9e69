// SHA-256 (FIPS 180-4) of a string's UTF-8 bytes in plain JavaScript. Server ids hash one short
// name per backend (30k per generation at 10k apps); for such inputs this is markedly cheaper than
// a round trip through node:crypto, which allocates a Buffer and crosses into C++ per call, and the
// id needs only the digest mod 32767 (sha256Mod) or, on a collision, its hex (sha256Hex).
// Checked against node:crypto in sha256.test.ts. Pure; the scratch buffers keep nothing between calls.

const K = Int32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
);
const INIT = Int32Array.of(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19);

// Scratch space (reused by every call; nothing is kept between calls).
const W = new Int32Array(64);
let msg = new Uint8Array(256);
const utf8 = new TextEncoder();

/** Copies the padded message (bytes, 0x80, zeros, 64-bit bit length) into `msg`; returns its length. */
function pad(text: string): number {
  let n = text.length;
  let ascii = true;
  for (let i = 0; i < n && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
  const bytes = ascii ? undefined : utf8.encode(text);
  if (bytes) n = bytes.length;
  const len = ((n + 72) >> 6) << 6; // n + 0x80 byte + 8 length bytes, rounded up to 64
  if (msg.length < len) msg = new Uint8Array(len * 2);
  if (bytes) msg.set(bytes);
  else for (let i = 0; i < n; i++) msg[i] = text.charCodeAt(i);
  msg.fill(0, n, len);
  msg[n] = 0x80;
  const hi = Math.floor(n / 0x20000000); // bit length = n * 8, as two 32-bit halves
  const lo = (n << 3) >>> 0;
  for (let k = 0; k < 4; k++) {
    msg[len - 8 + k] = (hi >>> (24 - 8 * k)) & 0xff;
    msg[len - 4 + k] = (lo >>> (24 - 8 * k)) & 0xff;
  }
  return len;
}

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));
const H = new Int32Array(8);

/** Hashes `text` into H (8 big-endian 32-bit words). */
function digest(text: string): void {
  const len = pad(text);
  H.set(INIT);
  for (let off = 0; off < len; off += 64) {
    for (let i = 0; i < 16; i++) {
      const p = off + 4 * i;
      W[i] = (msg[p]! << 24) | (msg[p + 1]! << 16) | (msg[p + 2]! << 8) | msg[p + 3]!;
    }
    for (let i = 16; i < 64; i++) {
      const x = W[i - 15]!;
      const y = W[i - 2]!;
      const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
      const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
      W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
    }
    let a = H[0]!, b = H[1]!, c = H[2]!, d = H[3]!, e = H[4]!, f = H[5]!, g = H[6]!, h = H[7]!;
    for (let i = 0; i < 64; i++) {
      const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0;
      d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    H[0] = H[0]! + a; H[1] = H[1]! + b; H[2] = H[2]! + c; H[3] = H[3]! + d;
    H[4] = H[4]! + e; H[5] = H[5]! + f; H[6] = H[6]! + g; H[7] = H[7]! + h;
  }
}

/** The digest read as one big-endian integer, mod m (a byte at a time: no BigInt, no hex). */
export function sha256Mod(text: string, m: number): number {
  digest(text);
  let r = 0;
  for (let i = 0; i < 8; i++) {
    const w = H[i]!;
    for (let shift = 24; shift >= 0; shift -= 8) r = (r * 256 + ((w >>> shift) & 0xff)) % m;
  }
  return r;
}

/** The digest as lower-case hex, as hashlib's hexdigest() prints it. */
export function sha256Hex(text: string): string {
  digest(text);
  let s = '';
  for (let i = 0; i < 8; i++) s += (H[i]! >>> 0).toString(16).padStart(8, '0');
  return s;
}
