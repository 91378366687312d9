"""The check registry: each check is registered once, with its statement and its
named wrong variants; the list of checks, the list of variants, the variant
check, the timing and the assembled :class:`CheckResult` all come from here.

A check is a function ``body(variant, **options) -> Evidence`` decorated with
:func:`register`::

    @register(
        "BP3",
        r"\\frac{\\partial C}{\\partial b^{\\ell}_j} = \\delta^{\\ell}_j",
        extra_sigma_prime=r"... = \\delta^{\\ell}_j\\,\\sigma'(z^{\\ell}_j)",
    )
    def check_BP3(variant=None, n_prev=3, n_ell=4, full_networks=...):
        ...
        return Evidence(difference, details, parts, abbrev)

The decorated function is what :data:`CHECKS` holds and what ``check("BP3")``
runs: it refuses an unknown variant, times the body and turns its
:class:`Evidence` into a :class:`CheckResult`.
"""

from __future__ import annotations

import functools
import inspect
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .._checks import check_integer
from ._results import CheckReport, CheckResult
from ._sympy import _combine, _is_zero, _reduce, _witness

__all__ = ["CHECKS", "VARIANTS", "Evidence", "check", "check_all", "variants"]


@dataclass
class Evidence:
    """What a check's body found, before it becomes a :class:`CheckResult`.

    Attributes
    ----------
    difference : SymPy expression or Matrix
        Left side minus right side of the main statement (the induction step),
        not yet reduced.
    details : str
        What was checked: sizes, which activation, which networks.
    parts : sequence
        Already reduced residuals of further sub-checks (full networks, graphs);
        each must be 0 for the check to pass.
    abbrev : dict, optional
        Long sub-expressions → short symbols, to print a failed residual readably.
    """

    difference: object
    details: str
    parts: Sequence = field(default_factory=tuple)
    abbrev: Mapping | None = None


CHECKS: dict[str, Callable[..., CheckResult]] = {}
"""Every check by name, in the order they were registered (the book's order)."""

VARIANTS: dict[str, tuple[str, ...]] = {}
"""The named wrong variants of each check; every one of them must fail."""

STATEMENTS: dict[str, dict[str | None, str]] = {}
"""The LaTeX statement of each check (key None) and of each wrong variant."""


def register(name: str, statement: str, **wrong: str):
    """Register a check: its name, the true statement and each wrong variant's.

    ``wrong`` maps each variant's name to the (false) statement it claims; the
    variants of the check are exactly these names.
    """
    if name in CHECKS:
        raise ValueError(f"a check named {name!r} is already registered")

    def decorate(body: Callable[..., Evidence]) -> Callable[..., CheckResult]:
        statements = {None: statement, **wrong}

        @functools.wraps(body)
        def run(variant=None, *args, **options) -> CheckResult:
            t0 = time.perf_counter()
            if variant is not None and variant not in wrong:
                raise ValueError(
                    f"variant={variant!r} is not a variant of check {name!r}; "
                    "expected None (the true statement) or one of "
                    f"{list(wrong)}"
                )
            evidence = body(variant, *args, **options)
            return _assemble(name, statements[variant], evidence, variant, t0)

        CHECKS[name] = run
        VARIANTS[name] = tuple(wrong)
        STATEMENTS[name] = statements
        return run

    return decorate


def _assemble(name, statement, evidence: Evidence, variant, t0) -> CheckResult:
    """Reduce the evidence to one residual; on failure find a numerical witness."""
    first = _reduce(evidence.difference)
    residual = _combine([first, *evidence.parts])
    passed = _is_zero(residual)
    witness = None
    if not passed:
        # |left − right| with concrete functions, from the first part that fails
        witness = _witness(residual) or None
    if evidence.abbrev and not passed:
        residual = residual.xreplace(evidence.abbrev)
    return CheckResult(
        name=name,
        statement=statement,
        passed=passed,
        residual=residual,
        details=evidence.details,
        variant=variant,
        witness=witness,
        seconds=time.perf_counter() - t0,
    )


def _check_width(value, argument: str, low: int = 1, high: int = 6) -> int:
    """A layer width of an induction step: small, so that SymPy stays quick."""
    return check_integer(value, argument, low, high)


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
