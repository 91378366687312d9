"""What both number types share: the operators (read from the rule table), the
domain checks and the test for a real number."""

from __future__ import annotations

import numbers
from collections.abc import Sequence

from .rules import RULES, Rule, _base_power_rule, _power_rule


def _real(x: object) -> bool:
    t = type(x)
    if t is float or t is int:  # the common case, without the slower ABC check
        return True
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _check_exponent(c: object, op: str) -> float:
    if not _real(c):
        raise TypeError(
            f"{op}: the exponent must be a constant real number (int or float); got "
            f"{type(c).__name__} {c!r}. For a variable exponent write exp(y * log(x))"
        )
    return float(c)


class _Ops:
    """The arithmetic both number types share; ``_apply`` does the work."""

    __slots__ = ()

    @classmethod
    def _operand_error(cls, other: object, op: str) -> TypeError:
        """The error for an operand that is neither this type nor a real number."""
        name = cls.__name__
        what = (
            f"a {type(other).__name__} (forward mode and reverse mode are separate "
            "engines: use one)"
            if isinstance(other, _Ops)
            else f"{type(other).__name__} {other!r}"
        )
        return TypeError(
            f"{name} {op} ...: the other operand must be a {name} or a real number "
            f"(int or float); got {what}"
        )

    def __add__(self, other):
        return self._apply(RULES["add"], self, self._coerce(other, "+"))

    def __radd__(self, other):
        return self._apply(RULES["add"], self._coerce(other, "+"), self)

    def __sub__(self, other):
        return self._apply(RULES["sub"], self, self._coerce(other, "-"))

    def __rsub__(self, other):
        return self._apply(RULES["sub"], self._coerce(other, "-"), self)

    def __mul__(self, other):
        return self._apply(RULES["mul"], self, self._coerce(other, "*"))

    def __rmul__(self, other):
        return self._apply(RULES["mul"], self._coerce(other, "*"), self)

    def __truediv__(self, other):
        return self._apply(RULES["div"], self, self._coerce(other, "/"))

    def __rtruediv__(self, other):
        return self._apply(RULES["div"], self._coerce(other, "/"), self)

    def __pow__(self, c):
        return self._apply(_power_rule(_check_exponent(c, "x ** c")), self)

    def __rpow__(self, c):
        base = _check_exponent(c, "c ** x")
        if base <= 0:
            raise ValueError(f"c ** x needs a positive base c; got {c!r}")
        return self._apply(_base_power_rule(base), self)

    def __neg__(self):
        return self._apply(RULES["neg"], self)

    def exp(self):
        return self._apply(RULES["exp"], self)

    def log(self):
        return self._apply(RULES["log"], self)

    def tanh(self):
        return self._apply(RULES["tanh"], self)

    def sigmoid(self):
        return self._apply(RULES["sigmoid"], self)

    def relu(self):
        return self._apply(RULES["relu"], self)


def _checked(rule: Rule, inputs: Sequence[float], names: Sequence[str]) -> None:
    if rule.check is not None:
        message = rule.check(*inputs)
        if message is not None:
            where = ", ".join(n for n in names if n)
            raise ValueError(message + (f" (input {where})" if where else ""))


def _as_numbers(x: object, argument: str) -> list[float]:
    if isinstance(x, (str, bytes)) or not hasattr(x, "__iter__"):
        raise TypeError(
            f"{argument} must be a sequence of real numbers; got {type(x).__name__}"
        )
    out = []
    for i, xi in enumerate(x):
        if not _real(xi):
            raise TypeError(
                f"{argument}[{i}] must be a real number; got {type(xi).__name__} {xi!r}"
            )
        out.append(float(xi))
    return out
