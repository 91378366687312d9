"""A fully connected network and backprop in the book's notation.

Readable first, and fast because it is vectorized, not because it is clever. The
names are the book's symbols (Nielsen, *Neural Networks and Deep Learning*, ch. 2):

* layers are numbered ``ell = 0..L``; layer 0 is the input;
* ``W[ell]`` has shape ``(n_ell, n_{ell-1})``, so ``W[ell][j, k]`` is w^ell_jk, the
  weight from unit k of layer ell-1 to unit j of layer ell; ``b[ell]`` is a column
  ``(n_ell, 1)``; index 0 of both lists is unused (``None``);
* examples are columns, so ``z = W[ell] @ a[ell-1] + b[ell]`` reads like
  z^ell = w^ell a^(ell-1) + b^ell for one example and for a batch alike.

``Network.backward`` checks its arguments and calls :func:`backprop`, which is the
algorithm as the book writes it, BP1 to BP4 in that order (the chapter "The four
equations of backpropagation" prints its source). Everything that is only there for
speed lives apart from it (see ``benchmarks/``):

* one matrix product per layer and pass for the whole batch;
* the forward pass keeps f'(z^ell), computed with a^ell = f(z^ell) (for the sigmoid
  from one exponential), so that BP1 and BP2 need no second one;
* the arrays of the result come from ``new(shape)`` (``_workspace.py``), which
  saves the page faults of fresh memory: arrays of earlier results that nothing
  refers to any more, else new ones, or with ``backward(..., reuse=True)`` (as
  ``train`` asks) the network's own, overwritten by every pass;
* the input checks are cheap when the input is already a batch in the network's
  dtype: its finiteness is proved by the finite z^1 and cost computed from it, and
  diagnosed only when they are not (:meth:`Network._ready`), with the errors of the
  full checks.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from ._checks import (
    as_columns,
    as_numeric_array,
    check_dtype,
    check_finite,
    check_positive_number,
    check_rng,
    check_sizes,
    deprecated,
)
from ._workspace import _fresh, _Workspace
from .activations import Activation, get_activation
from .costs import Cost, get_cost

__all__ = ["BackwardResult", "ForwardTrace", "Network"]


@dataclass
class ForwardTrace:
    """What the forward pass stores for the backward pass.

    ``z[ell]`` and ``a[ell]`` for ``ell = 1..L`` (``z[0]`` is ``None`` and ``a[0]`` is
    the input), each of shape ``(n_ell, m)`` with one column per example.
    """

    z: list
    a: list

    @property
    def output(self) -> np.ndarray:
        """The network's output a^L, one column per example."""
        return self.a[-1]


@dataclass
class BackwardResult:
    """Everything one backward pass computes.

    Attributes
    ----------
    cost : float
        The cost averaged over the examples of the batch, C = (1/m) Σ_x C_x.
    costs : ndarray, shape (m,)
        The cost C_x of each example.
    delta : list of ndarray
        ``delta[ell]`` is δ^ell = ∂C_x/∂z^ell for each example x, shape
        ``(n_ell, m)``, one column per example (``delta[0]`` is ``None``).
    grad_W, grad_b : list of ndarray
        ∂C/∂W[ell] and ∂C/∂b[ell] of the *mean* cost, the same shapes as ``W`` and
        ``b``: (1/m) Σ_x δ^{x,ell} (a^{x,ell-1})^T and (1/m) Σ_x δ^{x,ell} (BP4, BP3).
    trace : ForwardTrace
        The forward pass the gradients were computed from.
    grad_x : ndarray, shape (n_0, m)
        ∂C_x/∂x, only if the pass was asked for it (see :attr:`grad_x`).

    """

    cost: float
    costs: np.ndarray
    delta: list
    grad_W: list
    grad_b: list
    trace: ForwardTrace = field(repr=False)
    _grad_x: np.ndarray | None = field(default=None, repr=False)

    @property
    def grad_x(self) -> np.ndarray:
        """∂C_x/∂x for each example x, shape ``(n_0, m)``, one column each like δ.

        The chain rule one step past BP2, to layer 0: z^1 = W^1 x + b^1, so
        ∂C_x/∂x = (W^1)^T δ^1. Per example, not averaged (like ``delta``): column i
        is the derivative of example i's own cost C_{x_i} with respect to its input.
        Computed only when asked for, ``net.backward(x, y, with_grad_x=True)``: it
        costs one more matrix product as large as layer 1's, which training never
        needs.
        """
        if self._grad_x is None:
            raise ValueError(
                "grad_x was not computed by this pass: ask for it with "
                "net.backward(x, y, with_grad_x=True)"
            )
        return self._grad_x


class Network:
    """A fully connected feedforward network, in Nielsen's notation.

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, input layer first, e.g. ``[2, 3, 1]``.
    activation : str
        Activation of the hidden layers: ``"sigmoid"``, ``"tanh"``, ``"relu"`` or
        ``"linear"``.
    output_activation : str, optional
        Activation of the output layer; defaults to ``activation``. May also be
        ``"softmax"``.
    cost : str
        ``"quadratic"`` (½‖a − y‖² per example) or ``"cross_entropy"`` (binary with a
        sigmoid output, categorical with a softmax output).
    seed : int, None or numpy Generator
        Where the initial weights come from: w ~ N(0, 1/n_in), b ~ N(0, 1).
        The global numpy random state is never touched.
    dtype : np.float64 or np.float32
        Precision of the parameters and of every computation.

    Examples
    --------
    >>> net = Network([2, 3, 1], seed=1)
    >>> result = net.backward([0.5, -1.0], [1.0])
    >>> [d.shape for d in result.delta[1:]]
    [(3, 1), (1, 1)]
    """

    def __init__(
        self,
        sizes,
        activation="sigmoid",
        output_activation=None,
        cost="quadratic",
        seed=0,
        dtype=np.float64,
    ):
        self.sizes = check_sizes(sizes)
        self.dtype = check_dtype(dtype)
        self._set_functions(activation, output_activation, cost)
        rng = check_rng(seed)
        self.W = [None]
        self.b = [None]
        for n_prev, n in zip(self.sizes[:-1], self.sizes[1:]):
            self.W.append(
                (rng.standard_normal((n, n_prev)) / np.sqrt(n_prev)).astype(self.dtype)
            )
            self.b.append(rng.standard_normal((n, 1)).astype(self.dtype))

    # ------------------------------------------------------------------ set-up
    def _set_functions(self, activation, output_activation, cost) -> None:
        act = get_activation(activation, "activation")
        out = get_activation(
            activation if output_activation is None else output_activation,
            "output_activation",
        )
        if not act.hidden_ok and self.L > 1:
            raise ValueError(
                f"activation={act.name!r} is only allowed on the output layer; use it "
                "as output_activation and pick a hidden activation such as 'sigmoid'"
            )
        if out.name == "softmax" and self.sizes[-1] < 2:
            raise ValueError(
                "output_activation='softmax' needs at least 2 output units "
                f"(a softmax over 1 unit is always 1); sizes[-1] is {self.sizes[-1]}"
            )
        cost_fn = get_cost(cost)
        cost_fn.check_output_activation(out)
        self._act: Activation = act
        self._out: Activation = out
        self._cost: Cost = cost_fn

    @classmethod
    def from_params(
        cls,
        W,
        b,
        activation="sigmoid",
        output_activation=None,
        cost="quadratic",
        dtype=np.float64,
    ) -> Network:
        """Build a network from given weights and biases.

        ``W`` and ``b`` are lists in the book's indexing, ``[None, W1, ..., WL]``;
        a list without the leading ``None`` is read as ``[W1, ..., WL]``. The arrays
        are copied, so the caller's data is never changed by training.
        """
        W = list(W)
        b = list(b)
        if W and W[0] is None:
            W = W[1:]
        if b and b[0] is None:
            b = b[1:]
        if not W:
            raise ValueError("W must hold at least one weight matrix")
        if len(b) != len(W):
            raise ValueError(
                f"W has {len(W)} weight matrices but b has {len(b)} bias vectors; "
                "give one of each per layer"
            )
        mats = [as_numeric_array(w, f"W[{i + 1}]") for i, w in enumerate(W)]
        for i, w in enumerate(mats):
            if w.ndim != 2:
                raise ValueError(
                    f"W[{i + 1}] must be a 2-D matrix; got shape {w.shape}"
                )
        sizes = [mats[0].shape[1]] + [w.shape[0] for w in mats]
        net = cls.__new__(cls)
        net.sizes = check_sizes(sizes)
        net.dtype = check_dtype(dtype)
        net._set_functions(activation, output_activation, cost)
        net.W = [None] + [w.astype(net.dtype, copy=True) for w in mats]
        net.b = [None]
        for i, bi in enumerate(b):
            arr = as_numeric_array(bi, f"b[{i + 1}]")
            if arr.ndim == 1:
                arr = arr.reshape(-1, 1)
            net.b.append(arr.astype(net.dtype, copy=True))
        net._check_params()
        return net

    def copy(self, dtype=None) -> Network:
        """An independent copy (optionally in another dtype)."""
        return Network.from_params(
            self.W,
            self.b,
            activation=self.activation,
            output_activation=self.output_activation,
            cost=self.cost_name,
            dtype=self.dtype if dtype is None else dtype,
        )

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_workspace", None)  # its arrays are not part of the network
        # Activations and costs are stored by name (their functions are lambdas,
        # which pickle cannot store); __setstate__ looks them up again.
        state["_act"], state["_out"] = self._act.name, self._out.name
        state["_cost"] = self._cost.name
        return state

    def __setstate__(self, state):
        state = dict(state)
        state["_act"] = get_activation(state["_act"], "activation")
        state["_out"] = get_activation(state["_out"], "output_activation")
        state["_cost"] = get_cost(state["_cost"])
        self.__dict__.update(state)

    @property
    def _ws(self) -> _Workspace:
        ws = self.__dict__.get("_workspace")
        if ws is None:
            ws = self._workspace = _Workspace()
        return ws

    # ------------------------------------------------------------ properties
    @property
    def L(self) -> int:
        """Index of the output layer (the number of weight layers)."""
        return len(self.sizes) - 1

    @property
    def activation(self) -> str:
        return self._act.name

    @property
    def output_activation(self) -> str:
        return self._out.name

    @property
    def cost_name(self) -> str:
        """The cost function's name, as given to ``cost=`` (``"quadratic"``, ...).

        Not the value of the cost: that is ``backward(x, y).cost`` or
        ``mean_cost(x, y)``."""
        return self._cost.name

    @property
    def cost(self) -> str:
        """Former name of :attr:`cost_name` (``.cost`` is a value everywhere else)."""
        deprecated("Network.cost", "Network.cost_name")
        return self._cost.name

    @property
    def n_params(self) -> int:
        """Number of weights and biases."""
        return sum(
            n * (n_prev + 1) for n_prev, n in zip(self.sizes[:-1], self.sizes[1:])
        )

    def activation_of(self, ell: int) -> Activation:
        """The activation used by layer ``ell`` (1..L)."""
        return self._out if ell == self.L else self._act

    def __repr__(self) -> str:
        out = (
            ""
            if self._out is self._act
            else f", output_activation={self.output_activation!r}"
        )
        return (
            f"Network({list(self.sizes)}, activation={self.activation!r}{out}, "
            f"cost={self.cost_name!r}, dtype={self.dtype.name})"
        )

    # ------------------------------------------------------------ checks
    @functools.cached_property
    def _param_shapes(self) -> list:
        """The shape of W[ell], (n_ell, n_(ell-1)), for ell = 1..L."""
        return list(zip(self.sizes[1:], self.sizes[:-1]))

    @functools.cached_property
    def _bias_shapes(self) -> list:
        """The shape of b[ell], (n_ell, 1), for ell = 1..L."""
        return [(n, 1) for n in self.sizes[1:]]

    def _check_params(self) -> None:
        """Check that every W[ell], b[ell] still has the shape the sizes promise."""
        W, b = self.W, self.b
        try:  # the usual case, checked in one pass; else find what is wrong, and say it
            if (
                len(W) == len(b) == self.L + 1
                and [w.shape for w in W[1:]] == self._param_shapes
                and [v.shape for v in b[1:]] == self._bias_shapes
                and all(type(p) is np.ndarray for p in W[1:] + b[1:])
            ):
                return
        except AttributeError:  # not an array: said below
            pass
        for name, params in (("W", self.W), ("b", self.b)):
            if len(params) != self.L + 1:
                raise ValueError(
                    f"net.{name} must have {self.L + 1} entries ([None] and one per "
                    f"layer 1..{self.L}); it has {len(params)}"
                )
        for ell in range(1, self.L + 1):
            n, n_prev = self.sizes[ell], self.sizes[ell - 1]
            for name, arr, shape in (
                ("W", self.W[ell], (n, n_prev)),
                ("b", self.b[ell], (n, 1)),
            ):
                if not isinstance(arr, np.ndarray):
                    raise TypeError(
                        f"{name}[{ell}] must be a numpy array of shape {shape}; "
                        f"got {type(arr).__name__}"
                    )
                if arr.shape != shape:
                    raise ValueError(
                        f"{name}[{ell}] has shape {arr.shape} but layer {ell} has {n} "
                        f"units and layer {ell - 1} has {n_prev}: expected {shape}"
                    )

    def _ready(self, arr, n: int, m: int | None = None) -> bool:
        """True if ``arr`` is already an ``(n, m)`` batch in the net's dtype.

        The fast path of the input checks: such an array is taken as it is, and its
        finiteness is proved by what is computed from it (an infinity or NaN in x
        makes z^1 non-finite, one in y the cost), and diagnosed, with the error the
        full check raises, only when that fails (:meth:`_check_finite_z`,
        :meth:`_check_finite_cost`). Anything else goes through the full checks.
        """
        return (
            type(arr) is np.ndarray
            and arr.ndim == 2
            and arr.dtype == self.dtype
            and arr.shape[0] == n
            and arr.shape[1] > 0
            and (m is None or arr.shape[1] == m)
        )

    def _inputs(self, x) -> tuple[np.ndarray, bool]:
        if self._ready(x, self.sizes[0]):
            return x, False
        return as_columns(x, self.sizes[0], "x", "input layer (sizes[0])", self.dtype)

    def check_targets(self, Y: np.ndarray, argument: str = "y") -> None:
        """Raise a ValueError naming ``argument`` if the cost cannot take targets ``Y``.

        ``Y`` is an ``(n_L, m)`` array of finite numbers; what is refused depends on
        the cost (cross-entropy targets in [0, 1], summing to 1 with a softmax).
        """
        problem = self._cost.check_target(Y, self._out)
        if problem:
            raise ValueError(f"{argument}: {problem}")

    def _targets(self, y, m: int) -> np.ndarray:
        if self._ready(y, self.sizes[-1], m):
            self.check_targets(y)
            return y
        Y, _ = as_columns(
            y, self.sizes[-1], "y", "output layer (sizes[-1])", self.dtype
        )
        if Y.shape[1] != m:
            raise ValueError(
                f"y has {Y.shape[1]} example{'s' if Y.shape[1] != 1 else ''} (columns) "
                f"but x has {m}; give one target column per input column"
            )
        self.check_targets(Y)
        return Y

    # ------------------------------------------------------------ the passes
    def _feedforward(self, X: np.ndarray, new, primes: bool = False):
        """z^ell = W^ell a^(ell-1) + b^ell and a^ell = f(z^ell), ell = 1..L, over the
        columns of ``X`` (already checked); the caller sets ``np.errstate``.

        Returns the lists ``z``, ``a`` and, if ``primes``, ``fprime``: f'(z^ell) for
        each layer whose derivative BP1 and BP2 use (else ``None``), computed with
        a^ell. Arrays come from ``new(shape)``.
        """
        self._check_params()
        L, m, W, b, sizes = self.L, X.shape[1], self.W, self.b, self.sizes
        z, a, fprime = [None] * (L + 1), [X] + [None] * L, [None] * (L + 1)
        for ell in range(1, L + 1):
            z[ell] = np.matmul(W[ell], a[ell - 1], out=new((sizes[ell], m)))
            z[ell] += b[ell]
            self._check_finite_z(z[ell], ell, a[ell - 1])
            f = self._out if ell == L else self._act
            if primes and f.elementwise and (ell < L or self._cost.uses_output_prime):
                a[ell], fprime[ell] = new(z[ell].shape), new(z[ell].shape)
                f.value_and_prime(z[ell], a[ell], fprime[ell])
            else:
                a[ell] = f.f(z[ell])
        return z, a, fprime

    def _check_finite_z(self, z_ell: np.ndarray, ell: int, a_prev: np.ndarray) -> None:
        """Raise if z^ell holds an infinity or NaN (one sum, then the full check),
        naming the input x if that is where it comes from."""
        if math.isfinite(np.add.reduce(z_ell, axis=None)) or np.all(np.isfinite(z_ell)):
            return
        if ell == 1:
            check_finite(a_prev, "x")
        raise ValueError(
            f"the pre-activation z[{ell}] is not finite: W[{ell}] or b[{ell}] "
            "holds a non-finite or overflowing value "
            f"(largest |W[{ell}]| is {np.max(np.abs(self.W[ell])):g}, "
            f"largest |b[{ell}]| is {np.max(np.abs(self.b[ell])):g})"
        )

    def _check_finite_cost(self, cost: float, Y: np.ndarray) -> None:
        """Raise if the cost is not finite, naming the targets y if they are why."""
        if not math.isfinite(cost):
            check_finite(Y, "y")
            raise ValueError(
                "the cost is not finite; check the targets y and the parameters"
            )

    def _forward_unguarded(self, X: np.ndarray) -> ForwardTrace:
        z, a, _ = self._feedforward(X, _fresh(self.dtype))
        return ForwardTrace(z, a)

    def forward(self, x) -> ForwardTrace:
        """Feedforward: z^ell = W^ell a^(ell-1) + b^ell, a^ell = f(z^ell), ell = 1..L.

        ``x`` is one example, shape ``(n0,)`` or ``(n0, 1)``, or a batch ``(n0, m)``
        with examples as columns. Every ``trace.z[ell]``/``trace.a[ell]`` is 2-D.
        """
        with np.errstate(all="ignore"):  # (see _ready)
            X, _ = self._inputs(x)
            return self._forward_unguarded(X)

    def predict(self, x) -> np.ndarray:
        """The output a^L; shape ``(n_L,)`` for a 1-D ``x``, else ``(n_L, m)``."""
        with np.errstate(all="ignore"):
            X, one = self._inputs(x)
            out = self._forward_unguarded(X).output
        return out[:, 0] if one else out

    def mean_cost(self, x, y) -> float:
        """The mean cost over the batch, C = (1/m) Σ_x C_x, without the backward pass.

        ``x`` and ``y`` as in :meth:`backward`. (Called ``cost_of`` before; that name
        still works, with a ``DeprecationWarning``.)
        """
        with np.errstate(all="ignore"):
            X, _ = self._inputs(x)
            return self.trace_cost(self._forward_unguarded(X), y)

    def cost_of(self, x, y) -> float:
        """Former name of :meth:`mean_cost`."""
        deprecated("Network.cost_of", "Network.mean_cost")
        return self.mean_cost(x, y)

    def trace_cost(self, trace: ForwardTrace, y) -> float:
        """The mean cost of a forward pass already made (``trace = net.forward(x)``).

        Saves a second forward pass when the output is needed too (as ``train``
        needs it for the validation accuracy).
        """
        if not isinstance(trace, ForwardTrace):
            raise TypeError(
                f"trace must be a ForwardTrace (net.forward(x)); got "
                f"{type(trace).__name__}"
            )
        zL, aL = trace.z[-1], trace.a[-1]
        if zL is None or zL.shape[0] != self.sizes[-1]:
            raise ValueError(
                "trace is not a forward pass of this network "
                f"(sizes {list(self.sizes)})"
            )
        with np.errstate(all="ignore"):
            Y = self._targets(y, zL.shape[1])
            cost = float(np.mean(self._cost.value(zL, aL, Y, self._out)))
        self._check_finite_cost(cost, Y)
        return cost

    def backward(
        self, x, y, *, reuse: bool = False, with_grad_x: bool = False
    ) -> BackwardResult:
        """Backpropagation over a batch: every δ, and the gradient of the mean cost.

        BP1  δ^L = ∇_a C ⊙ f'(z^L)          (for softmax: J(z^L)^T ∇_a C)
        BP2  δ^ell = ((W^(ell+1))^T δ^(ell+1)) ⊙ f'(z^ell)
        BP3  ∂C/∂b^ell_j = δ^ell_j
        BP4  ∂C/∂w^ell_jk = a^(ell-1)_k δ^ell_j

        BP3 and BP4 are averaged over the batch. ``x`` as in :meth:`forward`; ``y``
        has shape ``(n_L,)`` or ``(n_L, m)``, one column per column of ``x``. The
        algorithm itself is :func:`backprop`; this method checks the arguments.

        By default every array of the result is new, so a result you keep is never
        changed by later calls. ``reuse=True`` writes the result into the network's
        own arrays instead, which saves the allocations (about a third of the time
        at [784, 256, 256, 10], batch 128) but means that the *next*
        ``backward(..., reuse=True)`` on this network overwrites this result: use it
        in loops that consume each gradient at once, as :func:`backprop_lib.train`
        does. ``with_grad_x=True`` also computes the gradient with respect to the
        input, ``result.grad_x`` = (W^1)^T δ^1.
        """
        for name, flag in (("reuse", reuse), ("with_grad_x", with_grad_x)):
            if flag is not False and flag is not True:
                raise TypeError(f"{name} must be True or False; got {flag!r}")
        with np.errstate(all="ignore"):  # (see _ready)
            X, _ = self._inputs(x)
            Y = self._targets(y, X.shape[1])
            ws = self._ws
            new = ws.arrays(self.dtype) if reuse else ws.recycled(self.dtype)
            result = backprop(self, X, Y, new, with_grad_x)
        self._check_finite_cost(result.cost, Y)
        return result

    def sgd_step(self, x, y, eta) -> BackwardResult:
        """One step of gradient descent on the batch: W ← W − η ∂C/∂W, b ← b − η ∂C/∂b.

        Returns the result of the backward pass taken *before* the step.
        """
        eta = check_positive_number(eta, "eta")
        result = self.backward(x, y)
        for ell in range(1, self.L + 1):
            self.W[ell] -= self.dtype.type(eta) * result.grad_W[ell]
            self.b[ell] -= self.dtype.type(eta) * result.grad_b[ell]
        return result


def backprop(net, X, Y, new, with_grad_x=False) -> BackwardResult:
    """BP1-BP4 over a batch, in the book's order (``net.backward`` runs it).

    ``X``, ``Y``: checked batches, one example per column. ``new(shape)``: the
    array a result is written into (one no kept result refers to, or the network's
    own). ``with_grad_x``: also ∂C_x/∂x.
    """
    L, W, m = net.L, net.W, X.shape[1]
    z, a, fprime = net._feedforward(X, new, primes=True)  # and f'(z^ell)
    delta, grad_b, grad_W = ([None] * (L + 1) for _ in range(3))
    # BP1, with each example's cost C_x: δ^L = ∇_a C ⊙ f'(z^L)
    costs, delta[L] = net._cost.value_and_delta(z[L], a[L], Y, net._out, fprime[L])
    for ell in range(L - 1, 0, -1):  # BP2
        delta[ell] = W[ell + 1].T @ delta[ell + 1]  # (W^(ell+1))^T δ^(ell+1)
        delta[ell] *= fprime[ell]  # ⊙ f'(z^ell)
    for ell in range(1, L + 1):  # BP3 and BP4, averaged over the batch
        mean_delta = delta[ell] / m
        grad_b[ell] = mean_delta.sum(axis=1, keepdims=True)
        grad_W[ell] = np.matmul(mean_delta, a[ell - 1].T, out=new(W[ell].shape))
    cost = float(np.add.reduce(costs)) / m  # C = (1/m) Σ_x C_x
    grad_x = None
    if with_grad_x:  # the chain rule once more, to the input: z^1 = W^1 x + b^1
        grad_x = np.matmul(W[1].T, delta[1], out=new(X.shape))  # (W^1)^T δ^1
    return BackwardResult(
        cost, costs, delta, grad_W, grad_b, ForwardTrace(z, a), grad_x
    )
