// The network-shape editor: units per hidden layer, hidden layers, fresh weights from
// a draw number. Methods of Explorer (installed by explorer.js).

import { h } from "./dom.js";
import { parseNumber } from "./format.js";
import { randomParams } from "./random.js";

export class ArchitectureView {
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
      const b = h("button", {
        type: "button",
        "data-role": role,
        "data-layer": layer,
        text,
        title,
      });
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
      this.flag(
        `Draw number: “${this.seedBox.value}” is not a whole number 0…2147483647; kept ${this.seed}.`,
        this.seedBox,
      );
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
    this.trainedFor = null;
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
}
