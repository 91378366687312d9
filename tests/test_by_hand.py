"""The worked example of chapters/by-hand.md: Mazur's published figures.

The figures below are typed in from M. Mazur, "A Step by Step Backpropagation
Example" (2015), not taken from the chapter's output. The numpy core recomputes
them here, and the built page must show them.
"""

from __future__ import annotations

import html as html_lib
import re
from decimal import Decimal

import numpy as np
import pytest

import backprop_lib as bp

# His weights by his names; his equations net_h1 = w1*i1 + w2*i2 + b1, ...,
# net_o2 = w7*out_h1 + w8*out_h2 + b2 put w_n in row j (receiving unit), column k.
W1 = np.array([[0.15, 0.20], [0.25, 0.30]])  # [[w1, w2], [w3, w4]]
W2 = np.array([[0.40, 0.45], [0.50, 0.55]])  # [[w5, w6], [w7, w8]]
B1, B2 = 0.35, 0.60
WHERE = {  # his weight -> (ell, row j, column k) of the library's W[ell]
    "w1": (1, 0, 0),
    "w2": (1, 0, 1),
    "w3": (1, 1, 0),
    "w4": (1, 1, 1),
    "w5": (2, 0, 0),
    "w6": (2, 0, 1),
    "w7": (2, 1, 0),
    "w8": (2, 1, 1),
}
X = np.array([0.05, 0.10])
Y = np.array([0.01, 0.99])
ETA = 0.5

PUBLISHED = {
    "out_h1": "0.593269992",
    "out_h2": "0.596884378",
    "net_o1": "1.105905967",
    "out_o1": "0.75136507",
    "out_o2": "0.772928465",
    "E_total": "0.298371109",
    "dE/dw5": "0.082167041",
    "dE/dw1": "0.000438568",
    "w1+": "0.149780716",
    "w2+": "0.19956143",
    "w3+": "0.24975114",
    "w4+": "0.29950229",
    "w5+": "0.35891648",
    "w6+": "0.408666186",
    "w7+": "0.511301270",
    "w8+": "0.561370121",
}


# His figures after the first step and after 10,000 steps, biases kept fixed.
AFTER_ONE_STEP = "0.291027924"
AFTER_10000 = "0.0000351085"
OUTPUTS_10000 = ("0.015912196", "0.984065734")


def _train_weights_only(steps: int) -> tuple[list[float], list[np.ndarray]]:
    """Mazur's training: the weights updated, the biases not; cost before each step."""
    net = _net()
    costs, outputs = [], []
    for _ in range(steps + 1):
        r = net.backward(X, Y)
        costs.append(r.cost)
        outputs.append(r.trace.a[2][:, 0].copy())
        for ell in (1, 2):
            net.W[ell] -= ETA * r.grad_W[ell]
    return costs, outputs


def _net() -> bp.Network:
    return bp.Network.from_params(
        [W1, W2], [np.full(2, B1), np.full(2, B2)], activation="sigmoid"
    )


def _ours() -> dict[str, float]:
    net = _net()
    r = net.backward(X, Y)
    net.sgd_step(X, Y, ETA)
    ours = {
        "out_h1": r.trace.a[1][0, 0],
        "out_h2": r.trace.a[1][1, 0],
        "net_o1": r.trace.z[2][0, 0],
        "out_o1": r.trace.a[2][0, 0],
        "out_o2": r.trace.a[2][1, 0],
        "E_total": r.cost,
        "dE/dw5": r.grad_W[2][0, 0],
        "dE/dw1": r.grad_W[1][0, 0],
    }
    for name, (ell, j, k) in WHERE.items():
        ours[f"{name}+"] = net.W[ell][j, k]
    return ours


def _rounded_like(value: float, figure: str) -> str:
    decimals = len(figure.split(".")[1])
    return str(Decimal(repr(float(value))).quantize(Decimal(10) ** -decimals))


def test_numpy_core_confirms_mazurs_figures():
    ours = _ours()
    for name, figure in PUBLISHED.items():
        assert _rounded_like(ours[name], figure) == figure, (name, ours[name])


def test_gradcheck_agrees_on_the_example():
    assert bp.gradcheck(_net(), X, Y).max_error < 1e-6


@pytest.mark.book
def test_page_shows_the_published_figures(built_book):
    page = (built_book / "chapters" / "by-hand.html").read_text()
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", page))
    for name, figure in PUBLISHED.items():
        assert figure in text, f"{name} = {figure} is not on the page"
    ours = _ours()
    # the tables print 9 significant digits of the numpy core's values
    for name in ("E_total", "w5+", "w1+", "dE/dw1"):
        assert f"{ours[name]:#.9g}" in text, name
    # the diagrams: SVG figures drawn in the chapter, each with alt text in words
    figures = re.findall(r'<img alt="([^"]+)" src="[^"]*_images/[^"]+\.svg"', page)
    assert len(figures) >= 3, figures
    assert all(len(alt.split()) >= 10 for alt in figures), figures
    assert "mattmazur.com" in page
    # the exercises are sphinx-exercise's, numbered
    assert len(re.findall(r'class="[^"]*\bexercise\b', page)) >= 2
    assert "seed" not in text.lower()


def test_his_error_after_one_step_differs_in_the_seventh_digit():
    costs, _ = _train_weights_only(1)
    assert _rounded_like(costs[1], AFTER_ONE_STEP) == "0.291027774"
    assert abs(costs[1] - float(AFTER_ONE_STEP)) > 1e-7


def test_his_error_after_10000_steps_is_the_one_after_9999():
    costs, outputs = _train_weights_only(10_000)
    assert _rounded_like(costs[9_999], AFTER_10000) == AFTER_10000
    assert _rounded_like(costs[10_000], AFTER_10000) != AFTER_10000
    for k in (9_999, 10_000):
        for j in range(2):
            assert abs(outputs[k][j] - float(OUTPUTS_10000[j])) < 5e-6


@pytest.mark.book
def test_page_names_the_post_step_figures(built_book):
    page = (built_book / "chapters" / "by-hand.html").read_text(encoding="utf-8")
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", page))
    for figure in (AFTER_ONE_STEP, AFTER_10000, *OUTPUTS_10000):
        assert figure in text
