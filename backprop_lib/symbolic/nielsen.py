"""Nielsen's equations: the chain rule, the layer recurrence, BP1–BP4 and the
sigmoid shortcut.

A proof has two parts: an *induction step*, one layer with a generic activation
and the rest of the network an undefined function of the next layer's
pre-activations, which holds for any depth and width; and a confirmation on small
concrete networks by direct differentiation (:data:`DEFAULT_FULL_NETWORKS`).
"""

from __future__ import annotations

from types import SimpleNamespace

import sympy as sp

from ._sympy import (
    _layer_symbols,
    _logistic,
    _names,
    _reduce,
    _rename,
    _weight_symbols,
    rest_of_network,
    sigma,
    sigma_prime,
)
from .network import DEFAULT_FULL_NETWORKS, _check_networks, _full, _sizes_text
from .registry import Evidence, _check_width, register

__all__ = [
    "check_BP1",
    "check_BP2",
    "check_BP3",
    "check_BP4",
    "check_chain_rule",
    "check_layer_recurrence",
    "check_sigmoid_shortcut",
]


@register(
    "chain_rule",
    r"\frac{\partial C}{\partial z_j} = \sum_{k=1}^{m} "
    r"\frac{\partial C}{\partial a_k}\frac{\partial a_k}{\partial z_j}",
    k_copies=r"\sum_{k=1}^{m} \frac{\partial C}{\partial a_k}"
    r"\frac{\partial a_k}{\partial z_j} = m\,\frac{\partial C}{\partial z_j}",
    diagonal=r"\frac{\partial C}{\partial z_j} = "
    r"\frac{\partial C}{\partial a_j}\frac{\partial a_j}{\partial z_j}",
)
def check_chain_rule(variant=None, m: int = 3, n: int = 3, mapping: str = "general"):
    r"""The multivariable chain rule, eq. ``chain-rule`` of the book.

    C = F(a_1, …, a_m) with each a_k = g_k(z_1, …, z_n). Claim:
    ∂C/∂z_j = Σ_k ∂F/∂a_k · ∂a_k/∂z_j, for every j.

    ``mapping`` picks the a_k: ``"general"`` (each g_k an undefined function of all
    z), ``"elementwise"`` (a_k = σ(z_k), m = n) or ``"softmax"``.
    Variants: ``"k_copies"`` — the sum equals m · ∂C/∂z_j (a learner's guess);
    ``"diagonal"`` — only the k = j term (right for elementwise, wrong otherwise).
    """
    if mapping not in ("general", "elementwise", "softmax"):
        raise ValueError(
            f"mapping must be 'general', 'elementwise' or 'softmax'; got {mapping!r}"
        )
    m = _check_width(m, "m")
    n = _check_width(n, "n")
    if mapping != "general":
        m = n
    z = sp.symbols(f"z_{{1:{n + 1}}}")
    if mapping == "general":
        a = [rest_of_network(f"g{k}", f"g_{{{k}}}")(*z) for k in range(1, m + 1)]
    elif mapping == "elementwise":
        a = [sigma(zk) for zk in z]
    else:
        total = sum(sp.exp(zk) for zk in z)
        a = [sp.exp(zk) / total for zk in z]
    F = rest_of_network("F")
    C = F(*a)
    diffs = []
    for j, zj in enumerate(z):
        lhs = sp.diff(C, zj)
        terms = [F.partial(k + 1)(*a) * sp.diff(a[k], zj) for k in range(m)]
        if variant == "k_copies":
            # a learner's guess: "Σ_k ∂C/∂a_k ∂a_k/∂z_j = k ∂C/∂z_j"
            diffs.append(sum(terms) - m * lhs)
        elif variant == "diagonal":
            diffs.append(lhs - terms[j] if j < m else lhs)
        else:
            diffs.append(lhs - sum(terms))
    what = {
        "general": "each a_k an unknown function of all the z's",
        "elementwise": "a_k = σ(z_k) with σ an unknown function",
        "softmax": "a = softmax(z)",
    }[mapping]
    details = (
        f"for every j, with {n} inputs z and {m} quantities a, {what}, and the cost C "
        "an unknown function of the a's: so the rule holds whatever the functions are"
    )
    abbrev = _names(F, a, r"\frac{{\partial C}}{{\partial a_{{{i}}}}}", m)
    abbrev.update(_rename(a, "a"))
    return Evidence(sp.Matrix(diffs), details, abbrev=abbrev)


@register(
    "layer_recurrence",
    r"\frac{\partial C}{\partial a^{\ell}_j} = \sum_{i=1}^{n_{\ell+1}} "
    r"\frac{\partial C}{\partial a^{\ell+1}_i}\,\sigma'(z^{\ell+1}_i)\,"
    r"w^{\ell+1}_{ij}",
    no_sum=r"\frac{\partial C}{\partial a^{\ell}_j} = "
    r"\frac{\partial C}{\partial a^{\ell+1}_j}\,\sigma'(z^{\ell+1}_j)\,"
    r"w^{\ell+1}_{jj}",
)
def check_layer_recurrence(variant=None, n_ell: int = 3, n_next: int = 4):
    r"""The recurrence for ∂C/∂a^ℓ, for any depth and width.

    ∂C/∂a^ℓ_j = Σ_i ∂C/∂a^{ℓ+1}_i σ'(z^{ℓ+1}_i) w^{ℓ+1}_{ij}. Induction step: a^ℓ
    free symbols, z^{ℓ+1} = W^{ℓ+1} a^ℓ + b^{ℓ+1}, a^{ℓ+1} = σ(z^{ℓ+1}) with σ
    generic, C = F(a^{ℓ+1}) with F undefined (the rest of the network, any depth).
    Variant ``"no_sum"``: only the term i = j, as if unit j fed one unit.
    """
    n_ell = _check_width(n_ell, "n_ell")
    n_next = _check_width(n_next, "n_next")
    a = _layer_symbols("a", r"\ell", n_ell)
    W = _weight_symbols(r"\ell+1", n_next, n_ell)
    b = _layer_symbols("b", r"\ell+1", n_next)
    z = W * a + b
    a_next = z.applyfunc(sigma)
    F = rest_of_network("F")
    C = F(*a_next)
    diffs = []
    for j in range(n_ell):
        lhs = sp.diff(C, a[j])
        terms = [
            F.partial(i + 1)(*a_next) * sigma_prime(z[i]) * W[i, j]
            for i in range(n_next)
        ]
        rhs = terms[min(j, n_next - 1)] if variant == "no_sum" else sum(terms)
        diffs.append(lhs - rhs)
    details = (
        f"for every unit j of a layer of {n_ell} units feeding {n_next}, with σ an "
        "unknown function and the rest of the network an unknown function of the next "
        "layer's activations: one step back, valid for any activation and any depth"
    )
    abbrev = _names(
        F, a_next, r"\frac{{\partial C}}{{\partial a^{{\ell+1}}_{{{i}}}}}", n_next
    )
    abbrev.update(_rename(z, r"z^{\ell+1}"))
    return Evidence(sp.Matrix(diffs), details, abbrev=abbrev)


@register(
    "BP1",
    r"\delta^L = \nabla_a C \odot \sigma'(z^L)",
    no_sigma_prime=r"\delta^L = \nabla_a C",
)
def check_BP1(variant=None, n: int = 3, full_networks=DEFAULT_FULL_NETWORKS):
    r"""BP1: δ^L = ∇_a C ⊙ σ'(z^L), for any cost and any elementwise activation.

    Any cost: C = G(a^L) with G undefined, a^L = σ(z^L) with σ generic, z^L free;
    δ^L_j = ∂C/∂z^L_j. Then the quadratic cost, ∇_a C = a^L − y, on full networks.
    Variant ``"no_sigma_prime"``: δ^L = ∇_a C.
    """
    n = _check_width(n, "n")
    nets = _check_networks(full_networks)
    z = _layer_symbols("z", "L", n)
    aL = z.applyfunc(sigma)
    G = rest_of_network("G", "C")
    C = G(*aL)

    def rhs(grad_a, zs):
        if variant == "no_sigma_prime":
            return grad_a
        return grad_a.multiply_elementwise(zs.applyfunc(sigma_prime))

    lhs = sp.Matrix([sp.diff(C, zj) for zj in z])
    grad_a = sp.Matrix([G.partial(j + 1)(*aL) for j in range(n)])
    parts = []
    for sizes in nets:
        full = _full(sizes)
        net = full["net"]
        grad = net.a[net.L] - net.y
        parts.append(
            _reduce(full["deltas"][net.L] - rhs(grad, net.z[net.L]), full["rep"])
        )
    details = (
        f"for an output layer of {n} units with any cost (an unknown function of the "
        "outputs) and any activation σ; then with the quadratic cost on the whole "
        f"networks {_sizes_text(nets)}, differentiated directly"
    )
    abbrev = _names(G, aL, r"\frac{{\partial C}}{{\partial a^L_{{{i}}}}}", n)
    return Evidence(lhs - rhs(grad_a, z), details, parts, abbrev)


def _bp2_rhs(W_next, delta_next, z, variant):
    if variant == "no_transpose":
        back = W_next * delta_next
    else:
        back = W_next.T * delta_next
    if variant == "no_sigma_prime":
        return back
    return back.multiply_elementwise(z.applyfunc(sigma_prime))


@register(
    "BP2",
    r"\delta^{\ell} = \left((W^{\ell+1})^{T} \delta^{\ell+1}\right) "
    r"\odot \sigma'(z^{\ell})",
    no_sigma_prime=r"\delta^{\ell} = (W^{\ell+1})^{T} \delta^{\ell+1}",
    no_transpose=r"\delta^{\ell} = \left(W^{\ell+1} \delta^{\ell+1}\right) "
    r"\odot \sigma'(z^{\ell})",
)
def check_BP2(
    variant=None, n_ell: int = 3, n_next: int = 4, full_networks=DEFAULT_FULL_NETWORKS
):
    r"""BP2: δ^ℓ = ((W^{ℓ+1})^T δ^{ℓ+1}) ⊙ σ'(z^ℓ), for any depth and width.

    Induction step: z^ℓ free symbols, z^{ℓ+1} = W^{ℓ+1} σ(z^ℓ) + b^{ℓ+1}, the rest of
    the network C = F(z^{ℓ+1}) undefined, so δ^{ℓ+1}_i = ∂_i F; then every layer of
    full networks (δ by direct differentiation of the cost as a function of z^ℓ).
    Variants: ``"no_sigma_prime"``; ``"no_transpose"`` (W δ instead of W^T δ; the
    widths are made equal so that the product exists).
    """
    n_ell = _check_width(n_ell, "n_ell")
    n_next = _check_width(n_next, "n_next")
    nets = _check_networks(full_networks)
    if variant == "no_transpose":
        n_next = n_ell
        # W^{ℓ+1} δ^{ℓ+1} exists only where consecutive layers have equal widths
        nets = tuple(
            s for s in nets if all(s[e] == s[e + 1] for e in range(1, len(s) - 1))
        )
    z = _layer_symbols("z", r"\ell", n_ell)
    W = _weight_symbols(r"\ell+1", n_next, n_ell)
    b = _layer_symbols("b", r"\ell+1", n_next)
    z_next = W * z.applyfunc(sigma) + b
    F = rest_of_network("F")
    C = F(*z_next)
    lhs = sp.Matrix([sp.diff(C, zj) for zj in z])
    delta_next = sp.Matrix([F.partial(i + 1)(*z_next) for i in range(n_next)])
    difference = lhs - _bp2_rhs(W, delta_next, z, variant)
    parts = []
    for sizes in nets:
        full = _full(sizes)
        net, d = full["net"], full["deltas"]
        for ell in range(1, net.L):
            rhs = _bp2_rhs(net.W[ell + 1], d[ell + 1], net.z[ell], variant)
            parts.append(_reduce(d[ell] - rhs, full["rep"]))
    details = (
        f"one step back from a layer of {n_next} units to a layer of {n_ell}, with σ "
        "an unknown function and the rest of the network an unknown function of the "
        "next layer's weighted inputs (so for any activation and any depth); then "
        "every hidden layer of the whole networks "
        f"{_sizes_text(nets) or '(none of equal widths)'}, differentiated directly"
    )
    abbrev = _names(F, z_next, r"\delta^{{\ell+1}}_{{{i}}}", n_next)
    abbrev.update(_rename(z_next, r"z^{\ell+1}"))
    return Evidence(difference, details, parts, abbrev)


# ----------------------------------------------------- BP3 and BP4: one layer


def _one_layer(n_prev: int, n_ell: int) -> SimpleNamespace:
    """The induction step BP3 and BP4 share: a^{ℓ-1} free symbols,
    z^ℓ = W^ℓ a^{ℓ-1} + b^ℓ, and the rest of the network C = F(z^ℓ) undefined, so
    that δ^ℓ_j = ∂C/∂z^ℓ_j is ∂_j F. ``abbrev`` prints ∂_j F as δ^ℓ_j."""
    a_prev = _layer_symbols("a", r"\ell-1", n_prev)
    W = _weight_symbols(r"\ell", n_ell, n_prev)
    b = _layer_symbols("b", r"\ell", n_ell)
    z = W * a_prev + b
    F = rest_of_network("F")
    abbrev = _names(F, z, r"\delta^{{\ell}}_{{{i}}}", n_ell)
    abbrev.update(_rename(z, r"z^{\ell}"))
    return SimpleNamespace(
        a_prev=a_prev,
        W=W,
        b=b,
        z=z,
        C=F(*z),
        delta=sp.Matrix([F.partial(j + 1)(*z) for j in range(n_ell)]),
        abbrev=abbrev,
    )


def _every_layer(nets, gradient: str, rhs) -> list:
    """Residuals ``∂C/∂θ^ℓ − rhs(δ^ℓ, net, ℓ)`` on every layer of the full networks;
    ``gradient`` is ``"grad_b"`` or ``"grad_W"``, δ^ℓ by direct differentiation."""
    parts = []
    for sizes in nets:
        full = _full(sizes)
        net = full["net"]
        for ell in range(1, net.L + 1):
            d = full["grads"][gradient][ell] - rhs(full["deltas"][ell], net, ell)
            parts.append(_reduce(d, full["rep"]))
    return parts


@register(
    "BP3",
    r"\frac{\partial C}{\partial b^{\ell}_j} = \delta^{\ell}_j",
    extra_sigma_prime=r"\frac{\partial C}{\partial b^{\ell}_j} = \delta^{\ell}_j\,"
    r"\sigma'(z^{\ell}_j)",
)
def check_BP3(
    variant=None, n_prev: int = 3, n_ell: int = 4, full_networks=DEFAULT_FULL_NETWORKS
):
    r"""BP3: ∂C/∂b^ℓ_j = δ^ℓ_j.

    Induction step: a^{ℓ-1} free, z^ℓ = W^ℓ a^{ℓ-1} + b^ℓ, C = F(z^ℓ) undefined;
    then every bias of full networks, against δ by direct differentiation.
    Variant ``"extra_sigma_prime"``: ∂C/∂b^ℓ = δ^ℓ ⊙ σ'(z^ℓ) (σ' counted twice).
    """
    n_prev = _check_width(n_prev, "n_prev")
    n_ell = _check_width(n_ell, "n_ell")
    nets = _check_networks(full_networks)

    def rhs(delta, z):
        if variant == "extra_sigma_prime":
            return delta.multiply_elementwise(z.applyfunc(sigma_prime))
        return delta

    step = _one_layer(n_prev, n_ell)
    lhs = sp.Matrix([sp.diff(step.C, bj) for bj in step.b])
    parts = _every_layer(nets, "grad_b", lambda d, net, ell: rhs(d, net.z[ell]))
    details = (
        f"every bias of a layer of {n_ell} units fed by {n_prev}, with the rest of "
        "the network an unknown function of the layer's weighted inputs (any depth); "
        f"then every bias of the whole networks {_sizes_text(nets)}, σ unknown"
    )
    return Evidence(lhs - rhs(step.delta, step.z), details, parts, step.abbrev)


@register(
    "BP4",
    r"\frac{\partial C}{\partial w^{\ell}_{jk}} = a^{\ell-1}_k\,\delta^{\ell}_j",
    swapped_indices=r"\frac{\partial C}{\partial w^{\ell}_{jk}} = a^{\ell-1}_j\,"
    r"\delta^{\ell}_k",
)
def check_BP4(
    variant=None, n_prev: int = 3, n_ell: int = 4, full_networks=DEFAULT_FULL_NETWORKS
):
    r"""BP4: ∂C/∂w^ℓ_jk = a^{ℓ-1}_k δ^ℓ_j.

    Induction step as for BP3; then every weight of full networks.
    Variant ``"swapped_indices"``: a^{ℓ-1}_j δ^ℓ_k (the index slip in an accepted
    answer on a Q&A site); the widths are made equal so that it can be written down.
    """
    n_prev = _check_width(n_prev, "n_prev")
    n_ell = _check_width(n_ell, "n_ell")
    nets = _check_networks(full_networks)
    if variant == "swapped_indices":
        n_prev = n_ell
        nets = tuple(s for s in nets if all(v == s[0] for v in s))

    def rhs(delta, a_prev):
        if variant == "swapped_indices":
            return a_prev * delta.T
        return delta * a_prev.T

    step = _one_layer(n_prev, n_ell)
    lhs = step.W.applyfunc(lambda w: sp.diff(step.C, w))
    parts = _every_layer(nets, "grad_W", lambda d, net, ell: rhs(d, net.a[ell - 1]))
    details = (
        f"every weight of a layer of {n_ell} units fed by {n_prev}, with the rest of "
        "the network an unknown function of the layer's weighted inputs (any depth); "
        f"then every weight of the whole networks {_sizes_text(nets) or '(none)'}, "
        "σ unknown"
    )
    return Evidence(lhs - rhs(step.delta, step.a_prev), details, parts, step.abbrev)


@register(
    "sigmoid_shortcut",
    r"\sigma'(z) = \sigma(z)\,\bigl(1-\sigma(z)\bigr), \quad "
    r"\sigma(z) = \frac{1}{1+e^{-z}}",
    tanh=r"\tanh'(z) = \tanh(z)\,\bigl(1-\tanh(z)\bigr)",
)
def check_sigmoid_shortcut(variant=None):
    r"""σ'(z) = σ(z)(1 − σ(z)) for the logistic sigmoid, and BP2 with it.

    Also the vector form of BP2 with it,
    δ^ℓ = a^ℓ ⊙ (1 − a^ℓ) ⊙ ((W^{ℓ+1})^T δ^{ℓ+1}), on a [2, 3, 2] sigmoid network.
    Variant ``"tanh"``: the same shortcut claimed for tanh (false: tanh' = 1 − tanh²).
    """
    zz = sp.Symbol("z")
    f = sp.tanh if variant == "tanh" else _logistic
    difference = sp.diff(f(zz), zz) - f(zz) * (1 - f(zz))
    parts = []
    if variant is None:
        # BP2 in the shortcut form, as an induction step: z^ℓ, W^{ℓ+1}, δ^{ℓ+1} free
        z = _layer_symbols("z", r"\ell", 3)
        W = _weight_symbols(r"\ell+1", 2, 3)
        d_next = _layer_symbols(r"\delta", r"\ell+1", 2)
        back = W.T * d_next
        bp2 = back.multiply_elementwise(z.applyfunc(lambda v: sp.diff(_logistic(v), v)))
        a = z.applyfunc(_logistic)
        shortcut = a.multiply_elementwise(a.applyfunc(lambda v: 1 - v))
        parts.append(_reduce(bp2 - shortcut.multiply_elementwise(back)))
    details = "the derivative of the logistic function, worked out by SymPy; and BP2 "
    details += (
        "written with a^ℓ ⊙ (1 − a^ℓ) in place of σ'(z^ℓ), for a layer of 3 units "
    )
    details += "feeding 2"
    return Evidence(difference, details, parts)
