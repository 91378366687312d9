// The equation panel: a selected neuron's equations with the current numbers.

import { ACT_LABEL, fmt, fmtf, sub, sup } from "./format.js";
import { ACTIVATIONS, actOf } from "./kernel.js";

/**
 * The equations of neuron j (0-based) of layer ell with the current numbers
 * substituted: its z and a (forward), and its δ (BP1 or BP2).
 */
export function equationText(st, r, ell, j, spec = null) {
  const L = st.W.length - 1;
  const J = j + 1;
  const lines = [];
  const nm = (sym, l, ...idx) => `${sym}${sup(l)}${idx.map((i) => sub(i)).join("")}`;
  if (ell === 0) {
    lines.push(`Neuron ${J} of layer 0 (the input layer)`);
    lines.push(`${nm("a", 0, J)} = x${sub(J)} = ${fmt(st.x[j])}`);
    lines.push("Input units have no weighted input z, and backprop needs no δ for them.");
    return lines.join("\n");
  }
  const name = actOf(st, ell);
  const A = ACTIVATIONS[name];
  const nPrev = st.W[ell][j].length;
  lines.push(
    `Neuron ${J} of layer ${ell} (${ell === L ? "output" : "hidden"}, ${ACT_LABEL[name]})`,
  );
  // forward
  const zTerms = [];
  const zNums = [];
  for (let k = 0; k < nPrev; k++) {
    zTerms.push(`${nm("w", ell, J, k + 1)} ${nm("a", ell - 1, k + 1)}`);
    zNums.push(`${fmtf(st.W[ell][j][k])} × ${fmtf(r.a[ell - 1][k])}`);
  }
  lines.push(
    `${nm("z", ell, J)} = ${zTerms.join(" + ")} + ${nm("b", ell, J)}`,
    `     = ${zNums.join(" + ")} + ${fmtf(st.b[ell][j])} = ${fmt(r.z[ell][j])}`,
  );
  if (name === "softmax") {
    lines.push(
      `${nm("a", ell, J)} = exp(${nm("z", ell, J)}) / Σₖ exp(${nm("z", ell, "k")}) = ${fmt(r.a[ell][j])}`,
    );
  } else {
    lines.push(`${nm("a", ell, J)} = ${A.name}(${nm("z", ell, J)}) = ${fmt(r.a[ell][j])}`);
  }
  const d = r.delta[ell][j];
  const dn = nm("δ", ell, J);
  if (ell === L) {
    const aS = fmt(r.a[ell][j]);
    const yS = fmtf(st.y[j]);
    const rule = spec ? spec.costs[st.cost_name]?.output_delta : null;
    if (rule === "a_minus_y" || (!spec && st.cost_name === "cross_entropy")) {
      lines.push(
        `BP1 (cross-entropy with ${name}: the derivative of the activation cancels)`,
        `${dn} = ${nm("a", ell, J)} − y${sub(J)} = ${aS} − ${yS} = ${fmt(d)}`,
      );
      if (!A.elementwise) {
        const vec = (v) => `(${v.map((u) => fmt(u)).join(", ")})`;
        lines.push(
          `The whole output layer: δ${sup(ell)} = a${sup(ell)} − y = ${vec(r.a[ell])} − ${vec(st.y)}`,
          `     = ${vec(r.delta[ell])}`,
        );
      }
    } else if (name === "softmax") {
      let sum = 0;
      for (let k = 0; k < st.y.length; k++) sum += r.a[ell][k] * (r.a[ell][k] - st.y[k]);
      lines.push(
        "BP1 (softmax: every output depends on every z, so the Jacobian is not diagonal)",
        `${dn} = ${nm("a", ell, J)} ((${nm("a", ell, J)} − y${sub(J)}) − Σₖ ${nm("a", ell, "k")} (${nm("a", ell, "k")} − yₖ))`,
        `     = ${fmtf(r.a[ell][j])} × ((${aS} − ${yS}) − ${fmtf(sum)}) = ${fmt(d)}`,
      );
    } else {
      lines.push(
        "BP1 (quadratic cost: ∂C/∂a = a − y)",
        `${dn} = (${nm("a", ell, J)} − y${sub(J)}) · ${A.name}′(${nm("z", ell, J)})`,
        `     = (${aS} − ${yS}) × ${fmtf(r.fp[ell][j])} = ${fmt(d)}`,
        `     where ${A.primeText}`,
      );
    }
  } else {
    const Wn = st.W[ell + 1];
    const terms = [];
    const nums = [];
    for (let k = 0; k < Wn.length; k++) {
      terms.push(`${nm("w", ell + 1, k + 1, J)} ${nm("δ", ell + 1, k + 1)}`);
      nums.push(`${fmtf(Wn[k][j])} × ${fmtf(r.delta[ell + 1][k])}`);
    }
    lines.push(
      "BP2 (the error flows back along the weights out of this neuron)",
      `${dn} = (${terms.join(" + ")}) · ${A.name}′(${nm("z", ell, J)})`,
      `     = (${nums.join(" + ")}) × ${fmtf(r.fp[ell][j])}`,
      `     = ${fmtf(r.up[ell][j])} × ${fmtf(r.fp[ell][j])} = ${fmt(d)}`,
      `     where ${A.primeText}`,
    );
  }
  lines.push(
    `BP3: ∂C/∂${nm("b", ell, J)} = ${dn} = ${fmt(d)};  BP4: ∂C/∂${nm("w", ell, J, "k")} = ${nm("a", ell - 1, "k")} ${dn}`,
  );
  return lines.join("\n");
}

export class EquationView {
  updateEquation() {
    if (this.selected.length !== 2) return;
    const [ell, j1] = this.selected;
    if (ell < 0 || ell > this.L || j1 < 1 || j1 > this.sizes[ell]) return;
    this.eqEl.textContent = equationText(this.st, this.r, ell, j1 - 1, this.spec);
  }
}
