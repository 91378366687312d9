"""Either mode on a function of several numbers: :func:`apply` (a rule of your
own), :func:`jacobian` and :func:`gradient`."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .dual import Dual
from .ops import _as_numbers
from .rules import Rule
from .value import Value


def apply(rule: Rule, *inputs):
    """Apply a :class:`Rule` (e.g. one of your own) to Values or to Duals.

    >>> sin = Rule("sin", "sin", math.sin, lambda u, out: (math.cos(u),))
    >>> apply(sin, Dual(0.0, 1.0)).tangent
    1.0
    """
    if not isinstance(rule, Rule):
        raise TypeError(f"rule must be a Rule; got {type(rule).__name__}")
    kinds = {type(v) for v in inputs}
    if not inputs or not kinds <= {Value, Dual} or len(kinds) != 1:
        raise TypeError(
            "apply needs one or more inputs, all Values or all Duals; got "
            f"{[type(v).__name__ for v in inputs]}"
        )
    return kinds.pop()._apply(rule, *inputs)


def _outputs(y: object, kind: type, what: str, scalar: bool) -> list:
    """f's result as a list; with ``scalar``, insist on a single value."""
    if isinstance(y, kind):
        return [y]
    if isinstance(y, (list, tuple)) and all(isinstance(v, kind) for v in y):
        if scalar:
            raise TypeError(
                "gradient needs f to return one scalar output (a single "
                f"{what}, such as a cost); it returned {len(y)} values, whose "
                "derivative is a Jacobian: use jacobian(f, x) instead"
            )
        return list(y)
    raise TypeError(
        f"f must return a {what} or a list of them; got {type(y).__name__} {y!r}"
    )


def _jacobian(f: Callable, x: object, mode: str, scalar: bool) -> list[list]:
    x = _as_numbers(x, "x")
    if mode == "forward":
        columns = []
        for j in range(len(x)):
            seeded = [Dual(xi, 1.0 if i == j else 0.0) for i, xi in enumerate(x)]
            columns.append(
                [yi.tangent for yi in _outputs(f(seeded), Dual, "Dual", scalar)]
            )
        return [list(row) for row in zip(*columns)]
    if mode == "reverse":
        xs = [Value(xi, label=f"x{i + 1}") for i, xi in enumerate(x)]
        rows = []
        for yi in _outputs(f(xs), Value, "Value", scalar):
            for v in xs:  # an input that yi does not depend on has derivative 0
                v.grad = 0.0
            yi.backward()
            rows.append([v.grad for v in xs])
        return rows
    raise ValueError(f"mode must be 'forward' or 'reverse'; got {mode!r}")


def jacobian(f: Callable, x: Sequence[float], mode: str = "reverse") -> list[list]:
    """The Jacobian ∂f_i/∂x_j of ``f`` at ``x``, as a list of rows.

    ``f`` takes a list of number-like objects (Values or Duals) and returns one or a
    list of them. ``mode="forward"``: one Dual sweep per input (a column each);
    ``mode="reverse"``: one forward build, then one backward sweep per output (a row
    each). Wrap the call in :func:`count_ops` to see what each costs.
    """
    return _jacobian(f, x, mode, scalar=False)


def gradient(f: Callable, x: Sequence[float], mode: str = "reverse") -> list[float]:
    """∇f at ``x`` for a scalar-valued ``f`` (see :func:`jacobian` for ``mode``).

    Raises a TypeError if ``f`` returns several outputs: their derivative is a
    Jacobian, not a gradient.
    """
    return _jacobian(f, x, mode, scalar=True)[0]
