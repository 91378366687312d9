"""The grammar of typed answers, written once, as data.

Two parsers read it: :func:`backprop_lib.symbolic.parse_answer` (Python, building a
SymPy expression) and ``answer_parser.js`` (the answer box's front end, building a
numeric evaluator). The answer box sends :func:`grammar` to the page as widget
state, and ``tests/test_answer_parser.py`` runs one corpus of accepted and refused
strings through both parsers and requires the same verdicts. Neither parser ever
evaluates the text as code: both tokenize it with the patterns below and parse the
tokens by precedence climbing.

The language, in one breath: numbers (``2``, ``0.5``, ``1e-3``); the symbols an
exercise allows (identifiers such as ``a_1``, ``z_2``, ``w2_11``, ``dC_da3``);
``+ - * /``, powers written ``^`` or ``**`` (right-associative, binding tighter than
a unary minus, as in Python: ``-a^2`` is ``-(a^2)``); parentheses; and calls of the
one-argument functions of :data:`FUNCTIONS`, a prime marking a derivative
(``sigma'(z)`` is ``sigma_prime(z)``). A few Unicode signs are read as their ASCII
forms (:data:`REPLACEMENTS`). No implicit products: ``2a`` is refused with a hint.

This module needs nothing outside the standard library.
"""

from __future__ import annotations

__all__ = [
    "FUNCTIONS",
    "FUNCTION_KINDS",
    "GENERIC_STAND_IN",
    "MAX_ANSWER_LENGTH",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_NESTING",
    "MAX_POWER_DIGITS",
    "MAX_POWER_NESTING",
    "REPLACEMENTS",
    "TOKENS",
    "grammar",
]

#: Longest answer read, in characters.
MAX_ANSWER_LENGTH = 500
#: Deepest nesting of parentheses.
MAX_NESTING = 40
#: Deepest nesting of the syntax tree (parentheses, signs, exponents, calls).
MAX_DEPTH = 60
#: Most powers nested inside one another's exponents (a^b^c^… counts each ^).
MAX_POWER_NESTING = 8
#: Largest exponent (in magnitude) when the exponent is a number.
MAX_EXPONENT = 1000
#: Most decimal digits a power of two numbers may have.
MAX_POWER_DIGITS = 10_000

#: Unicode signs read as ASCII (applied before tokenizing; positions in messages
#: count the characters the reader typed).
REPLACEMENTS = {"−": "-", "·": "*", "×": "*", "÷": "/", "²": "^2", "³": "^3"}

#: Token patterns, tried in this order at each position (sticky regular
#: expressions that Python's ``re`` and JavaScript read alike).
TOKENS = (
    ("space", r"[ \t]+"),
    ("number", r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?"),
    (
        "name",
        r"[A-Za-z\u0391-\u03a9\u03b1-\u03c9][A-Za-z0-9_\u0391-\u03a9\u03b1-\u03c9]*'?",
    ),
    ("op", r"\*\*|[-+*/^(),]"),
)

#: A prime after a name is spelled with this suffix (``sigma'`` → ``sigma_prime``).
PRIME_SUFFIX = "_prime"

#: Binary operators: precedence (higher binds tighter) and the operation.
BINARY = {
    "+": {"precedence": 1, "op": "add"},
    "-": {"precedence": 1, "op": "sub"},
    "*": {"precedence": 2, "op": "mul"},
    "/": {"precedence": 2, "op": "div"},
}
#: Power operators (right-associative, tighter than unary signs on their left).
POWER = ("^", "**")
#: Unary operators.
UNARY = {"-": "neg", "+": "pos"}

#: What each kind of function computes. ``generic`` is an undefined activation
#: (σ of the proofs, nothing assumed about it); ``generic_prime`` its derivative.
FUNCTION_KINDS = ("exp", "log", "sqrt", "tanh", "logistic", "generic", "generic_prime")

#: The functions a reader may type by default: name → (kind, the generic function
#: it belongs to, for the generic kinds).
FUNCTIONS = {
    "exp": ("exp", None),
    "log": ("log", None),
    "ln": ("log", None),
    "sqrt": ("sqrt", None),
    "tanh": ("tanh", None),
    "sigmoid": ("logistic", None),
    "sigma": ("generic", "sigma"),
    "σ": ("generic", "sigma"),
    "sigma_prime": ("generic_prime", "sigma"),
    "σ_prime": ("generic_prime", "sigma"),
}

#: To compare answers at sample points, a generic activation f is replaced by
#: f(u) = A·tanh(B·u + C) + D·u, with A, B, C, D drawn afresh at every point, and f'
#: by its derivative A·B·(1 − tanh²(B·u + C)) + D. Both parsers' evaluators and the
#: build-time SymPy evaluation use this; the parameter order is (A, B, C, D).
GENERIC_STAND_IN = "A*tanh(B*u + C) + D*u"


def grammar() -> dict:
    """The grammar as JSON-ready data (sent to the answer box's front end)."""
    return {
        "max_length": MAX_ANSWER_LENGTH,
        "max_nesting": MAX_NESTING,
        "max_depth": MAX_DEPTH,
        "max_power_nesting": MAX_POWER_NESTING,
        "max_exponent": MAX_EXPONENT,
        "max_power_digits": MAX_POWER_DIGITS,
        "replacements": dict(REPLACEMENTS),
        "tokens": [list(t) for t in TOKENS],
        "prime_suffix": PRIME_SUFFIX,
        "binary": {k: dict(v) for k, v in BINARY.items()},
        "power": list(POWER),
        "unary": dict(UNARY),
        "function_kinds": list(FUNCTION_KINDS),
        "generic_stand_in": GENERIC_STAND_IN,
    }


def function_table(functions: dict | None = None) -> dict:
    """name → {"kind", "of"} of a function table (default :data:`FUNCTIONS`)."""
    table = FUNCTIONS if functions is None else functions
    out = {}
    for name, (kind, of) in table.items():
        if kind not in FUNCTION_KINDS:
            raise ValueError(
                f"functions[{name!r}] has kind {kind!r}; expected one of "
                f"{', '.join(FUNCTION_KINDS)}"
            )
        out[name] = {"kind": kind, "of": of}
    return out
