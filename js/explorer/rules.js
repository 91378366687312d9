// Which networks are valid: the spec's rules (the core's checks, sent by Python).

import { COST_LABEL, fmt } from "./format.js";

/**
 * Why the combination in st is not a valid network, or null if it is. The rules
 * are the spec's (the core's checks, sent by Python).
 */
export function problem(st, spec) {
  const L = st.W.length - 1;
  const nL = st.W[L].length;
  const acts = spec.activations;
  if (L > 1 && !spec.hidden_activations.includes(st.activation)) {
    return `the hidden activation must be one of ${spec.hidden_activations.join(", ")}`;
  }
  if (!spec.output_activations.includes(st.output_activation)) {
    return `the output activation must be one of ${spec.output_activations.join(", ")}`;
  }
  const cost = spec.costs[st.cost_name];
  if (!cost) return `the cost must be one of ${Object.keys(spec.costs).join(", ")}`;
  const out = acts[st.output_activation];
  if (nL < out.min_units) {
    return `${st.output_activation} needs at least ${out.min_units} output units`;
  }
  if (cost.output_activations && !cost.output_activations.includes(st.output_activation)) {
    return `${COST_LABEL[st.cost_name] || st.cost_name} needs a ${cost.output_activations.join(" or ")} output layer`;
  }
  const tg = cost.target;
  if (tg) {
    if (st.y.some((v) => v < tg.lo || v > tg.hi)) {
      return `${COST_LABEL[st.cost_name] || st.cost_name} needs every target y_j in [${tg.lo}, ${tg.hi}]`;
    }
    if (tg.sum_to_one_with.includes(st.output_activation)) {
      const s = st.y.reduce((p, v) => p + v, 0);
      if (Math.abs(s - 1) > spec.target_tol) {
        return `${st.output_activation} with ${COST_LABEL[st.cost_name] || st.cost_name} needs targets that sum to 1 (they sum to ${fmt(s)})`;
      }
    }
  }
  return null;
}
