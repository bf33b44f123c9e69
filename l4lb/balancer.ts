// Backend choice, the semantics the native data path implements in C (native/balancer.h):
// power of two choices on pending connections (Mitzenmacher; Minuteman's later "least pending").
//  - weight 0 backends never get new connections (drain);
//  - backends tripped by passive health are skipped, unless every weighted backend is tripped,
//    then the tripped ones are used (Minuteman: better a doubtful backend than none);
//  - two distinct candidates are drawn with probability proportional to weight; the one with the
//    lower (pending + 1) / weight wins (ties: the first drawn).
// Pure: randomness is the `rand` argument (uniform in [0, 1)).

export interface Candidate {
  readonly weight: number;
  readonly pending: number;
  readonly tripped: boolean;
}

function draw(pool: readonly number[], weights: readonly number[], rand: () => number): number {
  const total = pool.reduce((s, i) => s + weights[i]!, 0);
  let x = rand() * total;
  for (const i of pool) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return pool[pool.length - 1]!;
}

/** Index of the chosen backend, or undefined when no backend may take a new connection. */
export function chooseBackend(backends: readonly Candidate[], rand: () => number): number | undefined {
  const weighted = backends.map((b, i) => (b.weight > 0 ? i : -1)).filter((i) => i >= 0);
  if (!weighted.length) return undefined;
  const open = weighted.filter((i) => !backends[i]!.tripped);
  const pool = open.length ? open : weighted;
  const weights = backends.map((b) => b.weight);
  const first = draw(pool, weights, rand);
  if (pool.length === 1) return first;
  const second = draw(pool.filter((i) => i !== first), weights, rand);
  const cost = (i: number) => (backends[i]!.pending + 1) / backends[i]!.weight;
  return cost(second) < cost(first) ? second : first;
}
