"""Pictures of a fully connected network, in the book's notation and index order.

Layers are numbered ``ell = 0..L`` (0 the input) and ``W[ell][j, k]`` is
:math:`w^\\ell_{jk}`, the weight from unit ``k`` of layer ``ell - 1`` to unit ``j`` of
layer ``ell`` (receiving unit first). Units are counted from 0, as in the code; the
split view in Hoey's notation counts them from 1, as his note does.

Every function takes a :class:`~backprop_lib.Network` or a list of layer sizes and
returns a matplotlib Figure that a notebook shows as SVG. The figure is closed in
pyplot before it is returned, so a cell that ends with the call shows it once; in a
script, save it with ``fig.savefig(...)``. What was drawn is kept on the figure as
``fig.drawing`` (a :class:`Drawing`): the units, the connections in the direction
drawn, the labels and the highlighted paths, so a test (or a reader) can check the
picture against the network without looking at pixels.

The four pictures:

* :func:`network` -- units, layers and weights labelled :math:`w^\\ell_{jk}`,
  optionally the values of z, a, δ beside the units;
* :func:`paths` -- every path from one unit (or one weight) to the cost highlighted:
  the terms of the chain rule's sum;
* :func:`backward` -- δ flowing from layer ℓ+1 back to layer ℓ along the same
  connections, arrows reversed (BP2, :math:`\\delta^\\ell = ((W^{\\ell+1})^T
  \\delta^{\\ell+1}) \\odot \\sigma'(z^\\ell)`);
* :func:`split_layers` -- linear and activation layers as separate modules, the bias
  as a weight on a constant input 1 (Hoey's lecture note).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .._checks import check_sizes
from ..network import BackwardResult, ForwardTrace, Network
from . import _mpl

__all__ = ["Drawing", "backward", "network", "overview", "paths", "split_layers"]

# Colours chosen to read on white and, inverted by the site's dark-mode rule
# (_ext/static/figures.css), on the dark theme; the highlight is never the only cue
# (it is also thicker).
INK = "#1a1a1a"
FAINT = "#a0a0a0"
FILL = "#f3f3f3"
HIGHLIGHT = "#d95f02"  # orange: the paths, the unit or weight in question
BACK = "#5e3c99"  # purple: δ flowing back
LABEL_BOX = {"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.85}

MAX_UNITS = 12  # per layer: more does not fit the text column legibly
MAX_LAYERS = 8  # entries of sizes
MAX_PATHS = 4096
WIDTH = 6.5  # inches: the book's text column
RADIUS = 0.27  # of a unit, in data units (vertical spacing of units is 1)
FONT = 9


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


# ---------------------------------------------------------------- input checks


def _sizes_of(net) -> tuple:
    """Layer sizes of a Network or of a list of sizes, checked for drawing."""
    if isinstance(net, Network):
        sizes = tuple(net.sizes)
    else:
        try:
            sizes = check_sizes(net)
        except (TypeError, ValueError) as err:
            raise ValueError(
                f"net must be a Network or a list of layer sizes: {err}"
            ) from None
    if len(sizes) > MAX_LAYERS:
        raise ValueError(
            f"net has {len(sizes)} layers; a drawing fits at most {MAX_LAYERS} "
            "(input and output included) in the text column"
        )
    widest = max(sizes)
    if widest > MAX_UNITS:
        raise ValueError(
            f"net has a layer of {widest} units; a drawing fits at most {MAX_UNITS} "
            "per layer: draw a smaller network with the same shape"
        )
    return sizes


def _check_int(value, name: str, lo: int, hi: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer {what}; got {value!r}")
    if not lo <= value <= hi:
        raise ValueError(
            f"{name} must be {what} between {lo} and {hi}; got {int(value)}"
        )
    return int(value)


def _check_unit(unit, sizes, name: str, first_layer: int = 0) -> tuple:
    L = len(sizes) - 1
    if not isinstance(unit, (tuple, list)) or len(unit) != 2:
        raise ValueError(f"{name} must be a pair (ell, j); got {unit!r}")
    ell = _check_int(unit[0], f"{name}[0] (the layer ell)", first_layer, L, "a layer")
    j = _check_int(
        unit[1], f"{name}[1] (the unit j)", 0, sizes[ell] - 1, f"a unit of layer {ell}"
    )
    return ell, j


def _check_weight(weight, sizes, name: str = "weight") -> tuple:
    L = len(sizes) - 1
    if not isinstance(weight, (tuple, list)) or len(weight) != 3:
        raise ValueError(
            f"{name} must be a triple (ell, j, k) naming w^ell_jk; got {weight!r}"
        )
    ell = _check_int(weight[0], f"{name}[0] (the layer ell)", 1, L, "a layer")
    j = _check_int(
        weight[1], f"{name}[1] (the receiving unit j)", 0, sizes[ell] - 1,
        f"a unit of layer {ell}",
    )  # fmt: skip
    k = _check_int(
        weight[2], f"{name}[2] (the sending unit k)", 0, sizes[ell - 1] - 1,
        f"a unit of layer {ell - 1}",
    )  # fmt: skip
    return ell, j, k


def _weights_to_label(weights, sizes, name: str = "weights") -> list:
    """The weights (ell, j, k) to label: True/"all", False/None, a layer, or a list."""
    L = len(sizes) - 1
    every = [
        (ell, j, k)
        for ell in range(1, L + 1)
        for j in range(sizes[ell])
        for k in range(sizes[ell - 1])
    ]
    if weights is True or (isinstance(weights, str) and weights == "all"):
        return every
    if weights is False or weights is None:
        return []
    if isinstance(weights, (int, np.integer)) and not isinstance(weights, bool):
        ell = _check_int(weights, name, 1, L, "a layer whose weights to label")
        return [w for w in every if w[0] == ell]
    if isinstance(weights, Iterable) and not isinstance(weights, str):
        return [_check_weight(w, sizes, f"{name}[{i}]") for i, w in enumerate(weights)]
    raise ValueError(
        f"{name} must be True (label every weight), False, a layer number or a list "
        f"of (ell, j, k); got {weights!r}"
    )


_VALUE_KEYS = ("z", "a", "delta", "b")
_SYMBOL = {"z": "z", "a": "a", "delta": r"\delta", "b": "b"}


def _values_of(values, net, sizes, show) -> dict:
    """{"z": [...], "a": [...], ...} as lists of 1-D arrays indexed by layer."""
    if isinstance(show, str):
        show = (show,)
    show = tuple(show)
    for s in show:
        if s not in _VALUE_KEYS:
            raise ValueError(
                f"show may list {', '.join(map(repr, _VALUE_KEYS))}; got {s!r}"
            )
    if values is None and "b" not in show:
        return {}
    table: dict = {}
    if isinstance(values, BackwardResult):
        table = {
            "z": values.trace.z,
            "a": values.trace.a,
            "delta": values.delta,
        }
    elif isinstance(values, ForwardTrace):
        table = {"z": values.z, "a": values.a}
    elif isinstance(values, dict):
        unknown = set(values) - set(_VALUE_KEYS)
        if unknown:
            raise ValueError(
                f"values may have the keys {', '.join(map(repr, _VALUE_KEYS))}; "
                f"got {sorted(unknown)!r}"
            )
        table = dict(values)
    elif values is not None:
        raise ValueError(
            "values must be a BackwardResult (net.backward(x, y)), a ForwardTrace "
            "(net.forward(x)) or a dict of per-layer lists; got "
            f"{type(values).__name__}"
        )
    if "b" in show:
        if not isinstance(net, Network):
            raise ValueError("show=('b',) needs a Network, not a list of sizes")
        table.setdefault("b", net.b)
    out: dict = {}
    for key in show:
        if key not in table:
            continue
        layers = list(table[key])
        if len(layers) != len(sizes):
            raise ValueError(
                f"values[{key!r}] has {len(layers)} layers but the network has "
                f"{len(sizes)} (index 0 is the input layer)"
            )
        per_layer = []
        for ell, arr in enumerate(layers):
            if arr is None:
                per_layer.append(None)
                continue
            col = np.asarray(arr, dtype=float)
            col = col.reshape(col.shape[0], -1)[:, 0] if col.ndim else col.reshape(1)
            if col.shape[0] != sizes[ell]:
                raise ValueError(
                    f"values[{key!r}][{ell}] has {col.shape[0]} entries but layer "
                    f"{ell} has {sizes[ell]} units"
                )
            per_layer.append(col)
        out[key] = per_layer
    return out


def _fmt(v: float, digits: int) -> str:
    text = f"{v:.{digits}g}"
    return text.replace("-", "\u2212")  # a real minus sign


# ---------------------------------------------------------------- the canvas


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


def _layer_name(ell: int, L: int) -> str:
    if ell == 0:
        return r"$\ell=0$ (input)"
    if ell == L:
        return rf"$\ell={L}=L$ (output)"
    return rf"$\ell={ell}$"


def _weight_tex(ell, j, k, net=None, digits=3, start=0) -> str:
    """The label of W[ell][j, k]; the units shown counted from ``start``."""
    text = rf"$w^{{{ell}}}_{{{j + start}{k + start}}}$"
    if net is not None:
        value = _fmt(float(net.W[ell][j, k]), digits)
        text = rf"$w^{{{ell}}}_{{{j + start}{k + start}}}={value}$"
    return text


def _check_start(start) -> int:
    if start not in (0, 1) or isinstance(start, bool):
        raise ValueError(
            "start must be 0 (units numbered from 0, as in the code's W[ell][j, k]) "
            f"or 1 (from 1, as in Nielsen's and Mazur's text); got {start!r}"
        )
    return int(start)


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
    xmax = L * dx + (0.8 * dx if cost else 0.0) + extra_right
    canvas = _Canvas(
        kind, sizes, xmax, -top - 0.75, top + headroom, width=width, xmin=-extra_left
    )
    return canvas, L, top


def _draw_units(canvas, sizes, dx, face=lambda key: FILL, edge=lambda key: INK):
    for ell, n in enumerate(sizes):
        for j in range(n):
            key = (ell, j)
            canvas.unit(key, ell * dx, _column_y(n, j), face=face(key), edge=edge(key))


def _check_layer_names(layer_names, sizes):
    if layer_names is None:
        return None
    if isinstance(layer_names, str) or len(layer_names) != len(sizes):
        raise ValueError(
            f"layer_names must list one caption per layer ({len(sizes)}); "
            f"got {layer_names!r}"
        )
    return [str(name) for name in layer_names]


def _layer_captions(canvas, sizes, dx, top, L, names=None):
    for ell in range(L + 1):
        name = _layer_name(ell, L) if names is None else names[ell]
        canvas.caption(ell * dx, -top - RADIUS - 0.12, name, size=FONT)


def _cost_unit(canvas, L, dx, face=FILL):
    canvas.unit("C", L * dx + 0.8 * dx, 0.0, text="$C$", face=face, radius=0.3)


def _value_text(vals, ell, j, digits) -> str:
    lines = []
    for key in ("z", "a", "delta", "b"):
        per_layer = vals.get(key)
        if per_layer is None or per_layer[ell] is None:
            continue
        if ell == 0 and key != "a":
            continue
        sym = _SYMBOL[key]
        lines.append(rf"${sym}={_fmt(float(per_layer[ell][j]), digits)}$")
    return "\n".join(lines)


# ---------------------------------------------------------------- public functions


def network(
    net,
    *,
    weights=True,
    values=None,
    show=("z", "a", "delta"),
    digits=3,
    weight_values=False,
    cost=False,
    highlight=None,
    layer_names=None,
    start=0,
    width=WIDTH,
):
    """Draw a network: its units, layers and weights :math:`w^\\ell_{jk}`.

    Parameters
    ----------
    net : Network or list of int
        The network, or its layer sizes such as ``[2, 3, 2]``.
    weights : bool, int or list of (ell, j, k)
        Which connections carry their label :math:`w^\\ell_{jk}`: all (``True``),
        none (``False``), those into one layer (an int ``ell``), or a list of
        ``(ell, j, k)`` (``W[ell][j, k]``).
    values : BackwardResult, ForwardTrace or dict, optional
        Values to write beside the units: ``net.backward(x, y)`` gives z, a and δ
        (the first example's column); a dict maps ``"z"``, ``"a"``, ``"delta"``,
        ``"b"`` to lists indexed by layer.
    show : sequence of str
        Which of ``"z"``, ``"a"``, ``"delta"``, ``"b"`` to write (``"b"`` reads the
        biases of ``net``).
    digits : int
        Significant digits of the values written.
    weight_values : bool
        Write each labelled weight's value, :math:`w^\\ell_{jk} = 0.15` (needs a
        Network).
    cost : bool
        Draw the cost C, fed by every output unit.
    highlight : list of (ell, j), optional
        Units to draw in the highlight colour.
    layer_names : sequence of str, optional
        A caption under each layer instead of ℓ = 0, 1, ...
    start : {0, 1}
        The number of the first unit of a layer in the labels: 0 as in the code's
        ``W[ell][j, k]`` (the default), or 1 as in Nielsen's text. Arguments and
        ``fig.drawing``'s keys always count from 0.
    width : float
        Width of the figure in inches (at most the text column, 6.5).

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.drawing``, a :class:`Drawing` of what was drawn.
    """
    sizes = _sizes_of(net)
    digits = _check_int(digits, "digits", 1, 12, "number of significant digits")
    labelled = _weights_to_label(weights, sizes)
    if weight_values and not isinstance(net, Network):
        raise ValueError("weight_values=True needs a Network, not a list of sizes")
    vals = _values_of(values, net, sizes, show)
    names = _check_layer_names(layer_names, sizes)
    start = _check_start(start)
    marked = {
        _check_unit(u, sizes, f"highlight[{i}]") for i, u in enumerate(highlight or [])
    }
    value_width = (0.16 * (digits + 4) + 0.4) if vals else 0.0
    label_width = 0.9 + (0.16 * (digits + 3) if weight_values else 0.0)
    dx = max(2.0, 1.0 + value_width + (label_width + 0.9 if labelled else 0.4))
    width = min(float(width), WIDTH)
    canvas, L, top = _layered(
        "network", sizes, dx, cost, width, value_width,
        extra_left=0.2 + 0.16 * (digits + 3) if vals.get("a") else 0.0,
    )  # fmt: skip
    _draw_units(
        canvas, sizes, dx,
        face=lambda key: "#fbd3b5" if key in marked else FILL,
        edge=lambda key: HIGHLIGHT if key in marked else INK,
    )  # fmt: skip
    if cost:
        _cost_unit(canvas, L, dx)
    wanted = set(labelled)
    for ell in range(1, L + 1):
        where = _label_fraction(sizes[ell - 1])
        for j in range(sizes[ell]):
            for k in range(sizes[ell - 1]):
                canvas.connect((ell - 1, k), (ell, j), color=INK if wanted else FAINT)
    for ell, j, k in labelled:
        text = _weight_tex(ell, j, k, net if weight_values else None, digits, start)
        where = _label_fraction(sizes[ell - 1], j)
        canvas.edge_label((ell - 1, k), (ell, j), text, where, (ell, j, k))
    if cost:
        for j in range(sizes[L]):
            canvas.connect((L, j), "C", color=FAINT)
    for ell in range(L + 1):
        for j in range(sizes[ell]):
            text = _value_text(vals, ell, j, digits)
            if text:
                canvas.beside((ell, j), text, side="left" if ell == 0 else "right")
    _layer_captions(canvas, sizes, dx, top, L, names)
    canvas.drawing.description = (
        f"A network with layers of {', '.join(map(str, sizes))} units, every unit of "
        "a layer connected to every unit of the next"
        + (f"; {len(labelled)} weights labelled" if labelled else "")
        + ("; values written beside the units" if vals else "")
    )
    return canvas.fig


def paths(
    net,
    *,
    unit=None,
    weight=None,
    weights=None,
    elementwise=(),
    layer_names=None,
    start=0,
    width=WIDTH,
):
    """Highlight every path from one unit, or one weight, to the cost C.

    The chain rule sums one term per path: :math:`\\partial C/\\partial z^\\ell_j`
    adds up, over every path from unit j of layer ℓ to C, the product of the
    derivatives along it. A unit of layer ℓ has :math:`n_{\\ell+1} n_{\\ell+2}
    \\cdots n_L` such paths (one unit chosen in every later layer).

    Parameters
    ----------
    net : Network or list of int
    unit : (ell, j), optional
        The unit the paths start from (any layer, 0..L).
    weight : (ell, j, k), optional
        A weight :math:`w^\\ell_{jk}`: its paths start with the connection from unit
        k of layer ℓ-1 to unit j of layer ℓ. Give ``unit`` or ``weight``, not both.
    weights : bool, int or list of (ell, j, k), optional
        Connections to label (as in :func:`network`). By default the weight given,
        or none.
    elementwise : sequence of int
        Layers ℓ computed unit by unit from layer ℓ-1 (an elementwise activation,
        :math:`a_j = \\sigma(z_j)`): unit j of ℓ is fed by unit j of ℓ-1 only, so no
        path branches there. Such a layer has as many units as the one before.
    layer_names : sequence of str, optional
        A caption under each layer instead of ℓ = 0, 1, ...
    start : {0, 1}
        The number of the first unit of a layer in the labels (see :func:`network`).
    width : float
        Figure width in inches (at most 6.5).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.drawing.paths`` lists the highlighted paths, each ending with ``"C"``.
    """
    sizes = _sizes_of(net)
    if (unit is None) == (weight is None):
        raise ValueError(
            "give exactly one of unit=(ell, j) or weight=(ell, j, k): the paths "
            "start from that unit, or from that weight's connection"
        )
    L = len(sizes) - 1
    if weight is not None:
        ell, j, k = _check_weight(weight, sizes, "weight")
        origin, first = (ell, j), ((ell - 1, k), (ell, j))
        if weights is None:
            weights = [(ell, j, k)]
    else:
        ell, j = _check_unit(unit, sizes, "unit")
        origin, first = (ell, j), None
    names = _check_layer_names(layer_names, sizes)
    start = _check_start(start)
    if isinstance(elementwise, (int, np.integer)):
        elementwise = (elementwise,)
    diagonal = set()
    for i, m in enumerate(elementwise):
        m = _check_int(m, f"elementwise[{i}]", 1, L, "a layer")
        if sizes[m] != sizes[m - 1]:
            raise ValueError(
                f"elementwise[{i}]: layer {m} has {sizes[m]} units but layer {m - 1} "
                f"has {sizes[m - 1]}; an elementwise layer has one unit per unit fed"
            )
        diagonal.add(m)
    count = math.prod(1 if m in diagonal else sizes[m] for m in range(ell + 1, L + 1))
    if count > MAX_PATHS:
        raise ValueError(
            f"unit {origin} has {count} paths to the cost, too many to draw; pick a "
            "unit in a later layer or a smaller network"
        )
    labelled = _weights_to_label(weights, sizes)
    dx = 2.4 if labelled else 2.0
    width = min(float(width), WIDTH)
    canvas, L, top = _layered("paths", sizes, dx, True, width, headroom=0.95)
    edges = [
        ((m - 1, kk), (m, jj))
        for m in range(1, L + 1)
        for jj in range(sizes[m])
        for kk in range(sizes[m - 1])
        if m not in diagonal or jj == kk
    ] + [((L, jj), "C") for jj in range(sizes[L])]
    after: dict = {}
    for a, b in edges:
        after.setdefault(a, []).append(b)

    def routes(node):
        if node == "C":
            return [("C",)]
        return [(node, *rest) for nxt in after[node] for rest in routes(nxt)]

    found = routes(origin)
    if first is not None:
        found = [(first[0], *route) for route in found]
    on_path = {(a, b) for route in found for a, b in itertools.pairwise(route)}
    touched = {u for route in found for u in route}
    _draw_units(
        canvas, sizes, dx,
        face=lambda key: "#fbd3b5" if key in touched else FILL,
        edge=lambda key: HIGHLIGHT if key in touched else FAINT,
    )  # fmt: skip
    _cost_unit(canvas, L, dx, face="#fbd3b5")
    for a, b in edges:
        canvas.connect(a, b, highlight=(a, b) in on_path, arrow=(a, b) in on_path)
    for m, jj, kk in labelled:
        canvas.edge_label(
            (m - 1, kk), (m, jj), _weight_tex(m, jj, kk, start=start),
            _label_fraction(sizes[m - 1], jj),
            (m, jj, kk), color=HIGHLIGHT if ((m - 1, kk), (m, jj)) in on_path else INK,
        )  # fmt: skip
    what = (
        rf"$w^{{{ell}}}_{{{weight[1] + start}{weight[2] + start}}}$"
        if weight is not None
        else "the unit"
    )
    canvas.caption(
        (L * dx + 0.8 * dx) / 2, top + 0.55,
        f"{len(found)} path{'s' if len(found) != 1 else ''} from {what} to $C$",
        color=HIGHLIGHT, va="center",
    )  # fmt: skip
    _layer_captions(canvas, sizes, dx, top, L, names)
    canvas.drawing.paths = found
    canvas.drawing.description = (
        f"A network with layers of {', '.join(map(str, sizes))} units; the "
        f"{len(found)} paths from {'weight w' if weight is not None else 'unit'} "
        f"{weight if weight is not None else origin} to the cost are highlighted"
    )
    return canvas.fig


def backward(
    net,
    layer=None,
    *,
    unit=None,
    values=None,
    digits=3,
    weights=None,
    formula=True,
    layer_names=None,
    start=0,
    width=WIDTH,
):
    """Draw δ flowing back: from layer ℓ+1 to layer ℓ along the transposed connections.

    Every connection of the forward pass is used again, read the other way: BP2,
    :math:`\\delta^\\ell_k = \\sigma'(z^\\ell_k) \\sum_j w^{\\ell+1}_{jk}\\,
    \\delta^{\\ell+1}_j`, collects at unit k of layer ℓ the δ of every unit j it
    feeds, each through the weight :math:`w^{\\ell+1}_{jk}` it was fed through.

    Parameters
    ----------
    net : Network or list of int
    layer : int, optional
        ℓ in 1..L: draw the arrows from layer ℓ+1 back to layer ℓ (for ℓ = L, from
        the cost back to the output layer, BP1). ``None``: the whole backward pass,
        every connection reversed.
    unit : int, optional
        A unit k of layer ``layer``: highlight the arrows that meet there, the terms
        of its BP2 sum.
    values : BackwardResult or dict, optional
        Write the values of δ (``values.delta``) beside the units.
    digits : int
        Significant digits of the values.
    weights : bool, optional
        Label the reversed connections with :math:`w^{\\ell+1}_{jk}`. By default
        only the arrows that meet at ``unit`` if it is given, else every arrow of
        ``layer``, and none for the whole pass.
    formula : bool
        With ``unit``, write its BP2 (or BP1) equation above the network.
    layer_names : sequence of str, optional
        A caption under each layer instead of ℓ = 0, 1, ...
    start : {0, 1}
        The number of the first unit of a layer in the labels (see :func:`network`).
    width : float
        Figure width in inches (at most 6.5).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.drawing.connections`` holds the arrows as drawn: from
        ``(ell + 1, j)`` to ``(ell, k)``.
    """
    sizes = _sizes_of(net)
    L = len(sizes) - 1
    digits = _check_int(digits, "digits", 1, 12, "number of significant digits")
    if layer is not None:
        layer = _check_int(layer, "layer", 1, L, "a layer with a δ (1..L)")
    if unit is not None:
        if layer is None:
            raise ValueError("unit needs layer: unit is a unit k of that layer")
        unit = _check_int(unit, "unit", 0, sizes[layer] - 1, f"a unit of layer {layer}")
    vals = _values_of(values, net, sizes, ("delta",))
    names = _check_layer_names(layer_names, sizes)
    start = _check_start(start)
    reversed_layers = range(1, L + 1) if layer is None else [layer + 1]
    # the connections drawn reversed are those *into* layer m for m in reversed_layers
    if weights is None:
        weights = layer is not None
    labelled = []
    if weights:
        labelled = [
            (m, j, k)
            for m in reversed_layers
            if m <= L
            for j in range(sizes[m])
            for k in range(sizes[m - 1])
            if unit is None or k == unit
        ]
    dx = 2.6 if (labelled or vals) else 2.0
    if vals:
        dx += 0.16 * (digits + 4)
    width = min(float(width), WIDTH)
    canvas, L, top = _layered(
        "backward", sizes, dx, True, width,
        headroom=0.95 if (unit is not None and formula) else 0.5,
    )  # fmt: skip

    def active(key):
        if key == "C":
            return True
        if layer is None:
            return key[0] >= 1
        return key[0] in (layer, layer + 1)

    _draw_units(
        canvas, sizes, dx,
        face=lambda key: "#ddd3ea" if active(key) else FILL,
        edge=lambda key: BACK if active(key) else FAINT,
    )  # fmt: skip
    _cost_unit(canvas, L, dx, face="#ddd3ea")
    for m in range(1, L + 1):
        back = m in reversed_layers
        for j in range(sizes[m]):
            for k in range(sizes[m - 1]):
                if back:
                    hit = unit is not None and k == unit
                    canvas.connect(
                        (m, j), (m - 1, k), color=HIGHLIGHT if hit else BACK,
                        lw=2.0 if hit else 1.1, arrow=True, highlight=hit,
                    )  # fmt: skip
                else:
                    canvas.connect((m - 1, k), (m, j), color=FAINT)
    to_output = layer is None or layer == L
    for j in range(sizes[L]):
        hit = unit is not None and layer == L and j == unit
        if to_output:
            canvas.connect(
                "C", (L, j), color=HIGHLIGHT if hit else BACK, lw=2.0 if hit else 1.1,
                arrow=True, highlight=hit,
            )  # fmt: skip
        else:
            canvas.connect((L, j), "C", color=FAINT)
    for m, j, k in labelled:
        # reversed: from (m, j) toward (m - 1, k); with one receiving unit, near
        # the senders, where the arrows are far apart
        where = 0.3 if unit is not None else _label_fraction(sizes[m], k)
        hit = unit is not None and k == unit
        canvas.edge_label(
            (m, j), (m - 1, k), _weight_tex(m, j, k, start=start), where, (m, j, k),
            color=HIGHLIGHT if hit else INK,
        )  # fmt: skip
    for ell in range(1, L + 1):
        if not active((ell, 0)):
            continue
        side = "above" if layer is None else ("left" if ell == layer else "right")
        for j in range(sizes[ell]):
            if vals:
                text = rf"$\delta={_fmt(float(vals['delta'][ell][j]), digits)}$"
            else:
                text = rf"$\delta^{{{ell}}}_{{{j + start}}}$"
            canvas.beside((ell, j), text, side=side, color=BACK)
    if unit is not None and formula:
        u = unit + start
        if layer < L:
            formula = (
                rf"$\delta^{{{layer}}}_{{{u}}} = \sigma'(z^{{{layer}}}_{{{u}}})"
                rf"\,\sum_j w^{{{layer + 1}}}_{{j{u}}}\,\delta^{{{layer + 1}}}_j$"
            )
        else:
            formula = (
                rf"$\delta^{{{L}}}_{{{u}}} = "
                rf"\partial C/\partial a^{{{L}}}_{{{u}}}\;"
                rf"\sigma'(z^{{{L}}}_{{{u}}})$"
            )
        canvas.caption(
            (L * dx + 0.8 * dx) / 2, top + 0.55, formula, color=HIGHLIGHT, va="center"
        )
    _layer_captions(canvas, sizes, dx, top, L, names)
    span = (
        "every connection reversed, from the cost back to layer 1"
        if layer is None
        else (
            f"arrows from layer {layer + 1} back to layer {layer}"
            if layer < L
            else f"arrows from the cost back to the output layer {L}"
        )
    )
    canvas.drawing.description = (
        f"The backward pass in a network with layers of {', '.join(map(str, sizes))} "
        f"units: {span}"
    )
    return canvas.fig


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
        :math:`w^\\ell_{jk}`, :math:`b^\\ell_j`; units from 0) or in Hoey's
        (:math:`\\mathit{input}^k`, :math:`w^k_{ji}` with :math:`i = 0` the bias;
        units from 1).
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
                    else rf"$b^{{{ell}}}_{{{j}}}$"
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
                        else rf"$w^{{{ell}}}_{{{j}{k}}}$"
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
    return canvas.fig


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
    xmax = L * dx + 0.8 * dx
    canvas = _Canvas(
        "overview", sizes, xmax, -rise - top - 0.75, rise + top + 0.85,
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
    canvas.caption(mid, rise + top + 0.75, titles[0], color=INK, va="center")
    canvas.caption(mid, -rise + top + 0.75, titles[1], color=BACK, va="center")
    for ell in range(L + 1):
        canvas.caption(ell * dx, -rise - top - RADIUS - 0.12, _layer_name(ell, L))
    n_weights = sum(a * b for a, b in itertools.pairwise(sizes))
    canvas.drawing.description = (
        f"Two copies of a network with layers of {', '.join(map(str, sizes))} "
        f"units: above, the forward pass along its {n_weights} connections up to the "
        "cost; below, the backward pass along the same connections reversed"
    )
    return canvas.fig
