// The 2-D data sets the playground trains on, generated in the page from a seed.

import { makeRng } from "./random.js";

/** The presets: their names in the menu, and how many classes each has. */
export const DATASETS = {
  blobs: "two blobs",
  xor: "XOR (four quadrants)",
  circles: "circles (one inside the other)",
  spiral: "two spirals",
  blobs3: "three blobs",
  spiral3: "three-arm spiral",
};
export const DATASET_CLASSES = { blobs: 2, xor: 2, circles: 2, spiral: 2, blobs3: 3, spiral3: 3 };

/**
 * A 2-D data set of n points from a seed: X[i] = [x1, x2] in about [−1.5, 1.5]²,
 * y[i] = the class 0, 1 (or 2, for three classes), the classes in turn.
 */
export function makeDataset(name, n, seed) {
  if (!(name in DATASETS)) throw new Error(`unknown data set ${name}`);
  const K = DATASET_CLASSES[name];
  const rng = makeRng(seed);
  const X = [];
  const y = [];
  for (let i = 0; i < n; i++) {
    const c = i % K;
    let p;
    if (name === "blobs") {
      const m = c ? 0.7 : -0.7;
      p = [m + 0.35 * rng.normal(), m + 0.35 * rng.normal()];
    } else if (name === "blobs3") {
      // three centres on a circle of radius 0.9, 120° apart
      const t = Math.PI / 2 + (2 * Math.PI * c) / 3;
      p = [0.9 * Math.cos(t) + 0.3 * rng.normal(), 0.9 * Math.sin(t) + 0.3 * rng.normal()];
    } else if (name === "xor") {
      const sx = rng() < 0.5 ? -1 : 1;
      const sy = c ? sx : -sx;
      p = [sx * (0.1 + 1.2 * rng()), sy * (0.1 + 1.2 * rng())];
    } else if (name === "circles") {
      const r = c ? 0.55 * Math.sqrt(rng()) : 0.95 + 0.4 * rng();
      const t = 2 * Math.PI * rng();
      p = [r * Math.cos(t), r * Math.sin(t)];
    } else {
      // spirals: 1.4 turns, arm c rotated by 2πc/K
      const t = 0.25 + 2.75 * rng();
      const r = 0.45 * t + 0.06 * rng.normal();
      const phase = (2 * Math.PI * c) / K;
      p = [(r * Math.cos(2.6 * t + phase)) / 1.1, (r * Math.sin(2.6 * t + phase)) / 1.1];
    }
    X.push(p);
    y.push(c);
  }
  return { X, y };
}

/** The target the network learns for a class: the label itself for two classes (one
 * output unit), a one-hot vector for more. */
export function targetOf(label, K) {
  if (K <= 2) return label;
  return Array.from({ length: K }, (_, j) => (j === label ? 1 : 0));
}
