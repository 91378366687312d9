// The 2-D data sets and the epoch's mini-batches, drawn in the page from a seed
// (js/explorer/datasets.js, js/explorer/random.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import { DATASET_CLASSES, DATASETS, makeDataset } from "../../js/explorer/datasets.js";
import { epochBatches, makeRng } from "../../js/explorer/random.js";

test("data sets are seeded and balanced", () => {
  for (const name of Object.keys(DATASETS)) {
    const a = makeDataset(name, 200, 1);
    assert.deepEqual(makeDataset(name, 200, 1), a, name); // the same seed, the same points
    assert.notDeepEqual(makeDataset(name, 200, 2).X, a.X, name);
    assert.equal(a.X.length, 200);
    assert.ok(a.X.every((p) => p.length === 2 && p.every((v) => Math.abs(v) < 2.5)));
    const K = DATASET_CLASSES[name];
    for (let c = 0; c < K; c++) {
      assert.equal(a.y.filter((v) => v === c).length, K === 2 ? 100 : c < 2 ? 67 : 66);
    }
  }
  assert.throws(() => makeDataset("moons", 10, 1), /unknown data set moons/);
});

test("the classes are what the data sets' names say", () => {
  const xor = makeDataset("xor", 200, 1);
  xor.X.forEach(([u, v], i) => {
    assert.equal(u * v > 0, xor.y[i] === 1);
  });
  const circ = makeDataset("circles", 200, 1);
  const r = circ.X.map(([u, v]) => Math.hypot(u, v));
  const inner = Math.max(...r.filter((_, i) => circ.y[i] === 1));
  const outer = Math.min(...r.filter((_, i) => circ.y[i] === 0));
  assert.ok(inner < outer);
});

test("an epoch's batches cover every example once", () => {
  const rng = makeRng(7);
  for (const [n, batch] of [
    [60, 1],
    [60, 7],
    [60, 16],
    [200, 200],
  ]) {
    const batches = epochBatches(n, batch, rng);
    assert.ok(batches.every((b) => b.length >= 1 && b.length <= batch));
    const all = batches.flat().sort((p, q) => p - q);
    assert.deepEqual(
      all,
      Array.from({ length: n }, (_, i) => i),
    );
  }
  const again = [epochBatches(60, 7, makeRng(3)), epochBatches(60, 7, makeRng(3))];
  assert.deepEqual(again[0], again[1]);
  assert.notDeepEqual(epochBatches(60, 60, makeRng(3))[0], [...Array(60).keys()]);
});
