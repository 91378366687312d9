// Training on a 2-D data set in the page: the panel, an epoch of mini-batch SGD (the
// kernel's sgdStep), the history of cost and mean |δ|, and the plots. Methods of
// Explorer (installed by explorer.js).

import { DATASETS, makeDataset } from "./datasets.js";
import { att, clone, h, put, sameNumbers } from "./dom.js";
import { fmt, parseNumber, sup } from "./format.js";
import { allFinite, batchGradients, datasetCost, example, sgdStep } from "./kernel.js";
import { drawCurves, drawHeatmap, SPAN } from "./plots.js";
import { epochBatches, makeRng, randomParams } from "./random.js";

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
      h(
        "span",
        { class: "bpx-field" },
        h("label", { for: this.dsSel.id, text: "Data set" }),
        this.dsSel,
      ),
      h(
        "span",
        { class: "bpx-field" },
        h("label", { for: this.batchBox.id, text: "Batch size" }),
        this.batchBox,
      ),
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
        this.flag(
          `Point: “${this.pointBox.value}” is not a point number 1…${T.X ? T.X.length : 0}.`,
          this.pointBox,
        );
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
    const st = { ...this.st, W: clone(this.st.W), b: clone(this.st.b) };
    const L = this.L;
    const sums = new Array(L + 1).fill(0);
    for (const idx of epochBatches(T.X.length, T.batch, T.rng)) {
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
      `Mean cost over the data by epoch (from ${fmt(T.costs[0])} to ${fmt(T.cost)}), and mean |δ| of each layer on a log scale. ${dtext}`,
    );
  }
}
