// "Step backward": the backward pass shown in the order backprop computes it
// (forward, BP1, BP2 layer by layer, BP3, BP4), one step at a time or played.
// Methods of Explorer (installed by explorer.js).

import { sup } from "./format.js";
import { ACTIVATIONS, actOf } from "./kernel.js";

export class StepperView {
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
    // the forward pass comes first; the backward steps are counted from 1
    const head = st === 0 ? "Before the backward pass: " : `Backward step ${st} of ${n - 1}: `;
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
      const ce = this.spec.costs[this.st.cost_name]?.output_delta === "a_minus_y";
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
      Number(this.model.get("play_interval")),
    );
    this.update();
  }

  stopPlay() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
