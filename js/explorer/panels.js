// The panels under the diagram: the input and target boxes, the weight and bias
// sliders, the text table, and writing the state into those controls. Methods of
// Explorer (installed by explorer.js).

import { att, h } from "./dom.js";
import { fmt, sub, sup } from "./format.js";
import { problem } from "./rules.js";

export class PanelsView {
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
      // only the smallest networks start with their sliders unfolded
      if (!many) det.open = true;
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
    this.xBoxes.forEach((box, j) => {
      this.setBox(box, st.x[j]);
    });
    this.yBoxes.forEach((box, j) => {
      this.setBox(box, st.y[j]);
    });
    this.selAct.value = st.activation;
    this.selOut.value = st.output_activation;
    this.selCost.value = st.cost_name;
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
    const text = boxText(v);
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
      o.disabled = nL < spec.activations[o.value].min_units || !allowedBy(st.cost_name, o.value);
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
}

/**
 * A number as a box shows it: at most 6 significant digits, so the whole value fits
 * the box (the slider's data-value keeps every digit).
 */
export function boxText(v) {
  if (!Number.isFinite(v) || v === 0) return String(v);
  const av = Math.abs(v);
  if (av >= 1e-4 && av < 1e6) return String(Number(v.toPrecision(6)));
  return v.toExponential(4).replace("e+", "e");
}
