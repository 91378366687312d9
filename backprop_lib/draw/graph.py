"""The computational graph of a :class:`backprop_lib.autodiff.Value`, drawn.

One box per value, labelled with its name and the operation that made it, showing its
data and its grad; arrows run from each operation's inputs to its result. With
``upto=k`` the drawing shows the backward sweep after k nodes have applied their
local rule: boxes whose grad is final are filled, the others show the partial sum
received so far.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._mpl import figure_class, pyplot
from ._style import COLUMN_PX, MIN_TEXT_PX

# monospace: a character is about 0.6 of the font size wide; between two columns of
# boxes, room for an arrow (inches)
_CHAR_EM = 0.6
_GAP_IN = 0.45

__all__ = ["GraphDrawing", "draw_graph"]

FINAL_COLOR = "#cde8cf"  # grad final
PENDING_COLOR = "#ffffff"  # grad still a partial sum
EDGE_COLOR = "#444444"
JUST_FIRED_COLOR = "#1b7a34"


@dataclass
class GraphDrawing:
    """What :func:`draw_graph` drew, for tests and for the chapter's alt text.

    ``nodes``: the values, in topological order (inputs before results);
    ``edges``: ``(i, j)`` pairs, an arrow from ``nodes[i]`` to ``nodes[j]``;
    ``labels``: the text of each box; ``final``: whether each box's grad is final;
    ``fired``: how many nodes have applied their local rule (``upto``);
    ``font_size``: the size of the boxes' text, in points.
    """

    nodes: list
    edges: list
    labels: list
    final: list
    fired: int | None
    font_size: float = 9.0


def _title(v) -> str:
    if v.op:
        return f"{v.label} = {v.op}" if v.label else v.op
    return v.label or f"{v.data:g}"


def _layout(nodes, index) -> list[tuple[float, float]]:
    """Columns by depth, rows in topological order.

    A result's column is one more than its inputs' deepest; an input (a leaf) sits
    in the column just before the first operation that uses it, so that arrows are
    short.
    """
    depth = [0] * len(nodes)
    for i, v in enumerate(nodes):
        if v._prev:
            depth[i] = 1 + max(depth[index[id(p)]] for p in v._prev)
    leaf_depth: dict[int, int] = {}
    for i, v in enumerate(nodes):
        for p in v._prev:
            j = index[id(p)]
            if not p._prev:
                leaf_depth[j] = min(leaf_depth.get(j, depth[i] - 1), depth[i] - 1)
    for j, d in leaf_depth.items():
        depth[j] = d
    low = min(depth)
    columns: dict[int, list[int]] = {}
    for i, d in enumerate(depth):
        columns.setdefault(d - low, []).append(i)
    pos = [(0.0, 0.0)] * len(nodes)
    for d, members in columns.items():
        for r, i in enumerate(members):
            pos[i] = (float(d), (len(members) - 1) / 2.0 - r)
    return pos


def draw_graph(root, upto: int | None = None, ax=None, digits: int = 4):
    """Draw the graph that computes ``root``; return the matplotlib Figure.

    Parameters
    ----------
    root : Value
        The output (e.g. a cost); every value it depends on is drawn once.
    upto : int, optional
        Run the backward sweep from ``root`` (``root.backward_steps()``), stopping
        after ``upto`` nodes have applied their local rule, and draw that moment:
        filled boxes have their final grad, the box that fired last has a thick
        border. This sets the grads in the graph. ``None``: draw the grads as they
        are, nothing highlighted.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if omitted.
    digits : int
        Significant digits of data and grad.

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.drawing``, a :class:`GraphDrawing` of what was drawn. A new
        figure shows itself as SVG in a notebook when it is a cell's result; with
        ``ax``, the figure is the caller's.
    """
    from ..autodiff import Value

    if not isinstance(root, Value):
        raise TypeError(
            f"draw_graph needs a backprop_lib.autodiff.Value; got {type(root).__name__}"
        )
    nodes = root.topological_order()
    index = {id(v): i for i, v in enumerate(nodes)}
    if upto is not None:
        if isinstance(upto, bool) or not isinstance(upto, int):
            raise TypeError(f"upto must be an int or None; got {type(upto).__name__}")
        if not 0 <= upto <= len(nodes):
            raise ValueError(
                f"upto must be between 0 and {len(nodes)} (the graph has {len(nodes)} "
                f"values); got {upto}"
            )
        steps = root.backward_steps()
        for _ in range(upto):
            next(steps)
    edges = [(index[id(p)], j) for j, v in enumerate(nodes) for p in v._prev]
    # a node's grad is final when it has fired, or when every node it feeds has
    fired = set(range(len(nodes) - (upto or 0), len(nodes))) if upto else set()
    consumers: dict[int, list[int]] = {i: [] for i in range(len(nodes))}
    for i, j in edges:
        consumers[i].append(j)
    if upto is None:
        final = [False] * len(nodes)
    else:
        final = [
            i in fired or all(j in fired for j in consumers[i])
            for i in range(len(nodes))
        ]
    labels = [
        f"{_title(v)}\ndata {v.data:.{digits}g}\ngrad {v.grad:.{digits}g}"
        for i, v in enumerate(nodes)
    ]

    plt = pyplot()
    pos = _layout(nodes, index)
    n_cols = int(1 + max(x for x, _ in pos))
    n_rows = 1 + max(y for _, y in pos) - min(y for _, y in pos)
    chars = max(len(line) for text in labels for line in text.splitlines())
    column_in = COLUMN_PX / 96  # the book's text column (CSS px are 1/96 inch)
    if ax is None:
        # as wide as the boxes need at 9 pt, but no wider than the text column
        # (a notebook saves it with a tight bounding box, which may add a little)
        width = min(
            column_in - 0.3, 0.3 + n_cols * (chars * _CHAR_EM * 9 / 72 + _GAP_IN)
        )
        fig = plt.figure(
            figsize=(width, 0.5 + 0.95 * n_rows), FigureClass=figure_class()
        )
        plt.close(fig)  # shown once when returned (as SVG), never again by pyplot
        ax = fig.add_subplot()
        fig.subplots_adjust(left=0.01, right=0.99)
    else:
        fig = ax.figure
    # the text as large as the columns allow (at most 9 pt); at the column's width
    # (wider figures are shown shrunk to it) never under MIN_TEXT_PX pixels
    fig_in = fig.get_size_inches()[0]
    pitch = ax.get_position().width * fig_in / n_cols
    font = min(9.0, (pitch - _GAP_IN) * 72 / (chars * _CHAR_EM))
    # how much the page shrinks the figure (with room for the tight bounding box)
    shown = min(1.0, column_in / (fig_in + 0.2))
    font = max(font, MIN_TEXT_PX * 0.75 / shown)
    just_fired = len(nodes) - upto if upto else None
    boxes = []
    for i, ((x, y), text) in enumerate(zip(pos, labels)):
        box = ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=font,
            family="monospace",
            gid=f"value-{i}",
            bbox={
                "boxstyle": "round,pad=0.4",
                "facecolor": FINAL_COLOR if final[i] else PENDING_COLOR,
                "edgecolor": JUST_FIRED_COLOR if i == just_fired else EDGE_COLOR,
                "linewidth": 2.5 if i == just_fired else 1.0,
            },
        )
        boxes.append(box)
    for i, j in edges:  # from the right edge of the input to the left of the result
        # an arrow that skips a column bends, so that it does not run under a box
        bend = -0.3 if pos[j][0] - pos[i][0] > 1 else 0.0
        ax.annotate(
            "",
            xy=(0.0, 0.5),
            xycoords=boxes[j],
            xytext=(1.0, 0.5),
            textcoords=boxes[i],
            arrowprops={
                "arrowstyle": "->",
                "color": EDGE_COLOR,
                "lw": 1.0,
                "shrinkA": 6,
                "shrinkB": 6,
                "connectionstyle": f"arc3,rad={bend}",
            },
        )
    ax.set_xlim(-0.6, n_cols - 0.4)
    ymin, ymax = min(y for _, y in pos), max(y for _, y in pos)
    ax.set_ylim(ymin - 0.6, ymax + 0.6)
    ax.axis("off")
    if upto is not None:
        ax.set_title(
            f"backward sweep, step {upto} of {len(nodes)}",
            fontsize=10,
        )
    fig.drawing = GraphDrawing(nodes, edges, labels, final, upto, font)
    return fig
