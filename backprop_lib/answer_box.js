// The answer box: the front end of backprop_lib.answer_box.AnswerBox (an anywidget
// ES module). answer_box.py prepends answer_parser.js to this file to make the one
// module anywidget loads, in place of the import below.
//
// The reader types an answer and presses Enter or Check; judge() reads it with the
// book's grammar and compares it, at the sample points of the spec, with the values
// SymPy computed at build time. Works with no kernel (the static site); with one, the
// answer and its verdict are also sent to Python (box.answer, box.verdict).
//
// Markup contract (the tests rely on it):
//   root   [data-role=answer][data-exercise=<label>][data-part]
//   input  [data-role=answer-input]    button [data-role=answer-check]
//   verdict [data-role=answer-verdict][aria-live=polite], data-verdict after a check:
//          right | wrong | unreadable
import { judge, prepareSpec } from "./answer_parser.js";

let counter = 0;

function element(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

export default {
  render({ model, el }) {
    counter += 1;
    const id = `bp-answer-${counter}-${Math.random().toString(36).slice(2, 8)}`;
    const spec = prepareSpec(model.get("spec"));
    const root = element("div", {
      class: "bp-answer",
      "data-role": "answer",
      "data-exercise": model.get("exercise"),
      "data-part": model.get("part"),
    });
    const label = element(
      "label",
      { class: "bp-answer-label", for: `${id}-input` },
      model.get("label"),
    );
    const row = element("div", { class: "bp-answer-row" });
    const input = element("input", {
      id: `${id}-input`,
      type: "text",
      class: "bp-answer-input",
      "data-role": "answer-input",
      placeholder: model.get("placeholder"),
      autocomplete: "off",
      autocapitalize: "off",
      autocorrect: "off",
      spellcheck: "false",
      "aria-describedby": `${id}-hint`,
    });
    const button = element(
      "button",
      {
        type: "button",
        class: "bp-answer-check",
        "data-role": "answer-check",
      },
      "Check",
    );
    const line = element("span", { class: "bp-answer-line", "aria-hidden": "true" });
    row.append(input, line, button);
    const hint = element("p", { id: `${id}-hint`, class: "bp-answer-hint" }, model.get("hint"));
    const verdict = element("p", {
      class: "bp-answer-verdict",
      "data-role": "answer-verdict",
      "aria-live": "polite",
    });
    root.append(label, row, hint, verdict);
    el.append(root);

    function check() {
      const text = input.value;
      let result;
      try {
        result = judge(text, spec);
      } catch {
        result = { verdict: "unreadable", message: "Cannot read this answer." };
      }
      verdict.setAttribute("data-verdict", result.verdict);
      verdict.textContent = result.message;
      model.set("answer", text);
      model.set("verdict", result.verdict);
      model.set("message", result.message);
      model.save_changes();
    }

    button.addEventListener("click", check);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        check();
      }
    });
  },
};
