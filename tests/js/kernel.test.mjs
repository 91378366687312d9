// The explorer's kernel (js/explorer/kernel.js) against the numpy core: the forward
// pass, cost and BP1–BP4 of one example, and mini-batch SGD, to rounding.
import assert from "node:assert/strict";
import { test } from "node:test";
import { batchGradients, datasetCost, example, IMPLEMENTED } from "../../js/explorer/kernel.js";
import { trainAsTheCoreDid } from "./parity.mjs";
import { REF, stateOf } from "./reference.mjs";

const spec = REF.spec;

test("the kernel implements exactly what the spec may offer", () => {
  assert.deepEqual([...IMPLEMENTED.activations].sort(), [...REF.mirrored.activations].sort());
  assert.deepEqual([...IMPLEMENTED.costs].sort(), [...REF.mirrored.costs].sort());
  for (const [name, cost] of Object.entries(spec.costs)) {
    assert.ok(IMPLEMENTED.output_delta.includes(cost.output_delta), name);
  }
});

test("each cost's BP1 rule in the spec is the core's", () => {
  const seen = new Set();
  for (const [key, isAminusY] of Object.entries(REF.output_delta_is_a_minus_y)) {
    const rule = spec.costs[key.split("/")[0]].output_delta;
    if (rule === "a_minus_y") assert.ok(isAminusY, key);
    if (!isAminusY) seen.add(rule);
  }
  // the chain rule is not a − y in general: the check above could fail
  assert.ok(seen.has("chain_rule"));
});

test("one example: forward pass, cost and BP1–BP4 equal the numpy core", () => {
  const eps = 1e-12; // ~5000 units of rounding: far below any formula error
  let big = 0;
  assert.ok(REF.arithmetic.length >= 150);
  for (const { case: c, cost, layers } of REF.arithmetic) {
    const r = example(stateOf(c), spec);
    const tol = 1e-10 * Math.abs(cost) + 1e-13;
    assert.ok(Math.abs(r.cost - cost) <= tol, `cost ${r.cost} vs ${cost}`);
    let dmax = 0;
    layers.forEach((ref, i) => {
      const ell = i + 1;
      for (const key of ["z", "a", "delta", "gb", "gW"]) {
        const got = key === "gW" ? r.gW[ell].flat() : r[key][ell];
        const [want, mag] = ref[key];
        assert.equal(got.length, want.length, `${key}[${ell}] size`);
        for (let n = 0; n < want.length; n++) {
          // (below 1e-280 both are zero to any purpose: how far into underflow each
          // side goes, e.g. σ'(z) at z < -700, is not part of the contract)
          const bound = 1e-9 * Math.abs(want[n]) + eps * mag[n] + 1e-280;
          assert.ok(
            Math.abs(got[n] - want[n]) <= bound,
            `${key}[${ell}][${n}]: ${got[n]} vs numpy ${want[n]} (${JSON.stringify(c)})`,
          );
        }
      }
      for (const v of ref.delta[0]) dmax = Math.max(dmax, Math.abs(v));
    });
    big += dmax > 1e-4;
  }
  // a formula slip would show: most cases have δ's far above the tolerances
  assert.ok(big > 0.8 * REF.arithmetic.length, `${big} cases with large δ`);
});

test("the single-example view is the batch kernel on a batch of one", () => {
  for (const { case: c } of REF.arithmetic.slice(0, 40)) {
    const st = stateOf(c);
    const r = example(st, spec);
    const g = batchGradients(st, spec, [st.x], [st.y], [0]);
    assert.equal(r.cost, g.cost);
    assert.deepEqual(r.gW, g.gW);
    assert.deepEqual(r.gb, g.gb);
  }
});

test("the gradient is the slope of the cost (central differences, in JavaScript)", () => {
  let checked = 0;
  for (const { case: c } of REF.arithmetic.filter((_, i) => i % 7 === 0)) {
    const st = stateOf(c);
    const r = example(st, spec);
    const L = st.W.length - 1;
    for (let ell = 1; ell <= L; ell++) {
      const h = 1e-6;
      const w = st.W[ell][0][0];
      st.W[ell][0][0] = w + h;
      const up = example(st, spec).cost;
      st.W[ell][0][0] = w - h;
      const down = example(st, spec).cost;
      st.W[ell][0][0] = w;
      const fd = (up - down) / (2 * h);
      const g = r.gW[ell][0][0];
      assert.ok(Math.abs(fd - g) <= 1e-5 * (1 + Math.abs(g)), `W${ell}: ${g} vs ${fd}`);
      checked++;
    }
  }
  assert.ok(checked > 40);
});

test("mini-batch SGD equals the core's Network.sgd_step, step by step", () => {
  assert.equal(REF.training.length, 20);
  for (const t of REF.training) {
    const st = trainAsTheCoreDid(t, spec, { costFloor: 1e-300 });
    // the steps moved the weights: a comparison of untouched values proves little
    assert.notDeepEqual(st.W[1], stateOf(t.case).W[1]);
  }
});

test("the data-set cost and accuracy equal numpy's, with one output or three classes", () => {
  for (const t of REF.training.filter((_, i) => i % 3 === 0 || i >= 16)) {
    const c = t.case;
    const st = stateOf(c);
    const all = c.X.map((_, i) => i);
    const { cost, right } = datasetCost(st, c.X, c.Y);
    assert.ok(Math.abs(cost - t.before.cost) <= 1e-12 * t.before.cost, `${cost} vs numpy`);
    assert.ok(Math.abs(cost - batchGradients(st, spec, c.X, c.Y, all).cost) <= 1e-12 * cost);
    assert.equal(right, t.before.right);
  }
});
