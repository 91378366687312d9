"""Machine checks, with SymPy, of every equation the book states.

This is the only module of ``backprop_lib`` that imports SymPy.

What is here
------------
* **Generic functions.** :func:`generic_activation` returns an undefined function
  σ whose derivative SymPy writes as another undefined function σ'. SymPy's own
  chain rule then differentiates any composition of them, and a proof that uses
  them holds for *every* differentiable activation. :func:`rest_of_network` does
  the same for a function of several arguments ("the rest of the network").
* **Symbolic networks.** :func:`symbolic_network` gives a symbol for every weight
  w^ℓ_jk, bias b^ℓ_j, input x_k and target y_j, and the pre-activations z^ℓ, the
  activations a^ℓ and the cost C as SymPy expressions.
* **Checks.** Each function in :data:`CHECKS` proves one equation and returns a
  :class:`CheckResult` (name, the statement in LaTeX, passed, the residual, what was
  checked). A proof has two parts: an *induction step*, one layer with a generic
  activation and the rest of the network an undefined function of the next layer's
  pre-activations, which holds for any depth and width; and a confirmation on
  small concrete networks by direct differentiation. Every check also accepts
  ``variant=...``: a named, deliberately wrong version of the equation (σ' left
  out, the transpose left out, ∂a_k/∂a_j taken as a Kronecker delta, …) that must
  fail.
* **Readers' answers.** :func:`parse_answer` reads a typed formula into a SymPy
  expression without ever evaluating Python; :func:`answer_matches` says whether
  it equals the expected one.

How the full networks are compared
----------------------------------
The derivative SymPy computes by differentiating the whole nested expression, and
the one backprop assembles layer by layer, both contain the same sub-expressions
σ(z^ℓ_j) and σ'(z^ℓ_j), with z^ℓ_j itself a nested expression of the inputs. Each
such sub-expression is replaced by a fresh symbol (the same symbol on both sides),
which leaves two polynomials; they are equal if their expanded difference is 0.
Replacing equal sub-expressions by equal symbols cannot make unequal expressions
equal, so a zero here is a proof, and it costs a polynomial expansion instead of a
``simplify`` of a nested expression.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import math
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import sympy as sp

from ._checks import check_sizes

__all__ = [
    "CHECKS",
    "DEFAULT_FUNCTIONS",
    "VARIANTS",
    "CheckReport",
    "CheckResult",
    "SymbolicNetwork",
    "answer_matches",
    "check",
    "check_all",
    "generic_activation",
    "parse_answer",
    "rest_of_network",
    "symbolic_network",
    "variants",
]


# =====================================================================
# Check results
# =====================================================================


def _short_latex(expr, limit: int = 400) -> str:
    """LaTeX of ``expr``, or a readable summary when it is too long."""
    text = sp.latex(expr)
    if len(text) <= limit:
        return text
    if isinstance(expr, sp.MatrixBase):
        nonzero = [(i, e) for i, e in enumerate(expr) if e != 0]
        head = (
            rf"\text{{a }}{expr.rows}\times{expr.cols}\text{{ matrix with "
            rf"{len(nonzero)} nonzero entries"
        )
        if not nonzero:
            return head + "}"
        i, first = nonzero[0]
        row, col = divmod(i, expr.cols)
        return (
            head
            + rf"; entry ({row + 1},{col + 1}) is }}\quad "
            + _short_latex(first, limit)
        )
    terms = sp.Add.make_args(expr)
    first = sp.latex(terms[0])
    if len(first) > limit:
        return rf"\text{{(an expression too long to show: {len(text)} characters)}}"
    return rf"{first} + \dots \text{{ ({len(terms)} terms)}}"


@dataclass
class CheckResult:
    """The outcome of one machine check.

    Attributes
    ----------
    name : str
        The check's key in :data:`CHECKS`, e.g. ``"BP2"``.
    statement : str
        The equation checked, in LaTeX (for a wrong variant: the wrong equation).
    passed : bool
        True when the two sides agree identically.
    residual : SymPy expression or Matrix
        Left side minus right side after simplification: ``0`` when passed, the
        nonzero difference when failed.
    details : str
        What was checked: sizes, which activation, which networks.
    variant : str or None
        The deliberately wrong variant checked, or None for the true equation.
    witness : float or None
        For a failed check: |left − right| at a random point with concrete
        functions (σ the logistic sigmoid), a number showing the failure is real.
    seconds : float
        How long the check took.
    """

    name: str
    statement: str
    passed: bool
    residual: object = 0
    details: str = ""
    variant: str | None = None
    witness: float | None = None
    seconds: float = 0.0

    def __bool__(self) -> bool:
        return bool(self.passed)

    @property
    def title(self) -> str:
        return self.name if self.variant is None else f"{self.name} [{self.variant}]"

    def _repr_markdown_(self) -> str:
        mark = "✓" if self.passed else "✗"
        verdict = "holds" if self.passed else "FAILS"
        lines = [
            f"**{mark} `{self.title}` {verdict}** ({self.seconds:.2f} s)",
            "",
            "$$",
            self.statement,
            "$$",
            "",
        ]
        if not self.passed:
            lines += [
                "Left side minus right side, simplified:",
                "",
                "$$",
                _short_latex(self.residual),
                "$$",
                "",
            ]
            if self.witness is not None:
                lines += [
                    "With concrete functions at a random point the two sides "
                    f"differ by {self.witness:.4g}.",
                    "",
                ]
        lines.append(f"*Checked:* {self.details}")
        return "\n".join(lines)

    def _repr_latex_(self) -> str:
        mark = r"\checkmark" if self.passed else r"\times"
        return rf"$\text{{{self.title}}}\;{mark}:\quad {self.statement}$"

    def __str__(self) -> str:
        verdict = "passed" if self.passed else f"FAILED (residual {self.residual})"
        return f"{self.title}: {verdict} -- {self.details}"


class CheckReport(dict):
    """``check_all``'s result: a dict name → :class:`CheckResult` shown as a table."""

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.values())

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.values())

    def _repr_markdown_(self) -> str:
        rows = [
            "| check | equation | result | time |",
            "|---|---|---|---|",
        ]
        for name, r in self.items():
            mark = "✓ holds" if r.passed else "✗ FAILS"
            rows.append(f"| `{name}` | ${r.statement}$ | {mark} | {r.seconds:.2f} s |")
        rows += ["", f"{len(self)} checks in {self.seconds:.1f} s."]
        return "\n".join(rows)

    def __str__(self) -> str:
        return "\n".join(str(r) for r in self.values())


# =====================================================================
# Generic (undefined) functions whose derivatives are named functions
# =====================================================================

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
    f.latex_head = head
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
    F.latex_head = head
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


# =====================================================================
# Symbolic networks (Nielsen's notation)
# =====================================================================


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


def _check_sizes(sizes, limit: int = 60) -> list[int]:
    sizes = list(check_sizes(sizes))  # the core's checks and messages
    n_params = sum(n * (m + 1) for m, n in itertools.pairwise(sizes))
    if n_params > limit:
        raise ValueError(
            f"sizes={sizes} has {n_params} weights and biases; symbolic networks are "
            f"limited to {limit} (differentiating a nested network grows about 7x "
            "per added layer). Prove general statements with the induction-step "
            "checks instead."
        )
    return sizes


class SymbolicNetwork:
    """A fully connected network with a symbol for every quantity (Nielsen's notation).

    Attributes
    ----------
    sizes : list of int
    L : int
        The output layer's index.
    x, y : sympy.Matrix
        Input symbols x_k and target symbols y_j (columns).
    W, b : list
        ``W[ell]`` is the matrix of symbols w^ℓ_jk, shape (n_ℓ, n_{ℓ-1}); ``b[ell]``
        the column of b^ℓ_j; index 0 is None. Entry ``W[ell][j, k]`` (0-based, as
        in the numpy core) is the symbol w^ℓ_{j+1,k+1} (1-based, as in the text).
    z, a : list of sympy.Matrix
        z^ℓ = W^ℓ a^{ℓ-1} + b^ℓ and a^ℓ = f(z^ℓ) as nested expressions of x;
        ``a[0]`` is x and ``z[0]`` is None.
    C : sympy expression
        The cost of one example.
    f, f_prime : callables
        The hidden activation and its derivative, applied to one SymPy expression.
    names : dict
        Typeable names for every symbol (``"w2_11"``, ``"b1_3"``, ``"x_1"``,
        ``"y_2"``), for :func:`parse_answer`.
    """

    def __init__(
        self, sizes, activation=None, output_activation=None, cost="quadratic"
    ):
        self.sizes = _check_sizes(sizes)
        self.L = len(self.sizes) - 1
        self.hidden = _activation(activation, "activation")
        out = activation if output_activation is None else output_activation
        self.softmax = out == "softmax"
        if self.softmax:
            if self.sizes[-1] < 2:
                raise ValueError("output_activation='softmax' needs >= 2 output units")
            self.output = None
        else:
            self.output = _activation(out, "output_activation")
        if cost not in ("quadratic", "cross_entropy"):
            raise ValueError(
                f"cost={cost!r} is not available symbolically; expected 'quadratic' "
                "or 'cross_entropy'"
            )
        if cost == "cross_entropy" and not (
            self.softmax or (self.output is not None and self.output.name == "sigmoid")
        ):
            raise ValueError(
                "cost='cross_entropy' needs output_activation 'sigmoid' or 'softmax'"
            )
        self.cost = cost
        n = self.sizes
        self.x = _layer_symbols("x", None, n[0])
        self.y = _layer_symbols("y", None, n[-1])
        self.W: list = [None]
        self.b: list = [None]
        self.z: list = [None]
        self.a: list = [self.x]
        for ell in range(1, self.L + 1):
            self.W.append(_weight_symbols(ell, n[ell], n[ell - 1]))
            self.b.append(_layer_symbols("b", ell, n[ell]))
            z = self.W[ell] * self.a[ell - 1] + self.b[ell]
            self.z.append(z)
            self.a.append(self._activate(ell, z))
        self.C = self.cost_of(self.a[self.L])
        self.names = self._typeable_names()

    # ------------------------------------------------------------- pieces
    @property
    def f(self):
        return self.hidden.f

    @property
    def f_prime(self):
        return self.hidden.prime

    def _activate(self, ell: int, z: sp.Matrix) -> sp.Matrix:
        if ell == self.L and self.softmax:
            e = z.applyfunc(sp.exp)
            total = sum(e)
            return e.applyfunc(lambda v: v / total)
        act = self.output if ell == self.L else self.hidden
        return z.applyfunc(act.f)

    def cost_of(self, aL: sp.Matrix):
        """C as a function of the output activations (one example)."""
        y = self.y
        if self.cost == "quadratic":
            return sp.Rational(1, 2) * sum((aL[j] - y[j]) ** 2 for j in range(len(y)))
        if self.softmax:
            return -sum(y[j] * sp.log(aL[j]) for j in range(len(y)))
        return -sum(
            y[j] * sp.log(aL[j]) + (1 - y[j]) * sp.log(1 - aL[j]) for j in range(len(y))
        )

    def params(self) -> list:
        """Every weight and bias symbol, layer by layer."""
        out = []
        for ell in range(1, self.L + 1):
            out += list(self.W[ell]) + list(self.b[ell])
        return out

    def _typeable_names(self) -> dict:
        names = {}
        wide = max(self.sizes) > 9
        for k, s in enumerate(self.x, start=1):
            names[f"x_{k}"] = s
        for j, s in enumerate(self.y, start=1):
            names[f"y_{j}"] = s
        for ell in range(1, self.L + 1):
            rows, cols = self.W[ell].shape
            for j in range(rows):
                names[f"b{ell}_{j + 1}"] = self.b[ell][j]
                for k in range(cols):
                    sep = "_" if wide else ""
                    names[f"w{ell}_{j + 1}{sep}{k + 1}"] = self.W[ell][j, k]
        return names

    # ------------------------------------------------------------- backprop
    def delta_L(self) -> sp.Matrix:
        """BP1, from the definition: δ^L_j = Σ_k ∂C/∂a^L_k · ∂a^L_k/∂z^L_j.

        The output layer is differentiated on placeholder symbols u = z^L and the
        result is evaluated at the network's z^L; for elementwise activations the
        Jacobian is diagonal and this is ∇_a C ⊙ f'(z^L).
        """
        n = self.sizes[-1]
        u = sp.Matrix(sp.symbols(f"_u1:{n + 1}"))
        a_u = self._activate(self.L, u)
        v = sp.Matrix(sp.symbols(f"_v1:{n + 1}"))
        C_v = self.cost_of(v)
        grad_a = sp.Matrix([sp.diff(C_v, vj) for vj in v]).xreplace(dict(zip(v, a_u)))
        J = a_u.jacobian(u)
        d = J.T * grad_a
        return d.xreplace(dict(zip(u, self.z[self.L])))

    def backprop(self) -> dict:
        """δ^ℓ and the gradients assembled by BP1–BP4, as SymPy matrices.

        Returns a dict with lists ``delta``, ``grad_W``, ``grad_b`` (index 0 None):
        BP1 δ^L = J^T ∇_a C; BP2 δ^ℓ = ((W^{ℓ+1})^T δ^{ℓ+1}) ⊙ f'(z^ℓ);
        BP3 ∂C/∂b^ℓ = δ^ℓ; BP4 ∂C/∂W^ℓ = δ^ℓ (a^{ℓ-1})^T.
        """
        L = self.L
        delta = [None] * (L + 1)
        delta[L] = self.delta_L()
        for ell in range(L - 1, 0, -1):
            delta[ell] = (self.W[ell + 1].T * delta[ell + 1]).multiply_elementwise(
                self.z[ell].applyfunc(self.f_prime)
            )
        grad_b = [None] + [delta[ell] for ell in range(1, L + 1)]
        grad_W = [None] + [delta[ell] * self.a[ell - 1].T for ell in range(1, L + 1)]
        return {"delta": delta, "grad_W": grad_W, "grad_b": grad_b}

    def direct_gradients(self) -> dict:
        """∂C/∂W^ℓ and ∂C/∂b^ℓ by differentiating the whole nested expression C."""
        grad_W, grad_b = [None], [None]
        for ell in range(1, self.L + 1):
            grad_W.append(self.W[ell].applyfunc(lambda w: sp.diff(self.C, w)))
            grad_b.append(self.b[ell].applyfunc(lambda b: sp.diff(self.C, b)))
        return {"grad_W": grad_W, "grad_b": grad_b}

    def cut_cost(self, ell: int):
        """(u, C_u): the cost with z^ℓ replaced by free symbols u (layers ℓ..L only)."""
        n = self.sizes[ell]
        u = sp.Matrix(sp.symbols(f"_cut{ell}_1:{n + 1}"))
        a = self._activate(ell, u)
        for k in range(ell + 1, self.L + 1):
            a = self._activate(k, self.W[k] * a + self.b[k])
        return u, self.cost_of(a)

    def direct_deltas(self) -> list:
        """δ^ℓ = ∂C/∂z^ℓ by direct differentiation of the cost as a function of z^ℓ."""
        out = [None]
        for ell in range(1, self.L + 1):
            u, C_u = self.cut_cost(ell)
            d = sp.Matrix([sp.diff(C_u, uj) for uj in u])
            out.append(d.xreplace(dict(zip(u, self.z[ell]))))
        return out

    def placeholders(self) -> dict:
        """{f(z^ℓ_j): s, f'(z^ℓ_j): p} for a generic activation (see module notes)."""
        rep = {}
        for ell in range(1, self.L + 1):
            acts = [self.hidden] if ell < self.L else [self.output, self.hidden]
            for j, zj in enumerate(self.z[ell], start=1):
                for act in acts:
                    if act is None:
                        continue
                    rep[act.f(zj)] = sp.Symbol(f"_s{ell}_{j}")
                    rep[act.prime(zj)] = sp.Symbol(f"_p{ell}_{j}")
        return rep

    # ------------------------------------------------------------- numbers
    def substitutions(self, net, x, y) -> dict:
        """{symbol: number} for a numpy ``bp.Network``'s parameters and one x, y."""
        import numpy as np

        if list(net.sizes) != self.sizes:
            raise ValueError(
                f"net has sizes {list(net.sizes)} but this symbolic network has "
                f"{self.sizes}"
            )
        x = np.asarray(x, dtype=float).ravel()
        y = np.asarray(y, dtype=float).ravel()
        if x.shape != (self.sizes[0],) or y.shape != (self.sizes[-1],):
            raise ValueError(
                f"x must have {self.sizes[0]} entries and y {self.sizes[-1]}; got "
                f"shapes {x.shape} and {y.shape}"
            )
        values = dict(zip(self.x, x.tolist()))
        values.update(zip(self.y, y.tolist()))
        for ell in range(1, self.L + 1):
            values.update(zip(self.W[ell], np.asarray(net.W[ell]).ravel().tolist()))
            values.update(zip(self.b[ell], np.asarray(net.b[ell]).ravel().tolist()))
        return values

    def evaluate(self, expr, net, x, y):
        """Evaluate SymPy quantities of this network at a numpy ``bp.Network``.

        ``expr`` is an expression, a matrix, or a list of them (evaluated together,
        with common sub-expressions shared); returns float arrays of the same
        shapes.
        """
        import numpy as np

        if self.hidden.generic:
            raise ValueError(
                "this symbolic network has a generic activation; build it with "
                "activation='sigmoid' (or 'tanh', 'linear') to get numbers"
            )
        values = self.substitutions(net, x, y)
        many = isinstance(expr, (list, tuple))
        items = list(expr) if many else [expr]
        fn = sp.lambdify(list(values), items, modules="numpy", cse=True)
        out = [np.array(v, dtype=float) for v in fn(*values.values())]
        return out if many else out[0]

    def __repr__(self) -> str:
        act = self.hidden.name if not self.hidden.generic else "generic σ"
        return f"SymbolicNetwork({self.sizes}, activation={act!r}, cost={self.cost!r})"


def symbolic_network(sizes, activation=None, output_activation=None, cost="quadratic"):
    """Build a :class:`SymbolicNetwork`.

    Parameters
    ----------
    sizes : list of int
        Units per layer, input first; keep it small (≤ 60 parameters).
    activation : None, "sigmoid", "tanh" or "linear"
        None means a generic σ (an undefined function), so that whatever is proved
        holds for every activation.
    output_activation : as ``activation``, or "softmax"; defaults to ``activation``.
    cost : "quadratic" (½‖a^L − y‖²) or "cross_entropy".
    """
    return SymbolicNetwork(sizes, activation, output_activation, cost)


# =====================================================================
# Helpers for the checks
# =====================================================================

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


_WITNESS_F = None


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


def _result(name, statement, difference, details, variant, t0, parts=None, abbrev=None):
    """Assemble a :class:`CheckResult`.

    ``difference`` is left side minus right side of the main (induction-step)
    statement; ``parts`` are already reduced residuals of further sub-checks (full
    networks); ``abbrev`` maps long sub-expressions to short names for display.
    """
    first = _reduce(difference)
    residual = _combine([first, *(parts or [])])
    passed = _is_zero(residual)
    witness = None if passed else _witness(difference if not _is_zero(first) else 0)
    if witness == 0:
        witness = None
    if abbrev and not passed:
        residual = residual.xreplace(abbrev)
    return CheckResult(
        name=name,
        statement=statement,
        passed=passed,
        residual=residual,
        details=details,
        variant=variant,
        witness=witness,
        seconds=time.perf_counter() - t0,
    )


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


VARIANTS: dict[str, tuple[str, ...]] = {
    "chain_rule": ("k_copies", "diagonal"),
    "layer_recurrence": ("no_sum",),
    "BP1": ("no_sigma_prime",),
    "BP2": ("no_sigma_prime", "no_transpose"),
    "BP3": ("extra_sigma_prime",),
    "BP4": ("swapped_indices",),
    "sigmoid_shortcut": ("tanh",),
    "bishop_5.53": ("swapped_indices",),
    "bishop_5.54": ("sigmoid_squared_error",),
    "bishop_5.55": ("kronecker", "next_layer_only_for_softmax"),
    "bishop_5.56": ("no_h_prime", "w_jk"),
    "split_layers": ("index_slip",),
    "softmax_cross_entropy": ("diagonal_jacobian", "unnormalised_targets"),
}
"""The named wrong variants of each check; every one of them must fail."""


def _check_variant(name: str, variant):
    allowed = VARIANTS[name]
    if variant is not None and variant not in allowed:
        raise ValueError(
            f"variant={variant!r} is not a variant of check {name!r}; expected None "
            f"(the true statement) or one of {list(allowed)}"
        )


def _check_width(value, argument: str, low: int = 1, high: int = 6) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{argument} must be an integer; got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{argument} must be between {low} and {high}; got {value}")
    return value


DEFAULT_FULL_NETWORKS = ((2, 3, 2), (3, 2, 2, 1), (2, 2, 2, 2))

_FULL_CACHE: dict = {}


def _full(sizes):
    """Generic-σ network with its direct derivatives, cached (built once per sizes)."""
    key = tuple(sizes)
    if key not in _FULL_CACHE:
        net = symbolic_network(list(sizes))
        _FULL_CACHE[key] = {
            "net": net,
            "rep": net.placeholders(),
            "deltas": net.direct_deltas(),
            "grads": net.direct_gradients(),
        }
    return _FULL_CACHE[key]


def _check_networks(full_networks):
    nets = tuple(tuple(s) for s in full_networks)
    for s in nets:
        _check_sizes(s)
    return nets


def _sizes_text(nets) -> str:
    return ", ".join(str(list(s)) for s in nets)


# =====================================================================
# The checks
# =====================================================================


def check_chain_rule(variant=None, m: int = 3, n: int = 3, mapping: str = "general"):
    r"""The multivariable chain rule, eq. ``chain-rule`` of the book.

    C = F(a_1, …, a_m) with each a_k = g_k(z_1, …, z_n). Claim:
    ∂C/∂z_j = Σ_k ∂F/∂a_k · ∂a_k/∂z_j, for every j.

    ``mapping`` picks the a_k: ``"general"`` (each g_k an undefined function of all
    z), ``"elementwise"`` (a_k = σ(z_k), m = n) or ``"softmax"``.
    Variants: ``"k_copies"`` — the sum equals m · ∂C/∂z_j (seed 003's guess);
    ``"diagonal"`` — only the k = j term (right for elementwise, wrong otherwise).
    """
    t0 = time.perf_counter()
    _check_variant("chain_rule", variant)
    if mapping not in ("general", "elementwise", "softmax"):
        raise ValueError(
            f"mapping must be 'general', 'elementwise' or 'softmax'; got {mapping!r}"
        )
    m = _check_width(m, "m")
    n = _check_width(n, "n")
    if mapping != "general":
        m = n
    z = sp.symbols(f"z_{{1:{n + 1}}}")
    if mapping == "general":
        a = [rest_of_network(f"g{k}", f"g_{{{k}}}")(*z) for k in range(1, m + 1)]
    elif mapping == "elementwise":
        a = [sigma(zk) for zk in z]
    else:
        total = sum(sp.exp(zk) for zk in z)
        a = [sp.exp(zk) / total for zk in z]
    F = rest_of_network("F")
    C = F(*a)
    diffs = []
    for j, zj in enumerate(z):
        lhs = sp.diff(C, zj)
        terms = [F.partial(k + 1)(*a) * sp.diff(a[k], zj) for k in range(m)]
        if variant == "k_copies":
            # seed 003: "Σ_k ∂C/∂a_k ∂a_k/∂z_j = k ∂C/∂z_j"
            diffs.append(sum(terms) - m * lhs)
        elif variant == "diagonal":
            diffs.append(lhs - terms[j] if j < m else lhs)
        else:
            diffs.append(lhs - sum(terms))
    statements = {
        None: r"\frac{\partial C}{\partial z_j} = \sum_{k=1}^{m} "
        r"\frac{\partial C}{\partial a_k}\frac{\partial a_k}{\partial z_j}",
        "k_copies": r"\sum_{k=1}^{m} \frac{\partial C}{\partial a_k}"
        r"\frac{\partial a_k}{\partial z_j} = m\,\frac{\partial C}{\partial z_j}",
        "diagonal": r"\frac{\partial C}{\partial z_j} = "
        r"\frac{\partial C}{\partial a_j}\frac{\partial a_j}{\partial z_j}",
    }
    what = {
        "general": "each a_k an undefined function of all z",
        "elementwise": "a_k = σ(z_k), σ generic",
        "softmax": "a = softmax(z)",
    }[mapping]
    details = f"C = F(a_1..a_m) with F undefined, {what}; m = {m}, n = {n}, every j"
    abbrev = _names(F, a, r"\frac{{\partial C}}{{\partial a_{{{i}}}}}", m)
    abbrev.update(_rename(a, "a"))
    return _result(
        "chain_rule",
        statements[variant],
        sp.Matrix(diffs),
        details,
        variant,
        t0,
        abbrev=abbrev,
    )


def check_layer_recurrence(variant=None, n_ell: int = 3, n_next: int = 4):
    r"""The recurrence for ∂C/∂a^ℓ (seed 000), for any depth and width.

    ∂C/∂a^ℓ_j = Σ_i ∂C/∂a^{ℓ+1}_i σ'(z^{ℓ+1}_i) w^{ℓ+1}_{ij}. Induction step: a^ℓ
    free symbols, z^{ℓ+1} = W^{ℓ+1} a^ℓ + b^{ℓ+1}, a^{ℓ+1} = σ(z^{ℓ+1}) with σ
    generic, C = F(a^{ℓ+1}) with F undefined (the rest of the network, any depth).
    Variant ``"no_sum"``: only the term i = j, as if unit j fed one unit.
    """
    t0 = time.perf_counter()
    _check_variant("layer_recurrence", variant)
    n_ell = _check_width(n_ell, "n_ell")
    n_next = _check_width(n_next, "n_next")
    a = _layer_symbols("a", r"\ell", n_ell)
    W = _weight_symbols(r"\ell+1", n_next, n_ell)
    b = _layer_symbols("b", r"\ell+1", n_next)
    z = W * a + b
    a_next = z.applyfunc(sigma)
    F = rest_of_network("F")
    C = F(*a_next)
    diffs = []
    for j in range(n_ell):
        lhs = sp.diff(C, a[j])
        terms = [
            F.partial(i + 1)(*a_next) * sigma_prime(z[i]) * W[i, j]
            for i in range(n_next)
        ]
        rhs = terms[min(j, n_next - 1)] if variant == "no_sum" else sum(terms)
        diffs.append(lhs - rhs)
    statement = (
        r"\frac{\partial C}{\partial a^{\ell}_j} = \sum_{i=1}^{n_{\ell+1}} "
        r"\frac{\partial C}{\partial a^{\ell+1}_i}\,\sigma'(z^{\ell+1}_i)\,"
        r"w^{\ell+1}_{ij}"
    )
    if variant == "no_sum":
        statement = (
            r"\frac{\partial C}{\partial a^{\ell}_j} = "
            r"\frac{\partial C}{\partial a^{\ell+1}_j}\,\sigma'(z^{\ell+1}_j)\,"
            r"w^{\ell+1}_{jj}"
        )
    details = (
        f"induction step, generic σ, rest of network C = F(a^(ℓ+1)) undefined; "
        f"n_ℓ = {n_ell}, n_(ℓ+1) = {n_next}, every j"
    )
    abbrev = _names(
        F, a_next, r"\frac{{\partial C}}{{\partial a^{{\ell+1}}_{{{i}}}}}", n_next
    )
    abbrev.update(_rename(z, r"z^{\ell+1}"))
    return _result(
        "layer_recurrence",
        statement,
        sp.Matrix(diffs),
        details,
        variant,
        t0,
        abbrev=abbrev,
    )


def check_BP1(variant=None, n: int = 3, full_networks=DEFAULT_FULL_NETWORKS):
    r"""BP1: δ^L = ∇_a C ⊙ σ'(z^L), for any cost and any elementwise activation.

    Any cost: C = G(a^L) with G undefined, a^L = σ(z^L) with σ generic, z^L free;
    δ^L_j = ∂C/∂z^L_j. Then the quadratic cost, ∇_a C = a^L − y, on full networks.
    Variant ``"no_sigma_prime"``: δ^L = ∇_a C.
    """
    t0 = time.perf_counter()
    _check_variant("BP1", variant)
    n = _check_width(n, "n")
    nets = _check_networks(full_networks)
    z = _layer_symbols("z", "L", n)
    aL = z.applyfunc(sigma)
    G = rest_of_network("G", "C")
    C = G(*aL)

    def rhs(grad_a, zs):
        if variant == "no_sigma_prime":
            return grad_a
        return grad_a.multiply_elementwise(zs.applyfunc(sigma_prime))

    lhs = sp.Matrix([sp.diff(C, zj) for zj in z])
    grad_a = sp.Matrix([G.partial(j + 1)(*aL) for j in range(n)])
    parts = []
    difference = lhs - rhs(grad_a, z)
    for sizes in nets:
        full = _full(sizes)
        net = full["net"]
        grad = net.a[net.L] - net.y
        parts.append(
            _reduce(full["deltas"][net.L] - rhs(grad, net.z[net.L]), full["rep"])
        )
    statement = (
        r"\delta^L = \nabla_a C \odot \sigma'(z^L)"
        if variant is None
        else r"\delta^L = \nabla_a C"
    )
    details = (
        f"any cost C = G(a^L) (G undefined) and generic σ, n_L = {n}; quadratic cost "
        f"on full networks {_sizes_text(nets)} by direct differentiation"
    )
    abbrev = _names(G, aL, r"\frac{{\partial C}}{{\partial a^L_{{{i}}}}}", n)
    return _result("BP1", statement, difference, details, variant, t0, parts, abbrev)


def _bp2_rhs(W_next, delta_next, z, variant):
    if variant == "no_transpose":
        back = W_next * delta_next
    else:
        back = W_next.T * delta_next
    if variant == "no_sigma_prime":
        return back
    return back.multiply_elementwise(z.applyfunc(sigma_prime))


def check_BP2(
    variant=None, n_ell: int = 3, n_next: int = 4, full_networks=DEFAULT_FULL_NETWORKS
):
    r"""BP2: δ^ℓ = ((W^{ℓ+1})^T δ^{ℓ+1}) ⊙ σ'(z^ℓ), for any depth and width.

    Induction step: z^ℓ free symbols, z^{ℓ+1} = W^{ℓ+1} σ(z^ℓ) + b^{ℓ+1}, the rest of
    the network C = F(z^{ℓ+1}) undefined, so δ^{ℓ+1}_i = ∂_i F; then every layer of
    full networks (δ by direct differentiation of the cost as a function of z^ℓ).
    Variants: ``"no_sigma_prime"``; ``"no_transpose"`` (W δ instead of W^T δ; the
    widths are made equal so that the product exists).
    """
    t0 = time.perf_counter()
    _check_variant("BP2", variant)
    n_ell = _check_width(n_ell, "n_ell")
    n_next = _check_width(n_next, "n_next")
    nets = _check_networks(full_networks)
    if variant == "no_transpose":
        n_next = n_ell
        # W^{ℓ+1} δ^{ℓ+1} exists only where consecutive layers have equal widths
        nets = tuple(
            s for s in nets if all(s[e] == s[e + 1] for e in range(1, len(s) - 1))
        )
    z = _layer_symbols("z", r"\ell", n_ell)
    W = _weight_symbols(r"\ell+1", n_next, n_ell)
    b = _layer_symbols("b", r"\ell+1", n_next)
    z_next = W * z.applyfunc(sigma) + b
    F = rest_of_network("F")
    C = F(*z_next)
    lhs = sp.Matrix([sp.diff(C, zj) for zj in z])
    delta_next = sp.Matrix([F.partial(i + 1)(*z_next) for i in range(n_next)])
    difference = lhs - _bp2_rhs(W, delta_next, z, variant)
    parts = []
    for sizes in nets:
        full = _full(sizes)
        net, d = full["net"], full["deltas"]
        for ell in range(1, net.L):
            rhs = _bp2_rhs(net.W[ell + 1], d[ell + 1], net.z[ell], variant)
            parts.append(_reduce(d[ell] - rhs, full["rep"]))
    statements = {
        None: r"\delta^{\ell} = \left((W^{\ell+1})^{T} \delta^{\ell+1}\right) "
        r"\odot \sigma'(z^{\ell})",
        "no_sigma_prime": r"\delta^{\ell} = (W^{\ell+1})^{T} \delta^{\ell+1}",
        "no_transpose": r"\delta^{\ell} = \left(W^{\ell+1} \delta^{\ell+1}\right) "
        r"\odot \sigma'(z^{\ell})",
    }
    details = (
        f"induction step, generic σ, rest of network C = F(z^(ℓ+1)) undefined, "
        f"n_ℓ = {n_ell}, n_(ℓ+1) = {n_next}; every hidden layer of full networks "
        f"{_sizes_text(nets) or '(none of equal widths)'} by direct differentiation"
    )
    abbrev = _names(F, z_next, r"\delta^{{\ell+1}}_{{{i}}}", n_next)
    abbrev.update(_rename(z_next, r"z^{\ell+1}"))
    return _result(
        "BP2",
        statements[variant],
        difference,
        details,
        variant,
        t0,
        parts=parts,
        abbrev=abbrev,
    )


def check_BP3(
    variant=None, n_prev: int = 3, n_ell: int = 4, full_networks=DEFAULT_FULL_NETWORKS
):
    r"""BP3: ∂C/∂b^ℓ_j = δ^ℓ_j.

    Induction step: a^{ℓ-1} free, z^ℓ = W^ℓ a^{ℓ-1} + b^ℓ, C = F(z^ℓ) undefined;
    then every bias of full networks, against δ by direct differentiation.
    Variant ``"extra_sigma_prime"``: ∂C/∂b^ℓ = δ^ℓ ⊙ σ'(z^ℓ) (σ' counted twice).
    """
    t0 = time.perf_counter()
    _check_variant("BP3", variant)
    n_prev = _check_width(n_prev, "n_prev")
    n_ell = _check_width(n_ell, "n_ell")
    nets = _check_networks(full_networks)

    def rhs(delta, z):
        if variant == "extra_sigma_prime":
            return delta.multiply_elementwise(z.applyfunc(sigma_prime))
        return delta

    a_prev = _layer_symbols("a", r"\ell-1", n_prev)
    W = _weight_symbols(r"\ell", n_ell, n_prev)
    b = _layer_symbols("b", r"\ell", n_ell)
    z = W * a_prev + b
    F = rest_of_network("F")
    C = F(*z)
    delta = sp.Matrix([F.partial(j + 1)(*z) for j in range(n_ell)])
    lhs = sp.Matrix([sp.diff(C, bj) for bj in b])
    difference = lhs - rhs(delta, z)
    parts = []
    for sizes in nets:
        full = _full(sizes)
        net = full["net"]
        for ell in range(1, net.L + 1):
            d = full["grads"]["grad_b"][ell] - rhs(full["deltas"][ell], net.z[ell])
            parts.append(_reduce(d, full["rep"]))
    statement = (
        r"\frac{\partial C}{\partial b^{\ell}_j} = \delta^{\ell}_j"
        if variant is None
        else r"\frac{\partial C}{\partial b^{\ell}_j} = \delta^{\ell}_j\,"
        r"\sigma'(z^{\ell}_j)"
    )
    details = (
        f"induction step, C = F(z^ℓ) undefined, n_(ℓ-1) = {n_prev}, n_ℓ = {n_ell}; "
        f"every bias of full networks {_sizes_text(nets)} (generic σ)"
    )
    abbrev = _names(F, z, r"\delta^{{\ell}}_{{{i}}}", n_ell)
    abbrev.update(_rename(z, r"z^{\ell}"))
    return _result(
        "BP3", statement, difference, details, variant, t0, parts=parts, abbrev=abbrev
    )


def check_BP4(
    variant=None, n_prev: int = 3, n_ell: int = 4, full_networks=DEFAULT_FULL_NETWORKS
):
    r"""BP4: ∂C/∂w^ℓ_jk = a^{ℓ-1}_k δ^ℓ_j.

    Induction step as for BP3; then every weight of full networks.
    Variant ``"swapped_indices"``: a^{ℓ-1}_j δ^ℓ_k (the index slip in seed 002's
    answer); the widths are made equal so that it can be written down.
    """
    t0 = time.perf_counter()
    _check_variant("BP4", variant)
    n_prev = _check_width(n_prev, "n_prev")
    n_ell = _check_width(n_ell, "n_ell")
    nets = _check_networks(full_networks)
    if variant == "swapped_indices":
        n_prev = n_ell
        nets = tuple(s for s in nets if all(v == s[0] for v in s))

    def rhs(delta, a_prev):
        if variant == "swapped_indices":
            return a_prev * delta.T
        return delta * a_prev.T

    a_prev = _layer_symbols("a", r"\ell-1", n_prev)
    W = _weight_symbols(r"\ell", n_ell, n_prev)
    b = _layer_symbols("b", r"\ell", n_ell)
    z = W * a_prev + b
    F = rest_of_network("F")
    C = F(*z)
    delta = sp.Matrix([F.partial(j + 1)(*z) for j in range(n_ell)])
    lhs = W.applyfunc(lambda w: sp.diff(C, w))
    difference = lhs - rhs(delta, a_prev)
    parts = []
    for sizes in nets:
        full = _full(sizes)
        net = full["net"]
        for ell in range(1, net.L + 1):
            d = full["grads"]["grad_W"][ell] - rhs(full["deltas"][ell], net.a[ell - 1])
            parts.append(_reduce(d, full["rep"]))
    statement = (
        r"\frac{\partial C}{\partial w^{\ell}_{jk}} = a^{\ell-1}_k\,\delta^{\ell}_j"
        if variant is None
        else r"\frac{\partial C}{\partial w^{\ell}_{jk}} = a^{\ell-1}_j\,"
        r"\delta^{\ell}_k"
    )
    details = (
        f"induction step, C = F(z^ℓ) undefined, n_(ℓ-1) = {n_prev}, n_ℓ = {n_ell}; "
        f"every weight of full networks {_sizes_text(nets) or '(none)'} (generic σ)"
    )
    abbrev = _names(F, z, r"\delta^{{\ell}}_{{{i}}}", n_ell)
    abbrev.update(_rename(z, r"z^{\ell}"))
    return _result(
        "BP4", statement, difference, details, variant, t0, parts=parts, abbrev=abbrev
    )


def check_sigmoid_shortcut(variant=None):
    r"""σ'(z) = σ(z)(1 − σ(z)) for the logistic sigmoid, and BP2 with it.

    Also the vector form of seed 001's step 3,
    δ^ℓ = a^ℓ ⊙ (1 − a^ℓ) ⊙ ((W^{ℓ+1})^T δ^{ℓ+1}), on a [2, 3, 2] sigmoid network.
    Variant ``"tanh"``: the same shortcut claimed for tanh (false: tanh' = 1 − tanh²).
    """
    t0 = time.perf_counter()
    _check_variant("sigmoid_shortcut", variant)
    zz = sp.Symbol("z")
    f = sp.tanh if variant == "tanh" else _logistic
    difference = sp.diff(f(zz), zz) - f(zz) * (1 - f(zz))
    parts = []
    if variant is None:
        # seed 001, step 3, as an induction step: z^ℓ, W^{ℓ+1}, δ^{ℓ+1} free symbols
        z = _layer_symbols("z", r"\ell", 3)
        W = _weight_symbols(r"\ell+1", 2, 3)
        d_next = _layer_symbols(r"\delta", r"\ell+1", 2)
        back = W.T * d_next
        bp2 = back.multiply_elementwise(z.applyfunc(lambda v: sp.diff(_logistic(v), v)))
        a = z.applyfunc(_logistic)
        shortcut = a.multiply_elementwise(a.applyfunc(lambda v: 1 - v))
        parts.append(_reduce(bp2 - shortcut.multiply_elementwise(back)))
    statement = (
        r"\sigma'(z) = \sigma(z)\,\bigl(1-\sigma(z)\bigr), \quad "
        r"\sigma(z) = \frac{1}{1+e^{-z}}"
        if variant is None
        else r"\tanh'(z) = \tanh(z)\,\bigl(1-\tanh(z)\bigr)"
    )
    details = "symbolic derivative of the logistic function; BP2 in the shortcut form "
    details += "a^ℓ ⊙ (1 − a^ℓ) ⊙ ((W^(ℓ+1))^T δ^(ℓ+1)) with n_ℓ = 3, n_(ℓ+1) = 2"
    return _result(
        "sigmoid_shortcut", statement, difference, details, variant, t0, parts=parts
    )


# ------------------------------------------------------------------ Bishop

h, h_prime = generic_activation("h", "h")


def _bishop_layer(n_j: int, n_k: int):
    """Bishop's notation: a_j free, z_j = h(a_j), a_k = Σ_j w_kj z_j + w_k0."""
    a_j = sp.Matrix(sp.symbols(f"a_{{1:{n_j + 1}}}"))
    W = sp.Matrix(
        n_k, n_j, lambda k, j: sp.Symbol(f"w_{{{_idx(n_j + k + 1, j + 1, wide=True)}}}")
    )
    w0 = sp.Matrix([sp.Symbol(f"w_{{{n_j + k + 1},0}}") for k in range(n_k)])
    a_k = W * a_j.applyfunc(h) + w0
    E = rest_of_network("E", "E_n")
    return a_j, W, a_k, E(*a_k), E


def check_bishop_5_53(variant=None, n_in: int = 3, n_units: int = 2):
    r"""Bishop (5.53): ∂E_n/∂w_ji = δ_j z_i, with a_j = Σ_i w_ji z_i (eq. 5.48).

    E_n is an undefined function of the a_j (the rest of the network), z_i free,
    with the bias as w_j0 and z_0 = 1. Variant ``"swapped_indices"``: δ_i z_j.
    """
    t0 = time.perf_counter()
    _check_variant("bishop_5.53", variant)
    n_in = _check_width(n_in, "n_in")
    n_units = _check_width(n_units, "n_units")
    if variant == "swapped_indices":
        n_in = n_units
    zs = sp.Matrix([sp.Integer(1), *list(sp.symbols(f"z_{{1:{n_in + 1}}}"))])
    W = sp.Matrix(
        n_units, n_in + 1, lambda j, i: sp.Symbol(f"w_{{{_idx(j + 1, i, wide=True)}}}")
    )
    a = W * zs
    E = rest_of_network("E", "E_n")
    En = E(*a)
    delta = sp.Matrix([E.partial(j + 1)(*a) for j in range(n_units)])
    lhs = W.applyfunc(lambda w: sp.diff(En, w))
    if variant == "swapped_indices":
        rhs = sp.Matrix(
            n_units, n_in + 1, lambda j, i: delta[i - 1] * zs[j + 1] if i else 0
        )
        rhs = rhs[:, 1:]
        lhs = lhs[:, 1:]
    else:
        rhs = delta * zs.T
    statement = (
        r"\frac{\partial E_n}{\partial w_{ji}} = \delta_j z_i, \quad "
        r"a_j = \sum_i w_{ji} z_i"
        if variant is None
        else r"\frac{\partial E_n}{\partial w_{ji}} = \delta_i z_j"
    )
    details = (
        f"E_n undefined function of a_1..a_{n_units}; {n_in} inputs z_i plus z_0 = 1 "
        "(bias as w_j0); every weight"
    )
    abbrev = _names(E, a, "\\delta_{{{i}}}", n_units)
    abbrev.update(_rename(a, "a"))
    return _result(
        "bishop_5.53", statement, lhs - rhs, details, variant, t0, abbrev=abbrev
    )


_CANONICAL = {
    "linear_squared_error": ("identity", "sum of squares"),
    "sigmoid_cross_entropy": ("logistic sigmoid", "binary cross-entropy"),
    "softmax_cross_entropy": ("softmax", "categorical cross-entropy"),
    "sigmoid_squared_error": ("logistic sigmoid", "sum of squares (not canonical)"),
}


def _bishop_output(pair: str, K: int):
    a = sp.Matrix(sp.symbols(f"a_{{1:{K + 1}}}"))
    t = sp.Matrix(sp.symbols(f"t_{{1:{K + 1}}}"))
    if pair == "linear_squared_error":
        y = a
        E = sp.Rational(1, 2) * sum((y[k] - t[k]) ** 2 for k in range(K))
    elif pair == "sigmoid_squared_error":
        y = a.applyfunc(_logistic)
        E = sp.Rational(1, 2) * sum((y[k] - t[k]) ** 2 for k in range(K))
    elif pair == "sigmoid_cross_entropy":
        y = a.applyfunc(_logistic)
        E = -sum(t[k] * sp.log(y[k]) + (1 - t[k]) * sp.log(1 - y[k]) for k in range(K))
    else:
        total = sum(sp.exp(v) for v in a)
        y = a.applyfunc(lambda v: sp.exp(v) / total)
        E = -sum(t[k] * sp.log(y[k]) for k in range(K))
        # one-of-K targets sum to 1
        E = E.xreplace({t[K - 1]: 1 - sum(t[:-1])})
        t = sp.Matrix([*list(t[:-1]), 1 - sum(t[:-1])])
    return a, t, y, E


def check_bishop_5_54(variant=None, K: int = 3, pairs=None):
    r"""Bishop (5.54): δ_k = y_k − t_k at the output, for canonical link pairs.

    Checked for identity + sum of squares, logistic sigmoid + binary cross-entropy,
    softmax + categorical cross-entropy (targets summing to 1), K outputs.
    Variant ``"sigmoid_squared_error"``: the same claim for a sigmoid output with the
    squared error, where it is false (δ_k = (y_k − t_k) y_k (1 − y_k)).
    """
    t0 = time.perf_counter()
    _check_variant("bishop_5.54", variant)
    K = _check_width(K, "K", 2)
    if variant is not None:
        pairs = (variant,)
    elif pairs is None:
        pairs = (
            "linear_squared_error",
            "sigmoid_cross_entropy",
            "softmax_cross_entropy",
        )
    for p in pairs:
        if p not in _CANONICAL:
            raise ValueError(f"unknown pair {p!r}; expected one of {list(_CANONICAL)}")
    diffs = []
    for p in pairs:
        a, t, y, E = _bishop_output(p, K)
        diffs += [sp.diff(E, a[k]) - (y[k] - t[k]) for k in range(K)]
    statement = r"\delta_k = \frac{\partial E_n}{\partial a_k} = y_k - t_k"
    if variant:
        statement += r"\quad\text{(sigmoid output, squared error)}"
    details = f"K = {K} outputs; pairs: " + "; ".join(
        " + ".join(_CANONICAL[p]) for p in pairs
    )
    return _result("bishop_5.54", statement, sp.Matrix(diffs), details, variant, t0)


# A small feed-forward graph with a unit that feeds only some units and a skip
# connection: unit -> list of (source, ...). Units 1..2 are inputs (z = x).
DEFAULT_GRAPH = {
    3: (1, 2),
    4: (1, 2),
    5: (1, 2),
    6: (3, 4),  # unit 5 does not feed 6
    7: (4, 5),  # unit 3 does not feed 7
    8: (6, 7, 3),  # output; skip connection from unit 3
    9: (6, 7),  # output
}
DEFAULT_GRAPH_INPUTS = (1, 2)


def _graph_children(graph):
    children: dict = {}
    for k, sources in graph.items():
        for j in sources:
            children.setdefault(j, []).append(k)
    return children


class _Graph:
    """Bishop's general feed-forward network: a_k = Σ_j w_kj z_j, z_j = h(a_j)."""

    def __init__(self, graph, inputs):
        self.graph = dict(graph)
        self.inputs = tuple(inputs)
        self.units = sorted(self.graph)
        self.outputs = [u for u in self.units if u not in _graph_children(self.graph)]
        self.children = _graph_children(self.graph)
        self.x = {i: sp.Symbol(f"x_{{{i}}}") for i in self.inputs}
        self.t = {k: sp.Symbol(f"t_{{{k}}}") for k in self.outputs}
        self.w = {
            (k, j): sp.Symbol(f"w_{{{k},{j}}}")
            for k, srcs in self.graph.items()
            for j in srcs
        }
        self.A = {u: sp.Symbol(f"_A{u}") for u in self.units}
        self.a, self.E = self.forward()

    def forward(self, cut=None):
        """Pre-activations and error; with ``cut=u``, a_u is the free symbol A_u."""
        z = dict(self.x)
        a = {}
        for k in self.units:
            a[k] = sum(self.w[(k, j)] * z[j] for j in self.graph[k])
            if k == cut:
                a[k] = self.A[k]
            z[k] = a[k] if k in self.outputs else h(a[k])
        E = sp.Rational(1, 2) * sum((a[k] - self.t[k]) ** 2 for k in self.outputs)
        return a, E

    def direct_delta(self, u):
        """δ_u = ∂E_n/∂a_u: differentiate the error with a_u cut free, then evaluate."""
        _, E = self.forward(cut=u)
        return sp.diff(E, self.A[u]).xreplace({self.A[u]: self.a[u]})

    def local_partial(self, k, j):
        """∂a_k/∂a_j with k's other inputs held fixed (differentiated by SymPy)."""
        zs = {i: sp.Symbol(f"_Z{i}") for i in self.graph[k]}
        local = sum(self.w[(k, i)] * zs[i] for i in self.graph[k])
        if j not in zs:
            return sp.S.Zero
        # z_j = h(a_j): differentiate through h with a_j free, then evaluate
        Aj = self.A[j]
        expr = local.xreplace({zs[j]: h(Aj)})
        return sp.diff(expr, Aj).xreplace({Aj: self.a[j]})

    def placeholders(self):
        rep = {}
        for u in self.units:
            rep[h(self.a[u])] = sp.Symbol(f"_s{u}")
            rep[h_prime(self.a[u])] = sp.Symbol(f"_p{u}")
        return rep


_GRAPH_CACHE: dict = {}


def _graph(graph, inputs):
    key = (tuple(sorted((k, tuple(v)) for k, v in graph.items())), tuple(inputs))
    if key not in _GRAPH_CACHE:
        g = _Graph(graph, inputs)
        hidden = [u for u in g.units if u not in g.outputs]
        deltas = {u: g.direct_delta(u) for u in g.units}
        _GRAPH_CACHE[key] = (g, hidden, deltas, g.placeholders())
    return _GRAPH_CACHE[key]


def _check_graph(graph, inputs):
    if not isinstance(graph, Mapping) or not graph:
        raise TypeError("graph must be a dict unit -> tuple of source units")
    known = set(inputs)
    for k in sorted(graph):
        for j in graph[k]:
            if j not in known:
                raise ValueError(
                    f"graph: unit {k} takes input from {j}, which is neither an input "
                    "nor a unit with a smaller number (units must be in feed-forward "
                    "order)"
                )
        known.add(k)


def check_bishop_5_55(
    variant=None, n_j: int = 3, n_k: int = 3, graph=None, graph_inputs=None
):
    r"""Bishop (5.55): δ_j = Σ_k δ_k ∂a_k/∂a_j, k over the units j sends connections to.

    Induction step: a layer of units j (a_j free, generic h) feeding units k, the
    error an undefined function E_n(a_k); ∂a_k/∂a_j is what SymPy finds,
    w_kj h'(a_j). Then a small network with missing connections and a skip
    connection (:data:`DEFAULT_GRAPH`): for every hidden unit, δ_j by direct
    differentiation equals the sum over exactly the units j feeds.

    Variants: ``"kronecker"`` — ∂a_k/∂a_j taken as 1 if k = j else 0 (seed 002's
    accepted answer); ``"next_layer_only_for_softmax"`` — the same answer's claim
    that without softmax the sum is not needed (one term, k = j).
    """
    t0 = time.perf_counter()
    _check_variant("bishop_5.55", variant)
    n_j = _check_width(n_j, "n_j")
    n_k = _check_width(n_k, "n_k")
    if variant is not None:
        n_k = max(n_k, n_j)
    a_j, W, a_k, En, E = _bishop_layer(n_j, n_k)
    delta_k = [E.partial(k + 1)(*a_k) for k in range(n_k)]
    diffs = []
    for j in range(n_j):
        lhs = sp.diff(En, a_j[j])
        if variant == "kronecker":
            rhs = sum(delta_k[k] * (1 if k == j else 0) for k in range(n_k))
        elif variant == "next_layer_only_for_softmax":
            rhs = delta_k[j] * sp.diff(a_k[j], a_j[j])
        else:
            rhs = sum(delta_k[k] * sp.diff(a_k[k], a_j[j]) for k in range(n_k))
        diffs.append(lhs - rhs)
    # what ∂a_k/∂a_j is
    partials = sp.Matrix(
        n_k, n_j, lambda k, j: sp.diff(a_k[k], a_j[j]) - W[k, j] * h_prime(a_j[j])
    )
    difference = sp.Matrix(diffs)
    parts = [_reduce(partials)]
    # a general feed-forward graph
    graph = DEFAULT_GRAPH if graph is None else graph
    inputs = DEFAULT_GRAPH_INPUTS if graph_inputs is None else graph_inputs
    _check_graph(graph, inputs)
    g, hidden, deltas, rep = _graph(graph, inputs)
    for j in hidden:
        if variant == "kronecker":
            # Σ_k δ_k [k = j]: j never feeds itself, so every term is 0
            rhs = sum(deltas[k] * (1 if k == j else 0) for k in g.children[j])
        elif variant == "next_layer_only_for_softmax":
            k = g.children[j][0]
            rhs = deltas[k] * g.local_partial(k, j)
        else:
            rhs = sum(deltas[k] * g.local_partial(k, j) for k in g.children[j])
        parts.append(_reduce(deltas[j] - rhs, rep))
    statements = {
        None: r"\delta_j = \sum_{k\,:\,j \to k} \frac{\partial E_n}{\partial a_k}"
        r"\frac{\partial a_k}{\partial a_j}, \qquad "
        r"\frac{\partial a_k}{\partial a_j} = w_{kj}\,h'(a_j)",
        "kronecker": r"\delta_j = \sum_k \frac{\partial E_n}{\partial a_k}\,"
        r"\delta_{kj}",
        "next_layer_only_for_softmax": r"\delta_j = \frac{\partial E_n}{\partial a_k}"
        r"\frac{\partial a_k}{\partial a_j} \text{ (one unit k, no sum)}",
    }
    edges = "; ".join(f"{k}←{','.join(map(str, v))}" for k, v in sorted(graph.items()))
    details = (
        f"induction step, generic h, E_n undefined, {n_j} units j feeding {n_k} "
        f"units k; and every hidden unit of the graph {{{edges}}} (inputs "
        f"{list(inputs)}, linear outputs, sum-of-squares error) by direct "
        "differentiation"
    )
    abbrev = {
        E.partial(k + 1)(*a_k): sp.Symbol(f"\\delta_{{{n_j + k + 1}}}")
        for k in range(n_k)
    }
    abbrev.update({e: sp.Symbol(f"a_{{{n_j + k + 1}}}") for k, e in enumerate(a_k)})
    return _result(
        "bishop_5.55",
        statements[variant],
        difference,
        details,
        variant,
        t0,
        parts=parts,
        abbrev=abbrev,
    )


def check_bishop_5_56(variant=None, n_j: int = 3, n_k: int = 4, graph=None):
    r"""Bishop (5.56): δ_j = h'(a_j) Σ_k w_kj δ_k, from (5.55), for any h.

    Induction step with generic h and E_n undefined, then every hidden unit of
    :data:`DEFAULT_GRAPH` (sum over the units j feeds, including a skip connection).
    Variants: ``"no_h_prime"``; ``"w_jk"`` (w_jk for w_kj; the widths made equal).
    """
    t0 = time.perf_counter()
    _check_variant("bishop_5.56", variant)
    n_j = _check_width(n_j, "n_j")
    n_k = _check_width(n_k, "n_k")
    if variant == "w_jk":
        n_k = n_j
    a_j, W, a_k, En, E = _bishop_layer(n_j, n_k)
    delta_k = [E.partial(k + 1)(*a_k) for k in range(n_k)]

    def rhs(j, ks, weight, delta, hp):
        s = sum(weight(k, j) * delta(k) for k in ks)
        return s if variant == "no_h_prime" else hp * s

    def wt(k, j):
        return W[j, k] if variant == "w_jk" else W[k, j]

    diffs = [
        sp.diff(En, a_j[j])
        - rhs(j, range(n_k), wt, lambda k: delta_k[k], h_prime(a_j[j]))
        for j in range(n_j)
    ]
    difference = sp.Matrix(diffs)
    parts = []
    graph = DEFAULT_GRAPH if graph is None else graph
    _check_graph(graph, DEFAULT_GRAPH_INPUTS)
    if variant != "w_jk":
        g, hidden, deltas, rep = _graph(graph, DEFAULT_GRAPH_INPUTS)
        for j in hidden:
            r_j = rhs(
                j,
                g.children[j],
                lambda k, j: g.w[(k, j)],
                lambda k: deltas[k],
                h_prime(g.a[j]),
            )
            parts.append(_reduce(deltas[j] - r_j, rep))
    statements = {
        None: r"\delta_j = h'(a_j) \sum_k w_{kj}\,\delta_k",
        "no_h_prime": r"\delta_j = \sum_k w_{kj}\,\delta_k",
        "w_jk": r"\delta_j = h'(a_j) \sum_k w_{jk}\,\delta_k",
    }
    details = (
        f"induction step, generic h, E_n undefined, {n_j} units j feeding {n_k} "
        "units k"
        + ("" if variant == "w_jk" else "; every hidden unit of the default graph")
    )
    abbrev = {
        E.partial(k + 1)(*a_k): sp.Symbol(f"\\delta_{{{n_j + k + 1}}}")
        for k in range(n_k)
    }
    abbrev.update({e: sp.Symbol(f"a_{{{n_j + k + 1}}}") for k, e in enumerate(a_k)})
    return _result(
        "bishop_5.56",
        statements[variant],
        difference,
        details,
        variant,
        t0,
        parts=parts,
        abbrev=abbrev,
    )


# ------------------------------------------------------------- split layers


class _SplitNetwork:
    """Poole & Mackworth / Hoey: linear layers (bias as input 0 = 1) and activation
    layers kept separate; error = Σ_j (output^L[j] − Y[j])² with no ½."""

    def __init__(self, sizes):
        self.sizes = list(sizes)
        self.n_linear = len(sizes) - 1
        self.X = sp.Matrix(sp.symbols(f"X_{{1:{sizes[0] + 1}}}"))
        self.Y = sp.Matrix(sp.symbols(f"Y_{{1:{sizes[-1] + 1}}}"))
        # Hoey's layer numbers: linear layers 0, 2, 4, ..., activations 1, 3, ...
        self.W = []
        self.inputs = []  # input^k of each linear layer, with the 1 on top
        self.pre = []  # output of each linear layer (input of the next activation)
        out = self.X
        for i in range(self.n_linear):
            k = 2 * i
            rows, cols = sizes[i + 1], sizes[i] + 1
            Wk = sp.Matrix(
                rows,
                cols,
                lambda j, m, k=k: sp.Symbol(
                    f"w^{{{k}}}_{{{_idx(j + 1, m, wide=True)}}}"
                ),
            )
            inp = sp.Matrix([sp.Integer(1), *list(out)])
            lin = Wk * inp
            self.W.append(Wk)
            self.inputs.append(inp)
            self.pre.append(lin)
            out = lin.applyfunc(sigma)
        self.out = out
        self.error = sum((out[j] - self.Y[j]) ** 2 for j in range(len(self.Y)))

    def vjp_backward(self):
        """Each layer as a vector–Jacobian product, from the top down."""
        g = 2 * (self.out - self.Y)  # ∂error/∂output^L
        grads = [None] * self.n_linear
        for i in reversed(range(self.n_linear)):
            g = g.multiply_elementwise(self.pre[i].applyfunc(sigma_prime))  # activation
            grads[i] = g * self.inputs[i].T  # linear layer: ∂error/∂W
            g = self.W[i][:, 1:].T * g  # linear layer: ∂error/∂input (not the 1)
        return grads

    def placeholders(self):
        rep = {}
        for i, lin in enumerate(self.pre):
            for j, v in enumerate(lin):
                rep[sigma(v)] = sp.Symbol(f"_s{i}_{j}")
                rep[sigma_prime(v)] = sp.Symbol(f"_p{i}_{j}")
        return rep

    def nielsen(self):
        """The same network in Nielsen's notation (C with ½), sharing the symbols."""
        net = symbolic_network(self.sizes)
        sub = {}
        for i in range(self.n_linear):
            ell = i + 1
            for j in range(self.sizes[ell]):
                sub[net.b[ell][j]] = self.W[i][j, 0]
                for k in range(self.sizes[ell - 1]):
                    sub[net.W[ell][j, k]] = self.W[i][j, k + 1]
        sub.update(dict(zip(net.x, self.X)))
        sub.update(dict(zip(net.y, self.Y)))
        return net, sub


def check_split_layers(variant=None, sizes=(2, 2, 2)):
    r"""Hoey's split-layer derivation equals BP1–BP4 (seed 004).

    Linear layers output^k[j] = Σ_{i=0}^{N} w_ji input^k[i] with input^k[0] = 1,
    separate activation layers, error = Σ_j (output^L[j] − Y[j])². Checked:
    (i) each layer's vector–Jacobian product, chained, gives ∂error/∂w for every
    weight (against direct differentiation); (ii) ∂error/∂w = 2 ∂C/∂w with
    C = ½‖a^L − y‖² and the gradient from BP1–BP4 (w_j0 = b_j); so Hoey's update
    (3) with η absorbing the 2 is w ← w − η ∂C/∂w.

    Variant ``"index_slip"``: the note's recursion step as printed,
    ∂output^{L-2}[i]/∂w = f'(output^{L-3}[j]) Σ_i w^{L-3}_{ji} ∂input^{L-3}[i]/∂w,
    with j (a unit of the layer above) where i is meant. Its right side is the
    derivative of output^{L-2}[j], so the slipped gradient of a weight below the
    top linear layer is Σ_j g_j (Σ_i w^{L-1}_{ji}) ∂output^{L-2}[j]/∂w, with
    g_j = 2(output^L[j] − Y[j]) f'(output^{L-1}[j]); it needs the two top
    activation layers to have equal widths.
    """
    t0 = time.perf_counter()
    _check_variant("split_layers", variant)
    sizes = tuple(_check_sizes(sizes, limit=40))
    if variant == "index_slip" and (len(sizes) < 3 or sizes[-2] != sizes[-1]):
        raise ValueError(
            "variant='index_slip' needs at least two linear layers and the last two "
            f"widths equal (e.g. sizes=(2, 2, 2)), so that j and i range over the "
            f"same units; got sizes={list(sizes)}"
        )
    key = ("split", sizes)
    if key not in _FULL_CACHE:
        s = _SplitNetwork(sizes)
        direct = [Wk.applyfunc(lambda w: sp.diff(s.error, w)) for Wk in s.W]
        net, sub = s.nielsen()
        bp = net.backprop()
        nielsen = []
        for i in range(s.n_linear):
            ell = i + 1
            G = bp["grad_b"][ell].row_join(bp["grad_W"][ell])
            nielsen.append(G.xreplace(sub))
        _FULL_CACHE[key] = (s, direct, nielsen, s.vjp_backward(), s.placeholders())
    s, direct, nielsen, vjp, rep = _FULL_CACHE[key]
    parts = []
    difference = None
    for i in range(s.n_linear):
        vj = vjp[i]
        if variant == "index_slip" and i < s.n_linear - 1:
            top = s.n_linear - 1
            g = (2 * (s.out - s.Y)).multiply_elementwise(
                s.pre[top].applyfunc(sigma_prime)
            )
            W_top = s.W[top][:, 1:]
            below = s.inputs[top][1:, :]  # output^{L-2}, without the constant 1
            vj = s.W[i].applyfunc(
                lambda w, g=g, W_top=W_top, below=below: sum(
                    g[j] * sum(W_top[j, :]) * sp.diff(below[j], w)
                    for j in range(len(g))
                )
            )
        d1 = direct[i] - vj
        if difference is None:
            difference = d1
        parts.append(_reduce(d1, rep))
        parts.append(_reduce(direct[i] - 2 * nielsen[i], rep))
    statement = (
        r"\frac{\partial\, \mathrm{error}}{\partial w^{k}_{ji}} = "
        r"2\,\frac{\partial C}{\partial w_{ji}},\quad "
        r"\mathrm{error} = \sum_j (\mathrm{output}^L[j]-Y[j])^2,\ "
        r"C = \tfrac12 \lVert a^L - y\rVert^2"
        if variant is None
        else r"\frac{\partial\, \mathrm{output}^{L-2}[i]}{\partial w^{k}_{lm}} = "
        r"f'(\mathrm{output}^{L-3}[j]) \sum_i w^{L-3}_{ji}"
        r"\frac{\partial\, \mathrm{input}^{L-3}[i]}{\partial w^k_{lm}}"
    )
    details = (
        f"sizes {list(sizes)}, generic activation, bias as input 0 = 1; each layer's "
        "vector–Jacobian product chained vs direct differentiation, and vs 2× the "
        "BP1–BP4 gradient of ½‖a^L − y‖²"
    )
    return _result(
        "split_layers", statement, difference, details, variant, t0, parts=parts
    )


# ------------------------------------------------------------------ softmax


def check_softmax_cross_entropy(variant=None, n: int = 3):
    r"""Softmax with categorical cross-entropy: δ^L = a^L − y.

    a_k = e^{z_k}/Σ_i e^{z_i}, C = −Σ_k y_k ln a_k with Σ_k y_k = 1. Checked: the
    Jacobian ∂a_k/∂z_j = a_k(1[k = j] − a_j) (not diagonal), and δ_j = a_j − y_j.
    Variants: ``"diagonal_jacobian"`` — δ_j = ∂C/∂a_j · ∂a_j/∂z_j (cross terms
    dropped); ``"unnormalised_targets"`` — targets that do not sum to 1.
    """
    t0 = time.perf_counter()
    _check_variant("softmax_cross_entropy", variant)
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
    statements = {
        None: r"\delta^L = a^L - y, \qquad \frac{\partial a_k}{\partial z_j} = "
        r"a_k\,(\mathbb{1}[k=j] - a_j)",
        "diagonal_jacobian": r"\delta^L_j = \frac{\partial C}{\partial a_j}"
        r"\frac{\partial a_j}{\partial z_j}",
        "unnormalised_targets": r"\delta^L = a^L - y \text{ for any } y",
    }
    details = f"{n} outputs, symbolic; targets {'free' if variant else 'summing to 1'}"
    return _result(
        "softmax_cross_entropy",
        statements[variant],
        difference,
        details,
        variant,
        t0,
        parts=parts,
    )


# =====================================================================
# Registry
# =====================================================================

CHECKS: dict[str, Callable[..., CheckResult]] = {
    "chain_rule": check_chain_rule,
    "layer_recurrence": check_layer_recurrence,
    "BP1": check_BP1,
    "BP2": check_BP2,
    "BP3": check_BP3,
    "BP4": check_BP4,
    "sigmoid_shortcut": check_sigmoid_shortcut,
    "bishop_5.53": check_bishop_5_53,
    "bishop_5.54": check_bishop_5_54,
    "bishop_5.55": check_bishop_5_55,
    "bishop_5.56": check_bishop_5_56,
    "split_layers": check_split_layers,
    "softmax_cross_entropy": check_softmax_cross_entropy,
}


def variants(name: str) -> tuple[str, ...]:
    """The named wrong variants a check accepts (each must fail)."""
    _lookup(name)
    return VARIANTS[name]


def _lookup(name: str):
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, one of {list(CHECKS)}; got {name!r}")
    try:
        return CHECKS[name]
    except KeyError:
        raise ValueError(
            f"no check named {name!r}; expected one of {list(CHECKS)}"
        ) from None


def check(name: str, **options) -> CheckResult:
    """Run one named check, e.g. ``check("BP2")`` or ``check("BP2", variant=...)``."""
    return _lookup(name)(**options)


def check_all(**options) -> CheckReport:
    """Run every check in :data:`CHECKS`; options go to the checks that accept them."""
    report = CheckReport()
    for name, fn in CHECKS.items():
        params = inspect.signature(fn).parameters
        report[name] = fn(**{k: v for k, v in options.items() if k in params})
    return report


# =====================================================================
# Readers' answers
# =====================================================================

MAX_ANSWER_LENGTH = 500
MAX_NESTING = 40
_MAX_POWER_DIGITS = 10_000


def _generic_sigma_functions():
    return {
        "sigma": sigma,
        "σ": sigma,
        "sigma_prime": sigma_prime,
        "σ_prime": sigma_prime,
    }


DEFAULT_FUNCTIONS: dict[str, Callable] = {
    "exp": sp.exp,
    "log": sp.log,
    "ln": sp.log,
    "sqrt": sp.sqrt,
    "tanh": sp.tanh,
    "sigmoid": _logistic,
    **_generic_sigma_functions(),
}

_BINOPS = {
    ast.Add: lambda p, q: p + q,
    ast.Sub: lambda p, q: p - q,
    ast.Mult: lambda p, q: p * q,
    ast.Div: lambda p, q: p / q,
}
_UNICODE = {"−": "-", "·": "*", "×": "*", "÷": "/", "²": "**2", "³": "**3"}


def _symbol_table(allowed_symbols) -> dict:
    if allowed_symbols is None:
        return {}
    if isinstance(allowed_symbols, Mapping):
        table = {}
        for name, sym in allowed_symbols.items():
            if not isinstance(name, str) or not name.isidentifier():
                raise ValueError(
                    f"allowed_symbols: the name {name!r} cannot be typed in an answer; "
                    "use identifiers such as 'w2_11' or 'delta_1'"
                )
            if not isinstance(sym, sp.Basic):
                raise TypeError(
                    f"allowed_symbols[{name!r}] must be a SymPy expression; got "
                    f"{type(sym).__name__}"
                )
            table[name] = sym
        return table
    if isinstance(allowed_symbols, (str, bytes)):
        raise TypeError(
            "allowed_symbols must be a dict name -> Symbol or a list of Symbols or "
            f"names; got the string {allowed_symbols!r} (wrap it in a list)"
        )
    table = {}
    for item in allowed_symbols:
        if isinstance(item, sp.Symbol):
            table[item.name] = item
        elif isinstance(item, str):
            table[item] = sp.Symbol(item)
        else:
            raise TypeError(
                "allowed_symbols must hold SymPy Symbols or names; got "
                f"{type(item).__name__} {item!r}"
            )
    return table


def _reject(message: str):
    raise ValueError(f"Could not read the answer: {message}")


def _prepare(text) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be a string; got {type(text).__name__}")
    if len(text) > MAX_ANSWER_LENGTH:
        _reject(
            f"it is {len(text)} characters long; answers are limited to "
            f"{MAX_ANSWER_LENGTH}"
        )
    if not text.strip():
        _reject("it is empty")
    if "__" in text:
        _reject("names with double underscores are not allowed")
    for bad in (";", "\n", "\r", "\\", "`", "$", "!", "@", "{", "}", "#", "\x00"):
        if bad in text:
            _reject(f"the character {bad!r} is not allowed")
    for k, v in _UNICODE.items():
        text = text.replace(k, v)
    # x^2 means x**2 (Python would read ^ as xor, with a lower precedence than +)
    text = text.replace("^", "**")
    depth = deepest = 0
    for ch in text:
        if ch in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]":
            depth -= 1
            if depth < 0:
                _reject("a closing parenthesis has no opening one")
    if depth != 0:
        _reject("a parenthesis is not closed")
    if deepest > MAX_NESTING:
        _reject(f"parentheses are nested {deepest} deep; the limit is {MAX_NESTING}")
    # σ'(z) and sigma'(z) are written σ_prime(z), sigma_prime(z)
    text = re.sub(r"(?<=\w)'", "_prime", text)
    if "'" in text or '"' in text:
        _reject("quotes and strings are not allowed")
    return text


_CHAIN_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)
MAX_POWER_NESTING = 8


def _ast_depth(node) -> tuple[int, int]:
    """(nesting depth, power-tower depth) of a syntax tree, without recursion.

    A left-associated chain such as a + b + c + … (a long sum, fine to read) does
    not count as nesting; everything else does.
    """
    deepest = powers = 0
    stack = [(node, 1, 0)]
    while stack:
        n, d, p = stack.pop()
        deepest, powers = max(deepest, d), max(powers, p)
        if d > 4 * MAX_NESTING or p > MAX_POWER_NESTING:
            break
        for child in ast.iter_child_nodes(n):
            chain = (
                isinstance(n, ast.BinOp)
                and isinstance(n.op, _CHAIN_OPS)
                and child is n.left
                and isinstance(child, ast.BinOp)
                and isinstance(child.op, _CHAIN_OPS)
            )
            is_pow = isinstance(child, ast.BinOp) and isinstance(child.op, ast.Pow)
            stack.append((child, d if chain else d + 1, p + is_pow))
    return deepest, powers


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _reject(f"{value!r} is not a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            _reject("a number is too large")
        return sp.Rational(repr(value))
    return sp.Integer(value)


def _power(base, exponent):
    if exponent.is_Number:
        if abs(exponent) > 1000:
            _reject("an exponent is larger than 1000")
        if base.is_Number and abs(base) > 1:
            digits = float(abs(exponent)) * math.log10(float(abs(base)))
            if digits > _MAX_POWER_DIGITS:
                _reject("a power is too large to compute")
    return base**exponent


def parse_answer(
    text: str, allowed_symbols=None, functions: Mapping | None = None
) -> sp.Expr:
    """Read a typed formula into a SymPy expression, never evaluating Python.

    The text is parsed with ``ast.parse(mode="eval")`` (which only builds a syntax
    tree) and the tree is walked with a whitelist: numbers; names listed in
    ``allowed_symbols``; ``+ - * / **`` (``^`` is read as a power) and unary
    minus; calls to the functions in ``functions`` (default
    :data:`DEFAULT_FUNCTIONS`: exp, log/ln, sqrt, tanh, sigmoid (logistic), and a
    generic σ with its derivative σ', typed ``sigma(z)``, ``σ(z)``, ``σ'(z)``).
    Anything else — attribute access, subscripts, lambdas, comprehensions,
    strings, keywords, double-underscore names, unknown names — raises
    ``ValueError`` before anything is built, as do texts longer than
    :data:`MAX_ANSWER_LENGTH` characters or nested deeper than :data:`MAX_NESTING`.

    Parameters
    ----------
    text : str
        E.g. ``"(a_1 - y_1)*a_1*(1 - a_1)"``.
    allowed_symbols : dict name -> SymPy expression, or iterable of Symbols/names
    functions : dict name -> callable, optional
        Replaces the default functions.
    """
    table = _symbol_table(allowed_symbols)
    funcs = dict(DEFAULT_FUNCTIONS if functions is None else functions)
    for name in funcs:
        if not isinstance(name, str) or not name.isidentifier() or "__" in name:
            raise ValueError(f"functions: {name!r} is not a usable function name")
    source = _prepare(text)
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as err:
        hint = ""
        if re.search(r"\d\s*[A-Za-z_(]", source):
            hint = " (write products with *, e.g. 2*x rather than 2x)"
        _reject(f"it is not a formula{hint}: {err.msg}")
    except (RecursionError, MemoryError, ValueError):
        _reject("it is too deeply nested")
    depth, powers = _ast_depth(tree)
    if depth > 4 * MAX_NESTING:
        _reject("it is too deeply nested")
    if powers > MAX_POWER_NESTING:
        _reject(f"powers are nested more than {MAX_POWER_NESTING} deep")
    names_allowed = ", ".join(sorted(table)) or "(none)"

    def visit(node):
        if isinstance(node, ast.Expression):
            return visit(node.body)
        if isinstance(node, ast.Constant):
            return _number(node.value)
        if isinstance(node, ast.Name):
            if node.id in table:
                return table[node.id]
            if node.id in funcs:
                _reject(f"{node.id} is a function: write {node.id}(...)")
            _reject(
                f"unknown name {node.id!r}; the symbols you may use are {names_allowed}"
            )
        if isinstance(node, ast.BinOp):
            left, right = visit(node.left), visit(node.right)
            if isinstance(node.op, ast.Pow):
                return _power(left, right)
            op = _BINOPS.get(type(node.op))
            if op is None:
                _reject(f"the operator {type(node.op).__name__} is not allowed")
            return op(left, right)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return -visit(node.operand)
            if isinstance(node.op, ast.UAdd):
                return visit(node.operand)
            _reject(f"the operator {type(node.op).__name__} is not allowed")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                _reject("only calls of named functions such as exp(x) are allowed")
            name = node.func.id
            if name not in funcs:
                _reject(
                    f"unknown function {name!r}; the functions you may use are "
                    f"{', '.join(sorted(funcs))}"
                )
            if node.keywords:
                _reject("keyword arguments are not allowed")
            if any(isinstance(a, ast.Starred) for a in node.args):
                _reject("starred arguments are not allowed")
            args = [visit(a) for a in node.args]
            try:
                return funcs[name](*args)
            except TypeError:
                _reject(f"{name} was given {len(args)} arguments")
        kind = type(node).__name__
        _reject(
            f"{kind} is not allowed in an answer; use numbers, the symbols "
            f"{names_allowed}, + - * / ** and the functions "
            f"{', '.join(sorted(funcs))}"
        )

    result = visit(tree)
    if result.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        _reject("it divides by zero or is infinite")
    return result


def answer_matches(
    text: str, expected, allowed_symbols=None, functions: Mapping | None = None
) -> tuple[bool, str]:
    """Does the typed answer equal ``expected``? Returns ``(ok, message)``.

    Unreadable answers give ``(False, <why>)`` rather than an exception, so an
    exercise cell can print the message.
    """
    try:
        got = parse_answer(text, allowed_symbols, functions)
    except ValueError as err:
        return False, str(err)
    expected = sp.sympify(expected)
    residual = _reduce(got - expected)
    if _is_zero(residual):
        return True, f"Right: ${sp.latex(got)}$ equals the expected expression."
    return False, (
        f"Not quite: your answer ${sp.latex(got)}$ differs from the expected one by "
        f"${_short_latex(residual)}$."
    )
