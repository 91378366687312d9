// The explorer's arithmetic: ONE forward and backward pass (BP1–BP4), used by the
// single-example view (example()), by training (batchGradients(), sgdStep()) and by
// the heat map (output()). It mirrors backprop_lib's numpy core (network.py,
// activations.py, costs.py), so the numbers agree with `net.backward` to rounding:
//
//   forward  z^ℓ = W^ℓ a^(ℓ-1) + b^ℓ,  a^ℓ = f(z^ℓ)
//   BP1      δ^L from the cost's output rule, read from the spec Python sends:
//              "chain_rule": δ^L = J_f(z^L)^T ∇_a C  (elementwise f: ∇_a C ⊙ f'(z^L))
//              "a_minus_y":  δ^L = a^L − y  (the output activation's Jacobian cancels)
//   BP2      δ^ℓ = ((W^(ℓ+1))^T δ^(ℓ+1)) ⊙ f'(z^ℓ)
//   BP3      ∂C/∂b^ℓ_j = δ^ℓ_j
//   BP4      ∂C/∂w^ℓ_jk = a^(ℓ-1)_k δ^ℓ_j
//
// A state `st` holds W and b indexed 1..L (index 0 is null), W[ℓ][j][k] = w^ℓ_(j+1)(k+1),
// the example x, y, and the names activation, output_activation, cost_name. Arrays are
// 0-based; the book's units are counted from 1 (the markup and the text say so).
//
// API (`spec` is the widget's spec trait, _explorer_spec.spec() in Python):
//   workspace(st)                        typed arrays for st's shape, reused
//   forward(st, ws, x); output(st, ws, x) the forward pass into ws; a^L
//   exampleCost(st, ws, y)               one example's cost, after forward
//   backward(st, spec, ws, y)            BP1 (the spec's rule), BP2 into ws.d
//   batchGradients(st, spec, X, Y, idx)  mean cost, gW, gb (BP3, BP4), mean |δ^ℓ|
//   example(st, spec)                    the single-example view (a batch of one)
//   sgdStep(st, spec, X, Y, idx, eta)    one step, in place
//   datasetCost(st, X, Y), classOf(v)    mean cost and the points classified right
// Targets Y[i] are a label (one output unit: y = [Y[i]]) or a vector (e.g. one-hot
// over the classes of a softmax output; classOf takes the argmax).
//
// To add an activation or a cost: give it an entry below (its arithmetic), list it in
// _explorer_spec.py (MIRRORED_*; a test checks IMPLEMENTED against that list), and
// say in the spec which BP1 rule it uses (output_delta).

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

/**
 * The activations. An elementwise one has f(z) and f'(z, a); a vector one (softmax)
 * has forward(z, a) and vjp(a, g, out): out ← J(z)^T g.
 */
export const ACTIVATIONS = {
  sigmoid: {
    elementwise: true,
    f: sigmoid,
    prime: (z) => sigmoidPrime(z),
    name: "σ",
    primeText: "σ′(z) = σ(z)(1 − σ(z))",
  },
  tanh: {
    elementwise: true,
    f: Math.tanh,
    prime: (_z, a) => 1 - a * a,
    name: "tanh",
    primeText: "tanh′(z) = 1 − tanh²(z)",
  },
  relu: {
    elementwise: true,
    f: (z) => Math.max(z, 0),
    // The derivative at exactly z = 0 is taken as 0, as in the core.
    prime: (z) => (z > 0 ? 1 : 0),
    name: "ReLU",
    primeText: "ReLU′(z) = 1 if z > 0, else 0",
  },
  linear: {
    elementwise: true,
    f: (z) => z,
    prime: () => 1,
    name: "id",
    primeText: "id′(z) = 1",
  },
  softmax: {
    elementwise: false,
    name: "softmax",
    primeText: "",
    /** a_j = exp(z_j − max z) / Σ_k exp(z_k − max z). */
    forward(z, a) {
      let m = -Infinity;
      for (let j = 0; j < z.length; j++) if (z[j] > m) m = z[j];
      let t = 0;
      for (let j = 0; j < z.length; j++) {
        a[j] = Math.exp(z[j] - m);
        t += a[j];
      }
      for (let j = 0; j < z.length; j++) a[j] /= t;
    },
    /** J^T g with J_kj = a_k (δ_kj − a_j): out_j = a_j (g_j − Σ_k a_k g_k). */
    vjp(a, g, out) {
      let s = 0;
      for (let k = 0; k < a.length; k++) s += a[k] * g[k];
      for (let j = 0; j < a.length; j++) out[j] = a[j] * (g[j] - s);
    },
  },
};

/**
 * The costs: value(zL, aL, y, out) is one example's cost (out names the output
 * activation); gradA(aL, y, g) writes ∇_a C into g (the "chain_rule" BP1 needs it).
 */
export const COSTS = {
  quadratic: {
    value(_zL, aL, y) {
      let c = 0;
      for (let j = 0; j < aL.length; j++) {
        const d = aL[j] - y[j];
        c += d * d;
      }
      return c * 0.5;
    },
    gradA(aL, y, g) {
      for (let j = 0; j < aL.length; j++) g[j] = aL[j] - y[j];
    },
  },
  cross_entropy: {
    value(zL, _aL, y, out) {
      let c = 0;
      if (out === "sigmoid") {
        // −ln σ(z) = log(1 + e^{−z}),  −ln(1 − σ(z)) = log(1 + e^{z})
        for (let j = 0; j < zL.length; j++) {
          c += y[j] * log1pExp(-zL[j]) + (1 - y[j]) * log1pExp(zL[j]);
        }
        return c;
      }
      // softmax: −Σ y_j (z_j − logsumexp z)
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
    },
    gradA: null, // only used with its "a_minus_y" rule
  },
};

/** The BP1 rules the spec may name for a cost (its `output_delta`). */
export const OUTPUT_DELTA_RULES = ["chain_rule", "a_minus_y"];

/**
 * What this module can compute. Which of these the explorer offers, and the rules
 * tying them together, come from Python (the widget's `spec` trait, derived from the
 * core's registries): a test checks that the two agree.
 */
export const IMPLEMENTED = {
  activations: Object.keys(ACTIVATIONS),
  costs: Object.keys(COSTS),
  output_delta: OUTPUT_DELTA_RULES,
};

/** The activation name of layer ell (1..L) of state st. */
export function actOf(st, ell) {
  return ell === st.W.length - 1 ? st.output_activation : st.activation;
}

/** The layer sizes of a state (W indexed 1..L). */
export const sizesOf = (st) => [st.W[1][0].length, ...st.W.slice(1).map((W) => W.length)];

// ------------------------------------------------------------------ workspace
// Training runs thousands of passes per second: the kernel writes into arrays
// preallocated once per network shape.
const WORKSPACES = new Map();
// the workspace of the last state seen with this W (whose shape never changes in place)
const BY_W = new WeakMap();

/** The arrays of one pass for the shape of st: z, a, f'(z), δ, upstream sums, ∇_a C. */
export function workspace(st) {
  let ws = BY_W.get(st.W);
  if (ws) return ws;
  const sizes = sizesOf(st);
  const key = sizes.join(",");
  ws = WORKSPACES.get(key);
  if (!ws) {
    const arr = () => sizes.map((n) => new Float64Array(n));
    ws = { z: arr(), a: arr(), fp: arr(), d: arr(), up: arr(), g: arr(), L: sizes.length - 1 };
    if (WORKSPACES.size > 32) WORKSPACES.clear();
    WORKSPACES.set(key, ws);
  }
  BY_W.set(st.W, ws);
  return ws;
}

// ------------------------------------------------------------------ the pass

/** Forward pass of input x into ws: z, a and (elementwise layers) f'(z) of every layer. */
export function forward(st, ws, x) {
  const L = ws.L;
  const a0 = ws.a[0];
  for (let k = 0; k < a0.length; k++) a0[k] = x[k];
  for (let ell = 1; ell <= L; ell++) {
    const W = st.W[ell];
    const b = st.b[ell];
    const prev = ws.a[ell - 1];
    const z = ws.z[ell];
    const a = ws.a[ell];
    for (let j = 0; j < W.length; j++) {
      const row = W[j];
      let s = 0;
      for (let k = 0; k < row.length; k++) s += row[k] * prev[k];
      z[j] = s + b[j];
    }
    const act = ACTIVATIONS[actOf(st, ell)];
    if (!act.elementwise) {
      act.forward(z, a);
    } else {
      const fp = ws.fp[ell];
      for (let j = 0; j < z.length; j++) {
        a[j] = act.f(z[j]);
        fp[j] = act.prime(z[j], a[j]);
      }
    }
  }
}

/** The output a^L of input x (a forward pass; the array is the workspace's). */
export function output(st, ws, x) {
  forward(st, ws, x);
  return ws.a[ws.L];
}

/** The cost of the example whose forward pass is in ws, for target y. */
export function exampleCost(st, ws, y) {
  return COSTS[st.cost_name].value(ws.z[ws.L], ws.a[ws.L], y, st.output_activation);
}

/** BP1 (the spec's rule for st.cost_name) and BP2 into ws.d, after forward(); ws.up[ℓ] keeps
 * (W^(ℓ+1))^T δ^(ℓ+1), which the equation panel shows. */
export function backward(st, spec, ws, y) {
  const L = ws.L;
  const aL = ws.a[L];
  const dL = ws.d[L];
  const rule = spec.costs[st.cost_name]?.output_delta;
  if (rule === "a_minus_y") {
    for (let j = 0; j < aL.length; j++) dL[j] = aL[j] - y[j];
  } else if (rule === "chain_rule") {
    const g = ws.g[L];
    COSTS[st.cost_name].gradA(aL, y, g);
    const act = ACTIVATIONS[st.output_activation];
    if (act.elementwise) {
      const fp = ws.fp[L];
      for (let j = 0; j < aL.length; j++) dL[j] = g[j] * fp[j];
    } else {
      act.vjp(aL, g, dL);
    }
  } else {
    throw new Error(`the spec gives cost ${st.cost_name} no known output rule (got ${rule})`);
  }
  for (let ell = L - 1; ell >= 1; ell--) {
    const Wn = st.W[ell + 1];
    const dn = ws.d[ell + 1];
    const d = ws.d[ell];
    const up = ws.up[ell];
    const fp = ws.fp[ell];
    for (let j = 0; j < d.length; j++) {
      let s = 0;
      for (let k = 0; k < Wn.length; k++) s += Wn[k][j] * dn[k];
      up[j] = s;
      d[j] = s * fp[j];
    }
  }
}

/** A target as an array: Y[i] is a label (one output unit) or a vector. */
function targetOf(yi, one) {
  if (Array.isArray(yi)) return yi;
  one[0] = yi;
  return one;
}

/**
 * Network.backward on a mini-batch (the examples idx of X, Y): the mean cost, the
 * mean gradients gW, gb (BP3, BP4 averaged over the batch), and deltaSize, the mean
 * |δ^ℓ| of every layer over the batch and its units. After the call, ws holds the
 * pass of the batch's last example.
 */
export function batchGradients(st, spec, X, Y, idx) {
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
  const one = [0];
  for (const i of idx) {
    const y = targetOf(Y[i], one);
    forward(st, ws, X[i]);
    cost += exampleCost(st, ws, y);
    backward(st, spec, ws, y);
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
  return { cost: cost / m, gW, gb, deltaSize, ws };
}

/**
 * The single-example view: the batch kernel on the batch {(st.x, st.y)}, read out as
 * plain arrays indexed 1..L like st.W: z, a (a[0] = x), delta, gW, gb, the per-layer
 * f'(z) (fp; null for a vector activation) and the upstream sums (up), and the cost.
 */
export function example(st, spec) {
  const g = batchGradients(st, spec, [st.x], [st.y], [0]);
  const ws = g.ws;
  const L = ws.L;
  const copy = (arr) => {
    const out = new Array(arr.length);
    for (let j = 0; j < arr.length; j++) out[j] = arr[j];
    return out;
  };
  const z = [null];
  const a = [copy(ws.a[0])];
  const delta = [null];
  const fp = [null];
  const up = new Array(L + 1).fill(null);
  for (let ell = 1; ell <= L; ell++) {
    z.push(copy(ws.z[ell]));
    a.push(copy(ws.a[ell]));
    delta.push(copy(ws.d[ell]));
    fp.push(ACTIVATIONS[actOf(st, ell)].elementwise ? copy(ws.fp[ell]) : null);
    if (ell < L) up[ell] = copy(ws.up[ell]);
  }
  return { L, z, a, delta, gW: g.gW, gb: g.gb, fp, up, cost: g.cost };
}

/** True if every number the display needs is finite. */
export function allFinite(r) {
  const ok = (v) => Number.isFinite(v);
  if (!ok(r.cost)) return false;
  for (let ell = 1; ell <= r.L; ell++) {
    if (!r.z[ell].every(ok) || !r.a[ell].every(ok) || !r.delta[ell].every(ok)) return false;
    if (!r.gW[ell].every((row) => row.every(ok))) return false;
  }
  return true;
}

// ------------------------------------------------------------------ training

/** One SGD step on a mini-batch, in place: W ← W − η ∂C/∂W, b ← b − η ∂C/∂b. */
export function sgdStep(st, spec, X, Y, idx, eta) {
  const g = batchGradients(st, spec, X, Y, idx);
  for (let ell = 1; ell < st.W.length; ell++) {
    const W = st.W[ell];
    for (let j = 0; j < W.length; j++) {
      for (let k = 0; k < W[j].length; k++) W[j][k] -= eta * g.gW[ell][j][k];
      st.b[ell][j] -= eta * g.gb[ell][j];
    }
  }
  return g;
}

/** The class an output (or a target) stands for: a^L_1 ≥ ½ with one unit, else argmax. */
export function classOf(v) {
  if (typeof v === "number") return v >= 0.5 ? 1 : 0;
  if (v.length === 1) return v[0] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < v.length; j++) if (v[j] > v[best]) best = j;
  return best;
}

/** Mean cost over a whole data set, and how many points the output classifies right. */
export function datasetCost(st, X, Y) {
  const ws = workspace(st);
  let cost = 0;
  let right = 0;
  const one = [0];
  for (let i = 0; i < X.length; i++) {
    const y = targetOf(Y[i], one);
    forward(st, ws, X[i]);
    cost += exampleCost(st, ws, y);
    if (classOf(ws.a[ws.L]) === classOf(Y[i])) right += 1;
  }
  return { cost: cost / X.length, right };
}
