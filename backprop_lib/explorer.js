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

export const HIDDEN_ACTIVATIONS = ["sigmoid", "tanh", "relu", "linear"];
export const OUTPUT_ACTIVATIONS = ["sigmoid", "tanh", "relu", "linear", "softmax"];
export const COSTS = ["quadratic", "cross_entropy"];
const TARGET_TOL = 1e-6;

/** The activation of layer ell (1..L) of state st. */
function actOf(st, ell) {
  return ell === st.W.length - 1 ? st.output_activation : st.activation;
}

/**
 * Why the combination in st is not a valid network, or null if it is. Mirrors the
 * core's checks (Network._set_functions and the cost's check_target).
 */
export function problem(st) {
  const L = st.W.length - 1;
  const nL = st.W[L].length;
  if (!HIDDEN_ACTIVATIONS.includes(st.activation)) {
    return `the hidden activation must be one of ${HIDDEN_ACTIVATIONS.join(", ")}`;
  }
  if (!OUTPUT_ACTIVATIONS.includes(st.output_activation)) {
    return `the output activation must be one of ${OUTPUT_ACTIVATIONS.join(", ")}`;
  }
  if (!COSTS.includes(st.cost)) return `the cost must be one of ${COSTS.join(", ")}`;
  if (st.output_activation === "softmax" && nL < 2) {
    return "softmax needs at least 2 output units";
  }
  if (st.cost === "cross_entropy") {
    if (st.output_activation !== "sigmoid" && st.output_activation !== "softmax") {
      return "cross-entropy needs a sigmoid or softmax output layer";
    }
    if (st.y.some((v) => v < 0 || v > 1)) {
      return "cross-entropy needs every target y_j in [0, 1]";
    }
    if (st.output_activation === "softmax") {
      const s = st.y.reduce((p, v) => p + v, 0);
      if (Math.abs(s - 1) > TARGET_TOL) {
        return `softmax with cross-entropy needs targets that sum to 1 (they sum to ${fmt(s)})`;
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
export function compute(st) {
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
  // BP3, BP4
  const gb = [null];
  const gW = [null];
  for (let ell = 1; ell <= L; ell++) {
    gb.push(delta[ell].slice());
    gW.push(delta[ell].map((d) => a[ell - 1].map((ak) => d * ak)));
  }
  return { L, z, a, delta, gb, gW, fp, up, cost };
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

const POS = "#1f5fa8"; // blue: positive
const NEG = "#c0392b"; // red: negative
const signColour = (v) => (v > 0 ? POS : v < 0 ? NEG : "#888888");

// ------------------------------------------------------------------ the view

class Explorer {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.id = `bpx${++uid}-${Math.random().toString(36).slice(2, 8)}`;
    this.timer = null;
    this.readModel();
    this.build();
    this.recompute();
    this.syncControls();
    this.update();
    this.onModel = () => {
      if (!this.pushing) this.fromModel();
    };
    this.events = [
      "weights",
      "biases",
      "x",
      "y",
      "activation",
      "output_activation",
      "cost",
      "eta",
      "step",
      "selected",
      "error",
    ].map((k) => `change:${k}`);
    for (const ev of this.events) model.on(ev, this.onModel);
  }

  destroy() {
    this.stopPlay();
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
    this.L = this.st.W.length - 1;
    this.sizes = [this.st.W[1][0].length, ...this.st.W.slice(1).map((W) => W.length)];
    this.eta = Number(m.get("eta"));
    this.R = Number(m.get("weight_range"));
    this.XR = Number(m.get("value_range"));
    this.step = Number(m.get("step"));
    this.selected = clone(m.get("selected") || []);
  }

  /** A change arrived from the model (Python, or another view of the same widget). */
  fromModel() {
    try {
      const st = this.stateFromModel();
      const changed = !sameNumbers(st, this.st);
      this.eta = Number(this.model.get("eta"));
      this.step = Number(this.model.get("step"));
      this.selected = clone(this.model.get("selected") || []);
      if (changed && !problem(st)) {
        const r = compute(st);
        if (allFinite(r)) {
          this.st = st;
          this.r = r;
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
    const why = problem(st);
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
    this.st = st;
    this.r = r;
    this.update();
    this.push(keys);
    return true;
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
        sel.append(h("option", { value: o, text: ACT_LABEL[o] || COST_LABEL[o] }));
      bar.append(h("span", { class: "bpx-field" }, h("label", { for: sel.id, text: label }), sel));
      sel.addEventListener("change", () => this.onSelect(key, sel));
      return sel;
    };
    this.selAct = select("activation", "Hidden activation", HIDDEN_ACTIVATIONS);
    this.selOut = select("output_activation", "Output activation", OUTPUT_ACTIVATIONS);
    this.selCost = select("cost", "Cost", COSTS);
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
          "aria-label": `Neuron ${j + 1} of layer ${ell}: show its equations`,
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
        g.append(ring, body, aText);
        const node = { g, ring, body, a: aText, z: null, delta: null, target: null };
        if (ell > 0) {
          const zt = s("text", { class: "bpx-zl", x, y: y - 27, "text-anchor": "middle" });
          zt.append(s("tspan", { class: "bpx-sym", text: "z " }));
          node.z = s("tspan", { "data-role": "z", "data-layer": ell, "data-unit": j + 1 });
          zt.append(node.z);
          const dt = s("text", { class: "bpx-dl", x, y: y + 36, "text-anchor": "middle" });
          dt.append(s("tspan", { class: "bpx-sym", text: "δ " }));
          node.delta = s("tspan", { "data-role": "delta", "data-layer": ell, "data-unit": j + 1 });
          dt.append(node.delta);
          g.append(zt, dt);
        } else {
          const xt = s("text", {
            class: "bpx-zl",
            x,
            y: y - 27,
            "text-anchor": "middle",
            text: `x${sub(j + 1)}`,
          });
          g.append(xt);
        }
        if (ell === L) {
          const tt = s("text", { class: "bpx-target", x: x + 30, y: y + 4 });
          tt.append(s("tspan", { class: "bpx-sym", text: `y${sub(j + 1)} = ` }));
          node.target = s("tspan", { "data-role": "target-value", "data-unit": j + 1 });
          tt.append(node.target);
          g.append(tt);
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
    det.append(t1, t2);
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
    if (document.activeElement !== c.slider) c.slider.value = String(v);
    c.slider.setAttribute("aria-valuetext", fmt(v));
    this.setBox(c.entry, v);
  }

  setBox(box, v) {
    if (document.activeElement !== box || box.getAttribute("aria-invalid") !== "true") {
      box.value = String(v);
    }
  }

  /** Disable the selector options that would make an invalid network. */
  updateOptions() {
    const st = this.st;
    const nL = this.sizes[this.L];
    for (const o of this.selOut.options) {
      const trial = { ...st, output_activation: o.value };
      o.disabled = o.value === "softmax" && nL < 2;
      if (st.cost === "cross_entropy" && !["sigmoid", "softmax"].includes(o.value))
        o.disabled = true;
      if (!o.disabled && problem(trial) && o.value !== st.output_activation) {
        o.title = problem(trial);
      } else {
        o.title = "";
      }
    }
    for (const o of this.selCost.options) {
      o.disabled =
        o.value === "cross_entropy" && !["sigmoid", "softmax"].includes(st.output_activation);
    }
  }

  update() {
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
        put(t.a, aS);
        att(n.a, "data-value", String(av));
        att(n.body, "fill", signColour(av));
        att(n.body, "fill-opacity", String(0.08 + 0.4 * Math.min(1, Math.abs(av))));
        const sel =
          this.selected.length === 2 && this.selected[0] === ell && this.selected[1] === j + 1;
        n.g.classList.toggle("bpx-selected", sel);
        att(n.g, "aria-pressed", sel ? "true" : "false");
        if (ell === 0) {
          att(n.g, "data-state", stage.readsX ? "read" : "");
          continue;
        }
        const zv = r.z[ell][j];
        const zS = fmt(zv);
        put(n.z, zS);
        put(t.z, zS);
        att(n.z, "data-value", String(zv));
        const known = stage.known(ell);
        const dv = r.delta[ell][j];
        const dS = known ? fmt(dv) : "?";
        put(n.delta, dS);
        put(t.d, dS);
        att(n.delta, "data-value", known ? String(dv) : "");
        const dstate = stage.writes(ell)
          ? "write"
          : stage.readsDelta(ell)
            ? "read"
            : known
              ? "done"
              : "pending";
        att(n.delta, "data-state", dstate);
        att(t.d, "data-state", dstate);
        att(n.g, "data-state", stage.writes(ell) ? "write" : stage.readsNeuron(ell) ? "read" : "");
        if (known) {
          att(n.ring, "stroke", signColour(dv));
          att(n.ring, "stroke-width", String(1 + 7 * logScale(dv)));
          n.ring.classList.toggle("bpx-zero", dv === 0);
        } else {
          att(n.ring, "stroke", "#bbbbbb");
          att(n.ring, "stroke-width", "1");
          n.ring.classList.remove("bpx-zero");
        }
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
        if (n.target) put(n.target, fmt(st.y[j]));
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
          att(e.line, "stroke", signColour(w));
          att(e.line, "stroke-width", String(0.6 + 5 * Math.min(1, Math.abs(w) / this.R)));
          att(e.halo, "stroke", gwKnown && g !== 0 ? signColour(g) : "none");
          att(e.halo, "stroke-width", String(2 + 14 * logScale(g)));
          put(e.title, `w${sup(ell)}${sub(j + 1)}${sub(k + 1)} = ${wS}, ∂C/∂w = ${gS}`);
          if (e.label) put(e.label, `${wS} | ∂ ${gS}`);
          att(e.g, "data-state", stage.readsW(ell) ? "read" : "");
          const c = this.wCtl[ell][j][k];
          att(c.slider, "data-value", String(w));
          put(c.grad, gS);
          att(c.grad, "data-state", gwKnown ? (stage.id === "bp4" ? "write" : "done") : "pending");
          put(this.tWeights[ell][j][k].w, wS);
          put(this.tWeights[ell][j][k].g, gS);
        }
      }
    }
    put(this.btnPlay, this.timer ? "Pause ❚❚" : "Play ▶");
    att(this.btnPlay, "aria-pressed", this.timer ? "true" : "false");
    this.btnAll.disabled = this.step < 0;
    this.updateEquation();
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
    this.step = -1;
    this.eta = Number(init.eta) || this.eta;
    for (const c of this.root.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
    if (
      this.tryState(
        st,
        ["weights", "biases", "x", "y", "activation", "output_activation", "cost", "step", "eta"],
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
