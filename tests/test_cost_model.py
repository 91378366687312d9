"""bp.multiply_adds, the book's one cost model, against counts made independently.

Three independent counts: values derived by hand for small sizes; a scalar
implementation of BP1–BP4 that counts every multiplication by a weight or in an outer
product as it runs (and is checked to compute the core's gradients); and the graph of
the autodiff engine, where each product node needs one multiplication per input that
depends on the parameters in a reverse sweep.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib import autodiff as ad

SHAPES = [[2, 3, 2], [3, 4, 2], [2, 1], [1, 5, 4, 3], [4, 2, 2, 2, 3]]


@pytest.mark.parametrize(
    ("sizes", "forward", "bp2", "bp4"),
    [
        ([2, 3, 2], 2 * 3 + 3 * 2, 3 * 2, 12),  # BP2 only into layer 1
        ([2, 1], 2, 0, 2),  # one layer: no BP2 at all
        ([64, 30, 10], 64 * 30 + 30 * 10, 30 * 10, 64 * 30 + 30 * 10),
        ([3, 4, 4, 2], 12 + 16 + 8, 16 + 8, 36),
    ],
)
def test_hand_derived_counts(sizes, forward, bp2, bp4):
    c = bp.multiply_adds(sizes)
    assert (c.forward, c.bp2, c.bp4) == (forward, bp2, bp4)
    assert c.backward == bp2 + bp4
    assert c.total == forward + bp2 + bp4
    assert [layer.ell for layer in c.layers] == list(range(1, len(sizes)))
    assert c.layers[0].bp2 == 0
    assert c.n_params == bp.Network(sizes).n_params
    assert c.finite_differences == 2 * c.n_params * forward


class _Counter:
    def __init__(self):
        self.forward = self.bp2 = self.bp4 = 0


def _scalar_backprop(net, x, y, count):
    """BP1–BP4 for one example with quadratic cost, one scalar product at a time."""
    L, n = net.L, net.sizes
    a, z = [list(x)], [None]
    for ell in range(1, L + 1):
        zl = []
        for j in range(n[ell]):
            s = float(net.b[ell][j, 0])
            for k in range(n[ell - 1]):
                count.forward += 1
                s += net.W[ell][j, k] * a[ell - 1][k]
            zl.append(s)
        z.append(zl)
        a.append(list(net.activation_of(ell).f(np.array(zl))))
    prime = [None] + [
        list(net.activation_of(ell).prime(np.array(z[ell]), np.array(a[ell])))
        for ell in range(1, L + 1)
    ]
    delta = [None] * (L + 1)
    delta[L] = [(a[L][j] - y[j]) * prime[L][j] for j in range(n[L])]  # BP1
    for ell in range(L - 1, 0, -1):  # BP2, for ell = L-1..1: W^(ell+1) read back
        delta[ell] = []
        for k in range(n[ell]):
            s = 0.0
            for j in range(n[ell + 1]):
                count.bp2 += 1
                s += net.W[ell + 1][j, k] * delta[ell + 1][j]
            delta[ell].append(s * prime[ell][k])
    grad_W = [None]
    for ell in range(1, L + 1):  # BP4
        g = np.zeros((n[ell], n[ell - 1]))
        for j, k in itertools.product(range(n[ell]), range(n[ell - 1])):
            count.bp4 += 1
            g[j, k] = delta[ell][j] * a[ell - 1][k]
        grad_W.append(g)
    return grad_W


@pytest.mark.parametrize("sizes", SHAPES)
def test_counted_scalar_backprop_matches_the_model(sizes):
    rng = np.random.default_rng(7)
    net = bp.Network(sizes, activation="tanh", seed=rng)
    x, y = rng.standard_normal(sizes[0]), rng.random(sizes[-1])
    count = _Counter()
    grad_W = _scalar_backprop(net, x, y, count)
    core = net.backward(x, y)
    for ell in range(1, net.L + 1):  # the counted code computes the gradient
        np.testing.assert_allclose(
            grad_W[ell], core.grad_W[ell], rtol=1e-12, atol=1e-14
        )
    c = bp.multiply_adds(sizes)
    assert (count.forward, count.bp2, count.bp4) == (c.forward, c.bp2, c.bp4)


@pytest.mark.parametrize("sizes", SHAPES)
def test_autodiff_graph_needs_as_many_products(sizes):
    """Count the products in the graph of C(θ), and those a reverse sweep needs.

    A product node u·v costs one multiplication forward and, in a reverse sweep, one
    per input that depends on θ (∂C/∂u = v·grad needs computing only if u does). The
    quadratic cost adds one product of its own, by ½, whose other input is a constant.
    """
    rng = np.random.default_rng(3)
    net = bp.Network(sizes, activation="sigmoid", seed=rng)
    theta = [ad.Value(t) for t in ad.flat_params(net)]
    C = ad.cost_function(net, rng.standard_normal(sizes[0]), rng.random(sizes[-1]))(
        theta
    )
    order = C.topological_order()
    depends = {id(t) for t in theta}
    for node in order:  # inputs come before the nodes built from them
        if any(id(p) in depends for p in node._prev):
            depends.add(id(node))
    products = [node for node in order if node.op in ("*", "×", "·")]
    assert products, {node.op for node in order}
    backward_needed = sum(id(p) in depends for node in products for p in node._prev)
    c = bp.multiply_adds(sizes)
    assert len(products) == c.forward + 1  # + the ½ of the cost
    assert backward_needed == c.backward + 1


def test_the_rule_in_words():
    """About 2 forward passes back, 3 in all for a deep net; less if W^1 dominates."""
    deep = bp.multiply_adds([100] * 11)
    assert deep.backward_over_forward == pytest.approx(2 - 1 / 10)
    assert deep.total_over_forward == pytest.approx(3 - 1 / 10)
    digits = bp.multiply_adds([64, 30, 10])
    assert digits.first_layer_share == pytest.approx(1920 / 2220)
    assert digits.backward_over_forward == pytest.approx(2 - 1920 / 2220)
    assert digits.total_over_forward < 2.2


@pytest.mark.parametrize(
    ("sizes", "error", "message"),
    [
        ([3], ValueError, "at least two layers"),
        ([3, 0, 2], ValueError, r"sizes\[1\]"),
        ([3, 2.5], TypeError, r"sizes\[1\]"),
        (5, TypeError, "sizes must be a list"),
    ],
)
def test_bad_sizes_are_named(sizes, error, message):
    with pytest.raises(error, match=message):
        bp.multiply_adds(sizes)
