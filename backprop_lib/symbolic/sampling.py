"""What an answer box needs to judge answers with no kernel: numbers, computed by SymPy.

:func:`answer_points` draws a few random points (each symbol in its domain, each
generic activation σ replaced at each point by a random smooth stand-in, see
``_answer_grammar.GENERIC_STAND_IN``), and evaluates there the values of the names a
reader may type, the expected expression and every tempting wrong answer. The page
evaluates the reader's expression at the same points (``answer_parser.js``) and
compares with a relative tolerance. For a numeric answer (an exercise done by hand)
there is one "point" with no names, and the tolerance is the one the exercise states.

The result is plain JSON-ready data; the widget (``backprop_lib.answer_box``) sends
it to the page.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping

import sympy as sp
from sympy.core.function import AppliedUndef

from .._answer_grammar import function_table
from ._sympy import _CLASS_CACHE, _is_zero, _reduce
from .answers import DEFAULT_FUNCTIONS, _symbol_table, function_kinds, parse_answer

__all__ = ["answer_points"]

_U = sp.Dummy("u")
_PRECISION = 30


def _generics(exprs, kinds: Mapping) -> dict:
    """generic name -> (f, f') for every generic activation in the expressions or in
    the function table; any other undefined function is refused."""
    pairs = {}
    by_class = {}
    for key, value in _CLASS_CACHE.items():
        if key[0] == "activation":
            by_class[value[0]] = by_class[value[1]] = key[1]
    for _kind, generic in kinds.values():
        if generic is not None:
            pairs[generic] = None
    for expr in exprs:
        for app in expr.atoms(sp.Function):
            name = by_class.get(type(app))
            builtin = type(app).__module__.startswith("sympy.") and not isinstance(
                app, AppliedUndef
            )
            if name is None and not builtin:
                raise ValueError(
                    f"the expression contains the undefined function {app.func}, which "
                    "the page cannot evaluate; name it as a symbol instead (as p for "
                    "∂_1 F)"
                )
            if name is not None:
                pairs[name] = None
    from ._sympy import generic_activation

    return {name: generic_activation(name) for name in pairs}


def _draw_params(rng: random.Random) -> list[float]:
    sign = rng.choice((-1.0, 1.0))
    return [
        sign * rng.uniform(0.5, 1.5),
        rng.uniform(0.5, 1.5),
        rng.uniform(-1.0, 1.0),
        rng.uniform(-0.5, 0.5),
    ]


def _stand_ins(generics: Mapping, params: Mapping) -> dict:
    out = {}
    for name, (f, fp) in generics.items():
        A, B, C, D = (sp.Float(v, _PRECISION) for v in params[name])
        t = sp.tanh(B * _U + C)
        out[f] = sp.Lambda(_U, A * t + D * _U)
        out[fp] = sp.Lambda(_U, A * B * (1 - t**2) + D)
    return out


def _draw_value(sym: sp.Symbol, rng: random.Random, domains: Mapping):
    domain = domains.get(sym.name, domains.get(sym))
    if domain is not None:
        lo, hi = domain
        return rng.uniform(lo, hi)
    if sym.is_integer:
        return rng.randint(1, 5) if sym.is_positive else rng.randint(-4, 4)
    if sym.is_positive:
        return rng.uniform(0.2, 2.0)
    if sym.is_negative:
        return -rng.uniform(0.2, 2.0)
    return rng.uniform(-2.0, 2.0)


def _evaluate(expr, stand_ins: Mapping, values: Mapping) -> float:
    e = expr
    for cls, lam in stand_ins.items():
        e = e.replace(cls, lam)
    e = e.xreplace(
        {s: (sp.Integer(v) if isinstance(v, int) else sp.Float(v, _PRECISION))
         for s, v in values.items()}
    )  # fmt: skip
    got = complex(e.evalf(_PRECISION))
    if got.imag != 0 or not math.isfinite(got.real):
        raise ArithmeticError
    return got.real


def answer_points(
    expected,
    symbols=None,
    *,
    tempting: Mapping[str, str] | None = None,
    functions: Mapping | None = None,
    n_points: int = 8,
    seed=0,
    domains: Mapping | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-12,
) -> dict:
    """The data an answer box compares a reader's answer with.

    Parameters
    ----------
    expected : SymPy expression or number
        The right answer, in whatever symbols SymPy computed it.
    symbols : dict name -> SymPy expression, or list of Symbols/names
        What the reader may type (as for :func:`parse_answer`). None or empty for a
        numeric answer.
    tempting : dict typed answer -> one-sentence hint
        The wrong answers the exercise is built around.
    functions : dict name -> callable, optional
        The functions the reader may type (default: the grammar's).
    n_points : int
        How many random points (1 for a numeric answer).
    seed : int or str
        Seeds the points (the exercise's label keeps a page's build reproducible).
    domains : dict symbol or name -> (low, high), optional
        Where to draw a symbol (default: its SymPy assumptions; else (-2, 2)).
    rtol, atol : float
        The tolerance of the comparison: |got - want| <= rtol·max(|got|, |want|) + atol.

    Raises
    ------
    ValueError
        If a tempting answer cannot be read or equals the expected one, or the
        expressions contain something the page cannot evaluate.
    """
    if not isinstance(n_points, int) or n_points < 1:
        raise ValueError(f"n_points must be a positive integer; got {n_points!r}")
    if not (rtol > 0 and atol >= 0):
        raise ValueError(f"rtol must be > 0 and atol >= 0; got {rtol!r}, {atol!r}")
    table = _symbol_table(symbols)
    funcs = dict(DEFAULT_FUNCTIONS if functions is None else functions)
    kinds = function_kinds(funcs)
    for name, (kind, _generic) in kinds.items():
        if kind == "custom":
            raise ValueError(
                f"functions[{name!r}] is not one the page can evaluate: use exp, log, "
                "sqrt, tanh, the logistic sigmoid or a generic_activation"
            )
    try:
        expected = sp.sympify(expected)
    except (sp.SympifyError, TypeError) as err:
        raise TypeError(
            f"expected must be a SymPy expression or a number; got {expected!r}"
        ) from err
    numeric = not table and not expected.free_symbols
    if numeric:  # a number: compare in floating point, never simplify (by-hand values)
        expected = sp.N(expected, _PRECISION)
    tempting = dict(tempting or {})
    wrong = {}
    for text, hint in tempting.items():
        if not isinstance(hint, str) or not hint.strip():
            raise ValueError(f"tempting[{text!r}] needs a one-sentence hint")
        try:
            wrong[text] = parse_answer(text, table, funcs)
        except ValueError as err:
            raise ValueError(f"the tempting answer {text!r}: {err}") from err
        if not numeric and _is_zero(_reduce(wrong[text] - expected)):
            raise ValueError(f"the tempting answer {text!r} equals the expected one")
    exprs = [expected, *table.values(), *wrong.values()]
    generics = _generics(exprs, kinds)
    base = sorted(set().union(*(e.free_symbols for e in exprs)), key=str)
    rng = random.Random(str(seed))
    domains = dict(domains or {})
    points, want, tempt = [], [], {t: [] for t in wrong}
    tries = 0
    while len(points) < (1 if numeric else n_points):
        tries += 1
        if tries > 50 * n_points:
            raise ValueError(
                "could not find points where the expected answer and every name are "
                "finite real numbers; give the symbols domains"
            )
        values = {s: _draw_value(s, rng, domains) for s in base}
        params = {name: _draw_params(rng) for name in generics}
        stand = _stand_ins(generics, params)
        try:
            named = {n: _evaluate(e, stand, values) for n, e in table.items()}
            w = _evaluate(expected, stand, values)
            t = {text: _evaluate(e, stand, values) for text, e in wrong.items()}
        except (ArithmeticError, TypeError):
            continue
        points.append({"values": named, "params": params})
        want.append(w)
        for text, v in t.items():
            tempt[text].append(v)
    for text, vals in tempt.items():
        if all(
            abs(v - w) <= rtol * max(abs(v), abs(w)) + atol for v, w in zip(vals, want)
        ):
            raise ValueError(
                f"the tempting answer {text!r} cannot be told from the expected one "
                "at the sample points"
            )
    return {
        "mode": "number" if numeric else "expression",
        "names": sorted(table),
        "functions": function_table(kinds),
        "points": points,
        "expected": want,
        "tempting": [{"values": tempt[t], "hint": tempting[t]} for t in wrong],
        "rtol": rtol,
        "atol": atol,
        "needs": _needs(table, expected, generics, rng, domains),
    }


def _needs(table: Mapping, expected, generics, rng, domains) -> dict:
    """For each name that is a symbol of its own (a bare symbol that no other name
    contains): does the expected answer depend on it? Only these claims are certain
    enough to tell a reader "your answer does not depend on q"."""
    out = {}
    for name, expr in table.items():
        if not isinstance(expr, sp.Symbol):
            continue
        if any(expr in e.free_symbols for n, e in table.items() if n != name):
            continue
        d = sp.diff(expected, expr)
        if d == 0:
            out[name] = False
            continue
        depends = False
        for _ in range(3):
            values = {s: _draw_value(s, rng, domains) for s in d.free_symbols}
            params = {g: _draw_params(rng) for g in generics}
            try:
                depends = abs(_evaluate(d, _stand_ins(generics, params), values)) > 1e-9
            except (ArithmeticError, TypeError):
                continue
            if depends:
                break
        out[name] = depends
    return out
