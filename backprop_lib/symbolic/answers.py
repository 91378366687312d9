"""Readers' answers: :func:`parse_answer` reads a typed formula into a SymPy
expression without ever evaluating Python; :func:`answer_matches` says whether it
equals the expected one.

The grammar is written once, in ``backprop_lib._answer_grammar``; the parser that
reads it (``backprop_lib._answer_parser``) is mirrored line for line by the answer
box's JavaScript (``backprop_lib/answer_parser.js``), so the book's pages and a
kernel read an answer alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sympy as sp

from .._answer_grammar import FUNCTIONS, MAX_ANSWER_LENGTH, MAX_NESTING
from .._answer_parser import AnswerError, Builder, parse
from ._sympy import _CLASS_CACHE, _is_zero, _logistic, _reduce, generic_activation

__all__ = [
    "DEFAULT_FUNCTIONS",
    "MAX_ANSWER_LENGTH",
    "MAX_NESTING",
    "AnswerError",
    "answer_matches",
    "function_kinds",
    "parse_answer",
]

_KIND_CALLABLES = {
    "exp": sp.exp,
    "log": sp.log,
    "sqrt": sp.sqrt,
    "tanh": sp.tanh,
    "logistic": _logistic,
}


def _callable(kind: str, generic: str | None) -> Callable:
    if kind == "generic":
        return generic_activation(generic)[0]
    if kind == "generic_prime":
        return generic_activation(generic)[1]
    return _KIND_CALLABLES[kind]


#: The functions a reader may type, from the grammar (``_answer_grammar.FUNCTIONS``).
DEFAULT_FUNCTIONS: dict[str, Callable] = {
    name: _callable(kind, generic) for name, (kind, generic) in FUNCTIONS.items()
}


def _kind_of(fn) -> tuple[str, str | None]:
    for kind, known in _KIND_CALLABLES.items():
        if fn is known:
            return kind, None
    for key, value in _CLASS_CACHE.items():
        if key[0] == "activation":
            if fn is value[0]:
                return "generic", key[1]
            if fn is value[1]:
                return "generic_prime", key[1]
    return "custom", None


def function_kinds(functions: Mapping | None = None) -> dict:
    """name -> (kind, generic) of a function table, in the grammar's kinds
    (``"custom"`` for a callable the grammar does not know)."""
    funcs = DEFAULT_FUNCTIONS if functions is None else functions
    return {name: _kind_of(fn) for name, fn in funcs.items()}


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


def _builder(table: Mapping, funcs: Mapping) -> Builder:
    ops = {
        "add": lambda p, q: p + q,
        "sub": lambda p, q: p - q,
        "mul": lambda p, q: p * q,
        "div": lambda p, q: p / q,
        "pow": lambda p, q: p**q,
    }
    return Builder(
        number=sp.Rational,
        name=lambda n: table[n],
        call=lambda n, arg: funcs[n](arg),
        binary=lambda op, p, q: ops[op](p, q),
        unary=lambda op, p: -p if op == "neg" else p,
    )


def parse_answer(
    text: str, allowed_symbols=None, functions: Mapping | None = None
) -> sp.Expr:
    """Read a typed formula into a SymPy expression, never evaluating Python.

    The grammar is ``backprop_lib._answer_grammar`` (written once, read also by the
    answer box's JavaScript): numbers; names listed in ``allowed_symbols``;
    ``+ - * /``, powers ``^`` or ``**``, unary signs; parentheses; one-argument
    calls of the functions in ``functions`` (default :data:`DEFAULT_FUNCTIONS`:
    exp, log/ln, sqrt, tanh, sigmoid (logistic), and a generic σ with its
    derivative σ', typed ``sigma(z)``, ``σ(z)``, ``sigma'(z)``). The text is
    tokenized and parsed by precedence climbing (``backprop_lib._answer_parser``);
    anything else — attribute access, subscripts, strings, keywords,
    double-underscore names, unknown names — raises ``ValueError`` (an
    :class:`AnswerError`, with a ``code``) before anything is built, as do texts
    longer than :data:`MAX_ANSWER_LENGTH` characters, nested deeper than
    :data:`MAX_NESTING` parentheses, or with an exponent over 1000.

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
    result = sp.sympify(
        parse(text, _builder(table, funcs), table, function_kinds(funcs))
    )
    if result.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise AnswerError("infinite", "it divides by zero or is infinite")
    return result


def answer_matches(
    text: str, expected, allowed_symbols=None, functions: Mapping | None = None
) -> tuple[bool, str]:
    """Does the typed answer equal ``expected``? Returns ``(ok, message)``.

    Unreadable answers give ``(False, <why>)`` rather than an exception, so an
    exercise cell can print the message. A wrong answer's message does not say how
    it differs (that would give the right one away).
    """
    try:
        got = parse_answer(text, allowed_symbols, functions)
    except ValueError as err:
        return False, str(err)
    expected = sp.sympify(expected)
    if _is_zero(_reduce(got - expected)):
        return True, f"Right: ${sp.latex(got)}$ equals the expected expression."
    return False, (
        f"Not quite: your answer ${sp.latex(got)}$ is not the expected expression."
    )
