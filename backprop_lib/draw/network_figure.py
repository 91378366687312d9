"""Pictures of a fully connected network, in the book's notation and index order.

Layers are numbered ``ell = 0..L`` (0 the input) and ``W[ell][j, k]`` is
:math:`w^\\ell_{jk}`, the weight from unit ``k`` of layer ``ell - 1`` to unit ``j`` of
layer ``ell`` (receiving unit first). The labels count units from 1, as the book's
formulas do (:math:`w^\\ell_{jk}` with :math:`j, k \\ge 1`); arguments and the keys of
``fig.drawing`` are the code's indices, from 0: ``W[ell][j, k]`` is labelled
:math:`w^\\ell_{j+1,\\,k+1}`.

Every function takes a :class:`~backprop_lib.Network` or a list of layer sizes and
returns a matplotlib Figure that a notebook shows as SVG. The figure is closed in
pyplot before it is returned, so a cell that ends with the call shows it once; in a
script, save it with ``fig.savefig(...)``. What was drawn is kept on the figure as
``fig.drawing`` (a :class:`Drawing`): the units, the connections in the direction
drawn, the labels and the highlighted paths, so a test (or a reader) can check the
picture against the network without looking at pixels.

The pictures of a network (this module draws the first two; ``backward.py``,
``split.py`` and ``overview.py`` the others, on the canvas of ``_layout.py``):

* :func:`network` -- units, layers and weights labelled :math:`w^\\ell_{jk}`,
  optionally the values of z, a, δ beside the units;
* :func:`paths` -- every path from one unit (or one weight) to the cost highlighted:
  the terms of the chain rule's sum;
* :func:`backward` -- δ flowing from layer ℓ+1 back to layer ℓ along the same
  connections, arrows reversed (BP2, :math:`\\delta^\\ell = ((W^{\\ell+1})^T
  \\delta^{\\ell+1}) \\odot \\sigma'(z^\\ell)`);
* :func:`split_layers` -- linear and activation layers as separate modules, the bias
  as a weight on a constant input 1 (Hoey's lecture note);
* :func:`overview` -- the forward pass above, the backward pass below, along the same
  connections.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ..network import Network
from ._inputs import (
    MAX_PATHS,
    _check_int,
    _check_layer_names,
    _check_start,
    _check_unit,
    _check_weight,
    _sizes_of,
    _values_of,
    _weights_to_label,
)
from ._layout import (
    _cost_unit,
    _cost_x,
    _draw_units,
    _label_fraction,
    _labelled_if_legible,
    _layer_captions,
    _layered,
)
from ._style import FAINT, FILL, HIGHLIGHT, INK, WIDTH, _value_text, _weight_tex

__all__ = ["network", "paths"]


# "auto" labels every weight when each pair of layers has at most this many
# connections; more rarely leave room on every line for a label (see network)
AUTO_LABELS_PER_LAYER = 16


def network(
    net,
    *,
    weights="auto",
    values=None,
    show=("z", "a", "delta"),
    digits=3,
    weight_values=False,
    cost=False,
    highlight=None,
    layer_names=None,
    start=1,
    width=WIDTH,
):
    """Draw a network: its units, layers and weights :math:`w^\\ell_{jk}`.

    Parameters
    ----------
    net : Network or list of int
        The network, or its layer sizes such as ``[2, 3, 2]``.
    weights : "auto", bool, int or list of (ell, j, k)
        Which connections carry their label :math:`w^\\ell_{jk}`: all (``True``),
        none (``False``), those into one layer (an int ``ell``), or a list of
        ``(ell, j, k)`` (``W[ell][j, k]``). A label goes where its box touches no
        other text and holds no crossing of two lines; if some label has no such
        place, a :class:`LabelPlacementError` (a ValueError) says which. ``"auto"``
        (the default): every weight if every label finds a place, else none (the
        figure's ``drawing.description`` says so).
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
    start : {1, 0}
        The number of the first unit of a layer in the labels: 1 as in the book's
        formulas (the default), or 0 as in the code's ``W[ell][j, k]``. Arguments
        and ``fig.drawing``'s keys always count from 0, as the code does.
    width : float
        Width of the figure in inches (at most the text column, 6.5).

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.drawing``, a :class:`Drawing` of what was drawn.
    """
    sizes = _sizes_of(net)
    if isinstance(weights, str) and weights == "auto":
        options = dict(
            values=values, show=show, digits=digits, weight_values=weight_values,
            cost=cost, highlight=highlight, layer_names=layer_names, start=start,
            width=width,
        )  # fmt: skip
        return _labelled_if_legible(
            lambda labels: network(net, weights=labels, **options),
            all(a * b <= AUTO_LABELS_PER_LAYER for a, b in itertools.pairwise(sizes)),
        )
    digits = _check_int(digits, "digits", 1, 12, "a number of significant digits")
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
    return canvas.finish()


def paths(
    net,
    *,
    unit=None,
    weight=None,
    weights=None,
    elementwise=(),
    layer_names=None,
    start=1,
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
        _weight_tex(ell, weight[1], weight[2], start=start)
        if weight is not None
        else "the unit"
    )
    canvas.caption(
        _cost_x(L, dx) / 2, top + 0.55,
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
    return canvas.finish()
