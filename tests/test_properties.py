"""Property-based tests: random architectures, inputs and targets."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import backprop_lib as bp

from .conftest import HIDDEN, OUTPUT_COST  # derived from the registries


@st.composite
def problems(draw):
    n_layers = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 5)) for _ in range(n_layers + 1)]
    hidden = draw(st.sampled_from(HIDDEN))
    out, cost = draw(st.sampled_from(OUTPUT_COST))
    if out == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    m = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scale = draw(st.floats(0.1, 3.0))
    x = scale * rng.standard_normal((sizes[0], m))
    y = rng.random((sizes[-1], m))
    if out == "softmax":
        y /= y.sum(axis=0, keepdims=True)
    net = bp.Network(
        sizes, activation=hidden, output_activation=out, cost=cost, seed=seed
    )
    return net, x, y


def away_from_kinks(net, x, margin=1e-4):
    """Finite differences are meaningless across relu's kink at z = 0."""
    trace = net.forward(x)
    for ell in range(1, net.L + 1):
        if net.activation_of(ell).name == "relu":
            if np.min(np.abs(trace.z[ell])) < margin:
                return False
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_backward_matches_finite_differences(problem):
    net, x, y = problem
    assume(away_from_kinks(net, x))
    # Entry by entry, with an absolute floor: a central difference with ε = 1e-6 is
    # off by up to about u·C/ε ≈ 2e-10·C from rounding alone, which swamps a small
    # entry when the cost C is large (a relu net on inputs of 6 can have C ≈ 1e3 and
    # entries of 1e-3 beside entries of 1e2), and a deep sigmoid chain can have
    # gradients of 1e-8 that are all rounding. A wrong gradient is off by its own size.
    num_W, num_b = bp.numerical_gradient(net, x, y)
    r = net.backward(x, y)
    atol = 1e-9 * (1 + r.cost)
    for ell in range(1, net.L + 1):
        np.testing.assert_allclose(r.grad_W[ell], num_W[ell], rtol=1e-6, atol=atol)
        np.testing.assert_allclose(r.grad_b[ell], num_b[ell], rtol=1e-6, atol=atol)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_shapes_and_finiteness(problem):
    net, x, y = problem
    r = net.backward(x, y)
    m = x.shape[1]
    assert np.isfinite(r.cost) and r.cost >= 0
    assert r.costs.shape == (m,)
    for ell in range(1, net.L + 1):
        assert r.delta[ell].shape == (net.sizes[ell], m)
        assert r.grad_W[ell].shape == net.W[ell].shape
        assert r.grad_b[ell].shape == net.b[ell].shape
        # BP3 and BP4 are averages of per-example outer products
        np.testing.assert_allclose(
            r.grad_b[ell][:, 0], r.delta[ell].mean(axis=1), rtol=1e-12, atol=1e-15
        )
        outer = np.einsum("jm,km->jk", r.delta[ell], r.trace.a[ell - 1]) / m
        np.testing.assert_allclose(r.grad_W[ell], outer, rtol=1e-10, atol=1e-14)


@settings(max_examples=40, deadline=None)
@given(problems(), st.integers(0, 3))
def test_permuting_examples_permutes_deltas(problem, shift):
    """The batch pass treats examples independently: reorder them and the δ columns
    reorder with them, while the mean cost stays put."""
    net, x, y = problem
    m = x.shape[1]
    perm = np.roll(np.arange(m), shift)
    r = net.backward(x, y)
    rp = net.backward(x[:, perm], y[:, perm])
    assert abs(rp.cost - r.cost) <= 1e-12 * (1 + r.cost)
    for ell in range(1, net.L + 1):
        np.testing.assert_allclose(
            rp.delta[ell], r.delta[ell][:, perm], rtol=1e-12, atol=1e-15
        )
