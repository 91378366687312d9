// Seeded random numbers: the same draws in every browser and in the tests.

/** A seeded uniform generator on [0, 1) (mulberry32): the same numbers everywhere. */
export function makeRng(seed) {
  let a = (Number(seed) >>> 0) + 0x6d2b79f5;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.normal = () => {
    // Box–Muller; 1 − u keeps the logarithm finite
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return next;
}

/** Fresh parameters for `sizes`, as the core draws them: w ~ N(0, 1/n_in), b ~ N(0, 1). */
export function randomParams(sizes, seed) {
  const rng = makeRng(seed);
  const W = [null];
  const b = [null];
  for (let ell = 1; ell < sizes.length; ell++) {
    const s = 1 / Math.sqrt(sizes[ell - 1]);
    W.push(
      Array.from({ length: sizes[ell] }, () =>
        Array.from({ length: sizes[ell - 1] }, () => rng.normal() * s),
      ),
    );
    b.push(Array.from({ length: sizes[ell] }, () => rng.normal()));
  }
  return { W, b };
}

/** The mini-batches of one epoch: the examples in an order drawn from rng. */
export function epochBatches(n, batch, rng) {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const out = [];
  for (let s = 0; s < n; s += batch) out.push(order.slice(s, s + batch));
  return out;
}
