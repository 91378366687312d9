"""Mini-batch stochastic gradient descent, with optional momentum.

One step on a mini-batch of m examples (columns of ``X``) is

    v ← μ v − η g,    θ ← θ + v        for every θ in W^1, b^1, …, W^L, b^L,

where g = ∂C/∂θ is the gradient of the *mean* cost over the mini-batch, as
``Network.backward`` returns it (BP3, BP4), η is the learning rate ``eta`` and μ the
``momentum`` (Polyak's heavy ball; Goodfellow et al. §8.3.2). With μ = 0 this is plain
SGD, θ ← θ − η ∂C/∂θ, the same arithmetic as ``Network.sgd_step``.

Two options change g before the step, in this order:

* ``weight_decay=λ`` (L2 regularisation) descends the regularised cost
  C + (λ/2) Σ_ell ‖W^ell‖² (squared entries of every weight matrix; biases are not
  penalised). Its gradient is BP4 plus λ W^ell, BP3 unchanged, so a plain step is
  W ← (1 − ηλ) W − η ∂C/∂W: the weights shrink by the factor 1 − ηλ before the usual
  step, which is where the name comes from. :func:`regularised_cost` gives the cost.
* ``clip_norm=c`` (clipping by the global norm): if ‖g‖ over all parameters together
  (every W and b, decay included) exceeds c, every entry is scaled by c/‖g‖, so the
  step keeps its direction and has length at most ηc. Smaller gradients are left alone.

Importing this module loads numpy only; ``tqdm`` (for the progress bar) is imported
inside :func:`train` when a bar is asked for.

Precision: everything runs in the network's dtype. In float32 the gradients agree with
float64 to a relative error ‖g32 − g64‖/(‖g32‖ + ‖g64‖) of about 1e-7 on well-scaled
data (``benchmarks/bench_backprop.py`` prints it), ``bp.gradcheck`` reports about
1e-7 for a float32 network (its finite differences run in float64 on a copy, so it
sees float32 rounding of the analytic gradient; see its docstring), and a trained
float32 network reaches the same accuracy as a float64 one up to a few test examples.
"""

from __future__ import annotations

import math
import numbers
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ._checks import (
    as_numeric_array,
    check_finite,
    check_integer,
    check_positive_number,
    check_rng,
)
from .network import Network

__all__ = [
    "EpochReport",
    "TrainingHistory",
    "accuracy",
    "regularised_cost",
    "train",
]


@dataclass
class EpochReport:
    """What the ``callback`` of :func:`train` receives after each epoch.

    Attributes
    ----------
    epoch : int
        The epoch just finished, counting from 1.
    net : Network
        The network being trained (after this epoch's steps).
    train_cost : float
        Mean over the epoch's examples of the cost of each mini-batch, taken before
        the step on that mini-batch (so it lags the network by up to one epoch).
    train_accuracy : float or None
        Fraction of the epoch's examples the network classified correctly, counted
        the same way; ``None`` for a single-output network with non-binary targets.
    val_cost, val_accuracy : float or None
        Cost and accuracy on ``validation``, with the network after the epoch;
        ``None`` without validation data.
    seconds : float
        Wall-clock time of the epoch (the steps and the validation pass).
    steps : int
        Number of SGD steps taken so far, over all epochs.
    history : TrainingHistory
        Everything recorded so far, this epoch included.
    """

    epoch: int
    net: Network
    train_cost: float
    train_accuracy: float | None
    val_cost: float | None
    val_accuracy: float | None
    seconds: float
    steps: int
    history: TrainingHistory = field(repr=False)


@dataclass
class TrainingHistory:
    """Per-epoch record of a :func:`train` run; entry ``k`` is epoch ``k + 1``.

    ``val_cost``/``val_accuracy`` stay empty without validation data.
    ``stopped_early`` is True if the callback ended training before ``epochs``.
    ``clipped`` counts, per epoch, the steps whose gradient ``clip_norm`` scaled down
    (all zeros without clipping).
    """

    train_cost: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    val_cost: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    clipped: list = field(default_factory=list)
    stopped_early: bool = False

    @property
    def epochs(self) -> int:
        """Number of epochs run."""
        return len(self.train_cost)


def accuracy(output: np.ndarray, Y: np.ndarray) -> float | None:
    """Fraction of columns classified correctly.

    With several output units a column counts as correct when the largest output is
    at the position of the largest target (one-hot targets: the right class). With
    one output unit the targets must be 0 or 1, and the output is read as 1 when it
    is at least 0.5; for other targets there is no accuracy and ``None`` is returned.
    """
    if output.shape[0] > 1:
        return float(np.mean(np.argmax(output, axis=0) == np.argmax(Y, axis=0)))
    if not np.all((Y == 0) | (Y == 1)):
        return None
    return float(np.mean((output >= 0.5) == (Y == 1)))


def _check_momentum(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            "momentum must be a number in [0, 1) (0 for plain SGD); got "
            f"{type(value).__name__} {value!r}"
        )
    value = float(value)
    if not 0.0 <= value < 1.0:  # also refuses NaN
        raise ValueError(
            "momentum must be in [0, 1) (0 for plain SGD, 0.9 is common); "
            f"got {value!r}"
        )
    return value


def _check_weight_decay(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            "weight_decay must be a number λ ≥ 0 (0 for none); got "
            f"{type(value).__name__} {value!r}"
        )
    value = float(value)
    if not (np.isfinite(value) and value >= 0.0):
        raise ValueError(
            "weight_decay must be a finite number λ ≥ 0 (0 for none, 1e-4 is "
            f"common); got {value!r}"
        )
    return value


def _check_clip_norm(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            "clip_norm must be None (no clipping) or a positive number, the largest "
            f"gradient norm allowed; got {type(value).__name__} {value!r}"
        )
    value = float(value)
    if not (np.isfinite(value) and value > 0.0):
        raise ValueError(
            "clip_norm must be None (no clipping) or a positive, finite number; "
            f"got {value!r}"
        )
    return value


def _check_rng(rng: object) -> np.random.Generator:
    """The shuffling's source: a Generator, or one made from a seed (or None)."""
    try:
        return check_rng(rng)
    except TypeError:
        raise TypeError(
            "rng must be a numpy Generator (np.random.default_rng(...)) or a "
            f"non-negative integer seed; got {type(rng).__name__} {rng!r}"
        ) from None


def regularised_cost(net: Network, X, Y, weight_decay: float) -> float:
    """The cost that ``train(..., weight_decay=λ)`` descends: C + (λ/2) Σ ‖W^ell‖².

    C is the mean cost over the columns of ``X`` (``net.mean_cost``); the sum runs over
    every entry of every weight matrix W^1..W^L, not over the biases.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a backprop_lib.Network; got {type(net).__name__}")
    lam = _check_weight_decay(weight_decay)
    penalty = sum(float(np.sum(np.square(w, dtype=np.float64))) for w in net.W[1:])
    return net.mean_cost(X, Y) + 0.5 * lam * penalty


def _check_validation(net, validation) -> tuple[np.ndarray, np.ndarray]:
    """``validation=(X_val, Y_val)``, checked as the training data are."""
    if not isinstance(validation, (tuple, list)) or len(validation) != 2:
        raise TypeError(
            "validation must be a pair (X_val, Y_val) of arrays shaped like X "
            f"and Y; got {type(validation).__name__}"
        )
    return _check_data(net, *validation, "validation X", "validation Y")


def _check_data(net: Network, X, Y, xname: str, yname: str):
    """Copy X, Y into the net's dtype as (n_0, N) and (n_L, N) arrays, checked."""
    arrays = []
    for value, name, n, layer in (
        (X, xname, net.sizes[0], "input layer (sizes[0])"),
        (Y, yname, net.sizes[-1], "output layer (sizes[-1])"),
    ):
        arr = as_numeric_array(value, name)
        if arr.ndim != 2 or arr.shape[0] != n or arr.shape[1] == 0:
            raise ValueError(
                f"{name} must have shape ({n}, N), one example per column, since the "
                f"{layer} has {n} unit{'s' if n != 1 else ''}; got shape {arr.shape}"
            )
        check_finite(arr, name)
        # a copy: shuffling and training never touch the caller's arrays
        arrays.append(np.array(arr, dtype=net.dtype, order="C"))
    Xc, Yc = arrays
    if Xc.shape[1] != Yc.shape[1]:
        raise ValueError(
            f"{xname} has {Xc.shape[1]} examples (columns) but {yname} has "
            f"{Yc.shape[1]}; give one target column per example"
        )
    net.check_targets(Yc, yname)
    return Xc, Yc


def _progress_bar(enabled: bool, epochs: int):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        warnings.warn(
            "train(progress=True) shows a progress bar with tqdm, which is not "
            "installed: `pip install tqdm`, or pass progress=False",
            stacklevel=3,
        )
        return None
    return tqdm(total=epochs, desc="training", unit="epoch", leave=True)


def _decay_and_clip(params, grads, out, n_weights, lam, clip_norm):
    """Write the gradient ``train`` steps along into ``out``; return (out, clipped).

    ``params``/``grads`` list W^1..W^L and then b^1..b^L. Weight decay adds λ W to the
    first ``n_weights`` entries; clipping then scales all of them by c/‖g‖ when the
    global norm ‖g‖ exceeds c.
    """
    for i, (p, g, o) in enumerate(zip(params, grads, out)):
        if lam and i < n_weights:  # ∂/∂W of C + (λ/2)‖W‖²: BP4 + λ W
            np.multiply(p, lam, out=o)
            o += g
        else:
            np.copyto(o, g)
    if clip_norm is None:
        return out, False
    norm = math.sqrt(sum(float(np.vdot(o, o)) for o in out))
    if not norm > clip_norm:
        return out, False
    scale = out[0].dtype.type(clip_norm / norm)
    for o in out:
        o *= scale
    return out, True


def train(
    net: Network,
    X,
    Y,
    epochs: int,
    batch_size: int,
    eta: float,
    *,
    rng=0,
    momentum: float = 0.0,
    weight_decay: float = 0.0,
    clip_norm: float | None = None,
    validation=None,
    callback: Callable[[EpochReport], bool | None] | None = None,
    progress: bool = True,
) -> TrainingHistory:
    """Train ``net`` in place by mini-batch SGD (optionally with momentum).

    Each epoch shuffles the N examples with ``rng``, cuts them into mini-batches of
    ``batch_size`` columns (the last one may be smaller) and takes one step per
    mini-batch:

        v ← μ v − η ∂C/∂θ,   θ ← θ + v

    for every weight matrix and bias vector θ, where ∂C/∂θ is the gradient of the
    mean cost over the mini-batch (``Network.backward``: BP1–BP4 for the whole
    mini-batch at once) and v starts at 0. With ``momentum=0`` it is exactly
    ``net.sgd_step`` on each mini-batch.

    Parameters
    ----------
    net : Network
        The network to train; its weights and biases are updated in place. All
        arithmetic runs in ``net.dtype`` (float32 or float64).
    X : array, shape (n_0, N)
        Training inputs, one example per column (as everywhere in the library).
    Y : array, shape (n_L, N)
        Targets, one column per example. ``X`` and ``Y`` are copied (into
        ``net.dtype``); the caller's arrays are never modified.
    epochs : int
        Number of passes over the data.
    batch_size : int
        Examples per mini-batch (a value above N gives full-batch gradient descent).
    eta : float
        Learning rate η > 0.
    rng : numpy Generator, int or None, default 0
        Source of the shuffling. The same seed (or a Generator in the same state)
        and the same starting network give the same weights, bit for bit; ``None``
        draws fresh entropy (not reproducible). The global numpy random state is
        never used.
    momentum : float in [0, 1), default 0
        The momentum μ; 0 is plain SGD.
    weight_decay : float ≥ 0, default 0
        The L2 coefficient λ: descend C + (λ/2) Σ_ell ‖W^ell‖² (see
        :func:`regularised_cost`), whose gradient adds λ W^ell to BP4's ∂C/∂W^ell and
        leaves the biases' BP3 alone. 0 is no regularisation.
    clip_norm : float > 0 or None, default None
        Clip by the global norm: when the norm of the whole gradient (every W and b,
        after weight decay) exceeds ``clip_norm``, scale it to that norm before the
        step. ``history.clipped`` counts the clipped steps per epoch.
    validation : tuple (X_val, Y_val), optional
        Data to evaluate after each epoch (cost and accuracy; see :func:`accuracy`).
    callback : callable, optional
        Called after each epoch as ``callback(report)`` with an :class:`EpochReport`
        (epoch number, the network, costs, accuracies, time, the history so far).
        If it returns ``True``, training stops after this epoch (early stopping)
        and ``history.stopped_early`` is set.
    progress : bool, default True
        Show a progress bar (one tick per epoch, with the latest costs): a widget in
        Jupyter, text in a terminal (``tqdm.auto``). Needs ``tqdm``; without it a
        warning says so and training runs without a bar.

    Returns
    -------
    TrainingHistory
        Per-epoch training cost and accuracy (from the mini-batches, before each
        step; the cost without the weight-decay term), validation cost and accuracy
        (after the epoch), seconds and the number of clipped steps.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be a backprop_lib.Network; got {type(net).__name__}")
    epochs = check_integer(epochs, "epochs", 1)
    batch_size = check_integer(batch_size, "batch_size", 1)
    eta = check_positive_number(eta, "eta")
    momentum = _check_momentum(momentum)
    weight_decay = _check_weight_decay(weight_decay)
    clip_norm = _check_clip_norm(clip_norm)
    rng = _check_rng(rng)
    if callback is not None and not callable(callback):
        raise TypeError(
            "callback must be a function called as callback(report) after each "
            f"epoch; got {type(callback).__name__}"
        )
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False; got {progress!r}")
    Xc, Yc = _check_data(net, X, Y, "X", "Y")
    if validation is not None:
        Xv, Yv = _check_validation(net, validation)

    dt = net.dtype.type
    eta_t, mu_t = dt(eta), dt(momentum)
    N = Xc.shape[1]
    step_buf = [
        np.zeros_like(p) for p in net.W[1:] + net.b[1:]
    ]  # η ∂C/∂θ, then v with momentum
    # the gradient changed by weight decay or clipping, when either is on
    grad_buf = (
        [np.empty_like(p) for p in net.W[1:] + net.b[1:]]
        if weight_decay or clip_norm is not None
        else None
    )
    lam_t = dt(weight_decay)
    history = TrainingHistory()
    bar = _progress_bar(progress, epochs)
    steps = 0
    try:
        for epoch in range(1, epochs + 1):
            t0 = time.perf_counter()
            order = rng.permutation(N)
            cost_sum, correct, counted = 0.0, 0.0, True
            clipped = 0
            for start in range(0, N, batch_size):
                idx = order[start : start + batch_size]
                Xb, Yb = Xc[:, idx], Yc[:, idx]
                result = net.backward(Xb, Yb, reuse=True)  # consumed at once
                params = net.W[1:] + net.b[1:]
                grads = result.grad_W[1:] + result.grad_b[1:]
                if grad_buf is not None:
                    grads, was_clipped = _decay_and_clip(
                        params, grads, grad_buf, net.L, lam_t, clip_norm
                    )
                    clipped += was_clipped
                for p, g, buf in zip(params, grads, step_buf):
                    if momentum == 0.0:  # θ ← θ − η g, as Network.sgd_step
                        np.multiply(g, eta_t, out=buf)
                        p -= buf
                    else:  # v ← μ v − η g, θ ← θ + v
                        buf *= mu_t
                        buf -= eta_t * g
                        p += buf
                steps += 1
                m = idx.size
                cost_sum += result.cost * m
                acc = accuracy(result.trace.output, Yb)
                if acc is None:
                    counted = False
                else:
                    correct += acc * m
                del result, grads
            history.train_cost.append(cost_sum / N)
            history.clipped.append(clipped)
            history.train_accuracy.append(correct / N if counted else None)
            val_cost = val_acc = None
            if validation is not None:
                out = net.forward(Xv)
                val_cost = net.trace_cost(out, Yv)
                val_acc = accuracy(out.output, Yv)
                history.val_cost.append(val_cost)
                history.val_accuracy.append(val_acc)
            seconds = time.perf_counter() - t0
            history.seconds.append(seconds)
            if bar is not None:
                shown = {"cost": f"{history.train_cost[-1]:.4g}"}
                if val_acc is not None:
                    shown["val_acc"] = f"{val_acc:.3f}"
                bar.set_postfix(shown, refresh=False)
                bar.update(1)
            if callback is not None:
                report = EpochReport(
                    epoch=epoch,
                    net=net,
                    train_cost=history.train_cost[-1],
                    train_accuracy=history.train_accuracy[-1],
                    val_cost=val_cost,
                    val_accuracy=val_acc,
                    seconds=seconds,
                    steps=steps,
                    history=history,
                )
                if callback(report) is True:
                    history.stopped_early = epoch < epochs
                    break
    finally:
        if bar is not None:
            bar.close()
    return history
