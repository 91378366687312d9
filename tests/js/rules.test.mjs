// Which networks the explorer refuses (js/explorer/rules.js): the core's rules, read
// from the spec Python sends, never a list of the front end's own.
import assert from "node:assert/strict";
import { test } from "node:test";
import { problem } from "../../js/explorer/rules.js";
import { REF, stateOf } from "./reference.mjs";

test("the front end refuses what the core refuses, and accepts what it accepts", () => {
  assert.equal(REF.refusals.length, 6);
  assert.equal(REF.refusals.filter((r) => r.core_refuses).length, 5);
  for (const { case: c, core_refuses } of REF.refusals) {
    const why = problem(stateOf(c), REF.spec);
    assert.equal(why !== null, core_refuses, `${JSON.stringify(c)}: ${why}`);
  }
});

test("the choices come from the spec: drop one from it and it is refused", () => {
  const { narrow, relu, cross_entropy: ce } = REF.narrowed;
  assert.equal(problem(stateOf(relu), REF.spec), null);
  assert.equal(problem(stateOf(ce), REF.spec), null);
  assert.match(problem(stateOf(relu), narrow), /hidden activation/);
  assert.match(problem(stateOf(ce), narrow), /cost must be one of/);
});
