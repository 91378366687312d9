// Numbers and symbols as the explorer writes them.

export function fmt(v) {
  if (v === 0) return "0";
  if (!Number.isFinite(v)) return String(v);
  const av = Math.abs(v);
  if (av >= 1e-3 && av < 1e4) return v.toPrecision(4);
  return v.toExponential(3);
}

/** A typed number (a "−" is read as a minus sign); NaN unless it is a plain decimal. */
export function parseNumber(raw) {
  const t = String(raw)
    .trim()
    .replace(/\u2212/g, "-");
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number.NaN;
  return Number(t);
}

/** A factor in a product: negative numbers in parentheses. */
export function fmtf(v) {
  const s = fmt(v);
  return v < 0 ? `(${s})` : s;
}

// Superscripts and subscripts for the book's symbols: w²₁₂, δˡⱼ, aˡ⁻¹ₖ.
const SUPMAP = { ...[..."⁰¹²³⁴⁵⁶⁷⁸⁹"], "-": "⁻", "−": "⁻", "+": "⁺", ℓ: "ˡ" };
const SUBMAP = { ...[..."₀₁₂₃₄₅₆₇₈₉"], j: "ⱼ", k: "ₖ" };
export const sup = (n) => [...String(n)].map((c) => SUPMAP[c] ?? c).join("");
export const sub = (n) => [...String(n)].map((c) => SUBMAP[c] ?? c).join("");

export const COST_LABEL = { quadratic: "quadratic ½‖a − y‖²", cross_entropy: "cross-entropy" };
export const ACT_LABEL = {
  sigmoid: "sigmoid σ",
  tanh: "tanh",
  relu: "ReLU",
  linear: "linear (identity)",
  softmax: "softmax (output only)",
};
