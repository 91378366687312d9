"""Activation functions and their derivatives, written to be stable for any finite z.

Each activation knows three things:

* ``f(z)``: the activation a = f(z), applied to a column (or a batch of columns);
* ``vjp(z, a, g)``: the vector-Jacobian product ``J(z)^T g`` with
  ``J_kj = da_k / dz_j``. For an elementwise activation J is diagonal and this is
  ``g * f'(z)`` (the ``⊙ σ'(z)`` of BP1 and BP2). For softmax it is not diagonal.
* ``prime(z, a)``: the elementwise derivative f'(z), for elementwise activations only.

Both ``z`` and the already computed ``a = f(z)`` are passed, so that an activation may
reuse ``a`` where that is exact (``tanh``), and recompute where reuse would lose
precision (``sigmoid`` at large |z|, where ``1 - a`` rounds to zero).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["ACTIVATIONS", "Activation", "get_activation", "sigmoid", "sigmoid_prime"]


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
    latex: str = ""

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
        latex=r"\sigma(z) = \frac{1}{1+e^{-z}}",
    ),
    "tanh": Activation(
        "tanh",
        np.tanh,
        lambda z, a: 1.0 - a * a,
        latex=r"\tanh z",
    ),
    "relu": Activation(
        "relu",
        lambda z: np.maximum(z, 0.0),
        # The derivative at exactly z = 0 is taken as 0 (a subgradient).
        lambda z, a: (z > 0).astype(z.dtype),
        latex=r"\max(0, z)",
    ),
    "linear": Activation(
        "linear",
        lambda z: z.copy(),
        lambda z, a: np.ones_like(z),
        latex=r"z",
    ),
    "softmax": Activation(
        "softmax",
        _softmax,
        None,
        elementwise=False,
        hidden_ok=False,
        latex=r"\frac{e^{z_j}}{\sum_k e^{z_k}}",
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
