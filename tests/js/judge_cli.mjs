// Judge answers as the page does: node judge_cli.mjs cases.json, where cases.json is
// [{spec, texts}] (spec: an AnswerBox's spec). Prints [[ [verdict, message], … ], …].
// Used by tests/test_answer_box.py to compare the page's verdicts with the kernel's.
import { readFileSync } from "node:fs";

import { judge, prepareSpec } from "../../backprop_lib/answer_parser.js";

const cases = JSON.parse(readFileSync(process.argv[2], "utf-8"));
const out = cases.map(({ spec, texts }) => {
  const prepared = prepareSpec(spec);
  return texts.map((text) => {
    const { verdict, message } = judge(text, prepared);
    return [verdict, message];
  });
});
process.stdout.write(JSON.stringify(out));
