"""A ``backprop_lib.Network`` rebuilt from Values (or Duals): the same W, b,
activations and cost, to compare with ``Network.backward``."""

from __future__ import annotations

from collections.abc import Callable

from .._checks import deprecated
from .dual import Dual
from .ops import _as_numbers, _real
from .value import Value, Vector

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
    if net.cost_name == "quadratic":
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
    from ..network import Network

    if not isinstance(net, Network):
        raise TypeError(f"net must be a backprop_lib.Network; got {type(net).__name__}")


class ValueNetwork:
    """A ``Network`` rebuilt from Values: every weight and bias is a leaf ``Value``.

    ``mean_cost(x, y)`` builds the graph of the cost for one example (or the mean
    over a batch, examples as columns) with the network's activations and cost, as
    ``Network.mean_cost`` computes it; ``backward`` on it fills each parameter's
    ``.grad``; ``grad_W``/``grad_b`` hold them in the book's indexing
    (``[None, ∂C/∂W^1, ...]``, nested lists of shape (n_ℓ, n_{ℓ−1}) and (n_ℓ, 1)),
    as ``Network.backward(x, y).grad_W`` does.
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

    def mean_cost(self, x, y) -> Value:
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
            raise ValueError("output takes one example; use mean_cost for a batch")
        return Vector(_layers(self.net, self.W, self.b, x[0])[1])

    def cost(self, x, y) -> Value:
        """Former name of :meth:`mean_cost` (``.cost`` is a value elsewhere)."""
        deprecated("ValueNetwork.cost(x, y)", "ValueNetwork.mean_cost(x, y)")
        return self.mean_cost(x, y)

    @property
    def grad_W(self) -> list:
        """∂C/∂W^ℓ as ``[None, ∂C/∂W^1, ...]``, read from each weight's ``.grad``."""
        return _GradientList(
            "grad_W",
            [None]
            + [
                [[w.grad for w in row] for row in self.W[ell]]
                for ell in range(1, self.net.L + 1)
            ],
        )

    @property
    def grad_b(self) -> list:
        """∂C/∂b^ℓ as ``[None, ∂C/∂b^1, ...]``, read from each bias's ``.grad``."""
        return _GradientList(
            "grad_b",
            [None]
            + [[[bj.grad] for bj in self.b[ell]] for ell in range(1, self.net.L + 1)],
        )


class _GradientList(list):
    """A list of gradients, as ``BackwardResult.grad_W`` is; calling it, as when
    ``grad_W()`` was a method, still works for one release, with a warning."""

    def __init__(self, name: str, items):
        super().__init__(items)
        self._name = name

    def __call__(self):
        deprecated(f"ValueNetwork.{self._name}()", f"ValueNetwork.{self._name}")
        return self


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
