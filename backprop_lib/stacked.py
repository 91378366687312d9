"""Train many same-shaped networks at once: plain SGD on stacked weight arrays.

To check a claim over many draws of the starting weights (``seed=0..49``), the book
trains 50 networks that differ only in their weights on the same data with the same
shuffling. One :func:`~backprop_lib.train` call per network repeats the same small
matrix products 50 times; :func:`train_together` stacks the 50 weight matrices of
each layer into one array of shape ``(K, n_ell, n_(ell-1))`` and runs each step's
forward and backward pass (BP1–BP4) for all K networks in one batched product
(``np.matmul`` on stacks). Network k ends as ``bp.train(nets[k], ...)`` with the same
arguments and ``momentum=0`` would leave it: the same arithmetic in the same order,
so bit for bit wherever numpy's batched matrix products round as its single ones do
(they do in the tests), and to rounding otherwise. Chaotic runs (the chapter
"Watch δ propagate" shows one) can then still end apart, as ``bp.train`` runs do
across machines.

The hidden layers work on ``(K, n_ell, m)`` stacks, one ``(n_ell, m)`` mini-batch per
network. The output layer and the cost are the registries' own rules
(``ACTIVATIONS``, ``COSTS``), called on the K mini-batches side by side as one
``(n_L, K m)`` batch, so that softmax and every cost work unchanged: each rule acts
column by column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._checks import check_integer, check_positive_number
from .network import Network
from .training import _check_data, _check_rng, _check_validation, accuracy

__all__ = ["StackedHistory", "train_together"]


@dataclass
class StackedHistory:
    """Per-epoch record of a :func:`train_together` run, one row per network.

    ``train_cost[k, e]`` is what ``bp.train``'s ``history.train_cost[e]`` would be for
    ``nets[k]``: the mean over epoch e + 1 of each mini-batch's cost, taken before the
    step on it. ``val_cost`` and ``val_accuracy`` are the cost and accuracy (see
    :func:`~backprop_lib.training.accuracy`) on the validation data after each epoch,
    ``None`` without validation data; ``val_accuracy`` is also ``None`` when
    ``accuracy`` has none (one output unit, targets not all 0 or 1). All arrays have
    shape ``(len(nets), epochs)``.
    """

    train_cost: np.ndarray
    val_cost: np.ndarray | None = None
    val_accuracy: np.ndarray | None = None

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return self.train_cost.shape[1]


def _check_nets(nets: object) -> list[Network]:
    """A non-empty list of distinct networks of one shape, activations, cost, dtype."""
    if isinstance(nets, Network):
        raise TypeError(
            "nets must be a list of Networks (train one network with bp.train); "
            "got a single Network"
        )
    if not isinstance(nets, Sequence) or isinstance(nets, (str, bytes)):
        raise TypeError(
            "nets must be a list of backprop_lib.Networks of the same sizes, "
            f"activations, cost and dtype; got {type(nets).__name__}"
        )
    nets = list(nets)
    if not nets:
        raise ValueError("nets must hold at least one Network; got an empty list")
    first = None
    seen: dict[int, int] = {}
    for k, net in enumerate(nets):
        if not isinstance(net, Network):
            raise TypeError(
                f"nets[{k}] must be a backprop_lib.Network; got {type(net).__name__}"
            )
        if id(net) in seen:
            raise ValueError(
                f"nets[{k}] is the same Network as nets[{seen[id(net)]}]; each network "
                "is trained once, so pass distinct networks (net.copy() makes one)"
            )
        seen[id(net)] = k
        net._check_params()
        if first is None:
            first = net
            continue
        for what, mine, theirs in (
            ("sizes", list(net.sizes), list(first.sizes)),
            ("activation", net.activation, first.activation),
            ("output_activation", net.output_activation, first.output_activation),
            ("cost", net.cost_name, first.cost_name),
            ("dtype", net.dtype.name, first.dtype.name),
        ):
            if mine != theirs:
                raise ValueError(
                    f"nets[{k}] has {what} {mine!r} but nets[0] has {theirs!r}; "
                    "train_together trains networks that differ only in their "
                    "weights and biases"
                )
    hidden = first.activation_of(1)
    if first.L > 1 and not hidden.elementwise:
        raise ValueError(
            f"nets have the hidden activation {hidden.name!r}, which is not "
            "elementwise; train_together needs hidden activations with a derivative "
            "f'(z) per unit (one of the registered elementwise activations), or "
            "train each network with bp.train"
        )
    return nets


def _forward(W, b, X, hidden, out, cost, primes):
    """Feedforward for all K networks; return a, f' (hidden), z^L, a^L, f'(z^L).

    ``a[ell]``, ``fprime[ell]`` are ``(K, n_ell, m)`` stacks for the hidden layers
    (``a[0]`` is ``X``, shared). The output layer is returned side by side, as
    ``(n_L, K m)`` arrays whose columns ``k m .. k m + m - 1`` are network k's.
    """
    L = len(W) - 1
    a, fprime = [X] + [None] * L, [None] * (L + 1)
    for ell in range(1, L):
        z = np.matmul(W[ell], a[ell - 1])
        z += b[ell]
        if primes:
            a[ell], fprime[ell] = hidden.value_and_prime(z)
        else:
            a[ell] = hidden.f(z)
    z = np.matmul(W[L], a[L - 1])
    z += b[L]
    K, n_L, m = z.shape
    zL = z.transpose(1, 0, 2).reshape(n_L, K * m)  # the K batches side by side
    pL = None
    if primes and out.elementwise and cost.uses_output_prime:
        aL, pL = out.value_and_prime(zL)
    else:
        aL = out.f(zL)
    return a, fprime, zL, aL, pL


def _side_by_side(Y, K, buffers):
    """``Y`` (n_L, m) repeated for the K networks, as an (n_L, K m) array."""
    n_L, m = Y.shape
    if m not in buffers:
        buffers[m] = np.empty((n_L, K, m), dtype=Y.dtype)
    buffers[m][...] = Y[:, None, :]
    return buffers[m].reshape(n_L, K * m)


def train_together(
    nets,
    X,
    Y,
    epochs: int,
    batch_size: int,
    eta: float,
    *,
    rng=0,
    validation=None,
) -> StackedHistory:
    """Train each network of ``nets`` in place, all at once, by mini-batch SGD.

    The same as ``bp.train(net, X, Y, epochs, batch_size, eta, rng=rng,
    momentum=0)`` for each ``net`` in ``nets`` (each starting from the same ``rng``
    state: every network sees the same shuffled mini-batches), to rounding, but with
    the K networks' weights stacked so that each step is one batched product per
    layer instead of K small ones. Each mini-batch step is

        θ ← θ − η ∂C/∂θ    for every W^ell, b^ell of every network,

    with ∂C/∂θ the gradient of the mean cost over the mini-batch (BP1–BP4).

    Parameters
    ----------
    nets : list of Network
        Distinct networks with the same ``sizes``, ``activation``,
        ``output_activation``, ``cost`` and ``dtype`` (typically the same
        constructor with ``seed=0..K-1``). Their weights and biases are updated in
        place. Every registered hidden activation and (output activation, cost) pair
        works, softmax included; a hidden activation that is not elementwise is
        refused.
    X : array, shape (n_0, N)
        Training inputs, one example per column, shared by all networks.
    Y : array, shape (n_L, N)
        Targets, one column per example. ``X`` and ``Y`` are copied; the caller's
        arrays are never modified.
    epochs : int
        Number of passes over the data.
    batch_size : int
        Examples per mini-batch (the last one of an epoch may be smaller).
    eta : float
        Learning rate η > 0.
    rng : numpy Generator, int or None, default 0
        Source of the shuffling, as in ``bp.train``: one permutation per epoch,
        shared by all networks. A Generator is advanced exactly as ``bp.train``
        advances it for one network.
    validation : tuple (X_val, Y_val), optional
        Data to evaluate every network on after each epoch (cost and accuracy).

    Returns
    -------
    StackedHistory
        Arrays of shape ``(len(nets), epochs)``: each network's training cost per
        epoch and, with validation data, its validation cost and accuracy.

    Momentum, weight decay, clipping, callbacks and the progress bar are
    ``bp.train``'s alone: use it for one network trained with them.
    """
    nets = _check_nets(nets)
    epochs = check_integer(epochs, "epochs", 1)
    batch_size = check_integer(batch_size, "batch_size", 1)
    eta = check_positive_number(eta, "eta")
    rng = _check_rng(rng)
    first = nets[0]
    Xc, Yc = _check_data(first, X, Y, "X", "Y")
    if validation is not None:
        Xv, Yv = _check_validation(first, validation)

    K, L, N = len(nets), first.L, Xc.shape[1]
    hidden, out, cost = first.activation_of(1), first.activation_of(L), first._cost
    W = [None] + [np.stack([n.W[ell] for n in nets]) for ell in range(1, L + 1)]
    b = [None] + [np.stack([n.b[ell] for n in nets]) for ell in range(1, L + 1)]
    W_T = [None] + [w.transpose(0, 2, 1) for w in W[1:]]  # views: follow the steps
    eta_t = first.dtype.type(eta)
    train_cost = np.empty((K, epochs))
    val_cost = np.empty((K, epochs)) if validation is not None else None
    val_acc = []
    if validation is not None:
        m_v = Xv.shape[1]
        Yv_side = _side_by_side(Yv, K, {})
    targets = {}  # buffers for the targets side by side, by mini-batch size
    with np.errstate(all="ignore"):  # a diverging network is reported below
        for epoch in range(epochs):
            order = rng.permutation(N)
            cost_sum = np.zeros(K)
            for start in range(0, N, batch_size):
                idx = order[start : start + batch_size]
                Xb, Yb = Xc[:, idx], Yc[:, idx]
                m = idx.size
                a, fprime, zL, aL, pL = _forward(W, b, Xb, hidden, out, cost, True)
                # BP1 for the K batches side by side, then back to (K, n_L, m)
                Y_side = _side_by_side(Yb, K, targets)
                costs, dL = cost.value_and_delta(zL, aL, Y_side, out, pL)
                delta = [None] * (L + 1)
                delta[L] = dL.reshape(-1, K, m).transpose(1, 0, 2)
                for ell in range(L - 1, 0, -1):  # BP2
                    delta[ell] = np.matmul(W_T[ell + 1], delta[ell + 1])
                    delta[ell] *= fprime[ell]
                for ell in range(1, L + 1):  # BP3, BP4 (batch means), then the step
                    mean_delta = np.divide(delta[ell], m, out=delta[ell])
                    grad_b = np.add.reduce(mean_delta, axis=-1, keepdims=True)
                    grad_W = np.matmul(mean_delta, a[ell - 1].swapaxes(-1, -2))
                    W[ell] -= np.multiply(grad_W, eta_t, out=grad_W)
                    b[ell] -= np.multiply(grad_b, eta_t, out=grad_b)
                cost_sum += np.add.reduce(costs.reshape(K, m), axis=1)
            train_cost[:, epoch] = cost_sum / N
            bad = np.flatnonzero(~np.isfinite(train_cost[:, epoch]))
            if bad.size:
                raise ValueError(
                    f"the cost of nets[{int(bad[0])}] is not finite in epoch "
                    f"{epoch + 1}: its training diverged (try a smaller eta)"
                )
            if validation is not None:
                _, _, zv, av, _ = _forward(W, b, Xv, hidden, out, cost, False)
                costs_v = cost.value(zv, av, Yv_side, out)
                val_cost[:, epoch] = np.mean(costs_v.reshape(K, m_v), axis=1)
                val_acc.append(
                    [accuracy(av[:, k * m_v : (k + 1) * m_v], Yv) for k in range(K)]
                )
    for k, net in enumerate(nets):
        for ell in range(1, L + 1):
            net.W[ell][...] = W[ell][k]
            net.b[ell][...] = b[ell][k]
    val_accuracy = None
    if val_acc and val_acc[0][0] is not None:
        val_accuracy = np.array(val_acc, dtype=float).T
    return StackedHistory(train_cost, val_cost, val_accuracy)
