"""The δ explorer with a live kernel: Voila on 127.0.0.1, driven by headless Chromium.

A small notebook (written by the test) shows an explorer and, next to it, an HTML
widget that Python rewrites after every change with ``explorer.result`` from the
numpy core. Moving a slider in the browser must update that Python mirror, and the
numbers must equal the ones the explorer displays; a Python-side SGD step must
update the display. No script comes from outside the machine: Voila serves
ipywidgets' and anywidget's front ends from the installed lab extensions (only
Voila's own page template asks a CDN for an icon font's style sheet).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import numpy as np
import pytest

import backprop_lib as bp

from .servers import start_voila, stop_voila

pytestmark = pytest.mark.browser

NOTEBOOK_CELLS = [
    """\
import html
import json

import ipywidgets as widgets
import numpy as np

import backprop_lib as bp
from backprop_lib.widgets import DeltaExplorer

net = bp.Network([2, 3, 2], activation="sigmoid", cost="quadratic", seed=1)
explorer = DeltaExplorer(net, [0.5, -1.0], [1.0, 0.0])
mirror = widgets.HTML()
updates = 0


def show(change=None):
    global updates
    updates += 1
    r = explorer.result
    data = {
        "updates": updates,
        "weights": [w.tolist() for w in explorer.net.W[1:]],
        "biases": [b[:, 0].tolist() for b in explorer.net.b[1:]],
        "x": explorer.x,
        "y": explorer.y,
        "cost_name": explorer.cost_name,
        "output_activation": explorer.output_activation,
        "delta": [d[:, 0].tolist() for d in r.delta[1:]],
        "cost": r.cost,
        "sizes": list(explorer.sizes),
        "activation": explorer.activation,
        "epoch": explorer.dataset.get("epoch"),
        "dataset_cost": explorer.training_cost() if explorer.dataset else None,
    }
    text = html.escape(json.dumps(data))
    mirror.value = f"<pre class='py-mirror'>{text}</pre>"


explorer.observe(show, names="result")
show()
step = widgets.Button(description="Python SGD step")
step.on_click(lambda _: explorer.sgd_step(0.5))
""",
    "display(explorer, mirror, step)",
]

PY_MIRROR = """() => {
  const el = document.querySelector('.py-mirror');
  return el ? JSON.parse(el.textContent) : null;
}"""

DISPLAYED = """() => {
  const root = document.querySelector('.bpx');
  const q = (sel) => [...root.querySelectorAll(sel)];
  return {
    delta: q('svg [data-role=delta]').map((e) => [+e.dataset.layer, +e.dataset.unit,
      e.textContent, e.getAttribute('data-value')]),
    weights: q('input[type=range][data-role=weight]').map((e) => [+e.dataset.layer,
      +e.dataset.row, +e.dataset.col, e.getAttribute('data-value')]),
    cost_name: root.dataset.costName,
  };
}"""


def write_notebook(directory: Path) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in NOTEBOOK_CELLS]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, directory / "explorer.ipynb")
    return "explorer.ipynb"


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory):
    directory = tmp_path_factory.mktemp("voila")
    proc, url = start_voila(directory, write_notebook(directory))
    yield url
    stop_voila(proc)


def open_explorer(browser, url: str):
    """A page with the explorer rendered by Voila; requests off 127.0.0.1 are
    aborted and recorded in ``page.external``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    external: list[str] = []

    def handle(route):
        if route.request.url.startswith("http://127.0.0.1"):
            route.continue_()
        else:
            external.append((route.request.resource_type, route.request.url))
            route.abort()

    context.route("**/*", handle)
    page = context.new_page()
    page.errors = []
    page.external = external
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(url, timeout=90_000)
    page.wait_for_selector(".bpx [data-role=delta]", timeout=90_000)
    page.wait_for_function(f"({PY_MIRROR})() !== null", timeout=30_000)
    return context, page


def agrees_to_display(text: str, value: float) -> bool:
    if value == 0:
        return float(text) == 0
    tol = 0.5001 * 10 ** (np.floor(np.log10(abs(value))) - 3)
    return abs(float(text) - value) <= tol


def assert_python_equals_display(page, py: dict) -> None:
    shown = page.evaluate(DISPLAYED)
    for ell, unit, text, value in shown["delta"]:
        ref = py["delta"][ell - 1][unit - 1]
        assert agrees_to_display(text, ref), (ell, unit, text, ref)
        assert float(value) == pytest.approx(ref, rel=1e-9, abs=1e-15)
    for ell, j, k, value in shown["weights"]:
        assert float(value) == py["weights"][ell - 1][j - 1][k - 1]
    # and Python's numbers are the core's for those weights
    net = bp.Network.from_params(
        [np.array(w) for w in py["weights"]],
        [np.array(b) for b in py["biases"]],
        activation=py["activation"],
        output_activation=py["output_activation"],
        cost=py["cost_name"],
    )
    r = net.backward(np.array(py["x"]), np.array(py["y"]))
    for ell in range(1, net.L + 1):
        np.testing.assert_allclose(
            r.delta[ell][:, 0], py["delta"][ell - 1], rtol=1e-14, atol=0
        )


# Python's mirror has caught up with the page: it has seen more than `n` updates, and
# its network, example, choices and training epoch are the ones the page shows.
MIRROR_MATCHES_PAGE = f"""(n) => {{
  const d = ({PY_MIRROR})();
  if (!d || d.updates <= n) return false;
  const root = document.querySelector('.bpx');
  const num = (sel) =>
    [...root.querySelectorAll(sel)].map((e) => +e.getAttribute('data-value'));
  const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
  const panel = root.querySelector('[data-role=train-panel]');
  const epoch = panel && !panel.hidden
    ? +root.querySelector('[data-role=epoch]').getAttribute('data-value') : null;
  return same(d.weights.flat(2), num('input[type=range][data-role=weight]'))
    && same(d.biases.flat(), num('input[type=range][data-role=bias]'))
    && same(d.x, num('input[data-role=input]'))
    && same(d.y, num('input[data-role=target]'))
    && d.activation === root.dataset.activation
    && d.output_activation === root.dataset.outputActivation
    && d.cost_name === root.dataset.costName
    && (epoch === null || d.epoch === null || d.epoch === epoch);
}}"""


def wait_for_update(page, after: int, timeout: float = 15) -> dict:
    """Python's mirror once it has caught up with the page (no fixed wait)."""
    page.wait_for_function(MIRROR_MATCHES_PAGE, arg=after, timeout=timeout * 1000)
    return page.evaluate(PY_MIRROR)


def test_slider_moves_update_the_python_mirror(browser, voila_url):
    context, page = open_explorer(browser, voila_url)
    try:
        py = page.evaluate(PY_MIRROR)
        assert_python_equals_display(page, py)
        slider = page.locator(
            '.bpx input[type=range][data-role=weight][data-layer="2"]'
            '[data-row="1"][data-col="1"]'
        )
        for value in ["1.25", "-2.5", "0.4"]:
            n = py["updates"]
            slider.fill(value)
            py = wait_for_update(page, n)
            assert py["weights"][1][0][0] == float(value)
            assert_python_equals_display(page, py)
        # the keyboard, too
        n = py["updates"]
        slider.focus()
        page.keyboard.press("ArrowLeft")
        py = wait_for_update(page, n)
        assert py["weights"][1][0][0] == pytest.approx(0.39)
        assert_python_equals_display(page, py)
        # a selector: Python rebuilds the network with the new cost
        n = py["updates"]
        page.locator(".bpx select[data-role=cost_name-select]").select_option(
            "cross_entropy"
        )
        py = wait_for_update(page, n)
        assert py["cost_name"] == "cross_entropy"
        assert_python_equals_display(page, py)
        # Voila's page template asks a CDN for Font Awesome's style sheet (aborted
        # here: icons only); every script, the widget front ends included, is local
        scripts = [url for kind, url in page.external if kind != "stylesheet"]
        assert scripts == [], "the widgets must work without a CDN"
        assert page.errors == []
    finally:
        context.close()


def test_python_side_changes_update_the_display(browser, voila_url):
    context, page = open_explorer(browser, voila_url)
    try:
        py = page.evaluate(PY_MIRROR)
        before = page.evaluate(DISPLAYED)["weights"]
        n = py["updates"]
        page.get_by_role("button", name="Python SGD step").click()
        py = wait_for_update(page, n)
        page.wait_for_function(
            f"(w) => JSON.stringify(({DISPLAYED})().weights) !== w",
            arg=json.dumps(before),
            timeout=15_000,
        )
        assert_python_equals_display(page, py)
        assert page.errors == []
    finally:
        context.close()


def test_architecture_edits_and_training_reach_python(browser, voila_url):
    """In a kernel, explorer.net follows the shape edited in the page and
    explorer.result is net.backward on it; after training in the page, Python reads
    the data set and the trained weights and finds the cost the page shows."""
    context, page = open_explorer(browser, voila_url)
    try:
        py = page.evaluate(PY_MIRROR)
        root = page.locator(".bpx")
        for role, layer, sizes in [
            ("add-unit", "1", [2, 4, 2]),
            ("add-layer", None, [2, 4, 4, 2]),
            ("remove-unit", "2", [2, 4, 3, 2]),
        ]:
            n = py["updates"]
            sel = f"[data-role={role}]" + (f'[data-layer="{layer}"]' if layer else "")
            root.locator(sel).click()
            py = wait_for_update(page, n)
            assert py["sizes"] == sizes
            assert [np.array(w).shape for w in py["weights"]] == [
                (sizes[i + 1], sizes[i]) for i in range(len(sizes) - 1)
            ]
            assert_python_equals_display(page, py)
        n = py["updates"]
        root.locator("select[data-role=dataset-select]").select_option("circles")
        py = wait_for_update(page, n)
        assert py["sizes"] == [2, 4, 3, 1]
        for _ in range(4):
            n = py["updates"]
            root.locator("[data-role=train-step]").click()
            py = wait_for_update(page, n)
        assert py["epoch"] == 4
        cost = root.locator("[data-role=train-cost]")
        shown = float(cost.get_attribute("data-value"))
        assert py["dataset_cost"] == pytest.approx(shown, rel=1e-9)
        assert_python_equals_display(page, py)
        assert page.errors == []
    finally:
        context.close()
