// The line under the playground's data set menu says what each preset should show
// (js/explorer/expectations.js). Every figure in it is checked here over DRAWS draw
// numbers, as the page draws them: the chapter's trainer network (its layer sizes,
// cost and η, read from the chapter), the preset's points and the epochs' shuffles
// from the draw number, fresh weights from the draw number ("New weights"), trained
// with the kernel's own SGD step.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { DATASET_CLASSES, DATASETS, makeDataset, targetOf } from "../../js/explorer/datasets.js";
import {
  DRAWS,
  EXPECTATIONS,
  expectText,
  PRESET_BATCH,
  PRESET_POINTS,
} from "../../js/explorer/expectations.js";
import { datasetCost, forward, sgdStep, workspace } from "../../js/explorer/kernel.js";
import { epochBatches, makeRng, randomParams } from "../../js/explorer/random.js";
import { REF } from "./reference.mjs";

const spec = REF.spec;
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The playground's network as the chapter builds it (the cell that makes `trainer`). */
function chapterTrainer() {
  const text = readFileSync(join(root, "chapters", "watch-delta.md"), "utf8");
  const net = text.match(
    /deep_train = bp\.Network\(\[([\d, ]+)\], activation="(\w+)", cost="(\w+)"/,
  );
  const eta = text.match(/DeltaExplorer\(deep_train, [^\n]*eta=([\d.]+)\)/);
  assert.ok(net && eta, "the chapter's trainer cell is where this test expects it");
  const sizes = net[1].split(",").map(Number);
  return { hidden: sizes.slice(1, -1), activation: net[2], cost_name: net[3], eta: Number(eta[1]) };
}

const TRAINER = chapterTrainer();

/**
 * Train the preset `name` from draw number `draw` as the page does; return the
 * training accuracy after `epochs` epochs and the first epoch at 100 % (or null).
 */
function train(name, check, draw) {
  const K = DATASET_CLASSES[name];
  const d = makeDataset(name, PRESET_POINTS, draw);
  const Y = d.y.map((c) => targetOf(c, K));
  const sizes = [2, ...(check.hidden || TRAINER.hidden), K > 2 ? K : 1];
  const st = {
    ...randomParams(sizes, draw),
    activation: check.activation,
    output_activation: K > 2 ? spec.multiclass.output_activation : "sigmoid",
    cost_name: K > 2 ? spec.multiclass.cost_name : TRAINER.cost_name,
  };
  const rng = makeRng(draw + 1); // the page's shuffles (resetTrainingHistory)
  const n = d.X.length;
  for (let e = 1; e <= check.epochs; e++) {
    for (const idx of epochBatches(n, PRESET_BATCH, rng))
      sgdStep(st, spec, d.X, Y, idx, TRAINER.eta);
    // a "reach" check only needs the first epoch at 100 %, a "median" one the last
    if ("reach" in check || e === check.epochs) {
      const right = datasetCost(st, d.X, Y).right;
      if (right === n) return { accuracy: 1, reached: e, dead: false };
      if (e === check.epochs)
        return { accuracy: right / n, reached: null, dead: deadLayer(st, d.X) };
    }
  }
}

/** True if some hidden layer has z ≤ 0 for every unit at every point. */
function deadLayer(st, X) {
  const ws = workspace(st);
  const L = st.W.length - 1;
  const alive = Array.from({ length: L }, () => false);
  for (const x of X) {
    forward(st, ws, x);
    for (let ell = 1; ell < L; ell++) if (ws.z[ell].some((z) => z > 0)) alive[ell] = true;
  }
  return alive.slice(1).some((a) => !a);
}

function median(values) {
  const v = [...values].sort((p, q) => p - q);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

test("the playground starts as the figures assume", () => {
  assert.deepEqual(TRAINER.hidden, [4, 4, 4]);
  assert.equal(TRAINER.activation, "sigmoid");
  assert.ok(DRAWS >= 50, "a claim about random draws holds over at least 50 of them");
  for (const name of Object.keys(DATASETS)) {
    assert.ok(EXPECTATIONS[name]?.length, `${name} says what to expect`);
    const text = expectText(name);
    for (const c of EXPECTATIONS[name]) {
      assert.ok(text.includes(`${c.epochs} epochs`), `${name}: ${text}`);
      const stated =
        "reach" in c ? `${Math.round(10 * c.reach)} in 10` : `${Math.round(100 * c.median)} %`;
      assert.ok(text.includes(stated), `${name} states ${stated}: ${text}`);
    }
  }
});

for (const [name, checks] of Object.entries(EXPECTATIONS)) {
  for (const check of checks) {
    const what = `${name}, ${check.activation}${check.hidden ? ` [${check.hidden}]` : ""}, ${check.epochs} epochs`;
    test(`what the page says of ${what} holds over ${DRAWS} draws`, () => {
      const runs = Array.from({ length: DRAWS }, (_, i) => train(name, check, i + 1));
      if ("reach" in check) {
        // "about k in 10 draws reach 100 %": the measured share rounds to it (±0.1)
        const share = runs.filter((r) => r.reached !== null).length / DRAWS;
        assert.ok(Math.abs(share - check.reach) <= 0.1, `${what}: ${share} reach 100 %`);
      } else {
        // "typically p %": the median accuracy is within 3 points of it
        const m = median(runs.map((r) => r.accuracy));
        assert.ok(Math.abs(m - check.median) <= 0.03, `${what}: median accuracy ${m}`);
        if (check.dead) {
          const left = runs.filter((r) => r.accuracy === check.median);
          assert.ok(left.length > DRAWS / 2, `${what}: most draws stay at ${check.median}`);
          assert.ok(
            left.every((r) => r.dead),
            `${what}: a hidden layer died in each`,
          );
        }
      }
    });
  }
}
