"""Check backprop against central finite differences.

For each parameter θ the numerical derivative is

    n = (C(θ + ε) − C(θ − ε)) / (2ε),

whose error is O(ε²) from truncation plus O(u/ε) from rounding (u ≈ 1e-16 in
float64), so ε ≈ 1e-6 balances the two. The finite differences always run in
float64 on a copy of the network: the network passed in is never modified.

Each parameter array is compared as a whole by the relative error

    ‖g − n‖ / (‖g‖ + ‖n‖)        (Frobenius norms; 0 when both are 0),

which lies between 0 and 1, is 1 for a gradient of the wrong sign and 1/3 for one
off by a factor of 2. What a *correct* backward pass gives (measured in the chapter
"Backprop in practice", over 50 random networks, ε = 1e-6):

==============================  =====================  ====================
network                          typical (median)        call it a bug above
==============================  =====================  ====================
float64, smooth activations      about 1e-10 to 1e-9     1e-7
float32 (backward in float32)    about 1e-7              1e-5
ReLU with some z within ε of 0   1e-2 to 1e-1            (no threshold: move x)
==============================  =====================  ====================

Near a kink of ReLU the two nudges fall on different sides of it and the finite
difference itself is wrong; pick another input, or check where no |z| < ε.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_positive_number
from .network import Network

__all__ = ["GradCheckResult", "gradcheck", "numerical_gradient", "relative_error"]


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """‖g − n‖ / (‖g‖ + ‖n‖), and 0 when both are exactly zero.

    Taken over a whole array (Frobenius norms) rather than per entry, so a gradient
    entry that is zero up to rounding does not make a correct gradient look wrong.
    """
    g = np.asarray(analytic, dtype=np.float64)
    n = np.asarray(numeric, dtype=np.float64)
    scale = np.linalg.norm(g) + np.linalg.norm(n)
    if scale == 0.0:
        return 0.0
    return float(np.linalg.norm(g - n) / scale)


class GradCheckResult(dict):
    """Largest relative error per parameter array, keyed ``"W[1]"``, ``"b[1]"``, …"""

    @property
    def max_error(self) -> float:
        return max(self.values())

    def __repr__(self) -> str:
        body = ", ".join(f"{k}: {v:.2e}" for k, v in self.items())
        return f"GradCheckResult({body})"


def numerical_gradient(net: Network, x, y, eps: float = 1e-6) -> tuple[list, list]:
    """Central-difference ∂C/∂W[ell] and ∂C/∂b[ell] of the mean cost, in float64."""
    eps = check_positive_number(eps, "eps")
    if not isinstance(net, Network):
        raise TypeError(f"net must be a backprop_lib.Network; got {type(net).__name__}")
    work = net.copy(dtype=np.float64)
    grads = {"W": [None], "b": [None]}
    for ell in range(1, work.L + 1):
        for name in ("W", "b"):
            param = getattr(work, name)[ell]
            g = np.zeros_like(param)
            for idx in np.ndindex(param.shape):
                old = param[idx]
                param[idx] = old + eps
                plus = work.mean_cost(x, y)
                param[idx] = old - eps
                minus = work.mean_cost(x, y)
                param[idx] = old
                g[idx] = (plus - minus) / (2.0 * eps)
            grads[name].append(g)
    return grads["W"], grads["b"]


def gradcheck(net: Network, x, y, eps: float = 1e-6) -> GradCheckResult:
    """Compare ``net.backward(x, y)`` with central finite differences.

    Returns the relative error (see :func:`relative_error`) of each parameter array.
    In float64 a correct backward pass gives errors around 1e-10 to 1e-9 (take
    anything above 1e-7 as a bug); a float32 network gives about 1e-7 (its own
    rounding, not the method's; above 1e-5 is a bug). The table in the module
    docstring has the measured values, and the kink of ReLU.
    """
    num_W, num_b = numerical_gradient(net, x, y, eps)
    result = net.backward(x, y)
    out = GradCheckResult()
    for ell in range(1, net.L + 1):
        out[f"W[{ell}]"] = relative_error(result.grad_W[ell], num_W[ell])
        out[f"b[{ell}]"] = relative_error(result.grad_b[ell], num_b[ell])
    return out
