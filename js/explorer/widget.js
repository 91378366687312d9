// The δ explorer: the front end of backprop_lib.widgets.DeltaExplorer (an anywidget
// ES module). This is the entry point esbuild bundles (with the modules it imports,
// js/explorer/*.js) into backprop_lib/explorer.js, the file anywidget loads.
//
// Everything the reader sees is computed here, in the browser, so the explorer stays
// fully interactive on the book's static pages, where there is no Python kernel. The
// arithmetic (kernel.js) mirrors backprop_lib's numpy core, so the numbers agree with
// `net.backward` to rounding. With a kernel, every change is also sent to Python
// (model.set + save_changes), where `explorer.net` and `explorer.result` are rebuilt
// by the numpy core.
//
// Modules: kernel.js (forward, BP1–BP4, batch gradients, SGD step), random.js,
// datasets.js, rules.js (validity, from the spec), format.js, dom.js; the view:
// explorer.js (state, model sync, build, update) with the methods of diagram.js,
// panels.js, arch.js, training.js (+ plots.js), stepper.js, handlers.js, equation.js.
//
// Markup contract (the tests rely on it; units, rows and columns are numbered from 1
// as in the book's w^ℓ_jk, layers from 0 = the input layer):
//   [data-role=z|a|delta][data-layer=ℓ][data-unit=j]   text = the value
//   input[type=range][data-role=weight][data-layer][data-row][data-col]
//   input[type=range][data-role=bias][data-layer][data-row]
//   input[data-role=input|target][data-unit]
//   [data-role=cost]                                   text = the cost C (a value)
//   [data-role=message]                                a note to the reader (hidden when
//                                                      none); Python's `message` trait
//                                                      appears as "Python: <message>"
//   select[data-role=<state name>-select]              activation, output_activation, cost_name
//   root [data-activation][data-output-activation][data-cost-name]   the names chosen

import { Explorer } from "./explorer.js";

export default {
  render({ model, el }) {
    let view;
    try {
      view = new Explorer(model, el);
      // the page's note for readers whose browser cannot load the explorer's
      // scripts (the chapter's "bpx-fallback" admonition) is not needed here
      for (const note of document.querySelectorAll(".bpx-fallback")) note.hidden = true;
    } catch (err) {
      el.textContent = `The δ explorer could not start: ${err.message}`;
      throw err;
    }
    return () => view.destroy();
  },
};
