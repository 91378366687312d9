"""SymPy helpers shared by the checks and the symbolic network.

* Generic (undefined) functions whose derivatives are named functions:
  :func:`generic_activation` (σ and σ') and :func:`rest_of_network` (F and its
  partials ∂_i F). A statement proved with them holds for every differentiable
  activation and for whatever the rest of the network is.
* Concrete activations as SymPy callables (``_activation``).
* Symbols in the book's notation (``_layer_symbols``, ``_weight_symbols``).
* Reducing a difference to 0 (``_reduce``; see the package's notes on how full
  networks are compared), and the numerical *witness* that a nonzero residual is
  a real failure (``_witness``).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sympy as sp

_CLASS_CACHE: dict = {}


def _wrap_latex(head: str, printer, args, exp=None) -> str:
    inner = ", ".join(printer._print(a) for a in args)
    text = rf"{head}\left({inner}\right)"
    return text if exp is None else rf"\left({text}\right)^{{{exp}}}"


def generic_activation(name: str = "sigma", latex: str | None = None):
    """An undefined activation f and its derivative f', as SymPy function classes.

    ``f(z).diff(z)`` is ``f_prime(z)``, so SymPy's chain rule runs through any
    composition of ``f``; nothing else is assumed about f. A statement proved with
    them therefore holds for every differentiable activation.

    Parameters
    ----------
    name : str
        A Python identifier, e.g. ``"sigma"`` or ``"h"`` (Bishop's notation).
    latex : str, optional
        How f is printed, e.g. ``r"\\sigma"``; f' is printed with a prime.

    Returns
    -------
    (f, f_prime) : tuple of SymPy function classes
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be a Python identifier; got {name!r}")
    key = ("activation", name)
    if key in _CLASS_CACHE:
        return _CLASS_CACHE[key]
    head = latex if latex is not None else sp.latex(sp.Symbol(name))

    def prime_latex(self, printer, exp=None):
        return _wrap_latex(head + "'", printer, self.args, exp)

    def f_latex(self, printer, exp=None):
        return _wrap_latex(head, printer, self.args, exp)

    prime = type(
        f"{name}_prime",
        (sp.Function,),
        {"nargs": 1, "_latex": prime_latex, "__module__": __name__},
    )

    def fdiff(self, argindex=1):
        return prime(self.args[0])

    f = type(
        name,
        (sp.Function,),
        {"nargs": 1, "fdiff": fdiff, "_latex": f_latex, "__module__": __name__},
    )
    _CLASS_CACHE[key] = (f, prime)
    return f, prime


def rest_of_network(name: str = "F", latex: str | None = None):
    """An undefined function F(u_1, …, u_n) whose partial derivatives are named.

    ``F(u1, u2).diff(u1)`` is ``F_1(u1, u2)``, printed ∂_1 F(u1, u2). Used as "the
    rest of the network": the cost as a function of one layer's pre-activations
    (or activations), with nothing assumed about the layers after it.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be a Python identifier; got {name!r}")
    key = ("rest", name)
    if key in _CLASS_CACHE:
        return _CLASS_CACHE[key]
    head = latex if latex is not None else sp.latex(sp.Symbol(name))
    partials: dict[int, type] = {}

    def partial(i: int):
        if i not in partials:

            def p_latex(self, printer, exp=None, i=i):
                return _wrap_latex(rf"\partial_{{{i}}} {head}", printer, self.args, exp)

            partials[i] = type(
                f"{name}_{i}",
                (sp.Function,),
                {"_latex": p_latex, "__module__": __name__},
            )
        return partials[i]

    def fdiff(self, argindex=1):
        return partial(argindex)(*self.args)

    def f_latex(self, printer, exp=None):
        return _wrap_latex(head, printer, self.args, exp)

    F = type(name, (sp.Function,), {"fdiff": fdiff, "_latex": f_latex})
    F.partial = staticmethod(partial)
    _CLASS_CACHE[key] = F
    return F


sigma, sigma_prime = generic_activation("sigma", r"\sigma")


# --------------------------------------------------------------------- concrete


def _logistic(u):
    return 1 / (1 + sp.exp(-u))


_CONCRETE = {
    "sigmoid": _logistic,
    "tanh": sp.tanh,
    "linear": lambda u: u,
}


@dataclass(frozen=True)
class _Act:
    """An activation as two callables on SymPy expressions: f and f'."""

    name: str
    f: Callable
    prime: Callable
    generic: bool


def _activation(spec, argument: str = "activation", generic_name="sigma") -> _Act:
    if spec is None or spec == "generic":
        f, fp = generic_activation(generic_name)
        return _Act("generic", f, fp, True)
    if not isinstance(spec, str):
        raise TypeError(
            f"{argument} must be None (a generic activation), 'sigmoid', 'tanh' or "
            f"'linear'; got {type(spec).__name__} {spec!r}"
        )
    if spec not in _CONCRETE:
        raise ValueError(
            f"{argument}={spec!r} is not available symbolically; expected None "
            f"(generic σ), {sorted(_CONCRETE)}"
            + (" or 'softmax' (output layer only)" if argument != "activation" else "")
        )
    f = _CONCRETE[spec]
    u = sp.Dummy("u")
    derivative = sp.diff(f(u), u)

    def prime(v, derivative=derivative, u=u):
        return derivative.xreplace({u: v})

    return _Act(spec, f, prime, False)


# --------------------------------------------------------------------- symbols


def _idx(*indices: int, wide: bool) -> str:
    return ",".join(str(i) for i in indices) if wide else "".join(map(str, indices))


def _layer_symbols(stem: str, ell, n: int, wide: bool = False) -> sp.Matrix:
    """A column of symbols ``stem^{ell}_{j}``, j = 1..n."""
    sup = f"^{{{ell}}}" if ell is not None else ""
    return sp.Matrix([sp.Symbol(f"{stem}{sup}_{{{j}}}") for j in range(1, n + 1)])


def _weight_symbols(ell, rows: int, cols: int, stem: str = "w") -> sp.Matrix:
    wide = rows > 9 or cols > 9
    return sp.Matrix(
        rows,
        cols,
        lambda j, k: sp.Symbol(f"{stem}^{{{ell}}}_{{{_idx(j + 1, k + 1, wide=wide)}}}"),
    )


# ------------------------------------------------------------- residuals

_NUMERIC_FUNCS = (sp.exp, sp.log, sp.tanh)


def _reduce(expr, rep: Mapping | None = None):
    """Simplify a difference to 0 if it is identically 0; else a readable residual."""
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(lambda e: _reduce(e, rep))
    expr = sp.sympify(expr)
    if rep:
        expr = expr.xreplace(rep)
    r = sp.expand(expr)
    if r == 0:
        return sp.S.Zero
    if r.has(*_NUMERIC_FUNCS):
        r2 = sp.simplify(sp.together(r))
        if r2 == 0:
            return sp.S.Zero
        r = r2
    if rep:  # show the residual in the original sub-expressions again
        r = r.xreplace({v: k for k, v in rep.items()})
    return sp.factor_terms(r)


def _is_zero(residual) -> bool:
    if isinstance(residual, sp.MatrixBase):
        return all(e == 0 for e in residual)
    return residual == 0


# --------------------------------------------------------------- witnesses


def _concrete_rest(args):
    """A concrete, non-separable stand-in for an undefined F(u_1..u_n)."""
    n = len(args)
    us = sp.symbols(f"_r1:{n + 1}")
    poly = sum(sp.Rational(i + 2, 3) * u**2 for i, u in enumerate(us))
    poly += sum(us[i] * us[i + 1] for i in range(n - 1)) + sp.sin(sum(us))
    return us, poly


def _concretise(expr):
    """Replace every generic function in ``expr`` by a concrete one, consistently."""
    for key, value in list(_CLASS_CACHE.items()):
        if key[0] == "activation":
            f, fp = value
            expr = expr.replace(f, lambda u: _logistic(u))
            expr = expr.replace(fp, lambda u: _logistic(u) * (1 - _logistic(u)))
        else:
            F = value

            def full(*args):
                us, poly = _concrete_rest(args)
                return poly.xreplace(dict(zip(us, args)))

            expr = expr.replace(F, full)
            for i in range(1, 13):

                def part(*args, i=i):
                    us, poly = _concrete_rest(args)
                    if i > len(args):
                        return sp.S.Zero
                    return sp.diff(poly, us[i - 1]).xreplace(dict(zip(us, args)))

                expr = expr.replace(F.partial(i), part)
    return expr


def _witness(difference, seed: int = 1) -> float | None:
    """|difference| at a random rational point, with concrete functions."""
    try:
        if isinstance(difference, sp.MatrixBase):
            items = list(difference)
        else:
            items = [difference]
        rng = random.Random(seed)
        worst = 0.0
        for item in items:
            e = _concretise(sp.sympify(item))
            values = {
                s: sp.Rational(rng.randint(-9, 9), 7) + sp.Rational(1, 11)
                for s in e.free_symbols
            }
            v = complex(sp.N(e.xreplace(values)))
            worst = max(worst, abs(v))
        return worst
    except Exception:  # a witness is a courtesy, never a reason to fail
        return None


# ---------------------------------------------------- readable residuals


def _names(F, args, latex: str, count: int) -> dict:
    """{∂_i F(args): a symbol printed ``latex.format(i)``}, for readable residuals."""
    return {
        F.partial(i)(*args): sp.Symbol(latex.format(i=i)) for i in range(1, count + 1)
    }


def _rename(exprs, stem: str) -> dict:
    """{expression: symbol stem_{i}}: name long sub-expressions in a residual."""
    return {e: sp.Symbol(f"{stem}_{{{i}}}") for i, e in enumerate(exprs, start=1)}


def _combine(parts):
    """Residuals of several sub-checks → one residual (the first nonzero, else 0)."""
    for r in parts:
        if not _is_zero(r):
            return r
    return sp.S.Zero
