"""Where things go in a network figure, and the record of what was drawn.

:class:`Drawing` is kept on every figure as ``fig.drawing``: the units, the
connections in the direction drawn, the labels and the highlighted paths, so a test
(or a reader) can check the picture against the network without looking at pixels.
:class:`_Canvas` places units (circles), the lines between them and their labels in
data coordinates with aspect 1; the helpers below lay out the layers of a network.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import _mpl
from ._style import (
    FAINT,
    FILL,
    FONT,
    HIGHLIGHT,
    INK,
    LABEL_BOX,
    RADIUS,
    WIDTH,
    _layer_name,
)


@dataclass
class Drawing:
    """What a drawing function drew, for tests and for readers' own checks.

    Attributes
    ----------
    kind : str
        ``"network"``, ``"paths"``, ``"backward"`` or ``"split_layers"``.
    sizes : tuple of int
        The layer sizes drawn.
    units : list
        Keys of the units drawn. A unit of layer ``ell`` is ``(ell, j)``; the cost
        is ``"C"``. The split view uses ``("a", ell, j)``, ``("z", ell, j)`` and
        ``("1", ell)`` for the constant input 1 that feeds layer ``ell + 1``.
    connections : list of (start, end)
        Every line drawn between two units, in the direction drawn (an arrow points
        from ``start`` to ``end``: forward for :func:`network`, backward for
        :func:`backward`).
    weight_labels : dict
        ``(ell, j, k)`` -> the text written on the connection of :math:`w^\\ell_{jk}`
        (in the split view ``k`` is ``"b"`` for the bias input).
    unit_labels : dict
        unit key -> the text written beside the unit (values or symbols).
    paths : list of tuple
        The highlighted paths, each a tuple of unit keys ending with ``"C"``.
    highlighted : list of (start, end)
        The connections drawn highlighted.
    modules : list of str
        Split view: the names of the linear and activation modules, in order.
    positions : dict
        unit key -> (x, y), the centre of its circle in the axes' data coordinates.
    description : str
        One sentence saying what the picture shows (a starting point for alt text).
    """

    kind: str
    sizes: tuple
    units: list = field(default_factory=list)
    connections: list = field(default_factory=list)
    weight_labels: dict = field(default_factory=dict)
    unit_labels: dict = field(default_factory=dict)
    paths: list = field(default_factory=list)
    highlighted: list = field(default_factory=list)
    modules: list = field(default_factory=list)
    positions: dict = field(default_factory=dict)
    description: str = ""


class _Canvas:
    """Units as circles at data positions, lines between them, labels; aspect 1."""

    def __init__(
        self, kind, sizes, xmax, ymin, ymax, width=WIDTH, pad=0.7, xmin=0.0, height=6.0
    ):
        plt = _mpl.pyplot()
        xlo, xhi = xmin - pad, xmax + pad
        ylo, yhi = ymin - 0.35, ymax + 0.35
        scale = width / (xhi - xlo)  # inches per data unit
        scale = min(scale, 0.75, height / (yhi - ylo))
        fig = plt.figure(
            figsize=(scale * (xhi - xlo), scale * (yhi - ylo)),
            FigureClass=_mpl.figure_class(),
        )
        plt.close(fig)  # shown once when returned, never again by pyplot
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(xlo, xhi)
        ax.set_ylim(ylo, yhi)
        ax.set_aspect("equal")
        ax.axis("off")
        fig.patch.set_alpha(0.0)
        self.fig, self.ax = fig, ax
        self.pos: dict = {}
        self.drawing = Drawing(kind=kind, sizes=tuple(sizes))
        fig.drawing = self.drawing

    def unit(self, key, x, y, text=None, face=FILL, edge=INK, lw=1.0, radius=RADIUS):
        plt = _mpl.pyplot()
        self.pos[key] = (x, y, radius)
        self.ax.add_patch(plt.Circle((x, y), radius, fc=face, ec=edge, lw=lw, zorder=3))
        if text:
            self.ax.text(
                x, y, text, ha="center", va="center", fontsize=FONT, color=INK,
                zorder=4,
            )  # fmt: skip
        self.drawing.units.append(key)
        self.drawing.positions[key] = (x, y)

    def _ends(self, start, end):
        x0, y0, r0 = self.pos[start]
        x1, y1, r1 = self.pos[end]
        d = math.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / d, (y1 - y0) / d
        return (x0 + r0 * ux, y0 + r0 * uy), (x1 - r1 * ux, y1 - r1 * uy)

    def connect(self, start, end, color=FAINT, lw=0.8, arrow=False, highlight=False):
        (x0, y0), (x1, y1) = self._ends(start, end)
        if highlight:
            color, lw = HIGHLIGHT if color == FAINT else color, max(lw, 2.0)
        zorder = 2 if highlight else 1
        if arrow:
            self.ax.annotate(
                "",
                xy=(x1, y1),
                xytext=(x0, y0),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": color,
                    "lw": lw,
                    "shrinkA": 0,
                    "shrinkB": 0,
                    "mutation_scale": 7 + 2 * lw,
                },
                zorder=zorder,
            )
        else:
            self.ax.plot([x0, x1], [y0, y1], color=color, lw=lw, zorder=zorder)
        self.drawing.connections.append((start, end))
        if highlight:
            self.drawing.highlighted.append((start, end))

    def edge_label(self, start, end, text, where, key, color=INK):
        """Write ``text`` on the line start -> end, at fraction ``where`` from start."""
        x0, y0, _ = self.pos[start]
        x1, y1, _ = self.pos[end]
        x, y = x0 + where * (x1 - x0), y0 + where * (y1 - y0)
        self.ax.text(
            x, y, text, ha="center", va="center", fontsize=FONT - 1, color=color,
            bbox=LABEL_BOX, zorder=5,
        )  # fmt: skip
        self.drawing.weight_labels[key] = text

    def beside(self, key, text, side="right", color=INK, size=FONT - 1, box=True):
        x, y, r = self.pos[key]
        if side == "right":
            xy, ha, va = (x + r + 0.08, y), "left", "center"
        elif side == "left":
            xy, ha, va = (x - r - 0.08, y), "right", "center"
        elif side == "above":
            xy, ha, va = (x, y + r + 0.06), "center", "bottom"
        else:
            xy, ha, va = (x, y - r - 0.06), "center", "top"
        self.ax.text(
            *xy, text, ha=ha, va=va, fontsize=size, color=color, zorder=5,
            linespacing=1.25, bbox=LABEL_BOX if box else None,
        )  # fmt: skip
        self.drawing.unit_labels[key] = text

    def caption(self, x, y, text, color=INK, size=FONT, va="top"):
        self.ax.text(x, y, text, ha="center", va=va, fontsize=size, color=color)


def _column_y(n: int, j: int) -> float:
    """Unit j of a layer of n units, top to bottom, centred on 0, spacing 1."""
    return (n - 1) / 2 - j


def _label_fraction(n_prev: int, j: int = 0) -> float:
    """Where on a line a weight label sits (from the sending unit).

    Near the receiving unit j, where the lines into j are spread 1/(n_prev + 1)
    apart, so that its labels do not touch; every other receiving unit's labels
    are set back, so that neighbouring groups do not touch either.
    """
    return min(max(n_prev / (n_prev + 1), 0.67), 0.8) - 0.15 * (j % 2)


def _split_fraction(j: int) -> float:
    """Where a weight label sits in the split view, whose units are spread 1.5 apart:
    a little past the middle, every other receiving unit's labels set back."""
    return 0.6 - 0.16 * (j % 2)


def _layered(
    kind, sizes, dx, cost, width, extra_right=0.0, headroom=0.2, extra_left=0.0
):
    """A canvas with every unit of every layer placed (not drawn yet)."""
    L = len(sizes) - 1
    top = (max(sizes) - 1) / 2
    xmax = (_cost_x(L, dx) if cost else L * dx) + extra_right
    canvas = _Canvas(
        kind, sizes, xmax, -top - 0.75, top + headroom, width=width, xmin=-extra_left
    )
    return canvas, L, top


def _draw_units(canvas, sizes, dx, face=lambda key: FILL, edge=lambda key: INK):
    for ell, n in enumerate(sizes):
        for j in range(n):
            key = (ell, j)
            canvas.unit(key, ell * dx, _column_y(n, j), face=face(key), edge=edge(key))


def _layer_captions(canvas, sizes, dx, top, L, names=None):
    for ell in range(L + 1):
        name = _layer_name(ell, L) if names is None else names[ell]
        canvas.caption(ell * dx, -top - RADIUS - 0.12, name, size=FONT)


def _cost_x(L: int, dx: float) -> float:
    """Where the cost C sits: 0.8 of a layer's spacing after the output layer."""
    return L * dx + 0.8 * dx


def _cost_unit(canvas, L, dx, face=FILL):
    canvas.unit("C", _cost_x(L, dx), 0.0, text="$C$", face=face, radius=0.3)
