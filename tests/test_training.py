"""Training (``bp.train``) and the fast path of ``Network.backward``.

Every test compares against something independent: the network's own ``sgd_step``
and ``backward`` driven by hand, ``mean_cost``, the plain ``sigmoid``/``sigmoid_prime``
functions, copies taken before a call, or a fresh network.
"""

from __future__ import annotations

import copy
import subprocess
import sys
import warnings

import numpy as np
import pytest

import backprop_lib as bp
from backprop_lib.activations import ACTIVATIONS
from backprop_lib.training import accuracy

ELEMENTWISE = [name for name, act in ACTIVATIONS.items() if act.elementwise]


def blobs(rng, n=60):
    """Two well separated Gaussian blobs in 2-D, one-hot targets (learnable)."""
    labels = rng.integers(0, 2, n)
    centres = np.array([[-1.5, 1.5], [1.5, -1.5]])
    X = centres[:, labels] + 0.5 * rng.standard_normal((2, n))
    return X, np.eye(2)[:, labels]


def softmax_net(seed=0, dtype=np.float64, sizes=(2, 5, 2)):
    return bp.Network(
        list(sizes),
        activation="tanh",
        output_activation="softmax",
        cost="cross_entropy",
        seed=seed,
        dtype=dtype,
    )


# ------------------------------------------------------------------ training
def test_cost_decreases_on_a_learnable_problem():
    rng = np.random.default_rng(0)
    X, Y = blobs(rng)
    net = softmax_net()
    before = net.mean_cost(X, Y)
    history = bp.train(net, X, Y, epochs=20, batch_size=8, eta=0.5, progress=False)
    after = net.mean_cost(X, Y)
    assert after < 0.2 * before
    assert history.epochs == 20
    assert history.train_cost[-1] < history.train_cost[0]
    assert history.train_accuracy[-1] == 1.0


def test_plain_sgd_equals_a_loop_of_sgd_steps_bit_for_bit():
    rng = np.random.default_rng(1)
    X, Y = blobs(rng, n=23)  # 23 = 4 batches of 5 and one of 3
    net = softmax_net(seed=3)
    by_hand = net.copy()
    bp.train(
        net, X, Y, epochs=3, batch_size=5, eta=0.3, rng=np.random.default_rng(7),
        progress=False,
    )  # fmt: skip
    shuffle = np.random.default_rng(7)
    for _ in range(3):
        order = shuffle.permutation(23)
        for start in range(0, 23, 5):
            idx = order[start : start + 5]
            by_hand.sgd_step(X[:, idx], Y[:, idx], 0.3)
    for ell in (1, 2):
        np.testing.assert_array_equal(net.W[ell], by_hand.W[ell])
        np.testing.assert_array_equal(net.b[ell], by_hand.b[ell])


def test_momentum_matches_the_heavy_ball_rule_applied_by_hand():
    rng = np.random.default_rng(2)
    X, Y = blobs(rng, n=12)
    net = softmax_net(seed=4, sizes=(2, 4, 3, 2))
    by_hand = net.copy()
    eta, mu = 0.2, 0.8
    bp.train(net, X, Y, 4, 4, eta, momentum=mu, rng=11, progress=False)
    shuffle = np.random.default_rng(11)
    vW = [None] + [np.zeros_like(w) for w in by_hand.W[1:]]
    vb = [None] + [np.zeros_like(b) for b in by_hand.b[1:]]
    for _ in range(4):
        order = shuffle.permutation(12)
        for start in range(0, 12, 4):
            idx = order[start : start + 4]
            r = by_hand.backward(X[:, idx], Y[:, idx])
            for ell in range(1, by_hand.L + 1):
                vW[ell] = mu * vW[ell] - eta * r.grad_W[ell]
                vb[ell] = mu * vb[ell] - eta * r.grad_b[ell]
                by_hand.W[ell] = by_hand.W[ell] + vW[ell]
                by_hand.b[ell] = by_hand.b[ell] + vb[ell]
    for ell in range(1, net.L + 1):
        np.testing.assert_allclose(net.W[ell], by_hand.W[ell], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(net.b[ell], by_hand.b[ell], rtol=1e-12, atol=1e-14)


def test_same_rng_same_weights_other_rng_other_weights():
    rng = np.random.default_rng(3)
    X, Y = blobs(rng, n=30)
    nets = [softmax_net(seed=1) for _ in range(3)]
    bp.train(nets[0], X, Y, 3, 4, 0.2, rng=5, momentum=0.5, progress=False)
    bp.train(
        nets[1], X, Y, 3, 4, 0.2, rng=np.random.default_rng(5), momentum=0.5,
        progress=False,
    )  # fmt: skip
    bp.train(nets[2], X, Y, 3, 4, 0.2, rng=6, momentum=0.5, progress=False)
    np.testing.assert_array_equal(nets[0].W[1], nets[1].W[1])
    np.testing.assert_array_equal(nets[0].b[2], nets[1].b[2])
    assert not np.array_equal(nets[0].W[1], nets[2].W[1])


def test_full_batch_first_epoch_cost_is_the_cost_before_training():
    rng = np.random.default_rng(4)
    X, Y = blobs(rng, n=17)
    net = softmax_net(seed=2)
    before = net.mean_cost(X, Y)
    h = bp.train(net, X, Y, 2, batch_size=100, eta=0.1, progress=False)
    assert h.train_cost[0] == pytest.approx(before, rel=1e-12)
    assert h.train_cost[1] == pytest.approx(h.train_cost[1], rel=1e-12)


def test_validation_metrics_are_those_of_the_trained_network():
    rng = np.random.default_rng(5)
    X, Y = blobs(rng, n=40)
    Xv, Yv = blobs(rng, n=25)
    net = softmax_net(seed=5)
    h = bp.train(net, X, Y, 3, 8, 0.3, validation=(Xv, Yv), progress=False)
    assert len(h.val_cost) == len(h.val_accuracy) == 3
    assert h.val_cost[-1] == pytest.approx(net.mean_cost(Xv, Yv), rel=1e-12)
    out = net.predict(Xv)
    correct = np.mean(np.argmax(out, axis=0) == np.argmax(Yv, axis=0))
    assert h.val_accuracy[-1] == pytest.approx(correct)


def test_float32_training_stays_float32_and_tracks_float64():
    rng = np.random.default_rng(6)
    X, Y = blobs(rng, n=40)
    net64 = softmax_net(seed=6)
    net32 = net64.copy(dtype=np.float32)
    h32 = bp.train(net32, X, Y, 5, 8, 0.2, momentum=0.5, rng=1, progress=False)
    bp.train(net64, X, Y, 5, 8, 0.2, momentum=0.5, rng=1, progress=False)
    for ell in (1, 2):
        assert net32.W[ell].dtype == np.float32
        assert net32.b[ell].dtype == np.float32
        # documented: float32 agrees with float64 to about 1e-7 relative per step;
        # after 25 steps the weights agree to 1e-4
        np.testing.assert_allclose(net32.W[ell], net64.W[ell], rtol=1e-4, atol=1e-5)
    assert all(np.isfinite(h32.train_cost))


def test_float32_gradients_match_float64_to_documented_tolerance():
    rng = np.random.default_rng(7)
    net64 = bp.Network([20, 16, 16, 5], seed=3)
    net32 = net64.copy(dtype=np.float32)
    X, Y = rng.random((20, 32)), rng.random((5, 32))
    r32, r64 = net32.backward(X, Y), net64.backward(X, Y)
    for ell in (1, 2, 3):
        assert r32.grad_W[ell].dtype == np.float32
        assert bp.relative_error(r32.grad_W[ell], r64.grad_W[ell]) < 1e-5
        assert bp.relative_error(r32.grad_b[ell], r64.grad_b[ell]) < 1e-5


def test_callers_data_is_neither_changed_nor_kept():
    rng = np.random.default_rng(8)
    X, Y = blobs(rng, n=20)
    X32 = X.astype(np.float32)
    X0, Y0 = X.copy(), Y.copy()
    net = softmax_net(seed=1)
    bp.train(net, X, Y, 2, 3, 0.1, progress=False)
    bp.train(net.copy(dtype=np.float32), X32, Y, 2, 3, 0.1, progress=False)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)
    np.testing.assert_array_equal(X32, X0.astype(np.float32))


def test_callback_gets_each_epoch_and_can_stop_early():
    rng = np.random.default_rng(9)
    X, Y = blobs(rng, n=20)
    seen = []

    def callback(report):
        seen.append(report)
        assert report.net is net
        assert report.history.train_cost[-1] == report.train_cost
        return report.epoch == 3

    net = softmax_net()
    h = bp.train(net, X, Y, 10, 5, 0.1, callback=callback, progress=False)
    assert [r.epoch for r in seen] == [1, 2, 3]
    assert [r.steps for r in seen] == [4, 8, 12]
    assert h.epochs == 3 and h.stopped_early
    assert seen[-1].val_cost is None and seen[-1].seconds >= 0

    net = softmax_net()
    h = bp.train(net, X, Y, 2, 5, 0.1, callback=lambda r: None, progress=False)
    assert h.epochs == 2 and not h.stopped_early


def test_progress_bar_in_a_terminal(capsys):
    rng = np.random.default_rng(10)
    X, Y = blobs(rng, n=10)
    bp.train(softmax_net(), X, Y, 3, 5, 0.1, progress=True)
    err = capsys.readouterr().err
    assert "3/3" in err and "epoch" in err
    bp.train(softmax_net(), X, Y, 3, 5, 0.1, progress=False)
    assert capsys.readouterr().err == ""


def test_without_tqdm_training_warns_and_still_runs(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # makes the import fail
    rng = np.random.default_rng(11)
    X, Y = blobs(rng, n=10)
    with pytest.warns(UserWarning, match="pip install tqdm"):
        h = bp.train(softmax_net(), X, Y, 2, 5, 0.1)
    assert h.epochs == 2


def test_importing_the_core_does_not_import_tqdm():
    code = "import sys, backprop_lib; print('tqdm' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_accuracy_of_one_output_unit():
    out = np.array([[0.2, 0.7, 0.5, 0.4]])
    assert accuracy(out, np.array([[0.0, 1.0, 1.0, 1.0]])) == pytest.approx(0.75)
    assert accuracy(out, np.array([[0.3, 1.0, 1.0, 1.0]])) is None


def _train_args():
    rng = np.random.default_rng(0)
    X, Y = blobs(rng, n=10)
    return softmax_net(), X, Y


BAD = [
    ("net", lambda n, X, Y: bp.train("net", X, Y, 1, 2, 0.1), TypeError, r"net must"),
    ("epochs 0", lambda n, X, Y: bp.train(n, X, Y, 0, 2, 0.1), ValueError, r"epochs"),
    ("epochs float", lambda n, X, Y: bp.train(n, X, Y, 2.0, 2, 0.1), TypeError, "epo"),
    ("epochs bool", lambda n, X, Y: bp.train(n, X, Y, True, 2, 0.1), TypeError, "epo"),
    ("batch 0", lambda n, X, Y: bp.train(n, X, Y, 1, 0, 0.1), ValueError, r"batch_s"),
    ("batch str", lambda n, X, Y: bp.train(n, X, Y, 1, "5", 0.1), TypeError, "batch"),
    ("eta 0", lambda n, X, Y: bp.train(n, X, Y, 1, 2, 0), ValueError, r"eta must"),
    ("eta inf", lambda n, X, Y: bp.train(n, X, Y, 1, 2, np.inf), ValueError, r"eta"),
    (
        "momentum 1",
        lambda n, X, Y: bp.train(n, X, Y, 1, 2, 0.1, momentum=1.0),
        ValueError,
        r"momentum must be in \[0, 1\)",
    ),
    (
        "momentum negative",
        lambda n, X, Y: bp.train(n, X, Y, 1, 2, 0.1, momentum=-0.1),
        ValueError,
        r"momentum",
    ),
    (
        "momentum nan",
        lambda n, X, Y: bp.train(n, X, Y, 1, 2, 0.1, momentum=float("nan")),
        ValueError,
        r"momentum",
    ),
    (
        "momentum str",
        lambda n, X, Y: bp.train(n, X, Y, 1, 2, 0.1, momentum="0.9"),
        TypeError,
        r"momentum",
    ),
    (
        "rng str",
        lambda n, X, Y: bp.train(n, X, Y, 1, 2, 0.1, rng="seed"),
        TypeError,
        r"rng must be a numpy Generator",
    ),
    (
        "rng negative",
        lambda n, X, Y: bp.train(n, X, Y, 1, 2, 0.1, rng=-1),
        TypeError,
        r"rng must",
    ),
    (
        "callback",
        lambda n, X, Y: bp.train(n, X, Y, 1, 2, 0.1, callback=3),
        TypeError,
        r"callback must be a function",
    ),
    (
        "progress",
        lambda n, X, Y: bp.train(n, X, Y, 1, 2, 0.1, progress="yes"),
        TypeError,
        r"progress must be True or False",
    ),
    (
        "X 1-D",
        lambda n, X, Y: bp.train(n, X[0], Y, 1, 2, 0.1),
        ValueError,
        r"X must have shape \(2, N\)",
    ),
    (
        "X rows",
        lambda n, X, Y: bp.train(n, X.T, Y, 1, 2, 0.1),
        ValueError,
        r"X must have shape \(2, N\).*got shape \(10, 2\)",
    ),
    (
        "Y rows",
        lambda n, X, Y: bp.train(n, X, Y[:1], 1, 2, 0.1),
        ValueError,
        r"Y must have shape \(2, N\)",
    ),
    (
        "counts differ",
        lambda n, X, Y: bp.train(n, X, Y[:, :7], 1, 2, 0.1),
        ValueError,
        r"X has 10 examples \(columns\) but Y has 7",
    ),
    (
        "X nan",
        lambda n, X, Y: bp.train(n, np.where(X > 1, np.nan, X), Y, 1, 2, 0.1),
        ValueError,
        r"X must be finite; entry",
    ),
    (
        "X strings",
        lambda n, X, Y: bp.train(n, X.astype(str), Y, 1, 2, 0.1),
        TypeError,
        r"X must contain real numbers",
    ),
    (
        "targets not distributions",
        lambda n, X, Y: bp.train(n, X, 2 * Y, 1, 2, 0.1),
        ValueError,
        r"Y: cross_entropy targets",
    ),
    (
        "validation not a pair",
        lambda n, X, Y: bp.train(n, X, Y, 1, 2, 0.1, validation=X),
        TypeError,
        r"validation must be a pair",
    ),
    (
        "validation shape",
        lambda n, X, Y: bp.train(n, X, Y, 1, 2, 0.1, validation=(X[:1], Y)),
        ValueError,
        r"validation X must have shape \(2, N\)",
    ),
]


@pytest.mark.parametrize(
    ("what", "call", "exc", "pattern"), BAD, ids=[b[0] for b in BAD]
)
def test_bad_arguments_raise_clear_errors(what, call, exc, pattern):
    net, X, Y = _train_args()
    W_before = net.W[1].copy()
    with pytest.raises(exc, match=pattern):
        call(net, X, Y)
    np.testing.assert_array_equal(net.W[1], W_before)  # nothing was trained


# ------------------------------------------------- the fast path of backward
def snapshot(result):
    arrays = [result.costs]
    for ell in range(1, len(result.delta)):
        arrays += [
            result.delta[ell],
            result.grad_W[ell],
            result.grad_b[ell],
            result.trace.z[ell],
            result.trace.a[ell],
        ]
    return [a.copy() for a in arrays], arrays


def test_a_result_the_caller_keeps_is_never_overwritten():
    rng = np.random.default_rng(12)
    net = bp.Network([6, 5, 4, 3], seed=1)
    batches = [(rng.random((6, 8)), rng.random((3, 8))) for _ in range(4)]
    kept = net.backward(*batches[0])
    copies, arrays = snapshot(kept)
    view = net.backward(*batches[1]).grad_W[1][:, :2]  # only a view survives
    view_copy = view.copy()
    for X, Y in batches[2:] * 3:
        net.backward(X, Y)
        r = net.backward(X, Y)  # holds the previous result while computing
    for before, now in zip(copies, arrays):
        np.testing.assert_array_equal(now, before)
    np.testing.assert_array_equal(view, view_copy)
    for a in arrays:
        for ell in range(1, 4):
            assert not np.shares_memory(a, r.grad_W[ell])
            assert not np.shares_memory(a, r.delta[ell])


def test_recycled_results_equal_those_of_a_fresh_network():
    rng = np.random.default_rng(13)
    net = bp.Network([5, 7, 3], activation="relu", seed=2)
    X, Y = rng.standard_normal((5, 9)), rng.random((3, 9))
    for _ in range(3):
        r = net.backward(X, Y)
        fresh = net.copy().backward(X, Y)
        for ell in (1, 2):
            np.testing.assert_array_equal(r.grad_W[ell], fresh.grad_W[ell])
            np.testing.assert_array_equal(r.delta[ell], fresh.delta[ell])
        assert r.cost == fresh.cost


def test_results_are_fresh_by_default_and_reused_only_on_request():
    rng = np.random.default_rng(14)
    net = bp.Network([5, 4, 3], seed=0)
    X, Y = rng.random((5, 6)), rng.random((3, 6))
    kept = net.backward(X, Y)
    before = kept.grad_W[1].copy()
    net.W[1] += 1.0  # a different gradient next time
    again = net.backward(X, Y)
    assert not np.shares_memory(kept.grad_W[1], again.grad_W[1])
    np.testing.assert_array_equal(kept.grad_W[1], before)  # never overwritten
    first = net.backward(X, Y, reuse=True)
    second = net.backward(X, Y, reuse=True)
    assert np.shares_memory(first.grad_W[1], second.grad_W[1])  # as documented
    np.testing.assert_array_equal(second.grad_W[1], again.grad_W[1])
    with pytest.raises(TypeError, match="reuse must be True or False"):
        net.backward(X, Y, reuse="yes")


def test_default_results_recycle_only_arrays_nothing_refers_to():
    # the default pass takes the arrays of results already dropped: what is kept,
    # a whole result or one view into it, must never change
    rng = np.random.default_rng(16)
    net = bp.Network([5, 4, 3], seed=0)
    X, Y = rng.random((5, 6)), rng.random((3, 6))
    kept, views, expected = [], [], []
    for step in range(8):
        net.W[1] += 0.5  # a different gradient each pass
        r = net.backward(X, Y)
        if step % 3 == 0:
            kept.append((r, [g.copy() for g in r.grad_W[1:]], r.delta[1].copy()))
        if step % 3 == 1:
            views.append(r.trace.z[1][:, 2])  # a view keeps its array from reuse
            expected.append(views[-1].copy())
        del r
    for r, grads, delta1 in kept:
        for g, before in zip(r.grad_W[1:], grads):
            np.testing.assert_array_equal(g, before)
        np.testing.assert_array_equal(r.delta[1], delta1)
    for v, before in zip(views, expected):
        np.testing.assert_array_equal(v, before)


def test_network_deepcopies_after_backward_without_its_workspace():
    rng = np.random.default_rng(15)
    net = bp.Network([3, 4, 2], seed=0)
    X, Y = rng.random((3, 5)), rng.random((2, 5))
    r = net.backward(X, Y)
    for other in (copy.deepcopy(net), copy.copy(net)):
        assert "_workspace" not in vars(other)
        np.testing.assert_array_equal(other.backward(X, Y).grad_W[1], r.grad_W[1])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_value_and_prime_agrees_with_f_and_prime(name):
    act = bp.get_activation(name)
    z = np.concatenate([np.linspace(-700, 700, 201), [-40.0, -1e-3, 0.0, 1e-3, 40.0]])
    z = z.reshape(-1, 1) + 0.1 * (name == "relu")  # relu: stay off the kink
    a, p = act.value_and_prime(z)
    np.testing.assert_allclose(a, act.f(z), rtol=1e-14, atol=0)
    np.testing.assert_allclose(p, act.prime(z, act.f(z)), rtol=1e-13, atol=0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_sigmoid_is_finite_and_silent_far_into_both_tails(dtype):
    z = np.array([[-1e4], [-745.0], [-710.0], [-700.0], [-100.0], [-89.0], [-87.0],
                  [-50.0], [0.0],
                  [50.0], [100.0], [1e4]], dtype=dtype)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, p = bp.get_activation("sigmoid").value_and_prime(z)
    assert a.dtype == p.dtype == dtype
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(p))
    exact_a = bp.sigmoid(z.astype(np.float64))
    exact_p = bp.sigmoid_prime(z.astype(np.float64))
    tiny = 1e-300 if dtype == np.float64 else 1e-37  # below: the capped tail
    np.testing.assert_allclose(a, exact_a, rtol=1e-6 if dtype == np.float32 else 1e-14,
                               atol=tiny)  # fmt: skip
    np.testing.assert_allclose(p, exact_p, rtol=1e-5 if dtype == np.float32 else 1e-13,
                               atol=tiny)  # fmt: skip


def test_float32_network_with_extreme_preactivations_stays_finite():
    W = [np.array([[1000.0, 0.0], [-1000.0, 0.0]]), np.array([[1.0, -1.0]])]
    b = [np.zeros((2, 1)), np.zeros((1, 1))]
    net = bp.Network.from_params(W, b, dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = net.backward(np.array([[1.0, -1.0], [0.5, 0.5]]), np.array([[0.0, 1.0]]))
    for ell in (1, 2):
        assert np.all(np.isfinite(r.delta[ell])) and np.all(np.isfinite(r.grad_W[ell]))
    r64 = net.copy(dtype=np.float64).backward(
        np.array([[1.0, -1.0], [0.5, 0.5]]), np.array([[0.0, 1.0]])
    )
    np.testing.assert_allclose(r.grad_W[2], r64.grad_W[2], rtol=1e-5, atol=1e-30)


def test_sigmoid_prime_from_the_forward_pass_is_exact_where_one_minus_a_is_not():
    z = np.array([[40.0], [-40.0], [600.0]])
    _, p = bp.get_activation("sigmoid").value_and_prime(z)
    expected = np.exp(-np.abs(z))  # σ'(z) = e^{-|z|} (1 + e^{-|z|})^{-2} ≈ e^{-|z|}
    np.testing.assert_allclose(p, expected, rtol=1e-14)
    a = bp.sigmoid(z)
    assert (a * (1 - a))[0, 0] == 0.0  # the shortcut σ(1 − σ) would give 0 here


def test_forward_and_backward_traces_agree():
    rng = np.random.default_rng(16)
    for act in ("sigmoid", "tanh", "relu"):
        net = bp.Network([4, 6, 3], activation=act, seed=1)
        X, Y = 3 * rng.standard_normal((4, 5)), rng.random((3, 5))
        t, r = net.forward(X), net.backward(X, Y)
        for ell in (1, 2):
            np.testing.assert_allclose(r.trace.z[ell], t.z[ell], rtol=1e-14, atol=1e-15)
            np.testing.assert_allclose(r.trace.a[ell], t.a[ell], rtol=1e-14)


def test_fast_input_path_gives_the_same_errors_and_values():
    net = bp.Network([2, 3, 2], seed=0)
    X = np.ones((2, 4))
    X[1, 2] = np.nan
    with pytest.raises(ValueError, match=r"x must be finite; entry \(1, 2\)"):
        net.backward(X, np.zeros((2, 4)))
    Y = np.zeros((2, 4))
    Y[0, 3] = np.inf
    with pytest.raises(ValueError, match=r"y must be finite; entry \(0, 3\)"):
        net.backward(np.ones((2, 4)), Y)
    with pytest.raises(ValueError, match=r"y has 3 examples \(columns\) but x has 4"):
        net.backward(np.ones((2, 4)), np.zeros((2, 3)))
    # non-contiguous and other-dtype inputs give the values of a contiguous copy
    rng = np.random.default_rng(17)
    big = rng.random((4, 10))
    strided = big[::2, ::2]
    Yt = rng.random((2, 5))
    a = net.backward(strided, Yt)
    b = net.backward(np.ascontiguousarray(strided), Yt)
    c = net.backward(strided.astype(np.float32), Yt.astype(np.float32))
    np.testing.assert_array_equal(a.grad_W[1], b.grad_W[1])
    np.testing.assert_allclose(c.grad_W[1], b.grad_W[1], rtol=1e-5)


def test_finite_input_whose_sum_overflows_is_accepted():
    W = [np.full((1, 2), 1e-30, dtype=np.float32)]
    b = [np.zeros((1, 1), dtype=np.float32)]
    net = bp.Network.from_params(W, b, activation="linear", dtype=np.float32)
    X = np.full((2, 3), 3e38, dtype=np.float32)  # finite; its sum is inf in float32
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no overflow warning either
        out = net.predict(X)
        net.backward(X, np.zeros((1, 3), dtype=np.float32))
    np.testing.assert_allclose(out, np.full((1, 3), 6e8), rtol=1e-5)


# ---------------------------------------------------- weight decay and clipping
def fd_gradient(f, params, eps=1e-6):
    """Central differences of the scalar f() with respect to every entry of params."""
    grads = []
    for p in params:
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + eps
            plus = f()
            p[idx] = old - eps
            minus = f()
            p[idx] = old
            g[idx] = (plus - minus) / (2 * eps)
        grads.append(g)
    return grads


@pytest.mark.parametrize("lam", [0.0, 0.05, 1.3])
def test_weight_decay_step_follows_finite_differences_of_the_regularised_cost(lam):
    rng = np.random.default_rng(11)
    X, Y = blobs(rng, n=9)
    net = softmax_net(seed=5, sizes=(2, 4, 3, 2))
    work = net.copy()
    params = work.W[1:] + work.b[1:]
    fd = fd_gradient(lambda: bp.regularised_cost(work, X, Y, lam), params)
    eta = 0.3
    bp.train(net, X, Y, epochs=1, batch_size=9, eta=eta, weight_decay=lam,
             progress=False)  # fmt: skip
    for p_after, p_before, g in zip(net.W[1:] + net.b[1:], params, fd):
        np.testing.assert_allclose(p_after, p_before - eta * g, rtol=0, atol=1e-8)


def test_regularised_cost_is_the_cost_plus_half_lambda_sum_of_squared_weights():
    rng = np.random.default_rng(12)
    X, Y = blobs(rng, n=7)
    net = softmax_net(seed=6)
    squares = sum(float((w**2).sum()) for w in net.W[1:])  # biases left out
    assert bp.regularised_cost(net, X, Y, 0.2) == pytest.approx(
        net.mean_cost(X, Y) + 0.1 * squares, rel=1e-13
    )


def test_weight_decay_shrinks_weights_but_not_biases_when_the_gradient_is_zero():
    # a network whose targets equal its outputs has zero cost gradient (quadratic
    # cost): the step is then pure decay, W ← (1 − ηλ) W, and b stays
    rng = np.random.default_rng(13)
    net = bp.Network([2, 3, 2], activation="tanh", seed=1)
    X = rng.standard_normal((2, 5))
    Y = net.predict(X)
    before = net.copy()
    bp.train(net, X, Y, epochs=1, batch_size=5, eta=0.1, weight_decay=0.5,
             progress=False)  # fmt: skip
    for ell in (1, 2):
        np.testing.assert_allclose(net.W[ell], 0.95 * before.W[ell], rtol=1e-12)
        np.testing.assert_array_equal(net.b[ell], before.b[ell])


def test_clipping_leaves_small_gradients_alone_and_scales_large_ones():
    rng = np.random.default_rng(14)
    X, Y = blobs(rng, n=10)
    net = softmax_net(seed=7)
    r = net.backward(X, Y)
    norm = np.sqrt(sum((g**2).sum() for g in r.grad_W[1:] + r.grad_b[1:]))
    eta = 0.4
    # clip_norm above the norm: exactly the unclipped step
    loose, plain = net.copy(), net.copy()
    h = bp.train(loose, X, Y, epochs=1, batch_size=10, eta=eta,
                 clip_norm=2 * norm, progress=False)  # fmt: skip
    bp.train(plain, X, Y, epochs=1, batch_size=10, eta=eta, progress=False)
    assert h.clipped == [0]
    for ell in (1, 2):
        np.testing.assert_array_equal(loose.W[ell], plain.W[ell])
    # clip_norm at a quarter of the norm: a quarter of the unclipped step, same
    # direction, and the step's length is η · clip_norm
    tight = net.copy()
    h = bp.train(tight, X, Y, epochs=1, batch_size=10, eta=eta,
                 clip_norm=norm / 4, progress=False)  # fmt: skip
    assert h.clipped == [1]
    steps_tight = [
        t - n for t, n in zip(tight.W[1:] + tight.b[1:], net.W[1:] + net.b[1:])
    ]
    steps_plain = [
        p - n for p, n in zip(plain.W[1:] + plain.b[1:], net.W[1:] + net.b[1:])
    ]
    for st, sp in zip(steps_tight, steps_plain):
        np.testing.assert_allclose(st, sp / 4, rtol=1e-10, atol=1e-15)
    length = np.sqrt(sum((s**2).sum() for s in steps_tight))
    assert length == pytest.approx(eta * norm / 4, rel=1e-10)


def test_clipping_applies_to_the_decayed_gradient():
    rng = np.random.default_rng(15)
    X, Y = blobs(rng, n=6)
    net = softmax_net(seed=8)
    lam, c, eta = 0.7, 0.05, 0.2
    work = net.copy()
    params = work.W[1:] + work.b[1:]
    g = fd_gradient(lambda: bp.regularised_cost(work, X, Y, lam), params)
    norm = np.sqrt(sum((gi**2).sum() for gi in g))
    assert norm > c
    bp.train(net, X, Y, epochs=1, batch_size=6, eta=eta, weight_decay=lam,
             clip_norm=c, progress=False)  # fmt: skip
    for after, before, gi in zip(net.W[1:] + net.b[1:], params, g):
        np.testing.assert_allclose(after, before - eta * gi * c / norm, atol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "exc", "pattern"),
    [
        ({"weight_decay": -0.1}, ValueError, "weight_decay must be a finite number"),
        ({"weight_decay": float("nan")}, ValueError, "weight_decay must be"),
        ({"weight_decay": "0.1"}, TypeError, "weight_decay must be a number"),
        ({"weight_decay": True}, TypeError, "weight_decay must be a number"),
        ({"clip_norm": 0}, ValueError, "clip_norm must be None .* positive"),
        ({"clip_norm": float("inf")}, ValueError, "clip_norm must be None"),
        ({"clip_norm": "5"}, TypeError, "clip_norm must be None"),
    ],
)
def test_weight_decay_and_clip_norm_refuse_bad_values(kwargs, exc, pattern):
    rng = np.random.default_rng(16)
    X, Y = blobs(rng, n=4)
    net = softmax_net()
    before = net.copy()
    with pytest.raises(exc, match=pattern):
        bp.train(net, X, Y, epochs=1, batch_size=2, eta=0.1, progress=False, **kwargs)
    np.testing.assert_array_equal(net.W[1], before.W[1])  # nothing trained
    with pytest.raises(TypeError, match=r"net must be a backprop_lib\.Network"):
        bp.regularised_cost("net", X, Y, 0.1)
