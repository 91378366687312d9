// The numpy core's answers for these tests (tests/js/reference.py): read from the
// file BPX_REFERENCE names (tests/test_widgets.py writes it), or computed now with
// the Python in PYTHON, else the repository's .venv.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

function load() {
  const path = process.env.BPX_REFERENCE;
  if (path) return JSON.parse(readFileSync(path, "utf8"));
  const venv = join(root, ".venv", "bin", "python");
  const python = process.env.PYTHON || (existsSync(venv) ? venv : "python3");
  const text = execFileSync(python, [join(here, "reference.py")], {
    cwd: root,
    // this checkout's backprop_lib, whichever one the venv has installed
    env: { ...process.env, PYTHONPATH: [root, process.env.PYTHONPATH].filter(Boolean).join(":") },
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  return JSON.parse(text);
}

export const REF = load();

/** A state as the explorer holds it (W, b indexed 1..L) from a reference case. */
export function stateOf(c) {
  return {
    W: [null, ...c.weights.map((w) => w.map((r) => r.slice()))],
    b: [null, ...c.biases.map((v) => v.slice())],
    x: c.x ? c.x.slice() : null,
    y: c.y ? c.y.slice() : null,
    activation: c.activation,
    output_activation: c.output_activation,
    cost_name: c.cost_name,
  };
}
