"""Readers' answers: :func:`parse_answer` reads a typed formula into a SymPy
expression without ever evaluating Python; :func:`answer_matches` says whether it
equals the expected one."""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Mapping

import sympy as sp

from ._results import _short_latex
from ._sympy import _is_zero, _logistic, _reduce, sigma, sigma_prime

__all__ = [
    "DEFAULT_FUNCTIONS",
    "MAX_ANSWER_LENGTH",
    "MAX_NESTING",
    "answer_matches",
    "parse_answer",
]

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
