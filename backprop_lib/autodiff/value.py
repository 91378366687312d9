"""Reverse mode: :class:`Value`, its graph (the topological order) and the
backward sweep, whole (``backward``) or one node at a time (``backward_steps``)."""

from __future__ import annotations

import math
from collections.abc import Iterator

from .counting import _tally_backward, _tally_forward
from .ops import _checked, _Ops, _real
from .rules import Rule


class Value(_Ops):
    """A scalar that remembers how it was computed, for reverse-mode differentiation.

    Parameters
    ----------
    data : int or float
        The number.
    label : str
        A name for drawings and messages, e.g. ``"w1"``.

    Attributes
    ----------
    data : float
    grad : float
        ∂(output)/∂(this value) after ``output.backward()``; 0 before.
    _prev : tuple of Value
        The inputs of the operation that made this value, in argument order.
    _rule : Rule or None
        That operation (None for a leaf: an input or a constant).

    Notes
    -----
    A graph records its numbers when it is built; after changing a leaf's ``data``,
    build the expression again before calling ``backward``.
    """

    __slots__ = ("_prev", "_rule", "data", "grad", "label")

    def __init__(self, data, label: str = "", _prev: tuple = (), _rule=None):
        if not _real(data):
            raise TypeError(
                f"Value(data) must be a real number (int or float); got "
                f"{type(data).__name__} {data!r}"
            )
        if not isinstance(label, str):
            raise TypeError(f"label must be a str; got {type(label).__name__}")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self._prev = _prev
        self._rule = _rule

    # -- the four beats of every operation (coerce, forward, local rule, attach)
    @staticmethod
    def _coerce(other, op: str) -> Value:
        if isinstance(other, Value):
            return other
        if _real(other):
            return Value(other)  # a constant leaf
        raise Value._operand_error(other, op)

    @staticmethod
    def _apply(rule: Rule, *inputs: Value) -> Value:
        data = [v.data for v in inputs]
        _checked(rule, data, [v.label for v in inputs])
        _tally_forward(rule, tangent=False)
        # the local derivatives rule.d are evaluated in the backward sweep, from
        # the stored inputs and output: the tape holds numbers, not derivatives
        out = Value.__new__(Value)  # the inputs are checked: skip __init__'s checks
        out.data, out.grad, out.label = float(rule.f(*data)), 0.0, ""
        out._prev, out._rule = tuple(inputs), rule
        return out

    def _propagate(self) -> None:
        """This node's local rule: add its contribution to each input's grad."""
        if self._rule is None:
            return
        _tally_backward()
        local = self._rule.d(*(p.data for p in self._prev), self.data)
        for p, d in zip(self._prev, local):
            p.grad += d * self.grad  # chain rule; += sums over paths

    # -- the graph
    @property
    def op(self) -> str:
        """The symbol of the operation that made this value ('' for a leaf)."""
        return "" if self._rule is None else self._rule.symbol

    def topological_order(self) -> list[Value]:
        """Every value this one depends on, itself last; inputs before results.

        Depth-first, inputs visited in argument order, so the order is the same on
        every run. Iterative, so deep graphs do not hit Python's recursion limit.
        """
        order: list[Value] = []
        seen: set[int] = {id(self)}
        stack = [(self, iter(self._prev))]
        while stack:
            node, inputs = stack[-1]
            for p in inputs:
                if id(p) not in seen:
                    seen.add(id(p))
                    stack.append((p, iter(p._prev)))
                    break
            else:
                stack.pop()
                order.append(node)
        return order

    def backward_steps(self) -> Iterator[Value]:
        """The backward sweep one node at a time (reverse topological order).

        Sets every grad in the graph to 0 and this value's grad to 1 at once, then,
        as the iterator is advanced, applies each node's local rule, outputs first
        (adding its contribution to its inputs' grads), and yields the node. When a
        node is yielded its own grad is final: every node it feeds has already
        passed on its contribution.
        """
        if not math.isfinite(self.data):
            raise ValueError(
                f"backward() needs a finite output; {self.label or 'this value'} is "
                f"{self.data!r}"
            )
        order = self.topological_order()
        for v in order:
            v.grad = 0.0
        self.grad = 1.0
        return self._sweep(order)

    @staticmethod
    def _sweep(order: list[Value]) -> Iterator[Value]:
        for v in reversed(order):
            v._propagate()
            yield v

    def backward(self) -> None:
        """Fill ``.grad`` of every value in this one's graph with ∂self/∂value.

        Reverse topological order; each node adds ``local derivative × its grad``
        to its inputs' grads, so a value used several times receives the sum of the
        contributions of every path (see ``backward_steps``). Grads are reset first,
        so calling it twice gives the same numbers, not twice them.
        """
        for _ in self.backward_steps():
            pass

    def __repr__(self) -> str:
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"


class Vector(list):
    """A list of Values (e.g. a network's output layer), which has no gradient."""

    def backward(self):
        raise TypeError(
            f"backward() needs one scalar output (a single Value such as the cost C); "
            f"this is a vector of {len(self)} Values, whose derivative is a Jacobian. "
            "Call backward() on one element, or combine them into one cost first"
        )
