"""The scalar autodiff engine (backprop_lib.autodiff) and its graph drawing.

Each gradient is compared with something that knows nothing of the engine: central
finite differences, or the numpy core's matrix-form backward pass (BP1–BP4). The
operation counts are compared with formulas written here from the layer sizes.
"""

from __future__ import annotations

import ast
import itertools
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import backprop_lib as bp
from backprop_lib import autodiff as ad
from backprop_lib.autodiff import Dual, Value

from .conftest import HIDDEN, OUTPUT_COST, require

ROOT = Path(__file__).resolve().parents[1]

# Expressions of three inputs that between them use every operation, constants on
# either side, and values used more than once (fan-out). Each is also computed with
# floats and the math module, for the finite differences.
EXPRESSIONS = {
    "tanh, fan-out": (
        lambda x, y, z: (x * y + z).tanh() * x,
        lambda x, y, z: math.tanh(x * y + z) * x,
    ),
    "exp, log, pow, sigmoid, div": (
        lambda x, y, z: (x.exp() + y**2).log() / (1 + z.sigmoid()),
        lambda x, y, z: math.log(math.exp(x) + y**2) / (1 + 1 / (1 + math.exp(-z))),
    ),
    "relu, rpow, neg, sub": (
        lambda x, y, z: (x - y).relu() + 2**z - (-x) * x**3,
        lambda x, y, z: max(x - y, 0.0) + 2**z + x * x**3,
    ),
    "reflected ops": (
        lambda x, y, z: 3 / (z * z + 1) - 1.5 * x / y + (2 - y) * (0.5 + x),
        lambda x, y, z: 3 / (z * z + 1) - 1.5 * x / y + (2 - y) * (0.5 + x),
    ),
}

reals = st.floats(-2.0, 2.0, allow_nan=False)


def central_differences(f, point, eps=1e-6):
    grads = []
    for i in range(len(point)):
        up, down = list(point), list(point)
        up[i] += eps
        down[i] -= eps
        grads.append((f(*up) - f(*down)) / (2 * eps))
    return grads


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(EXPRESSIONS)), reals, reals, reals)
def test_value_gradients_match_central_differences(name, x, y, z):
    build, plain = EXPRESSIONS[name]
    assume(abs(y) > 0.1 and abs(x - y) > 1e-3)  # away from 1/y and relu's kink
    xs = [Value(x, label="x"), Value(y, label="y"), Value(z, label="z")]
    out = build(*xs)
    assert out.data == pytest.approx(plain(x, y, z), rel=1e-12, abs=1e-12)
    out.backward()
    expected = central_differences(plain, [x, y, z])
    np.testing.assert_allclose([v.grad for v in xs], expected, rtol=1e-6, atol=1e-7)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(EXPRESSIONS)), reals, reals, reals)
def test_forward_and_reverse_mode_agree(name, x, y, z):
    build, _ = EXPRESSIONS[name]
    assume(abs(y) > 0.1 and abs(x - y) > 1e-3)
    f = lambda v: build(*v)  # noqa: E731
    reverse = ad.gradient(f, [x, y, z], mode="reverse")
    forward = ad.gradient(f, [x, y, z], mode="forward")
    np.testing.assert_allclose(forward, reverse, rtol=1e-12, atol=1e-14)


def test_a_rule_of_ones_own_works_in_both_modes():
    sin = ad.Rule("sin", "sin", math.sin, lambda u, out: (math.cos(u),))
    x = Value(0.7)
    g = ad.apply(sin, x * x)
    g.backward()
    assert x.grad == pytest.approx(2 * 0.7 * math.cos(0.49), rel=1e-14)
    assert ad.apply(sin, Dual(0.7, 1.0) * 0.7).tangent == pytest.approx(
        0.7 * math.cos(0.49), rel=1e-14
    )
    with pytest.raises(TypeError, match="all Values or all Duals"):
        ad.apply(sin, Value(1.0), Dual(1.0))
    with pytest.raises(TypeError, match="all Values or all Duals"):
        ad.apply(sin, 1.0)


def test_fan_out_sums_the_contributions_of_both_paths():
    # f = x·x + x: three paths from x; by hand df/dx = 2x + 1
    x = Value(3.0, label="x")
    f = x * x + x
    f.backward()
    assert x.grad == 2 * 3.0 + 1
    f.backward()  # grads are reset first: the same numbers, not twice them
    assert x.grad == 7.0


def test_backward_steps_visit_outputs_first_in_the_same_order_every_run():
    def build():
        a, b = Value(2.0, label="a"), Value(-3.0, label="b")
        c = a * b
        c.label = "c"
        d = c + a
        d.label = "d"
        e = d.tanh()
        e.label = "e"
        return e

    orders = [[v.label for v in build().backward_steps()] for _ in range(3)]
    assert orders[0] == ["e", "d", "c", "b", "a"]
    assert orders[0] == orders[1] == orders[2]


# ------------------------------------------------------- against Network.backward
# HIDDEN and OUTPUT_COST (from .conftest): derived from the registries


@st.composite
def problems(draw, max_examples=1):
    n_layers = draw(st.integers(1, 3))
    sizes = [draw(st.integers(1, 4)) for _ in range(n_layers + 1)]
    hidden = draw(st.sampled_from(HIDDEN))
    out, cost = draw(st.sampled_from(OUTPUT_COST))
    if out == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    m = draw(st.integers(1, max_examples))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((sizes[0], m))
    y = rng.random((sizes[-1], m))
    if out == "softmax":
        y /= y.sum(axis=0, keepdims=True)
    net = bp.Network(
        sizes, activation=hidden, output_activation=out, cost=cost, seed=seed
    )
    return net, x, y


def relative(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300)


def check_against_core(net, x, y, rtol):
    r = net.backward(x, y)
    vnet = ad.ValueNetwork(net)
    C = vnet.mean_cost(x, y)
    assert C.data == pytest.approx(r.cost, rel=1e-12, abs=1e-14)
    C.backward()
    gW, gb = vnet.grad_W, vnet.grad_b
    for ell in range(1, net.L + 1):
        assert np.shape(gW[ell]) == r.grad_W[ell].shape
        assert np.shape(gb[ell]) == r.grad_b[ell].shape
        scale = max(np.abs(r.grad_W[ell]).max(), np.abs(r.grad_b[ell]).max(), 1e-8)
        assert np.abs(np.subtract(gW[ell], r.grad_W[ell])).max() <= rtol * scale
        assert np.abs(np.subtract(gb[ell], r.grad_b[ell])).max() <= rtol * scale
        if np.ndim(x) == 1:  # one example: the grad of each z^ℓ_j is δ^ℓ_j
            delta = [zj.grad for zj in vnet.z[ell]]
            scale = max(np.abs(r.delta[ell]).max(), 1e-8)
            assert np.abs(np.subtract(delta, r.delta[ell][:, 0])).max() <= rtol * scale


def away_from_kinks(net, x, margin=1e-6):
    trace = net.forward(x)
    return all(
        np.min(np.abs(trace.z[ell])) > margin
        for ell in range(1, net.L + 1)
        if net.activation_of(ell).name == "relu"
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_value_network_matches_network_backward_one_example(problem):
    net, x, y = problem
    assume(away_from_kinks(net, x))
    check_against_core(net, x[:, 0], y[:, 0], rtol=1e-10)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_examples=4))
def test_value_network_matches_network_backward_on_a_batch(problem):
    net, x, y = problem
    assume(away_from_kinks(net, x))
    check_against_core(net, x, y, rtol=1e-10)


def test_sigmoid_network_gradients_agree_to_1e12_relative():
    # the claim the chapter checks on its page
    rng = np.random.default_rng(3)
    net = bp.Network([4, 5, 3, 2], activation="sigmoid", cost="quadratic", seed=rng)
    x, y = rng.standard_normal(4), rng.random(2)
    check_against_core(net, x, y, rtol=1e-12)


def test_value_network_matches_finite_differences():
    net = bp.Network([3, 4, 2], activation="tanh", cost="quadratic", seed=7)
    x, y = [0.3, -0.8, 1.1], [0.2, 0.9]
    C = ad.cost_function(net, x, y)
    theta = ad.flat_params(net)
    numeric = central_differences(lambda *t: C([Value(v) for v in t]).data, theta)
    np.testing.assert_allclose(ad.gradient(C, theta), numeric, rtol=1e-6, atol=1e-9)


def test_the_value_network_knows_every_activation_of_the_core():
    assert set(ad.ELEMENTWISE) | {"softmax"} == set(bp.ACTIVATIONS)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_forward_and_reverse_jacobians_of_a_network_agree(problem):
    net, x, _ = problem
    assume(away_from_kinks(net, x))
    f = ad.output_function(net)
    forward = ad.jacobian(f, x[:, 0], mode="forward")
    reverse = ad.jacobian(f, x[:, 0], mode="reverse")
    np.testing.assert_allclose(forward, reverse, rtol=1e-10, atol=1e-13)
    assert np.shape(forward) == (net.sizes[-1], net.sizes[0])


# ------------------------------------------------------------- operation counts
def sigmoid_quadratic_counts(sizes):
    """Operations of C for a sigmoid network with the quadratic cost, by hand.

    Each unit of layer ℓ: n_{ℓ−1} multiplications, n_{ℓ−1} additions (to the
    bias), one σ. The cost: a subtraction and a square per output, n_L − 1
    additions and one multiplication by ½.
    """
    layers = sum(n * (2 * n_prev + 1) for n_prev, n in itertools.pairwise(sizes))
    n_L = sizes[-1]
    return layers + 2 * n_L + (n_L - 1) + 1


@pytest.mark.parametrize("sizes", [[2, 3, 1], [4, 5, 3, 2], [3, 1]])
def test_operation_counts_of_both_modes_for_a_cost(sizes):
    net = bp.Network(sizes, activation="sigmoid", cost="quadratic", seed=0)
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal(sizes[0]), rng.random(sizes[-1])
    C, theta = ad.cost_function(net, x, y), ad.flat_params(net)
    N = sigmoid_quadratic_counts(sizes)
    P = sum(n * (n_prev + 1) for n_prev, n in itertools.pairwise(sizes))
    assert len(theta) == P
    with ad.count_ops() as reverse:
        ad.gradient(C, theta, mode="reverse")
    with ad.count_ops() as forward:
        ad.gradient(C, theta, mode="forward")
    # reverse: build the graph once, one rule per node on the way back
    assert (reverse.forward, reverse.tangent, reverse.backward) == (N, 0, N)
    # forward: one sweep per parameter, each evaluating and differentiating N ops
    assert (forward.forward, forward.tangent, forward.backward) == (P * N, P * N, 0)


@pytest.mark.parametrize("h,m", [(3, 2), (5, 4), (1, 1)])
def test_operation_counts_of_both_modes_for_one_input_many_outputs(h, m):
    net = bp.Network([1, h, m], activation="sigmoid", seed=2)
    f = ad.output_function(net)
    # building a^L: per hidden unit 1 mul, 1 add, 1 σ; per output 2h + 1
    N = 3 * h + m * (2 * h + 1)
    # output j's backward sweep visits the hidden layer and its own unit
    per_output = 3 * h + (2 * h + 1)
    with ad.count_ops() as forward:
        ad.jacobian(f, [0.4], mode="forward")
    with ad.count_ops() as reverse:
        ad.jacobian(f, [0.4], mode="reverse")
    assert (forward.forward, forward.tangent, forward.backward) == (N, N, 0)
    assert (reverse.forward, reverse.backward) == (N, m * per_output)


# ------------------------------------------------------------------ bad input
def test_a_non_number_operand_is_named():
    with pytest.raises(TypeError, match=r"Value\(data\) must be a real number.*str"):
        Value("3")
    with pytest.raises(TypeError, match=r"Value or a real number.*str 'a'"):
        Value(1.0) + "a"
    with pytest.raises(TypeError, match=r"Value or a real number.*list"):
        [1.0] * Value(2.0)
    with pytest.raises(TypeError, match=r"real number.*bool"):
        Value(True)
    with pytest.raises(TypeError, match="separate engines"):
        Value(1.0) * Dual(2.0, 1.0)
    with pytest.raises(TypeError, match="separate engines"):
        Dual(2.0, 1.0) - Value(1.0)


def test_bad_arguments_of_the_helpers_are_named():
    with pytest.raises(TypeError, match=r"Dual\(tangent\) must be a real number"):
        Dual(1.0, "1")
    with pytest.raises(TypeError, match=r"x\[1\] must be a real number"):
        ad.gradient(lambda v: v[0], [1.0, "2"])
    with pytest.raises(TypeError, match="x must be a sequence of real numbers"):
        ad.gradient(lambda v: v[0], 1.0)
    with pytest.raises(TypeError, match="f must return a Value"):
        ad.gradient(lambda v: 3.0, [1.0])
    net = bp.Network([2, 1], seed=0)
    with pytest.raises(ValueError, match=r"x must have 2 entries"):
        ad.ValueNetwork(net).mean_cost([1.0, 2.0, 3.0], [0.5])
    with pytest.raises(ValueError, match=r"θ must have 3 entries"):
        ad.cost_function(net, [1.0, 2.0], [0.5])([Value(1.0)])


def test_log_of_a_non_positive_value_is_refused():
    for bad in (0.0, -2.0):
        with pytest.raises(ValueError, match=r"log needs a positive argument.*input x"):
            Value(bad, label="x").log()
        with pytest.raises(ValueError, match="log needs a positive argument"):
            Dual(bad, 1.0).log()


def test_power_needs_a_number_exponent():
    with pytest.raises(TypeError, match="exponent must be a constant real number"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(TypeError, match="exponent must be a constant real number"):
        Value(2.0) ** "2"
    with pytest.raises(ValueError, match="non-integer power"):
        Value(-8.0) ** 0.5
    with pytest.raises(ValueError, match="positive base"):
        (-2) ** Value(1.0)


def test_division_by_zero_and_overflow_are_named():
    with pytest.raises(ValueError, match="division by zero"):
        Value(1.0) / Value(0.0, label="d")
    with pytest.raises(ValueError, match="overflows"):
        Value(1000.0).exp()


def test_backward_needs_one_finite_scalar_output():
    net = bp.Network([2, 3], seed=0)
    outputs = ad.output_function(net)([Value(0.1), Value(0.2)])
    with pytest.raises(TypeError, match=r"one scalar output.*3 Values"):
        outputs.backward()
    with pytest.raises(TypeError, match=r"one scalar output.*3 Values"):
        ad.ValueNetwork(net).output([0.1, 0.2]).backward()
    with pytest.raises(TypeError, match=r"one scalar output.*Jacobian"):
        ad.gradient(ad.output_function(net), [0.1, 0.2])
    with pytest.raises(TypeError, match=r"one scalar output.*Jacobian"):
        ad.gradient(ad.output_function(net), [0.1, 0.2], mode="forward")
    with pytest.raises(ValueError, match="finite output"):
        (Value(1e308) * 10).backward()
    with pytest.raises(TypeError, match="Network"):
        ad.ValueNetwork([[1.0]])
    with pytest.raises(ValueError, match="mode must be"):
        ad.gradient(lambda v: v[0], [1.0], mode="sideways")


# ----------------------------------------------------------------- the drawing
def test_drawing_a_graph_gives_one_node_per_value():
    require("matplotlib")  # in requirements.txt: a missing one fails, never skips
    from backprop_lib.draw import draw_graph

    # six values made by hand: two inputs, a constant, three results; x used twice
    x, y = Value(2.0, label="x"), Value(-1.5, label="y")
    p = x * y
    s = p + x
    C = s * 0.5
    made = [x, y, p, s, C]
    fig = draw_graph(C, upto=0)
    drawing = fig.drawing
    assert len(drawing.nodes) == len(made) + 1  # + the constant 0.5
    assert {id(v) for v in made} <= {id(v) for v in drawing.nodes}
    texts = [t for t in fig.axes[0].texts if t.get_gid() and "value-" in t.get_gid()]
    assert len(texts) == len(drawing.nodes)
    # arrows: two inputs for each of the three operations
    assert sorted(drawing.edges) == sorted(
        (drawing.nodes.index(a), drawing.nodes.index(b))
        for b in (p, s, C)
        for a in b._prev
    )
    assert drawing.final == [v is C for v in drawing.nodes]  # only the output so far
    full = draw_graph(C, upto=len(drawing.nodes)).drawing
    assert all(full.final)
    assert x.grad == pytest.approx(0.5 * (y.data + 1))  # both paths, by hand
    with pytest.raises(ValueError, match="upto must be between 0 and 6"):
        draw_graph(C, upto=7)
    with pytest.raises(TypeError, match="Value"):
        draw_graph(3.0)


# -------------------------------------------------------------------- imports
def test_the_engine_is_pure_python():
    files = sorted((ROOT / "backprop_lib" / "autodiff").glob("*.py"))
    assert len(files) > 1, files  # the package's modules, one job each
    nodes = [n for f in files for n in ast.walk(ast.parse(f.read_text()))]
    imported = {
        alias.name.split(".")[0]
        for node in nodes
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in nodes
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
    }
    # relative imports stay inside backprop_lib: the package's own modules, or the
    # core's Network and exp_cap (level 2), which load only what `import
    # backprop_lib` loads
    outside = {
        node.module
        for node in nodes
        if isinstance(node, ast.ImportFrom) and node.level == 2
    }
    assert outside <= {"network", "activations", "_checks"}, outside
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


def test_importing_the_engine_loads_neither_matplotlib_nor_sympy():
    code = (
        "import sys\n"
        "from backprop_lib.autodiff import Value\n"
        "import backprop_lib.draw\n"
        "print(','.join(m for m in ('matplotlib', 'sympy', 'ipywidgets') "
        "if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_exp_overflows_where_the_core_caps_it():
    """The limit of exp is written once (activations.exp_cap): the engine refuses
    just above it, and the core's sigmoid caps -z there."""
    cap = bp.exp_cap()
    assert cap == 709.0 and math.isfinite(math.exp(cap))
    assert Value(cap).exp().data == math.exp(cap)
    with pytest.raises(ValueError, match=r"exp\(710"):
        Value(cap + 1).exp()
