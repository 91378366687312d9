// What each preset the chapter suggests should show, said before training. The
// figures are measured, not guessed: tests/js/expectations.test.mjs trains the
// playground's network (the chapter's trainer, these points and batch size) with the
// kernel from draw numbers 1…DRAWS and checks every figure below, so the sentence
// and the measurement are read from this one table.

/** The points in a preset and the batch size the playground starts with. */
export const PRESET_POINTS = 200;
export const PRESET_BATCH = 10;
/** How many draw numbers (data, weights and shuffles) the figures are measured over. */
export const DRAWS = 50;

/**
 * The checked figures of each preset. A check trains with the hidden `activation`
 * (and `hidden` layer sizes, else the chapter's) for `epochs` epochs and states either
 * `reach`, the share of draws whose training accuracy reaches 100 % within them, or
 * `median`, the median training accuracy after them. With `dead`, every draw left at
 * `median` has a whole hidden layer with z ≤ 0 at every point.
 */
export const EXPECTATIONS = {
  blobs: [{ activation: "sigmoid", epochs: 20, reach: 0.9 }],
  xor: [{ activation: "sigmoid", epochs: 250, reach: 0.6 }],
  circles: [
    { activation: "tanh", epochs: 50, reach: 0.9 },
    { activation: "relu", epochs: 25, median: 0.5, dead: true },
  ],
  spiral: [{ activation: "sigmoid", epochs: 100, median: 0.57 }],
  blobs3: [{ activation: "sigmoid", epochs: 20, median: 0.97 }],
  spiral3: [
    { activation: "sigmoid", epochs: 50, median: 0.34 },
    { activation: "tanh", hidden: [6, 6], epochs: 100, median: 0.68 },
  ],
};

const pct = (v) => `${Math.round(100 * v)} %`;
const inTen = (v) => `${Math.round(10 * v)} in 10`;

/** The sentences, written from the figures above. */
const SAY = {
  blobs: ([a]) =>
    `Expect: a straight boundary is enough; with sigmoid units about ${inTen(a.reach)} draws separate the two blobs completely within ${a.epochs} epochs.`,
  xor: ([a]) =>
    `Expect: XOR needs a hidden layer; with sigmoid units about ${inTen(a.reach)} draws reach 100 % within ${a.epochs} epochs (the others need longer or another draw number).`,
  circles: ([a, b]) =>
    `Expect: with tanh hidden units the boundary closes into a ring, reaching 100 % within ${a.epochs} epochs in about ${inTen(a.reach)} draws; with ReLU at this learning rate most draws are still at ${pct(b.median)} after ${b.epochs} epochs, a whole hidden layer dead (z ≤ 0 at every point, so δ = 0 below it).`,
  spiral: ([a]) =>
    `Expect: with sigmoid units training crawls (typically ${pct(a.median)} after ${a.epochs} epochs, a nearly straight boundary): δ shrinks layer by layer, as “How big is δ in each layer?” explains. Try tanh with New weights.`,
  blobs3: ([a]) =>
    `Expect: softmax with cross-entropy splits the plane into three regions, typically ${pct(a.median)} right after ${a.epochs} epochs (the blobs overlap a little); click an output unit to see δᴸ = a − y.`,
  spiral3: ([a, b]) =>
    `Expect: sigmoid units stall at chance (typically ${pct(a.median)} after ${a.epochs} epochs); two hidden layers of ${b.hidden[0]} tanh units reach typically ${pct(b.median)} after ${b.epochs} epochs.`,
};

/** The line shown under the data set menu for `name` ("" if none). */
export function expectText(name) {
  if (name === "own")
    return "Choose “adds a point” and a class, then click the map; Train once each class has points.";
  const checks = EXPECTATIONS[name];
  return checks ? SAY[name](checks) : "";
}
