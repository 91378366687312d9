"""Renamed API: the new names, and the old names chapters and readers may still use."""

from __future__ import annotations

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib._checks import check_integer


def _data(net, m, rng):
    x = rng.standard_normal((net.sizes[0], m))
    y = rng.random((net.sizes[-1], m))
    return x, y


def test_mean_cost_is_the_mean_of_the_per_example_costs():
    rng = np.random.default_rng(3)
    net = bp.Network([3, 4, 2], seed=rng)
    x, y = _data(net, 5, rng)
    # each example's ½‖a − y‖², computed here from the forward pass
    a = net.forward(x).output
    by_hand = np.mean(0.5 * np.sum((a - y) ** 2, axis=0))
    assert net.mean_cost(x, y) == pytest.approx(by_hand, rel=1e-12)
    with pytest.warns(DeprecationWarning, match=r"use Network\.mean_cost"):
        assert net.cost_of(x, y) == net.mean_cost(x, y)  # the former name
    assert net.trace_cost(net.forward(x), y) == net.mean_cost(x, y)
    assert net.backward(x, y).cost == pytest.approx(by_hand, rel=1e-12)


def test_trace_cost_refuses_what_is_not_a_trace_of_this_network():
    rng = np.random.default_rng(4)
    net = bp.Network([3, 4, 2], seed=rng)
    other = bp.Network([3, 4, 5], seed=rng)
    x, y = _data(net, 2, rng)
    with pytest.raises(TypeError, match="trace must be a ForwardTrace"):
        net.trace_cost(x, y)
    with pytest.raises(ValueError, match="not a forward pass of this network"):
        net.trace_cost(other.forward(x), y)


def test_check_targets_names_the_argument():
    net = bp.Network([2, 2], activation="sigmoid", cost="cross_entropy")
    with pytest.raises(ValueError, match=r"^Y_val: cross_entropy targets"):
        net.check_targets(np.array([[2.0], [0.0]]), "Y_val")
    net.check_targets(np.array([[1.0], [0.0]]))  # fine: nothing raised


def test_symbolic_cost_of_output_and_its_former_name():
    import sympy as sp

    from backprop_lib import symbolic as S

    net = S.symbolic_network([2, 2])
    v = sp.Matrix(sp.symbols("v1:3"))
    half_sq = sp.Rational(1, 2) * ((v[0] - net.y[0]) ** 2 + (v[1] - net.y[1]) ** 2)
    assert sp.expand(net.cost_of_output(v) - half_sq) == 0
    with pytest.warns(DeprecationWarning, match=r"use SymbolicNetwork\.cost_of_output"):
        assert net.cost_of(v) == net.cost_of_output(v)
    assert net.cost_name == "quadratic"
    with pytest.warns(DeprecationWarning, match=r"use SymbolicNetwork\.cost_name"):
        assert net.cost == "quadratic"


def test_cost_is_a_value_and_cost_name_a_name():
    """``.cost`` is the value of the cost wherever it is read; the cost function's
    name is ``.cost_name``. The former meanings warn for one release."""
    from backprop_lib import autodiff as ad

    net = bp.Network([2, 3, 1], cost="quadratic", seed=0)
    x, y = [0.5, -1.0], [1.0]
    assert net.cost_name == "quadratic"
    with pytest.warns(DeprecationWarning, match=r"use Network\.cost_name"):
        assert net.cost == "quadratic"
    result = net.backward(x, y)
    assert isinstance(result.cost, float)
    vnet = ad.ValueNetwork(net)
    C = vnet.mean_cost(x, y)
    assert C.data == pytest.approx(result.cost, rel=1e-12)
    with pytest.warns(DeprecationWarning, match=r"use ValueNetwork\.mean_cost"):
        assert vnet.cost(x, y).data == C.data
    C.backward()
    # grad_W and grad_b are lists on both, as on BackwardResult
    for name in ("grad_W", "grad_b"):
        got, want = getattr(vnet, name), getattr(result, name)
        assert isinstance(got, list) and got[0] is None and len(got) == len(want)
        for ell in range(1, net.L + 1):
            np.testing.assert_allclose(np.array(got[ell]), want[ell], rtol=1e-10)
        with pytest.warns(DeprecationWarning, match=rf"use ValueNetwork\.{name}\b"):
            assert getattr(vnet, name)() == got  # the former method


def test_no_module_is_shadowed_by_a_function_of_its_name():
    """``import backprop_lib.x`` gives the module x wherever ``backprop_lib.x`` is
    an attribute too (``bp.gradcheck`` is the function, in module gradient_check)."""
    import importlib
    import pkgutil

    packages = [bp] + [
        importlib.import_module(f"backprop_lib.{m.name}")
        for m in pkgutil.iter_modules(bp.__path__)
        if m.ispkg
    ]
    checked = 0
    for package in packages:
        for m in pkgutil.iter_modules(package.__path__):
            attribute = getattr(package, m.name, None)
            if attribute is None:
                continue
            checked += 1
            module = importlib.import_module(f"{package.__name__}.{m.name}")
            assert attribute is module, (
                f"{package.__name__}.{m.name} is {attribute!r}, not the module"
            )
    assert checked >= 5


@pytest.mark.parametrize(
    ("value", "low", "high", "error", "message"),
    [
        (True, 1, None, TypeError, "n must be a positive integer; got bool True"),
        (2.0, 1, None, TypeError, "n must be a positive integer; got float 2.0"),
        (0, 1, None, ValueError, "n must be a positive integer; got 0"),
        (-1, 0, None, ValueError, "n must be a non-negative integer; got -1"),
        (7, 1, 6, ValueError, "n must be an integer between 1 and 6; got 7"),
    ],
)
def test_check_integer_says_what_was_expected(value, low, high, error, message):
    with pytest.raises(error) as info:
        check_integer(value, "n", low, high)
    assert str(info.value) == message


def test_check_integer_accepts_numpy_integers_in_range():
    assert check_integer(np.int64(6), "n", 1, 6) == 6
    assert type(check_integer(np.int64(6), "n", 1, 6)) is int


def test_an_elementwise_activation_needs_only_f_and_prime(monkeypatch):
    """Two rules make an activation: value_and_prime and vjp follow from them, and
    the backward pass agrees with finite differences."""
    with pytest.raises(ValueError, match="needs prime"):
        bp.Activation("half", lambda z: z / 2, None)
    half = bp.Activation("half", lambda z: z / 2, lambda z, a: np.full_like(z, 0.5))
    z = np.linspace(-2, 2, 5).reshape(-1, 1)
    a, p = half.value_and_prime(z)
    assert np.array_equal(a, z / 2) and np.array_equal(p, np.full_like(z, 0.5))
    assert np.array_equal(half.vjp(z, a, np.ones_like(z)), p)
    monkeypatch.setitem(bp.ACTIVATIONS, "half", half)  # a throwaway registration
    net = bp.Network([3, 4, 2], activation="half", output_activation="sigmoid", seed=2)
    assert bp.gradcheck(net, [0.3, -0.2, 0.9], [1.0, 0.0]).max_error < 1e-6


# The test modules that cross-check every activation and cost (against finite
# differences, the autodiff engine, properties, the explorer's front end).
# (the explorer's cross-check, tests/js/reference.py, runs over the spec's lists,
# which test_widgets checks are the registries')
CROSS_CHECKS = ["test_core", "test_autodiff", "test_properties", "test_train_together"]


def test_a_new_activation_and_cost_reach_every_cross_check(monkeypatch):
    """Register a throwaway activation and cost: the lists every cross-check runs
    over include them, no cross-check keeps a list of its own, and the core's own
    check (gradients against finite differences) passes for them."""
    import ast
    import dataclasses
    from pathlib import Path

    from backprop_lib.activations import ACTIVATIONS
    from backprop_lib.costs import COSTS

    from . import conftest

    softplus = bp.Activation(
        "softplus", lambda z: np.logaddexp(0.0, z), lambda z, a: bp.sigmoid(z)
    )
    half = dataclasses.replace(COSTS["quadratic"], name="half_quadratic")
    monkeypatch.setitem(ACTIVATIONS, "softplus", softplus)
    monkeypatch.setitem(COSTS, "half_quadratic", half)
    assert "softplus" in conftest.hidden_activations()
    pairs = conftest.output_cost_pairs()
    assert ("softplus", "quadratic") in pairs and ("softmax", "half_quadratic") in pairs
    assert ("softplus", "cross_entropy") not in pairs  # the cost says what it needs

    names = set(ACTIVATIONS)  # a list of three or more activations is a copy
    for module in CROSS_CHECKS:
        tree = ast.parse((Path(__file__).parent / f"{module}.py").read_text())
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "conftest"
            for alias in node.names
        }
        assert {"HIDDEN", "OUTPUT_COST"} & imported, f"{module}: lists of its own"
        for node in ast.walk(tree):
            if isinstance(node, (ast.List, ast.Tuple)) and len(node.elts) >= 3:
                texts = [e.value for e in node.elts if isinstance(e, ast.Constant)]
                assert not (len(texts) == len(node.elts) and set(texts) <= names), (
                    f"{module}, line {node.lineno}: a hard-coded list {texts}"
                )

    for out, cost in [("softplus", "quadratic"), ("sigmoid", "half_quadratic")]:
        net = bp.Network(
            [3, 4, 2], activation="softplus", output_activation=out, cost=cost, seed=5
        )
        errors = bp.gradcheck(net, [0.3, -0.2, 0.9], [0.7, 0.1])
        assert errors.max_error < 1e-7, (out, cost, errors)
