"""Figures for the book, drawn from the book's own objects.

The only part of backprop_lib that imports matplotlib, and only when a function is
called (see ``_mpl.pyplot``). Every function returns a matplotlib Figure that a
notebook shows as SVG, with what it drew in ``fig.drawing``.
"""

from .graph import GraphDrawing, draw_graph
from .network import Drawing, backward, network, overview, paths, split_layers

__all__ = [
    "Drawing",
    "GraphDrawing",
    "backward",
    "draw_graph",
    "network",
    "overview",
    "paths",
    "split_layers",
]
