"""Bishop's equations (Pattern Recognition and Machine Learning, §5.3): (5.53)
∂E_n/∂w_ji = δ_j z_i, (5.54) δ_k = y_k − t_k for canonical output pairs, (5.55)
δ_j = Σ_k δ_k ∂a_k/∂a_j and (5.56) δ_j = h'(a_j) Σ_k w_kj δ_k, in his notation
(a for pre-activations, z = h(a) for activations), on an induction step and on a
small feed-forward graph with missing and skip connections."""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp

from ._sympy import (
    _idx,
    _logistic,
    _names,
    _reduce,
    _rename,
    generic_activation,
    rest_of_network,
)
from .registry import Evidence, _check_width, register

__all__ = [
    "DEFAULT_GRAPH",
    "DEFAULT_GRAPH_INPUTS",
    "check_bishop_5_53",
    "check_bishop_5_54",
    "check_bishop_5_55",
    "check_bishop_5_56",
]

h, h_prime = generic_activation("h", "h")


def _bishop_layer(n_j: int, n_k: int):
    """Bishop's notation: a_j free, z_j = h(a_j), a_k = Σ_j w_kj z_j + w_k0."""
    a_j = sp.Matrix(sp.symbols(f"a_{{1:{n_j + 1}}}"))
    W = sp.Matrix(
        n_k, n_j, lambda k, j: sp.Symbol(f"w_{{{_idx(n_j + k + 1, j + 1, wide=True)}}}")
    )
    w0 = sp.Matrix([sp.Symbol(f"w_{{{n_j + k + 1},0}}") for k in range(n_k)])
    a_k = W * a_j.applyfunc(h) + w0
    E = rest_of_network("E", "E_n")
    return a_j, W, a_k, E(*a_k), E


def _layer_abbrev(E, a_k, n_j: int) -> dict:
    """Print ∂E_n/∂a_k as δ_k and a_k by name, units k numbered after the n_j
    units j (as in :func:`_bishop_layer`)."""
    abbrev = {
        E.partial(k + 1)(*a_k): sp.Symbol(f"\\delta_{{{n_j + k + 1}}}")
        for k in range(len(a_k))
    }
    abbrev.update({e: sp.Symbol(f"a_{{{n_j + k + 1}}}") for k, e in enumerate(a_k)})
    return abbrev


@register(
    "bishop_5.53",
    r"\frac{\partial E_n}{\partial w_{ji}} = \delta_j z_i, \quad "
    r"a_j = \sum_i w_{ji} z_i",
    swapped_indices=r"\frac{\partial E_n}{\partial w_{ji}} = \delta_i z_j",
)
def check_bishop_5_53(variant=None, n_in: int = 3, n_units: int = 2):
    r"""Bishop (5.53): ∂E_n/∂w_ji = δ_j z_i, with a_j = Σ_i w_ji z_i (eq. 5.48).

    E_n is an undefined function of the a_j (the rest of the network), z_i free,
    with the bias as w_j0 and z_0 = 1. Variant ``"swapped_indices"``: δ_i z_j.
    """
    n_in = _check_width(n_in, "n_in")
    n_units = _check_width(n_units, "n_units")
    if variant == "swapped_indices":
        n_in = n_units
    zs = sp.Matrix([sp.Integer(1), *list(sp.symbols(f"z_{{1:{n_in + 1}}}"))])
    W = sp.Matrix(
        n_units, n_in + 1, lambda j, i: sp.Symbol(f"w_{{{_idx(j + 1, i, wide=True)}}}")
    )
    a = W * zs
    E = rest_of_network("E", "E_n")
    En = E(*a)
    delta = sp.Matrix([E.partial(j + 1)(*a) for j in range(n_units)])
    lhs = W.applyfunc(lambda w: sp.diff(En, w))
    if variant == "swapped_indices":
        rhs = sp.Matrix(
            n_units, n_in + 1, lambda j, i: delta[i - 1] * zs[j + 1] if i else 0
        )
        rhs = rhs[:, 1:]
        lhs = lhs[:, 1:]
    else:
        rhs = delta * zs.T
    details = (
        f"every weight into {n_units} units fed by {n_in} inputs z_i and a bias input "
        "z_0 = 1 (the bias as w_j0), with the error an unknown function of the units' "
        "a_j"
    )
    abbrev = _names(E, a, "\\delta_{{{i}}}", n_units)
    abbrev.update(_rename(a, "a"))
    return Evidence(lhs - rhs, details, abbrev=abbrev)


_CANONICAL = {
    "linear_squared_error": ("identity", "sum of squares"),
    "sigmoid_cross_entropy": ("logistic sigmoid", "binary cross-entropy"),
    "softmax_cross_entropy": ("softmax", "categorical cross-entropy"),
    "sigmoid_squared_error": ("logistic sigmoid", "sum of squares (not canonical)"),
}


def _bishop_output(pair: str, K: int):
    a = sp.Matrix(sp.symbols(f"a_{{1:{K + 1}}}"))
    t = sp.Matrix(sp.symbols(f"t_{{1:{K + 1}}}"))
    if pair == "linear_squared_error":
        y = a
        E = sp.Rational(1, 2) * sum((y[k] - t[k]) ** 2 for k in range(K))
    elif pair == "sigmoid_squared_error":
        y = a.applyfunc(_logistic)
        E = sp.Rational(1, 2) * sum((y[k] - t[k]) ** 2 for k in range(K))
    elif pair == "sigmoid_cross_entropy":
        y = a.applyfunc(_logistic)
        E = -sum(t[k] * sp.log(y[k]) + (1 - t[k]) * sp.log(1 - y[k]) for k in range(K))
    else:
        total = sum(sp.exp(v) for v in a)
        y = a.applyfunc(lambda v: sp.exp(v) / total)
        E = -sum(t[k] * sp.log(y[k]) for k in range(K))
        # one-of-K targets sum to 1
        E = E.xreplace({t[K - 1]: 1 - sum(t[:-1])})
        t = sp.Matrix([*list(t[:-1]), 1 - sum(t[:-1])])
    return a, t, y, E


_BISHOP_5_54 = r"\delta_k = \frac{\partial E_n}{\partial a_k} = y_k - t_k"


@register(
    "bishop_5.54",
    _BISHOP_5_54,
    sigmoid_squared_error=_BISHOP_5_54 + r"\quad\text{(sigmoid output, squared error)}",
)
def check_bishop_5_54(variant=None, K: int = 3, pairs=None):
    r"""Bishop (5.54): δ_k = y_k − t_k at the output, for canonical link pairs.

    Checked for identity + sum of squares, logistic sigmoid + binary cross-entropy,
    softmax + categorical cross-entropy (targets summing to 1), K outputs.
    Variant ``"sigmoid_squared_error"``: the same claim for a sigmoid output with the
    squared error, where it is false (δ_k = (y_k − t_k) y_k (1 − y_k)).
    """
    K = _check_width(K, "K", 2)
    if variant is not None:
        pairs = (variant,)
    elif pairs is None:
        pairs = (
            "linear_squared_error",
            "sigmoid_cross_entropy",
            "softmax_cross_entropy",
        )
    for p in pairs:
        if p not in _CANONICAL:
            raise ValueError(f"unknown pair {p!r}; expected one of {list(_CANONICAL)}")
    diffs = []
    for p in pairs:
        a, t, y, E = _bishop_output(p, K)
        diffs += [sp.diff(E, a[k]) - (y[k] - t[k]) for k in range(K)]
    details = f"{K} outputs, for each of the pairs " + "; ".join(
        " with ".join(_CANONICAL[p]) for p in pairs
    )
    return Evidence(sp.Matrix(diffs), details)


# A small feed-forward graph with a unit that feeds only some units and a skip
# connection: unit -> list of (source, ...). Units 1..2 are inputs (z = x).
DEFAULT_GRAPH = {
    3: (1, 2),
    4: (1, 2),
    5: (1, 2),
    6: (3, 4),  # unit 5 does not feed 6
    7: (4, 5),  # unit 3 does not feed 7
    8: (6, 7, 3),  # output; skip connection from unit 3
    9: (6, 7),  # output
}
DEFAULT_GRAPH_INPUTS = (1, 2)


def _graph_children(graph):
    children: dict = {}
    for k, sources in graph.items():
        for j in sources:
            children.setdefault(j, []).append(k)
    return children


class _Graph:
    """Bishop's general feed-forward network: a_k = Σ_j w_kj z_j, z_j = h(a_j)."""

    def __init__(self, graph, inputs):
        self.graph = dict(graph)
        self.inputs = tuple(inputs)
        self.units = sorted(self.graph)
        self.outputs = [u for u in self.units if u not in _graph_children(self.graph)]
        self.children = _graph_children(self.graph)
        self.x = {i: sp.Symbol(f"x_{{{i}}}") for i in self.inputs}
        self.t = {k: sp.Symbol(f"t_{{{k}}}") for k in self.outputs}
        self.w = {
            (k, j): sp.Symbol(f"w_{{{k},{j}}}")
            for k, srcs in self.graph.items()
            for j in srcs
        }
        self.A = {u: sp.Symbol(f"_A{u}") for u in self.units}
        self.a, self.E = self.forward()

    def forward(self, cut=None):
        """Pre-activations and error; with ``cut=u``, a_u is the free symbol A_u."""
        z = dict(self.x)
        a = {}
        for k in self.units:
            a[k] = sum(self.w[(k, j)] * z[j] for j in self.graph[k])
            if k == cut:
                a[k] = self.A[k]
            z[k] = a[k] if k in self.outputs else h(a[k])
        E = sp.Rational(1, 2) * sum((a[k] - self.t[k]) ** 2 for k in self.outputs)
        return a, E

    def direct_delta(self, u):
        """δ_u = ∂E_n/∂a_u: differentiate the error with a_u cut free, then evaluate."""
        _, E = self.forward(cut=u)
        return sp.diff(E, self.A[u]).xreplace({self.A[u]: self.a[u]})

    def local_partial(self, k, j):
        """∂a_k/∂a_j with k's other inputs held fixed (differentiated by SymPy)."""
        zs = {i: sp.Symbol(f"_Z{i}") for i in self.graph[k]}
        local = sum(self.w[(k, i)] * zs[i] for i in self.graph[k])
        if j not in zs:
            return sp.S.Zero
        # z_j = h(a_j): differentiate through h with a_j free, then evaluate
        Aj = self.A[j]
        expr = local.xreplace({zs[j]: h(Aj)})
        return sp.diff(expr, Aj).xreplace({Aj: self.a[j]})

    def placeholders(self):
        rep = {}
        for u in self.units:
            rep[h(self.a[u])] = sp.Symbol(f"_s{u}")
            rep[h_prime(self.a[u])] = sp.Symbol(f"_p{u}")
        return rep


_GRAPH_CACHE: dict = {}


def _graph(graph, inputs):
    key = (tuple(sorted((k, tuple(v)) for k, v in graph.items())), tuple(inputs))
    if key not in _GRAPH_CACHE:
        g = _Graph(graph, inputs)
        hidden = [u for u in g.units if u not in g.outputs]
        deltas = {u: g.direct_delta(u) for u in g.units}
        _GRAPH_CACHE[key] = (g, hidden, deltas, g.placeholders())
    return _GRAPH_CACHE[key]


def _check_graph(graph, inputs):
    if not isinstance(graph, Mapping) or not graph:
        raise TypeError("graph must be a dict unit -> tuple of source units")
    known = set(inputs)
    for k in sorted(graph):
        for j in graph[k]:
            if j not in known:
                raise ValueError(
                    f"graph: unit {k} takes input from {j}, which is neither an input "
                    "nor a unit with a smaller number (units must be in feed-forward "
                    "order)"
                )
        known.add(k)


@register(
    "bishop_5.55",
    r"\delta_j = \sum_{k\,:\,j \to k} \frac{\partial E_n}{\partial a_k}"
    r"\frac{\partial a_k}{\partial a_j}, \qquad "
    r"\frac{\partial a_k}{\partial a_j} = w_{kj}\,h'(a_j)",
    kronecker=r"\delta_j = \sum_k \frac{\partial E_n}{\partial a_k}\,\delta_{kj}",
    next_layer_only_for_softmax=r"\delta_j = \frac{\partial E_n}{\partial a_k}"
    r"\frac{\partial a_k}{\partial a_j} \text{ (one unit k, no sum)}",
)
def check_bishop_5_55(
    variant=None, n_j: int = 3, n_k: int = 3, graph=None, graph_inputs=None
):
    r"""Bishop (5.55): δ_j = Σ_k δ_k ∂a_k/∂a_j, k over the units j sends connections to.

    Induction step: a layer of units j (a_j free, generic h) feeding units k, the
    error an undefined function E_n(a_k); ∂a_k/∂a_j is what SymPy finds,
    w_kj h'(a_j). Then a small network with missing connections and a skip
    connection (:data:`DEFAULT_GRAPH`): for every hidden unit, δ_j by direct
    differentiation equals the sum over exactly the units j feeds.

    Variants: ``"kronecker"`` — ∂a_k/∂a_j taken as 1 if k = j else 0 (the
    accepted answer on a Q&A site); ``"next_layer_only_for_softmax"`` — the same
    answer's claim that without softmax the sum is not needed (one term, k = j).
    """
    n_j = _check_width(n_j, "n_j")
    n_k = _check_width(n_k, "n_k")
    if variant is not None:
        n_k = max(n_k, n_j)
    a_j, W, a_k, En, E = _bishop_layer(n_j, n_k)
    delta_k = [E.partial(k + 1)(*a_k) for k in range(n_k)]
    diffs = []
    for j in range(n_j):
        lhs = sp.diff(En, a_j[j])
        if variant == "kronecker":
            rhs = sum(delta_k[k] * (1 if k == j else 0) for k in range(n_k))
        elif variant == "next_layer_only_for_softmax":
            rhs = delta_k[j] * sp.diff(a_k[j], a_j[j])
        else:
            rhs = sum(delta_k[k] * sp.diff(a_k[k], a_j[j]) for k in range(n_k))
        diffs.append(lhs - rhs)
    # what ∂a_k/∂a_j is
    partials = sp.Matrix(
        n_k, n_j, lambda k, j: sp.diff(a_k[k], a_j[j]) - W[k, j] * h_prime(a_j[j])
    )
    difference = sp.Matrix(diffs)
    parts = [_reduce(partials)]
    # a general feed-forward graph
    graph = DEFAULT_GRAPH if graph is None else graph
    inputs = DEFAULT_GRAPH_INPUTS if graph_inputs is None else graph_inputs
    _check_graph(graph, inputs)
    g, hidden, deltas, rep = _graph(graph, inputs)
    for j in hidden:
        if variant == "kronecker":
            # Σ_k δ_k [k = j]: j never feeds itself, so every term is 0
            rhs = sum(deltas[k] * (1 if k == j else 0) for k in g.children[j])
        elif variant == "next_layer_only_for_softmax":
            k = g.children[j][0]
            rhs = deltas[k] * g.local_partial(k, j)
        else:
            rhs = sum(deltas[k] * g.local_partial(k, j) for k in g.children[j])
        parts.append(_reduce(deltas[j] - rhs, rep))
    edges = "; ".join(f"{k}←{','.join(map(str, v))}" for k, v in sorted(graph.items()))
    details = (
        f"one step back from {n_k} units k to {n_j} units j, with h an unknown "
        "function and the error an unknown function of the a_k (so for any "
        "activation and any depth); then every hidden unit of the network "
        f"{{{edges}}} (unit ← the units feeding it; inputs {list(inputs)}, linear "
        "outputs, sum-of-squares error), differentiated directly"
    )
    abbrev = _layer_abbrev(E, a_k, n_j)
    return Evidence(difference, details, parts, abbrev)


@register(
    "bishop_5.56",
    r"\delta_j = h'(a_j) \sum_k w_{kj}\,\delta_k",
    no_h_prime=r"\delta_j = \sum_k w_{kj}\,\delta_k",
    w_jk=r"\delta_j = h'(a_j) \sum_k w_{jk}\,\delta_k",
)
def check_bishop_5_56(variant=None, n_j: int = 3, n_k: int = 4, graph=None):
    r"""Bishop (5.56): δ_j = h'(a_j) Σ_k w_kj δ_k, from (5.55), for any h.

    Induction step with generic h and E_n undefined, then every hidden unit of
    :data:`DEFAULT_GRAPH` (sum over the units j feeds, including a skip connection).
    Variants: ``"no_h_prime"``; ``"w_jk"`` (w_jk for w_kj; the widths made equal).
    """
    n_j = _check_width(n_j, "n_j")
    n_k = _check_width(n_k, "n_k")
    if variant == "w_jk":
        n_k = n_j
    a_j, W, a_k, En, E = _bishop_layer(n_j, n_k)
    delta_k = [E.partial(k + 1)(*a_k) for k in range(n_k)]

    def rhs(j, ks, weight, delta, hp):
        s = sum(weight(k, j) * delta(k) for k in ks)
        return s if variant == "no_h_prime" else hp * s

    def wt(k, j):
        return W[j, k] if variant == "w_jk" else W[k, j]

    diffs = [
        sp.diff(En, a_j[j])
        - rhs(j, range(n_k), wt, lambda k: delta_k[k], h_prime(a_j[j]))
        for j in range(n_j)
    ]
    difference = sp.Matrix(diffs)
    parts = []
    graph = DEFAULT_GRAPH if graph is None else graph
    _check_graph(graph, DEFAULT_GRAPH_INPUTS)
    if variant != "w_jk":
        g, hidden, deltas, rep = _graph(graph, DEFAULT_GRAPH_INPUTS)
        for j in hidden:
            r_j = rhs(
                j,
                g.children[j],
                lambda k, j: g.w[(k, j)],
                lambda k: deltas[k],
                h_prime(g.a[j]),
            )
            parts.append(_reduce(deltas[j] - r_j, rep))
    details = (
        f"one step back from {n_k} units k to {n_j} units j, with h an unknown "
        "function and the error an unknown function of the a_k (so for any "
        "activation and any depth)"
        + (
            ""
            if variant == "w_jk"
            else "; then every hidden unit of the small network of the (5.55) check"
        )
    )
    abbrev = _layer_abbrev(E, a_k, n_j)
    return Evidence(difference, details, parts, abbrev)
