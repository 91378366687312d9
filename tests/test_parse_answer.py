"""parse_answer reads formulas and never runs Python."""

from __future__ import annotations

import ast
import builtins
import threading

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_lib import symbolic as S

a, y, z, w = sp.symbols("a y z w")
SYMS = {"a": a, "y": y, "z": z, "w": w}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(a - y)*a*(1 - a)", (a - y) * a * (1 - a)),
        ("a^2 + 2*a + 1", (a + 1) ** 2),
        ("a**2/2", a**2 / 2),
        ("-a + +y", y - a),
        ("0.5*(a-y)**2", sp.Rational(1, 2) * (a - y) ** 2),
        ("exp(-z)/(1+exp(-z))**2", sp.exp(-z) / (1 + sp.exp(-z)) ** 2),
        ("sigmoid(z)*(1 - sigmoid(z))", sp.exp(-z) / (1 + sp.exp(-z)) ** 2),
        ("ln(a) - log(y)", sp.log(a) - sp.log(y)),
        ("sqrt(4)*tanh(w)", 2 * sp.tanh(w)),
        ("σ'(z)*w", S.sigma_prime(z) * w),
        ("sigma'(z) * w", S.sigma_prime(z) * w),
        ("sigma_prime(z)*sigma(z)", S.sigma_prime(z) * S.sigma(z)),
        ("a − y", a - y),  # unicode minus
        ("2·a", 2 * a),
    ],
)
def test_valid_answers_parse_to_the_expected_expression(text, expected):
    got = S.parse_answer(text, SYMS)
    assert sp.simplify(got - expected) == 0


def test_allowed_symbols_may_be_a_dict_symbols_or_names():
    assert S.parse_answer("a*y", [a, y]) == a * y
    got = S.parse_answer("a*y", ["a", "y"])
    assert got == sp.Symbol("a") * sp.Symbol("y")
    net = S.symbolic_network([2, 2, 1])
    got = S.parse_answer("w2_11*b1_1 + x_1", net.names)
    assert got == net.W[2][0, 0] * net.b[1][0] + net.x[0]
    with pytest.raises(TypeError, match="allowed_symbols"):
        S.parse_answer("a", "a")
    with pytest.raises(ValueError, match="cannot be typed"):
        S.parse_answer("a", {"w^2_11": a})


def test_custom_functions_replace_the_defaults():
    h, hp = S.generic_activation("h")
    got = S.parse_answer("h'(a)*w", SYMS, functions={"h": h, "h_prime": hp})
    assert got == hp(a) * w
    with pytest.raises(ValueError, match="unknown function 'exp'"):
        S.parse_answer("exp(a)", SYMS, functions={"h": h})


# --------------------------------------------------------------- injection

FLAG: list = []


def _spy(monkeypatch):
    """Record any call of eval, exec, open, __import__ and any compile() that
    would produce code (ast.parse compiles to a syntax tree only)."""
    calls = []
    real_compile = builtins.compile

    def compile_(source, filename, mode, flags=0, *args, **kwargs):
        if not flags & ast.PyCF_ONLY_AST:
            calls.append(("compile", source))
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    def record(name):
        def fn(*args, **kwargs):
            calls.append((name, args))
            raise AssertionError(f"{name} was called")

        return fn

    monkeypatch.setattr(builtins, "compile", compile_)
    for name in ("eval", "exec", "open", "breakpoint", "input"):
        monkeypatch.setattr(builtins, name, record(name))
    real_import = builtins.__import__

    def import_(name, *args, **kwargs):
        if name.split(".")[0] in ("os", "subprocess", "shutil", "pathlib", "sys"):
            calls.append(("import", name))
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", import_)
    return calls


def _payloads(target):
    t = str(target)
    return [
        f"__import__('os').system('touch {t}')",
        f"__import__('pathlib').Path('{t}').touch()",
        f"open('{t}', 'w').write('x')",
        f'open("{t}", "w")',
        f'exec(\'open("{t}", "w")\')',
        f'eval(\'open("{t}", "w")\')',
        "().__class__.__bases__[0].__subclasses__()",
        "a.__class__",
        "a.func",
        "a.subs(a, 1)",
        "(lambda: h1_flag())()",
        "lambda x: x",
        "h1_flag()",
        "[h1_flag() for _ in (1,)]",
        "{h1_flag()}",
        "a if h1_flag() else y",
        "(f := h1_flag)",
        "h1_flag",
        "globals()",
        "vars()",
        "getattr(a, 'func')",
        "a[0]",
        "a; h1_flag()",
        "a\nh1_flag()",
        "f'{h1_flag()}'",
        "b'abc'",
        "'abc'",
        "exp(x=1)",
        "exp(*a)",
        "a and y",
        "a < y",
        "a @ y",
        "a % y",
        "a // y",
        "a << y",
        "~a",
        "not a",
        "True",
        "None",
        "...",
        "1j",
        "a if y else z",
        "await a",
        "yield a",
        "__builtins__",
        "_a",
    ]


def test_injection_is_rejected_and_nothing_runs(tmp_path, monkeypatch):
    target = tmp_path / "pwned"
    monkeypatch.setattr(builtins, "h1_flag", lambda: FLAG.append(1), raising=False)
    calls = _spy(monkeypatch)
    for payload in _payloads(target):
        with pytest.raises(ValueError, match="Could not read the answer"):
            S.parse_answer(payload, SYMS)
    monkeypatch.undo()
    assert not target.exists()
    assert FLAG == []
    assert calls == []


def test_answer_matches_never_raises_on_injection(tmp_path, monkeypatch):
    target = tmp_path / "pwned"
    monkeypatch.setattr(builtins, "h1_flag", lambda: FLAG.append(1), raising=False)
    for payload in _payloads(target):
        ok, message = S.answer_matches(payload, a, SYMS)
        assert ok is False and message.startswith("Could not read the answer")
    assert not target.exists()
    assert FLAG == []


# ------------------------------------------------------ size and malformed


def _finishes(fn, seconds=10.0):
    """Run fn in a thread; a guard against hangs, not a speed target."""
    box = {}

    def run():
        try:
            box["value"] = fn()
        except Exception as err:  # passed back to the test
            box["error"] = err

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "parse_answer did not return"
    return box


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a+" * 300 + "a", "characters long"),
        ("(" * 41 + "a" + ")" * 41, "nested"),
        ("-" * 450 + "a", "nested"),
        ("9**9**9**9", "exponent"),
        ("a**" * 9 + "a", "powers are nested"),
        ("10**10**10", "exponent"),
        ("(10**999)**999", "too large"),
        ("a**5000", "exponent"),
        ("1e999", "too large"),
        ("1/0", "divides by zero"),
        ("", "empty"),
        ("   ", "empty"),
        ("(a + y", "not closed"),
        ("a + y)", "no opening"),
        ("a +* y", "not a formula"),
        ("2a", "write products with"),
        ("a y", "not a formula"),
        ("q + 1", "unknown name 'q'"),
        ("exp", "is a function"),
        ("foo(a)", "unknown function 'foo'"),
        ("exp(a, y)", "arguments"),
        ("a\\b", "not allowed"),
        ("a # comment", "not allowed"),
        ("{a}", "not allowed"),
    ],
)
def test_bad_input_is_rejected_fast_with_a_clear_message(text, message):
    box = _finishes(lambda: S.parse_answer(text, SYMS))
    assert isinstance(box.get("error"), ValueError), box
    assert message in str(box["error"])


def test_exactly_the_length_limit_is_accepted():
    text = "+".join(["a"] * 250)[: S.MAX_ANSWER_LENGTH]
    text = text.rstrip("+")
    assert len(text) <= S.MAX_ANSWER_LENGTH
    assert S.parse_answer(text, SYMS) == a * text.count("a")


def test_non_string_text_is_a_type_error():
    with pytest.raises(TypeError, match="text must be a string"):
        S.parse_answer(3, SYMS)


def test_answer_matches_says_right_or_wrong():
    ok, msg = S.answer_matches("a*(1-a)*(a-y)", (a - y) * a * (1 - a), SYMS)
    assert ok and msg.startswith("Right")
    ok, msg = S.answer_matches("(a-y)*a", (a - y) * a * (1 - a), SYMS)
    assert not ok and msg.startswith("Not quite")
    ok, msg = S.answer_matches("2x", a, SYMS)
    assert not ok and "write products with" in msg


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_text_gives_an_expression_or_a_value_error(text):
    box = _finishes(lambda: S.parse_answer(text, SYMS))
    if "error" in box:
        assert isinstance(box["error"], ValueError), repr(box["error"])
    else:
        assert isinstance(box["value"], sp.Basic)


ALPHABET = "ay+-*/^()0123456789.,' σexpln_"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_formula_like_text_gives_an_expression_or_a_value_error(text):
    box = _finishes(lambda: S.parse_answer(text, SYMS))
    if "error" in box:
        assert isinstance(box["error"], ValueError), repr(box["error"])
    else:
        assert isinstance(box["value"], sp.Basic)
