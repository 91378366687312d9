"""Bad input gets an error that names the argument and says what was expected."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest

import backprop_lib as bp


def net():
    return bp.Network([2, 3, 2], seed=0)


CASES = [
    # (description, callable, exception, pattern the message must match)
    (
        "sizes empty",
        lambda: bp.Network([]),
        ValueError,
        r"sizes must list at least two",
    ),
    ("sizes one layer", lambda: bp.Network([3]), ValueError, r"at least two layers"),
    (
        "sizes zero",
        lambda: bp.Network([2, 0, 1]),
        ValueError,
        r"sizes\[1\] must be a positive integer",
    ),
    (
        "sizes negative",
        lambda: bp.Network([2, -3, 1]),
        ValueError,
        r"sizes\[1\].*got -3",
    ),
    (
        "sizes float",
        lambda: bp.Network([2, 3.0, 1]),
        TypeError,
        r"sizes\[1\] must be a positive integer",
    ),
    ("sizes bool", lambda: bp.Network([2, True]), TypeError, r"sizes\[1\]"),
    ("sizes string", lambda: bp.Network("231"), TypeError, r"sizes must be a list"),
    ("sizes int", lambda: bp.Network(3), TypeError, r"sizes must be a list"),
    (
        "unknown activation",
        lambda: bp.Network([2, 2], activation="sigmod"),
        ValueError,
        r"activation='sigmod' is not a known activation; expected one of",
    ),
    (
        "activation not str",
        lambda: bp.Network([2, 2], activation=3),
        TypeError,
        r"activation must be the name",
    ),
    (
        "unknown output activation",
        lambda: bp.Network([2, 2], output_activation="soft"),
        ValueError,
        r"output_activation='soft'",
    ),
    (
        "unknown cost",
        lambda: bp.Network([2, 2], cost="mse"),
        ValueError,
        r"cost='mse' is not a known cost",
    ),
    (
        "softmax hidden",
        lambda: bp.Network([2, 3, 2], activation="softmax"),
        ValueError,
        r"only allowed on the output layer",
    ),
    (
        "softmax one unit",
        lambda: bp.Network([2, 1], output_activation="softmax"),
        ValueError,
        r"at least 2 output units",
    ),
    (
        "cross entropy with tanh",
        lambda: bp.Network([2, 2], activation="tanh", cost="cross_entropy"),
        ValueError,
        r"cost='cross_entropy' needs output_activation",
    ),
    (
        "bad dtype",
        lambda: bp.Network([2, 2], dtype=np.int64),
        ValueError,
        r"dtype must be",
    ),
    ("bad seed", lambda: bp.Network([2, 2], seed="x"), TypeError, r"seed must be"),
    (
        "x wrong length",
        lambda: net().forward(np.ones(3)),
        ValueError,
        r"x has shape \(3,\) but the input layer \(sizes\[0\]\) has 2 units",
    ),
    (
        "x wrong rows",
        lambda: net().forward(np.ones((3, 4))),
        ValueError,
        r"x has shape \(3, 4\): 3 rows, but the input layer",
    ),
    (
        "x 3-D",
        lambda: net().forward(np.ones((2, 1, 1))),
        ValueError,
        r"x must be 1-D or 2-D",
    ),
    ("x scalar", lambda: net().forward(1.0), ValueError, r"x must be 1-D or 2-D"),
    (
        "x empty batch",
        lambda: net().forward(np.ones((2, 0))),
        ValueError,
        r"x has no examples",
    ),
    (
        "x nan",
        lambda: net().forward([np.nan, 1.0]),
        ValueError,
        r"x must be finite; entry \(0, 0\)",
    ),
    (
        "x inf",
        lambda: net().backward([1.0, np.inf], [0, 1]),
        ValueError,
        r"x must be finite",
    ),
    (
        "x strings",
        lambda: net().forward(["a", "b"]),
        TypeError,
        r"x must contain real numbers",
    ),
    (
        "x complex",
        lambda: net().forward([1j, 1.0]),
        TypeError,
        r"x must contain real numbers",
    ),
    (
        "x None",
        lambda: net().forward(None),
        TypeError,
        r"x must be an array of numbers",
    ),
    (
        "x ragged",
        lambda: net().forward([[1.0, 2.0], [3.0]]),
        ValueError,
        r"x could not be read",
    ),
    (
        "y wrong length",
        lambda: net().backward([1.0, 2.0], [1.0, 0.0, 0.0]),
        ValueError,
        r"y has shape \(3,\) but the output layer \(sizes\[-1\]\) has 2 units",
    ),
    (
        "y example count",
        lambda: net().backward(np.ones((2, 3)), np.ones((2, 2))),
        ValueError,
        r"y has 2 examples \(columns\) but x has 3",
    ),
    (
        "y nan",
        lambda: net().backward([1.0, 2.0], [np.nan, 0.0]),
        ValueError,
        r"y must be finite",
    ),
    (
        "bce target above 1",
        lambda: bp.Network([2, 2], cost="cross_entropy").backward(
            [1.0, 2.0], [1.5, 0.0]
        ),
        ValueError,
        r"y: cross_entropy targets must lie in \[0, 1\]",
    ),
    (
        "bce target negative",
        lambda: bp.Network([2, 2], cost="cross_entropy").backward(
            [1.0, 2.0], [-0.1, 0.0]
        ),
        ValueError,
        r"targets must lie in \[0, 1\]",
    ),
    (
        "cce target not a distribution",
        lambda: bp.Network(
            [2, 3], output_activation="softmax", cost="cross_entropy"
        ).backward([1.0, 2.0], [0.5, 0.0, 0.0]),
        ValueError,
        r"column 0 sums to 0.5",
    ),
    (
        "eta zero",
        lambda: net().sgd_step([1.0, 2.0], [0.0, 1.0], 0),
        ValueError,
        r"eta must be a positive",
    ),
    (
        "eta nan",
        lambda: net().sgd_step([1.0, 2.0], [0.0, 1.0], float("nan")),
        ValueError,
        r"eta must be a positive, finite",
    ),
    (
        "eps negative",
        lambda: bp.gradcheck(net(), [1.0, 2.0], [0.0, 1.0], eps=-1),
        ValueError,
        r"eps must be a positive",
    ),
    (
        "gradcheck not a net",
        lambda: bp.gradcheck("net", [1.0], [1.0]),
        TypeError,
        r"net must be a backprop_lib.Network",
    ),
    (
        "from_params mismatched",
        lambda: bp.Network.from_params(
            [np.ones((3, 2)), np.ones((1, 4))], [np.zeros(3), np.zeros(1)]
        ),
        ValueError,
        r"W\[2\] has shape \(1, 4\) but layer 2 has 1 units and layer 1 has 3",
    ),
    (
        "from_params counts",
        lambda: bp.Network.from_params([np.ones((3, 2))], []),
        ValueError,
        r"W has 1 weight matrices but b has 0",
    ),
]


@pytest.mark.parametrize(
    ("what", "call", "exc", "pattern"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input_raises_clear_error(what, call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_parameter_shape_changed_after_construction():
    n = net()
    n.W[2] = np.ones((2, 4))
    with pytest.raises(
        ValueError, match=r"W\[2\] has shape \(2, 4\) but layer 2 has 2 units"
    ):
        n.forward([1.0, 2.0])
    n = net()
    n.b[1] = np.zeros(3)  # a 1-D bias would silently broadcast to (3, m)
    with pytest.raises(ValueError, match=r"b\[1\] has shape \(3,\).*expected \(3, 1\)"):
        n.forward(np.ones((2, 3)))
    n = net()
    n.W[1] = [[1.0, 2.0]] * 3
    with pytest.raises(
        TypeError, match=r"W\[1\] must be a numpy array of shape \(3, 2\)"
    ):
        n.forward([1.0, 2.0])


@pytest.mark.parametrize("bad", [np.nan, np.inf, 1e308])
def test_non_finite_or_overflowing_parameters_are_named(bad):
    n = net()
    n.W[1][0, 0] = bad
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"z\[1\] is not finite: W\[1\] or b\[1\]"):
            n.backward([1e10, 1.0], [0.0, 1.0])


def test_importing_the_core_loads_neither_sympy_nor_ipywidgets():
    code = (
        "import sys, backprop_lib\n"
        "heavy = [m for m in ('sympy', 'ipywidgets', 'anywidget', 'matplotlib') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""
