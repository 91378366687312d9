// The JS/numpy parity check the training tests share: replay a reference case's
// mini-batch SGD steps with the kernel and compare every step's cost and the final
// weights and biases with the numpy core's Network.sgd_step, to 1e-12 relative.
import assert from "node:assert/strict";
import { sgdStep } from "../../js/explorer/kernel.js";
import { stateOf } from "./reference.mjs";

/** Train a reference case `t` (REF.training, REF.multiclass_training) step by step
 * as the core did, asserting it stays equal; `costFloor` is the absolute tolerance
 * of a cost near zero. Returns the trained state. */
export function trainAsTheCoreDid(t, spec, { costFloor = 0 } = {}) {
  const c = t.case;
  const st = stateOf(c);
  t.batches.forEach((idx, n) => {
    const cost = sgdStep(st, spec, c.X, c.Y, idx, c.eta).cost;
    const tol = 1e-12 * Math.abs(t.costs[n]) + costFloor;
    assert.ok(Math.abs(cost - t.costs[n]) <= tol, `step ${n}: ${cost} vs ${t.costs[n]}`);
  });
  const L = st.W.length - 1;
  for (let ell = 1; ell <= L; ell++) {
    const W = t.weights[ell - 1];
    const b = t.biases[ell - 1];
    const scale = Math.max(...W.flat().map(Math.abs), ...b.map(Math.abs));
    const close = (got, want) => Math.abs(got - want) <= 1e-12 * Math.abs(want) + 1e-13 * scale;
    st.W[ell].forEach((row, j) => {
      row.forEach((v, k) => {
        assert.ok(close(v, W[j][k]), `W${ell}[${j}][${k}]: ${v} vs ${W[j][k]}`);
      });
      assert.ok(close(st.b[ell][j], b[j]), `b${ell}[${j}]`);
    });
  }
  return st;
}
