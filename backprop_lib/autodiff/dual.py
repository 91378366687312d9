"""Forward mode: :class:`Dual`, a number with a tangent pushed through the same
rules as reverse mode."""

from __future__ import annotations

from .counting import _tally_forward
from .ops import _checked, _Ops, _real
from .rules import Rule


class Dual(_Ops):
    """A dual number ``primal + tangent·ε`` (ε² = 0): forward-mode differentiation.

    Each operation computes its output and, from the same local derivatives as
    reverse mode (:data:`RULES`), the output's tangent:
    tangent_out = Σ_i ∂out/∂input_i · tangent_i. Seeding the inputs' tangents with a
    direction v gives every output's derivative along v (a Jacobian-vector product)
    in one sweep, and nothing is stored.
    """

    __slots__ = ("primal", "tangent")

    def __init__(self, primal, tangent=0.0):
        for name, x in (("primal", primal), ("tangent", tangent)):
            if not _real(x):
                raise TypeError(
                    f"Dual({name}) must be a real number (int or float); got "
                    f"{type(x).__name__} {x!r}"
                )
        self.primal = float(primal)
        self.tangent = float(tangent)

    @staticmethod
    def _coerce(other, op: str) -> Dual:
        if isinstance(other, Dual):
            return other
        if _real(other):
            return Dual(other, 0.0)  # a constant: zero tangent
        raise Dual._operand_error(other, op)

    @staticmethod
    def _apply(rule: Rule, *inputs: Dual) -> Dual:
        primals = [x.primal for x in inputs]
        _checked(rule, primals, [])
        _tally_forward(rule, tangent=True)
        out = Dual.__new__(Dual)  # the inputs are checked: skip __init__'s checks
        out.primal = float(rule.f(*primals))
        local = rule.d(*primals, out.primal)
        out.tangent = float(sum(d * x.tangent for d, x in zip(local, inputs)))
        return out

    def __repr__(self) -> str:
        return f"Dual({self.primal:.6g}, tangent={self.tangent:.6g})"
