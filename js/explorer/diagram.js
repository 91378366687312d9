// The network diagram: an SVG of the neurons (z, a, δ) and the weights (w, ∂C/∂w).
// Its methods are installed on Explorer (explorer.js); they read and set the view's
// fields (this.sizes, this.geo, this.nodeEls, this.edgeEls).

import { h, s } from "./dom.js";
import { sub } from "./format.js";

export class DiagramView {
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
      // never drawn smaller than 1:1, so no text is under 11 CSS px; a wider diagram
      // scrolls sideways in its frame (explorer.js adds the cue)
      style: `min-width: ${Wd}px`,
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
}
