// The 2-D data sets the playground trains on, generated in the page from a seed.

import { makeRng } from "./random.js";

export const DATASETS = {
  blobs: "two blobs",
  xor: "XOR (four quadrants)",
  circles: "circles (one inside the other)",
  spiral: "two spirals",
};

/**
 * A 2-D data set of n points from a seed: X[i] = [x1, x2] in about [−1.5, 1.5]²,
 * y[i] = 0 or 1 (half of each).
 */
export function makeDataset(name, n, seed) {
  if (!(name in DATASETS)) throw new Error(`unknown data set ${name}`);
  const rng = makeRng(seed);
  const X = [];
  const y = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    let p;
    if (name === "blobs") {
      const m = c ? 0.7 : -0.7;
      p = [m + 0.35 * rng.normal(), m + 0.35 * rng.normal()];
    } else if (name === "xor") {
      const sx = rng() < 0.5 ? -1 : 1;
      const sy = c ? sx : -sx;
      p = [sx * (0.1 + 1.2 * rng()), sy * (0.1 + 1.2 * rng())];
    } else if (name === "circles") {
      const r = c ? 0.55 * Math.sqrt(rng()) : 0.95 + 0.4 * rng();
      const t = 2 * Math.PI * rng();
      p = [r * Math.cos(t), r * Math.sin(t)];
    } else {
      const t = 0.25 + 2.75 * rng(); // spiral: 1.4 turns, the second arm rotated by π
      const r = 0.45 * t + 0.06 * rng.normal();
      const phase = c ? Math.PI : 0;
      p = [(r * Math.cos(2.6 * t + phase)) / 1.1, (r * Math.sin(2.6 * t + phase)) / 1.1];
    }
    X.push(p);
    y.push(c);
  }
  return { X, y };
}
