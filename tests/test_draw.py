"""backprop_lib.draw: what each function drew, checked against the network.

The drawings keep a record (``fig.drawing``) of their units, connections, labels and
highlighted paths. These tests compare that record with what the network implies,
counted here independently (every pair of units in consecutive layers, the paths by
walking the drawn connections), and with the artists really on the axes (circles,
texts), so a record that lies about the picture fails too.
"""

from __future__ import annotations

import html as html_lib
import itertools
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from .conftest import require

require("matplotlib")  # in requirements.txt: a missing one fails, never skips

import backprop_lib as bp  # noqa: E402
from backprop_lib import draw  # noqa: E402


def random_sizes(rng, max_layers=5, max_units=5):
    n_layers = int(rng.integers(2, max_layers + 1))
    return [int(n) for n in rng.integers(1, max_units + 1, size=n_layers)]


CASES = [random_sizes(np.random.default_rng(seed)) for seed in range(12)]


def every_weight(sizes):
    return {
        (ell, j, k)
        for ell in range(1, len(sizes))
        for j in range(sizes[ell])
        for k in range(sizes[ell - 1])
    }


def circles(fig):
    from matplotlib.patches import Circle

    ax = fig.axes[0]
    return sorted(
        (round(p.center[0], 9), round(p.center[1], 9))
        for p in ax.patches
        if isinstance(p, Circle)
    )


def texts(fig):
    return {t.get_text(): t.get_position() for t in fig.axes[0].texts}


def on_segment(p, a, b, tol=1e-9):
    """True if p lies on the segment from a to b."""
    (px, py), (ax_, ay), (bx, by) = p, a, b
    cross = (bx - ax_) * (py - ay) - (by - ay) * (px - ax_)
    inside = min(ax_, bx) - tol <= px <= max(ax_, bx) + tol
    return abs(cross) < tol * 10 and inside


# ------------------------------------------------------------------ importing


def test_importing_backprop_lib_and_draw_does_not_import_matplotlib():
    code = (
        "import sys, backprop_lib, backprop_lib.draw; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------------ network


@pytest.mark.parametrize("sizes", CASES, ids=str)
def test_network_draws_every_unit_and_connection(sizes):
    fig = draw.network(sizes)
    d = fig.drawing
    expected_units = {(ell, j) for ell, n in enumerate(sizes) for j in range(n)}
    assert set(d.units) == expected_units and len(d.units) == sum(sizes)
    expected = {((ell - 1, k), (ell, j)) for ell, j, k in every_weight(sizes)}
    assert set(d.connections) == expected
    assert len(d.connections) == sum(a * b for a, b in itertools.pairwise(sizes))
    # every unit recorded is a circle on the axes, and nothing else is
    assert circles(fig) == sorted(
        (round(x, 9), round(y, 9)) for x, y in d.positions.values()
    )
    # layers are columns left to right, unit 0 on top
    for ell, j in d.units:
        x, y = d.positions[(ell, j)]
        if j > 0:
            assert d.positions[(ell, j - 1)][1] > y
        if ell > 0:
            assert d.positions[(ell - 1, 0)][0] < x


FITTING = [s for s in CASES if max(a * b for a, b in itertools.pairwise(s)) <= 9]


@pytest.mark.parametrize("sizes", FITTING, ids=str)
def test_network_labels_each_weight_on_its_own_connection(sizes):
    fig = draw.network(sizes, weights=True)
    d = fig.drawing
    assert set(d.weight_labels) == every_weight(sizes)
    drawn = texts(fig)
    for (ell, j, k), label in d.weight_labels.items():
        # the book's symbol, receiving unit first, units counted from 1
        assert label == f"$w^{{{ell}}}_{{{j + 1}{k + 1}}}$"
        sender, receiver = d.positions[(ell - 1, k)], d.positions[(ell, j)]
        assert on_segment(drawn[label], sender, receiver)


def test_network_labels_only_the_weights_asked_for():
    sizes = [3, 4, 2, 2]
    assert set(draw.network(sizes, weights=2).drawing.weight_labels) == {
        w for w in every_weight(sizes) if w[0] == 2
    }
    assert draw.network(sizes, weights=False).drawing.weight_labels == {}
    some = [(1, 3, 0), (3, 1, 1)]
    assert set(draw.network(sizes, weights=some).drawing.weight_labels) == set(some)


def test_network_writes_each_units_values_beside_that_unit():
    net = bp.Network([2, 3, 2], seed=4)
    x, y = np.array([0.3, -0.8]), np.array([1.0, 0.0])
    result = net.backward(x, y)
    fig = draw.network(net, values=result, digits=4)
    d = fig.drawing
    # z and a computed here by hand, δ by central differences of the cost in z
    a = [x.reshape(-1, 1)]
    zs = [None]
    for ell in (1, 2):
        zs.append(net.W[ell] @ a[-1] + net.b[ell])
        a.append(1 / (1 + np.exp(-zs[-1])))

    def cost_from(ell, z):
        act = 1 / (1 + np.exp(-z))
        for m in range(ell + 1, 3):
            act = 1 / (1 + np.exp(-(net.W[m] @ act + net.b[m])))
        return 0.5 * float(np.sum((act - y.reshape(-1, 1)) ** 2))

    drawn = texts(fig)
    for ell in (1, 2):
        for j in range(net.sizes[ell]):
            h = 1e-6
            up, down = zs[ell].copy(), zs[ell].copy()
            up[j] += h
            down[j] -= h
            delta = (cost_from(ell, up) - cost_from(ell, down)) / (2 * h)
            label = d.unit_labels[(ell, j)]
            numbers = [
                float(v.replace("\u2212", "-"))
                for v in re.findall(r"=([\u2212\d.e+-]+)\$", label)
            ]
            assert numbers == pytest.approx(
                [zs[ell][j, 0], a[ell][j, 0], delta], rel=1e-3
            )
            # written to the right of its unit, at its height
            tx, ty = drawn[label]
            ux, uy = d.positions[(ell, j)]
            assert ty == pytest.approx(uy) and tx > ux
    # the input units show their activation a^0 = x only
    for k in range(2):
        assert d.unit_labels[(0, k)].startswith("$a=")
        assert "z=" not in d.unit_labels[(0, k)]


def test_labels_count_units_from_one_as_the_formulas_do():
    sizes = [2, 3, 2]
    for start in (1, 0):  # 1 by default, as in the text; 0 as the code's indices
        options = {} if start == 1 else {"start": 0}
        d = draw.network(sizes, **options).drawing
        for (ell, j, k), label in d.weight_labels.items():  # keys always from 0
            assert label == f"$w^{{{ell}}}_{{{j + start}{k + start}}}$"
    back = draw.backward(sizes, 1, unit=0)
    assert back.drawing.unit_labels[(1, 0)] == "$\\delta^{1}_{1}$"
    assert back.drawing.weight_labels[(2, 1, 0)] == "$w^{2}_{21}$"
    assert "\\delta^{1}_{1} = " in " ".join(t.get_text() for t in back.axes[0].texts)
    assert draw.paths(sizes, weight=(1, 2, 0)).drawing.weight_labels == {
        (1, 2, 0): "$w^{1}_{31}$"
    }
    split = draw.split_layers(sizes, weights=True).drawing.weight_labels
    assert split[(1, 2, 1)] == "$w^{1}_{32}$" and split[(1, 0, "b")] == "$b^{1}_{1}$"


def test_network_weight_values_are_the_networks_weights():
    net = bp.Network([2, 2, 2], seed=7)
    d = draw.network(net, weight_values=True, digits=5).drawing
    for (ell, j, k), label in d.weight_labels.items():
        value = float(re.search(r"=([^$]+)\$", label)[1].replace("\u2212", "-"))
        assert value == pytest.approx(net.W[ell][j, k], rel=1e-4)


# ------------------------------------------------------------------ paths


def count_paths(connections, start, end="C"):
    """Paths from start to end in the drawn graph, by depth-first search."""
    succ: dict = {}
    for a, b in connections:
        succ.setdefault(a, []).append(b)

    def walk(node):
        if node == end:
            return [(end,)]
        return [(node, *rest) for nxt in succ.get(node, []) for rest in walk(nxt)]

    return walk(start)


@pytest.mark.parametrize("sizes", CASES, ids=str)
def test_paths_from_every_unit_are_all_the_paths_to_the_cost(sizes):
    rng = np.random.default_rng(len(sizes) * 100 + sum(sizes))
    ell = int(rng.integers(0, len(sizes)))
    j = int(rng.integers(0, sizes[ell]))
    d = draw.paths(sizes, unit=(ell, j)).drawing
    # independently: walk every connection drawn, in the forward direction
    walked = count_paths(d.connections, (ell, j))
    assert sorted(d.paths) == sorted(walked)
    assert len(d.paths) == math.prod(sizes[ell + 1 :])
    assert len(set(d.paths)) == len(d.paths)
    edges = {(a, b) for path in d.paths for a, b in itertools.pairwise(path)}
    assert set(d.highlighted) == edges


def test_paths_from_a_weight_start_with_that_weight():
    sizes = [2, 3, 4, 2]
    d = draw.paths(sizes, weight=(1, 2, 0)).drawing
    assert len(d.paths) == 4 * 2
    assert all(p[:2] == ((0, 0), (1, 2)) for p in d.paths)
    assert d.weight_labels == {(1, 2, 0): "$w^{1}_{31}$"}


def test_paths_do_not_branch_through_an_elementwise_layer():
    # z (3 units) -> a = σ(z) elementwise -> 2 outputs: from z_1, one way to a, then
    # two ways on; drawn, a unit of the elementwise layer is fed by one unit only
    d = draw.paths([3, 3, 2], unit=(0, 1), elementwise=[1]).drawing
    assert sorted(d.paths) == sorted(count_paths(d.connections, (0, 1)))
    assert len(d.paths) == 2
    assert all(p[1] == (1, 1) for p in d.paths)
    into_layer_1 = [(a, b) for a, b in d.connections if b != "C" and b[0] == 1]
    assert sorted(into_layer_1) == [((0, j), (1, j)) for j in range(3)]
    # the same sizes, dense: 3 × 2 paths
    assert len(draw.paths([3, 3, 2], unit=(0, 1)).drawing.paths) == 6


def test_paths_from_an_output_unit_is_one_path():
    d = draw.paths([3, 2], unit=(1, 1)).drawing
    assert d.paths == [((1, 1), "C")]


# ------------------------------------------------------------------ backward


@pytest.mark.parametrize("sizes", [s for s in CASES if len(s) >= 3][:8], ids=str)
def test_backward_reverses_the_connections_into_the_next_layer(sizes):
    L = len(sizes) - 1
    for ell in range(1, L):
        d = draw.backward(sizes, ell, unit=0).drawing
        reversed_ = {
            ((ell + 1, j), (ell, k)) for j, k in np.ndindex(sizes[ell + 1], sizes[ell])
        }
        assert reversed_ <= set(d.connections)
        # the same connections are not also drawn forward
        assert not {(b, a) for a, b in reversed_} & set(d.connections)
        assert (
            len(d.connections)
            == sum(a * b for a, b in itertools.pairwise(sizes)) + sizes[-1]
        )
        # unit 0 collects one term per unit of layer ell + 1: BP2's sum
        assert set(d.highlighted) == {
            ((ell + 1, j), (ell, 0)) for j in range(sizes[ell + 1])
        }
        # by default only the arrows that meet at the unit are labelled (all of
        # them, or none if one finds no place off the crossings: said so)
        meeting = {(ell + 1, j, 0) for j in range(sizes[ell + 1])}
        if d.weight_labels or sizes[ell + 1] <= 3:
            assert set(d.weight_labels) == meeting
        else:
            assert "too many weights" in d.description
    if sizes[1] * sizes[2] <= 9:  # more labels may find no place off a crossing
        every = draw.backward(sizes, 1, weights=True).drawing
        assert set(every.weight_labels) == {
            (2, j, k) for j, k in np.ndindex(sizes[2], sizes[1])
        }


def test_backward_whole_pass_reverses_everything():
    sizes = [2, 3, 3, 2]
    d = draw.backward(sizes).drawing
    forward = {((ell - 1, k), (ell, j)) for ell, j, k in every_weight(sizes)}
    assert set(d.connections) == {(b, a) for a, b in forward} | {
        ("C", (3, j)) for j in range(2)
    }


def test_backward_writes_delta_values():
    net = bp.Network([2, 3, 2], seed=1)
    result = net.backward([0.5, -0.2], [0.0, 1.0])
    d = draw.backward(net, 1, values=result, digits=6).drawing
    for j in range(3):
        text = d.unit_labels[(1, j)]
        value = float(re.search(r"=([^$]+)\$", text)[1].replace("\u2212", "-"))
        assert value == pytest.approx(result.delta[1][j, 0], rel=1e-5)


@pytest.mark.parametrize("sizes", CASES[:6], ids=str)
def test_overview_uses_every_connection_once_forward_and_once_backward(sizes):
    d = draw.overview(sizes).drawing
    forward = {
        (("forward", ell - 1, k), ("forward", ell, j))
        for ell, j, k in every_weight(sizes)
    } | {(("forward", len(sizes) - 1, j), ("forward", "C")) for j in range(sizes[-1])}
    backward = {
        (("backward", b[1], b[2]) if b[1] != "C" else ("backward", "C"),
         ("backward", a[1], a[2]) if a[1] != "C" else ("backward", "C"))
        for a, b in forward
    }  # fmt: skip
    assert set(d.connections) == forward | backward
    assert len(d.connections) == len(forward) + len(backward)
    assert len(d.units) == 2 * (sum(sizes) + 1)
    # forward arrows point right, backward arrows left
    for a, b in d.connections:
        ax_, bx = d.positions[a][0], d.positions[b][0]
        assert (bx > ax_) if a[0] == "forward" else (bx < ax_)


# ------------------------------------------------------------------ split view


@pytest.mark.parametrize("sizes", CASES[:10], ids=str)
def test_split_layers_has_two_modules_per_layer_and_a_bias_input(sizes):
    L = len(sizes) - 1
    fig = draw.split_layers(sizes, weights=max(sizes) <= 2)
    d = fig.drawing
    assert len(d.modules) == 2 * L
    # a^0..a^L, z^1..z^L, one constant input per linear layer, the cost
    assert len(d.units) == sum(sizes) + sum(sizes[1:]) + L + 1
    assert sum(1 for u in d.units if u[0] == "1") == L
    # each linear layer: n_ell (n_{ell-1} + 1) weights, the bias included;
    # each activation layer: one connection per unit; then the outputs to C
    assert (
        len(d.connections)
        == sum(n * (n_prev + 1) for n_prev, n in itertools.pairwise(sizes))
        + sum(sizes[1:])
        + sizes[-1]
    )
    biases = {key for key in d.weight_labels if key[2] == "b"}
    assert len(biases) == (sum(sizes[1:]) if max(sizes) <= 2 else 0)
    assert circles(fig) == sorted(
        (round(x, 9), round(y, 9)) for x, y in d.positions.values()
    )


def test_split_layers_in_hoeys_notation_counts_from_one_with_bias_at_zero():
    d = draw.split_layers([2, 3, 1], notation="hoey", weights=True).drawing
    assert d.weight_labels[(1, 0, "b")] == "$w^{0}_{10}$"
    assert d.weight_labels[(1, 2, 1)] == "$w^{0}_{32}$"
    assert d.weight_labels[(2, 0, 2)] == "$w^{2}_{13}$"
    assert d.modules == ["linear 0", "activation 1", "linear 2", "activation 3"]


# ------------------------------------------------------------------ legibility


def crossings(d):
    """Every point where two drawn lines cross (not where they meet at a unit)."""
    found = []
    for (ka, (a0, a1)), (kb, (b0, b1)) in itertools.combinations(d.segments.items(), 2):
        if set(ka) & set(kb):
            continue
        den = (a1[0] - a0[0]) * (b1[1] - b0[1]) - (a1[1] - a0[1]) * (b1[0] - b0[0])
        if abs(den) < 1e-12:
            continue
        u = (
            (b0[0] - a0[0]) * (b1[1] - b0[1]) - (b0[1] - a0[1]) * (b1[0] - b0[0])
        ) / den
        v = (
            (b0[0] - a0[0]) * (a1[1] - a0[1]) - (b0[1] - a0[1]) * (a1[0] - a0[0])
        ) / den
        if 1e-9 < u < 1 - 1e-9 and 1e-9 < v < 1 - 1e-9:
            found.append((a0[0] + u * (a1[0] - a0[0]), a0[1] + u * (a1[1] - a0[1])))
    return found


def passes_through(segment, box, samples=200):
    """True if the segment has points strictly inside the box (sampled)."""
    (x0, y0), (x1, y1) = segment
    return any(
        box[0] < x0 + t * (x1 - x0) < box[2] and box[1] < y0 + t * (y1 - y0) < box[3]
        for t in np.linspace(0, 1, samples)
    )


def assert_legible(fig):
    """No two texts overlap, no weight label holds a crossing of two lines, no line
    runs under the values beside a unit, every text inside the figure and at least
    9 px where the page shows it (the figure shrunk to the 688-px column)."""
    d = fig.drawing
    ax = fig.axes[0]
    boxes = d.label_boxes
    # the record is the artists': every text on the axes has its box recorded
    renderer = fig.canvas.get_renderer()
    inverse = ax.transData.inverted()
    recorded = sorted(boxes.values())
    for text in ax.texts:
        if not text.get_text().strip() or text.get_text() in ("$C$", "1"):
            continue  # the text inside a unit's circle
        extent = text.get_window_extent(renderer)
        (x0, y0), (x1, y1) = inverse.transform(
            [(extent.x0, extent.y0), (extent.x1, extent.y1)]
        )
        assert any(
            b[0] <= x0 + 1e-6 and x1 <= b[2] + 1e-6 and b[1] <= y0 + 1e-6
            and y1 <= b[3] + 1e-6
            for b in recorded
        ), f"text {text.get_text()!r} is not in the record"  # fmt: skip
    for (ka, a), (kb, b) in itertools.combinations(boxes.items(), 2):
        overlap = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
        assert min(overlap) <= 1e-9, f"{ka} overlaps {kb}"
    points = crossings(d)
    for key, box in boxes.items():
        if key[0] == "weight":
            inside = [
                p for p in points if box[0] < p[0] < box[2] and box[1] < p[1] < box[3]
            ]
            assert not inside, f"{key} sits on a crossing of two lines at {inside[0]}"
        if key[0] == "unit":
            hit = [k for k, seg in d.segments.items() if passes_through(seg, box)]
            assert not hit, f"the line {hit[0]} runs under the values of {key[1]}"
        (xlo, xhi), (ylo, yhi) = ax.get_xlim(), ax.get_ylim()
        assert xlo <= box[0] and box[2] <= xhi and ylo <= box[1] and box[3] <= yhi, key
    width_px = fig.get_size_inches()[0] * 96
    shrink = min(1.0, 688 / width_px)
    for key, size in d.font_sizes.items():
        assert size * 96 / 72 * shrink >= 9, f"{key}: {size} pt is under 9 px"


DRAWS = [random_sizes(np.random.default_rng(1000 + seed), 4, 4) for seed in range(30)]


@pytest.mark.parametrize("sizes", DRAWS, ids=str)
def test_labels_never_collide_for_random_sizes(sizes):
    """Thirty random networks (2 to 4 layers of 1 to 4 units), drawn every way a
    chapter draws them: weights labelled where they fit, values beside units, δ
    flowing back with its weights, the paths of a weight, the split view."""
    rng = np.random.default_rng(sum(sizes) * 31 + len(sizes))
    net = bp.Network(sizes, seed=int(rng.integers(1000)))
    result = net.backward(rng.normal(size=sizes[0]), rng.uniform(size=sizes[-1]))
    figures = [draw.network(net), draw.network(net, values=result, weights=False)]
    try:
        figures.append(draw.network(net, weight_values=True, digits=2, show=()))
    except draw.LabelPlacementError:
        # said plainly, and only for a pair of layers with many connections
        assert max(a * b for a, b in itertools.pairwise(sizes)) > 6, sizes
    L = len(sizes) - 1
    ell = int(rng.integers(1, L + 1))
    if ell < L:
        figures.append(draw.backward(net, ell, unit=int(rng.integers(sizes[ell]))))
    figures.append(draw.backward(net, ell, values=result, digits=4))
    j, k = int(rng.integers(sizes[ell])), int(rng.integers(sizes[ell - 1]))
    figures.append(draw.paths(net, weight=(ell, j, k)))
    if max(sizes) <= 2:
        figures.append(draw.split_layers(net, weights=True))
    figures.append(draw.overview(net))
    for fig in figures:
        assert_legible(fig)


def test_labels_of_the_weights_fit_up_to_three_units_a_layer():
    """Every weight labelled, for every network of up to 3 units a layer and 3
    layers: the placement never gives up on these (the book's figures)."""
    for sizes in itertools.product([1, 2, 3], repeat=3):
        assert_legible(draw.network(list(sizes), weights=True))


def test_too_many_labels_is_a_clear_error_and_auto_leaves_them_out():
    sizes = [5, 5, 5, 5, 5]
    with pytest.raises(draw.LabelPlacementError, match="weights"):
        draw.network(sizes, weights=True)
    fig = draw.network(sizes)  # "auto"
    assert fig.drawing.weight_labels == {}
    assert "too many weights" in fig.drawing.description


def test_autodiff_graph_text_is_legible_at_the_column_width():
    from backprop_lib.autodiff import Value

    w, x, b, y = Value(0.5), Value(2.0), Value(-0.5), Value(1.0)
    cost = 0.5 * ((w * x + b).sigmoid() - y) ** 2
    fig = draw.draw_graph(cost)
    width_px = fig.get_size_inches()[0] * 96
    shown = fig.drawing.font_size * 96 / 72 * min(1.0, 688 / width_px)
    assert shown >= 9
    texts = [t for t in fig.axes[0].texts if t.get_text()]
    assert {t.get_fontsize() for t in texts} == {fig.drawing.font_size}


# ------------------------------------------------------------------ output


def test_figures_fit_the_column_and_are_svg():
    net = bp.Network([2, 3, 2], seed=0)
    figures = [
        draw.network(net, values=net.backward([1, 0], [0, 1])),
        draw.paths(net, unit=(1, 0)),
        draw.backward(net, 1, unit=2),
        draw.split_layers(net, weights=True),
        draw.overview(net),
        draw.network([4, 12, 12, 12, 12, 12, 12, 3]),
    ]
    for fig in figures:
        assert fig.get_size_inches()[0] <= 7.0
        svg = fig._repr_svg_()
        assert "<svg" in svg
        assert svg == fig._repr_svg_()  # reproducible: no date, fixed ids


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("call", "names"),
    [
        (lambda: draw.network([2, 0, 1]), "net"),
        (lambda: draw.network("2-3-1"), "net"),
        (lambda: draw.network([2, 13, 1]), "net"),
        (lambda: draw.network([2, 3], weights=3), "weights"),
        (lambda: draw.network([2, 3], weights=[(1, 3, 0)]), "weights[0][1]"),
        (lambda: draw.network([2, 3], highlight=[(2, 0)]), "highlight[0][0]"),
        (lambda: draw.network([2, 3], show=("q",)), "show"),
        (lambda: draw.network([2, 3], weight_values=True), "weight_values"),
        (
            lambda: draw.network([2, 3], values={"z": [None, np.zeros(4)]}),
            "values['z'][1]",
        ),
        (lambda: draw.network([2, 3], values={"z": [None]}), "values['z']"),
        (lambda: draw.paths([2, 3, 1], unit=(1, 3)), "unit[1]"),
        (lambda: draw.paths([2, 3, 1], unit=(3, 0)), "unit[0]"),
        (lambda: draw.paths([2, 3, 1], weight=(0, 0, 0)), "weight[0]"),
        (lambda: draw.paths([2, 3, 1], weight=(1, 0, 2)), "weight[2]"),
        (lambda: draw.paths([2, 3, 1]), "unit"),
        (lambda: draw.paths([2, 3, 1], unit=(0, 0), weight=(1, 0, 0)), "unit"),
        (lambda: draw.paths([12] * 8, unit=(0, 0)), "paths"),
        (lambda: draw.backward([2, 3, 1], 0), "layer"),
        (lambda: draw.backward([2, 3, 1], 3), "layer"),
        (lambda: draw.backward([2, 3, 1], 1, unit=3), "unit"),
        (lambda: draw.backward([2, 3, 1], unit=0), "unit"),
        (lambda: draw.split_layers([2, 3, 1], notation="nielsen"), "notation"),
        (lambda: draw.paths([2, 3, 1], unit=(0, 0), elementwise=[1]), "elementwise[0]"),
        (lambda: draw.network([2, 3, 1], layer_names=["x", "y"]), "layer_names"),
        (lambda: draw.network([2, 3, 1], start=2), "start"),
    ],
)
def test_bad_input_is_a_value_error_naming_the_argument(call, names):
    with pytest.raises(ValueError) as info:
        call()
    assert names in str(info.value)


# ------------------------------------------------------------------ the chapters

DERIVATIONS = [
    "chain-rule",
    "one-weight-deep",
    "four-equations",
    "bishop-5-55",
    "split-layers",
    "softmax",
]
CELL = re.compile(
    r"```\{code-cell\}[^\n]*\n(?:---\n(?P<meta>.*?)\n---\n)?(?P<src>.*?)```", re.S
)


def figure_cells(chapter):
    import yaml

    path = Path(__file__).resolve().parents[1] / "chapters" / f"{chapter}.md"
    cells = []
    for match in CELL.finditer(path.read_text()):
        if re.search(r"\bdraw\.\w+\(", match["src"]):
            cells.append((yaml.safe_load(match["meta"] or "") or {}, match["src"]))
    return cells


def test_every_derivation_chapter_has_drawn_figures_with_alt_text_and_caption():
    total = 0
    for chapter in DERIVATIONS:
        cells = figure_cells(chapter)
        assert cells, f"{chapter} has no figure drawn by backprop_lib.draw"
        for meta, src in cells:
            nb = meta.get("mystnb", {})
            caption = nb.get("figure", {}).get("caption", "")
            alt = nb.get("image", {}).get("alt", "")
            assert len(caption.split()) >= 8, (chapter, src)
            # alt text says what is drawn, in words, not a file name or the caption
            assert len(alt.split()) >= 12 and alt != caption, (chapter, src)
        total += len(cells)
    assert total >= 12


def test_the_landing_page_shows_the_big_picture_before_any_formula():
    path = Path(__file__).resolve().parents[1] / "chapters" / "index.md"
    text = path.read_text()
    figure = text.index("draw.overview(")
    body = text.split("\n---\n", 1)[1]  # after the notebook header
    before = body[: body.index("draw.overview(")]
    assert "$$" not in before and "\\frac" not in before
    assert figure > 0 and figure_cells_in(text)


def figure_cells_in(text):
    return [m for m in CELL.finditer(text) if "draw." in m["src"]]


FIGURE = re.compile(r"<figure\b.*?</figure>", re.S)
IMG = re.compile(r"<img\b[^>]*>")


def attribute(tag, name):
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return html_lib.unescape(found[1]) if found else ""


@pytest.mark.book
def test_built_pages_show_the_figures_as_svg_with_alt_text_and_caption(built_book):
    total = 0
    for chapter in [*DERIVATIONS, "index"]:
        page = built_book / "chapters" / f"{chapter}.html"
        text = page.read_text()
        figures = []
        for figure in FIGURE.findall(text):
            for img in IMG.findall(figure):
                if attribute(img, "src").endswith(".svg"):
                    figures.append((figure, img))
        assert figures, f"{chapter}: no SVG figure"
        for figure, img in figures:
            alt = attribute(img, "alt")
            assert len(alt.split()) >= 12 and not alt.endswith(".svg"), (chapter, alt)
            caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S)
            assert caption and re.sub(r"<[^>]+>", "", caption[1]).strip(), chapter
            svg = (page.parent / attribute(img, "src")).resolve().read_text()
            width_pt = float(re.search(r'<svg[^>]*\bwidth="([\d.]+)pt"', svg)[1])
            assert width_pt <= 7 * 72, (chapter, width_pt)  # fits the text column
        if chapter != "index":
            total += len(figures)
        # the dark-mode rule for these figures is on the page
        assert re.search(r'<link[^>]+href="[^"]*figures\.css', text), chapter
    assert total >= 12
