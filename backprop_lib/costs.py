"""Cost functions: their value per example, and the output error δ^L (BP1).

Every cost here is a sum over output units for one example; a network's reported
cost is the mean of that over the examples in a batch.

* ``quadratic``: C_x = ½ ‖a^L − y‖², with ∇_a C = a^L − y.
* ``cross_entropy``: binary with sigmoid outputs,
  C_x = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]; categorical with softmax outputs,
  C_x = −Σ_j y_j ln a_j. Both are evaluated from z^L (log-sigmoid, log-softmax),
  never from ln a, so they stay finite when a saturates at 0 or 1. For both
  pairs BP1 reduces to δ^L = a^L − y (the "canonical link" of Bishop §5.2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .activations import Activation

__all__ = ["COSTS", "Cost", "get_cost"]

# How far from 1 the sum of a probability vector of targets may be: written once here
# (the explorer's front end is sent it, _explorer_spec.py).
TARGET_TOL = 1e-6


def _quadratic_value(z, a, y, act):
    d = a - y
    return 0.5 * np.sum(d * d, axis=0)


def _quadratic_value_and_delta(z, a, y, act, prime):
    d = a - y  # ∇_a C
    costs = 0.5 * np.einsum("jm,jm->m", d, d)
    if prime is None:  # softmax output: BP1 as δ^L = J_a(z^L)^T ∇_a C
        return costs, act.vjp(z, a, d)
    return costs, np.multiply(d, prime, out=d)  # BP1: ∇_a C ⊙ f'(z^L)


def _logsumexp(z):
    zmax = z.max(axis=0, keepdims=True)
    return (zmax + np.log(np.sum(np.exp(z - zmax), axis=0, keepdims=True)))[0]


def _cross_entropy_value(z, a, y, act):
    if act.name == "sigmoid":
        # −ln σ(z) = log(1 + e^{−z}),  −ln(1 − σ(z)) = log(1 + e^{z})
        per_unit = y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)
        return np.sum(per_unit, axis=0)
    # softmax: −Σ y_j (z_j − logsumexp z), with Σ y_j = 1
    return _logsumexp(z) * np.sum(y, axis=0) - np.sum(y * z, axis=0)


def _cross_entropy_value_and_delta(z, a, y, act, prime):
    # For sigmoid + binary CE and softmax + categorical CE the Jacobian of the
    # activation cancels the 1/a(1−a) (resp. 1/a) of ∇_a C exactly: δ^L = a − y.
    return _cross_entropy_value(z, a, y, act), a - y


def _check_any_finite(y, act):
    return None


def _check_cross_entropy_target(y, act):
    lo, hi = float(np.min(y)), float(np.max(y))
    if lo < 0.0 or hi > 1.0:
        return (
            "cross_entropy targets must lie in [0, 1]; "
            f"got values from {lo:g} to {hi:g}"
        )
    if act.name == "softmax":
        sums = np.sum(y, axis=0)
        bad = np.flatnonzero(np.abs(sums - 1.0) > TARGET_TOL)
        if bad.size:
            return (
                "with a softmax output, cross_entropy targets must be probability "
                f"vectors (each column summing to 1); column {int(bad[0])} sums to "
                f"{float(sums[bad[0]]):g}"
            )
    return None


@dataclass(frozen=True)
class Cost:
    """A cost function C_x(a^L, y) for one example, and its BP1 output error."""

    name: str
    value: Callable  # (z, a, y, act) -> per-example cost, shape (m,)
    check_target: Callable  # (y, act) -> error message or None
    output_activations: tuple[str, ...] | None  # None: any
    # (z, a, y, act, prime) -> (costs, δ^L); prime is f'(z^L) or None
    fused: Callable
    # whether ``fused`` uses f'(z^L) (then the forward pass computes it)
    uses_output_prime: bool = False

    def value_and_delta(self, z, a, y, act, prime=None):
        """The cost of each example and the output error δ^L (BP1), in one pass.

        ``prime`` is f'(z^L) if the forward pass computed it (elementwise output
        activations); the costs are the same numbers as ``value``.
        """
        return self.fused(z, a, y, act, prime)

    def check_output_activation(self, act: Activation) -> None:
        if self.output_activations is not None and act.name not in (
            self.output_activations
        ):
            raise ValueError(
                f"cost={self.name!r} needs output_activation to be one of "
                f"{list(self.output_activations)}; got {act.name!r}"
            )

    def __repr__(self) -> str:
        return f"Cost({self.name!r})"


COSTS: dict[str, Cost] = {
    "quadratic": Cost(
        "quadratic",
        _quadratic_value,
        _check_any_finite,
        None,
        fused=_quadratic_value_and_delta,
        uses_output_prime=True,
    ),
    "cross_entropy": Cost(
        "cross_entropy",
        _cross_entropy_value,
        _check_cross_entropy_target,
        ("sigmoid", "softmax"),
        fused=_cross_entropy_value_and_delta,
    ),
}


def get_cost(name: object) -> Cost:
    """Look a cost up by name, with an error that lists the valid names."""
    if isinstance(name, Cost):
        return name
    if not isinstance(name, str):
        raise TypeError(
            f"cost must be the name of a cost, one of {sorted(COSTS)}; "
            f"got {type(name).__name__} {name!r}"
        )
    try:
        return COSTS[name]
    except KeyError:
        raise ValueError(
            f"cost={name!r} is not a known cost; expected one of {sorted(COSTS)}"
        ) from None
