"""Operation counting: the rules the two modes apply, counted by the code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .rules import Rule


@dataclass
class OpCounts:
    """How many rules were applied while :func:`count_ops` was active.

    ``forward``: operations evaluated (one per node built, or one per Dual
    operation); ``tangent``: forward-mode derivative steps (one per Dual operation);
    ``backward``: reverse-mode steps (one per node whose local rule fires in a
    backward sweep; leaves have no rule). ``by_op`` splits ``forward`` by operation.
    """

    forward: int = 0
    tangent: int = 0
    backward: int = 0
    by_op: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.forward + self.tangent + self.backward


_COUNTERS: list[OpCounts] = []


@contextmanager
def count_ops() -> Iterator[OpCounts]:
    """Count the elementary operations done inside a ``with`` block.

    >>> with count_ops() as n:
    ...     c = Value(2.0) * Value(3.0) + 1.0
    ...     c.backward()
    >>> (n.forward, n.backward)
    (2, 2)
    """
    counts = OpCounts()
    _COUNTERS.append(counts)
    try:
        yield counts
    finally:
        _COUNTERS.remove(counts)


def _tally_forward(rule: Rule, tangent: bool) -> None:
    for c in _COUNTERS:
        c.forward += 1
        c.by_op[rule.name] = c.by_op.get(rule.name, 0) + 1
        if tangent:
            c.tangent += 1


def _tally_backward() -> None:
    for c in _COUNTERS:
        c.backward += 1
