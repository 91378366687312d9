"""Figures for the book, drawn from the book's own objects.

The only part of backprop_lib that imports matplotlib, and only when a function is
called (see ``_mpl.pyplot``). Every function returns a matplotlib Figure that a
notebook shows as SVG, with what it drew in ``fig.drawing``.

One module per figure, sharing the rest (a module is never named like the function
it holds, so ``draw.network`` is always the function):

* ``network_figure`` -- :func:`network` (units, layers, weights, values) and
  :func:`paths` (every path from a unit or a weight to the cost);
* ``backward_figure`` -- :func:`backward`, δ flowing back (BP2);
* ``split`` -- :func:`split_layers`, linear and activation modules (Hoey's note);
* ``overview_figure`` -- :func:`overview`, the forward and the backward pass;
* ``graph`` -- :func:`draw_graph`, an autodiff computational graph;
* ``_layout`` -- :class:`Drawing` (what a figure drew) and the canvas the network
  figures are placed on; ``_style`` -- colours, sizes, label text; ``_inputs`` --
  argument checks; ``_mpl`` -- the one import of matplotlib.
"""

from ._layout import Drawing, LabelPlacementError
from .backward_figure import backward
from .graph import GraphDrawing, draw_graph
from .network_figure import network, paths
from .overview_figure import overview
from .split import split_layers

__all__ = [
    "Drawing",
    "GraphDrawing",
    "LabelPlacementError",
    "backward",
    "draw_graph",
    "network",
    "overview",
    "paths",
    "split_layers",
]
