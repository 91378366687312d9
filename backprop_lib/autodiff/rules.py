"""The rule table: each elementary operation, its forward rule and its local
derivatives ∂out/∂input side by side, written once. Both modes read it."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ..activations import exp_cap


@dataclass(frozen=True)
class Rule:
    """One elementary operation: its forward rule and its local derivatives.

    ``f(*inputs)`` is the output; ``d(*inputs, out)`` is the tuple of local
    derivatives ∂out/∂input_i, one per input. ``check(*inputs)`` returns an error
    message when the inputs are outside the operation's domain (else None).
    ``symbol`` is how a drawing labels the node.
    """

    name: str
    symbol: str
    f: Callable[..., float]
    d: Callable[..., tuple]
    check: Callable[..., str | None] | None = None


def _sigmoid(a: float) -> float:
    e = math.exp(-abs(a))  # ≤ 1: never overflows
    return 1.0 / (1.0 + e) if a >= 0 else e / (1.0 + e)


def _sigmoid_prime(a: float) -> float:
    e = math.exp(-abs(a))  # σ'(a) = e/(1+e)², exact in both tails
    return e / (1.0 + e) ** 2


def _no_zero_divisor(a, b):
    return None if b != 0 else f"division by zero: the divisor is {b!r}"


def _log_domain(a):
    if a > 0:
        return None
    return f"log needs a positive argument (log is defined for x > 0); got {a!r}"


_EXP_CAP = exp_cap()  # 709: written once, in activations.py


def _exp_range(a):
    if a <= _EXP_CAP:
        return None
    return f"exp({a!r}) overflows a float (the largest is about exp({_EXP_CAP:.0f}))"


# fmt: off
RULES: dict[str, Rule] = {r.name: r for r in [
    #    name       symbol  forward rule          local derivatives ∂out/∂input
    Rule("add",     "+",    lambda a, b: a + b,   lambda a, b, out: (1.0, 1.0)),
    Rule("sub",     "-",    lambda a, b: a - b,   lambda a, b, out: (1.0, -1.0)),
    Rule("mul",     "*",    lambda a, b: a * b,   lambda a, b, out: (b, a)),
    Rule("div",     "/",    lambda a, b: a / b,   lambda a, b, out: (1 / b, -out / b),
         check=_no_zero_divisor),
    Rule("neg",     "neg",  lambda a: -a,         lambda a, out: (-1.0,)),
    Rule("exp",     "exp",  math.exp,             lambda a, out: (out,),
         check=_exp_range),
    Rule("log",     "log",  math.log,             lambda a, out: (1 / a,),
         check=_log_domain),
    Rule("tanh",    "tanh", math.tanh,            lambda a, out: (1 - out * out,)),
    Rule("sigmoid", "σ",    _sigmoid,             lambda a, out: (_sigmoid_prime(a),)),
    # relu'(0) is taken as 0, as in backprop_lib.activations (a subgradient)
    Rule("relu",    "relu", lambda a: max(a, 0.0), lambda a, out: (float(a > 0),)),
]}
# fmt: on


def _power_rule(c: float) -> Rule:
    """``x ** c`` for a constant number c: d/dx x^c = c x^(c-1)."""

    def check(a):
        if a == 0 and c < 0:
            return f"0 ** {c!r} divides by zero"
        if a < 0 and c != int(c):
            return (
                f"a negative number to a non-integer power is not real: {a!r} ** {c!r}"
            )
        return None

    return Rule("pow", f"**{c:g}", lambda a: a**c, lambda a, out: (c * a ** (c - 1),),
                check)  # fmt: skip


def _base_power_rule(c: float) -> Rule:
    """``c ** x`` for a constant base c > 0: d/dx c^x = c^x ln c."""
    return Rule("rpow", f"{c:g}**", lambda a: c**a, lambda a, out: (out * math.log(c),))
