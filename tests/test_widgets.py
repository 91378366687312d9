"""The δ explorer, Python side: its mirror of the numpy core, its checks, and the
front end's arithmetic (explorer.js, run in Node) against the numpy core."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib import _explorer_spec as spec_module

from .conftest import HIDDEN, OUTPUT_COST

try:  # the widgets extra is a test dependency: its absence fails, never skips
    from backprop_lib import widgets
    from backprop_lib.widgets import DeltaExplorer
except ImportError as exc:  # pragma: no cover - only without the widgets extra
    _MISSING = exc

    def DeltaExplorer(*args, **kwargs):
        pytest.fail(f"the widget tests need the widgets extra: {_MISSING}")

    widgets = None

EXPLORER_JS = Path(bp.__file__).with_name("explorer.js")

# HIDDEN and OUTPUT_COST come from the registries (.conftest): the front end must
# mirror every activation and cost the core registers


def core_result(explorer):
    """The numpy core's backward pass for the explorer's current traits, built
    independently of the explorer's own mirror."""
    net = bp.Network.from_params(
        explorer.weights,
        [np.array(b) for b in explorer.biases],
        activation=explorer.activation,
        output_activation=explorer.output_activation,
        cost=explorer.cost,
    )
    return net, net.backward(np.array(explorer.x), np.array(explorer.y))


def assert_same_result(r, s):
    assert r.cost == pytest.approx(s.cost, rel=1e-14, abs=1e-300)
    for ell in range(1, len(r.delta)):
        np.testing.assert_allclose(r.delta[ell], s.delta[ell], rtol=1e-14, atol=0)
        np.testing.assert_allclose(r.grad_W[ell], s.grad_W[ell], rtol=1e-14, atol=0)
        np.testing.assert_allclose(r.grad_b[ell], s.grad_b[ell], rtol=1e-14, atol=0)


@pytest.fixture
def explorer():
    net = bp.Network([2, 3, 2], seed=1)
    return DeltaExplorer(net, [0.5, -1.0], [1.0, 0.0])


# ---------------------------------------------------------------- construction


def test_mirrors_the_network_it_was_given():
    net = bp.Network([3, 4, 2], activation="tanh", output_activation="softmax", seed=3)
    x, y = np.array([0.2, -0.4, 1.0]), np.array([0.3, 0.7])
    ex = DeltaExplorer(net, x, y)
    assert ex.sizes == [3, 4, 2]
    assert (ex.activation, ex.output_activation, ex.cost) == (
        "tanh",
        "softmax",
        "quadratic",
    )
    for ell in (1, 2):
        np.testing.assert_array_equal(np.array(ex.weights[ell - 1]), net.W[ell])
        np.testing.assert_array_equal(np.array(ex.biases[ell - 1]), net.b[ell][:, 0])
    assert_same_result(ex.result, net.backward(x, y))
    # the explorer copied the network: changing it leaves net alone
    w = net.W[1][0, 0]
    ex.set_weight(1, 0, 0, 2.0)
    assert net.W[1][0, 0] == w
    assert ex.net.W[1][0, 0] == 2.0


def test_accepts_column_examples_and_float32_networks():
    net = bp.Network([2, 2, 1], seed=0, dtype=np.float32)
    ex = DeltaExplorer(net, np.array([[0.5], [1.0]]), np.array([[1.0]]))
    assert ex.net.dtype == np.float64
    assert ex.x == [0.5, 1.0]
    assert ex.y == [1.0]
    np.testing.assert_array_equal(ex.net.W[1], net.W[1].astype(np.float64))


def test_largest_network_allowed_and_default_ranges():
    net = bp.Network([6, 6, 6, 6, 6], seed=0)
    net.W[2][0, 0] = 7.2
    ex = DeltaExplorer(net, np.ones(6), np.zeros(6))
    assert ex.weight_range == 8.0  # ceil of the largest |parameter|
    assert ex.value_range == 10.0
    assert DeltaExplorer(bp.Network([1, 1]), [30.0], [0.5]).value_range == 30.0


BAD = [
    ("net not a Network", lambda: DeltaExplorer([2, 3, 1], [0, 0], [0]), TypeError,
     r"net must be a backprop_lib\.Network"),
    ("too deep", lambda: DeltaExplorer(bp.Network([2, 2, 2, 2, 2, 1]), [0, 0], [0]),
     ValueError, r"5 weight layers.*at most 4"),
    ("too wide", lambda: DeltaExplorer(bp.Network([2, 7, 1]), [0, 0], [0]),
     ValueError, r"layer 1 of net has 7 units.*at most 6"),
    ("wide input", lambda: DeltaExplorer(bp.Network([7, 1]), np.zeros(7), [0]),
     ValueError, r"layer 0 of net has 7 units"),
    ("x batch", lambda: DeltaExplorer(bp.Network([2, 1]), np.zeros((2, 3)), [0]),
     ValueError, r"x must be one example.*shape \(2, 3\)"),
    ("x length", lambda: DeltaExplorer(bp.Network([2, 1]), [0, 0, 0], [0]),
     ValueError, r"x must be one example"),
    ("y length", lambda: DeltaExplorer(bp.Network([2, 1]), [0, 0], [0, 1]),
     ValueError, r"y must be one example: shape \(1,\)"),
    ("x not finite", lambda: DeltaExplorer(bp.Network([2, 1]), [0, np.nan], [0]),
     ValueError, r"x must be finite"),
    ("x text", lambda: DeltaExplorer(bp.Network([2, 1]), ["a", "b"], [0]),
     TypeError, r"x must be 2 numbers"),
    ("bad CE target",
     lambda: DeltaExplorer(bp.Network([2, 1], cost="cross_entropy"), [0, 0], [2.0]),
     ValueError, r"targets must lie in \[0, 1\]"),
    ("eta", lambda: DeltaExplorer(bp.Network([2, 1]), [0, 0], [0], eta=0),
     ValueError, r"eta must be a positive"),
    ("weight_range", lambda: DeltaExplorer(bp.Network([2, 1]), [0, 0], [0],
                                           weight_range=-1),
     ValueError, r"weight_range must be a positive"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("what", "call", "exc", "pattern"), BAD, ids=[b[0] for b in BAD]
)
def test_bad_constructor_arguments_are_named(what, call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_network_without_hidden_layer_keeps_its_output_activation():
    net = bp.Network([2, 2], activation="softmax", cost="cross_entropy")
    ex = DeltaExplorer(net, [1.0, 2.0], [0.0, 1.0])
    assert ex.output_activation == "softmax"
    assert ex.activation in widgets.HIDDEN_ACTIVATIONS
    assert_same_result(ex.result, net.backward([1.0, 2.0], [0.0, 1.0]))


# ---------------------------------------------------------------- the mirror


def test_every_change_rebuilds_net_and_result(explorer):
    seen = []
    explorer.observe(lambda change: seen.append(change["new"]), names="result")
    explorer.set_weight(2, 1, 2, -1.5)
    explorer.set_bias(1, 0, 0.25)
    explorer.x = [1.0, 2.0]
    explorer.y = [0.0, 1.0]
    explorer.activation = "relu"
    explorer.output_activation = "softmax"
    explorer.cost = "cross_entropy"
    assert len(seen) == 7
    assert explorer.net.W[2][1, 2] == -1.5
    assert explorer.net.b[1][0, 0] == 0.25
    assert explorer.net.activation == "relu"
    _, r = core_result(explorer)
    assert_same_result(explorer.result, r)
    assert seen[-1] is explorer.result


@pytest.mark.parametrize(
    ("name", "value", "pattern"),
    [
        ("activation", "softmax", r"activation must be one of"),
        ("output_activation", "sigmod", r"output_activation must be one of"),
        ("cost", "cross_entropy", r"cost='cross_entropy' needs output_activation"),
        ("weights", [[[1.0, 2.0]], [[1.0]]], r"weights\[0\] \(W\^1\) must have shape"),
        ("biases", [[0.0, 0.0, np.inf], [0.0, 0.0]], r"must be finite"),
        ("x", [1.0], r"x must be one example"),
        ("y", [1.0, 2.0, 3.0], r"y must be one example"),
    ],
)
def test_bad_trait_values_are_refused_and_nothing_changes(
    explorer, name, value, pattern
):
    explorer.output_activation = "relu"
    before = explorer.get_state()
    result = explorer.result
    with pytest.raises(ValueError, match=pattern):
        setattr(explorer, name, value)
    assert explorer.get_state() == before
    assert explorer.result is result


def test_a_refused_combined_change_is_rolled_back(explorer):
    before = explorer.get_state()
    with pytest.raises(ValueError, match="targets must lie in"):
        with explorer.hold_trait_notifications():
            explorer.y = [2.0, 0.0]
            explorer.cost = "cross_entropy"
    assert explorer.get_state() == before


def test_index_errors_name_the_argument(explorer):
    with pytest.raises(ValueError, match=r"ell must be in 1\.\.2; got 3"):
        explorer.set_weight(3, 0, 0, 1.0)
    with pytest.raises(ValueError, match=r"k must be in 0\.\.1; got 2"):
        explorer.set_weight(1, 0, 2, 1.0)
    with pytest.raises(TypeError, match="j must be an integer"):
        explorer.set_bias(1, 0.5, 1.0)
    with pytest.raises(ValueError, match="value must be finite"):
        explorer.set_weight(1, 0, 0, float("nan"))
    with pytest.raises(ValueError, match=r"step must be -1"):
        explorer.step = 9
    with pytest.raises(ValueError, match=r"selected must be \[\]"):
        explorer.selected = [1, 4]
    with pytest.raises(ValueError, match=r"sizes: weights\[0\] \(W\^1\) must have"):
        explorer.sizes = [2, 2, 2]  # without new weights to go with them
    with pytest.raises(ValueError, match=r"each 1\.\.6; got \[2, 7, 2\]"):
        explorer.sizes = [2, 7, 2]


def test_changes_from_the_browser_update_the_mirror(explorer):
    """set_state is how ipywidgets applies a message from the front end."""
    weights = [[row[:] for row in w] for w in explorer.weights]
    weights[0][1][0] = 3.0
    explorer.set_state({"weights": weights, "x": [0.1, 0.2]})
    assert explorer.net.W[1][1, 0] == 3.0
    assert_same_result(explorer.result, core_result(explorer)[1])
    assert explorer.error == ""


def test_a_refused_change_from_the_browser_is_flagged_not_raised(explorer):
    result = explorer.result
    explorer.set_state({"cost": "cross_entropy", "output_activation": "linear"})
    assert "cross_entropy" in explorer.error
    assert explorer.cost == "quadratic"
    assert explorer.result is result
    explorer.set_state({"x": [0.0, 0.0]})  # the next good change clears the flag
    assert explorer.error == ""


def test_sgd_step_is_the_core_step_and_reset_restores(explorer):
    net = explorer.net.copy()
    before = explorer.get_state()
    r = explorer.sgd_step(eta=0.7)
    expected = net.sgd_step(np.array(explorer.x), np.array(explorer.y), 0.7)
    assert r.cost == expected.cost
    for ell in (1, 2):
        np.testing.assert_array_equal(explorer.net.W[ell], net.W[ell])
        np.testing.assert_array_equal(explorer.net.b[ell], net.b[ell])
    assert explorer.result.cost < r.cost  # a small step downhill lowers the cost
    explorer.cost = "cross_entropy"
    explorer.step = 2
    explorer.reset()
    state = explorer.get_state()
    for name in ("weights", "biases", "x", "y", "activation", "cost", "step"):
        assert state[name] == before[name], name


def test_front_end_and_styles_are_loaded_from_package_files():
    here = Path(widgets.__file__).parent
    assert DeltaExplorer._esm == (here / "explorer.js").read_text(encoding="utf-8")
    assert DeltaExplorer._css == (here / "explorer.css").read_text(encoding="utf-8")
    assert "export default" in DeltaExplorer._esm


def test_importing_the_core_does_not_import_the_widgets():
    code = (
        "import sys, backprop_lib\n"
        "print([m for m in ('backprop_lib.widgets', 'anywidget', 'ipywidgets') "
        "if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_the_wheel_ships_the_front_end(tmp_path):
    """`pip install .` (not editable) must install explorer.js and explorer.css."""
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-q", "-w", str(tmp_path), str(root)],
        capture_output=True, text=True,
    )  # fmt: skip
    if proc.returncode != 0:
        pytest.fail(proc.stdout + proc.stderr)
    wheel = next(tmp_path.glob("backprop_lib-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "backprop_lib/explorer.js" in names
    assert "backprop_lib/explorer.css" in names
    assert "backprop_lib/widgets.py" in names


# ---------------------------------------------------------------- the front end
NODE = shutil.which("node")

RUNNER = """
import { readFileSync } from "node:fs";
const mod = await import(process.argv[2]);
const { spec, cases } = JSON.parse(readFileSync(0, "utf8"));
const out = cases.map((c) => {
  if (c.kind === "fmt") return { fmt: c.values.map(mod.fmt) };
  if (c.kind === "parse") {
    return { parse: c.values.map((v) => String(mod.parseNumber(v))) };
  }
  if (c.kind === "implemented") return mod.IMPLEMENTED;
  if (c.kind === "train") return mod.trainEpochs(c);
  if (c.kind === "dataset") return mod.makeDataset(c.name, c.n, c.seed);
  const st = { ...c, W: [null, ...c.weights], b: [null, ...c.biases] };
  const why = mod.problem(st, spec);
  if (why) return { problem: why };
  const r = mod.compute(st);
  const eq = c.eq ? mod.equationText(st, r, c.eq[0], c.eq[1]) : null;
  return { cost: r.cost, z: r.z.slice(1), a: r.a.slice(1), delta: r.delta.slice(1),
           gW: r.gW.slice(1), gb: r.gb.slice(1), eq };
});
process.stdout.write(JSON.stringify(out));
"""


def run_front_end(cases, tmp_path, spec=None):
    """Run explorer.js in Node on `cases`, with the spec Python sends the page."""
    if NODE is None:
        pytest.fail("these tests need Node.js (`node`), which `npm` also needs")
    mjs = tmp_path / "explorer.mjs"
    shutil.copy(EXPLORER_JS, mjs)
    runner = tmp_path / "runner.mjs"
    runner.write_text(RUNNER)
    proc = subprocess.run(
        [NODE, str(runner), mjs.as_uri()],
        input=json.dumps({"spec": spec or spec_module.spec(), "cases": cases}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode != 0:
        pytest.fail(proc.stderr)
    return json.loads(proc.stdout)


def random_case(rng, hidden, out, cost, scale=1.5):
    L = int(rng.integers(1, 5))
    sizes = [int(n) for n in rng.integers(1, 6, size=L + 1)]
    if out == "softmax":
        sizes[-1] = max(2, sizes[-1])
    W = [rng.normal(0, scale, (sizes[i + 1], sizes[i])) for i in range(L)]
    b = [rng.normal(0, scale, sizes[i + 1]) for i in range(L)]
    x = rng.normal(0, 2, sizes[0])
    y = rng.random(sizes[-1])
    if out == "softmax":
        y /= y.sum()
    elif cost == "cross_entropy":
        y = np.round(y)
    return {
        "weights": [w.tolist() for w in W],
        "biases": [v.tolist() for v in b],
        "x": x.tolist(),
        "y": y.tolist(),
        "activation": hidden,
        "output_activation": out,
        "cost": cost,
    }


def magnitudes(net, r, y):
    """Each computed value's size without cancellation (|W||a| + |b| for z, the
    backward pass run on absolute values for δ): the scale of its rounding error,
    since the browser and numpy may sum in a different order, and exp/tanh may
    differ in the last bit. tanh' = 1 - a² loses up to ~|a|² units of rounding
    when a unit saturates (a → ±1), so that term joins its magnitude."""

    def prime_mag(ell):
        act = net.activation_of(ell)
        fp = np.abs(act.prime(z[ell], a[ell]))
        return fp + 2 * a[ell] ** 2 if act.name == "tanh" else fp

    L = net.L
    a, z = r.trace.a, r.trace.z
    zmag = [None] + [np.abs(net.W[ell]) @ np.abs(a[ell - 1]) + np.abs(net.b[ell])
                     for ell in range(1, L + 1)]  # fmt: skip
    out = net.activation_of(L)
    g = np.abs(a[L]) + np.abs(y.reshape(-1, 1))
    if net.cost_name == "cross_entropy":
        dmag = [g]
    elif out.elementwise:
        dmag = [g * prime_mag(L)]
    else:
        dmag = [a[L] * (g + np.sum(a[L] * g))]
    for ell in range(L - 1, 0, -1):
        dmag.insert(0, (np.abs(net.W[ell + 1]).T @ dmag[0]) * prime_mag(ell))
    return zmag, [None, *dmag]


def test_front_end_arithmetic_equals_the_numpy_core(tmp_path):
    """explorer.js's forward pass, cost and BP1–BP4, on random networks of every
    size the explorer allows and every valid activation/cost choice."""
    rng = np.random.default_rng(2024)
    cases = [
        random_case(rng, hidden, out, cost)
        for hidden in HIDDEN
        for out, cost in OUTPUT_COST
        for _ in range(6)
    ]
    for c in cases[::5]:  # some saturated ones: large weights
        c["weights"] = [(np.array(w) * 8).tolist() for w in c["weights"]]
    results = run_front_end(cases, tmp_path)
    eps = 1e-12  # ~5000 units of rounding: far below any formula error
    big = 0
    for c, js in zip(cases, results):
        assert "problem" not in js, (c, js)
        net = bp.Network.from_params(
            [np.array(w) for w in c["weights"]],
            [np.array(v) for v in c["biases"]],
            activation=c["activation"],
            output_activation=c["output_activation"],
            cost=c["cost"],
        )
        y = np.array(c["y"])
        r = net.backward(np.array(c["x"]), y)
        zmag, dmag = magnitudes(net, r, y)
        assert js["cost"] == pytest.approx(r.cost, rel=1e-10, abs=1e-13)
        for ell in range(1, net.L + 1):
            a_prev = np.abs(r.trace.a[ell - 1])
            checks = [
                ("z", r.trace.z[ell], zmag[ell]),
                ("a", r.trace.a[ell], zmag[ell] + 1),
                ("delta", r.delta[ell], dmag[ell]),
                ("gb", r.grad_b[ell], dmag[ell]),
                ("gW", r.grad_W[ell], dmag[ell] @ a_prev.T),
            ]
            for key, ref, mag in checks:
                got = np.array(js[key][ell - 1]).reshape(ref.shape)
                err = np.abs(got - ref)
                # (below 1e-280 both are zero to any purpose: how far into underflow
                # each side goes, e.g. σ'(z) at z < -700, is not part of the contract)
                bad = err > 1e-9 * np.abs(ref) + eps * mag + 1e-280
                assert not bad.any(), (key, ell, got[bad], ref[bad], c)
        big += max(np.max(np.abs(d)) for d in r.delta[1:]) > 1e-4
    # a formula slip would show: most cases have δ's far above the tolerances
    assert big > 0.8 * len(cases)


def test_front_end_refuses_what_the_core_refuses(tmp_path):
    rng = np.random.default_rng(5)
    good = random_case(rng, "sigmoid", "softmax", "cross_entropy")
    bad = [
        {**good, "output_activation": "relu"},  # CE needs sigmoid/softmax
        {**good, "y": [1.5, *good["y"][1:]]},  # CE target outside [0, 1]
        {**good, "y": [0.0] * len(good["y"])},  # softmax+CE targets must sum to 1
        {**good, "activation": "softmax"},  # softmax only on the output
    ]
    one_out = {**random_case(rng, "tanh", "sigmoid", "quadratic")}
    one_out["weights"][-1] = one_out["weights"][-1][:1]
    one_out["biases"][-1] = one_out["biases"][-1][:1]
    one_out["y"] = one_out["y"][:1]
    bad.append({**one_out, "output_activation": "softmax"})  # softmax over 1 unit
    results = run_front_end([good, *bad], tmp_path)
    assert "problem" not in results[0]
    for c, js in zip(bad, results[1:]):
        assert "problem" in js, c
        with pytest.raises(ValueError):  # and the core agrees
            net = bp.Network.from_params(
                [np.array(w) for w in c["weights"]],
                [np.array(v) for v in c["biases"]],
                activation=c["activation"],
                output_activation=c["output_activation"],
                cost=c["cost"],
            )
            net.backward(np.array(c["x"]), np.array(c["y"]))


def test_front_end_number_format_and_parsing(tmp_path):
    values = [0.0, -0.0, 0.5, -0.012345678, 123.456, 1e-7, -2.5e5, 9999.4]
    bad = ["abc", "", "1e999", "1,5", "0x10", "--1", "nan", "Infinity"]
    good = ["0.5", " -2 ", "1e-3", "\u22123.25", ".5", "+4."]
    fmt, parse_bad, parse_good = run_front_end(
        [
            {"kind": "fmt", "values": values},
            {"kind": "parse", "values": bad},
            {"kind": "parse", "values": good},
        ],
        tmp_path,
    )
    shown = fmt["fmt"]
    assert shown[0] == shown[1] == "0"
    for v, s in zip(values[2:], shown[2:]):
        # four significant digits: within half a unit in the 4th digit
        assert abs(float(s) - v) <= 0.5 * 10 ** (np.floor(np.log10(abs(v))) - 3)
        mantissa = s.split("e")[0].replace("-", "").replace(".", "").lstrip("0")
        assert len(mantissa) == 4, s
    assert "e" in shown[5] and "e" in shown[6]
    # a typed value that is not a plain finite decimal is refused (NaN or ±Infinity)
    assert all(not np.isfinite(float(v)) for v in parse_bad["parse"])
    assert [float(v) for v in parse_good["parse"]] == [0.5, -2, 1e-3, -3.25, 0.5, 4.0]


def test_front_end_equation_substitutes_the_numbers(tmp_path):
    rng = np.random.default_rng(11)
    c = random_case(rng, "sigmoid", "sigmoid", "quadratic")
    c.update(
        weights=[rng.normal(size=(3, 2)).tolist(), rng.normal(size=(2, 3)).tolist()],
        biases=[rng.normal(size=3).tolist(), rng.normal(size=2).tolist()],
        x=[0.5, -1.0],
        y=[1.0, 0.0],
        eq=[1, 1],  # layer 1, unit 2 (0-based in equationText)
    )
    (js,) = run_front_end([c], tmp_path)
    eq = js["eq"]
    net = bp.Network.from_params(
        [np.array(w) for w in c["weights"]], [np.array(v) for v in c["biases"]]
    )
    r = net.backward(np.array(c["x"]), np.array(c["y"]))
    assert "δ¹₂ = (w²₁₂ δ²₁ + w²₂₂ δ²₂) · σ′(z¹₂)" in eq
    # the substituted numbers, four significant digits each
    shown = [float(v) for v in re.findall(r"-?\d+(?:\.\d*)?(?:e[+-]?\d+)?", eq)]
    z1 = r.trace.z[1][1, 0]
    for v in (*net.W[2][:, 1], *r.delta[2][:, 0], r.delta[1][1, 0],
              bp.sigmoid_prime(z1), z1):  # fmt: skip
        assert any(abs(s - v) <= displayed_tolerance(v) for s in shown), (v, eq)


def displayed_tolerance(v):
    """Half a unit in the 4th significant digit of v (with a little slack)."""
    return 0.5001 * 10 ** (np.floor(np.log10(abs(v))) - 3) if v else 0.0


# ---------------------------------------------------------------- one source of truth


def test_core_spec_and_front_end_agree_on_names(tmp_path):
    """Every activation and cost the core registers is offered by the explorer,
    and explorer.js implements exactly the names the spec may offer."""
    from backprop_lib.activations import ACTIVATIONS
    from backprop_lib.costs import COSTS

    spec = spec_module.spec()
    (implemented,) = run_front_end([{"kind": "implemented"}], tmp_path)
    assert sorted(implemented["activations"]) == sorted(
        spec_module.MIRRORED_ACTIVATIONS
    )
    assert sorted(implemented["costs"]) == sorted(spec_module.MIRRORED_COSTS)
    # nothing of the core is left out (a new core activation must be taught to
    # explorer.js and listed as mirrored, or this fails)
    assert spec["output_activations"] == list(ACTIVATIONS)
    assert list(spec["costs"]) == list(COSTS)
    assert spec["hidden_activations"] == [
        n for n, act in ACTIVATIONS.items() if act.hidden_ok
    ]
    assert set(spec_module.COST_TARGETS) == set(COSTS)
    if widgets is not None:
        assert widgets.HIDDEN_ACTIVATIONS == tuple(spec["hidden_activations"])
        assert widgets.DeltaExplorer(
            bp.Network([2, 2, 2]), [0, 0], [0, 1]
        ).spec == json.loads(json.dumps(spec))


def _core_refuses(sizes, activation, output_activation, cost, y):
    """True if the numpy core refuses this network or this target."""
    try:
        net = bp.Network(
            sizes,
            activation=activation,
            output_activation=output_activation,
            cost=cost,
        )
        net.backward(np.zeros(sizes[0]), np.asarray(y, dtype=float))
    except ValueError:
        return True
    return False


def test_spec_rules_are_the_cores_rules():
    """The rules the front end reads (hidden use, units needed, which outputs a
    cost accepts, target domain and tolerance) are the ones the core enforces:
    probed at, inside and just outside every bound."""
    spec = spec_module.spec()
    tol = spec["target_tol"]
    for name, act in spec["activations"].items():
        assert _core_refuses([2, 3, 2], name, "sigmoid", "quadratic", [0, 1]) == (
            not act["hidden"]
        ), name
        assert _core_refuses([2, 1], "sigmoid", name, "quadratic", [0.5]) == (
            act["min_units"] > 1
        ), name
    for cost, rule in spec["costs"].items():
        for out in spec["output_activations"]:
            allowed = (
                rule["output_activations"] is None
                or out in (rule["output_activations"])
            )
            y = [0.25, 0.75]
            assert _core_refuses([2, 2], "sigmoid", out, cost, y) == (not allowed)
            if not allowed:
                continue
            target = rule["target"]
            if target is None:  # any finite target
                assert not _core_refuses([2, 2], "sigmoid", out, cost, [-7.5, 9.0])
                continue
            lo, hi = target["lo"], target["hi"]
            sums = out in target["sum_to_one_with"]
            edge = [lo, hi] if not sums else [lo, hi - lo]  # sums to 1 when [0, 1]
            assert not _core_refuses([2, 2], "sigmoid", out, cost, edge), (cost, out)
            assert _core_refuses([2, 2], "sigmoid", out, cost, [lo - 1e-9, hi])
            assert _core_refuses([2, 2], "sigmoid", out, cost, [lo, hi + 1e-9])
            inside = [0.5, 0.5 + 0.9 * tol]
            outside = [0.5, 0.5 + 1.1 * tol]
            assert not _core_refuses([2, 2], "sigmoid", out, cost, inside)
            assert _core_refuses([2, 2], "sigmoid", out, cost, outside) == sums


def test_front_end_takes_its_choices_from_the_spec(tmp_path):
    """explorer.js hard-codes no list: drop an activation or a cost from the spec
    it is sent and it refuses them."""
    rng = np.random.default_rng(3)
    spec = spec_module.spec()
    narrow = json.loads(json.dumps(spec))
    narrow["hidden_activations"].remove("relu")
    del narrow["costs"]["cross_entropy"]
    relu = random_case(rng, "relu", "sigmoid", "quadratic")
    n1 = len(relu["biases"][0])
    relu["weights"] = [relu["weights"][0], np.ones((1, n1)).tolist()]
    relu["biases"] = [relu["biases"][0], [0.0]]
    relu["y"] = [0.5]
    ce = {**random_case(rng, "tanh", "sigmoid", "cross_entropy")}
    wide, narrow_out = (
        run_front_end([relu, ce], tmp_path, spec),
        run_front_end([relu, ce], tmp_path, narrow),
    )
    assert all("problem" not in r for r in wide)
    assert "hidden activation" in narrow_out[0]["problem"]
    assert "cost must be one of" in narrow_out[1]["problem"]


def _softplus():
    from backprop_lib.activations import Activation

    return Activation(
        "softplus",
        lambda z: np.logaddexp(0.0, z),
        lambda z, a: bp.sigmoid(z),
    )


@pytest.mark.parametrize("where", ["activation", "output_activation"])
def test_a_network_the_explorer_cannot_mirror_is_refused(monkeypatch, where):
    """An activation registered in the core but not implemented by the front end
    is refused with its name; the explorer never shows another network instead."""
    from backprop_lib.activations import ACTIVATIONS

    monkeypatch.setitem(ACTIVATIONS, "softplus", _softplus())
    assert "softplus" not in spec_module.spec()["output_activations"]
    kwargs = {"activation": "sigmoid", "output_activation": "sigmoid"}
    kwargs[where] = "softplus"
    net = bp.Network([2, 3, 1], **kwargs)
    net.backward([0.5, -1.0], [1.0])  # the core itself can use it
    with pytest.raises(ValueError, match=r"'softplus' cannot be shown by the explorer"):
        DeltaExplorer(net, [0.5, -1.0], [1.0])


def test_a_cost_the_explorer_cannot_mirror_is_refused(monkeypatch):
    import dataclasses

    from backprop_lib.costs import COSTS

    other = dataclasses.replace(COSTS["quadratic"], name="half_quadratic")
    monkeypatch.setitem(COSTS, "half_quadratic", other)
    net = bp.Network([2, 2, 1], cost="half_quadratic")
    with pytest.raises(ValueError, match=r"cost 'half_quadratic' cannot be shown"):
        DeltaExplorer(net, [0.5, -1.0], [1.0])


def test_importing_widgets_without_the_extra_names_the_pip_command():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('anywidget', 'ipywidgets'):\n"
        "            raise ModuleNotFoundError(f'no {name}', name=name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "try:\n"
        "    import backprop_lib.widgets\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert 'pip install "backprop_lib[widgets]"' in out.stdout, out.stdout
    assert "anywidget" in out.stdout


# ---------------------------------------------------------------- training in the page


def test_front_end_training_equals_the_core_sgd_steps(tmp_path):
    """explorer.js's mini-batch gradient descent: every step equals
    Network.backward on the same mini-batch (mean over the batch) followed by the
    core's SGD step, for random architectures, data sets, batch sizes, activations
    and costs."""
    rng = np.random.default_rng(77)
    names = ["blobs", "xor", "circles", "spiral"]
    data = run_front_end(
        [{"kind": "dataset", "name": n, "n": 60, "seed": 5} for n in names], tmp_path
    )
    cases = []
    for t in range(16):
        L = int(rng.integers(1, 5))
        sizes = [2, *(int(v) for v in rng.integers(1, 7, size=L - 1)), 1]
        hidden = HIDDEN[t % len(HIDDEN)]
        cost = ["quadratic", "cross_entropy"][t % 2]  # both take a sigmoid output
        ds = data[t % 4]
        cases.append({
            "kind": "train",
            "weights": [rng.normal(0, sizes[i] ** -0.5, (sizes[i + 1], sizes[i]))
                        .tolist() for i in range(L)],
            "biases": [rng.normal(0, 1, sizes[i + 1]).tolist() for i in range(L)],
            "activation": hidden,
            "output_activation": "sigmoid",
            "cost": cost,
            "X": ds["X"],
            "Y": ds["y"],
            "batch": int(rng.choice([1, 7, 16, 60])),
            "eta": float(rng.uniform(0.05, 0.6)),
            "epochs": 2,
            "seed": int(rng.integers(0, 2**31)),
        })  # fmt: skip
    results = run_front_end(cases, tmp_path)
    for c, js in zip(cases, results):
        net = bp.Network.from_params(
            [np.array(w) for w in c["weights"]],
            [np.array(v) for v in c["biases"]],
            activation=c["activation"],
            output_activation=c["output_activation"],
            cost=c["cost"],
        )
        X, Y = np.array(c["X"]).T, np.array(c["Y"], dtype=float)[None, :]
        # the batches cover every example once per epoch
        per_epoch = len(js["batches"]) // c["epochs"]
        first = sorted(i for idx in js["batches"][:per_epoch] for i in idx)
        assert first == list(range(X.shape[1]))
        assert all(len(idx) <= c["batch"] for idx in js["batches"])
        for idx, cost in zip(js["batches"], js["costs"]):
            r = net.sgd_step(X[:, idx], Y[:, idx], c["eta"])
            assert cost == pytest.approx(r.cost, rel=1e-12, abs=1e-300)
        for ell in range(1, net.L + 1):
            W, b = np.array(js["weights"][ell - 1]), np.array(js["biases"][ell - 1])
            scale = max(np.abs(net.W[ell]).max(), np.abs(net.b[ell]).max())
            np.testing.assert_allclose(W, net.W[ell], rtol=1e-12, atol=1e-13 * scale)
            np.testing.assert_allclose(
                b, net.b[ell][:, 0], rtol=1e-12, atol=1e-13 * scale
            )
        # the steps moved the weights: a comparison of untouched values proves little
        assert not np.allclose(np.array(js["weights"][0]), np.array(c["weights"][0]))


def test_front_end_data_sets_are_seeded_and_balanced(tmp_path):
    names = ["blobs", "xor", "circles", "spiral"]
    runs = run_front_end(
        [{"kind": "dataset", "name": n, "n": 200, "seed": s}
         for n in names for s in (1, 1, 2)],
        tmp_path,
    )  # fmt: skip
    for i, name in enumerate(names):
        a, again, other = runs[3 * i : 3 * i + 3]
        assert a == again, name  # the same seed, the same points
        assert a["X"] != other["X"], name
        X, y = np.array(a["X"]), np.array(a["y"])
        assert X.shape == (200, 2) and np.all(np.abs(X) < 2.5)
        assert sorted(set(y.tolist())) == [0, 1] and y.sum() == 100
    # the classes are what their names say
    xor = runs[3]
    X, y = np.array(xor["X"]), np.array(xor["y"])
    assert np.all((X[:, 0] * X[:, 1] > 0) == (y == 1))
    circ = runs[6]
    X, y = np.array(circ["X"]), np.array(circ["y"])
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y == 1].max() < r[y == 0].min()


def test_a_new_shape_from_the_page_rebuilds_net_and_result(explorer):
    """The page's architecture editor sends sizes, weights and biases in one
    message; Python's net and result follow, equal to the core's."""
    rng = np.random.default_rng(8)
    sizes = [2, 4, 5, 2]
    W = [rng.normal(size=(sizes[i + 1], sizes[i])).tolist() for i in range(3)]
    b = [rng.normal(size=sizes[i + 1]).tolist() for i in range(3)]
    explorer.set_state({"sizes": sizes, "weights": W, "biases": b, "selected": []})
    assert explorer.error == ""
    assert list(explorer.net.sizes) == sizes
    for ell in (1, 2, 3):
        np.testing.assert_array_equal(explorer.net.W[ell], np.array(W[ell - 1]))
    assert_same_result(explorer.result, core_result(explorer)[1])
    # sizes that do not fit the weights sent with them are refused, and flagged
    before = explorer.get_state()
    explorer.set_state({"sizes": [2, 3, 2]})
    assert "W^1" in explorer.error and explorer.sizes == sizes
    assert explorer.get_state()["weights"] == before["weights"]


def test_python_reads_the_training_data_and_its_cost(explorer):
    with pytest.raises(ValueError, match="no data set"):
        explorer.training_data()
    rng = np.random.default_rng(4)
    sizes = [2, 3, 1]
    W = [rng.normal(size=(3, 2)).tolist(), rng.normal(size=(1, 3)).tolist()]
    b = [rng.normal(size=3).tolist(), rng.normal(size=1).tolist()]
    X = rng.normal(size=(50, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    explorer.set_state({
        "sizes": sizes, "weights": W, "biases": b, "x": X[0].tolist(),
        "y": [float(y[0])],
        "dataset": {"name": "xor", "seed": 1, "n": 50, "X": X.tolist(),
                    "y": y.tolist(), "epoch": 0},
    })  # fmt: skip
    Xc, Yc = explorer.training_data()
    assert Xc.shape == (2, 50) and Yc.shape == (1, 50)
    net = bp.Network.from_params([np.array(w) for w in W], [np.array(v) for v in b])
    costs = [net.backward(X[i], [float(y[i])]).cost for i in range(50)]
    assert explorer.training_cost() == pytest.approx(np.mean(costs), rel=1e-12)
