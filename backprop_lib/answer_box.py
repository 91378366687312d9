"""Answer boxes: exercises a reader answers by typing a formula or a number.

``answer_box(...)`` returns an :class:`AnswerBox`, an anywidget whose front end
(``answer_parser.js`` + ``answer_box.js``) reads the typed answer with the book's
answer grammar (``_answer_grammar``, shared with
:func:`backprop_lib.symbolic.parse_answer`) and judges it **in the browser**: it
evaluates the answer at a few random points and compares it with the values SymPy
computed at build time for the expected answer and for each tempting wrong answer
(:func:`backprop_lib.symbolic.answer_points`). So the box works on the static site,
offline and from ``file://``, with no kernel; in JupyterLab or Binder the same box
also reports to Python: ``box.answer`` is the last answer checked, ``box.verdict``
its verdict (``"right"``, ``"wrong"``, ``"unreadable"``, or ``""`` before any check)
and ``box.message`` what the reader was told.

Example (a chapter's exercise cell)::

    from backprop_lib.answer_box import answer_box

    answer_box(
        "chain-rule-exercise-1",            # the exercise's label
        expected,                            # a SymPy expression
        {"z_1": z_1, "z_2": z_2, "p": p, "q": q},   # what the reader may type
        label="∂C/∂z₁ =",
        solution="p*z_2 + q",                # checked right when the box is built
        equivalent=["q + z_2*p"],            # checked right too
        tempting={"2*p*z_2": "Two paths lead from z₁ to C, and they differ."},
    )

For a number (an exercise done by hand) leave out the symbols and give the
tolerance the exercise states: ``answer_box("by-hand-ex-delta", value,
label="δ²₁ =", digits=6, solution="0.0469589167", tempting={...})``.

The box checks its own exercise when it is built: the solution and every
equivalent must be right and every tempting answer wrong, by the kernel's path
(:func:`~backprop_lib.symbolic.answer_matches`), or it raises ``ValueError`` (so
the book's ``-W`` build fails). These answers, with the kernel's verdicts, are kept
in :attr:`AnswerBox.examples`, which the browser tests type into the page.

Markup contract (the tests rely on it): the root has ``data-role="answer"`` and
``data-exercise``; the input ``data-role="answer-input"``; the button
``data-role="answer-check"``; the verdict ``data-role="answer-verdict"``, whose
``data-verdict`` attribute is ``right``, ``wrong`` or ``unreadable`` after a check.

Like ``widgets``, this module imports anywidget; it computes nothing itself: the
SymPy work is in ``backprop_lib.symbolic``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

try:
    import anywidget
    import traitlets as t
except ImportError as exc:  # the optional "widgets" extra is missing
    raise ImportError(
        "backprop_lib.answer_box needs anywidget and ipywidgets, the library's "
        'optional widgets extra: pip install "backprop_lib[widgets]" '
        f"(missing: {exc.name or exc})"
    ) from exc

from ._answer_grammar import grammar

__all__ = ["AnswerBox", "answer_box"]

_HERE = Path(__file__).resolve().parent
_IMPORT_LINE = 'import { judge, prepareSpec } from "./answer_parser.js";'
#: What a probe for an unknown symbol and a syntax error look like.
UNKNOWN_PROBE = "zz + 1"
SYNTAX_PROBE = "1 +* 2"


def _front_end() -> str:
    """answer_parser.js followed by answer_box.js, as one ES module (anywidget's
    ``_esm`` is one module; the two files stay apart for reading and testing)."""
    parser = (_HERE / "answer_parser.js").read_text(encoding="utf-8")
    box = (_HERE / "answer_box.js").read_text(encoding="utf-8")
    if _IMPORT_LINE not in box:
        raise RuntimeError(f"answer_box.js must import the parser with {_IMPORT_LINE}")
    return parser + "\n" + box.replace(_IMPORT_LINE, "")


class AnswerBox(anywidget.AnyWidget):
    """A box for a typed answer, judged in the browser (see the module's docstring)."""

    _esm = _front_end()
    _css = (_HERE / "answer_box.css").read_text(encoding="utf-8")

    exercise = t.Unicode("").tag(sync=True)
    part = t.Unicode("").tag(sync=True)
    label = t.Unicode("").tag(sync=True)
    hint = t.Unicode("").tag(sync=True)
    placeholder = t.Unicode("").tag(sync=True)
    spec = t.Dict().tag(sync=True)
    examples = t.List().tag(sync=True)
    #: Set by the page when the reader checks an answer.
    answer = t.Unicode("").tag(sync=True)
    verdict = t.Unicode("").tag(sync=True)
    message = t.Unicode("").tag(sync=True)

    def __init__(self, *, check, **kwargs):
        super().__init__(**kwargs)
        self._check = check

    def check(self, text: str) -> tuple[str, str]:
        """The kernel's verdict on ``text``: (``"right"`` | ``"wrong"`` |
        ``"unreadable"``, message), by :func:`~backprop_lib.symbolic.answer_matches`
        (a number: within the box's tolerance)."""
        return self._check(text)

    def __repr__(self) -> str:
        return (
            f"AnswerBox(exercise={self.exercise!r}, answer={self.answer!r}, "
            f"verdict={self.verdict!r})"
        )


def _hint_text(names: Sequence[str], digits: int | None, numeric: bool) -> str:
    if numeric:
        tol = f" to {digits} significant digits" if digits else ""
        return (
            f"Type a number{tol}, e.g. 0.1234 or 1.5e-3 (arithmetic such as "
            "0.25*0.75 is fine), then press Enter or Check."
        )
    return (
        f"Symbols: {', '.join(names)}. Write products with * and powers with ^, "
        "e.g. 2*x^2; functions: sigma(…), sigma'(…), exp, ln, sqrt, tanh, sigmoid. "
        "Press Enter or Check."
    )


def answer_box(
    exercise: str,
    expected,
    symbols=None,
    *,
    label: str,
    solution: str,
    tempting: Mapping[str, str] | None = None,
    equivalent: Sequence[str] = (),
    digits: int | None = None,
    rtol: float | None = None,
    functions: Mapping | None = None,
    domains: Mapping | None = None,
    part: str = "",
    placeholder: str | None = None,
    n_points: int = 8,
) -> AnswerBox:
    """An answer box for one exercise (see the module's docstring).

    Parameters
    ----------
    exercise : str
        The exercise's label (``data-exercise`` in the page).
    expected : SymPy expression or number
        The right answer.
    symbols : dict name -> SymPy expression, or list of Symbols/names
        What the reader may type; leave out for a numeric answer.
    label : str
        The visible label, e.g. ``"∂C/∂z₁ ="``.
    solution : str
        The solution's answer, as typed; must be right.
    tempting : dict typed answer -> one-sentence hint
        The tempting wrong answers; each must be wrong.
    equivalent : list of str
        Rearrangements of the solution; each must be right.
    digits : int, optional
        For a numeric answer: significant digits asked for (relative tolerance
        5·10^-digits).
    rtol : float, optional
        The relative tolerance (default 1e-6 for a formula; from ``digits`` for a
        number).
    functions, domains, n_points
        As for :func:`backprop_lib.symbolic.answer_points`.
    part : str
        Tells apart two boxes of one exercise (``data-part``).
    placeholder : str, optional
        The input's placeholder (default: the symbols, or "a number").
    """
    from .symbolic import answer_matches, answer_points, parse_answer

    for name, value in (
        ("exercise", exercise),
        ("label", label),
        ("solution", solution),
    ):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string; got {value!r}")
    if digits is not None and (not isinstance(digits, int) or not 1 <= digits <= 15):
        raise ValueError(f"digits must be an integer from 1 to 15; got {digits!r}")
    if rtol is None:
        rtol = 5 * 10.0 ** (-digits) if digits else 1e-6
    tempting = dict(tempting or {})
    data = answer_points(
        expected,
        symbols,
        tempting=tempting,
        functions=functions,
        n_points=n_points,
        seed=f"{exercise}/{part}",
        domains=domains,
        rtol=rtol,
    )
    numeric = data["mode"] == "number"
    table = symbols if symbols else {}
    want = data["expected"][0] if numeric else None

    def check(text: str) -> tuple[str, str]:
        try:
            got = parse_answer(text, table, functions)
        except ValueError as err:
            return "unreadable", str(err)
        if numeric:
            if got.free_symbols:
                return "unreadable", "a number was expected"
            value = float(got)

            def near(target):
                target = float(target)
                return math.isfinite(value) and abs(value - target) <= rtol * max(
                    abs(value), abs(target)
                )

            if near(want):
                return "right", "Right."
            for text_, hint in tempting.items():
                if near(parse_answer(text_)):
                    return "wrong", hint
            return "wrong", "Not quite."
        ok, message = answer_matches(text, expected, table, functions)
        if ok:
            return "right", message
        for text_, hint in tempting.items():
            if answer_matches(
                text, parse_answer(text_, table, functions), table, functions
            )[0]:
                return "wrong", hint
        return "wrong", message

    examples = []
    for kind, texts, must in (
        ("solution", [solution], "right"),
        ("equivalent", list(equivalent), "right"),
        ("tempting", list(tempting), "wrong"),
        ("unknown", [UNKNOWN_PROBE], "unreadable"),
        ("syntax", [SYNTAX_PROBE], "unreadable"),
    ):
        for text in texts:
            verdict, message = check(text)
            if verdict != must:
                raise ValueError(
                    f"exercise {exercise}: the {kind} answer {text!r} is {verdict} by "
                    f"the kernel's check, not {must} ({message})"
                )
            example = {"kind": kind, "text": text, "verdict": verdict}
            if kind == "tempting":
                example["hint"] = tempting[text]
            examples.append(example)
    names = data["names"]
    if placeholder is None:
        placeholder = "a number" if numeric else "a formula in " + ", ".join(names)
    spec = {"grammar": grammar(), **data}
    return AnswerBox(
        check=check,
        exercise=exercise,
        part=part,
        label=label,
        hint=_hint_text(names, digits, numeric),
        placeholder=placeholder,
        spec=spec,
        examples=examples,
    )
