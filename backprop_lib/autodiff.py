"""A scalar automatic-differentiation engine: backprop on any expression graph.

Readable, not fast: every number is a Python object, so it is for seeing how reverse
mode works and for checking the matrix-form backward pass, not for training. It needs
no numpy (``from backprop_lib.autodiff import Value`` loads only what
``import backprop_lib`` loads).

The pieces, in the order the chapter "Backprop as automatic differentiation" uses them:

* :data:`RULES`: each elementary operation, its forward rule and its *local
  derivatives* ∂out/∂input side by side, written once. Both modes read this table.
* :class:`Value` (reverse mode): ``Value(data, label=...)`` supports ``+ - * / **``
  (with numbers on either side), ``exp``, ``log``, ``tanh``, ``sigmoid`` and
  ``relu``. Each result remembers its inputs (``_prev``, an ordered tuple, so every
  traversal and drawing is the same on every run) and its rule. ``backward()``
  visits the graph in reverse topological order and *accumulates* ``+=`` into each
  input's ``.grad``: where a value feeds several operations its gradient is the sum
  of their contributions, the multivariable chain rule's sum over paths.
  ``backward_steps()`` runs the same sweep one node at a time.
* :class:`Dual` (forward mode): a number with a tangent, pushed through the same
  rules; one sweep gives the derivative of every output along one input direction.
* :func:`count_ops`: counts the rules the two modes apply, so the chapter's cost
  comparison is counted by the code, not asserted.
* :class:`ValueNetwork`, :func:`cost_function`: a ``backprop_lib.Network`` rebuilt
  from ``Value`` s (same W, b, activations and cost), to compare with
  ``Network.backward``.

What "scalar output" means here: ``backward()`` and :func:`gradient` differentiate
*one* ``Value`` (such as a cost C). A vector of outputs (the output layer of a
network, a list of Values) has a Jacobian, not a gradient: asking for its gradient
raises a TypeError that says so (take one output at a time, or sum them into a cost).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = [
    "RULES",
    "Dual",
    "OpCounts",
    "Rule",
    "Value",
    "ValueNetwork",
    "Vector",
    "apply",
    "cost_function",
    "count_ops",
    "flat_params",
    "gradient",
    "jacobian",
    "output_function",
]


# ---------------------------------------------------------------- the rules
@dataclass(frozen=True)
class Rule:
    """One elementary operation: its forward rule and its local derivatives.

    ``f(*inputs)`` is the output; ``d(*inputs, out)`` is the tuple of local
    derivatives ∂out/∂input_i, one per input. ``check(*inputs)`` returns an error
    message when the inputs are outside the operation's domain (else None).
    ``symbol`` is how a drawing labels the node.
    """

    name: str
    symbol: str
    f: Callable[..., float]
    d: Callable[..., tuple]
    check: Callable[..., str | None] | None = None


def _sigmoid(a: float) -> float:
    e = math.exp(-abs(a))  # ≤ 1: never overflows
    return 1.0 / (1.0 + e) if a >= 0 else e / (1.0 + e)


def _sigmoid_prime(a: float) -> float:
    e = math.exp(-abs(a))  # σ'(a) = e/(1+e)², exact in both tails
    return e / (1.0 + e) ** 2


def _no_zero_divisor(a, b):
    return None if b != 0 else f"division by zero: the divisor is {b!r}"


def _log_domain(a):
    if a > 0:
        return None
    return f"log needs a positive argument (log is defined for x > 0); got {a!r}"


def _exp_range(a):
    if a <= 709.0:
        return None
    return f"exp({a!r}) overflows a float (the largest is about exp(709))"


# fmt: off
RULES: dict[str, Rule] = {r.name: r for r in [
    #    name       symbol  forward rule          local derivatives ∂out/∂input
    Rule("add",     "+",    lambda a, b: a + b,   lambda a, b, out: (1.0, 1.0)),
    Rule("sub",     "-",    lambda a, b: a - b,   lambda a, b, out: (1.0, -1.0)),
    Rule("mul",     "*",    lambda a, b: a * b,   lambda a, b, out: (b, a)),
    Rule("div",     "/",    lambda a, b: a / b,   lambda a, b, out: (1 / b, -out / b),
         check=_no_zero_divisor),
    Rule("neg",     "neg",  lambda a: -a,         lambda a, out: (-1.0,)),
    Rule("exp",     "exp",  math.exp,             lambda a, out: (out,),
         check=_exp_range),
    Rule("log",     "log",  math.log,             lambda a, out: (1 / a,),
         check=_log_domain),
    Rule("tanh",    "tanh", math.tanh,            lambda a, out: (1 - out * out,)),
    Rule("sigmoid", "σ",    _sigmoid,             lambda a, out: (_sigmoid_prime(a),)),
    # relu'(0) is taken as 0, as in backprop_lib.activations (a subgradient)
    Rule("relu",    "relu", lambda a: max(a, 0.0), lambda a, out: (float(a > 0),)),
]}
# fmt: on


def _power_rule(c: float) -> Rule:
    """``x ** c`` for a constant number c: d/dx x^c = c x^(c-1)."""

    def check(a):
        if a == 0 and c < 0:
            return f"0 ** {c!r} divides by zero"
        if a < 0 and c != int(c):
            return (
                f"a negative number to a non-integer power is not real: {a!r} ** {c!r}"
            )
        return None

    return Rule("pow", f"**{c:g}", lambda a: a**c, lambda a, out: (c * a ** (c - 1),),
                check)  # fmt: skip


def _base_power_rule(c: float) -> Rule:
    """``c ** x`` for a constant base c > 0: d/dx c^x = c^x ln c."""
    return Rule("rpow", f"{c:g}**", lambda a: c**a, lambda a, out: (out * math.log(c),))


# ------------------------------------------------------------- op counting
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


# ----------------------------------------------------------- shared operators
def _real(x: object) -> bool:
    t = type(x)
    if t is float or t is int:  # the common case, without the slower ABC check
        return True
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _check_exponent(c: object, op: str) -> float:
    if not _real(c):
        raise TypeError(
            f"{op}: the exponent must be a constant real number (int or float); got "
            f"{type(c).__name__} {c!r}. For a variable exponent write exp(y * log(x))"
        )
    return float(c)


class _Ops:
    """The arithmetic both number types share; ``_apply`` does the work."""

    __slots__ = ()

    def __add__(self, other):
        return self._apply(RULES["add"], self, self._coerce(other, "+"))

    def __radd__(self, other):
        return self._apply(RULES["add"], self._coerce(other, "+"), self)

    def __sub__(self, other):
        return self._apply(RULES["sub"], self, self._coerce(other, "-"))

    def __rsub__(self, other):
        return self._apply(RULES["sub"], self._coerce(other, "-"), self)

    def __mul__(self, other):
        return self._apply(RULES["mul"], self, self._coerce(other, "*"))

    def __rmul__(self, other):
        return self._apply(RULES["mul"], self._coerce(other, "*"), self)

    def __truediv__(self, other):
        return self._apply(RULES["div"], self, self._coerce(other, "/"))

    def __rtruediv__(self, other):
        return self._apply(RULES["div"], self._coerce(other, "/"), self)

    def __pow__(self, c):
        return self._apply(_power_rule(_check_exponent(c, "x ** c")), self)

    def __rpow__(self, c):
        base = _check_exponent(c, "c ** x")
        if base <= 0:
            raise ValueError(f"c ** x needs a positive base c; got {c!r}")
        return self._apply(_base_power_rule(base), self)

    def __neg__(self):
        return self._apply(RULES["neg"], self)

    def exp(self):
        return self._apply(RULES["exp"], self)

    def log(self):
        return self._apply(RULES["log"], self)

    def tanh(self):
        return self._apply(RULES["tanh"], self)

    def sigmoid(self):
        return self._apply(RULES["sigmoid"], self)

    def relu(self):
        return self._apply(RULES["relu"], self)


def _checked(rule: Rule, inputs: Sequence[float], names: Sequence[str]) -> None:
    if rule.check is not None:
        message = rule.check(*inputs)
        if message is not None:
            where = ", ".join(n for n in names if n)
            raise ValueError(message + (f" (input {where})" if where else ""))


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


# ------------------------------------------------------------ reverse mode
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
        what = (
            "a Dual (forward mode and reverse mode are separate engines: use one)"
            if isinstance(other, Dual)
            else f"{type(other).__name__} {other!r}"
        )
        raise TypeError(
            f"Value {op} ...: the other operand must be a Value or a real number "
            f"(int or float); got {what}"
        )

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


# ------------------------------------------------------------ forward mode
class Dual(_Ops):
    """A dual number ``primal + tangent·ε`` (ε² = 0): forward-mode differentiation.

    Each operation computes its output and, from the same local derivatives as
    reverse mode (:data:`RULES`), the output's tangent:
    tangent_out = Σ_i ∂out/∂input_i · tangent_i. Seeding the inputs' tangents with a
    direction v gives every output's derivative along v (a Jacobian-vector product)
    in one sweep, and nothing is stored.
    """

    __slots__ = ("primal", "tangent")

    def __init__(self, primal, tangent=0.0):
        for name, x in (("primal", primal), ("tangent", tangent)):
            if not _real(x):
                raise TypeError(
                    f"Dual({name}) must be a real number (int or float); got "
                    f"{type(x).__name__} {x!r}"
                )
        self.primal = float(primal)
        self.tangent = float(tangent)

    @staticmethod
    def _coerce(other, op: str) -> Dual:
        if isinstance(other, Dual):
            return other
        if _real(other):
            return Dual(other, 0.0)  # a constant: zero tangent
        what = (
            "a Value (forward mode and reverse mode are separate engines: use one)"
            if isinstance(other, Value)
            else f"{type(other).__name__} {other!r}"
        )
        raise TypeError(
            f"Dual {op} ...: the other operand must be a Dual or a real number "
            f"(int or float); got {what}"
        )

    @staticmethod
    def _apply(rule: Rule, *inputs: Dual) -> Dual:
        primals = [x.primal for x in inputs]
        _checked(rule, primals, [])
        _tally_forward(rule, tangent=True)
        out = Dual.__new__(Dual)  # the inputs are checked: skip __init__'s checks
        out.primal = float(rule.f(*primals))
        local = rule.d(*primals, out.primal)
        out.tangent = float(sum(d * x.tangent for d, x in zip(local, inputs)))
        return out

    def __repr__(self) -> str:
        return f"Dual({self.primal:.6g}, tangent={self.tangent:.6g})"


# -------------------------------------------------- gradients and Jacobians
def _as_numbers(x: object, argument: str) -> list[float]:
    if isinstance(x, (str, bytes)) or not hasattr(x, "__iter__"):
        raise TypeError(
            f"{argument} must be a sequence of real numbers; got {type(x).__name__}"
        )
    out = []
    for i, xi in enumerate(x):
        if not _real(xi):
            raise TypeError(
                f"{argument}[{i}] must be a real number; got {type(xi).__name__} {xi!r}"
            )
        out.append(float(xi))
    return out


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


# ------------------------------------------------- a network made of Values
# The core's elementwise activations (backprop_lib.activations.ACTIVATIONS) as
# operations on one scalar; softmax, the core's one non-elementwise activation, is
# _softmax below. A test checks that these cover the core's list.
ELEMENTWISE: dict[str, Callable] = {
    "sigmoid": lambda z: z.sigmoid(),
    "tanh": lambda z: z.tanh(),
    "relu": lambda z: z.relu(),
    "linear": lambda z: z,
}


def _total(terms: list):
    """A left-to-right sum without a leading 0: n terms cost n − 1 additions."""
    acc = terms[0]
    for t in terms[1:]:
        acc = acc + t
    return acc


def _softmax(z: list) -> list:
    c = max(_primal(zj) for zj in z)  # a constant shift: exp never overflows
    e = [(zj - c).exp() for zj in z]
    s = _total(e)
    return [ej / s for ej in e]


def _primal(v) -> float:
    return v.data if isinstance(v, Value) else v.primal if isinstance(v, Dual) else v


def _layers(net, W, b, x: list, record: list | None = None) -> tuple[list, list]:
    """z^L and a^L for one example, from the scalars in W, b (Values, Duals, floats).

    z^ℓ_j = b^ℓ_j + Σ_k w^ℓ_jk a^{ℓ−1}_k (n_{ℓ−1} multiplications and additions per
    unit), then the layer's activation (one operation per unit, softmax apart).
    ``record``, if given, receives ``(z^ℓ, a^ℓ)`` for ℓ = 1..L.
    """
    a, z = list(x), []
    for ell in range(1, net.L + 1):
        z = []
        for j in range(net.sizes[ell]):
            acc = b[ell][j]
            for k in range(net.sizes[ell - 1]):
                acc = acc + W[ell][j][k] * a[k]
            z.append(acc)
        act = net.activation_of(ell).name
        a = _softmax(z) if act == "softmax" else [ELEMENTWISE[act](zj) for zj in z]
        if record is not None:
            record.append((z, a))
    return z, a


def _example_cost(net, W, b, x: list, y: list, record: list | None = None):
    """C_x for one example, with the same formulas as ``Network``.

    Quadratic: ½ Σ_j (a_j − y_j)² (one subtraction and one square per output unit,
    n_L − 1 additions, one multiplication by ½). Cross-entropy from z^L, never
    from ln a: −y ln σ(z) − (1−y) ln σ(−z) with a sigmoid output,
    logsumexp(z) Σ_j y_j − Σ_j y_j z_j with a softmax output.
    """
    z, a = _layers(net, W, b, x, record)
    if net.cost == "quadratic":
        return 0.5 * _total([(aj - yj) ** 2 for aj, yj in zip(a, y)])
    if net.output_activation == "sigmoid":
        return _total([
            -(yj * zj.sigmoid().log() + (1.0 - yj) * (-zj).sigmoid().log())
            for zj, yj in zip(z, y)
        ])  # fmt: skip
    c = max(_primal(zj) for zj in z)  # a constant shift: exp never overflows
    lse = _total([(zj - c).exp() for zj in z]).log() + c
    return lse * sum(y) - _total([yj * zj for zj, yj in zip(z, y)])


def _examples(x: object, n: int, argument: str) -> list[list[float]]:
    """One example (n numbers) or a batch (n rows, one column per example)."""
    rows = list(x) if hasattr(x, "__iter__") else None
    if rows is None or len(rows) != n:
        raise ValueError(
            f"{argument} must have {n} entries (one example) or {n} rows (a batch, "
            f"one column per example); got {x!r}"
        )
    if all(_real(r) for r in rows):
        return [[float(r) for r in rows]]
    rows = [_as_numbers(r, f"{argument} row {i}") for i, r in enumerate(rows)]
    if len({len(r) for r in rows}) != 1:
        raise ValueError(f"the rows of {argument} must have the same length")
    return [list(col) for col in zip(*rows)]


def _mean_cost(net, W, b, x, y, record: list | None = None):
    xs = _examples(x, net.sizes[0], "x")
    ys = _examples(y, net.sizes[-1], "y")
    if len(xs) != len(ys):
        raise ValueError(f"x has {len(xs)} examples but y has {len(ys)}")
    costs = [_example_cost(net, W, b, xi, yi, record) for xi, yi in zip(xs, ys)]
    return costs[0] if len(costs) == 1 else _total(costs) / len(costs)


def _check_network(net) -> None:
    from .network import Network

    if not isinstance(net, Network):
        raise TypeError(f"net must be a backprop_lib.Network; got {type(net).__name__}")


class ValueNetwork:
    """A ``Network`` rebuilt from Values: every weight and bias is a leaf ``Value``.

    ``cost(x, y)`` builds the graph of the cost for one example (or the mean over a
    batch, examples as columns) with the network's activations and cost;
    ``backward`` on it fills each parameter's ``.grad``; ``grad_W()``/``grad_b()``
    return them in the book's indexing (``[None, ∂C/∂W^1, ...]``, nested lists of
    shape (n_ℓ, n_{ℓ−1}) and (n_ℓ, 1)) for comparison with ``Network.backward``.
    """

    def __init__(self, net):
        _check_network(net)
        self.net = net
        self.W = [None] + [
            [
                [
                    Value(float(w), label=f"w{ell}_{j + 1}{k + 1}")
                    for k, w in enumerate(row)
                ]
                for j, row in enumerate(net.W[ell].tolist())
            ]
            for ell in range(1, net.L + 1)
        ]
        self.b = [None] + [
            [
                Value(float(bj[0]), label=f"b{ell}_{j + 1}")
                for j, bj in enumerate(net.b[ell].tolist())
            ]
            for ell in range(1, net.L + 1)
        ]

    def parameters(self) -> list[Value]:
        """W^1 (row by row), b^1, W^2, b^2, ...: the order of :func:`flat_params`."""
        out = []
        for ell in range(1, self.net.L + 1):
            out += [w for row in self.W[ell] for w in row] + self.b[ell]
        return out

    def cost(self, x, y) -> Value:
        """The cost C as one Value (the mean over the examples of a batch).

        Also sets ``self.z`` and ``self.a`` to ``[None, z^1, ..., z^L]`` and
        ``[None, a^1, ..., a^L]``, lists of the Values of the (last) example, so that
        after ``backward`` the grad of ``z[ell][j]`` can be read as δ^ℓ_j.
        """
        record: list = []
        C = _mean_cost(self.net, self.W, self.b, x, y, record)
        last = record[-self.net.L :]
        self.z = [None] + [z for z, _ in last]
        self.a = [None] + [a for _, a in last]
        return C

    def output(self, x) -> Vector:
        """The output layer a^L for one example, a :class:`Vector` of Values."""
        x = _examples(x, self.net.sizes[0], "x")
        if len(x) != 1:
            raise ValueError("output takes one example; use cost for a batch")
        return Vector(_layers(self.net, self.W, self.b, x[0])[1])

    def grad_W(self) -> list:
        return [None] + [
            [[w.grad for w in row] for row in self.W[ell]]
            for ell in range(1, self.net.L + 1)
        ]

    def grad_b(self) -> list:
        return [None] + [
            [[bj.grad] for bj in self.b[ell]] for ell in range(1, self.net.L + 1)
        ]


def flat_params(net) -> list[float]:
    """θ = (W^1 row by row, b^1, W^2, b^2, ...) of a ``Network``, as floats."""
    _check_network(net)
    out = []
    for ell in range(1, net.L + 1):
        out += [float(w) for w in net.W[ell].ravel()] + [
            float(v) for v in net.b[ell].ravel()
        ]
    return out


def output_function(net) -> Callable[[list], list]:
    """a^L(x) for one example at the network's own W and b (held as constants).

    Pass Values (reverse mode) or Duals (forward mode) for the n_0 inputs, e.g.
    ``jacobian(output_function(net), x, mode="forward")`` for ∂a^L/∂x.
    """
    _check_network(net)
    W = [None] + [net.W[ell].tolist() for ell in range(1, net.L + 1)]
    b = [None] + [net.b[ell].ravel().tolist() for ell in range(1, net.L + 1)]

    def a_L(x):
        x = list(x)
        if len(x) != net.sizes[0]:
            raise ValueError(f"x must have {net.sizes[0]} entries; got {len(x)}")
        return Vector(_layers(net, W, b, x)[1])

    return a_L


def cost_function(net, x, y) -> Callable[[list], object]:
    """C(θ) for the network's shape, activations and cost, at fixed x and y.

    ``θ`` is in the order of :func:`flat_params`; pass Values (reverse mode) or Duals
    (forward mode), e.g. ``gradient(cost_function(net, x, y), flat_params(net))``.
    """
    _check_network(net)
    sizes = net.sizes

    def C(theta):
        theta = list(theta)
        if len(theta) != net.n_params:
            raise ValueError(f"θ must have {net.n_params} entries; got {len(theta)}")
        W, b, i = [None], [None], 0
        for ell in range(1, net.L + 1):
            n, n_prev = sizes[ell], sizes[ell - 1]
            W.append([theta[i + j * n_prev : i + (j + 1) * n_prev] for j in range(n)])
            i += n * n_prev
            b.append(theta[i : i + n])
            i += n
        return _mean_cost(net, W, b, x, y)

    return C
