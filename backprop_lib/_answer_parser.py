"""A parser for typed answers, driven by the grammar of ``_answer_grammar``.

It tokenizes with the grammar's patterns and parses by precedence climbing, handing
each piece to a *builder* (numbers, names, calls, operators), so that the same
parser builds a SymPy expression in :mod:`backprop_lib.symbolic.answers` and, line
for line, a numeric evaluator in ``answer_parser.js``. Nothing typed is ever
evaluated as code.

Alongside each node the parser keeps its value as a float when the node contains
no symbol (a *constant*), so that both languages refuse the same oversized powers
and divisions by zero, in IEEE arithmetic, before anything is built.

Refusals raise :class:`AnswerError` (a ``ValueError``) with a ``code`` (the same
codes as the JavaScript parser) and a message that names the unknown name or the
position (counted from 1, in the text as typed) of the syntax error.

Needs only the standard library.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from . import _answer_grammar as G

__all__ = ["AnswerError", "Builder", "parse"]


class AnswerError(ValueError):
    """An unreadable answer; ``code`` says why, ``position`` where (or None)."""

    def __init__(self, code: str, message: str, position: int | None = None):
        super().__init__(f"Could not read the answer: {message}")
        self.code = code
        self.reason = message
        self.position = position


@dataclass
class Builder:
    """What to build from each piece of an answer (all callables of nodes)."""

    number: Callable  # (text) -> node
    name: Callable  # (name) -> node
    call: Callable  # (function name, node) -> node
    binary: Callable  # (op name: add/sub/mul/div/pow, left, right) -> node
    unary: Callable  # (op name: neg/pos, node) -> node


_TOKEN_RES = [(kind, re.compile(pattern)) for kind, pattern in G.TOKENS]


def _js_float(kind: str, *args: float) -> float:
    """IEEE arithmetic as JavaScript does it (inf and nan instead of exceptions)."""
    try:
        if kind == "add":
            return args[0] + args[1]
        if kind == "sub":
            return args[0] - args[1]
        if kind == "mul":
            return args[0] * args[1]
        if kind == "div":
            a, b = args
            if b == 0:
                return (
                    math.nan
                    if a == 0 or math.isnan(a)
                    else math.copysign(math.inf, a) * math.copysign(1.0, b)
                )
            return a / b
        if kind == "pow":
            return math.pow(*args)
        if kind == "neg":
            return -args[0]
        if kind == "pos":
            return args[0]
        x = args[0]
        if kind == "exp":
            return math.exp(x)
        if kind == "log":
            if x == 0:
                return -math.inf
            return math.log(x) if x > 0 else math.nan
        if kind == "sqrt":
            return math.sqrt(x) if x >= 0 else math.nan
        if kind == "tanh":
            return math.tanh(x)
        if kind == "logistic":
            return 0.0 if x < -709 else 1 / (1 + math.exp(-x))
    except OverflowError:
        return math.inf
    except (ValueError, ZeroDivisionError):
        if kind == "pow" and args[0] == 0 and args[1] < 0:
            return math.inf
        return math.nan
    raise ValueError(kind)  # pragma: no cover - every kind is handled above


_FOLDED = ("exp", "log", "sqrt", "tanh", "logistic")


def _prepare(text: str) -> tuple[str, list[int]]:
    """Apply the Unicode replacements; map each new character to its typed position."""
    out, where = [], []
    for i, ch in enumerate(text):
        rep = G.REPLACEMENTS.get(ch, ch)
        out.append(rep)
        where.extend([i] * len(rep))
    return "".join(out), where


def _tokenize(source: str, where: list[int]) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    while pos < len(source):
        for kind, rx in _TOKEN_RES:
            m = rx.match(source, pos)
            if m and m.end() > pos:
                if kind != "space":
                    tokens.append((kind, m.group(), where[pos] + 1))
                pos = m.end()
                break
        else:
            ch = source[pos]
            raise AnswerError(
                "char",
                f"the character {ch!r} at position {where[pos] + 1} is not allowed",
                where[pos] + 1,
            )
    return tokens


def _check_parentheses(tokens) -> None:
    depth = deepest = 0
    for _kind, text, pos in tokens:
        if text == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif text == ")":
            depth -= 1
            if depth < 0:
                raise AnswerError(
                    "paren",
                    f"the closing parenthesis at position {pos} has no opening one",
                    pos,
                )
    if depth:
        raise AnswerError("paren", "a parenthesis is not closed")
    if deepest > G.MAX_NESTING:
        raise AnswerError(
            "nesting",
            f"parentheses are nested {deepest} deep; the limit is {G.MAX_NESTING}",
        )


def parse(
    text,
    builder: Builder,
    names: Mapping[str, object] | set,
    functions: Mapping[str, tuple],
):
    """Parse ``text`` with ``builder``; ``names`` are the symbols the reader may type,
    ``functions`` maps a function name to its (kind, generic) pair."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string; got {type(text).__name__}")
    if len(text) > G.MAX_ANSWER_LENGTH:
        raise AnswerError(
            "length",
            f"it is {len(text)} characters long; answers are limited to "
            f"{G.MAX_ANSWER_LENGTH}",
        )
    source, where = _prepare(text)
    tokens = _tokenize(source, where)
    if not tokens:
        raise AnswerError("empty", "it is empty")
    for kind, tok, pos in tokens:
        if kind == "name" and "__" in tok:
            raise AnswerError(
                "name", "names with double underscores are not allowed", pos
            )
    _check_parentheses(tokens)
    symbols_list = ", ".join(sorted(names)) or "(none)"
    functions_list = ", ".join(sorted(functions))
    state = {"i": 0, "depth": 0, "powers": 0}

    def peek():
        i = state["i"]
        return tokens[i] if i < len(tokens) else None

    def advance():
        tok = tokens[state["i"]]
        state["i"] += 1
        return tok

    def unexpected(tok):
        if tok is None:
            raise AnswerError(
                "syntax", "it is not a formula: it ends where an operand is missing"
            )
        raise AnswerError(
            "syntax",
            f"it is not a formula: unexpected {tok[1]!r} at position {tok[2]}",
            tok[2],
        )

    def deeper():
        state["depth"] += 1
        if state["depth"] > G.MAX_DEPTH:
            raise AnswerError("nesting", "it is too deeply nested")

    def canonical(tok_text):
        return tok_text[:-1] + G.PRIME_SUFFIX if tok_text.endswith("'") else tok_text

    def expression():
        left = term()
        while (tok := peek()) is not None and tok[1] in ("+", "-"):
            advance()
            right = term()
            left = binary(G.BINARY[tok[1]]["op"], left, right)
        return left

    def term():
        left = unary()
        while (tok := peek()) is not None and tok[1] in ("*", "/"):
            advance()
            right = unary()
            left = binary(G.BINARY[tok[1]]["op"], left, right)
        return left

    def unary():
        tok = peek()
        if tok is not None and tok[0] == "op" and tok[1] in G.UNARY:
            advance()
            deeper()
            node, value = unary()
            state["depth"] -= 1
            op = G.UNARY[tok[1]]
            return builder.unary(op, node), (
                None if value is None else _js_float(op, value)
            )
        return power()

    def power():
        base = atom()
        tok = peek()
        if tok is not None and tok[1] in G.POWER:
            advance()
            state["powers"] += 1
            if state["powers"] > G.MAX_POWER_NESTING:
                raise AnswerError(
                    "power_nesting",
                    f"powers are nested more than {G.MAX_POWER_NESTING} deep",
                )
            deeper()
            exponent = unary()
            state["depth"] -= 1
            state["powers"] -= 1
            return binary("pow", base, exponent)
        return base

    def binary(op, left, right):
        (lnode, lval), (rnode, rval) = left, right
        if op == "pow" and rval is not None:
            if not math.isfinite(rval) or abs(rval) > G.MAX_EXPONENT:
                raise AnswerError(
                    "exponent", f"an exponent is larger than {G.MAX_EXPONENT}"
                )
            if (
                lval is not None
                and abs(lval) > 1
                and abs(rval) * math.log10(abs(lval)) > G.MAX_POWER_DIGITS
            ):
                raise AnswerError("too_large", "a power is too large to compute")
        value = None
        if lval is not None and rval is not None:
            value = _js_float(op, lval, rval)
            _check_constant(value)
        return builder.binary(op, lnode, rnode), value

    def atom():
        tok = peek()
        if tok is None:
            unexpected(None)
        kind, text_, pos = tok
        if kind == "number":
            advance()
            value = float(text_)
            if not math.isfinite(value):
                raise AnswerError("too_large", "a number is too large", pos)
            nxt = peek()
            if nxt is not None and (nxt[0] in ("number", "name") or nxt[1] == "("):
                raise AnswerError(
                    "product",
                    f"a number is followed by {nxt[1]!r} at position {nxt[2]}: "
                    "write products with *, e.g. 2*x rather than 2x",
                    nxt[2],
                )
            return builder.number(text_), value
        if kind == "name":
            advance()
            name = canonical(text_)
            nxt = peek()
            if nxt is not None and nxt[1] == "(":
                if name not in functions:
                    raise AnswerError(
                        "unknown_function",
                        f"unknown function {name!r}; the functions you may use are "
                        f"{functions_list}",
                        pos,
                    )
                advance()
                deeper()
                args = [expression()]
                while (sep := peek()) is not None and sep[1] == ",":
                    advance()
                    args.append(expression())
                close = peek()
                if close is None or close[1] != ")":
                    unexpected(close)
                advance()
                state["depth"] -= 1
                if len(args) != 1:
                    raise AnswerError(
                        "arguments",
                        f"{name} was given {len(args)} arguments; it takes one",
                        pos,
                    )
                node, value = args[0]
                fkind = functions[name][0]
                out = None
                if value is not None and fkind in _FOLDED:
                    out = _js_float(fkind, value)
                    _check_constant(out)
                return builder.call(name, node), out
            if name in names:
                return builder.name(name), None
            if name in functions:
                raise AnswerError(
                    "not_called", f"{name} is a function: write {name}(...)", pos
                )
            raise AnswerError(
                "unknown_name",
                f"unknown name {name!r}; the symbols you may use are {symbols_list}",
                pos,
            )
        if text_ == "(":
            advance()
            deeper()
            inner = expression()
            close = peek()
            if close is None or close[1] != ")":
                unexpected(close)
            advance()
            state["depth"] -= 1
            return inner
        unexpected(tok)

    result = expression()
    if state["i"] < len(tokens):
        unexpected(tokens[state["i"]])
    return result[0]


def _check_constant(value: float) -> None:
    if math.isnan(value):
        raise AnswerError("infinite", "it is not a real number (or divides 0 by 0)")
    if math.isinf(value):
        raise AnswerError(
            "infinite", "a number in it is too large, or it divides by zero"
        )
