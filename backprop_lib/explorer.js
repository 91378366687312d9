// The δ explorer: the front end of backprop_lib.widgets.DeltaExplorer (an anywidget
// ES module).
//
// Everything the reader sees is computed here, in the browser, so the explorer stays
// fully interactive on the book's static pages, where there is no Python kernel. The
// arithmetic mirrors backprop_lib's numpy core line by line (network.py,
// activations.py, costs.py), so the numbers agree with `net.backward` to rounding:
//
//   forward  z^ℓ = W^ℓ a^(ℓ-1) + b^ℓ,  a^ℓ = f(z^ℓ)
//   BP1      δ^L = ∇_a C ⊙ f'(z^L)          (softmax: J(z^L)^T ∇_a C;
//                                             cross-entropy: δ^L = a^L − y)
//   BP2      δ^ℓ = ((W^(ℓ+1))^T δ^(ℓ+1)) ⊙ f'(z^ℓ)
//   BP3      ∂C/∂b^ℓ_j = δ^ℓ_j
//   BP4      ∂C/∂w^ℓ_jk = a^(ℓ-1)_k δ^ℓ_j
//
// With a kernel, every change is also sent to Python (model.set + save_changes),
// where `explorer.net` and `explorer.result` are rebuilt by the numpy core.
//
// Markup contract (the tests rely on it; units, rows and columns are numbered from 1
// as in the book's w^ℓ_jk, layers from 0 = the input layer):
//   [data-role=z|a|delta][data-layer=ℓ][data-unit=j]   text = the value
//   input[type=range][data-role=weight][data-layer][data-row][data-col]
//   input[type=range][data-role=bias][data-layer][data-row]
//   input[data-role=input|target][data-unit]
//   root [data-activation][data-output-activation][data-cost]

// ------------------------------------------------------------------ numerics

/** Logistic sigmoid without overflow: e = exp(-|z|), σ = (z ≥ 0 ? 1 : e)/(1 + e). */
function sigmoid(z) {
  const e = Math.exp(-Math.abs(z));
  return (z >= 0 ? 1 : e) / (1 + e);
}

/** σ'(z) = e/(1 + e)², e = exp(-|z|): exact in both tails. */
function sigmoidPrime(z) {
  const e = Math.exp(-Math.abs(z));
  return e / ((1 + e) * (1 + e));
}

/** log(1 + e^t) = logaddexp(0, t), without overflow. */
function log1pExp(t) {
  return Math.max(0, t) + Math.log1p(Math.exp(-Math.abs(t)));
}

export const ACTIVATIONS = {
  sigmoid: {
    f: sigmoid,
    prime: (z) => sigmoidPrime(z),
    name: "σ",
    primeText: "σ′(z) = σ(z)(1 − σ(z))",
  },
  tanh: {
    f: Math.tanh,
    prime: (z, a) => 1 - a * a,
    name: "tanh",
    primeText: "tanh′(z) = 1 − tanh²(z)",
  },
  relu: {
    f: (z) => Math.max(z, 0),
    // The derivative at exactly z = 0 is taken as 0, as in the core.
    prime: (z) => (z > 0 ? 1 : 0),
    name: "ReLU",
    primeText: "ReLU′(z) = 1 if z > 0, else 0",
  },
  linear: {
    f: (z) => z,
    prime: () => 1,
    name: "id",
    primeText: "id′(z) = 1",
  },
  softmax: { f: null, prime: null, name: "softmax", primeText: "" },
};

/** The costs whose arithmetic compute() implements. */
const COST_IMPL = ["quadratic", "cross_entropy"];

/**
 * What this file can compute. Which of these the explorer offers, and the rules
 * tying them together, come from Python (the widget's `spec` trait, derived from
 * the core's registries): a test checks that the two agree.
 */
export const IMPLEMENTED = { activations: Object.keys(ACTIVATIONS), costs: COST_IMPL };

/** The activation of layer ell (1..L) of state st. */
function actOf(st, ell) {
  return ell === st.W.length - 1 ? st.output_activation : st.activation;
}

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
  const cost = spec.costs[st.cost];
  if (!cost) return `the cost must be one of ${Object.keys(spec.costs).join(", ")}`;
  const out = acts[st.output_activation];
  if (nL < out.min_units) {
    return `${st.output_activation} needs at least ${out.min_units} output units`;
  }
  if (cost.output_activations && !cost.output_activations.includes(st.output_activation)) {
    return `${COST_LABEL[st.cost] || st.cost} needs a ${cost.output_activations.join(" or ")} output layer`;
  }
  const tg = cost.target;
  if (tg) {
    if (st.y.some((v) => v < tg.lo || v > tg.hi)) {
      return `${COST_LABEL[st.cost] || st.cost} needs every target y_j in [${tg.lo}, ${tg.hi}]`;
    }
    if (tg.sum_to_one_with.includes(st.output_activation)) {
      const s = st.y.reduce((p, v) => p + v, 0);
      if (Math.abs(s - 1) > spec.target_tol) {
        return `${st.output_activation} with ${COST_LABEL[st.cost] || st.cost} needs targets that sum to 1 (they sum to ${fmt(s)})`;
      }
    }
  }
  return null;
}

/**
 * One forward and backward pass for one example (BP1–BP4), as in Network.backward.
 * st.W and st.b are indexed 1..L (index 0 is null); returns z, a, delta, gW, gb
 * indexed the same way, plus the per-layer f'(z) (fp) and the upstream sums
 * (W^(ℓ+1))^T δ^(ℓ+1) (up), which the equation panel shows.
 */
export function compute(st, lean = false) {
  const L = st.W.length - 1;
  const z = [null];
  const a = [st.x.slice()];
  for (let ell = 1; ell <= L; ell++) {
    const W = st.W[ell];
    const prev = a[ell - 1];
    const zl = W.map((row, j) => {
      let s = 0;
      for (let k = 0; k < row.length; k++) s += row[k] * prev[k];
      return s + st.b[ell][j];
    });
    z.push(zl);
    const name = actOf(st, ell);
    if (name === "softmax") {
      const m = Math.max(...zl);
      const e = zl.map((v) => Math.exp(v - m));
      const s = e.reduce((p, v) => p + v, 0);
      a.push(e.map((v) => v / s));
    } else {
      a.push(zl.map(ACTIVATIONS[name].f));
    }
  }
  const y = st.y;
  const out = st.output_activation;
  const zL = z[L];
  const aL = a[L];
  // The cost of the example.
  let cost = 0;
  if (st.cost === "quadratic") {
    for (let j = 0; j < aL.length; j++) {
      const d = aL[j] - y[j];
      cost += d * d;
    }
    cost *= 0.5;
  } else if (out === "sigmoid") {
    for (let j = 0; j < aL.length; j++) {
      cost += y[j] * log1pExp(-zL[j]) + (1 - y[j]) * log1pExp(zL[j]);
    }
  } else {
    const m = Math.max(...zL);
    const lse = m + Math.log(zL.reduce((p, v) => p + Math.exp(v - m), 0));
    let sy = 0;
    let syz = 0;
    for (let j = 0; j < zL.length; j++) {
      sy += y[j];
      syz += y[j] * zL[j];
    }
    cost = lse * sy - syz;
  }
  // f'(z) of every elementwise layer.
  const fp = [null];
  for (let ell = 1; ell <= L; ell++) {
    const name = actOf(st, ell);
    fp.push(
      name === "softmax" ? null : z[ell].map((v, j) => ACTIVATIONS[name].prime(v, a[ell][j])),
    );
  }
  const delta = new Array(L + 1).fill(null);
  const up = new Array(L + 1).fill(null);
  // BP1
  if (st.cost === "cross_entropy") {
    delta[L] = aL.map((v, j) => v - y[j]);
  } else if (out === "softmax") {
    const g = aL.map((v, j) => v - y[j]);
    let s = 0;
    for (let k = 0; k < aL.length; k++) s += aL[k] * g[k];
    delta[L] = aL.map((v, j) => v * (g[j] - s));
  } else {
    delta[L] = aL.map((v, j) => (v - y[j]) * fp[L][j]);
  }
  // BP2
  for (let ell = L - 1; ell >= 1; ell--) {
    const Wn = st.W[ell + 1];
    const dn = delta[ell + 1];
    up[ell] = z[ell].map((_, j) => {
      let s = 0;
      for (let k = 0; k < Wn.length; k++) s += Wn[k][j] * dn[k];
      return s;
    });
    delta[ell] = up[ell].map((v, j) => v * fp[ell][j]);
  }
  // BP3, BP4 (training sums them itself: lean skips them)
  const gb = [null];
  const gW = [null];
  for (let ell = 1; ell <= L && !lean; ell++) {
    gb.push(delta[ell].slice());
    gW.push(delta[ell].map((d) => a[ell - 1].map((ak) => d * ak)));
  }
  return { L, z, a, delta, gb, gW, fp, up, cost };
}

// ------------------------------------------------------------------ training

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
    W.push(Array.from({ length: sizes[ell] }, () =>
      Array.from({ length: sizes[ell - 1] }, () => rng.normal() * s),
    ));
    b.push(Array.from({ length: sizes[ell] }, () => rng.normal()));
  }
  return { W, b };
}

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

// Training runs thousands of passes per second: these kernels reuse preallocated
// arrays (one set per network shape) instead of compute()'s fresh ones, with the same
// formulas in the same order.
const WORKSPACES = new Map();

function workspace(st) {
  const sizes = sizesOf(st);
  const key = sizes.join(",");
  let ws = WORKSPACES.get(key);
  if (!ws) {
    const arr = () => sizes.map((n) => new Float64Array(n));
    ws = { z: arr(), a: arr(), fp: arr(), d: arr(), L: sizes.length - 1 };
    if (WORKSPACES.size > 32) WORKSPACES.clear();
    WORKSPACES.set(key, ws);
  }
  return ws;
}

/** Forward pass into ws (z, a and f'(z) of every layer); returns the example's cost. */
function forwardInto(st, ws, x, y) {
  const L = ws.L;
  const a0 = ws.a[0];
  for (let k = 0; k < a0.length; k++) a0[k] = x[k];
  for (let ell = 1; ell <= L; ell++) {
    const W = st.W[ell];
    const b = st.b[ell];
    const prev = ws.a[ell - 1];
    const z = ws.z[ell];
    const a = ws.a[ell];
    const fp = ws.fp[ell];
    for (let j = 0; j < W.length; j++) {
      const row = W[j];
      let s = 0;
      for (let k = 0; k < row.length; k++) s += row[k] * prev[k];
      z[j] = s + b[j];
    }
    const name = actOf(st, ell);
    if (name === "softmax") {
      let m = -Infinity;
      for (let j = 0; j < z.length; j++) if (z[j] > m) m = z[j];
      let t = 0;
      for (let j = 0; j < z.length; j++) {
        a[j] = Math.exp(z[j] - m);
        t += a[j];
      }
      for (let j = 0; j < z.length; j++) a[j] /= t;
    } else {
      const { f, prime } = ACTIVATIONS[name];
      for (let j = 0; j < z.length; j++) {
        a[j] = f(z[j]);
        fp[j] = prime(z[j], a[j]);
      }
    }
  }
  if (y === null) return 0;
  const zL = ws.z[L];
  const aL = ws.a[L];
  let cost = 0;
  if (st.cost === "quadratic") {
    for (let j = 0; j < aL.length; j++) {
      const d = aL[j] - y[j];
      cost += d * d;
    }
    return cost * 0.5;
  }
  if (st.output_activation === "sigmoid") {
    for (let j = 0; j < aL.length; j++) {
      cost += y[j] * log1pExp(-zL[j]) + (1 - y[j]) * log1pExp(zL[j]);
    }
    return cost;
  }
  let m = -Infinity;
  for (let j = 0; j < zL.length; j++) if (zL[j] > m) m = zL[j];
  let se = 0;
  let sy = 0;
  let syz = 0;
  for (let j = 0; j < zL.length; j++) {
    se += Math.exp(zL[j] - m);
    sy += y[j];
    syz += y[j] * zL[j];
  }
  return (m + Math.log(se)) * sy - syz;
}

/** BP1 and BP2 into ws.d, after forwardInto (the formulas of compute()). */
function backwardInto(st, ws, y) {
  const L = ws.L;
  const aL = ws.a[L];
  const dL = ws.d[L];
  if (st.cost === "cross_entropy") {
    for (let j = 0; j < aL.length; j++) dL[j] = aL[j] - y[j];
  } else if (st.output_activation === "softmax") {
    let s = 0;
    for (let k = 0; k < aL.length; k++) s += aL[k] * (aL[k] - y[k]);
    for (let j = 0; j < aL.length; j++) dL[j] = aL[j] * (aL[j] - y[j] - s);
  } else {
    const fp = ws.fp[L];
    for (let j = 0; j < aL.length; j++) dL[j] = (aL[j] - y[j]) * fp[j];
  }
  for (let ell = L - 1; ell >= 1; ell--) {
    const Wn = st.W[ell + 1];
    const dn = ws.d[ell + 1];
    const d = ws.d[ell];
    const fp = ws.fp[ell];
    for (let j = 0; j < d.length; j++) {
      let s = 0;
      for (let k = 0; k < Wn.length; k++) s += Wn[k][j] * dn[k];
      d[j] = s * fp[j];
    }
  }
}

/**
 * Network.backward on a mini-batch (the examples idx of X, Y): the mean cost and
 * the mean gradients (BP3, BP4 averaged over the batch), and the mean |δ^ℓ| of
 * every layer over the batch and its units.
 */
export function batchBackward(st, X, Y, idx) {
  const ws = workspace(st);
  const L = ws.L;
  const m = idx.length;
  const gW = [null];
  const gb = [null];
  const dsum = [null];
  for (let ell = 1; ell <= L; ell++) {
    gW.push(st.W[ell].map((row) => new Array(row.length).fill(0)));
    gb.push(new Array(st.b[ell].length).fill(0));
    dsum.push(0);
  }
  let cost = 0;
  const y1 = [0];
  for (const i of idx) {
    const y = Array.isArray(Y[i]) ? Y[i] : ((y1[0] = Y[i]), y1);
    cost += forwardInto(st, ws, X[i], y);
    backwardInto(st, ws, y);
    for (let ell = 1; ell <= L; ell++) {
      const d = ws.d[ell];
      const aPrev = ws.a[ell - 1];
      const g = gW[ell];
      const gbl = gb[ell];
      for (let j = 0; j < d.length; j++) {
        const dj = d[j] / m; // as the core: δ/m first, then the products
        gbl[j] += dj;
        const row = g[j];
        for (let k = 0; k < aPrev.length; k++) row[k] += dj * aPrev[k];
        dsum[ell] += Math.abs(d[j]);
      }
    }
  }
  const deltaSize = [null];
  for (let ell = 1; ell <= L; ell++) deltaSize.push(dsum[ell] / (m * st.W[ell].length));
  return { cost: cost / m, gW, gb, deltaSize };
}

/** One SGD step on a mini-batch, in place: W ← W − η ∂C/∂W, b ← b − η ∂C/∂b. */
export function sgdStep(st, X, Y, idx, eta) {
  const g = batchBackward(st, X, Y, idx);
  for (let ell = 1; ell < st.W.length; ell++) {
    const W = st.W[ell];
    for (let j = 0; j < W.length; j++) {
      for (let k = 0; k < W[j].length; k++) W[j][k] -= eta * g.gW[ell][j][k];
      st.b[ell][j] -= eta * g.gb[ell][j];
    }
  }
  return g;
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

/** Mean cost over a whole data set, and how many points the output classifies right. */
export function datasetCost(st, X, Y) {
  const ws = workspace(st);
  const aL = ws.a[ws.L];
  let cost = 0;
  let right = 0;
  const y = [0];
  for (let i = 0; i < X.length; i++) {
    y[0] = Y[i];
    cost += forwardInto(st, ws, X[i], y);
    if ((aL[0] >= 0.5 ? 1 : 0) === Y[i]) right += 1;
  }
  return { cost: cost / X.length, right };
}

/** Train for c.epochs epochs (for the tests): the batches used and the result. */
export function trainEpochs(c) {
  const st = {
    W: [null, ...c.weights.map((w) => w.map((r) => r.slice()))],
    b: [null, ...c.biases.map((v) => v.slice())],
    activation: c.activation,
    output_activation: c.output_activation,
    cost: c.cost,
  };
  const rng = makeRng(c.seed);
  const batches = [];
  const costs = [];
  for (let e = 0; e < c.epochs; e++) {
    for (const idx of epochBatches(c.X.length, c.batch, rng)) {
      batches.push(idx);
      costs.push(sgdStep(st, c.X, c.Y, idx, c.eta).cost);
    }
  }
  return { batches, costs, weights: st.W.slice(1), biases: st.b.slice(1) };
}

/** True if every number the display needs is finite. */
function allFinite(r) {
  const ok = (v) => Number.isFinite(v);
  if (!ok(r.cost)) return false;
  for (let ell = 1; ell <= r.L; ell++) {
    if (!r.z[ell].every(ok) || !r.a[ell].every(ok) || !r.delta[ell].every(ok)) return false;
    if (!r.gW[ell].every((row) => row.every(ok))) return false;
  }
  return true;
}

// ------------------------------------------------------------------ formatting

/** A value as displayed: 4 significant digits, scientific outside [1e-3, 1e4). */
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
function fmtf(v) {
  const s = fmt(v);
  return v < 0 ? `(${s})` : s;
}

// Superscripts and subscripts for the book's symbols: w²₁₂, δˡⱼ, aˡ⁻¹ₖ.
const SUPMAP = { ...[..."⁰¹²³⁴⁵⁶⁷⁸⁹"], "-": "⁻", "−": "⁻", "+": "⁺", ℓ: "ˡ" };
const SUBMAP = { ...[..."₀₁₂₃₄₅₆₇₈₉"], j: "ⱼ", k: "ₖ" };
const sup = (n) => [...String(n)].map((c) => SUPMAP[c] ?? c).join("");
const sub = (n) => [...String(n)].map((c) => SUBMAP[c] ?? c).join("");

const COST_LABEL = { quadratic: "quadratic ½‖a − y‖²", cross_entropy: "cross-entropy" };
const ACT_LABEL = {
  sigmoid: "sigmoid σ",
  tanh: "tanh",
  relu: "ReLU",
  linear: "linear (identity)",
  softmax: "softmax (output only)",
};

// ------------------------------------------------------------------ DOM helpers

const SVGNS = "http://www.w3.org/2000/svg";
let uid = 0;

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

function s(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, String(v));
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

/** Write text or an attribute only when it changed: fewer DOM writes per slider move. */
function put(el, text) {
  if (el.__text !== text) {
    el.__text = text;
    el.textContent = text;
  }
}

function att(el, name, value) {
  const key = `__attr_${name}`;
  if (el[key] !== value) {
    el[key] = value;
    el.setAttribute(name, value);
  }
}

const clone = (v) => JSON.parse(JSON.stringify(v));

function sameNumbers(p, q) {
  return JSON.stringify(p) === JSON.stringify(q);
}

/** 0..1 on a log scale: 1e-5 → 0, 1 → 1 (δ and gradient magnitudes span decades). */
function logScale(v) {
  const av = Math.abs(v);
  if (av === 0) return 0;
  return Math.min(1, Math.max(0, (Math.log10(av) + 5) / 5));
}

// Colours are the stylesheet's variables, so that they follow the page's light or
// dark theme (explorer.css): blue positive, red negative, grey zero.
const signColour = (v) =>
  v > 0 ? "var(--bpx-pos)" : v < 0 ? "var(--bpx-neg)" : "var(--bpx-zero)";

/** Set a style property (a colour from a CSS variable) only when it changed. */
function sty(el, name, value) {
  const key = `__style_${name}`;
  if (el[key] !== value) {
    el[key] = value;
    el.style.setProperty(name, value);
  }
}

// ------------------------------------------------------------------ the view

/** The layer sizes of a state (W indexed 1..L). */
const sizesOf = (st) => [st.W[1][0].length, ...st.W.slice(1).map((W) => W.length)];

class Explorer {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.id = `bpx${++uid}-${Math.random().toString(36).slice(2, 8)}`;
    this.timer = null;
    this.spec = model.get("spec");
    if (!this.spec || !this.spec.state) {
      throw new Error("the widget sent no spec (backprop_lib too old for this front end?)");
    }
    this.readModel();
    this.seed = 1;
    this.train = { name: "", n: 200, batch: 10, epoch: 0, X: null, Y: null, point: 0 };
    this.train.costs = [];
    this.train.deltas = [];
    this.recompute();
    this.build();
    this.updateTraining();
    this.syncControls();
    this.update();
    this.onModel = () => {
      if (!this.pushing) this.fromModel();
    };
    this.events = [...this.spec.state, "eta", "step", "selected", "error"].map(
      (k) => `change:${k}`,
    );
    for (const ev of this.events) model.on(ev, this.onModel);
  }

  destroy() {
    this.stopPlay();
    this.stopTraining();
    for (const ev of this.events) this.model.off(ev, this.onModel);
  }

  // ---------------------------------------------------------- state <-> model
  stateFromModel() {
    const m = this.model;
    return {
      W: [null, ...clone(m.get("weights"))],
      b: [null, ...clone(m.get("biases"))],
      x: clone(m.get("x")),
      y: clone(m.get("y")),
      activation: m.get("activation"),
      output_activation: m.get("output_activation"),
      cost: m.get("cost"),
    };
  }

  readModel() {
    const m = this.model;
    this.st = this.stateFromModel();
    this.setSizes();
    this.eta = Number(m.get("eta"));
    this.R = Number(m.get("weight_range"));
    this.XR = Number(m.get("value_range"));
    this.step = Number(m.get("step"));
    this.selected = clone(m.get("selected") || []);
  }

  setSizes() {
    this.L = this.st.W.length - 1;
    this.sizes = sizesOf(this.st);
  }

  /** A change arrived from the model (Python, or another view of the same widget). */
  fromModel() {
    try {
      const st = this.stateFromModel();
      const changed = !sameNumbers(st, this.st);
      this.eta = Number(this.model.get("eta"));
      this.step = Number(this.model.get("step"));
      this.selected = clone(this.model.get("selected") || []);
      if (changed && !problem(st, this.spec)) {
        const r = compute(st);
        if (allFinite(r)) {
          const reshaped = !sameNumbers(sizesOf(st), this.sizes);
          this.st = st;
          this.r = r;
          if (reshaped) {
            this.rebuild();
            if (this.train.name) this.resetTrainingHistory();
            this.updateTraining();
          }
        }
      }
      this.syncControls();
      this.update();
    } catch (err) {
      this.flag(`could not apply the change: ${err.message}`);
    }
  }

  push(keys) {
    const m = this.model;
    const st = this.st;
    const values = {
      sizes: () => sizesOf(st),
      weights: () => clone(st.W.slice(1)),
      biases: () => clone(st.b.slice(1)),
      x: () => st.x.slice(),
      y: () => st.y.slice(),
      activation: () => st.activation,
      output_activation: () => st.output_activation,
      cost: () => st.cost,
      eta: () => this.eta,
      step: () => this.step,
      selected: () => this.selected.slice(),
      dataset: () => this.datasetState(),
    };
    this.pushing = true;
    try {
      for (const k of keys) m.set(k, values[k]());
      m.save_changes();
    } catch (err) {
      // Without a kernel there is nothing to save to; the view keeps working.
    } finally {
      this.pushing = false;
    }
  }

  recompute() {
    this.r = compute(this.st);
  }

  /**
   * Try a new state: apply it if it is a valid network with finite values, else
   * flag the problem and keep the last good state. Returns true if applied.
   */
  tryState(st, keys, what) {
    const why = problem(st, this.spec);
    if (why) {
      this.flag(`${what}: refused, ${why}. Kept the previous values.`);
      return false;
    }
    let r;
    try {
      r = compute(st);
    } catch (err) {
      this.flag(`${what}: refused (${err.message}). Kept the previous values.`);
      return false;
    }
    if (!allFinite(r)) {
      this.flag(`${what}: refused, some value would not be finite. Kept the previous values.`);
      return false;
    }
    const reshaped = !sameNumbers(sizesOf(st), this.sizes);
    this.st = st;
    this.r = r;
    if (reshaped) this.rebuild();
    this.update();
    this.push(keys);
    return true;
  }

  /** Build the DOM again for new layer sizes, keeping the keyboard focus's place. */
  rebuild() {
    const f = document.activeElement;
    const key =
      f && this.root && this.root.contains(f)
        ? ["role", "layer", "unit", "row", "col"].map((k) => f.dataset[k] ?? "")
        : null;
    this.setSizes();
    if (this.selected.length === 2) {
      const [ell, j] = this.selected;
      if (ell > this.L || j > this.sizes[ell]) this.selected = [];
    }
    if (this.step >= this.nStages()) this.step = -1;
    this.root.remove();
    this.build();
    // with a data set, the caller redraws the training panel once its numbers are new
    if (!this.train.name) this.updateTraining();
    this.syncControls();
    if (key) {
      const sel = ["role", "layer", "unit", "row", "col"]
        .map((k, i) => (key[i] ? `[data-${k}="${key[i]}"]` : ""))
        .join("");
      const el = this.root.querySelector(sel);
      if (el && !el.disabled) el.focus();
      else if (el) this.root.querySelector(`[data-role="${key[0]}"]`)?.focus();
    }
  }

  flag(text, control = null) {
    this.msg.textContent = text;
    this.msg.hidden = !text;
    if (control) control.setAttribute("aria-invalid", "true");
  }

  clearFlag(control = null) {
    if (control) control.removeAttribute("aria-invalid");
  }

  // ---------------------------------------------------------- building the DOM
  build() {
    const id = this.id;
    const L = this.L;
    const root = h("div", {
      class: "bpx",
      role: "group",
      "aria-label": "δ explorer: a network whose errors δ you can watch",
    });
    this.root = root;

    // toolbar: selectors, η and the buttons
    const bar = h("div", { class: "bpx-toolbar" });
    const select = (key, label, options) => {
      const sel = h("select", { id: `${id}-${key}`, "data-role": `${key}-select` });
      for (const o of options)
        sel.append(h("option", { value: o, text: ACT_LABEL[o] || COST_LABEL[o] || o }));
      bar.append(h("span", { class: "bpx-field" }, h("label", { for: sel.id, text: label }), sel));
      sel.addEventListener("change", () => this.onSelect(key, sel));
      return sel;
    };
    this.selAct = select("activation", "Hidden activation", this.spec.hidden_activations);
    this.selOut = select("output_activation", "Output activation", this.spec.output_activations);
    this.selCost = select("cost", "Cost", Object.keys(this.spec.costs));
    if (L === 1) {
      this.selAct.disabled = true;
      this.selAct.title = "This network has no hidden layer.";
    }
    this.etaBox = h("input", {
      id: `${id}-eta`,
      type: "text",
      "data-role": "eta",
      inputmode: "decimal",
      autocomplete: "off",
    });
    this.etaBox.addEventListener("change", () => this.onEta());
    bar.append(
      h(
        "span",
        { class: "bpx-field" },
        h("label", { for: this.etaBox.id, text: "Learning rate η" }),
        this.etaBox,
      ),
    );
    const button = (role, text, title, fn) => {
      const b = h("button", { type: "button", "data-role": role, title, text });
      b.addEventListener("click", () => fn());
      bar.append(b);
      return b;
    };
    this.btnStep = button(
      "step-backward",
      "Step backward ▸",
      "Compute the next step of backprop (BP1, BP2 per layer, BP3, BP4)",
      () => this.stepOnce(),
    );
    this.btnPlay = button("play", "Play ▶", "Animate the backward pass one step at a time", () =>
      this.togglePlay(),
    );
    this.btnAll = button("show-all", "Show all", "Leave step mode and show every value", () =>
      this.setStep(-1),
    );
    this.btnSgd = button(
      "sgd-step",
      "SGD step",
      "One step of gradient descent: w ← w − η ∂C/∂w, b ← b − η ∂C/∂b",
      () => this.sgdStep(),
    );
    this.btnReset = button(
      "reset",
      "Reset",
      "Back to the weights, inputs and choices the explorer started with",
      () => this.reset(),
    );
    root.append(bar);
    root.append(this.buildArch());

    // cost, stage, messages
    this.costEl = h("span", { "data-role": "cost" });
    root.append(h("div", { class: "bpx-costline" }, h("span", { text: "Cost C = " }), this.costEl));
    this.stageEl = h("div", { class: "bpx-stage", "data-role": "stage", "aria-live": "polite" });
    root.append(this.stageEl);
    this.msg = h("div", {
      class: "bpx-message",
      "data-role": "message",
      role: "status",
      "aria-live": "polite",
    });
    this.msg.hidden = true;
    root.append(this.msg);

    // the diagram
    root.append(this.buildSvg());
    root.append(
      h(
        "p",
        { class: "bpx-legend" },
        "Blue is positive, red negative. A connection's core line is its weight w (thicker = larger |w|); " +
          "its pale halo is ∂C/∂w. A neuron's ring is its δ (thicker = larger |δ|, on a log scale from 10⁻⁵ to 1; " +
          "dashed grey = exactly 0). Inside: a; above: z; below: δ. Click a neuron, or focus it and press Enter, for its equations.",
      ),
    );
    this.eqEl = h("div", { class: "bpx-equation", "data-role": "equation", "aria-live": "polite" });
    this.eqEl.textContent = "Select a neuron to see its equations with the current numbers.";
    root.append(this.eqEl);

    root.append(this.buildTrain());
    root.append(this.buildDataPanel());
    root.append(this.buildParamPanel());
    root.append(this.buildTable());
    this.el.append(root);
  }

  buildSvg() {
    const L = this.L;
    const sizes = this.sizes;
    const maxN = Math.max(...sizes);
    const Wd = 180 + 190 * L;
    const rowH = 92;
    const top = 44;
    const Ht = top + rowH * maxN + 10;
    this.geo = { cx: [], cy: [] };
    for (let ell = 0; ell <= L; ell++) {
      const x = 75 + ((Wd - 190) * ell) / L;
      const n = sizes[ell];
      const off = top + (rowH * (maxN - n)) / 2 + rowH / 2;
      this.geo.cx.push(x);
      this.geo.cy.push(Array.from({ length: n }, (_, j) => off + j * rowH));
    }
    const svg = s("svg", {
      class: "bpx-svg",
      viewBox: `0 0 ${Wd} ${Ht}`,
      role: "group",
      "aria-label":
        "Network diagram: the neurons with z, a and δ, and the weights with their gradients",
    });
    this.edgeEls = [null];
    this.nodeEls = [];
    const edges = s("g", { class: "bpx-edges" });
    const nodes = s("g", { class: "bpx-nodes" });
    const few = sizes.slice(1).every((n, i) => n * sizes[i] <= 4);
    this.edgeLabels = few;
    for (let ell = 1; ell <= L; ell++) {
      const rows = [];
      for (let j = 0; j < sizes[ell]; j++) {
        const row = [];
        for (let k = 0; k < sizes[ell - 1]; k++) {
          const x1 = this.geo.cx[ell - 1] + 24;
          const y1 = this.geo.cy[ell - 1][k];
          const x2 = this.geo.cx[ell] - 24;
          const y2 = this.geo.cy[ell][j];
          const g = s("g", {
            class: "bpx-edge",
            "data-role": "edge",
            "data-layer": ell,
            "data-row": j + 1,
            "data-col": k + 1,
          });
          const title = s("title");
          const halo = s("line", { class: "bpx-halo", x1, y1, x2, y2 });
          const line = s("line", { class: "bpx-w", x1, y1, x2, y2 });
          g.append(title, halo, line);
          let label = null;
          if (few) {
            const t = 0.3 + (0.4 * (k + 0.5)) / sizes[ell - 1];
            label = s("text", {
              class: "bpx-elabel",
              x: x1 + t * (x2 - x1),
              y: y1 + t * (y2 - y1) - 4,
              "text-anchor": "middle",
            });
            g.append(label);
          }
          edges.append(g);
          row.push({ g, title, halo, line, label });
        }
        rows.push(row);
      }
      this.edgeEls.push(rows);
    }
    for (let ell = 0; ell <= L; ell++) {
      const layerNodes = [];
      const x = this.geo.cx[ell];
      const name = ell === 0 ? "input" : ell === L ? "output" : "hidden";
      nodes.append(
        s("text", { class: "bpx-ltitle", x, y: 18, "text-anchor": "middle", text: `layer ${ell}` }),
      );
      const sub2 = s("text", { class: "bpx-lsub", x, y: 34, "text-anchor": "middle", text: name });
      nodes.append(sub2);
      layerNodes.sub = sub2;
      for (let j = 0; j < sizes[ell]; j++) {
        const y = this.geo.cy[ell][j];
        const g = s("g", {
          class: "bpx-node",
          role: "button",
          tabindex: 0,
          "data-role": "neuron",
          "data-layer": ell,
          "data-unit": j + 1,
        });
        const ring = s("circle", { class: "bpx-ring", cx: x, cy: y, r: 21 });
        const body = s("circle", { class: "bpx-body", cx: x, cy: y, r: 18 });
        const aText = s("text", {
          class: "bpx-a",
          x,
          y: y + 4,
          "text-anchor": "middle",
          "data-role": "a",
          "data-layer": ell,
          "data-unit": j + 1,
        });
        g.append(ring, body);
        const node = { g, ring, body, a: aText, z: null, delta: null, target: null, texts: [] };
        if (ell > 0) {
          const zt = s("text", { class: "bpx-zl", x, y: y - 27, "text-anchor": "middle" });
          zt.append(s("tspan", { class: "bpx-sym", text: "z " }));
          node.z = s("tspan", { "data-role": "z", "data-layer": ell, "data-unit": j + 1 });
          zt.append(node.z);
          const dt = s("text", { class: "bpx-dl", x, y: y + 36, "text-anchor": "middle" });
          dt.append(s("tspan", { class: "bpx-sym", text: "δ " }));
          node.delta = s("tspan", { "data-role": "delta", "data-layer": ell, "data-unit": j + 1 });
          dt.append(node.delta);
          // the spaces between the texts are not drawn; they keep the visible
          // text's words apart for assistive technology ("z 0.1 0.5 δ 0.2")
          g.append(zt, " ", aText, " ", dt);
          node.texts.push(zt, aText, dt);
        } else {
          const xt = s("text", {
            class: "bpx-zl",
            x,
            y: y - 27,
            "text-anchor": "middle",
            text: `x${sub(j + 1)}`,
          });
          g.append(xt, " ", aText);
          node.texts.push(xt, aText);
        }
        if (ell === L) {
          const tt = s("text", { class: "bpx-target", x: x + 30, y: y + 4 });
          tt.append(s("tspan", { class: "bpx-sym", text: `y${sub(j + 1)} = ` }));
          node.target = s("tspan", { "data-role": "target-value", "data-unit": j + 1 });
          tt.append(node.target);
          g.append(" ", tt);
          node.texts.push(tt);
        }
        const pick = () => this.select(ell, j + 1);
        g.addEventListener("click", pick);
        g.addEventListener("keydown", (ev) => {
          if (ev.key === "Enter" || ev.key === " ") {
            ev.preventDefault();
            pick();
          }
        });
        nodes.append(g);
        layerNodes.push(node);
      }
      this.nodeEls.push(layerNodes);
    }
    svg.append(edges, nodes);
    return h("div", { class: "bpx-figure" }, svg);
  }

  numberBox(attrs, label, onChange) {
    const box = h("input", { type: "text", inputmode: "decimal", autocomplete: "off", ...attrs });
    box.addEventListener("change", () => onChange(box));
    return h("span", { class: "bpx-field" }, h("label", { for: attrs.id, text: label }), box);
  }

  buildDataPanel() {
    const id = this.id;
    const fs = h(
      "fieldset",
      { class: "bpx-data" },
      h("legend", { text: "Input x and target y (type a number, then Enter)" }),
    );
    this.xBoxes = [];
    this.yBoxes = [];
    for (let j = 0; j < this.sizes[0]; j++) {
      const wrap = this.numberBox(
        { id: `${id}-x${j}`, "data-role": "input", "data-unit": j + 1 },
        `x${sub(j + 1)}`,
        (box) => this.onData("x", j, box),
      );
      this.xBoxes.push(wrap.querySelector("input"));
      fs.append(wrap);
    }
    fs.append(h("span", { class: "bpx-sep", "aria-hidden": "true", text: "│" }));
    for (let j = 0; j < this.sizes[this.L]; j++) {
      const wrap = this.numberBox(
        { id: `${id}-y${j}`, "data-role": "target", "data-unit": j + 1 },
        `y${sub(j + 1)}`,
        (box) => this.onData("y", j, box),
      );
      this.yBoxes.push(wrap.querySelector("input"));
      fs.append(wrap);
    }
    return fs;
  }

  buildParamPanel() {
    const id = this.id;
    const R = this.R;
    const wrap = h("div", { class: "bpx-params" });
    this.wCtl = [null];
    this.bCtl = [null];
    const many = this.sizes.slice(1).reduce((p, n, i) => p + n * (this.sizes[i] + 1), 0) > 24;
    for (let ell = 1; ell <= this.L; ell++) {
      const det = h("details", { class: "bpx-layer" });
      if (!many || ell === this.L) det.open = true;
      det.append(
        h("summary", {
          text: `Layer ${ell}: weights W${sup(ell)} (${this.sizes[ell]}×${this.sizes[ell - 1]}) and biases b${sup(ell)}`,
        }),
      );
      const rows = [];
      const brow = [];
      for (let j = 0; j < this.sizes[ell]; j++) {
        const line = h("div", { class: "bpx-prow" });
        const row = [];
        const param = (kind, k) => {
          const name =
            kind === "weight"
              ? `w${sup(ell)}${sub(j + 1)}${sub(k + 1)}`
              : `b${sup(ell)}${sub(j + 1)}`;
          const base = kind === "weight" ? `${id}-w${ell}-${j}-${k}` : `${id}-b${ell}-${j}`;
          const attrs = {
            id: base,
            type: "range",
            min: -R,
            max: R,
            step: "0.01",
            "data-role": kind,
            "data-layer": ell,
            "data-row": j + 1,
          };
          if (kind === "weight") attrs["data-col"] = k + 1;
          const slider = h("input", attrs);
          const entry = h("input", {
            id: `${base}-n`,
            type: "text",
            inputmode: "decimal",
            autocomplete: "off",
            class: "bpx-entry",
            "data-role": `${kind}-entry`,
            "data-layer": ell,
            "data-row": j + 1,
            "data-col": kind === "weight" ? k + 1 : null,
            "aria-label": `${name}, typed value`,
          });
          const grad = h("output", {
            class: "bpx-grad",
            for: base,
            "data-role": kind === "weight" ? "grad-w" : "grad-b",
            "data-layer": ell,
            "data-row": j + 1,
            "data-col": kind === "weight" ? k + 1 : null,
          });
          const cell = h(
            "span",
            { class: `bpx-param bpx-${kind}` },
            h("label", { for: base, text: name }),
            slider,
            entry,
            h("span", {
              class: "bpx-gl",
              "aria-hidden": "true",
              text: kind === "weight" ? "∂C/∂w" : "∂C/∂b",
            }),
            grad,
          );
          slider.addEventListener("input", () => this.onParam(kind, ell, j, k, slider, false));
          entry.addEventListener("change", () => this.onParam(kind, ell, j, k, entry, true));
          if (kind === "weight") {
            const e = this.edgeEls[ell][j][k].g;
            const on = () => e.classList.add("bpx-focus");
            const off = () => e.classList.remove("bpx-focus");
            slider.addEventListener("focus", on);
            slider.addEventListener("blur", off);
            cell.addEventListener("mouseenter", on);
            cell.addEventListener("mouseleave", off);
          }
          line.append(cell);
          return { slider, entry, grad };
        };
        for (let k = 0; k < this.sizes[ell - 1]; k++) row.push(param("weight", k));
        brow.push(param("bias", 0));
        rows.push(row);
        det.append(line);
      }
      this.wCtl.push(rows);
      this.bCtl.push(brow);
      wrap.append(det);
    }
    return wrap;
  }

  buildTable() {
    const det = h(
      "details",
      { class: "bpx-tables" },
      h("summary", { text: "All values as a table (text alternative to the diagram)" }),
    );
    const cell = (tag, attrs, text) => h(tag, { ...attrs, text });
    const t1 = h(
      "table",
      { class: "bpx-table" },
      h("caption", { text: "Neurons: pre-activation z, activation a, error δ, and ∂C/∂b" }),
    );
    t1.append(
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...["layer ℓ", "unit j", "z", "a", "δ", "∂C/∂b", ""].map((c) =>
            cell("th", { scope: "col" }, c),
          ),
        ),
      ),
    );
    const b1 = h("tbody");
    this.tNeurons = [];
    for (let ell = 0; ell <= this.L; ell++) {
      const rows = [];
      for (let j = 0; j < this.sizes[ell]; j++) {
        const at = (role) =>
          ell === 0 && role !== "a"
            ? {}
            : { "data-role": role, "data-layer": ell, "data-unit": j + 1 };
        const z = cell("td", at("z"), "");
        const a = cell("td", at("a"), "");
        const d = cell("td", at("delta"), "");
        const gb = cell("td", {}, "");
        const btn = h("button", {
          type: "button",
          text: "equations",
          "aria-label": `Show the equations of neuron ${j + 1} of layer ${ell}`,
        });
        btn.addEventListener("click", () => this.select(ell, j + 1));
        b1.append(
          h(
            "tr",
            {},
            cell("th", { scope: "row" }, String(ell)),
            cell("td", {}, String(j + 1)),
            z,
            a,
            d,
            gb,
            h("td", {}, btn),
          ),
        );
        rows.push({ z, a, d, gb });
      }
      this.tNeurons.push(rows);
    }
    t1.append(b1);
    const t2 = h(
      "table",
      { class: "bpx-table" },
      h("caption", {
        text: "Weights wˡⱼₖ (from unit k of layer ℓ−1 to unit j of layer ℓ) and ∂C/∂w",
      }),
    );
    t2.append(
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...["layer ℓ", "j", "k", "w", "∂C/∂w"].map((c) => cell("th", { scope: "col" }, c)),
        ),
      ),
    );
    const b2 = h("tbody");
    this.tWeights = [null];
    for (let ell = 1; ell <= this.L; ell++) {
      const rows = [];
      for (let j = 0; j < this.sizes[ell]; j++) {
        const row = [];
        for (let k = 0; k < this.sizes[ell - 1]; k++) {
          const w = cell(
            "td",
            {
              "data-role": "weight-value",
              "data-layer": ell,
              "data-row": j + 1,
              "data-col": k + 1,
            },
            "",
          );
          const g = cell("td", {}, "");
          b2.append(
            h(
              "tr",
              {},
              cell("th", { scope: "row" }, String(ell)),
              cell("td", {}, String(j + 1)),
              cell("td", {}, String(k + 1)),
              w,
              g,
            ),
          );
          row.push({ w, g });
        }
        rows.push(row);
      }
      this.tWeights.push(rows);
    }
    t2.append(b2);
    det.append(h("div", { class: "bpx-tablewrap" }, t1), h("div", { class: "bpx-tablewrap" }, t2));
    return det;
  }

  // ---------------------------------------------------------- updating the DOM
  /** Put the state's values into the input controls (sliders, boxes, selects). */
  syncControls() {
    const st = this.st;
    for (let ell = 1; ell <= this.L; ell++) {
      for (let j = 0; j < this.sizes[ell]; j++) {
        for (let k = 0; k < this.sizes[ell - 1]; k++) {
          const c = this.wCtl[ell][j][k];
          this.setSlider(c, st.W[ell][j][k]);
        }
        this.setSlider(this.bCtl[ell][j], st.b[ell][j]);
      }
    }
    this.xBoxes.forEach((box, j) => this.setBox(box, st.x[j]));
    this.yBoxes.forEach((box, j) => this.setBox(box, st.y[j]));
    this.selAct.value = st.activation;
    this.selOut.value = st.output_activation;
    this.selCost.value = st.cost;
    this.etaBox.value = String(this.eta);
    this.updateOptions();
  }

  setSlider(c, v) {
    const text = String(v);
    if (c.slider.__v !== text && document.activeElement !== c.slider) {
      c.slider.value = text; // (snapped to the slider's step when drawn)
      c.slider.__v = text;
    } else if (document.activeElement === c.slider) {
      c.slider.__v = null; // the reader moves it: write it again next time
    }
    att(c.slider, "aria-valuetext", fmt(v));
    this.setBox(c.entry, v);
  }

  setBox(box, v) {
    const text = String(v);
    if (box.value === text) return;
    if (document.activeElement !== box || box.getAttribute("aria-invalid") !== "true") {
      box.value = text;
    }
  }

  /** Disable the selector options that would make an invalid network. */
  updateOptions() {
    const st = this.st;
    const spec = this.spec;
    const nL = this.sizes[this.L];
    const allowedBy = (cost, act) => {
      const outs = spec.costs[cost].output_activations;
      return !outs || outs.includes(act);
    };
    for (const o of this.selOut.options) {
      const trial = { ...st, output_activation: o.value };
      o.disabled = nL < spec.activations[o.value].min_units || !allowedBy(st.cost, o.value);
      if (!o.disabled && problem(trial, spec) && o.value !== st.output_activation) {
        o.title = problem(trial, spec);
      } else {
        o.title = "";
      }
    }
    for (const o of this.selCost.options) {
      o.disabled = !allowedBy(o.value, st.output_activation);
    }
  }

  /**
   * Write the state's numbers into the DOM. `light` (while training plays) skips
   * the text table and the parameter panel, written again when training pauses.
   */
  update(light = false) {
    const full = !light;
    const st = this.st;
    const r = this.r;
    const L = this.L;
    const stage = this.stageInfo();
    const root = this.root;
    att(root, "data-activation", st.activation);
    att(root, "data-output-activation", st.output_activation);
    att(root, "data-cost", st.cost);
    att(root, "data-step", String(this.step));
    put(this.costEl, fmt(r.cost));
    put(this.stageEl, stage.text);
    const err = this.model.get("error");
    if (err) {
      this.flag(`Python: ${err}`);
    } else if (this.msg.textContent.startsWith("Python: ")) {
      this.flag("");
    }

    // neurons
    for (let ell = 0; ell <= L; ell++) {
      const actName = ell === 0 ? "input" : actOf(st, ell);
      put(
        this.nodeEls[ell].sub,
        ell === 0 ? "input" : `${ell === L ? "output" : "hidden"}, ${ACTIVATIONS[actName].name}`,
      );
      for (let j = 0; j < this.sizes[ell]; j++) {
        const n = this.nodeEls[ell][j];
        const t = this.tNeurons[ell][j];
        const av = r.a[ell][j];
        const aS = fmt(av);
        put(n.a, aS);
        att(n.a, "class", aS.length > 6 ? "bpx-a bpx-long" : "bpx-a");
        if (full) put(t.a, aS);
        att(n.a, "data-value", String(av));
        sty(n.body, "fill", signColour(av));
        att(n.body, "fill-opacity", String(0.08 + 0.4 * Math.min(1, Math.abs(av))));
        const sel =
          this.selected.length === 2 && this.selected[0] === ell && this.selected[1] === j + 1;
        n.g.classList.toggle("bpx-selected", sel);
        att(n.g, "aria-pressed", sel ? "true" : "false");
        if (ell === 0) {
          att(n.g, "data-state", stage.readsX ? "read" : "");
          this.labelNeuron(n, ell, j, `x${sub(j + 1)} = a = ${aS}`);
          continue;
        }
        const zv = r.z[ell][j];
        const zS = fmt(zv);
        put(n.z, zS);
        if (full) put(t.z, zS);
        att(n.z, "data-value", String(zv));
        const known = stage.known(ell);
        const dv = r.delta[ell][j];
        const dS = known ? fmt(dv) : "?";
        put(n.delta, dS);
        if (full) put(t.d, dS);
        att(n.delta, "data-value", known ? String(dv) : "");
        const dstate = stage.writes(ell)
          ? "write"
          : stage.readsDelta(ell)
            ? "read"
            : known
              ? "done"
              : "pending";
        att(n.delta, "data-state", dstate);
        if (full) att(t.d, "data-state", dstate);
        att(n.g, "data-state", stage.writes(ell) ? "write" : stage.readsNeuron(ell) ? "read" : "");
        if (known) {
          sty(n.ring, "stroke", signColour(dv));
          att(n.ring, "stroke-width", String(1 + 7 * logScale(dv)));
          n.ring.classList.toggle("bpx-zero", dv === 0);
        } else {
          sty(n.ring, "stroke", "var(--bpx-border)");
          att(n.ring, "stroke-width", "1");
          n.ring.classList.remove("bpx-zero");
        }
        if (full) {
          att(this.bCtl[ell][j].slider, "data-value", String(st.b[ell][j]));
          const gbKnown = stage.gradKnown("b");
          const gbS = gbKnown ? fmt(r.gb[ell][j]) : "?";
          put(t.gb, gbS);
          put(this.bCtl[ell][j].grad, gbS);
          att(
            this.bCtl[ell][j].grad,
            "data-state",
            gbKnown ? (stage.id === "bp3" ? "write" : "done") : "pending",
          );
        }
        if (n.target) put(n.target, fmt(st.y[j]));
        const what = `z = ${zS}, a = ${aS}, δ = ${dS}${n.target ? `, target y${sub(j + 1)} = ${fmt(st.y[j])}` : ""}`;
        this.labelNeuron(n, ell, j, what);
      }
    }
    this.xBoxes.forEach((box, j) => att(box, "data-value", String(st.x[j])));
    this.yBoxes.forEach((box, j) => att(box, "data-value", String(st.y[j])));
    // weights
    const gwKnown = stage.gradKnown("w");
    for (let ell = 1; ell <= L; ell++) {
      for (let j = 0; j < this.sizes[ell]; j++) {
        for (let k = 0; k < this.sizes[ell - 1]; k++) {
          const w = st.W[ell][j][k];
          const g = r.gW[ell][j][k];
          const e = this.edgeEls[ell][j][k];
          const wS = fmt(w);
          const gS = gwKnown ? fmt(g) : "?";
          sty(e.line, "stroke", signColour(w));
          att(e.line, "stroke-width", String(0.6 + 5 * Math.min(1, Math.abs(w) / this.R)));
          sty(e.halo, "stroke", gwKnown && g !== 0 ? signColour(g) : "none");
          att(e.halo, "stroke-width", String(2 + 14 * logScale(g)));
          put(e.title, `w${sup(ell)}${sub(j + 1)}${sub(k + 1)} = ${wS}, ∂C/∂w = ${gS}`);
          if (e.label) put(e.label, `${wS} | ∂ ${gS}`);
          att(e.g, "data-state", stage.readsW(ell) ? "read" : "");
          if (full) {
            const c = this.wCtl[ell][j][k];
            att(c.slider, "data-value", String(w));
            put(c.grad, gS);
            att(c.grad, "data-state", gwKnown ? (stage.id === "bp4" ? "write" : "done") : "pending");
            put(this.tWeights[ell][j][k].w, wS);
            put(this.tWeights[ell][j][k].g, gS);
          }
        }
      }
    }
    put(this.btnPlay, this.timer ? "Pause ❚❚" : "Play ▶");
    att(this.btnPlay, "aria-pressed", this.timer ? "true" : "false");
    this.btnAll.disabled = this.step < 0;
    this.updateEquation();
  }

  /**
   * One accessible name per neuron that starts with its visible text (so speech
   * input users can say what they see) and then says what the numbers are.
   */
  labelNeuron(n, ell, j, what) {
    const visible = n.texts.map((t) => t.textContent.trim()).join(" ");
    const kind = ell === 0 ? "input" : ell === this.L ? "output" : "hidden";
    att(
      n.g,
      "aria-label",
      `${visible}: neuron ${j + 1} of layer ${ell} (${kind}); ${what}. Press Enter for its equations.`,
    );
  }


  // ---------------------------------------------------------- architecture editing
  buildArch() {
    const id = this.id;
    const spec = this.spec;
    const L = this.L;
    const fs = h(
      "fieldset",
      { class: "bpx-arch" },
      h("legend", { text: "Network shape (new random weights come from the draw number)" }),
    );
    const button = (role, text, disabled, fn, layer = null, title = null) => {
      const b = h("button", { type: "button", "data-role": role, "data-layer": layer, text, title });
      b.disabled = disabled;
      b.addEventListener("click", () => fn());
      return b;
    };
    fs.append(
      h("span", {
        class: "bpx-sizes",
        "data-role": "sizes",
        text: `Sizes ${this.sizes.join("–")}`,
      }),
    );
    for (let ell = 1; ell < L; ell++) {
      const n = this.sizes[ell];
      fs.append(
        h(
          "span",
          { class: "bpx-field bpx-unitctl", role: "group", "aria-label": `Hidden layer ${ell}` },
          h("span", { text: `Layer ${ell}: ${n} unit${n > 1 ? "s" : ""}` }),
          button("remove-unit", "Remove unit", n <= 1, () => this.editUnits(ell, -1), ell),
          button("add-unit", "Add unit", n >= spec.max_units, () => this.editUnits(ell, 1), ell),
        ),
      );
    }
    fs.append(
      button("add-layer", "Add hidden layer", L - 1 >= spec.max_hidden_layers, () =>
        this.editLayers(1),
      ),
      button("remove-layer", "Remove hidden layer", L <= 1, () => this.editLayers(-1)),
    );
    this.seedBox = h("input", {
      id: `${id}-seed`,
      type: "text",
      inputmode: "numeric",
      autocomplete: "off",
      "data-role": "seed",
      class: "bpx-short",
    });
    this.seedBox.value = String(this.seed);
    this.seedBox.addEventListener("change", () => this.onSeed());
    fs.append(
      h(
        "span",
        { class: "bpx-field" },
        h("label", { for: this.seedBox.id, text: "Draw number" }),
        this.seedBox,
      ),
      button("redraw", "New weights", false, () => this.redraw(this.sizes)),
    );
    return fs;
  }

  onSeed() {
    const v = parseNumber(this.seedBox.value);
    if (!Number.isInteger(v) || v < 0 || v > 2147483647) {
      this.flag(`Draw number: “${this.seedBox.value}” is not a whole number 0…2147483647; kept ${this.seed}.`, this.seedBox);
      return;
    }
    this.clearFlag(this.seedBox);
    this.flag("");
    this.seed = v;
    if (this.train.name) this.chooseDataset(this.train.name, true);
  }

  editUnits(ell, d) {
    const sizes = this.sizes.slice();
    sizes[ell] = Math.min(this.spec.max_units, Math.max(1, sizes[ell] + d));
    this.redraw(sizes);
  }

  editLayers(d) {
    const sizes = this.sizes.slice();
    const hidden = sizes.length - 2;
    if (d > 0 && hidden < this.spec.max_hidden_layers) {
      sizes.splice(sizes.length - 1, 0, hidden > 0 ? sizes[sizes.length - 2] : 3);
    } else if (d < 0 && hidden > 0) {
      sizes.splice(sizes.length - 2, 1);
    }
    this.redraw(sizes);
  }

  /** The network with these sizes and fresh weights from the seed. */
  redraw(sizes) {
    this.stopTraining();
    const { W, b } = randomParams(sizes, this.seed);
    const st = { ...this.st, W, b };
    if (this.step >= 0) this.step = -1;
    const keys = [...this.spec.state, "step", "selected"];
    if (this.tryState(st, keys, `Network ${sizes.join("–")}`)) {
      this.syncControls();
      this.resetTrainingHistory();
      this.updateTraining();
      this.flag("");
    }
  }

  // ---------------------------------------------------------- training on 2-D data
  buildTrain() {
    const id = this.id;
    const T = this.train;
    const fs = h("fieldset", { class: "bpx-train" }, h("legend", { text: "Train on 2-D data" }));
    const row = h("div", { class: "bpx-toolbar" });
    this.dsSel = h("select", { id: `${id}-ds`, "data-role": "dataset-select" });
    this.dsSel.append(h("option", { value: "", text: "none (one example)" }));
    for (const [k, v] of Object.entries(DATASETS)) this.dsSel.append(h("option", { value: k, text: v }));
    this.dsSel.value = T.name;
    this.dsSel.addEventListener("change", () => this.chooseDataset(this.dsSel.value));
    this.batchBox = h("input", {
      id: `${id}-batch`,
      type: "text",
      inputmode: "numeric",
      autocomplete: "off",
      "data-role": "batch-size",
      class: "bpx-short",
    });
    this.batchBox.value = String(T.batch);
    this.batchBox.addEventListener("change", () => this.onBatch());
    this.btnTrain = h("button", { type: "button", "data-role": "train", text: "Train ▶" });
    this.btnTrain.addEventListener("click", () => this.toggleTraining());
    this.btnEpoch = h("button", { type: "button", "data-role": "train-step", text: "One epoch" });
    this.btnEpoch.addEventListener("click", () => {
      this.stopTraining();
      this.trainEpoch();
      this.afterTraining();
    });
    row.append(
      h("span", { class: "bpx-field" }, h("label", { for: this.dsSel.id, text: "Data set" }), this.dsSel),
      h("span", { class: "bpx-field" }, h("label", { for: this.batchBox.id, text: "Batch size" }), this.batchBox),
      this.btnTrain,
      this.btnEpoch,
    );
    fs.append(row);
    const body = h("div", { class: "bpx-trainbody", "data-role": "train-panel" });
    this.trainBody = body;
    this.epochEl = h("span", { "data-role": "epoch" });
    this.trainCostEl = h("span", { "data-role": "train-cost" });
    this.accEl = h("span", { "data-role": "train-accuracy" });
    body.append(
      h(
        "p",
        { class: "bpx-trainline" },
        "Epoch ",
        this.epochEl,
        " · mean cost over the data ",
        this.trainCostEl,
        " · training accuracy ",
        this.accEl,
      ),
    );
    this.heat = h("canvas", {
      class: "bpx-heat",
      width: 240,
      height: 240,
      role: "img",
      "data-role": "heatmap",
    });
    this.heat.addEventListener("click", (ev) => this.pickPoint(ev));
    this.curves = h("canvas", {
      class: "bpx-curves",
      width: 240,
      height: 240,
      role: "img",
      "data-role": "curves",
    });
    body.append(h("div", { class: "bpx-plots" }, this.heat, this.curves));
    this.curveKey = h("p", { class: "bpx-small", "data-role": "curves-key" });
    this.heatText = h("p", { class: "bpx-small", "data-role": "heatmap-summary" });
    this.deltaText = h("p", { class: "bpx-small", "data-role": "delta-size" });
    body.append(this.curveKey, this.heatText, this.deltaText);
    this.pointBox = h("input", {
      id: `${id}-point`,
      type: "text",
      inputmode: "numeric",
      autocomplete: "off",
      "data-role": "point",
      class: "bpx-short",
    });
    this.pointBox.addEventListener("change", () => {
      const v = parseNumber(this.pointBox.value);
      if (!Number.isInteger(v) || v < 1 || v > (T.X ? T.X.length : 0)) {
        this.flag(`Point: “${this.pointBox.value}” is not a point number 1…${T.X ? T.X.length : 0}.`, this.pointBox);
        return;
      }
      this.clearFlag(this.pointBox);
      this.selectPoint(v - 1);
    });
    body.append(
      h(
        "span",
        { class: "bpx-field" },
        h("label", { for: this.pointBox.id, text: "Point shown in the diagram (or click one)" }),
        this.pointBox,
      ),
    );
    fs.append(body);
    return fs;
  }

  datasetState() {
    const T = this.train;
    if (!T.name) return {};
    return { name: T.name, seed: this.seed, n: T.X.length, X: T.X, y: T.Y, epoch: T.epoch };
  }

  resetTrainingHistory() {
    const T = this.train;
    T.epoch = 0;
    T.costs = [];
    T.deltas = [];
    T.rng = makeRng(this.seed + 1);
    if (T.name) this.recordTraining(null);
  }

  chooseDataset(name, fresh = false) {
    this.stopTraining();
    const T = this.train;
    T.name = name;
    if (!name) {
      T.X = null;
      T.Y = null;
      this.updateTraining();
      this.push(["dataset"]);
      return;
    }
    const d = makeDataset(name, T.n, this.seed);
    T.X = d.X;
    T.Y = d.y;
    T.point = 0;
    const spec = this.spec;
    const sizes = [2, ...this.sizes.slice(1, -1), 1];
    let st = { ...this.st, x: T.X[0].slice(), y: [T.Y[0]] };
    if (spec.activations[st.output_activation].min_units > 1) {
      const outs = spec.costs[st.cost].output_activations;
      st.output_activation = spec.output_activations.find(
        (a) => spec.activations[a].min_units <= 1 && (!outs || outs.includes(a)),
      );
    }
    if (fresh || !sameNumbers(sizes, this.sizes)) st = { ...st, ...randomParams(sizes, this.seed) };
    if (!this.tryState(st, [...spec.state, "step", "selected"], `Data set ${DATASETS[name]}`)) {
      T.name = "";
      this.dsSel.value = "";
      return;
    }
    this.syncControls();
    this.resetTrainingHistory();
    this.updateTraining();
    this.push(["dataset"]);
  }

  onBatch() {
    const v = parseNumber(this.batchBox.value);
    const n = this.train.n;
    if (!Number.isInteger(v) || v < 1 || v > n) {
      this.flag(`Batch size: “${this.batchBox.value}” is not a whole number 1…${n}; kept ${this.train.batch}.`, this.batchBox);
      return;
    }
    this.clearFlag(this.batchBox);
    this.flag("");
    this.train.batch = v;
  }

  /** One epoch of mini-batch gradient descent; false (and a message) if it failed. */
  trainEpoch() {
    const T = this.train;
    if (!T.name) return false;
    const st = { ...this.st, W: clone(this.st.W), b: clone(this.st.b) };
    const L = this.L;
    const sums = new Array(L + 1).fill(0);
    for (const idx of epochBatches(T.X.length, T.batch, T.rng)) {
      const g = sgdStep(st, T.X, T.Y, idx, this.eta);
      for (let ell = 1; ell <= L; ell++) sums[ell] += g.deltaSize[ell] * idx.length;
    }
    const r = compute(st);
    if (!allFinite(r)) {
      this.stopTraining();
      this.flag("Training stopped: a value would not be finite (try a smaller η). Kept the previous weights.");
      return false;
    }
    this.st = st;
    this.r = r;
    T.epoch += 1;
    this.recordTraining(sums.map((v) => v / T.X.length));
    return true;
  }

  /** Cost, accuracy and mean |δ| per layer after an epoch (or at the start: null). */
  recordTraining(deltaSize) {
    const T = this.train;
    const { cost, right } = datasetCost(this.st, T.X, T.Y);
    T.cost = cost;
    T.right = right;
    T.costs.push(cost);
    if (!deltaSize) {
      deltaSize = batchBackward(this.st, T.X, T.Y, T.X.map((_, i) => i)).deltaSize;
    }
    T.deltas.push(deltaSize.slice(1));
  }

  /** After training steps: the diagram, the plots, and Python (if a kernel runs). */
  afterTraining() {
    this.syncControls();
    this.update();
    this.updateTraining();
    this.push(["weights", "biases", "dataset"]);
  }

  toggleTraining() {
    if (this.train.playing) {
      this.stopTraining();
      this.afterTraining();
      return;
    }
    if (!this.train.name) {
      this.flag("Choose a data set first.");
      return;
    }
    this.stopPlay();
    this.train.playing = true;
    const frame = () => {
      if (!this.train.playing) return;
      const t0 = performance.now();
      if (this.trainEpoch()) {
        this.update(true);
        this.updateTraining();
        // how long this frame's work took (an epoch, the diagram, the heat map and
        // the charts), for `make bench-widget`
        att(this.root, "data-frame-ms", (performance.now() - t0).toFixed(3));
        if (this.train.epoch % 25 === 0) this.push(["weights", "biases", "dataset"]);
        this.train.raf = requestAnimationFrame(frame);
      } else {
        this.afterTraining();
      }
    };
    this.train.raf = requestAnimationFrame(frame);
    this.updateTraining();
  }

  stopTraining() {
    const T = this.train;
    if (!T) return;
    if (T.raf) cancelAnimationFrame(T.raf);
    T.raf = null;
    T.playing = false;
  }

  selectPoint(i) {
    const T = this.train;
    const st = { ...this.st, x: T.X[i].slice(), y: [T.Y[i]] };
    if (this.tryState(st, ["x", "y"], `Point ${i + 1}`)) {
      T.point = i;
      this.syncControls();
      this.updateTraining();
      this.flag("");
    }
  }

  pickPoint(ev) {
    const T = this.train;
    if (!T.X) return;
    const box = this.heat.getBoundingClientRect();
    const u = ((ev.clientX - box.left) / box.width) * 2 * SPAN - SPAN;
    const v = SPAN - ((ev.clientY - box.top) / box.height) * 2 * SPAN;
    let best = 0;
    let bd = Infinity;
    T.X.forEach((p, i) => {
      const d = (p[0] - u) ** 2 + (p[1] - v) ** 2;
      if (d < bd) {
        bd = d;
        best = i;
      }
    });
    this.selectPoint(best);
  }

  /** The training panel: numbers, heat map, curves and their text alternatives. */
  updateTraining() {
    const T = this.train;
    if (!this.trainBody) return;
    this.trainBody.hidden = !T.name;
    this.btnTrain.disabled = !T.name;
    this.btnEpoch.disabled = !T.name;
    put(this.btnTrain, T.playing ? "Pause ❚❚" : "Train ▶");
    att(this.btnTrain, "aria-pressed", T.playing ? "true" : "false");
    if (!T.name) return;
    put(this.epochEl, String(T.epoch));
    att(this.epochEl, "data-value", String(T.epoch));
    put(this.trainCostEl, fmt(T.cost));
    att(this.trainCostEl, "data-value", String(T.cost));
    const n = T.X.length;
    put(this.accEl, `${((100 * T.right) / n).toFixed(1)}%`);
    if (document.activeElement !== this.pointBox) this.pointBox.value = String(T.point + 1);
    const share = drawHeatmap(this.heat, this.st, T, this.root);
    const ones = T.Y.reduce((p, v) => p + v, 0);
    const summary =
      `Training accuracy ${((100 * T.right) / n).toFixed(1)}% (${T.right} of ${n} points). ` +
      `Class counts: ${n - ones} points of class 0 (red), ${ones} of class 1 (blue). ` +
      `The network predicts class 1 on ${Math.round(100 * share)}% of the square shown. ` +
      `Point ${T.point + 1} (ringed) is shown in the diagram.`;
    put(this.heatText, summary);
    att(this.heat, "aria-label", `Decision regions and data points. ${summary}`);
    const last = T.deltas[T.deltas.length - 1] || [];
    const dtext =
      `Mean |δ| per layer at epoch ${T.epoch}: ` +
      last.map((v, i) => `layer ${i + 1}: ${fmt(v)}`).join(", ") +
      ".";
    put(this.deltaText, dtext);
    const key = drawCurves(this.curves, T, this.root);
    if (key) {
      const sig = `${key.palette[0]}|${key.lo}|${key.hi}|${last.length}|${fmt(key.cmax)}`;
      if (this.curveKey.__sig !== sig) {
        this.curveKey.__sig = sig;
        this.curveKey.replaceChildren(
          `Chart: the mean cost (top, from 0 to ${fmt(key.cmax)}) and the mean |δ| of each layer (bottom, log scale from 1e${key.lo} to 1e${key.hi}), epoch by epoch: `,
          ...last.flatMap((_, i) => [
            h("span", { class: "bpx-swatch", style: `color: ${key.palette[i % 4]}`, text: `━ δ${sup(i + 1)}` }),
            " ",
          ]),
        );
      }
    }
    att(
      this.curves,
      "aria-label",
      `Mean cost over the data by epoch (from ${fmt(T.costs[0])} to ${fmt(T.cost)}), and mean |δ| of each layer on a log scale. ${dtext}`,
    );
  }

  // ---------------------------------------------------------- step backward
  nStages() {
    return this.L + 3; // forward, BP1, BP2 × (L−1), BP3, BP4
  }

  /** What the current step has computed, and what it reads and writes. */
  stageInfo() {
    const L = this.L;
    const st = this.step;
    const f = (ell) =>
      actOf(this.st, ell) === "softmax" ? "softmax" : ACTIVATIONS[actOf(this.st, ell)].name;
    const info = {
      id: "all",
      readsX: false,
      known: () => true,
      writes: () => false,
      readsDelta: () => false,
      readsNeuron: () => false,
      readsW: () => false,
      gradKnown: () => true,
      text: "All values shown. Press “Step backward” to watch backprop compute them in order.",
    };
    if (st < 0 || st >= this.nStages()) return info;
    const n = this.nStages();
    const head = `Step ${st + 1} of ${n}: `;
    info.gradKnown = () => false;
    if (st === 0) {
      info.id = "forward";
      info.readsX = true;
      info.known = () => false;
      info.text = `${head}forward pass, z${sup("ℓ")} = W${sup("ℓ")} a${sup("ℓ−1")} + b${sup("ℓ")} and a${sup("ℓ")} = f(z${sup("ℓ")}) for ℓ = 1…${L}. No δ is known yet.`;
      return info;
    }
    if (st === 1) {
      info.id = "bp1";
      info.known = (ell) => ell === L;
      info.writes = (ell) => ell === L;
      info.readsNeuron = () => false;
      const ce = this.st.cost === "cross_entropy";
      info.text = ce
        ? `${head}BP1 at the output layer ${L}: δ${sup(L)} = a${sup(L)} − y (cross-entropy cancels f′). Reads a${sup(L)} and y; writes δ${sup(L)}.`
        : `${head}BP1 at the output layer ${L}: δ${sup(L)} = ∇ₐC ⊙ ${f(L)}′(z${sup(L)}). Reads a${sup(L)}, y and z${sup(L)}; writes δ${sup(L)}.`;
      return info;
    }
    if (st <= L) {
      const ell = L - (st - 1); // st = 2 → layer L−1
      info.id = `bp2-${ell}`;
      info.known = (m) => m >= ell;
      info.writes = (m) => m === ell;
      info.readsDelta = (m) => m === ell + 1;
      info.readsW = (m) => m === ell + 1;
      info.text = `${head}BP2 at layer ${ell}: δ${sup(ell)} = ((W${sup(ell + 1)})ᵀ δ${sup(ell + 1)}) ⊙ ${f(ell)}′(z${sup(ell)}). Reads W${sup(ell + 1)}, δ${sup(ell + 1)} and z${sup(ell)}; writes δ${sup(ell)}.`;
      return info;
    }
    if (st === L + 1) {
      info.id = "bp3";
      info.readsDelta = () => true;
      info.gradKnown = (kind) => kind === "b";
      info.text = `${head}BP3: ∂C/∂b${sup("ℓ")}ⱼ = δ${sup("ℓ")}ⱼ for every layer. Reads every δ; writes every ∂C/∂b.`;
      return info;
    }
    info.id = "bp4";
    info.readsDelta = () => true;
    info.readsNeuron = () => true;
    info.readsX = true;
    info.gradKnown = () => true;
    info.text = `${head}BP4: ∂C/∂w${sup("ℓ")}ⱼₖ = a${sup("ℓ−1")}ₖ δ${sup("ℓ")}ⱼ for every weight. Reads every a and δ; writes every ∂C/∂w.`;
    return info;
  }

  setStep(v) {
    if (v < 0) this.stopPlay();
    this.step = v;
    this.update();
    this.push(["step"]);
  }

  stepOnce() {
    const next = this.step + 1;
    this.setStep(next >= this.nStages() ? -1 : next);
  }

  togglePlay() {
    if (this.timer) {
      this.stopPlay();
      this.update();
      return;
    }
    if (this.step < 0) this.setStep(0);
    this.timer = setInterval(
      () => {
        if (this.step + 1 >= this.nStages()) {
          this.stopPlay();
          this.update();
        } else {
          this.stepOnce();
        }
      },
      Number(this.model.get("play_interval")) || 900,
    );
    this.update();
  }

  stopPlay() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  // ---------------------------------------------------------- event handlers
  onParam(kind, ell, j, k, control, typed) {
    const R = this.R;
    const name =
      kind === "weight" ? `w${sup(ell)}${sub(j + 1)}${sub(k + 1)}` : `b${sup(ell)}${sub(j + 1)}`;
    const old = kind === "weight" ? this.st.W[ell][j][k] : this.st.b[ell][j];
    const raw = control.value;
    (kind === "weight" ? this.wCtl[ell][j][k] : this.bCtl[ell][j]).slider.__v = null;
    let v = parseNumber(raw);
    if (!Number.isFinite(v)) {
      this.flag(`${name}: “${raw}” is not a finite number; kept ${fmt(old)}.`, control);
      if (!typed) control.value = String(old);
      return;
    }
    let note = "";
    if (v < -R || v > R) {
      const c = Math.min(R, Math.max(-R, v));
      note = `${name}: ${fmt(v)} is outside the slider range ±${fmt(R)}; clamped to ${fmt(c)}.`;
      v = c;
    }
    const st = { ...this.st, W: clone(this.st.W), b: clone(this.st.b) };
    if (kind === "weight") st.W[ell][j][k] = v;
    else st.b[ell][j] = v;
    if (this.tryState(st, [kind === "weight" ? "weights" : "biases"], name)) {
      const c = kind === "weight" ? this.wCtl[ell][j][k] : this.bCtl[ell][j];
      this.clearFlag(c.entry);
      this.clearFlag(c.slider);
      if (typed) c.slider.value = String(v);
      c.slider.setAttribute("aria-valuetext", fmt(v));
      c.entry.value = String(v);
      if (note) {
        this.flag(note, null);
      } else if (!this.model.get("error")) {
        this.flag("");
      }
    } else if (typed) {
      control.setAttribute("aria-invalid", "true");
    }
  }

  onData(which, j, box) {
    const raw = box.value;
    const name = which === "x" ? `x${sub(j + 1)}` : `y${sub(j + 1)}`;
    let v = parseNumber(raw);
    if (!Number.isFinite(v)) {
      this.flag(`${name}: “${raw}” is not a finite number; kept ${fmt(this.st[which][j])}.`, box);
      return;
    }
    let note = "";
    const lim = this.XR;
    if (Math.abs(v) > lim) {
      const c = Math.min(lim, Math.max(-lim, v));
      note = `${name}: ${fmt(v)} is outside ±${fmt(lim)}; clamped to ${fmt(c)}.`;
      v = c;
    }
    // Targets are read together, so that a one-hot target can be changed in two edits.
    const st = { ...this.st, x: this.st.x.slice(), y: this.st.y.slice() };
    st[which][j] = v;
    if (which === "y") {
      this.yBoxes.forEach((b, i) => {
        if (i !== j && b.getAttribute("aria-invalid") === "true") {
          const w = parseNumber(b.value);
          if (Number.isFinite(w) && Math.abs(w) <= lim) st.y[i] = w;
        }
      });
    }
    if (this.tryState(st, [which], name)) {
      for (const b of which === "x" ? this.xBoxes : this.yBoxes) {
        this.clearFlag(b);
        b.value = String(st[which][(which === "x" ? this.xBoxes : this.yBoxes).indexOf(b)]);
      }
      this.flag(note);
    } else {
      box.setAttribute("aria-invalid", "true");
    }
  }

  onSelect(key, sel) {
    const st = { ...this.st, [key]: sel.value };
    const label = {
      activation: "Hidden activation",
      output_activation: "Output activation",
      cost: "Cost",
    }[key];
    if (this.tryState(st, [key], `${label} ${sel.value}`)) {
      this.clearFlag(sel);
      this.flag("");
      this.updateOptions();
    } else {
      sel.value = this.st[key];
    }
  }

  onEta() {
    const v = parseNumber(this.etaBox.value);
    if (!Number.isFinite(v) || v <= 0) {
      this.flag(
        `η: “${this.etaBox.value}” is not a positive number; kept ${this.eta}.`,
        this.etaBox,
      );
      return;
    }
    this.eta = Math.min(v, 100);
    this.etaBox.value = String(this.eta);
    this.clearFlag(this.etaBox);
    this.flag(v > 100 ? "η: clamped to 100." : "");
    this.push(["eta"]);
  }

  sgdStep() {
    const st = { ...this.st, W: clone(this.st.W), b: clone(this.st.b) };
    const r = this.r;
    const eta = this.eta;
    for (let ell = 1; ell <= this.L; ell++) {
      for (let j = 0; j < this.sizes[ell]; j++) {
        for (let k = 0; k < this.sizes[ell - 1]; k++) st.W[ell][j][k] -= eta * r.gW[ell][j][k];
        st.b[ell][j] -= eta * r.gb[ell][j];
      }
    }
    if (this.tryState(st, ["weights", "biases"], "SGD step")) {
      this.syncControls();
      this.flag("");
    }
  }

  reset() {
    const init = this.model.get("initial") || {};
    const st = {
      W: [null, ...clone(init.weights)],
      b: [null, ...clone(init.biases)],
      x: clone(init.x),
      y: clone(init.y),
      activation: init.activation,
      output_activation: init.output_activation,
      cost: init.cost,
    };
    this.stopPlay();
    this.stopTraining();
    if (this.train.name) {
      this.train.name = ""; // back to one example: leave the training mode
      this.train.X = null;
      this.dsSel.value = "";
      this.updateTraining();
      this.push(["dataset"]);
    }
    this.step = -1;
    this.eta = Number(init.eta) || this.eta;
    for (const c of this.root.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
    if (
      this.tryState(
        st,
        [...this.spec.state, "step", "eta"],
        "Reset",
      )
    ) {
      this.syncControls();
      this.flag("");
    }
  }

  select(ell, j) {
    this.selected = [ell, j];
    this.update();
    this.push(["selected"]);
  }

  // ---------------------------------------------------------- the equation panel
  updateEquation() {
    if (this.selected.length !== 2) return;
    const [ell, j1] = this.selected;
    if (ell < 0 || ell > this.L || j1 < 1 || j1 > this.sizes[ell]) return;
    this.eqEl.textContent = equationText(this.st, this.r, ell, j1 - 1);
  }
}


// ------------------------------------------------------------------ training plots

const SPAN = 2; // the heat map shows [−SPAN, SPAN]²
const GRID = 40;

/** The output a^L_1 of the network for input x (forward pass only). */
function forwardOut(st, ws, x) {
  forwardInto(st, ws, x, null);
  return ws.a[ws.L][0];
}

/** The page's colours for the canvases, read again only when the theme changes. */
function canvasColours(root) {
  const key = `${document.documentElement.dataset.theme}|${document.body.dataset.jpThemeLight}`;
  if (root.__colours && root.__colours.key === key) return root.__colours;
  root.__colours = {
    key,
    pos: cssColour(root, "--bpx-pos", [31, 95, 168]),
    neg: cssColour(root, "--bpx-neg", [192, 57, 43]),
    bg: bgColour(root),
  };
  return root.__colours;
}

function cssColour(root, name, fallback) {
  const v = getComputedStyle(root).getPropertyValue(name).trim();
  const m = /^#([0-9a-f]{6})$/i.exec(v);
  if (!m) return fallback;
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function bgColour(root) {
  const probe = getComputedStyle(root).backgroundColor;
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*([\d.]+))?/.exec(probe);
  if (m && (m[4] === undefined || Number(m[4]) > 0)) return [+m[1], +m[2], +m[3]];
  return [255, 255, 255];
}

/** Decision regions under the data points; returns the share predicted class 1. */
function drawHeatmap(canvas, st, T, root) {
  const ctx = canvas.getContext("2d");
  if (!ctx) return 0;
  const { pos, neg, bg } = canvasColours(root);
  if (!canvas.__grid) {
    canvas.__grid = document.createElement("canvas");
    canvas.__grid.width = GRID;
    canvas.__grid.height = GRID;
  }
  const gctx = canvas.__grid.getContext("2d");
  const img = gctx.createImageData(GRID, GRID);
  let ones = 0;
  const x = [0, 0];
  const ws = workspace(st);
  for (let r = 0; r < GRID; r++) {
    x[1] = SPAN - ((r + 0.5) / GRID) * 2 * SPAN;
    for (let c = 0; c < GRID; c++) {
      x[0] = ((c + 0.5) / GRID) * 2 * SPAN - SPAN;
      const p = Math.min(1, Math.max(0, forwardOut(st, ws, x)));
      if (p >= 0.5) ones += 1;
      const col = p >= 0.5 ? pos : neg;
      const t = 0.15 + 0.5 * Math.abs(2 * p - 1);
      const o = 4 * (r * GRID + c);
      img.data[o] = bg[0] + t * (col[0] - bg[0]);
      img.data[o + 1] = bg[1] + t * (col[1] - bg[1]);
      img.data[o + 2] = bg[2] + t * (col[2] - bg[2]);
      img.data[o + 3] = 255;
    }
  }
  gctx.putImageData(img, 0, 0);
  const W = canvas.width;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(canvas.__grid, 0, 0, W, W);
  const fg = bg[0] + bg[1] + bg[2] > 384 ? "#000" : "#fff";
  const px = (u) => ((u + SPAN) / (2 * SPAN)) * W;
  const py = (v) => ((SPAN - v) / (2 * SPAN)) * W;
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = fg;
  for (let i = 0; i < T.X.length; i++) {
    const [u, v] = T.X[i];
    ctx.beginPath();
    ctx.arc(px(u), py(v), W / 70, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${(T.Y[i] ? pos : neg).join(",")})`;
    ctx.fill();
    ctx.stroke();
  }
  const [u, v] = T.X[T.point];
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.arc(px(u), py(v), W / 32, 0, 2 * Math.PI);
  ctx.stroke();
  return ones / (GRID * GRID);
}

/** The palette of the per-layer lines (light page, dark page). */
const LAYER_COLOURS = {
  light: ["#1f5fa8", "#c0392b", "#2e7d4f", "#7a4fb3"],
  dark: ["#7cb4ff", "#ff8a80", "#6fdc9c", "#c9a7ff"],
};

/**
 * The cost by epoch (top) and mean |δ| per layer on a log scale (bottom). Returns
 * what the key under the chart needs: the palette and the decades shown.
 */
function drawCurves(canvas, T, root) {
  const ctx = canvas.getContext("2d");
  if (!ctx) return null;
  // drawn in a 480 × 480 frame, scaled to the canvas
  ctx.setTransform(canvas.width / 480, 0, 0, canvas.height / 480, 0, 0);
  const W = 480;
  const H = 480;
  const { bg } = canvasColours(root);
  const light = bg[0] + bg[1] + bg[2] > 384;
  const palette = LAYER_COLOURS[light ? "light" : "dark"];
  ctx.fillStyle = `rgb(${bg.join(",")})`;
  ctx.fillRect(0, 0, W, H);
  ctx.strokeStyle = light ? "#999" : "#666";
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(0, 240);
  ctx.lineTo(W, 240);
  ctx.stroke();
  const n = T.costs.length;
  const xs = (i) => 12 + ((W - 24) * i) / Math.max(1, n - 1);
  const panel = (top, h, values, lo, hi, colour, log) => {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 4;
    ctx.beginPath();
    values.forEach((v, i) => {
      const u = log ? Math.log10(Math.max(v, 1e-12)) : v;
      const t = (u - lo) / (hi - lo || 1);
      const y = top + h - Math.min(1, Math.max(0, t)) * h;
      if (i === 0) ctx.moveTo(xs(i), y);
      else ctx.lineTo(xs(i), y);
    });
    ctx.stroke();
  };
  const cmax = Math.max(...T.costs, 1e-12);
  panel(16, 208, T.costs, 0, cmax, light ? "#222" : "#eee", false);
  const all = T.deltas.flat().filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...all, 1)));
  const hi = Math.ceil(Math.log10(Math.max(...all, 1e-12)));
  const L = T.deltas.length ? T.deltas[0].length : 0;
  for (let ell = 0; ell < L; ell++) {
    panel(256, 208, T.deltas.map((d) => d[ell]), lo, hi, palette[ell % 4], true);
  }
  return { palette, lo, hi, cmax };
}

/**
 * The equations of neuron j (0-based) of layer ell with the current numbers
 * substituted: its z and a (forward), and its δ (BP1 or BP2).
 */
export function equationText(st, r, ell, j) {
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
    if (st.cost === "cross_entropy") {
      lines.push(
        `BP1 (cross-entropy with ${name}: the derivative of the activation cancels)`,
        `${dn} = ${nm("a", ell, J)} − y${sub(J)} = ${aS} − ${yS} = ${fmt(d)}`,
      );
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

export default {
  render({ model, el }) {
    let view;
    try {
      view = new Explorer(model, el);
    } catch (err) {
      el.textContent = `The δ explorer could not start: ${err.message}`;
      throw err;
    }
    return () => view.destroy();
  },
};
