"""Where things go in a network figure, and the record of what was drawn.

:class:`Drawing` is kept on every figure as ``fig.drawing``: the units, the
connections in the direction drawn, the labels and the highlighted paths, so a test
(or a reader) can check the picture against the network without looking at pixels.
:class:`_Canvas` places units (circles), the lines between them and their labels in
data coordinates with aspect 1; the helpers below lay out the layers of a network.
"""

from __future__ import annotations

import itertools
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
    LABEL_BOX_PAD,
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
        ``"network"``, ``"paths"``, ``"backward"``, ``"split_layers"`` or
        ``"overview"``.
    sizes : tuple of int
        The layer sizes drawn.
    units : list
        Keys of the units drawn. A unit of layer ``ell`` is ``(ell, j)``, ``j``
        counted from 0 as in the code (the labels count from 1); the cost is
        ``"C"``. The split view uses ``("a", ell, j)``, ``("z", ell, j)`` and
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
    segments : dict
        ``(start, end)`` -> ``((x0, y0), (x1, y1))``: the line drawn for that
        connection, in data coordinates (it ends at a circle's edge, or at the far
        edge of the values written beside a unit).
    label_boxes : dict
        ``(kind, key)`` -> ``(x0, y0, x1, y1)``: the box of every text written, in
        data coordinates, its padding included. ``kind`` is ``"weight"`` (key as in
        ``weight_labels``), ``"unit"`` (as in ``unit_labels``) or ``"caption"``
        (a layer name, a title; key its text).
    font_sizes : dict
        ``(kind, key)`` -> the font size of that text, in points.
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
    segments: dict = field(default_factory=dict)
    label_boxes: dict = field(default_factory=dict)
    font_sizes: dict = field(default_factory=dict)
    description: str = ""


def _boxes_overlap(a, b, gap=0.0) -> bool:
    return not (
        a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1]
        or b[3] + gap <= a[1]
    )  # fmt: skip


def _crossing(s, t, eps=1e-9):
    """The point where segments s and t cross (not at an end of either), or None."""
    (x1, y1), (x2, y2) = s
    (x3, y3), (x4, y4) = t
    den = (x2 - x1) * (y4 - y3) - (y2 - y1) * (x4 - x3)
    if abs(den) < eps:
        return None
    u = ((x3 - x1) * (y4 - y3) - (y3 - y1) * (x4 - x3)) / den
    v = ((x3 - x1) * (y2 - y1) - (y3 - y1) * (x2 - x1)) / den
    if eps < u < 1 - eps and eps < v < 1 - eps:
        return (x1 + u * (x2 - x1), y1 + u * (y2 - y1))
    return None


def _segment_hits_box(seg, box) -> bool:
    """True if the segment passes through the inside of the box (Liang-Barsky)."""
    (x0, y0), (x1, y1) = seg
    dx, dy = x1 - x0, y1 - y0
    lo, hi = 0.0, 1.0
    for p, q in (
        (-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)
    ):  # fmt: skip
        if p == 0:
            if q <= 0:
                return False
            continue
        r = q / p
        if p < 0:
            lo = max(lo, r)
        else:
            hi = min(hi, r)
        if lo >= hi:
            return False
    return hi - lo > 1e-6


class LabelPlacementError(ValueError):
    """No place on its line for a weight label that touches no other label and no
    crossing of two lines."""


def _labelled_if_legible(draw, attempt=True):
    """``draw(True)``, the figure with its weights labelled, if every label finds a
    place (and ``attempt``); else ``draw(False)``, whose description says why."""
    if attempt:
        try:
            return draw(True)
        except LabelPlacementError:
            pass
    fig = draw(False)
    fig.drawing.description += "; too many weights to label them legibly"
    return fig


class _Canvas:
    """Units as circles at data positions, lines between them, labels; aspect 1.

    Lines and weight labels are collected first and drawn by :meth:`finish`, once
    every unit and the values beside the units are known: a line ends at the far
    edge of the values written beside a unit (never under them), and each weight
    label goes to the place on its line nearest the one asked for where its box
    touches no other text and holds no crossing of two lines.
    """

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
        self.ports: dict = {}  # (unit, "left"/"right") -> far edge of its values
        self._lines: list = []
        self._edge_labels: list = []
        self._renderer = None
        self.drawing = Drawing(kind=kind, sizes=tuple(sizes))
        fig.drawing = self.drawing

    # -- measuring text --------------------------------------------------------

    def _box_of(self, text) -> tuple:
        """The box of a text artist (with its padding) in data coordinates."""
        if self._renderer is None:
            canvas = self.fig.canvas
            if not hasattr(canvas, "get_renderer"):  # pragma: no cover
                from matplotlib.backends.backend_agg import FigureCanvasAgg

                canvas = FigureCanvasAgg(self.fig)
            self._renderer = canvas.get_renderer()
        extent = text.get_window_extent(self._renderer)
        if text.get_bbox_patch() is not None:
            pad = LABEL_BOX_PAD * text.get_fontsize() * self.fig.dpi / 72
            extent = extent.expanded(1, 1).padded(pad)
        (x0, y0), (x1, y1) = self.ax.transData.inverted().transform(
            [(extent.x0, extent.y0), (extent.x1, extent.y1)]
        )
        return (float(x0), float(y0), float(x1), float(y1))

    def _record(self, kind, key, text):
        self.drawing.label_boxes[(kind, key)] = self._box_of(text)
        self.drawing.font_sizes[(kind, key)] = float(text.get_fontsize())

    # -- units -----------------------------------------------------------------

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

    # -- lines (drawn by finish) -------------------------------------------------

    def connect(self, start, end, color=FAINT, lw=0.8, arrow=False, highlight=False):
        if highlight:
            color, lw = HIGHLIGHT if color == FAINT else color, max(lw, 2.0)
        self._lines.append((start, end, color, lw, arrow, highlight))
        self.drawing.connections.append((start, end))
        if highlight:
            self.drawing.highlighted.append((start, end))

    def _anchor(self, key, side):
        """Where a line meets unit ``key`` on ``side``: (point, radius to trim)."""
        x, y, r = self.pos[key]
        port = self.ports.get((key, side))
        if port is not None:
            return (port, y), 0.0
        return (x, y), r

    def _ends(self, start, end):
        xs, xe = self.pos[start][0], self.pos[end][0]
        side_s = "right" if xe > xs else "left"
        side_e = "left" if xe > xs else "right"
        if abs(xe - xs) < 1e-9:
            (p0, r0), (p1, r1) = (self.pos[start][:2], self.pos[start][2]), (
                self.pos[end][:2], self.pos[end][2]
            )  # fmt: skip
        else:
            p0, r0 = self._anchor(start, side_s)
            p1, r1 = self._anchor(end, side_e)
        (x0, y0), (x1, y1) = p0, p1
        d = math.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / d, (y1 - y0) / d
        return (x0 + r0 * ux, y0 + r0 * uy), (x1 - r1 * ux, y1 - r1 * uy)

    def edge_label(self, start, end, text, where, key, color=INK):
        """Write ``text`` on the line start -> end, as near as it can to fraction
        ``where`` of the way from start (placed by :meth:`finish`)."""
        self._edge_labels.append((start, end, text, where, key, color))
        self.drawing.weight_labels[key] = text

    # -- text beside units and captions ------------------------------------------

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
        artist = self.ax.text(
            *xy, text, ha=ha, va=va, fontsize=size, color=color, zorder=5,
            linespacing=1.25, bbox=LABEL_BOX if box else None,
        )  # fmt: skip
        self.drawing.unit_labels[key] = text
        self._record("unit", key, artist)
        box_ = self.drawing.label_boxes[("unit", key)]
        if side in ("left", "right"):
            # lines on that side start at the far edge of the text, not under it
            self.ports[(key, side)] = box_[2] + 0.04 if side == "right" else (
                box_[0] - 0.04
            )  # fmt: skip

    def caption(self, x, y, text, color=INK, size=FONT, va="top", below=False):
        """Centred text at (x, y); with ``below``, moved down under any text it
        would touch."""
        artist = self.ax.text(
            x, y, text, ha="center", va=va, fontsize=size, color=color
        )
        others = list(self.drawing.label_boxes.values())
        for _ in range(len(others) if below else 0):
            box = self._box_of(artist)
            hit = [b for b in others if _boxes_overlap(box, b, 0.02)]
            if not hit:
                break
            y -= box[3] - min(b[1] for b in hit) + 0.04
            artist.set_y(y)
        key = text if ("caption", text) not in self.drawing.label_boxes else (text, x)
        self._record("caption", key, artist)

    # -- drawing the lines and placing the weight labels --------------------------

    def finish(self):
        """Draw every line, then place every weight label; return the figure."""
        for start, end, color, lw, arrow, highlight in self._lines:
            (x0, y0), (x1, y1) = self._ends(start, end)
            self.drawing.segments[(start, end)] = ((x0, y0), (x1, y1))
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
        self._place_edge_labels()
        self._fit_text()
        return self.fig

    def _fit_text(self, margin=0.05):
        """Widen the canvas where a text would be cut at its edge, at the same scale
        (inches per data unit), so that every box recorded stays where it is."""
        boxes = [*self.drawing.label_boxes.values(), *self._obstacles()]
        (xlo, xhi), (ylo, yhi) = self.ax.get_xlim(), self.ax.get_ylim()
        nxlo = min(xlo, min(b[0] for b in boxes) - margin)
        nxhi = max(xhi, max(b[2] for b in boxes) + margin)
        nylo = min(ylo, min(b[1] for b in boxes) - margin)
        nyhi = max(yhi, max(b[3] for b in boxes) + margin)
        if (nxlo, nxhi, nylo, nyhi) == (xlo, xhi, ylo, yhi):
            return
        w = self.fig.get_size_inches()[0]
        scale = w / (xhi - xlo)
        self.fig.set_size_inches(scale * (nxhi - nxlo), scale * (nyhi - nylo))
        self.ax.set_xlim(nxlo, nxhi)
        self.ax.set_ylim(nylo, nyhi)

    def _obstacles(self):
        boxes = list(self.drawing.label_boxes.values())
        for x, y, r in self.pos.values():
            boxes.append((x - r, y - r, x + r, y + r))
        return boxes

    def _place_edge_labels(self):
        if not self._edge_labels:
            return
        segments = list(self.drawing.segments.items())
        crossings = []
        for (ka, sa), (kb, sb) in itertools.combinations(segments, 2):
            if set(ka) & set(kb):
                continue  # lines that share a unit meet there, they do not cross
            point = _crossing(sa, sb)
            if point is not None:
                crossings.append(point)
        xlo, xhi = self.ax.get_xlim()
        ylo, yhi = self.ax.get_ylim()
        placed = self._obstacles()

        def crossed(label):  # the lines crossed most have the least room: first
            seg = self.drawing.segments.get(label[:2]) or self.drawing.segments.get(
                label[1::-1]
            )
            return -sum(
                _crossing(seg, other) is not None
                for _, other in segments
                if other != seg
            )

        for start, end, text, where, key, color in sorted(
            self._edge_labels, key=crossed
        ):
            seg = self.drawing.segments.get((start, end))
            if seg is None:
                seg = self.drawing.segments[(end, start)]
                where = 1 - where
            (x0, y0), (x1, y1) = seg
            artist = self.ax.text(
                x0, y0, text, ha="center", va="center", fontsize=FONT - 1,
                color=color, bbox=LABEL_BOX, zorder=5,
            )  # fmt: skip
            w0, h0, w1, h1 = self._box_of(artist)
            half_w, half_h = (w1 - w0) / 2, (h1 - h0) / 2
            best = None
            for step in range(0, 50):
                for sign in (1, -1) if step else (1,):
                    t = where + sign * 0.02 * step
                    if not 0.05 <= t <= 0.95:
                        continue
                    cx, cy = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                    box = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
                    if box[0] < xlo or box[2] > xhi or box[1] < ylo or box[3] > yhi:
                        continue
                    if any(_boxes_overlap(box, other, 0.01) for other in placed):
                        continue
                    if any(
                        box[0] - 0.015 <= px <= box[2] + 0.015
                        and box[1] - 0.015 <= py <= box[3] + 0.015
                        for px, py in crossings
                    ):
                        continue
                    through = sum(
                        _segment_hits_box(s, box)
                        for k, s in segments
                        if k != (start, end) and k != (end, start)
                    )
                    score = (through, abs(t - where))
                    if best is None or score < best[0]:
                        best = (score, (cx, cy), box)
                if best is not None and best[0][0] == 0:
                    break
            if best is None:
                artist.remove()
                raise LabelPlacementError(
                    f"weights: no room on its line for the label of {key} that "
                    "touches no other label and no crossing of two lines; label "
                    "fewer weights (weights=ell, or a list of (ell, j, k)) or draw "
                    "a smaller network"
                )
            artist.set_position(best[1])
            self._record("weight", key, artist)
            placed.append(self.drawing.label_boxes[("weight", key)])


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
    """A name under each layer, below the lowest text written beside its units."""
    for ell in range(L + 1):
        name = _layer_name(ell, L) if names is None else names[ell]
        canvas.caption(ell * dx, -top - RADIUS - 0.12, name, size=FONT, below=True)


def _cost_x(L: int, dx: float) -> float:
    """Where the cost C sits: 0.8 of a layer's spacing after the output layer."""
    return L * dx + 0.8 * dx


def _cost_unit(canvas, L, dx, face=FILL):
    canvas.unit("C", _cost_x(L, dx), 0.0, text="$C$", face=face, radius=0.3)
