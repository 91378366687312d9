// The δ explorer's view: one Explorer per rendered widget. This file holds its state
// and its sync with the model (Python, when a kernel runs), building the DOM and
// writing the numbers into it; the other views' methods come from their modules
// (diagram, panels, arch, training, stepper, handlers, equation) and are installed
// on Explorer.prototype at the end of this file.

import { ArchitectureView } from "./arch.js";
import { DiagramView } from "./diagram.js";
import { att, clone, h, logScale, newId, put, sameNumbers, signColour, sty } from "./dom.js";
import { EquationView } from "./equation.js";
import { PRESET_BATCH, PRESET_POINTS } from "./expectations.js";
import { ACT_LABEL, COST_LABEL, fmt, sub, sup } from "./format.js";
import { HandlersView } from "./handlers.js";
import { ACTIVATIONS, actOf, allFinite, example, sizesOf } from "./kernel.js";
import { PanelsView } from "./panels.js";
import { problem } from "./rules.js";
import { StepperView } from "./stepper.js";
import { TrainingView } from "./training.js";

export class Explorer {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.id = newId();
    this.timer = null;
    this.spec = model.get("spec");
    if (!this.spec || !this.spec.state) {
      throw new Error("the widget sent no spec (backprop_lib too old for this front end?)");
    }
    this.readModel();
    this.seed = 1;
    this.train = {
      name: "",
      n: PRESET_POINTS,
      batch: PRESET_BATCH,
      epoch: 0,
      X: null,
      Y: null,
      labels: null,
      K: 2,
      point: 0,
      mode: "select",
      pclass: 0,
    };
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
    this.events = [...this.spec.state, "eta", "step", "selected", "message"].map(
      (k) => `change:${k}`,
    );
    for (const ev of this.events) model.on(ev, this.onModel);
  }

  destroy() {
    this.resizer?.disconnect();
    clearTimeout(this.editTimer);
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
      cost_name: m.get("cost_name"),
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
        const r = example(st, this.spec);
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
      cost_name: () => st.cost_name,
      eta: () => this.eta,
      step: () => this.step,
      selected: () => this.selected.slice(),
      dataset: () => this.datasetState(),
    };
    this.pushing = true;
    try {
      for (const k of keys) m.set(k, values[k]());
      m.save_changes();
    } catch {
      // Without a kernel there is nothing to save to; the view keeps working.
    } finally {
      this.pushing = false;
    }
  }

  recompute() {
    this.r = example(this.st, this.spec);
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
      r = example(st, this.spec);
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
    root.append(
      h("p", {
        class: "bpx-intro",
        "data-role": "instructions",
        text:
          "Drag a slider or type a number: every z, a and δ below is computed again at once. " +
          "Click a neuron for its equations; “Step backward” shows BP1–BP4 in order. " +
          "“Train on 2-D data” trains the network on points you choose or draw.",
      }),
    );

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
    this.selCost = select("cost_name", "Cost", Object.keys(this.spec.costs));
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
    this.btnPlay = button(
      "play",
      "Animate backprop ▷",
      "Animate the backward pass one step at a time (the weights do not change)",
      () => this.togglePlay(),
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
    root.append(
      h(
        "div",
        { class: "bpx-costline" },
        h("span", { text: "Cost at this point C = " }),
        this.costEl,
      ),
    );
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
    const svgWrap = this.buildSvg(); // the figure frame, which scrolls sideways
    this.scrollCue = h("p", {
      class: "bpx-small bpx-cue",
      "data-role": "scroll-cue",
      text: "↔ The diagram is wider than the page: scroll it sideways.",
    });
    this.scrollCue.hidden = true;
    root.append(this.scrollCue, svgWrap);
    this.svgWrap = svgWrap;
    if (typeof ResizeObserver !== "undefined") {
      this.resizer?.disconnect();
      this.resizer = new ResizeObserver(() => {
        const fits = svgWrap.scrollWidth <= svgWrap.clientWidth + 1;
        this.scrollCue.hidden = fits;
        // a region that scrolls is reachable by keyboard (arrow keys scroll it)
        if (fits) {
          for (const a of ["tabindex", "role", "aria-label"]) svgWrap.removeAttribute(a);
        } else {
          svgWrap.setAttribute("tabindex", "0");
          svgWrap.setAttribute("role", "region");
          svgWrap.setAttribute("aria-label", "Network diagram, scrolls sideways");
        }
      });
      this.resizer.observe(svgWrap);
    }
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
    att(root, "data-cost-name", st.cost_name);
    att(root, "data-step", String(this.step));
    put(this.costEl, fmt(r.cost));
    put(this.stageEl, stage.text);
    const fromPython = this.model.get("message");
    if (fromPython) {
      this.flag(`Python: ${fromPython}`);
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
    this.xBoxes.forEach((box, j) => {
      att(box, "data-value", String(st.x[j]));
    });
    this.yBoxes.forEach((box, j) => {
      att(box, "data-value", String(st.y[j]));
    });
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
            att(
              c.grad,
              "data-state",
              gwKnown ? (stage.id === "bp4" ? "write" : "done") : "pending",
            );
            put(this.tWeights[ell][j][k].w, wS);
            put(this.tWeights[ell][j][k].g, gS);
          }
        }
      }
    }
    put(this.btnPlay, this.timer ? "Pause animation ❚❚" : "Animate backprop ▷");
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

  select(ell, j) {
    this.selected = [ell, j];
    this.update();
    this.push(["selected"]);
  }
}

// The views' methods, each in its own module, become Explorer's.
for (const View of [
  DiagramView,
  PanelsView,
  ArchitectureView,
  TrainingView,
  StepperView,
  HandlersView,
  EquationView,
]) {
  for (const name of Object.getOwnPropertyNames(View.prototype)) {
    if (name !== "constructor") {
      Object.defineProperty(
        Explorer.prototype,
        name,
        Object.getOwnPropertyDescriptor(View.prototype, name),
      );
    }
  }
}
