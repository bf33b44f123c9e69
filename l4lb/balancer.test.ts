import t from 'tap';
import { chooseBackend, type Candidate } from './balancer.js';

// Deterministic uniform source (LCG) so the statistics below are reproducible.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const c = (weight: number, pending = 0, tripped = false): Candidate => ({ weight, pending, tripped });
const spread = (bs: Candidate[], n: number, seed = 1) => {
  const rand = lcg(seed);
  const counts = bs.map(() => 0);
  let none = 0;
  for (let i = 0; i < n; i++) {
    const k = chooseBackend(bs, rand);
    if (k === undefined) none++;
    else counts[k]!++;
  }
  return { counts, none };
};

t.test('no backend: empty, or all drained', async (t) => {
  t.equal(chooseBackend([], Math.random), undefined);
  t.equal(chooseBackend([c(0), c(0)], Math.random), undefined);
});

t.test('equal backends share evenly (within 5 %)', async (t) => {
  const { counts } = spread([c(1), c(1), c(1)], 30000);
  for (const n of counts) t.ok(Math.abs(n - 10000) < 500, `${n} ≈ 10000`);
});

t.test('weight 0 drains: never chosen', async (t) => {
  const { counts, none } = spread([c(1), c(0), c(1)], 5000);
  t.equal(counts[1], 0);
  t.equal(none, 0);
});

t.test('least pending wins the pair', async (t) => {
  const { counts } = spread([c(1, 50), c(1, 0), c(1, 50)], 3000);
  // The idle backend wins every pair it is in: 2/3 of the draws.
  t.ok(counts[1]! > 1800 && counts[1]! < 2200, `idle backend got ${counts[1]}`);
});

t.test('tripped backends skipped while others are open; used when all are tripped', async (t) => {
  t.same(spread([c(1, 0, true), c(1), c(1, 0, true)], 1000).counts, [0, 1000, 0]);
  const all = spread([c(1, 0, true), c(1, 0, true)], 1000);
  t.equal(all.none, 0);
  t.ok(all.counts[0]! > 0 && all.counts[1]! > 0);
});

t.test('weights bias the draws', async (t) => {
  const { counts } = spread([c(3), c(1)], 20000);
  t.ok(counts[0]! > counts[1]! * 2, `${counts[0]} vs ${counts[1]}`);
});
