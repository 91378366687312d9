"""``BackwardResult.grad_x``, ∂C_x/∂x per example, against central finite
differences of each example's own cost with respect to its input."""

from __future__ import annotations

import numpy as np
import pytest

import backprop_lib as bp
from tests.test_core import HIDDEN, OUTPUT_COST, make_targets


def fd_input_gradient(net, X, Y, eps=1e-6):
    """∂C_{x_i}/∂x_i by nudging each input pixel of each example, in float64."""
    work = net.copy(dtype=np.float64)
    G = np.zeros_like(X, dtype=np.float64)
    for i in range(X.shape[1]):
        for k in range(X.shape[0]):
            plus, minus = X[:, [i]].copy(), X[:, [i]].copy()
            plus[k] += eps
            minus[k] -= eps
            G[k, i] = (
                work.mean_cost(plus, Y[:, [i]]) - work.mean_cost(minus, Y[:, [i]])
            ) / (2 * eps)
    return G


@pytest.mark.parametrize(("out", "cost"), OUTPUT_COST)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_grad_x_matches_finite_differences(hidden, out, cost):
    rng = np.random.default_rng(3)
    net = bp.Network([4, 5, 3], activation=hidden, output_activation=out, cost=cost)
    X = rng.standard_normal((4, 6))
    Y = make_targets(rng, 3, 6, out, cost)
    result = net.backward(X, Y, with_grad_x=True)
    assert result.grad_x.shape == (4, 6)
    assert bp.relative_error(result.grad_x, fd_input_gradient(net, X, Y)) < 1e-7


def test_grad_x_of_one_example_and_of_a_deep_net():
    rng = np.random.default_rng(4)
    net = bp.Network([3, 4, 4, 4, 2], activation="tanh", seed=5)
    x, y = rng.standard_normal(3), rng.random(2)
    g = net.backward(x, y, with_grad_x=True).grad_x
    assert g.shape == (3, 1)
    fd = fd_input_gradient(net, x.reshape(3, 1), y.reshape(2, 1))
    assert bp.relative_error(g, fd) < 1e-7


def test_grad_x_is_not_averaged_over_the_batch():
    # column i is ∂C_{x_i}/∂x_i, the same whatever else is in the batch
    rng = np.random.default_rng(6)
    net = bp.Network([3, 4, 2], seed=2)
    X, Y = rng.standard_normal((3, 5)), rng.random((2, 5))
    batch = net.backward(X, Y, with_grad_x=True).grad_x
    for i in range(5):
        one = net.backward(X[:, i], Y[:, i], with_grad_x=True).grad_x
        np.testing.assert_allclose(batch[:, i], one[:, 0], rtol=1e-12)


@pytest.mark.parametrize("reuse", [False, True])
def test_grad_x_does_not_change_when_the_weights_do(reuse):
    rng = np.random.default_rng(8)
    net = bp.Network([3, 4, 2], seed=2)
    X, Y = rng.standard_normal((3, 5)), rng.random((2, 5))
    expected = fd_input_gradient(net, X, Y)
    result = net.backward(X, Y, reuse=reuse, with_grad_x=True)
    net.W[1] += 1.0  # in place, as a training step does
    assert bp.relative_error(result.grad_x, expected) < 1e-7


def test_grad_x_float32():
    rng = np.random.default_rng(9)
    net = bp.Network([3, 4, 2], seed=2, dtype=np.float32)
    X, Y = rng.standard_normal((3, 5)), rng.random((2, 5))
    g = net.backward(X, Y, with_grad_x=True).grad_x
    assert g.dtype == np.float32
    assert bp.relative_error(g, fd_input_gradient(net, X, Y)) < 1e-5


def test_grad_x_only_when_asked_for():
    # training never needs it, so a plain pass does not pay for it, and says so
    net = bp.Network([3, 4, 2], seed=2)
    result = net.backward([1.0, 2.0, 3.0], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"with_grad_x=True"):
        _ = result.grad_x
    with pytest.raises(TypeError, match=r"with_grad_x must be True or False"):
        net.backward([1.0, 2.0, 3.0], [0.0, 1.0], with_grad_x="yes")
