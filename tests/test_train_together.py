"""``bp.train_together``: many same-shaped networks trained at once on stacked weights.

The reference is ``bp.train`` on each network alone (momentum 0, the same ``rng``):
weights, biases and every recorded cost and accuracy must agree, for every hidden
activation and every (output activation, cost) pair the registries allow.
"""

from __future__ import annotations

import numpy as np
import pytest

import backprop_lib as bp

from .conftest import HIDDEN, OUTPUT_COST

SIZES = [3, 4, 3]  # two hidden layers, so BP2 runs through a hidden layer too


def data(out, cost, n_out, N=23, seed=0):
    """Inputs and targets the (output activation, cost) pair accepts."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((SIZES[0], N))
    if out == "softmax":
        Y = np.eye(n_out)[:, rng.integers(0, n_out, N)]
    elif cost == "cross_entropy":
        Y = (rng.random((n_out, N)) > 0.5).astype(float)
    else:
        Y = 0.5 * rng.standard_normal((n_out, N))
    return X, Y


def make(hidden, out, cost, seeds, dtype=np.float64):
    n_out = 3 if out == "softmax" else 2
    return [
        bp.Network(
            [*SIZES, n_out],
            activation=hidden,
            output_activation=out,
            cost=cost,
            seed=s,
            dtype=dtype,
        )
        for s in seeds
    ]


def assert_same_as_train(nets, X, Y, epochs, batch_size, eta, rng, tol, **kw):
    """Train copies of ``nets`` one by one with bp.train, then ``nets`` together."""
    alone = [net.copy() for net in nets]
    rng_alone = [np.random.default_rng(rng) for _ in nets]
    histories = [
        bp.train(net, X, Y, epochs, batch_size, eta, rng=r, progress=False, **kw)
        for net, r in zip(alone, rng_alone)
    ]
    rng_together = np.random.default_rng(rng)
    together = bp.train_together(
        nets, X, Y, epochs, batch_size, eta, rng=rng_together, **kw
    )
    # the Generator is advanced as bp.train advances it
    assert rng_together.random() == rng_alone[0].random()
    assert (
        together.train_cost.shape == (len(nets), epochs) == (len(nets), together.epochs)
    )
    for k, (net, ref, h) in enumerate(zip(nets, alone, histories)):
        for ell in range(1, net.L + 1):
            scale = max(1.0, float(np.max(np.abs(ref.W[ell]))))
            np.testing.assert_allclose(net.W[ell], ref.W[ell], rtol=0, atol=tol * scale)
            np.testing.assert_allclose(net.b[ell], ref.b[ell], rtol=0, atol=tol * scale)
            assert net.W[ell].dtype == ref.W[ell].dtype
        np.testing.assert_allclose(together.train_cost[k], h.train_cost, rtol=tol)
        if "validation" in kw:
            np.testing.assert_allclose(together.val_cost[k], h.val_cost, rtol=tol)
            if h.val_accuracy[0] is None:
                assert together.val_accuracy is None
            else:
                assert list(together.val_accuracy[k]) == h.val_accuracy, k
        else:
            assert together.val_cost is None and together.val_accuracy is None
    return together


@pytest.mark.parametrize("out,cost", OUTPUT_COST)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_each_network_ends_as_train_leaves_it(hidden, out, cost):
    nets = make(hidden, out, cost, range(4))
    X, Y = data(out, cost, nets[0].sizes[-1])
    # a last mini-batch smaller than the others (23 = 2 * 10 + 3), validation data
    assert_same_as_train(
        nets, X, Y, 3, 10, 0.1, 7, 1e-12, validation=data(out, cost, Y.shape[0], 9, 1)
    )


def test_float32_without_validation_and_one_network():
    for seeds in ([0, 1, 2], [5]):
        nets = make("sigmoid", "softmax", "cross_entropy", seeds, dtype=np.float32)
        X, Y = data("softmax", "cross_entropy", 3)
        assert_same_as_train(nets, X, Y, 4, 5, 0.5, 3, 1e-6)


def test_the_callers_arrays_are_left_alone_and_the_history_is_per_network():
    nets = make("tanh", "sigmoid", "cross_entropy", range(3))
    X, Y = data("sigmoid", "cross_entropy", 2)
    X0, Y0 = X.copy(), Y.copy()
    h = bp.train_together(nets, X, Y, 20, 5, 0.5, rng=0, validation=(X, Y))
    assert np.array_equal(X, X0) and np.array_equal(Y, Y0)
    assert h.val_cost.shape == h.val_accuracy.shape == (3, 20)
    # they learn, and differently: each row is its own network's
    assert np.all(h.train_cost[:, -1] < h.train_cost[:, 0])
    assert len({float(c) for c in h.val_cost[:, -1]}) == 3
    for k, net in enumerate(nets):
        assert h.val_cost[k, -1] == pytest.approx(net.mean_cost(X, Y), rel=1e-12)


def test_no_accuracy_for_one_output_with_targets_not_0_or_1():
    nets = [bp.Network([2, 3, 1], activation="tanh", seed=s) for s in range(2)]
    X = np.random.default_rng(0).standard_normal((2, 8))
    h = bp.train_together(nets, X, 0.3 * X[:1], 2, 4, 0.1, validation=(X, 0.3 * X[:1]))
    assert h.val_accuracy is None and h.val_cost.shape == (2, 2)


def net(**kw):
    args = {"sizes": [2, 3, 1], "activation": "sigmoid", "seed": 0} | kw
    return bp.Network(**args)


X2, Y2 = np.zeros((2, 4)), np.zeros((1, 4))


@pytest.mark.parametrize(
    "nets,kw,exc,pattern",
    [
        ([], {}, ValueError, r"nets must hold at least one Network; got an empty list"),
        (net(), {}, TypeError, r"nets must be a list of Networks .*single Network"),
        ("abc", {}, TypeError, r"nets must be a list of backprop_lib.Networks"),
        ([net(), "x"], {}, TypeError, r"nets\[1\] must be a backprop_lib.Network"),
        (
            [net(), net(sizes=[2, 4, 1])],
            {},
            ValueError,
            r"nets\[1\] has sizes \[2, 4, 1\] but nets\[0\] has \[2, 3, 1\]",
        ),
        (
            [net(), net(seed=1), net(activation="tanh", output_activation="sigmoid")],
            {},
            ValueError,
            r"nets\[2\] has activation 'tanh' but nets\[0\] has 'sigmoid'",
        ),
        (
            [net(), net(output_activation="linear")],
            {},
            ValueError,
            r"nets\[1\] has output_activation 'linear' but nets\[0\] has 'sigmoid'",
        ),
        (
            [net(), net(cost="cross_entropy")],
            {},
            ValueError,
            r"nets\[1\] has cost 'cross_entropy' but nets\[0\] has 'quadratic'",
        ),
        (
            [net(), net(dtype=np.float32)],
            {},
            ValueError,
            r"nets\[1\] has dtype 'float32' but nets\[0\] has 'float64'",
        ),
        ([net()], {"epochs": 0}, ValueError, r"epochs must be a positive integer"),
        ([net()], {"epochs": 2.0}, TypeError, r"epochs must be a positive integer"),
        ([net()], {"batch_size": True}, TypeError, r"batch_size must be a positive"),
        ([net()], {"eta": -0.1}, ValueError, r"eta must be a positive, finite number"),
        ([net()], {"eta": float("nan")}, ValueError, r"eta must be a positive"),
        ([net()], {"rng": -1}, TypeError, r"rng must be a numpy Generator"),
        ([net()], {"X": np.zeros((3, 4))}, ValueError, r"X must have shape \(2, N\)"),
        (
            [net()],
            {"Y": np.zeros((1, 5))},
            ValueError,
            r"X has 4 examples \(columns\) but Y has 5",
        ),
        (
            [net(cost="cross_entropy")],
            {"Y": np.full((1, 4), 2.0)},
            ValueError,
            r"Y: cross_entropy targets must lie in \[0, 1\]",
        ),
        ([net()], {"validation": X2}, TypeError, r"validation must be a pair"),
        (
            [net()],
            {"validation": (X2, np.zeros((2, 4)))},
            ValueError,
            r"validation Y must have shape \(1, N\)",
        ),
    ],
)
def test_errors_name_the_argument(nets, kw, exc, pattern):
    args = {"X": X2, "Y": Y2, "epochs": 1, "batch_size": 2, "eta": 0.1} | kw
    with pytest.raises(exc, match=pattern):
        bp.train_together(
            nets,
            args.pop("X"),
            args.pop("Y"),
            args.pop("epochs"),
            args.pop("batch_size"),
            args.pop("eta"),
            **args,
        )


def test_the_same_network_twice_is_refused():
    a = net()
    with pytest.raises(ValueError, match=r"nets\[2\] is the same Network as nets\[0\]"):
        bp.train_together([a, net(seed=1), a], X2, Y2, 1, 2, 0.1)


def test_a_network_with_broken_weights_is_refused():
    bad = net(seed=1)
    bad.W[1] = np.zeros((3, 3))
    with pytest.raises(ValueError, match=r"W\[1\] has shape \(3, 3\)"):
        bp.train_together([net(), bad], X2, Y2, 1, 2, 0.1)


def test_a_hidden_activation_that_is_not_elementwise_is_refused():
    """Registered hidden activations are all elementwise; one that is not (its
    Jacobian not diagonal) has no f'(z) to stack, and is named in the error."""
    mixing = bp.Activation(
        "mixing", lambda z: z - z.mean(axis=0), None, elementwise=False
    )
    nets = [bp.Network([2, 3, 1], activation=mixing, output_activation="sigmoid")]
    with pytest.raises(ValueError, match=r"hidden activation 'mixing', which is not"):
        bp.train_together(nets, X2, Y2, 1, 2, 0.1)


def test_divergence_names_the_network():
    nets = [net(activation="linear", seed=s) for s in range(3)]
    X = np.random.default_rng(0).standard_normal((2, 20))
    with pytest.raises(ValueError, match=r"the cost of nets\[\d\] is not finite"):
        bp.train_together(nets, 10 * X, X[:1], 30, 20, 50.0)
