"""Softmax with categorical cross-entropy: the Jacobian of softmax is not
diagonal, and yet δ^L = a^L − y when the targets sum to 1."""

from __future__ import annotations

import sympy as sp

from ._sympy import _reduce
from .registry import Evidence, _check_width, register

__all__ = ["check_softmax_cross_entropy"]


@register(
    "softmax_cross_entropy",
    r"\delta^L = a^L - y, \qquad \frac{\partial a_k}{\partial z_j} = "
    r"a_k\,(\mathbb{1}[k=j] - a_j)",
    diagonal_jacobian=r"\delta^L_j = \frac{\partial C}{\partial a_j}"
    r"\frac{\partial a_j}{\partial z_j}",
    unnormalised_targets=r"\delta^L = a^L - y \text{ for any } y",
)
def check_softmax_cross_entropy(variant=None, n: int = 3):
    r"""Softmax with categorical cross-entropy: δ^L = a^L − y.

    a_k = e^{z_k}/Σ_i e^{z_i}, C = −Σ_k y_k ln a_k with Σ_k y_k = 1. Checked: the
    Jacobian ∂a_k/∂z_j = a_k(1[k = j] − a_j) (not diagonal), and δ_j = a_j − y_j.
    Variants: ``"diagonal_jacobian"`` — δ_j = ∂C/∂a_j · ∂a_j/∂z_j (cross terms
    dropped); ``"unnormalised_targets"`` — targets that do not sum to 1.
    """
    n = _check_width(n, "n", 2)
    z = sp.Matrix(sp.symbols(f"z_{{1:{n + 1}}}"))
    y = sp.Matrix(sp.symbols(f"y_{{1:{n + 1}}}"))
    if variant != "unnormalised_targets":
        y = sp.Matrix([*list(y[:-1]), 1 - sum(y[:-1])])
    total = sum(sp.exp(v) for v in z)
    a = z.applyfunc(lambda v: sp.exp(v) / total)
    # ln a_k written out: ln a_k = z_k − ln Σ e^{z_i}
    C = -sum(y[k] * (z[k] - sp.log(total)) for k in range(n))
    J = a.jacobian(z)
    jac = J - sp.Matrix(n, n, lambda k, j: a[k] * ((1 if k == j else 0) - a[j]))
    lhs = sp.Matrix([sp.diff(C, zj) for zj in z])
    if variant == "diagonal_jacobian":
        grad_a = sp.Matrix([-y[k] / a[k] for k in range(n)])
        rhs = sp.Matrix([grad_a[j] * J[j, j] for j in range(n)])
        difference = lhs - rhs
    else:
        difference = lhs - (a - y)
    parts = [_reduce(jac)]
    details = (
        f"{n} outputs, every z_j, with symbols for all of them; targets "
        f"{'free' if variant else 'that sum to 1'}"
    )
    return Evidence(difference, details, parts)
