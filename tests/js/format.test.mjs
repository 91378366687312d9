// How the explorer writes and reads numbers (js/explorer/format.js), and the
// equation panel's text (js/explorer/equation.js) with the core's numbers in it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { equationText } from "../../js/explorer/equation.js";
import { fmt, parseNumber } from "../../js/explorer/format.js";
import { example } from "../../js/explorer/kernel.js";
import { REF, stateOf } from "./reference.mjs";

/** Half a unit in the 4th significant digit of v (with a little slack). */
const displayed = (v) => (v ? 0.5001 * 10 ** (Math.floor(Math.log10(Math.abs(v))) - 3) : 0);

test("values are shown with four significant digits", () => {
  const values = [0.5, -0.012345678, 123.456, 1e-7, -2.5e5, 9999.4];
  assert.equal(fmt(0), "0");
  assert.equal(fmt(-0), "0");
  for (const v of values) {
    const s = fmt(v);
    assert.ok(Math.abs(Number(s) - v) <= displayed(v), `${v} shown as ${s}`);
    const mantissa = s.split("e")[0].replace("-", "").replace(".", "").replace(/^0+/, "");
    assert.equal(mantissa.length, 4, s);
  }
  assert.match(fmt(1e-7), /e/);
  assert.match(fmt(-2.5e5), /e/);
});

test("a typed number is read only if it is a plain finite decimal", () => {
  for (const bad of ["abc", "", "1e999", "1,5", "0x10", "--1", "nan", "Infinity"]) {
    assert.ok(!Number.isFinite(parseNumber(bad)), bad);
  }
  const good = ["0.5", " -2 ", "1e-3", "\u22123.25", ".5", "+4."];
  assert.deepEqual(good.map(parseNumber), [0.5, -2, 1e-3, -3.25, 0.5, 4]);
});

test("the equation panel substitutes the current numbers", () => {
  const { case: c, shown } = REF.equation;
  const st = stateOf(c);
  const eq = equationText(st, example(st, REF.spec), 1, 1); // layer 1, unit 2
  assert.ok(eq.includes("δ¹₂ = (w²₁₂ δ²₁ + w²₂₂ δ²₂) · σ′(z¹₂)"), eq);
  const numbers = (eq.match(/-?\d+(?:\.\d*)?(?:e[+-]?\d+)?/g) || []).map(Number);
  for (const v of shown) {
    assert.ok(
      numbers.some((s) => Math.abs(s - v) <= displayed(v)),
      `${v} not in:\n${eq}`,
    );
  }
});
