"""The δ explorer, Python side: its mirror of the numpy core, its checks, and the
front end's arithmetic (explorer.js, run in Node) against the numpy core."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib import _explorer_spec as spec_module

from .conftest import node_binary

try:  # the widgets extra is a test dependency: its absence fails, never skips
    from backprop_lib import widgets
    from backprop_lib.widgets import DeltaExplorer
except ImportError as exc:  # pragma: no cover - only without the widgets extra
    _MISSING = exc

    def DeltaExplorer(*args, **kwargs):
        pytest.fail(f"the widget tests need the widgets extra: {_MISSING}")

    widgets = None

ROOT = Path(__file__).resolve().parents[1]


def core_result(explorer):
    """The numpy core's backward pass for the explorer's current traits, built
    independently of the explorer's own mirror."""
    net = bp.Network.from_params(
        explorer.weights,
        [np.array(b) for b in explorer.biases],
        activation=explorer.activation,
        output_activation=explorer.output_activation,
        cost=explorer.cost_name,
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
    assert (ex.activation, ex.output_activation, ex.cost_name) == (
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
    ex.set_w(1, 1, 1, 2.0)
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
    explorer.set_w(2, 2, 3, -1.5)
    explorer.set_b(1, 1, 0.25)
    explorer.x = [1.0, 2.0]
    explorer.y = [0.0, 1.0]
    explorer.activation = "relu"
    explorer.output_activation = "softmax"
    explorer.cost_name = "cross_entropy"
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
        ("cost_name", "cross_entropy", r"cost='cross_entropy' needs output_activation"),
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
            explorer.cost_name = "cross_entropy"
    assert explorer.get_state() == before


def test_index_errors_name_the_argument(explorer):
    with pytest.raises(
        ValueError, match=r"ell must be an integer between 1 and 2.*; got 3"
    ):
        explorer.set_w(3, 1, 1, 1.0)
    with pytest.raises(
        ValueError,
        match=r"k must be an integer between 1 and 2 "
        r"\(a unit of layer 0, from 1\); got 3",
    ):
        explorer.set_w(1, 1, 3, 1.0)
    with pytest.raises(
        ValueError, match=r"j must be an integer between 1 and 3.*; got 0"
    ):
        explorer.set_b(1, 0, 1.0)  # units count from 1
    with pytest.raises(TypeError, match="j must be an integer"):
        explorer.set_b(1, 0.5, 1.0)
    with pytest.raises(ValueError, match="value must be finite"):
        explorer.set_w(1, 1, 1, float("nan"))
    with pytest.raises(ValueError, match=r"step must be -1"):
        explorer.step = 9
    with pytest.raises(ValueError, match=r"selected must be \[\]"):
        explorer.selected = [1, 4]
    with pytest.raises(ValueError, match=r"sizes: weights\[0\] \(W\^1\) must have"):
        explorer.sizes = [2, 2, 2]  # without new weights to go with them
    with pytest.raises(ValueError, match=r"each 1\.\.6; got \[2, 7, 2\]"):
        explorer.sizes = [2, 7, 2]


def test_units_count_from_1_and_the_old_0_based_setters_warn(explorer):
    """set_w, set_b and `selected` count units from 1, as the book's w^ell_jk;
    set_weight and set_bias (from 0, as numpy's net.W[ell][j, k]) still work, with
    a DeprecationWarning that names the replacement."""
    explorer.set_w(2, 1, 3, 1.5)
    assert explorer.net.W[2][0, 2] == 1.5
    explorer.set_b(2, 2, -0.5)
    assert explorer.net.b[2][1, 0] == -0.5
    explorer.selected = [2, 2]  # the same unit j = 2 the page shows
    with pytest.warns(DeprecationWarning, match=r"set_w\(ell, j \+ 1, k \+ 1") as w:
        explorer.set_weight(2, 1, 0, 0.75)
    assert explorer.net.W[2][1, 0] == 0.75
    with pytest.warns(DeprecationWarning, match=r"set_b\(ell, j \+ 1") as b:
        explorer.set_bias(1, 2, 0.125)
    assert explorer.net.b[1][2, 0] == 0.125
    # each warning points at the line that called the former name
    assert [r.filename for r in [*w, *b]] == [__file__, __file__]
    with pytest.warns(DeprecationWarning), pytest.raises(ValueError, match="got 3"):
        explorer.set_bias(1, 3, 0.0)  # (0-based: layer 1 has units 0..2)


def test_cost_name_is_the_name_and_the_former_cost_warns(explorer):
    """The trait holding the cost's name is ``cost_name``, as on Network
    (``result.cost`` is the value). ``cost``, read, written or passed to the
    constructor, still works for one release, with a DeprecationWarning."""
    assert explorer.cost_name == "quadratic"
    assert "cost_name" in explorer.keys and "cost" not in explorer.keys  # synced
    assert isinstance(explorer.result.cost, float)
    with pytest.warns(DeprecationWarning, match=r"use DeltaExplorer\.cost_name"):
        assert explorer.cost == "quadratic"
    with pytest.warns(DeprecationWarning, match=r"use DeltaExplorer\.cost_name"):
        explorer.cost = "cross_entropy"
    assert explorer.cost_name == explorer.net.cost_name == "cross_entropy"
    assert explorer.get_state()["cost_name"] == "cross_entropy"
    # the constructor: cost_name chooses the cost net is shown with; cost= forwards
    net = bp.Network([2, 2], activation="softmax", cost="quadratic", seed=2)
    x, y = [0.5, -1.0], [0.25, 0.75]
    new = DeltaExplorer(net, x, y, cost_name="cross_entropy")
    with pytest.warns(DeprecationWarning, match=r"use DeltaExplorer\(cost_name="):
        old = DeltaExplorer(net, x, y, cost="cross_entropy")
    for ex in (new, old):
        assert ex.cost_name == ex.net.cost_name == ex.initial["cost_name"]
        assert ex.cost_name == "cross_entropy"
        assert_same_result(
            ex.result,
            bp.Network.from_params(
                net.W, net.b, activation="softmax", cost="cross_entropy"
            ).backward(np.array(x), np.array(y)),
        )
    assert net.cost_name == "quadratic"  # net itself is left alone
    assert DeltaExplorer(net, x, y).cost_name == "quadratic"
    with pytest.warns(DeprecationWarning), pytest.raises(TypeError, match="only"):
        DeltaExplorer(net, x, y, cost="quadratic", cost_name="quadratic")


def test_message_is_the_text_shown_and_the_former_error_warns(explorer):
    """The text Python shows in the page (``[data-role=message]``) is the trait
    ``message``: the book calls δ the error of a unit, so no trait is ``error``.
    ``error``, read, written or passed to the constructor, still works for one
    release, with a DeprecationWarning pointing at the caller."""
    assert explorer.message == ""
    assert "message" in explorer.keys and "error" not in explorer.keys  # synced
    explorer.set_state({"x": [1.0]})  # refused: x needs 2 values
    shown = explorer.message
    assert "x must be one example" in shown
    with pytest.warns(DeprecationWarning, match=r"use DeltaExplorer\.message") as w:
        assert explorer.error == shown
    with pytest.warns(DeprecationWarning, match=r"use DeltaExplorer\.message") as v:
        explorer.error = "a note"
    assert [r.filename for r in [*w, *v]] == [__file__, __file__]
    assert explorer.message == explorer.get_state()["message"] == "a note"

    import traitlets

    class Seen(DeltaExplorer):
        """Records every value the message trait takes."""

        @traitlets.observe("message")
        def _seen(self, change):
            self.__dict__.setdefault("seen", []).append(change["new"])

    net, x, y = bp.Network([2, 1], seed=3), [0.5, -1.0], [1.0]
    with pytest.warns(DeprecationWarning, match=r"use DeltaExplorer\(message=") as w:
        old = Seen(net, x, y, error="hello")
    assert [r.filename for r in w] == [__file__]
    # forwarded to message, then cleared by the first rebuild, as message= is
    assert vars(old).get("seen") == ["hello", ""]
    assert vars(Seen(net, x, y, message="hello")).get("seen") == ["hello", ""]
    with pytest.warns(DeprecationWarning), pytest.raises(TypeError, match="only"):
        DeltaExplorer(net, x, y, error="a", message="b")


def test_the_front_end_uses_only_synced_trait_names():
    """Every name the front end reads from the model, listens to or pushes to it
    is a synced trait of DeltaExplorer: a trait renamed on one side only (as
    ``error`` to ``message``) fails here, not silently in the page."""
    folder = ROOT / "js" / "explorer"
    source = {f.name: f.read_text(encoding="utf-8") for f in folder.glob("*.js")}
    read = {
        name
        for text in source.values()
        for name in re.findall(r"\b(?:model|m)\.get\(\"(\w+)\"\)", text)
    }
    events = re.search(r"\[\.\.\.this\.spec\.state, ([^\]]*)\]", source["explorer.js"])
    listened = set(re.findall(r'"(\w+)"', events[1]))
    values = re.search(r"const values = \{(.*?)\n    \};", source["explorer.js"], re.S)
    pushed = set(re.findall(r"^\s+(\w+): \(\) =>", values[1], re.M))
    assert {"message", "play_interval", "step"} <= read
    assert "message" in listened and {"cost_name", "step"} <= pushed
    synced = set(DeltaExplorer.class_traits(sync=True))
    assert set(spec_module.STATE_NAMES) <= synced
    for what, names in [("read", read), ("listened to", listened), ("pushed", pushed)]:
        assert names <= synced, f"{what} but not synced: {sorted(names - synced)}"


def test_play_interval_is_set_in_one_place():
    """The front end reads play_interval from the widget and has no default of
    its own; the trait refuses a non-positive interval."""
    source = (ROOT / "js" / "explorer" / "stepper.js").read_text(encoding="utf-8")
    assert 'this.model.get("play_interval")' in source
    assert not re.search(r"play_interval\"\)\)\s*\|\|", source)
    assert "900" not in source
    ex = DeltaExplorer(bp.Network([2, 1]), [0.0, 0.0], [0.0])
    assert ex.play_interval == DeltaExplorer.play_interval.default_value
    with pytest.raises(Exception, match="play_interval"):
        ex.play_interval = 0


def test_changes_from_the_browser_update_the_mirror(explorer):
    """set_state is how ipywidgets applies a message from the front end."""
    weights = [[row[:] for row in w] for w in explorer.weights]
    weights[0][1][0] = 3.0
    explorer.set_state({"weights": weights, "x": [0.1, 0.2]})
    assert explorer.net.W[1][1, 0] == 3.0
    assert_same_result(explorer.result, core_result(explorer)[1])
    assert explorer.message == ""


def test_a_refused_change_from_the_browser_is_flagged_not_raised(explorer):
    result = explorer.result
    explorer.set_state({"cost_name": "cross_entropy", "output_activation": "linear"})
    assert "cross_entropy" in explorer.message
    assert explorer.cost_name == "quadratic"
    assert explorer.result is result
    explorer.set_state({"x": [0.0, 0.0]})  # the next good change clears the flag
    assert explorer.message == ""


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
    explorer.cost_name = "cross_entropy"
    explorer.step = 2
    explorer.reset()
    state = explorer.get_state()
    for name in ("weights", "biases", "x", "y", "activation", "cost_name", "step"):
        assert state[name] == before[name], name


def test_front_end_and_styles_are_loaded_from_package_files():
    here = Path(widgets.__file__).parent
    assert DeltaExplorer._esm == (here / "explorer.js").read_text(encoding="utf-8")
    assert DeltaExplorer._css == (here / "explorer.css").read_text(encoding="utf-8")
    # the esbuild bundle: an ES module whose default export anywidget renders
    assert re.search(r"export \{[^}]*\bas default\b", DeltaExplorer._esm)
    assert "GENERATED by esbuild" in DeltaExplorer._esm.splitlines()[0]


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
# The front end's sources are ES modules in js/explorer/, bundled by esbuild into
# backprop_lib/explorer.js; their tests are node:test files in tests/js/, which
# compare the kernel with the numpy core's answers (tests/js/reference.py).


def node_or_fail():
    return node_binary()


def test_front_end_node_tests(tmp_path):
    """tests/js/*.test.mjs, run by `node --test` on the numpy core's answers:
    the kernel's forward pass, BP1–BP4 and SGD steps against numpy (168 random
    networks, 20 training runs), refusals, number formats, data sets."""
    node = node_or_fail()
    reference = tmp_path / "reference.json"
    # this checkout's backprop_lib, not the one the venv may have installed from
    # another worktree (the script's own folder, tests/js, comes first on sys.path)
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    subprocess.run(
        [sys.executable, str(ROOT / "tests" / "js" / "reference.py"), str(reference)],
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
    )
    files = sorted((ROOT / "tests" / "js").glob("*.test.mjs"))
    assert len(files) >= 4
    proc = subprocess.run(
        [node, "--test", "--test-reporter=tap", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "BPX_REFERENCE": str(reference)},
    )
    counts = dict(re.findall(r"^# (pass|fail|skipped|todo|cancelled) (\d+)$",
                             proc.stdout, re.M))  # fmt: skip
    if proc.returncode != 0 or counts.get("fail") != "0":
        failed = re.findall(r"^not ok .*$", proc.stdout, re.M)
        pytest.fail("\n".join(failed) + "\n" + proc.stdout[-6000:] + proc.stderr)
    assert int(counts["pass"]) >= 15, counts
    assert counts["skipped"] == counts["todo"] == counts["cancelled"] == "0", counts
    # Node found js/package.json's "type": "module" instead of guessing from syntax
    assert "MODULE_TYPELESS_PACKAGE_JSON" not in proc.stdout + proc.stderr


def test_only_the_front_end_folders_are_es_modules():
    """The top-level package.json sets no "type": Node reads the nearest one for every
    .js file below the repository, and "module" there broke CommonJS files (the Binder
    environment's JupyterLab, under .venv/). The folders of ES modules say so."""

    def type_of(folder):
        return json.loads((ROOT / folder / "package.json").read_text()).get("type")

    assert type_of(".") in (None, "commonjs")
    assert type_of("js") == type_of("backprop_lib") == "module"


def test_the_bundle_is_built_from_the_sources():
    """backprop_lib/explorer.js is committed (pip, Binder and the book build need no
    Node); it must be exactly what the pinned esbuild makes of js/explorer/."""
    node = node_or_fail()
    if not (ROOT / "node_modules" / "esbuild").is_dir():
        pytest.fail("esbuild is not installed: run `npm ci` (make lint does)")
    proc = subprocess.run(
        [node, str(ROOT / "js" / "build.mjs"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---------------------------------------------------------------- one source of truth


def test_core_and_spec_agree_on_names():
    """Every activation and cost the core registers is offered by the explorer
    (tests/js/kernel.test.mjs checks that the front end implements exactly the
    names the spec may offer)."""
    from backprop_lib.activations import ACTIVATIONS
    from backprop_lib.costs import COSTS

    spec = spec_module.spec()
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


def test_a_new_shape_from_the_page_rebuilds_net_and_result(explorer):
    """The page's architecture editor sends sizes, weights and biases in one
    message; Python's net and result follow, equal to the core's."""
    rng = np.random.default_rng(8)
    sizes = [2, 4, 5, 2]
    W = [rng.normal(size=(sizes[i + 1], sizes[i])).tolist() for i in range(3)]
    b = [rng.normal(size=sizes[i + 1]).tolist() for i in range(3)]
    explorer.set_state({"sizes": sizes, "weights": W, "biases": b, "selected": []})
    assert explorer.message == ""
    assert list(explorer.net.sizes) == sizes
    for ell in (1, 2, 3):
        np.testing.assert_array_equal(explorer.net.W[ell], np.array(W[ell - 1]))
    assert_same_result(explorer.result, core_result(explorer)[1])
    # sizes that do not fit the weights sent with them are refused, and flagged
    before = explorer.get_state()
    explorer.set_state({"sizes": [2, 3, 2]})
    assert "W^1" in explorer.message and explorer.sizes == sizes
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


def test_python_reads_edited_three_class_data_and_its_cost(explorer):
    """The page's own data with three classes (one-hot targets for the softmax
    output); the cost is the core's, checked against a loop over the points."""
    rng = np.random.default_rng(8)
    multi = spec_module.multiclass_output()
    sizes = [2, 4, 3]
    W = [rng.normal(size=(4, 2)).tolist(), rng.normal(size=(3, 4)).tolist()]
    b = [rng.normal(size=4).tolist(), rng.normal(size=3).tolist()]
    X = rng.uniform(-2, 2, size=(37, 2))
    y = rng.integers(0, 3, 37)
    explorer.set_state({
        "sizes": sizes, "weights": W, "biases": b, "x": X[0].tolist(),
        "y": np.eye(3)[y[0]].tolist(), **multi,
        "dataset": {"name": "own", "seed": 1, "n": 37, "classes": 3,
                    "X": X.tolist(), "y": y.tolist(), "epoch": 0},
    })  # fmt: skip
    assert explorer.message == ""
    Xc, Yc = explorer.training_data()
    assert Xc.shape == (2, 37) and Yc.shape == (3, 37)
    np.testing.assert_array_equal(Yc.argmax(axis=0), y)
    net = bp.Network.from_params(
        [np.array(w) for w in W],
        [np.array(v) for v in b],
        output_activation=multi["output_activation"],
        cost=multi["cost_name"],
    )
    costs = [net.backward(X[i], np.eye(3)[y[i]]).cost for i in range(37)]
    assert explorer.training_cost() == pytest.approx(np.mean(costs), rel=1e-12)
    # labels outside the classes, and an empty data set, are refused by name
    explorer.dataset = {**explorer.dataset, "y": [3, *y.tolist()[1:]]}
    with pytest.raises(ValueError, match="labels must be 0…2"):
        explorer.training_data()
    explorer.dataset = {**explorer.dataset, "n": 0, "X": [], "y": []}
    with pytest.raises(ValueError, match="empty"):
        explorer.training_cost()


def test_the_multiclass_output_is_derived_from_the_registries(monkeypatch):
    """softmax + cross-entropy today; a registration the rule excludes is not
    chosen (a cost whose δ^L is not a − y, listed first)."""
    from backprop_lib import costs as costs_module

    assert spec_module.multiclass_output() == {
        "output_activation": "softmax",
        "cost_name": "cross_entropy",
    }
    assert spec_module.spec()["multiclass"] == spec_module.multiclass_output()
    # the core agrees: with these, δ^L = a^L − y
    multi = spec_module.multiclass_output()
    net = bp.Network(
        [2, 3], seed=1, output_activation=multi["output_activation"],
        cost=multi["cost_name"],
    )  # fmt: skip
    r = net.backward(np.array([0.3, -0.2]), np.array([0.0, 1.0, 0.0]))
    np.testing.assert_allclose(r.delta[1][:, 0], r.trace.a[1][:, 0] - [0, 1, 0])
    # a cost registered first that needs f'(z^L) is passed over
    fake = dict(costs_module.COSTS)
    fake = {"quadratic": fake["quadratic"], **fake}
    monkeypatch.setattr(spec_module, "COSTS", fake)
    monkeypatch.setattr(spec_module, "MIRRORED_COSTS", ("quadratic", "cross_entropy"))
    assert spec_module.multiclass_output()["cost_name"] == "cross_entropy"
    monkeypatch.setattr(spec_module, "MIRRORED_COSTS", ("quadratic",))
    with pytest.raises(RuntimeError, match="no mirrored"):
        spec_module.multiclass_output()
