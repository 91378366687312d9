// The playground's three classes: the softmax/cross-entropy training step of the
// kernel (js/explorer/kernel.js) against the numpy core's Network.sgd_step on random
// architectures, data sets and batch sizes, to 1e-12 relative; the output layer the
// spec names for more than two classes; the three-class presets.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DATASET_CLASSES, makeDataset, targetOf } from "../../js/explorer/datasets.js";
import { datasetCost, example } from "../../js/explorer/kernel.js";
import { problem } from "../../js/explorer/rules.js";
import { trainAsTheCoreDid } from "./parity.mjs";
import { REF, stateOf } from "./reference.mjs";

const spec = REF.spec;

test("the spec's output layer for three classes has δ^L = a − y and one-hot targets", () => {
  const multi = spec.multiclass;
  assert.equal(spec.activations[multi.output_activation].elementwise, false);
  assert.equal(spec.costs[multi.cost_name].output_delta, "a_minus_y");
  assert.deepEqual(spec.classes, [2, 3]);
  // the core agrees that this cost's δ^L is a − y with this output
  assert.equal(
    REF.output_delta_is_a_minus_y[`${multi.cost_name}/${multi.output_activation}`],
    true,
  );
});

test("three-class SGD equals the core's Network.sgd_step, step by step, to 1e-12", () => {
  const cases = REF.multiclass_training;
  assert.equal(cases.length, 30);
  const sizes = new Set(cases.map((t) => t.case.weights.length));
  assert.ok(sizes.size >= 3, "several depths");
  assert.ok(new Set(cases.map((t) => t.batch)).size >= 10, "many batch sizes");
  let moved = 0;
  for (const t of cases) {
    const st = trainAsTheCoreDid(t, spec);
    const L = st.W.length - 1;
    moved += Number(Math.abs(st.W[L][0][0] - stateOf(t.case).W[L][0][0]) > 1e-6);
  }
  // the steps moved the weights: a comparison of untouched values proves little
  assert.ok(moved >= 25, `${moved} cases moved`);
});

test("three-class cost and accuracy over a data set equal numpy's", () => {
  for (const t of REF.multiclass_training) {
    const st = stateOf(t.case);
    const { cost, right } = datasetCost(st, t.case.X, t.case.Y);
    assert.ok(Math.abs(cost - t.before.cost) <= 1e-12 * t.before.cost, `${cost} vs numpy`);
    assert.equal(right, t.before.right);
  }
});

test("at a point, the output layer's δ is a − y with one-hot y", () => {
  const t = REF.multiclass_training[0];
  const st = stateOf(t.case);
  st.x = t.case.X[0];
  st.y = t.case.Y[0];
  assert.equal(problem(st, spec), null);
  const r = example(st, spec);
  const L = st.W.length - 1;
  r.delta[L].forEach((d, j) => {
    assert.ok(Math.abs(d - (r.a[L][j] - st.y[j])) <= 1e-15);
  });
  assert.ok(Math.abs(r.delta[L].reduce((p, v) => p + v, 0)) < 1e-12); // Σ(a − y) = 0
});

test("the three-class presets have three balanced classes and one-hot targets", () => {
  const three = Object.keys(DATASET_CLASSES).filter((n) => DATASET_CLASSES[n] === 3);
  assert.deepEqual(three.sort(), ["blobs3", "spiral3"]);
  for (const name of three) {
    const d = makeDataset(name, 201, 4);
    for (let c = 0; c < 3; c++) assert.equal(d.y.filter((v) => v === c).length, 67);
  }
  assert.deepEqual(targetOf(2, 3), [0, 0, 1]);
  assert.equal(targetOf(1, 2), 1);
  // the three blobs sit apart: each point is nearest its own class's mean
  const d = makeDataset("blobs3", 300, 1);
  const mean = [0, 1, 2].map((c) => {
    const pts = d.X.filter((_, i) => d.y[i] === c);
    return [0, 1].map((k) => pts.reduce((p, q) => p + q[k], 0) / pts.length);
  });
  const near = d.X.filter((p, i) => {
    const dist = mean.map((m) => (p[0] - m[0]) ** 2 + (p[1] - m[1]) ** 2);
    return dist.indexOf(Math.min(...dist)) === d.y[i];
  }).length;
  assert.ok(near > 0.9 * d.X.length, `${near} of 300 nearest their own blob`);
});
