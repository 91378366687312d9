"""Hoey's split-layer derivation (after Poole & Mackworth): linear layers and
activation layers kept apart, the bias as input 0 = 1, error = Σ_j (output^L[j] −
Y[j])² without the ½; checked against direct differentiation and BP1–BP4."""

from __future__ import annotations

import sympy as sp

from ._sympy import _idx, _reduce, sigma, sigma_prime
from .network import _FULL_CACHE, _check_sizes, symbolic_network
from .registry import Evidence, register

__all__ = ["check_split_layers"]


class _SplitNetwork:
    """Poole & Mackworth / Hoey: linear layers (bias as input 0 = 1) and activation
    layers kept separate; error = Σ_j (output^L[j] − Y[j])² with no ½."""

    def __init__(self, sizes):
        self.sizes = list(sizes)
        self.n_linear = len(sizes) - 1
        self.X = sp.Matrix(sp.symbols(f"X_{{1:{sizes[0] + 1}}}"))
        self.Y = sp.Matrix(sp.symbols(f"Y_{{1:{sizes[-1] + 1}}}"))
        # Hoey's layer numbers: linear layers 0, 2, 4, ..., activations 1, 3, ...
        self.W = []
        self.inputs = []  # input^k of each linear layer, with the 1 on top
        self.pre = []  # output of each linear layer (input of the next activation)
        out = self.X
        for i in range(self.n_linear):
            k = 2 * i
            rows, cols = sizes[i + 1], sizes[i] + 1
            Wk = sp.Matrix(
                rows,
                cols,
                lambda j, m, k=k: sp.Symbol(
                    f"w^{{{k}}}_{{{_idx(j + 1, m, wide=True)}}}"
                ),
            )
            inp = sp.Matrix([sp.Integer(1), *list(out)])
            lin = Wk * inp
            self.W.append(Wk)
            self.inputs.append(inp)
            self.pre.append(lin)
            out = lin.applyfunc(sigma)
        self.out = out
        self.error = sum((out[j] - self.Y[j]) ** 2 for j in range(len(self.Y)))

    def vjp_backward(self):
        """Each layer as a vector–Jacobian product, from the top down."""
        g = 2 * (self.out - self.Y)  # ∂error/∂output^L
        grads = [None] * self.n_linear
        for i in reversed(range(self.n_linear)):
            g = g.multiply_elementwise(self.pre[i].applyfunc(sigma_prime))  # activation
            grads[i] = g * self.inputs[i].T  # linear layer: ∂error/∂W
            g = self.W[i][:, 1:].T * g  # linear layer: ∂error/∂input (not the 1)
        return grads

    def placeholders(self):
        rep = {}
        for i, lin in enumerate(self.pre):
            for j, v in enumerate(lin):
                rep[sigma(v)] = sp.Symbol(f"_s{i}_{j}")
                rep[sigma_prime(v)] = sp.Symbol(f"_p{i}_{j}")
        return rep

    def nielsen(self):
        """The same network in Nielsen's notation (C with ½), sharing the symbols."""
        net = symbolic_network(self.sizes)
        sub = {}
        for i in range(self.n_linear):
            ell = i + 1
            for j in range(self.sizes[ell]):
                sub[net.b[ell][j]] = self.W[i][j, 0]
                for k in range(self.sizes[ell - 1]):
                    sub[net.W[ell][j, k]] = self.W[i][j, k + 1]
        sub.update(dict(zip(net.x, self.X)))
        sub.update(dict(zip(net.y, self.Y)))
        return net, sub


@register(
    "split_layers",
    r"\frac{\partial\, \mathrm{error}}{\partial w^{k}_{ji}} = "
    r"2\,\frac{\partial C}{\partial w_{ji}},\quad "
    r"\mathrm{error} = \sum_j (\mathrm{output}^L[j]-Y[j])^2,\ "
    r"C = \tfrac12 \lVert a^L - y\rVert^2",
    index_slip=r"\frac{\partial\, \mathrm{output}^{L-2}[i]}{\partial w^{k}_{lm}} = "
    r"f'(\mathrm{output}^{L-3}[j]) \sum_i w^{L-3}_{ji}"
    r"\frac{\partial\, \mathrm{input}^{L-3}[i]}{\partial w^k_{lm}}",
)
def check_split_layers(variant=None, sizes=(2, 2, 2)):
    r"""Hoey's split-layer derivation equals BP1–BP4.

    Linear layers output^k[j] = Σ_{i=0}^{N} w_ji input^k[i] with input^k[0] = 1,
    separate activation layers, error = Σ_j (output^L[j] − Y[j])². Checked:
    (i) each layer's vector–Jacobian product, chained, gives ∂error/∂w for every
    weight (against direct differentiation); (ii) ∂error/∂w = 2 ∂C/∂w with
    C = ½‖a^L − y‖² and the gradient from BP1–BP4 (w_j0 = b_j); so Hoey's update
    (3) with η absorbing the 2 is w ← w − η ∂C/∂w.

    Variant ``"index_slip"``: the note's recursion step as printed,
    ∂output^{L-2}[i]/∂w = f'(output^{L-3}[j]) Σ_i w^{L-3}_{ji} ∂input^{L-3}[i]/∂w,
    with j (a unit of the layer above) where i is meant. Its right side is the
    derivative of output^{L-2}[j], so the slipped gradient of a weight below the
    top linear layer is Σ_j g_j (Σ_i w^{L-1}_{ji}) ∂output^{L-2}[j]/∂w, with
    g_j = 2(output^L[j] − Y[j]) f'(output^{L-1}[j]); it needs the two top
    activation layers to have equal widths.
    """
    sizes = tuple(_check_sizes(sizes, limit=40))
    if variant == "index_slip" and (len(sizes) < 3 or sizes[-2] != sizes[-1]):
        raise ValueError(
            "variant='index_slip' needs at least two linear layers and the last two "
            f"widths equal (e.g. sizes=(2, 2, 2)), so that j and i range over the "
            f"same units; got sizes={list(sizes)}"
        )
    key = ("split", sizes)
    if key not in _FULL_CACHE:
        s = _SplitNetwork(sizes)
        direct = [Wk.applyfunc(lambda w: sp.diff(s.error, w)) for Wk in s.W]
        net, sub = s.nielsen()
        bp = net.backprop()
        nielsen = []
        for i in range(s.n_linear):
            ell = i + 1
            G = bp["grad_b"][ell].row_join(bp["grad_W"][ell])
            nielsen.append(G.xreplace(sub))
        _FULL_CACHE[key] = (s, direct, nielsen, s.vjp_backward(), s.placeholders())
    s, direct, nielsen, vjp, rep = _FULL_CACHE[key]
    parts = []
    difference = None
    for i in range(s.n_linear):
        vj = vjp[i]
        if variant == "index_slip" and i < s.n_linear - 1:
            top = s.n_linear - 1
            g = (2 * (s.out - s.Y)).multiply_elementwise(
                s.pre[top].applyfunc(sigma_prime)
            )
            W_top = s.W[top][:, 1:]
            below = s.inputs[top][1:, :]  # output^{L-2}, without the constant 1
            vj = s.W[i].applyfunc(
                lambda w, g=g, W_top=W_top, below=below: sum(
                    g[j] * sum(W_top[j, :]) * sp.diff(below[j], w)
                    for j in range(len(g))
                )
            )
        d1 = direct[i] - vj
        if difference is None:
            difference = d1
        parts.append(_reduce(d1, rep))
        parts.append(_reduce(direct[i] - 2 * nielsen[i], rep))
    details = (
        f"a network of sizes {list(sizes)} with an unknown activation and the bias as "
        "an input fixed at 1: the layers' backward rules chained equal the gradient "
        "differentiated directly, and twice the BP1–BP4 gradient of ½‖a^L − y‖²"
    )
    return Evidence(difference, details, parts)
