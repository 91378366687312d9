"""Figures for the book, drawn from the book's own objects.

The only part of backprop_lib that imports matplotlib, and only when a function is
called (see ``_mpl.pyplot``).
"""

from .graph import GraphDrawing, draw_graph  # noqa: F401
