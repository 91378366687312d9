"""The numpy core against independent references: finite differences, hand-derived
formulas, per-example loops, and explicit Jacobians."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib.activations import ACTIVATIONS
from backprop_lib.costs import COSTS

from .conftest import HIDDEN, OUTPUT_COST  # derived from the registries


def make_targets(rng, n, m, out, cost):
    y = rng.random((n, m))
    if out == "softmax":
        y /= y.sum(axis=0, keepdims=True)
    elif cost == "cross_entropy":
        y = (y > 0.5).astype(float)
    return y


@pytest.mark.parametrize("m", [1, 5])
@pytest.mark.parametrize(("out", "cost"), OUTPUT_COST)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_gradients_match_finite_differences(hidden, out, cost, m):
    rng = np.random.default_rng(7)
    net = bp.Network([3, 4, 3, 3], activation=hidden, output_activation=out, cost=cost)
    x = rng.standard_normal((3, m))
    y = make_targets(rng, 3, m, out, cost)
    errors = bp.gradcheck(net, x, y)
    assert set(errors) == {f"{p}[{ell}]" for p in "Wb" for ell in (1, 2, 3)}
    assert errors.max_error <= 1e-7, errors


@pytest.mark.parametrize(("out", "cost"), OUTPUT_COST)
def test_delta_is_derivative_of_cost_wrt_z(out, cost):
    """δ^ell_j = ∂C_x/∂z^ell_j, checked by nudging z directly (via the bias, which
    shifts z^ell_j one-for-one) for a single example."""
    rng = np.random.default_rng(3)
    net = bp.Network([2, 3, 3], activation="tanh", output_activation=out, cost=cost)
    x = rng.standard_normal(2)
    y = make_targets(rng, 3, 1, out, cost)[:, 0]
    delta = net.backward(x, y).delta
    eps = 1e-6
    for ell in (1, 2):
        for j in range(net.sizes[ell]):
            old = net.b[ell][j, 0]
            net.b[ell][j, 0] = old + eps
            plus = net.mean_cost(x, y)
            net.b[ell][j, 0] = old - eps
            minus = net.mean_cost(x, y)
            net.b[ell][j, 0] = old
            assert delta[ell][j, 0] == pytest.approx(
                (plus - minus) / (2 * eps), abs=1e-8
            )


def test_hand_derived_chain_of_single_units():
    """A 1-1-1 sigmoid net, quadratic cost: every quantity written out by hand."""
    w2, b2, w3, b3, x, y = 0.7, -0.2, -1.3, 0.4, 0.9, 0.25
    net = bp.Network.from_params([[[w2]], [[w3]]], [[b2], [b3]])

    def s(t):
        return 1 / (1 + np.exp(-t))

    z1 = w2 * x + b2
    a1 = s(z1)
    z2 = w3 * a1 + b3
    a2 = s(z2)
    d2 = (a2 - y) * a2 * (1 - a2)  # BP1
    d1 = w3 * d2 * a1 * (1 - a1)  # BP2
    r = net.backward([x], [y])
    assert r.cost == pytest.approx(0.5 * (a2 - y) ** 2, rel=1e-14)
    assert r.delta[2][0, 0] == pytest.approx(d2, rel=1e-13)
    assert r.delta[1][0, 0] == pytest.approx(d1, rel=1e-13)
    assert r.grad_W[2][0, 0] == pytest.approx(d2 * a1, rel=1e-13)  # BP4
    assert r.grad_W[1][0, 0] == pytest.approx(d1 * x, rel=1e-13)
    assert r.grad_b[1][0, 0] == pytest.approx(d1, rel=1e-13)  # BP3


def test_batch_equals_mean_of_single_examples():
    rng = np.random.default_rng(11)
    net = bp.Network(
        [4, 5, 3],
        activation="relu",
        output_activation="softmax",
        cost="cross_entropy",
        seed=2,
    )
    X = rng.standard_normal((4, 6))
    Y = np.eye(3)[:, rng.integers(0, 3, 6)]
    batch = net.backward(X, Y)
    singles = [net.backward(X[:, i], Y[:, i]) for i in range(6)]
    assert batch.cost == pytest.approx(np.mean([s.cost for s in singles]), rel=1e-12)
    for ell in (1, 2):
        np.testing.assert_allclose(
            batch.delta[ell], np.hstack([s.delta[ell] for s in singles]), rtol=1e-12
        )
        np.testing.assert_allclose(
            batch.grad_W[ell],
            np.mean([s.grad_W[ell] for s in singles], axis=0),
            rtol=1e-10,
            atol=1e-15,
        )
        np.testing.assert_allclose(
            batch.grad_b[ell],
            np.mean([s.grad_b[ell] for s in singles], axis=0),
            rtol=1e-10,
            atol=1e-15,
        )


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_vjp_matches_explicit_jacobian(name):
    act = ACTIVATIONS[name]
    rng = np.random.default_rng(5)
    z = rng.standard_normal((4, 1)) + 0.3  # away from relu's kink
    g = rng.standard_normal((4, 1))
    eps = 1e-6
    J = np.zeros((4, 4))  # J[k, j] = ∂a_k/∂z_j
    for j in range(4):
        dz = np.zeros((4, 1))
        dz[j] = eps
        J[:, j] = ((act.f(z + dz) - act.f(z - dz)) / (2 * eps))[:, 0]
    np.testing.assert_allclose(act.vjp(z, act.f(z), g), J.T @ g, rtol=1e-7, atol=1e-9)
    if name == "softmax":  # the cross terms really are there
        assert np.max(np.abs(J - np.diag(np.diag(J)))) > 1e-3


def test_sigmoid_is_accurate_in_both_tails():
    z = np.array([-745.0, -40.0, -1.0, 0.0, 1.0, 40.0, 745.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = bp.sigmoid(z)
        sp = bp.sigmoid_prime(z)
    assert s[1] == pytest.approx(np.exp(-40.0), rel=1e-14)
    assert s[3] == 0.5
    assert 1 - s[4] == pytest.approx(s[2], rel=1e-14)
    assert sp[1] == pytest.approx(np.exp(-40.0), rel=1e-13)
    assert sp[5] == pytest.approx(np.exp(-40.0), rel=1e-13)  # 1-σ would round to 0
    assert sp[3] == 0.25


@pytest.mark.parametrize(("out", "cost"), OUTPUT_COST)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_extreme_preactivations_stay_finite_and_silent(hidden, out, cost):
    """|z| up to 1e3: no overflow warnings, no NaN, no inf anywhere."""
    W = [
        None,
        np.array([[1000.0, 0.0], [-1000.0, 0.0], [0.0, 1.0]]),
        np.array([[500.0, -500.0, 1.0], [-500.0, 500.0, 1.0]]),
    ]
    b = [None, np.zeros((3, 1)), np.zeros((2, 1))]
    net = bp.Network.from_params(
        W, b, activation=hidden, output_activation=out, cost=cost
    )
    x = np.array([[1.0, -1.0], [0.5, 0.5]])
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = net.backward(x, y)
    assert np.max(np.abs(r.trace.z[1])) >= 1000
    assert np.isfinite(r.cost)
    for ell in (1, 2):
        for arr in (r.delta[ell], r.grad_W[ell], r.grad_b[ell], r.trace.a[ell]):
            assert np.all(np.isfinite(arr))


def test_cross_entropy_value_matches_naive_formula_where_that_is_safe():
    rng = np.random.default_rng(9)
    for out in ("sigmoid", "softmax"):
        net = bp.Network([3, 4], activation=out, cost="cross_entropy", seed=4)
        x = rng.standard_normal((3, 5))
        y = make_targets(rng, 4, 5, out, "cross_entropy")
        a = net.forward(x).output
        if out == "sigmoid":
            naive = -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a), axis=0)
        else:
            naive = -np.sum(y * np.log(a), axis=0)
        assert net.mean_cost(x, y) == pytest.approx(naive.mean(), rel=1e-12)


def test_cross_entropy_delta_is_a_minus_y():
    """The canonical-link shortcut agrees with the general J^T ∇_a C route."""
    rng = np.random.default_rng(1)
    for out in ("sigmoid", "softmax"):
        net = bp.Network([3, 4], activation=out, cost="cross_entropy", seed=0)
        x = rng.standard_normal((3, 2))
        y = make_targets(rng, 4, 2, out, "cross_entropy")
        r = net.backward(x, y)
        z, a = r.trace.z[1], r.trace.a[1]
        if out == "sigmoid":
            grad_a = -(y / a) + (1 - y) / (1 - a)
        else:
            grad_a = -y / a
        general = bp.get_activation(out).vjp(z, a, grad_a)
        np.testing.assert_allclose(r.delta[1], general, rtol=1e-10, atol=1e-12)


def test_float32_network_computes_in_float32_and_is_close():
    rng = np.random.default_rng(2)
    net64 = bp.Network([3, 4, 2], seed=3)
    net32 = net64.copy(dtype=np.float32)
    x = rng.standard_normal((3, 4))
    y = rng.random((2, 4))
    r32 = net32.backward(x, y)
    r64 = net64.backward(x, y)
    assert r32.delta[1].dtype == np.float32
    assert r32.grad_W[1].dtype == np.float32
    for ell in (1, 2):
        np.testing.assert_allclose(
            r32.grad_W[ell], r64.grad_W[ell], rtol=1e-4, atol=1e-6
        )
    # documented (gradcheck, training): gradcheck reports about 1e-7 for float32,
    # far above float64's rounding and far below a wrong gradient's order 1
    errors = [
        bp.gradcheck(
            bp.Network([3, 4, 2], seed=s).copy(dtype=np.float32), x, y
        ).max_error
        for s in range(12)
    ]
    assert 1e-9 < np.median(errors) < 1e-6 and max(errors) < 1e-5


def test_one_example_shapes_and_predict():
    net = bp.Network([2, 3, 4])
    t = net.forward([0.1, 0.2])
    assert t.a[0].shape == (2, 1)
    assert [t.z[ell].shape for ell in (1, 2)] == [(3, 1), (4, 1)]
    assert net.predict([0.1, 0.2]).shape == (4,)
    assert net.predict(np.ones((2, 7))).shape == (4, 7)
    np.testing.assert_array_equal(
        net.forward(np.array([[0.1], [0.2]])).output, t.output
    )


def test_seeded_and_no_global_rng():
    np.random.seed(123)  # noqa: NPY002
    before = np.random.random()  # noqa: NPY002
    np.random.seed(123)  # noqa: NPY002
    a = bp.Network([3, 4, 2], seed=5)
    after = np.random.random()  # noqa: NPY002
    assert before == after  # the global state was not consumed
    b = bp.Network([3, 4, 2], seed=5)
    c = bp.Network([3, 4, 2], seed=6)
    np.testing.assert_array_equal(a.W[1], b.W[1])
    assert not np.array_equal(a.W[1], c.W[1])
    assert a.W[0] is None and a.b[0] is None


def test_sgd_step_moves_downhill_and_does_not_touch_caller_data():
    rng = np.random.default_rng(0)
    W = [rng.standard_normal((3, 2)), rng.standard_normal((1, 3))]
    b = [np.zeros((3, 1)), np.zeros((1, 1))]
    W_copy = [w.copy() for w in W]
    net = bp.Network.from_params(W, b)
    x, y = rng.standard_normal((2, 4)), rng.random((1, 4))
    before = net.mean_cost(x, y)
    r = net.sgd_step(x, y, eta=1e-3)
    after = net.mean_cost(x, y)
    # first-order prediction of the decrease: η ‖∇C‖²
    g2 = sum(np.sum(g**2) for g in r.grad_W[1:] + r.grad_b[1:])
    assert before - after == pytest.approx(1e-3 * g2, rel=1e-2)
    for w, w0 in zip(W, W_copy):
        np.testing.assert_array_equal(w, w0)


def test_from_params_accepts_both_indexings_and_copies():
    W1, W2 = np.ones((3, 2)), np.ones((1, 3))
    b1, b2 = np.zeros((3, 1)), np.zeros(1)
    n1 = bp.Network.from_params([None, W1, W2], [None, b1, b2])
    n2 = bp.Network.from_params([W1, W2], [b1, b2])
    assert n1.sizes == n2.sizes == (2, 3, 1)
    n1.W[1][0, 0] = 5.0
    assert W1[0, 0] == 1.0
    assert n1.b[2].shape == (1, 1)


def test_all_activation_cost_combinations_are_either_built_or_refused_clearly():
    for hidden, out, cost in itertools.product(
        HIDDEN, sorted(ACTIVATIONS), sorted(COSTS)
    ):
        ok = (out, cost) in OUTPUT_COST
        if ok:
            bp.Network([2, 3, 2], activation=hidden, output_activation=out, cost=cost)
        else:
            with pytest.raises(ValueError, match="output_activation"):
                bp.Network(
                    [2, 3, 2], activation=hidden, output_activation=out, cost=cost
                )


def test_network_pickles_and_copies_with_its_functions():
    import copy
    import pickle

    rng = np.random.default_rng(21)
    net = bp.Network([3, 4, 2], activation="tanh", output_activation="softmax",
                     cost="cross_entropy", seed=3)  # fmt: skip
    x = rng.standard_normal((3, 2))
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    expected = net.backward(x, y)
    for other in (pickle.loads(pickle.dumps(net)), copy.deepcopy(net)):
        assert repr(other) == repr(net)
        got = other.backward(x, y)
        assert got.cost == expected.cost
        for ell in (1, 2):
            np.testing.assert_array_equal(got.grad_W[ell], expected.grad_W[ell])
        other.W[1][0, 0] += 1.0  # independent parameters
        assert other.W[1][0, 0] != net.W[1][0, 0]
