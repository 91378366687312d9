"""What a check returns: :class:`CheckResult` (one equation) and :class:`CheckReport`
(``check_all``'s table), both shown as Markdown in a notebook."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = ["CheckReport", "CheckResult"]


# LaTeX longer than this is wider than the book's text column once typeset
LATEX_LIMIT = 160


def _short_latex(expr, limit: int = LATEX_LIMIT) -> str:
    """LaTeX of ``expr``, or of its first term with the number of terms when it is
    too long to show on one line."""
    text = sp.latex(expr)
    if len(text) <= limit:
        return text
    terms = sp.Add.make_args(expr)
    first = sp.latex(terms[0])
    if len(terms) == 1 or len(first) > limit:
        return rf"\text{{(an expression too long to show: {len(text)} characters)}}"
    return rf"{first} + \dots \text{{ ({len(terms)} terms)}}"


def _residual_lines(expr, limit: int = LATEX_LIMIT) -> list[str]:
    """Markdown lines showing a residual: a short one as display math; a long
    matrix as a sentence (its size, its nonzero entries) and its first nonzero
    entry, so that no line is wider than the text column."""
    if isinstance(expr, sp.MatrixBase) and len(sp.latex(expr)) > limit:
        nonzero = [(i, e) for i, e in enumerate(expr) if e != 0]
        head = f"A {expr.rows}×{expr.cols} matrix with {len(nonzero)} nonzero entries"
        if not nonzero:
            return [head + ".", ""]
        i, first = nonzero[0]
        row, col = divmod(i, expr.cols)
        return [f"{head}; entry ({row + 1}, {col + 1}) is", "", "$$",
                _short_latex(first, limit), "$$", ""]  # fmt: skip
    return ["$$", _short_latex(expr, limit), "$$", ""]


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
        For a failed check: |left − right| of the first part that fails (the
        induction step, or a full network) at a random point with concrete
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
                *_residual_lines(self.residual),
                "",
            ]
            if self.witness is not None:
                lines += [
                    "With concrete functions at a random point the two sides "
                    f"differ by {self.witness:.4g}.",
                    "",
                ]
        lines.append(f"*What was checked:* {self.details}")
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
