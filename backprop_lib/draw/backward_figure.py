"""δ flowing back through a network: BP2 drawn on the forward pass's connections."""

from __future__ import annotations

from ._inputs import _check_int, _check_layer_names, _check_start, _sizes_of, _values_of
from ._layout import (
    _cost_unit,
    _cost_x,
    _draw_units,
    _label_fraction,
    _labelled_if_legible,
    _layer_captions,
    _layered,
)
from ._style import BACK, FAINT, FILL, HIGHLIGHT, INK, WIDTH, _fmt, _weight_tex

__all__ = ["backward"]


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
    start=1,
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
    if weights is None and layer is not None:
        # by default the arrows of the layer are labelled, if every label finds a
        # place off the crossings; if not, none (and the description says so)
        options = dict(
            unit=unit, values=values, digits=digits, formula=formula,
            layer_names=layer_names, start=start, width=width,
        )  # fmt: skip
        return _labelled_if_legible(
            lambda labels: backward(net, layer, weights=labels, **options)
        )
    L = len(sizes) - 1
    digits = _check_int(digits, "digits", 1, 12, "a number of significant digits")
    if layer is not None:
        layer = _check_int(layer, "layer", 1, L, "a layer with a δ")
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
            _cost_x(L, dx) / 2, top + 0.55, formula, color=HIGHLIGHT, va="center"
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
    return canvas.finish()
