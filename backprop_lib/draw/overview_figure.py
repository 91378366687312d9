"""The whole algorithm in one picture: a forward pass, then a backward pass."""

from __future__ import annotations

import itertools

from ._inputs import _sizes_of
from ._layout import _Canvas, _column_y, _cost_x, _layer_captions
from ._style import BACK, INK, WIDTH

__all__ = ["overview"]


def overview(net, *, equations=True, width=WIDTH):
    """The whole algorithm in one picture: a forward pass, then a backward pass.

    Top: the forward pass, every connection used once, left to right, to compute
    :math:`z^\\ell = W^\\ell a^{\\ell-1} + b^\\ell` and :math:`a^\\ell =
    \\sigma(z^\\ell)` up to the cost. Bottom: the backward pass, the same
    connections used once more, right to left, to compute every
    :math:`\\delta^\\ell`, from which every :math:`\\partial C/\\partial
    w^\\ell_{jk} = a^{\\ell-1}_k \\delta^\\ell_j` follows. Two passes over the same
    connections: the reason the gradient costs about as much as two forward passes.

    Parameters
    ----------
    net : Network or list of int
    equations : bool
        Title each pass with its equations (True) or in words (False), for a page
        that shows the picture before any formula.
    width : float
        Figure width in inches (at most 6.5).

    Returns
    -------
    matplotlib.figure.Figure
        Units are keyed ``("forward", ell, j)`` and ``("backward", ell, j)``, the
        costs ``("forward", "C")`` and ``("backward", "C")``.
    """
    sizes = _sizes_of(net)
    L = len(sizes) - 1
    dx = 2.7
    top = (max(sizes) - 1) / 2
    rise = top + 1.0  # each row's centre above or below 0
    width = min(float(width), WIDTH)
    xmax = _cost_x(L, dx)
    canvas = _Canvas(
        "overview", sizes, xmax, -rise - top - 0.75, rise + top + 1.1,
        width=width, xmin=-0.6, height=4.5,
    )  # fmt: skip
    rows = (("forward", rise, INK), ("backward", -rise, BACK))
    for row, y0, colour in rows:
        for ell, n in enumerate(sizes):
            for j in range(n):
                canvas.unit((row, ell, j), ell * dx, y0 + _column_y(n, j), edge=colour)
        canvas.unit((row, "C"), xmax, y0, text="$C$", radius=0.3, edge=colour)
    for m in range(1, L + 1):
        for j in range(sizes[m]):
            for k in range(sizes[m - 1]):
                canvas.connect(
                    ("forward", m - 1, k), ("forward", m, j), color=INK, lw=0.9,
                    arrow=True,
                )  # fmt: skip
                canvas.connect(
                    ("backward", m, j), ("backward", m - 1, k), color=BACK, lw=0.9,
                    arrow=True,
                )  # fmt: skip
    for j in range(sizes[L]):
        canvas.connect(("forward", L, j), ("forward", "C"), color=INK, arrow=True)
        canvas.connect(("backward", "C"), ("backward", L, j), color=BACK, arrow=True)
    for ell in range(L + 1):
        canvas.beside(("forward", ell, 0), rf"$a^{{{ell}}}$", "above", INK, box=False)
        if ell >= 1:
            canvas.beside(
                ("backward", ell, 0), rf"$\delta^{{{ell}}}$", "above", BACK, box=False
            )
    mid = xmax / 2
    if equations:
        titles = (
            r"1. forward: $z^\ell = W^\ell a^{\ell-1} + b^\ell,\ "
            r"a^\ell = \sigma(z^\ell)$, up to the cost $C$",
            r"2. backward: $\delta^\ell = ((W^{\ell+1})^T \delta^{\ell+1}) \odot"
            r" \sigma'(z^\ell)$, then $\partial C/\partial w^\ell_{jk}"
            r" = a^{\ell-1}_k \delta^\ell_j$",
        )
    else:
        titles = (
            "1. forward pass: every layer's activations, from the input up to the cost",
            "2. backward pass: every layer's error δ, back along the same connections",
        )
    canvas.caption(mid, rise + top + 0.95, titles[0], color=INK, va="center")
    canvas.caption(mid, -rise + top + 0.95, titles[1], color=BACK, va="center")
    _layer_captions(canvas, sizes, dx, rise + top, L)  # under the lower row
    n_weights = sum(a * b for a, b in itertools.pairwise(sizes))
    canvas.drawing.description = (
        f"Two copies of a network with layers of {', '.join(map(str, sizes))} "
        f"units: above, the forward pass along its {n_weights} connections up to the "
        "cost; below, the backward pass along the same connections reversed"
    )
    return canvas.finish()
