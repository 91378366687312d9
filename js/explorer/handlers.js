// What the reader's edits do: a slider or typed weight, an input or target, a
// selector, η, the SGD step and reset. Each builds a new state and hands it to
// tryState (explorer.js), which applies it only if it is valid. Methods of Explorer.

import { clone } from "./dom.js";
import { fmt, parseNumber, sub, sup } from "./format.js";
import { randomParams } from "./random.js";

export class HandlersView {
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
      } else if (!this.model.get("message")) {
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
    let st = { ...this.st, [key]: sel.value };
    const label = {
      activation: "Hidden activation",
      output_activation: "Output activation",
      cost_name: "Cost",
    }[key];
    // Weights trained for one activation are never silently kept for another: with
    // a data set, fresh ones are drawn; else the reader is told, with the button.
    const trained =
      this.trainedFor && this.trainedFor !== `${st.activation}|${st.output_activation}`;
    const fresh = trained && key !== "cost_name" && this.train.name;
    if (fresh) {
      this.stopTraining();
      st = { ...st, ...randomParams(this.sizes, this.seed) };
    }
    const keys = fresh ? [key, "weights", "biases"] : [key];
    if (this.tryState(st, keys, `${label} ${sel.value}`)) {
      this.clearFlag(sel);
      this.flag("");
      this.updateOptions();
      if (fresh) {
        this.trainedFor = null;
        this.syncControls();
        this.resetTrainingHistory();
        this.updateTraining();
        this.flag(
          `${label} ${sel.value}: drew fresh weights (draw number ${this.seed}); the trained ones suited the old activation.`,
        );
      } else if (trained && key !== "cost_name") {
        this.flag(
          `${label} ${sel.value}: the weights were trained for another activation; press “New weights” for fresh ones.`,
        );
      }
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
      this.trainedFor = `${st.activation}|${st.output_activation}`;
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
      cost_name: init.cost_name,
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
    if (this.tryState(st, [...this.spec.state, "step", "eta"], "Reset")) {
      this.syncControls();
      this.flag("");
    }
  }
}
