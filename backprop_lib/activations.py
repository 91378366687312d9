"""Activation functions and their derivatives, written to be stable for any finite z.

An activation is registered with two rules:

* ``f(z)``: the activation a = f(z), applied to a column (or a batch of columns);
* ``prime(z, a)``: the elementwise derivative f'(z) (elementwise activations only).
  Both ``z`` and the already computed ``a = f(z)`` are passed, so that a rule may
  reuse ``a`` where that is exact (``tanh``), and recompute where reuse would lose
  precision (``sigmoid`` at large |z|, where ``1 - a`` rounds to zero).

Two methods are derived from them: ``vjp(z, a, g)``, the vector-Jacobian product
``J(z)^T g`` with ``J_kj = da_k / dz_j`` (for an elementwise activation J is diagonal
and this is ``g * f'(z)``, the ``⊙ σ'(z)`` of BP1 and BP2; softmax, whose J is not
diagonal, is the one activation with a rule of its own here), and
``value_and_prime(z, a, p)``, a = f(z) and f'(z) written into given arrays, which the
forward pass of ``Network.backward`` calls. Only the sigmoid gives it a shortcut of
its own (``fast_value_and_prime``: both from one exponential); it agrees with ``f``
and ``prime`` to a few units in the last place, which a test checks.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "exp_cap",
    "get_activation",
    "sigmoid",
    "sigmoid_prime",
]


def exp_cap(dtype=np.float64) -> float:
    """The largest whole x whose exp(x) is finite in ``dtype``: 709 in float64, 88 in
    float32. The one place this limit is written: the sigmoid's shortcut below caps
    -z at it, and the autodiff engine's ``exp`` refuses larger arguments."""
    return float(math.floor(math.log(float(np.finfo(dtype).max))))


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic sigmoid σ(z) = 1 / (1 + e^{-z}), with no overflow for any finite z.

    Uses e = exp(-|z|) ≤ 1, so nothing overflows: σ(z) = 1/(1+e) for z ≥ 0 and
    e/(1+e) for z < 0. Both branches are exact to rounding, also far in the tails.
    """
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def sigmoid_prime(z: np.ndarray) -> np.ndarray:
    """σ'(z) = σ(z)(1 - σ(z)) = e/(1+e)², e = exp(-|z|): exact in both tails."""
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


def _sigmoid_and_prime(z: np.ndarray, a: np.ndarray, p: np.ndarray) -> None:
    """a ← σ(z) and p ← σ'(z), sharing one exponential: seven array operations.

    With e = exp(−z): σ(z) = 1/(1+e) and σ'(z) = σ(z) σ(−z) = (σ(z) e) σ(z). Neither
    form subtracts nearly equal numbers, so both are accurate to rounding in both
    tails (unlike σ(1−σ), where 1−σ rounds to 0 for z ≳ 37). −z is capped at
    :func:`exp_cap` so that e stays finite (709 in float64, 88 in float32). Below the
    cap, z < −709 (float64) or z < −88 (float32), σ and σ' are smaller than 1e−307
    (resp. 7e−39) and are returned as their values at the cap. Elsewhere they agree
    with :func:`sigmoid` and :func:`sigmoid_prime` to a few units in the last place.
    """
    np.negative(z, out=p)
    np.minimum(p, _EXP_CAP[p.dtype], out=p)
    np.exp(p, out=p)  # p = e
    np.add(p, 1.0, out=a)
    np.reciprocal(a, out=a)  # a = 1 / (1 + e)
    np.multiply(p, a, out=p)  # σ(z) e = σ(−z)
    np.multiply(p, a, out=p)  # σ(−z) σ(z) = σ'(z)


_EXP_CAP = {np.dtype(t): exp_cap(t) for t in (np.float64, np.float32)}


def _softmax(z: np.ndarray) -> np.ndarray:
    """Softmax of each column, shifted by the column maximum: exp never overflows."""
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@dataclass(frozen=True)
class Activation:
    """An activation function: its value, and how gradients flow back through it."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    prime: Callable[[np.ndarray, np.ndarray], np.ndarray] | None
    elementwise: bool = True
    hidden_ok: bool = True
    # optional: (z, a, p) -> None, a ← f(z) and p ← f'(z) faster than f then prime
    fast_value_and_prime: (
        Callable[[np.ndarray, np.ndarray, np.ndarray], None] | None
    ) = None

    def __post_init__(self):
        if self.elementwise and self.prime is None:
            raise ValueError(
                f"activation {self.name!r} is elementwise, so it needs prime(z, a); "
                "see sigmoid's"
            )

    def value_and_prime(
        self, z: np.ndarray, a: np.ndarray | None = None, p: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return a = f(z) and f'(z) together, written into ``a`` and ``p`` if given.

        The same numbers as ``f(z)`` and ``prime(z, f(z))`` (to rounding), for
        elementwise activations only; ``Network.backward`` uses it so that
        the backward pass finds f'(z^ell) ready (BP1, BP2).
        """
        if not self.elementwise:
            raise ValueError(
                f"{self.name} is not elementwise: its Jacobian is not diagonal, so "
                "there is no f'(z) to return; use vjp(z, a, g)"
            )
        if self.fast_value_and_prime is None and a is None and p is None:
            a = self.f(z)  # nothing to write into: no copies
            return a, self.prime(z, a)
        a = np.empty_like(z) if a is None else a
        p = np.empty_like(z) if p is None else p
        if self.fast_value_and_prime is not None:
            self.fast_value_and_prime(z, a, p)
        else:
            a[...] = self.f(z)
            p[...] = self.prime(z, a)
        return a, p

    def vjp(self, z: np.ndarray, a: np.ndarray, g: np.ndarray) -> np.ndarray:
        """Return J(z)^T g, where J_kj = ∂a_k/∂z_j, for each column of ``g``.

        For elementwise activations ∂a_k/∂z_j = 0 unless k = j, and the chain-rule
        sum Σ_k g_k ∂a_k/∂z_j collapses to g_j f'(z_j).
        """
        if self.elementwise:
            return g * self.prime(z, a)
        # softmax: ∂a_k/∂z_j = a_k (1[k=j] - a_j), so Σ_k g_k ∂a_k/∂z_j
        # = a_j (g_j - Σ_k a_k g_k): the cross terms do not vanish.
        return a * (g - np.sum(a * g, axis=0, keepdims=True))

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "sigmoid",
        sigmoid,
        lambda z, a: sigmoid_prime(z),
        fast_value_and_prime=_sigmoid_and_prime,
    ),
    "tanh": Activation(
        "tanh",
        np.tanh,
        lambda z, a: 1.0 - a * a,
    ),
    "relu": Activation(
        "relu",
        lambda z: np.maximum(z, 0.0),
        # The derivative at exactly z = 0 is taken as 0 (a subgradient).
        lambda z, a: (z > 0).astype(z.dtype),
    ),
    "linear": Activation(
        "linear",
        lambda z: z.copy(),
        lambda z, a: np.ones_like(z),
    ),
    "softmax": Activation(
        "softmax",
        _softmax,
        None,
        elementwise=False,
        hidden_ok=False,
    ),
}


def get_activation(name: object, argument: str = "activation") -> Activation:
    """Look an activation up by name, with an error that lists the valid names."""
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(
            f"{argument} must be the name of an activation, one of "
            f"{sorted(ACTIVATIONS)}; got {type(name).__name__} {name!r}"
        )
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"{argument}={name!r} is not a known activation; "
            f"expected one of {sorted(ACTIVATIONS)}"
        ) from None
