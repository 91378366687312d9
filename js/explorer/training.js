// Training on a 2-D data set in the page: the panel, an epoch of mini-batch SGD (the
// kernel's sgdStep), the history of cost and mean |δ|, and the plots. Methods of
// Explorer (installed by explorer.js).

import { DATASET_CLASSES, DATASETS, makeDataset, targetOf } from "./datasets.js";
import { att, clone, h, put, sameNumbers } from "./dom.js";
import { expectText } from "./expectations.js";
import { fmt, parseNumber, sup } from "./format.js";
import { allFinite, batchGradients, datasetCost, example, sgdStep } from "./kernel.js";
import { CLASS_NAMES, drawCurves, drawHeatmap, SPAN } from "./plots.js";
import { epochBatches, makeRng, randomParams } from "./random.js";
import { problem } from "./rules.js";

/** The most data points the playground holds (presets and the reader's own). */
export const MAX_POINTS = 500;
/** The menu entry for data the reader draws (and what edited presets become). */
export const OWN = "own";
/** Epochs without a lower cost, and of a layer's mean |δ| below DELTA_FLOOR, before
 * the playground says that training has stalled. */
export const STALL_EPOCHS = 100;
export const STALL_FALL = 1e-3;
export const DELTA_FLOOR = 1e-6;
export const SMALL_DELTA_EPOCHS = 20;

export class TrainingView {
  buildTrain() {
    const id = this.id;
    const T = this.train;
    const fs = h("fieldset", { class: "bpx-train" }, h("legend", { text: "Train on 2-D data" }));
    const row = h("div", { class: "bpx-toolbar" });
    this.dsSel = h("select", { id: `${id}-ds`, "data-role": "dataset-select" });
    this.dsSel.append(h("option", { value: "", text: "none (one example)" }));
    for (const [k, v] of Object.entries(DATASETS))
      this.dsSel.append(h("option", { value: k, text: v }));
    this.dsSel.append(h("option", { value: OWN, text: "your own data (click to add)" }));
    this.dsSel.value = T.name;
    this.dsSel.addEventListener("change", () => this.chooseDataset(this.dsSel.value));
    this.classSel = h("select", { id: `${id}-classes`, "data-role": "classes" });
    for (const k of this.spec.classes)
      this.classSel.append(h("option", { value: String(k), text: String(k) }));
    this.classSel.value = String(T.K);
    this.classSel.addEventListener("change", () => this.setClasses(Number(this.classSel.value)));
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
    this.btnTrain = h("button", {
      type: "button",
      "data-role": "train",
      title: "Train the network on the data, epoch after epoch (mini-batch gradient descent)",
      text: "Train ⟳",
    });
    this.btnTrain.addEventListener("click", () => this.toggleTraining());
    this.btnEpoch = h("button", { type: "button", "data-role": "train-step", text: "One epoch" });
    this.btnEpoch.addEventListener("click", () => {
      this.stopTraining();
      this.trainEpoch();
      this.afterTraining();
    });
    const field = (label, ctl) =>
      h("span", { class: "bpx-field" }, h("label", { for: ctl.id, text: label }), ctl);
    row.append(
      field("Data set", this.dsSel),
      field("Classes", this.classSel),
      field("Batch size", this.batchBox),
      this.btnTrain,
      this.btnEpoch,
    );
    fs.append(row);
    this.expectEl = h("p", { class: "bpx-small bpx-expect", "data-role": "expect" });
    fs.append(this.expectEl);
    const body = h("div", { class: "bpx-trainbody", "data-role": "train-panel" });
    this.trainBody = body;
    // drawing the data: what a click on the heat map does
    const edit = h("div", { class: "bpx-toolbar" });
    this.modeSel = h("select", { id: `${id}-mode`, "data-role": "point-mode" });
    for (const [v, t] of [
      ["select", "selects a point"],
      ["add", "adds a point"],
      ["remove", "removes the nearest point"],
    ])
      this.modeSel.append(h("option", { value: v, text: t }));
    this.modeSel.value = T.mode;
    this.modeSel.addEventListener("change", () => {
      T.mode = this.modeSel.value;
      this.updateTraining();
    });
    this.pclassSel = h("select", { id: `${id}-pclass`, "data-role": "point-class" });
    for (let c = 0; c < 3; c++)
      this.pclassSel.append(h("option", { value: String(c), text: `${c} (${CLASS_NAMES[c]})` }));
    this.pclassSel.value = String(T.pclass);
    this.pclassSel.addEventListener("change", () => {
      T.pclass = Number(this.pclassSel.value);
    });
    this.btnClear = h("button", {
      type: "button",
      "data-role": "clear-data",
      text: "Clear data",
      title: "Remove every point, to draw your own",
    });
    this.btnClear.addEventListener("click", () => this.clearData());
    edit.append(
      field("A click on the map", this.modeSel),
      field("Class of added points", this.pclassSel),
      this.btnClear,
    );
    body.append(edit);
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
    this.heat.addEventListener("click", (ev) => this.onHeatClick(ev));
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
      const n = T.X ? T.X.length : 0;
      const v = parseNumber(this.pointBox.value);
      if (!Number.isInteger(v) || v < 1 || v > n) {
        this.flag(`Point: “${this.pointBox.value}” is not a point number 1…${n}.`, this.pointBox);
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
    return {
      name: T.name,
      seed: this.seed,
      n: T.X.length,
      classes: T.K,
      X: T.X,
      y: T.labels,
      epoch: T.epoch,
    };
  }

  resetTrainingHistory() {
    const T = this.train;
    T.epoch = 0;
    T.costs = [];
    T.deltas = [];
    T.best = Infinity;
    T.bestEpoch = 0;
    T.smallSince = null;
    T.rng = makeRng(this.seed + 1);
    if (T.name) this.recordTraining(null);
    if (T.name && T.X.length) T.best = T.cost;
  }

  /** Load a preset (or, for OWN, start an empty canvas) and fit the network to it. */
  chooseDataset(name, fresh = false) {
    this.stopTraining();
    const T = this.train;
    T.name = name;
    if (!name) {
      T.X = null;
      T.Y = null;
      T.labels = null;
      this.updateTraining();
      this.push(["dataset"]);
      return;
    }
    if (name === OWN) {
      T.X = [];
      T.labels = [];
    } else {
      const d = makeDataset(name, T.n, this.seed);
      T.X = d.X;
      T.labels = d.y;
      T.K = DATASET_CLASSES[name];
    }
    T.Y = T.labels.map((c) => targetOf(c, T.K));
    T.point = 0;
    this.fitNetwork(fresh, `Data set ${DATASETS[name] || "your own data"}`);
  }

  /**
   * The output layer for T.K classes (one unit for two; for more, the spec's
   * multiclass output: softmax with cross-entropy), fresh weights if its shape
   * changes or `fresh`, and the example of the selected point.
   */
  fitNetwork(fresh, what) {
    const T = this.train;
    const spec = this.spec;
    const nOut = T.K > 2 ? T.K : 1;
    const sizes = [2, ...this.sizes.slice(1, -1), nOut];
    let st = { ...this.st, ...this.pointExample(T.point) };
    if (T.K > 2) {
      st.output_activation = spec.multiclass.output_activation;
      st.cost_name = spec.multiclass.cost_name;
    } else if (spec.activations[st.output_activation].min_units > 1) {
      const outs = spec.costs[st.cost_name].output_activations;
      st.output_activation = spec.output_activations.find(
        (a) => spec.activations[a].min_units <= 1 && (!outs || outs.includes(a)),
      );
    }
    if (fresh || !sameNumbers(sizes, this.sizes)) st = { ...st, ...randomParams(sizes, this.seed) };
    if (!this.tryState(st, [...spec.state, "step", "selected"], what)) {
      T.name = "";
      this.dsSel.value = "";
      return false;
    }
    this.dsSel.value = T.name;
    this.classSel.value = String(T.K);
    this.syncControls();
    this.resetTrainingHistory();
    this.updateTraining();
    this.push(["dataset"]);
    return true;
  }

  /** x and y of point i (or, with no points, the origin and class 0). */
  pointExample(i) {
    const T = this.train;
    if (T.X && i < T.X.length) return { x: T.X[i].slice(), y: [].concat(T.Y[i]) };
    return { x: [0, 0], y: [].concat(targetOf(0, T.K)) };
  }

  /** The "Classes" menu: a preset with that many classes, or the own data kept. */
  setClasses(K) {
    const T = this.train;
    if (K === T.K) return;
    this.stopTraining();
    if (T.name !== OWN) {
      const name = Object.keys(DATASETS).find((n) => DATASET_CLASSES[n] === K);
      T.K = K;
      this.chooseDataset(name);
      return;
    }
    T.K = K;
    const keep = T.labels.map((c, i) => (c < K ? i : -1)).filter((i) => i >= 0);
    const dropped = T.labels.length - keep.length;
    T.X = keep.map((i) => T.X[i]);
    T.labels = keep.map((i) => T.labels[i]);
    T.Y = T.labels.map((c) => targetOf(c, K));
    T.point = 0;
    this.fitNetwork(false, `${K} classes`);
    if (dropped)
      this.flag(`Removed the ${dropped} points of class ${K}: there are ${K} classes now.`);
  }

  onBatch() {
    const v = parseNumber(this.batchBox.value);
    const n = MAX_POINTS;
    if (!Number.isInteger(v) || v < 1 || v > n) {
      this.flag(
        `Batch size: “${this.batchBox.value}” is not a whole number 1…${n}; kept ${this.train.batch}.`,
        this.batchBox,
      );
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
    if (!T.X.length) {
      this.stopTraining();
      this.flag(
        "There are no data points: add some by clicking the map (point mode “adds a point”).",
      );
      return false;
    }
    const st = { ...this.st, W: clone(this.st.W), b: clone(this.st.b) };
    const L = this.L;
    const sums = new Array(L + 1).fill(0);
    for (const idx of epochBatches(T.X.length, Math.min(T.batch, T.X.length), T.rng)) {
      const g = sgdStep(st, this.spec, T.X, T.Y, idx, this.eta);
      for (let ell = 1; ell <= L; ell++) sums[ell] += g.deltaSize[ell] * idx.length;
    }
    const r = example(st, this.spec);
    if (!allFinite(r)) {
      this.stopTraining();
      this.flag(
        "Training stopped: a value would not be finite (try a smaller η). Kept the previous weights.",
      );
      return false;
    }
    this.st = st;
    this.r = r;
    this.trainedFor = `${st.activation}|${st.output_activation}`;
    T.epoch += 1;
    this.recordTraining(sums.map((v) => v / T.X.length));
    this.diagnose();
    return true;
  }

  /**
   * While training: say in plain words when the cost has stopped falling or a
   * layer's δ has all but vanished (the chapter's "How big is δ in each layer?").
   */
  diagnose() {
    const T = this.train;
    // an improvement is a fall of at least STALL_FALL of the best cost so far
    if (T.best === Infinity || T.cost < T.best * (1 - STALL_FALL)) {
      T.best = T.cost;
      T.bestEpoch = T.epoch;
    }
    const last = T.deltas[T.deltas.length - 1];
    const tiny = last.findIndex((v) => v < DELTA_FLOOR);
    if (tiny < 0) T.smallSince = null;
    else if (T.smallSince === null) T.smallSince = T.epoch;
    let text = "";
    if (tiny >= 0 && T.epoch - T.smallSince >= SMALL_DELTA_EPOCHS) {
      const act = this.st.activation;
      const why =
        act === "relu"
          ? "the ReLU units of that layer are off (z < 0) for every point, so δ is 0 there"
          : `the ${act} units are saturated (f′(z) ≈ 0), so BP2 multiplies δ by almost nothing`;
      text =
        `Training has stalled: the mean |δ| in layer ${tiny + 1} has stayed below 10⁻⁶ for ${SMALL_DELTA_EPOCHS} epochs; ` +
        `${why}, as explained in “How big is δ in each layer?”. Try New weights, another activation, or a smaller η.`;
    } else if (T.epoch - T.bestEpoch >= STALL_EPOCHS && T.right < T.X.length) {
      text =
        `The mean cost over the data has not fallen by 0.1 % for ${T.epoch - T.bestEpoch} epochs (best ${fmt(T.best)} at epoch ${T.bestEpoch}). ` +
        "The network may be too small for this data, or stuck: try more units, another activation, New weights, or another η; " +
        "see “How big is δ in each layer?”.";
    }
    att(this.root, "data-diagnosis", text ? "stalled" : "");
    if (text) this.flag(text);
    else if (this.msg.dataset.kind === "diagnosis") this.flag("");
    this.msg.dataset.kind = text ? "diagnosis" : "";
  }

  /** Cost, accuracy and mean |δ| per layer after an epoch (or at the start: null). */
  recordTraining(deltaSize) {
    const T = this.train;
    if (!T.X.length) {
      T.cost = Number.NaN;
      T.right = 0;
      return;
    }
    const { cost, right } = datasetCost(this.st, T.X, T.Y);
    T.cost = cost;
    T.right = right;
    T.costs.push(cost);
    if (!deltaSize) {
      deltaSize = batchGradients(
        this.st,
        this.spec,
        T.X,
        T.Y,
        T.X.map((_, i) => i),
      ).deltaSize;
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
    const st = { ...this.st, ...this.pointExample(i) };
    if (this.tryState(st, ["x", "y"], `Point ${i + 1}`)) {
      T.point = i;
      this.syncControls();
      this.updateTraining();
      this.flag("");
    }
  }

  /** Where a click on the heat map is, in the data's coordinates. */
  heatCoords(ev) {
    const box = this.heat.getBoundingClientRect();
    return [
      ((ev.clientX - box.left) / box.width) * 2 * SPAN - SPAN,
      SPAN - ((ev.clientY - box.top) / box.height) * 2 * SPAN,
    ];
  }

  nearest(u, v) {
    let best = -1;
    let bd = Infinity;
    this.train.X.forEach((p, i) => {
      const d = (p[0] - u) ** 2 + (p[1] - v) ** 2;
      if (d < bd) {
        bd = d;
        best = i;
      }
    });
    return best;
  }

  onHeatClick(ev) {
    const T = this.train;
    if (!T.X) return;
    const [u, v] = this.heatCoords(ev);
    if (T.mode === "add") this.addPoint(u, v, T.pclass);
    else if (T.mode === "remove") this.removePoint(this.nearest(u, v));
    else if (T.X.length) this.selectPoint(this.nearest(u, v));
  }

  /** The data changed: the cost, accuracy and selected point follow it at once. */
  dataEdited(select) {
    const T = this.train;
    if (T.name !== OWN) {
      T.name = OWN;
      this.dsSel.value = OWN;
    }
    if (T.X.length) {
      T.point = Math.max(0, Math.min(select, T.X.length - 1));
      const st = { ...this.st, ...this.pointExample(T.point) };
      if (!problem(st, this.spec)) {
        this.st = st;
        this.r = example(st, this.spec);
      }
    } else {
      T.point = 0;
    }
    // the history's latest entry is the edited data's
    if (T.costs.length) {
      T.costs.pop();
      T.deltas.pop();
    }
    this.recordTraining(null);
    // the diagram, the heat map and the numbers now; the text table, the controls
    // and Python once the reader pauses (clicks come fast)
    this.update(true);
    this.updateTraining();
    clearTimeout(this.editTimer);
    this.editTimer = setTimeout(() => {
      this.editTimer = null;
      this.syncControls();
      this.update(this.train.playing);
      if (!this.train.playing) this.push(["x", "y", "dataset"]);
    }, 250);
  }

  /** Add a point of class c at (u, v), up to MAX_POINTS. */
  addPoint(u, v, c) {
    const T = this.train;
    if (c >= T.K) {
      this.flag(`Class ${c} needs three classes: choose 3 in “Classes” first.`, this.pclassSel);
      return false;
    }
    if (T.X.length >= MAX_POINTS) {
      this.flag(`The playground holds at most ${MAX_POINTS} points: remove some first.`);
      return false;
    }
    if (!(Math.abs(u) <= SPAN && Math.abs(v) <= SPAN)) return false;
    this.clearFlag(this.pclassSel);
    if (this.msg.dataset.kind !== "diagnosis") this.flag("");
    T.X.push([u, v]);
    T.labels.push(c);
    T.Y.push(targetOf(c, T.K));
    this.dataEdited(T.X.length - 1);
    return true;
  }

  removePoint(i) {
    const T = this.train;
    if (i < 0 || i >= T.X.length) return false;
    T.X.splice(i, 1);
    T.labels.splice(i, 1);
    T.Y.splice(i, 1);
    this.dataEdited(T.point > i ? T.point - 1 : T.point);
    return true;
  }

  clearData() {
    const T = this.train;
    this.stopTraining();
    if (!T.name) {
      T.name = OWN;
      this.chooseDataset(OWN);
      return;
    }
    T.X = [];
    T.labels = [];
    T.Y = [];
    this.dataEdited(0);
    this.updateTraining();
  }

  /** The training panel: numbers, heat map, curves and their text alternatives. */
  updateTraining() {
    const T = this.train;
    if (!this.trainBody) return;
    this.trainBody.hidden = !T.name;
    const n = T.X ? T.X.length : 0;
    this.btnTrain.disabled = !T.name || !n;
    this.btnEpoch.disabled = !T.name || !n;
    put(this.btnTrain, T.playing ? "Pause training ❚❚" : "Train ⟳");
    att(this.btnTrain, "aria-pressed", T.playing ? "true" : "false");
    if (this.classSel.value !== String(T.K)) this.classSel.value = String(T.K);
    const expect = expectText(T.name);
    put(this.expectEl, expect);
    this.expectEl.hidden = !expect;
    if (!T.name) return;
    for (const o of this.pclassSel.options) o.disabled = Number(o.value) >= T.K;
    att(this.heat, "data-points", String(n));
    if (this.heat.__data !== T.X || this.heat.__n !== n) {
      // the points themselves, [x1, x2, class] each, written when the data change
      this.heat.__data = T.X;
      this.heat.__n = n;
      this.heat.setAttribute("data-xy", JSON.stringify(T.X.map((p, i) => [...p, T.labels[i]])));
    }
    att(this.heat, "data-mode", T.mode);
    put(this.epochEl, String(T.epoch));
    att(this.epochEl, "data-value", String(T.epoch));
    put(this.trainCostEl, n ? fmt(T.cost) : "–");
    att(this.trainCostEl, "data-value", n ? String(T.cost) : "");
    put(this.accEl, n ? `${((100 * T.right) / n).toFixed(1)}%` : "–");
    att(this.accEl, "data-value", n ? String(T.right / n) : "");
    if (document.activeElement !== this.pointBox)
      this.pointBox.value = n ? String(T.point + 1) : "";
    const shares = drawHeatmap(this.heat, this.st, T, this.root);
    const counts = new Array(T.K).fill(0);
    for (const c of T.labels) counts[c] += 1;
    const list = counts.map((m, c) => `${m} of class ${c} (${CLASS_NAMES[c]})`).join(", ");
    const regions = shares.map((p, c) => `class ${c} on ${Math.round(100 * p)}%`).join(", ");
    const clicks = {
      select: "A click on the map selects the nearest point.",
      add: `A click on the map adds a point of class ${T.pclass}.`,
      remove: "A click on the map removes the nearest point.",
    }[T.mode];
    const summary = n
      ? `Training accuracy ${((100 * T.right) / n).toFixed(1)}% (${T.right} of ${n} points). ` +
        `Class counts: ${list}. The network predicts ${regions} of the square shown. ` +
        `Point ${T.point + 1} (ringed) is shown in the diagram. ${clicks}`
      : `No data points yet. ${clicks}`;
    put(this.heatText, summary);
    att(this.heat, "aria-label", `Decision regions and data points. ${summary}`);
    const last = T.deltas[T.deltas.length - 1] || [];
    const dtext = n
      ? `Mean |δ| per layer at epoch ${T.epoch}: ` +
        last.map((v, i) => `layer ${i + 1}: ${fmt(v)}`).join(", ") +
        "."
      : "";
    put(this.deltaText, dtext);
    const key = drawCurves(this.curves, T, this.root);
    if (key) {
      const sig = `${key.palette[0]}|${key.lo}|${key.hi}|${last.length}|${fmt(key.cmax)}`;
      if (this.curveKey.__sig !== sig) {
        this.curveKey.__sig = sig;
        this.curveKey.replaceChildren(
          `Chart: the mean cost over the data (top, from 0 to ${fmt(key.cmax)}) and the mean |δ| of each layer (bottom, log scale from 1e${key.lo} to 1e${key.hi}), epoch by epoch: `,
          ...last.flatMap((_, i) => [
            h("span", {
              class: "bpx-swatch",
              style: `color: ${key.palette[i % 4]}`,
              text: `━ δ${sup(i + 1)}`,
            }),
            " ",
          ]),
        );
      }
    }
    att(
      this.curves,
      "aria-label",
      n
        ? `Mean cost over the data by epoch (from ${fmt(T.costs[0])} to ${fmt(T.cost)}), and mean |δ| of each layer on a log scale. ${dtext}`
        : "No data points, so no cost to chart yet.",
    );
  }
}
