// The answer box's parser (backprop_lib/answer_parser.js) against the Python one, on
// one corpus. tests/test_answer_parser.py writes the corpus with Python's verdicts
// (parse_answer) to the JSON file named by ANSWER_CORPUS and runs this file with
// `node --test`; every string must get the same verdict (accepted, or refused with
// the same code and position) and, when accepted, the same value at the sample point.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { judge, parseAnswer, prepareSpec } from "../../../backprop_lib/answer_parser.js";

const data = JSON.parse(readFileSync(process.env.ANSWER_CORPUS, "utf-8"));
const names = new Set(data.names);
const functions = new Map(Object.entries(data.functions));
const point = {
  values: new Map(Object.entries(data.point.values)),
  params: new Map(Object.entries(data.point.params)),
};

test("every corpus string gets Python's verdict", () => {
  const disagreements = [];
  for (const c of data.cases) {
    const got = parseAnswer(c.text, data.grammar, names, functions);
    const mine = got.ok ? "ok" : got.code;
    if (mine !== c.code || (!got.ok && got.position !== c.position)) {
      disagreements.push({
        text: c.text,
        python: [c.code, c.position],
        js: [mine, got.position, got.message],
      });
      continue;
    }
    if (got.ok && c.value !== null) {
      const v = got.evaluate(point);
      const tol = 1e-9 * Math.max(1, Math.abs(c.value));
      if (!(Math.abs(v - c.value) <= tol)) {
        disagreements.push({ text: c.text, python: c.value, js: v });
      }
    }
  }
  assert.deepEqual(disagreements, []);
  assert.ok(data.cases.length > 100, "the corpus is there");
});

test("hostile input is refused quickly and never throws", () => {
  const hostile = [
    "a".repeat(10000),
    "(".repeat(5000),
    `${"-".repeat(400)}a`,
    "9^9^9^9",
    "constructor",
    "__proto__",
    "<b>x</b>",
    ")".repeat(300),
  ];
  for (const text of hostile) {
    const start = Date.now();
    const got = parseAnswer(text, data.grammar, names, functions);
    assert.equal(got.ok, false, text.slice(0, 30));
    assert.ok(Date.now() - start < 1000, "returns at once"); // a hang guard, not a benchmark
  }
});

test("judge: right, tempting, other wrong, unreadable", () => {
  const spec = prepareSpec({
    grammar: data.grammar,
    names: ["p", "q"],
    functions: data.functions,
    points: [1, 2, 3].map((k) => ({ values: { p: k * 0.7, q: -k }, params: {} })),
    expected: [1, 2, 3].map((k) => 2 * k * 0.7 - k),
    tempting: [{ values: [1, 2, 3].map((k) => k * 0.7), hint: "only p." }],
    rtol: 1e-9,
    atol: 1e-12,
    needs: { p: true, q: true },
  });
  assert.equal(judge("2*p + q", spec).verdict, "right");
  assert.equal(judge("q + p*2", spec).verdict, "right");
  assert.deepEqual(judge("p", spec), { verdict: "wrong", message: "Not quite: only p." });
  assert.match(judge("3*p", spec).message, /does not depend on q/);
  assert.equal(judge("2*p + q + 1e-3", spec).verdict, "wrong");
  assert.equal(judge("r", spec).verdict, "unreadable");
  assert.match(judge("r", spec).message, /unknown name 'r'/);
  assert.match(judge("p +* q", spec).message, /position 4/);
});
