"""The symbolic network: a symbol for every weight, bias, input and target, in
Nielsen's notation, with z^ℓ, a^ℓ and the cost C as SymPy expressions; and the
small full networks the checks differentiate directly (built once, cached)."""

from __future__ import annotations

import itertools

import sympy as sp

from .._checks import check_sizes, deprecated
from ._sympy import _activation, _layer_symbols, _weight_symbols

__all__ = ["DEFAULT_FULL_NETWORKS", "SymbolicNetwork", "symbolic_network"]


def _check_sizes(sizes, limit: int = 60) -> list[int]:
    sizes = list(check_sizes(sizes))  # the core's checks and messages
    n_params = sum(n * (m + 1) for m, n in itertools.pairwise(sizes))
    if n_params > limit:
        raise ValueError(
            f"sizes={sizes} has {n_params} weights and biases; symbolic networks are "
            f"limited to {limit} (differentiating a nested network grows about 7x "
            "per added layer). Prove general statements with the induction-step "
            "checks instead."
        )
    return sizes


class SymbolicNetwork:
    """A fully connected network with a symbol for every quantity (Nielsen's notation).

    Attributes
    ----------
    sizes : list of int
    L : int
        The output layer's index.
    x, y : sympy.Matrix
        Input symbols x_k and target symbols y_j (columns).
    W, b : list
        ``W[ell]`` is the matrix of symbols w^ℓ_jk, shape (n_ℓ, n_{ℓ-1}); ``b[ell]``
        the column of b^ℓ_j; index 0 is None. Entry ``W[ell][j, k]`` (0-based, as
        in the numpy core) is the symbol w^ℓ_{j+1,k+1} (1-based, as in the text).
    z, a : list of sympy.Matrix
        z^ℓ = W^ℓ a^{ℓ-1} + b^ℓ and a^ℓ = f(z^ℓ) as nested expressions of x;
        ``a[0]`` is x and ``z[0]`` is None.
    C : sympy expression
        The cost of one example.
    f, f_prime : callables
        The hidden activation and its derivative, applied to one SymPy expression.
    names : dict
        Typeable names for every symbol (``"w2_11"``, ``"b1_3"``, ``"x_1"``,
        ``"y_2"``), for :func:`parse_answer`.
    """

    def __init__(
        self, sizes, activation=None, output_activation=None, cost="quadratic"
    ):
        self.sizes = _check_sizes(sizes)
        self.L = len(self.sizes) - 1
        self.hidden = _activation(activation, "activation")
        out = activation if output_activation is None else output_activation
        self.softmax = out == "softmax"
        if self.softmax:
            if self.sizes[-1] < 2:
                raise ValueError("output_activation='softmax' needs >= 2 output units")
            self.output = None
        else:
            self.output = _activation(out, "output_activation")
        if cost not in ("quadratic", "cross_entropy"):
            raise ValueError(
                f"cost={cost!r} is not available symbolically; expected 'quadratic' "
                "or 'cross_entropy'"
            )
        if cost == "cross_entropy" and not (
            self.softmax or (self.output is not None and self.output.name == "sigmoid")
        ):
            raise ValueError(
                "cost='cross_entropy' needs output_activation 'sigmoid' or 'softmax'"
            )
        self.cost_name = cost
        n = self.sizes
        self.x = _layer_symbols("x", None, n[0])
        self.y = _layer_symbols("y", None, n[-1])
        self.W: list = [None]
        self.b: list = [None]
        self.z: list = [None]
        self.a: list = [self.x]
        for ell in range(1, self.L + 1):
            self.W.append(_weight_symbols(ell, n[ell], n[ell - 1]))
            self.b.append(_layer_symbols("b", ell, n[ell]))
            z = self.W[ell] * self.a[ell - 1] + self.b[ell]
            self.z.append(z)
            self.a.append(self._activate(ell, z))
        self.C = self.cost_of_output(self.a[self.L])
        self.names = self._typeable_names()

    # ------------------------------------------------------------- pieces
    @property
    def f(self):
        return self.hidden.f

    @property
    def f_prime(self):
        return self.hidden.prime

    def _activate(self, ell: int, z: sp.Matrix) -> sp.Matrix:
        if ell == self.L and self.softmax:
            e = z.applyfunc(sp.exp)
            total = sum(e)
            return e.applyfunc(lambda v: v / total)
        act = self.output if ell == self.L else self.hidden
        return z.applyfunc(act.f)

    def cost_of_output(self, aL: sp.Matrix):
        """C as a function of given output activations ``aL`` (one example).

        Not the numpy ``Network.mean_cost(x, y)``: this one takes a^L, e.g. free
        symbols, and returns the SymPy expression C(a^L). (Called ``cost_of``
        before; that name still works, with a ``DeprecationWarning``.)
        """
        y = self.y
        if self.cost_name == "quadratic":
            return sp.Rational(1, 2) * sum((aL[j] - y[j]) ** 2 for j in range(len(y)))
        if self.softmax:
            return -sum(y[j] * sp.log(aL[j]) for j in range(len(y)))
        return -sum(
            y[j] * sp.log(aL[j]) + (1 - y[j]) * sp.log(1 - aL[j]) for j in range(len(y))
        )

    def cost_of(self, aL: sp.Matrix):
        """Former name of :meth:`cost_of_output`."""
        deprecated("SymbolicNetwork.cost_of", "SymbolicNetwork.cost_of_output")
        return self.cost_of_output(aL)

    @property
    def cost(self) -> str:
        """Former name of :attr:`cost_name`."""
        deprecated("SymbolicNetwork.cost", "SymbolicNetwork.cost_name")
        return self.cost_name

    def _typeable_names(self) -> dict:
        names = {}
        wide = max(self.sizes) > 9
        for k, s in enumerate(self.x, start=1):
            names[f"x_{k}"] = s
        for j, s in enumerate(self.y, start=1):
            names[f"y_{j}"] = s
        for ell in range(1, self.L + 1):
            rows, cols = self.W[ell].shape
            for j in range(rows):
                names[f"b{ell}_{j + 1}"] = self.b[ell][j]
                for k in range(cols):
                    sep = "_" if wide else ""
                    names[f"w{ell}_{j + 1}{sep}{k + 1}"] = self.W[ell][j, k]
        return names

    # ------------------------------------------------------------- backprop
    def delta_L(self) -> sp.Matrix:
        """BP1, from the definition: δ^L_j = Σ_k ∂C/∂a^L_k · ∂a^L_k/∂z^L_j.

        The output layer is differentiated on placeholder symbols u = z^L and the
        result is evaluated at the network's z^L; for elementwise activations the
        Jacobian is diagonal and this is ∇_a C ⊙ f'(z^L).
        """
        n = self.sizes[-1]
        u = sp.Matrix(sp.symbols(f"_u1:{n + 1}"))
        a_u = self._activate(self.L, u)
        v = sp.Matrix(sp.symbols(f"_v1:{n + 1}"))
        C_v = self.cost_of_output(v)
        grad_a = sp.Matrix([sp.diff(C_v, vj) for vj in v]).xreplace(dict(zip(v, a_u)))
        J = a_u.jacobian(u)
        d = J.T * grad_a
        return d.xreplace(dict(zip(u, self.z[self.L])))

    def backprop(self) -> dict:
        """δ^ℓ and the gradients assembled by BP1–BP4, as SymPy matrices.

        Returns a dict with lists ``delta``, ``grad_W``, ``grad_b`` (index 0 None):
        BP1 δ^L = J^T ∇_a C; BP2 δ^ℓ = ((W^{ℓ+1})^T δ^{ℓ+1}) ⊙ f'(z^ℓ);
        BP3 ∂C/∂b^ℓ = δ^ℓ; BP4 ∂C/∂W^ℓ = δ^ℓ (a^{ℓ-1})^T.
        """
        L = self.L
        delta = [None] * (L + 1)
        delta[L] = self.delta_L()
        for ell in range(L - 1, 0, -1):
            delta[ell] = (self.W[ell + 1].T * delta[ell + 1]).multiply_elementwise(
                self.z[ell].applyfunc(self.f_prime)
            )
        grad_b = [None] + [delta[ell] for ell in range(1, L + 1)]
        grad_W = [None] + [delta[ell] * self.a[ell - 1].T for ell in range(1, L + 1)]
        return {"delta": delta, "grad_W": grad_W, "grad_b": grad_b}

    def direct_gradients(self) -> dict:
        """∂C/∂W^ℓ and ∂C/∂b^ℓ by differentiating the whole nested expression C."""
        grad_W, grad_b = [None], [None]
        for ell in range(1, self.L + 1):
            grad_W.append(self.W[ell].applyfunc(lambda w: sp.diff(self.C, w)))
            grad_b.append(self.b[ell].applyfunc(lambda b: sp.diff(self.C, b)))
        return {"grad_W": grad_W, "grad_b": grad_b}

    def cut_cost(self, ell: int):
        """(u, C_u): the cost with z^ℓ replaced by free symbols u (layers ℓ..L only)."""
        n = self.sizes[ell]
        u = sp.Matrix(sp.symbols(f"_cut{ell}_1:{n + 1}"))
        a = self._activate(ell, u)
        for k in range(ell + 1, self.L + 1):
            a = self._activate(k, self.W[k] * a + self.b[k])
        return u, self.cost_of_output(a)

    def direct_deltas(self) -> list:
        """δ^ℓ = ∂C/∂z^ℓ by direct differentiation of the cost as a function of z^ℓ."""
        out = [None]
        for ell in range(1, self.L + 1):
            u, C_u = self.cut_cost(ell)
            d = sp.Matrix([sp.diff(C_u, uj) for uj in u])
            out.append(d.xreplace(dict(zip(u, self.z[ell]))))
        return out

    def placeholders(self) -> dict:
        """{f(z^ℓ_j): s, f'(z^ℓ_j): p} for a generic activation (see module notes)."""
        rep = {}
        for ell in range(1, self.L + 1):
            acts = [self.hidden] if ell < self.L else [self.output, self.hidden]
            for j, zj in enumerate(self.z[ell], start=1):
                for act in acts:
                    if act is None:
                        continue
                    rep[act.f(zj)] = sp.Symbol(f"_s{ell}_{j}")
                    rep[act.prime(zj)] = sp.Symbol(f"_p{ell}_{j}")
        return rep

    # ------------------------------------------------------------- numbers
    def substitutions(self, net, x, y) -> dict:
        """{symbol: number} for a numpy ``bp.Network``'s parameters and one x, y."""
        import numpy as np

        if list(net.sizes) != self.sizes:
            raise ValueError(
                f"net has sizes {list(net.sizes)} but this symbolic network has "
                f"{self.sizes}"
            )
        x = np.asarray(x, dtype=float).ravel()
        y = np.asarray(y, dtype=float).ravel()
        if x.shape != (self.sizes[0],) or y.shape != (self.sizes[-1],):
            raise ValueError(
                f"x must have {self.sizes[0]} entries and y {self.sizes[-1]}; got "
                f"shapes {x.shape} and {y.shape}"
            )
        values = dict(zip(self.x, x.tolist()))
        values.update(zip(self.y, y.tolist()))
        for ell in range(1, self.L + 1):
            values.update(zip(self.W[ell], np.asarray(net.W[ell]).ravel().tolist()))
            values.update(zip(self.b[ell], np.asarray(net.b[ell]).ravel().tolist()))
        return values

    def evaluate(self, expr, net, x, y):
        """Evaluate SymPy quantities of this network at a numpy ``bp.Network``.

        ``expr`` is an expression, a matrix, or a list of them (evaluated together,
        with common sub-expressions shared); returns float arrays of the same
        shapes.
        """
        import numpy as np

        if self.hidden.generic:
            raise ValueError(
                "this symbolic network has a generic activation; build it with "
                "activation='sigmoid' (or 'tanh', 'linear') to get numbers"
            )
        values = self.substitutions(net, x, y)
        many = isinstance(expr, (list, tuple))
        items = list(expr) if many else [expr]
        fn = sp.lambdify(list(values), items, modules="numpy", cse=True)
        out = [np.array(v, dtype=float) for v in fn(*values.values())]
        return out if many else out[0]

    def __repr__(self) -> str:
        act = self.hidden.name if not self.hidden.generic else "generic σ"
        return (
            f"SymbolicNetwork({self.sizes}, activation={act!r}, "
            f"cost={self.cost_name!r})"
        )


def symbolic_network(sizes, activation=None, output_activation=None, cost="quadratic"):
    """Build a :class:`SymbolicNetwork`.

    Parameters
    ----------
    sizes : list of int
        Units per layer, input first; keep it small (≤ 60 parameters).
    activation : None, "sigmoid", "tanh" or "linear"
        None means a generic σ (an undefined function), so that whatever is proved
        holds for every activation.
    output_activation : as ``activation``, or "softmax"; defaults to ``activation``.
    cost : "quadratic" (½‖a^L − y‖²) or "cross_entropy".
    """
    return SymbolicNetwork(sizes, activation, output_activation, cost)


DEFAULT_FULL_NETWORKS = ((2, 3, 2), (3, 2, 2, 1), (2, 2, 2, 2))

_FULL_CACHE: dict = {}


def _full(sizes):
    """Generic-σ network with its direct derivatives, cached (built once per sizes)."""
    key = tuple(sizes)
    if key not in _FULL_CACHE:
        net = symbolic_network(list(sizes))
        _FULL_CACHE[key] = {
            "net": net,
            "rep": net.placeholders(),
            "deltas": net.direct_deltas(),
            "grads": net.direct_gradients(),
        }
    return _FULL_CACHE[key]


def _check_networks(full_networks):
    nets = tuple(tuple(s) for s in full_networks)
    for s in nets:
        _check_sizes(s)
    return nets


def _sizes_text(nets) -> str:
    return ", ".join(str(list(s)) for s in nets)
