"""Layer expressions for :mod:`backprop_lib.notation`: a layer number is an integer
or an affine expression such as ``"L-m+1"`` or ``r"\\ell"``, and each convention
numbers layers as ``alpha * (book layer) + beta``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

# --------------------------------------------------------------------------------------
# Layer expressions: integers, or affine expressions such as "L-m+1"
# --------------------------------------------------------------------------------------

_OUT = "L"  # the symbol that means "the output layer" in a layer expression
_TERM = re.compile(r"([+-]?)(\d*)(\\[A-Za-z]+|[A-Za-z]?)")


@dataclass(frozen=True)
class _Layer:
    """An affine layer expression: ``sum(coef[s] * s) + const``, exact rationals."""

    coef: tuple[tuple[str, Fraction], ...] = ()
    const: Fraction = Fraction(0)

    @staticmethod
    def parse(value, argument: str = "layer", out_symbol: str = _OUT) -> _Layer:
        if isinstance(value, _Layer):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise TypeError(
                f"{argument} must be an int or a string such as 'l', 'L-m+1'; got"
                f" {type(value).__name__}"
            )
        if isinstance(value, int):
            return _Layer((), Fraction(value))
        text = value.replace(" ", "").replace("{", "").replace("}", "")
        if not text or len(text) > 40:
            raise ValueError(
                f"{argument} must be a short layer expression such as 'l', 'L-1' or "
                f"'L-m+1'; got {value!r}"
            )
        coef: dict[str, Fraction] = {}
        const = Fraction(0)
        pos = 0
        while pos < len(text):
            m = _TERM.match(text, pos)
            sign, digits, symbol = m.groups()
            if m.end() == pos or not (digits or symbol) or (pos > 0 and not sign):
                raise ValueError(
                    f"{argument}={value!r} is not an affine layer expression: write "
                    "terms like 'L', '2m', '1' joined by + and -, e.g. 'L-m+1'"
                )
            c = Fraction(int(digits) if digits else 1) * (-1 if sign == "-" else 1)
            if symbol:
                key = _OUT if symbol == out_symbol else symbol
                coef[key] = coef.get(key, Fraction(0)) + c
            else:
                const += c
            pos = m.end()
        return _Layer._make(coef, const)

    @staticmethod
    def _make(coef: dict, const: Fraction) -> _Layer:
        order = sorted((s for s in coef if coef[s] != 0), key=lambda s: s != _OUT)
        return _Layer(tuple((s, coef[s]) for s in order), Fraction(const))

    @property
    def is_number(self) -> bool:
        return not self.coef

    @property
    def is_integral(self) -> bool:
        return self.const.denominator == 1 and all(
            c.denominator == 1 for _, c in self.coef
        )

    def shift(self, offset: int) -> _Layer:
        return _Layer(self.coef, self.const + offset)

    def to_convention(self, amap, out_map) -> _Layer:
        """Book layer -> a convention's index ``alpha*e + beta``, with the book's L
        replaced by the convention's own output index ``(L_c - beta0)/alpha0``."""
        alpha, beta = amap
        alpha0, beta0 = out_map
        coef = {s: alpha * c for s, c in self.coef if s != _OUT}
        c_out = dict(self.coef).get(_OUT, Fraction(0))
        if c_out:
            coef[_OUT] = Fraction(alpha, alpha0) * c_out
        const = alpha * self.const + beta - Fraction(alpha * beta0, alpha0) * c_out
        return _Layer._make(coef, const)

    def to_book(self, amap, out_map) -> _Layer:
        """Inverse of :meth:`to_convention`."""
        alpha, beta = amap
        alpha0, beta0 = out_map
        c_out = dict(self.coef).get(_OUT, Fraction(0))
        coef = {s: c / alpha for s, c in self.coef if s != _OUT}
        if c_out:
            coef[_OUT] = c_out * Fraction(alpha0, alpha)
        const = (self.const - beta + c_out * beta0) / alpha
        return _Layer._make(coef, const)

    def format(self, out_symbol: str = _OUT, code: bool = False) -> str:
        parts = []
        for s, c in self.coef:
            name = out_symbol if s == _OUT else s
            if code:
                name = name.lstrip("\\")
            parts.append(_term(c, name, code))
        if self.const or not parts:
            parts.append(_term(self.const, "", code))
        text = "".join(parts)
        return text[1:] if text.startswith("+") else text


def _term(c: Fraction, name: str, code: bool) -> str:
    sign = "-" if c < 0 else "+"
    c = abs(c)
    if c.denominator != 1:
        if code:
            body = f"{c.numerator}*{name}/{c.denominator}" if name else str(c)
            body = body.replace("1*", "") if c.numerator == 1 and name else body
        else:
            num = f"{c.numerator}{name}" if c.numerator != 1 or not name else f"{name}"
            body = rf"\tfrac{{{num}}}{{{c.denominator}}}"
        return sign + body
    if not name:
        return sign + str(c.numerator)
    if c == 1:
        return sign + name
    return sign + str(c.numerator) + ("*" if code else "") + name
