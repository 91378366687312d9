"""A network drawn as Hoey's lecture note draws it: linear and activation modules."""

from __future__ import annotations

from . import _mpl
from ._inputs import _sizes_of
from ._layout import _Canvas, _column_y, _split_fraction
from ._style import FAINT, FONT, INK, RADIUS, WIDTH

__all__ = ["split_layers"]


def split_layers(net, *, notation="book", weights=False, width=WIDTH):
    """Linear and activation layers as separate modules, the bias a constant input 1.

    Hoey's lecture note splits each of the book's layers ℓ in two: a linear layer
    (number 2ℓ-2 in his count) computing :math:`z^\\ell = [\\,b^\\ell \\mid
    W^\\ell\\,]\\,[1; a^{\\ell-1}]`, with the bias as the weight on an input fixed at
    1, and an activation layer (number 2ℓ-1) computing :math:`a^\\ell =
    \\sigma(z^\\ell)` unit by unit.

    Parameters
    ----------
    net : Network or list of int
    notation : {"book", "hoey"}
        Labels in the book's symbols (:math:`a^\\ell`, :math:`z^\\ell`,
        :math:`w^\\ell_{jk}`, :math:`b^\\ell_j`) or in Hoey's
        (:math:`\\mathit{input}^k`, :math:`w^k_{ji}` with :math:`i = 0` the
        bias). Both count units from 1.
    weights : bool
        Label every connection of the linear layers.
    width : float
        Figure width in inches (at most 6.5).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.drawing.modules`` names the modules in order.
    """
    sizes = _sizes_of(net)
    if notation not in ("book", "hoey"):
        raise ValueError(f"notation must be 'book' or 'hoey'; got {notation!r}")
    hoey = notation == "hoey"
    L = len(sizes) - 1
    # the gap a linear module spans (its weights may be labelled), an activation's
    dl, da = (2.8, 1.3) if weights else (1.6, 1.3)
    step = dl + da
    sy = 1.5 if weights else 1.0  # units further apart: room for the labels
    top = sy * (max(sizes) - 1) / 2
    xmax = L * step + 1.2
    width = min(float(width), WIDTH)
    canvas = _Canvas("split_layers", sizes, xmax, -top - 0.75, top + 1.95, width=width)
    plt = _mpl.pyplot()
    # modules: shaded boxes behind the lines
    for ell in range(1, L + 1):
        x_lin = (ell - 1) * step
        for x0, dx, name, face in (
            (
                x_lin,
                dl,
                f"linear {2 * ell - 2}"
                if hoey
                else rf"linear $W^{{{ell}}}, b^{{{ell}}}$",
                "#dbe9f6",
            ),
            (
                x_lin + dl,
                da,
                f"activation {2 * ell - 1}" if hoey else r"activation $\sigma$",
                "#fde3cf",
            ),
        ):
            canvas.ax.add_patch(
                plt.Rectangle(
                    (x0 + 0.38, -top - 0.45), dx - 0.76, 2 * top + 1.75,
                    fc=face, ec="none", alpha=0.9, zorder=0,
                )
            )  # fmt: skip
            canvas.caption(x0 + dx / 2, top + 1.55, name, size=FONT - 1, va="center")
            canvas.drawing.modules.append(name)
    # units: a^0, then z^1, a^1, z^2, a^2, ...
    for ell in range(L + 1):
        x = ell * step
        n = sizes[ell]
        for j in range(n):
            canvas.unit(("a", ell, j), x, sy * _column_y(n, j))
        if ell < L:
            canvas.unit(("1", ell), x, top + 0.95, text="1", face="white")
        name = (
            rf"$\mathit{{input}}^{{{2 * ell}}}$"
            if hoey and ell < L
            else (
                rf"$\mathit{{output}}^{{{2 * L - 1}}}$" if hoey else rf"$a^{{{ell}}}$"
            )
        )
        canvas.caption(x, -top - RADIUS - 0.12, name)
        if ell >= 1:
            xz = (ell - 1) * step + dl
            for j in range(sizes[ell]):
                canvas.unit(("z", ell, j), xz, sy * _column_y(sizes[ell], j))
            zname = (
                rf"$\mathit{{input}}^{{{2 * ell - 1}}}$" if hoey else rf"$z^{{{ell}}}$"
            )
            canvas.caption(xz, -top - RADIUS - 0.12, zname)
    canvas.unit("C", L * step + 1.2, 0.0, text="$C$", radius=0.3)
    # connections
    for ell in range(1, L + 1):
        for j in range(sizes[ell]):
            z = ("z", ell, j)
            bias = ("1", ell - 1)
            canvas.connect(bias, z, color=INK if weights else FAINT)
            if weights:
                text = (
                    rf"$w^{{{2 * ell - 2}}}_{{{j + 1}0}}$"
                    if hoey
                    else rf"$b^{{{ell}}}_{{{j + 1}}}$"
                )
                where = _split_fraction(j)
                canvas.edge_label(bias, z, text, where, (ell, j, "b"))
            for k in range(sizes[ell - 1]):
                a = ("a", ell - 1, k)
                canvas.connect(a, z, color=INK if weights else FAINT)
                if weights:
                    text = (
                        rf"$w^{{{2 * ell - 2}}}_{{{j + 1}{k + 1}}}$"
                        if hoey
                        else rf"$w^{{{ell}}}_{{{j + 1}{k + 1}}}$"
                    )
                    canvas.edge_label(
                        a,
                        z,
                        text,
                        _split_fraction(j),
                        (ell, j, k),
                    )
            canvas.connect(z, ("a", ell, j), color=INK, arrow=True)
    for j in range(sizes[L]):
        canvas.connect(("a", L, j), "C", color=FAINT)
    canvas.drawing.description = (
        f"The network with layers of {', '.join(map(str, sizes))} units drawn as "
        f"{2 * L} modules, a linear and an activation module per layer, each linear "
        "module fed by a constant input 1 whose weights are the biases"
    )
    return canvas.finish()
