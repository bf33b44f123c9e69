// The JS SHA-256 against node:crypto: every padding boundary (0–200 bytes), multi-block input,
// non-ASCII (2-, 3- and 4-byte UTF-8) and the server-id retry strings.
import t from 'tap';
import { createHash } from 'node:crypto';
import { sha256Hex, sha256Mod } from './sha256.js';

const expected = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

t.test('matches node:crypto', async (t) => {
  const inputs: string[] = [];
  for (let n = 0; n <= 200; n++) inputs.push('abcdefghij'.repeat(21).slice(0, n));
  inputs.push('10_0_0_1_31000', 'agent1_1_1_1_1_1024', `x ${'f'.repeat(64)}`, 'é', 'ação-€', '😀 emoji', 'é'.repeat(40), 'x'.repeat(5000));
  let same = 0;
  for (const s of inputs) if (sha256Hex(s) === expected(s)) same++;
  t.equal(same, inputs.length, `${inputs.length} digests equal`);
});

t.test('mod of the digest as a big-endian integer', async (t) => {
  for (const s of ['', 'a', '10_0_0_1_31000', 'é'.repeat(40)]) {
    t.equal(sha256Mod(s, 32767), Number(BigInt(`0x${expected(s)}`) % 32767n), s);
  }
});

t.test('no state leaks between calls', async (t) => {
  const long = sha256Hex('y'.repeat(300));
  t.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'FIPS 180-2 "abc" vector');
  t.equal(sha256Hex('y'.repeat(300)), long);
});
