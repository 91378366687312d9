"""The δ explorer on the built static page, in a real headless Chromium, no kernel.

The page is chapters/watch-delta.html from the real ``jupyter-book build -W``
(``built_book``), with CDN requests answered from local npm copies. Every check
compares what the page shows with the numpy core, computed here for the weights the
page holds (read exactly from the ``data-value`` attributes of the sliders).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

import backprop_lib as bp
from backprop_lib._explorer_spec import STATE_NAMES

from .conftest import eventually
from .webassets import axe_source, route_cdns

pytestmark = [pytest.mark.book, pytest.mark.browser]

PAGE = "chapters/watch-delta.html"

READ_STATE = """(i) => {
  const root = document.querySelectorAll(".bpx")[i];
  const q = (sel) => [...root.querySelectorAll(sel)];
  const params = (role) => q(`input[type=range][data-role=${role}]`).map((e) => ({
    layer: +e.dataset.layer, row: +e.dataset.row, col: +(e.dataset.col || 0),
    value: e.getAttribute("data-value"), min: e.min, max: e.max,
  }));
  const shown = (sel) => q(sel).map((e) => ({
    layer: +e.dataset.layer, unit: +e.dataset.unit, text: e.textContent,
    value: e.getAttribute("data-value"), state: e.getAttribute("data-state"),
    svg: e instanceof SVGElement,
  }));
  return {
    activation: root.dataset.activation,
    output_activation: root.dataset.outputActivation,
    cost_name: root.dataset.costName,
    step: +root.dataset.step,
    weights: params("weight"),
    biases: params("bias"),
    x: q("input[data-role=input]").map((e) => e.getAttribute("data-value")),
    y: q("input[data-role=target]").map((e) => e.getAttribute("data-value")),
    z: shown("[data-role=z]"),
    a: shown("[data-role=a]"),
    delta: shown("[data-role=delta]"),
    costText: root.querySelector("[data-role=cost]").textContent,
    message: root.querySelector("[data-role=message]").hidden
      ? "" : root.querySelector("[data-role=message]").textContent,
    equation: root.querySelector("[data-role=equation]").textContent,
    stage: root.querySelector("[data-role=stage]").textContent,
    gradW: q("[data-role=grad-w]").map((e) => e.getAttribute("data-state")),
    gradB: q("[data-role=grad-b]").map((e) => e.getAttribute("data-state")),
    edges: q("[data-role=edge]").map((e) => ({
      layer: +e.dataset.layer, state: e.getAttribute("data-state") })),
    text: root.textContent,
  };
}"""


@pytest.fixture
def explorer_page(site_url, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    external: list[str] = []
    route_cdns(context, external)
    page = context.new_page()
    page.errors = []
    page.requests = []
    page.external = external
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(f"{site_url}/{PAGE}")
    page.wait_for_function(
        "() => document.querySelectorAll('.bpx [data-role=delta]').length > 0 "
        "&& document.querySelectorAll('.bpx').length === 5",
        timeout=30_000,
    )
    yield page
    context.close()


# ---------------------------------------------------------------- helpers


def page_dataset(name: str, n: int, seed: int) -> dict:
    """The data set the page generates (js/explorer/datasets.js, run in Node)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("this test needs Node.js (`node`; `make chromium` installs npm)")
    module = Path(__file__).resolve().parents[1] / "js" / "explorer" / "datasets.js"
    code = (
        f"import {{ makeDataset }} from {json.dumps(module.as_uri())};"
        f"const d = makeDataset({json.dumps(name)}, {n}, {seed});"
        "process.stdout.write(JSON.stringify(d));"
    )
    out = subprocess.run(
        [node, "--input-type=module", "-e", code],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def state(page, i=0) -> dict:
    return page.evaluate(READ_STATE, i)


def network_of(st) -> tuple[bp.Network, np.ndarray, np.ndarray]:
    """The network the page holds, built by the numpy core from its exact numbers."""
    L = max(p["layer"] for p in st["weights"])
    W, b = [], []
    for ell in range(1, L + 1):
        ws = [p for p in st["weights"] if p["layer"] == ell]
        rows, cols = max(p["row"] for p in ws), max(p["col"] for p in ws)
        Wl = np.full((rows, cols), np.nan)
        for p in ws:
            Wl[p["row"] - 1, p["col"] - 1] = float(p["value"])
        bl = np.array(
            [float(p["value"]) for p in st["biases"] if p["layer"] == ell]
        ).reshape(-1, 1)
        W.append(Wl)
        b.append(bl)
    net = bp.Network.from_params(
        W,
        b,
        activation=st["activation"],
        output_activation=st["output_activation"],
        cost=st["cost_name"],
    )
    x = np.array([float(v) for v in st["x"]])
    y = np.array([float(v) for v in st["y"]])
    return net, x, y


def agrees_to_display(text: str, value: float) -> bool:
    """`text` is `value` to the displayed precision (4 significant digits)."""
    shown = float(text)
    if value == 0:
        return shown == 0
    return abs(shown - value) <= 0.5001 * 10 ** (np.floor(np.log10(abs(value))) - 3)


def assert_display_matches_core(st) -> bp.BackwardResult:
    net, x, y = network_of(st)
    r = net.backward(x, y)
    assert agrees_to_display(st["costText"], r.cost), (st["costText"], r.cost)
    checked = 0
    for role, source in (("z", r.trace.z), ("a", r.trace.a), ("delta", r.delta)):
        for el in st[role]:
            ref = source[el["layer"]][el["unit"] - 1, 0]
            assert "NaN" not in el["text"]
            assert agrees_to_display(el["text"], ref), (role, el, ref)
            if el["value"]:  # full precision: the browser's arithmetic is the core's
                assert float(el["value"]) == pytest.approx(ref, rel=1e-9, abs=1e-15)
            checked += 1
    # every neuron has its z, a and δ in the diagram and in the table
    n_hidden_out = sum(net.sizes[1:])
    assert checked == 2 * (3 * n_hidden_out + net.sizes[0])
    return r


def move(page, selector: str, value: str) -> None:
    """Set an <input type=range> as a drag would, firing its input event (its
    layer's slider group unfolded first, as a reader would)."""
    el = page.locator(selector)
    el.evaluate("(e) => { const d = e.closest('details'); if (d) d.open = true; }")
    el.fill(value)


def weight(ell, j, k, i=0):
    return (
        f".bpx >> nth={i} >> input[type=range][data-role=weight]"
        f'[data-layer="{ell}"][data-row="{j}"][data-col="{k}"]'
    )


def bias(ell, j, i=0):
    return (
        f'.bpx >> nth={i} >> input[type=range][data-role=bias][data-layer="{ell}"]'
        f'[data-row="{j}"]'
    )


# ---------------------------------------------------------------- tests


def test_every_explorer_renders_and_shows_the_core_numbers(explorer_page):
    page = explorer_page
    for i in range(4):
        assert_display_matches_core(state(page, i))
    # the anywidget front end the page loads is the one pip installed
    front_ends = [u for u in page.requests if "anywidget@" in u]
    assert front_ends, "the page did not load the anywidget front end"
    major_minor = ".".join(version("anywidget").split(".")[:2])
    assert all(f"anywidget@{major_minor}" in u or "anywidget@~" + major_minor in u
               for u in front_ends), front_ends  # fmt: skip
    assert page.external == []
    assert [e for e in page.errors if "THEBE_JS_URL" not in e] == []


def test_dead_relu_unit_shows_exactly_zero(explorer_page):
    st = state(explorer_page, 2)  # the ReLU explorer: hidden unit 2 of layer 1 dead
    r = assert_display_matches_core(st)
    assert r.delta[1][1, 0] == 0.0
    dead = [d for d in st["delta"] if d["layer"] == 1 and d["unit"] == 2]
    assert {d["text"] for d in dead} == {"0"}


def test_moving_sliders_updates_every_delta(explorer_page):
    page = explorer_page
    before = state(page)
    # by keyboard: focus the slider of w^2_11 and press the arrow keys
    slider = page.locator(weight(2, 1, 1))
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    st = state(page)
    w_new = float(next(p for p in st["weights"] if (p["layer"], p["row"], p["col"])
                       == (2, 1, 1))["value"])  # fmt: skip
    w_old = float(next(p for p in before["weights"] if (p["layer"], p["row"], p["col"])
                       == (2, 1, 1))["value"])  # fmt: skip
    assert w_new == pytest.approx(w_old + 0.05, abs=0.011)  # step 0.01, snapped
    assert_display_matches_core(st)
    page.keyboard.press("PageDown")
    assert_display_matches_core(state(page))
    # by dragging (fill sets the value and fires input): several weights and biases
    for selector, value in [
        (weight(1, 1, 1), "2.5"),
        (weight(1, 3, 2), "-3.2"),
        (bias(1, 2), "-4"),
        (weight(2, 2, 3), "1.1"),
        (bias(2, 1), "0.75"),
    ]:
        move(page, selector, value)
        st = assert_display_matches_core(state(page))
    st = state(page)
    assert float(page.locator(weight(1, 3, 2)).get_attribute("data-value")) == -3.2
    # the deep explorer, in its first layer (BP2 three times over); its larger
    # parameter lists start folded
    page.locator(".bpx >> nth=3 >> details.bpx-layer >> nth=0 >> summary").click()
    move(page, weight(1, 2, 3, i=3), "-1.5")
    assert_display_matches_core(state(page, 3))


def test_bad_values_are_clamped_or_flagged_never_nan(explorer_page):
    page = explorer_page
    good = state(page)
    r_good = assert_display_matches_core(good)
    box = page.locator(
        '.bpx >> nth=0 >> input[data-role=weight-entry][data-layer="1"]'
        '[data-row="1"][data-col="2"]'
    )
    for text in ["abc", "", "1e999", "--2"]:
        box.fill(text)
        box.press("Enter")
        st = state(page)
        assert box.get_attribute("aria-invalid") == "true"
        assert "w¹₁₂" in st["message"] and "kept" in st["message"], st["message"]
        assert "NaN" not in st["text"] and "Infinity" not in st["text"]
        r = assert_display_matches_core(st)
        assert r.cost == r_good.cost  # nothing changed
    # out of range: clamped to the slider range, and said so
    box.fill("1e6")
    box.press("Enter")
    st = state(page)
    limit = float(st["weights"][0]["max"])
    w12 = next(
        p for p in st["weights"] if (p["layer"], p["row"], p["col"]) == (1, 1, 2)
    )
    assert float(w12["value"]) == limit
    assert "clamped" in st["message"]
    assert box.get_attribute("aria-invalid") is None
    assert_display_matches_core(st)
    # a slider pushed past its end (a script, or a stale value) is clamped too
    page.locator(weight(1, 2, 1)).evaluate(
        "(el) => { el.value = '-999'; el.dispatchEvent(new Event('input')); }"
    )
    st = state(page)
    w21 = next(
        p for p in st["weights"] if (p["layer"], p["row"], p["col"]) == (1, 2, 1)
    )
    assert float(w21["value"]) == -limit
    assert_display_matches_core(st)
    # inputs and targets
    x1 = page.locator('.bpx >> nth=0 >> input[data-role=input][data-unit="1"]')
    x1.fill("1e400")
    x1.press("Enter")
    st = state(page)
    assert x1.get_attribute("aria-invalid") == "true" and "x₁" in st["message"]
    assert_display_matches_core(st)
    x1.fill("2.5")
    x1.press("Enter")
    st = state(page)
    assert float(st["x"][0]) == 2.5 and x1.get_attribute("aria-invalid") is None
    assert_display_matches_core(st)
    # a target cross-entropy cannot use: switching the cost is refused, with a message
    y1 = page.locator('.bpx >> nth=0 >> input[data-role=target][data-unit="1"]')
    y1.fill("2")
    y1.press("Enter")
    page.locator(".bpx >> nth=0 >> select[data-role=cost_name-select]").select_option(
        "cross_entropy"
    )
    st = state(page)
    assert st["cost_name"] == "quadratic" and "refused" in st["message"]
    cost = page.locator(".bpx >> nth=0 >> select[data-role=cost_name-select]")
    assert cost.input_value() == "quadratic"
    # and the widget is alive: a slider still updates everything
    move(page, weight(2, 1, 2), "0.3")
    assert_display_matches_core(state(page))
    assert [e for e in page.errors if "THEBE_JS_URL" not in e] == []


def test_step_backward_animates_bp1_bp2_bp3_bp4_in_order(explorer_page):
    page = explorer_page
    step = page.locator(".bpx >> nth=3 >> button[data-role=step-backward]")
    st = state(page, 3)  # the deep explorer: L = 4
    L = 4
    assert st["step"] == -1 and all(d["state"] == "done" for d in st["delta"])

    def delta_states(st):
        out = {}
        for d in st["delta"]:
            if d["svg"]:
                out.setdefault(d["layer"], set()).add(d["state"])
        return {ell: s.pop() for ell, s in out.items() if len(s) == 1}

    step.click()  # the forward pass: no δ known yet
    st = state(page, 3)
    assert st["step"] == 0 and "forward" in st["stage"]
    assert set(delta_states(st).values()) == {"pending"}
    assert all(d["text"] == "?" for d in st["delta"])
    assert set(st["gradW"]) == {"pending"}
    step.click()  # BP1 writes δ^L
    st = state(page, 3)
    assert "BP1" in st["stage"]
    assert delta_states(st) == {1: "pending", 2: "pending", 3: "pending", 4: "write"}
    for ell in range(L - 1, 0, -1):  # BP2 writes δ^ell, reading δ^(ell+1), W^(ell+1)
        step.click()
        st = state(page, 3)
        assert f"BP2 at layer {ell}" in st["stage"]
        states = delta_states(st)
        assert states[ell] == "write" and states[ell + 1] == "read"
        assert all(states[m] == "pending" for m in range(1, ell))
        assert all(states[m] == "done" for m in range(ell + 2, L + 1))
        read_edges = {e["layer"] for e in st["edges"] if e["state"] == "read"}
        assert read_edges == {ell + 1}
        assert set(st["gradW"]) == {"pending"}
        # the δ's written so far are the core's
        r = network_of(st)[0].backward(*network_of(st)[1:])
        for d in st["delta"]:
            if d["layer"] >= ell:
                assert agrees_to_display(
                    d["text"], r.delta[d["layer"]][d["unit"] - 1, 0]
                )
    step.click()  # BP3: the bias gradients
    st = state(page, 3)
    assert "BP3" in st["stage"]
    assert set(st["gradB"]) == {"write"} and set(st["gradW"]) == {"pending"}
    step.click()  # BP4: the weight gradients
    st = state(page, 3)
    assert "BP4" in st["stage"]
    assert set(st["gradW"]) == {"write"}
    step.click()  # done: every value shown again
    st = state(page, 3)
    assert st["step"] == -1
    assert set(st["gradW"]) == {"done"}
    assert_display_matches_core(st)


def test_sgd_step_and_reset(explorer_page):
    page = explorer_page
    st0 = state(page)
    net, x, y = network_of(st0)
    eta = float(page.locator(".bpx >> nth=0 >> input[data-role=eta]").input_value())
    page.locator(".bpx >> nth=0 >> button[data-role=sgd-step]").click()
    st1 = state(page)
    net.sgd_step(x, y, eta)
    after, _, _ = network_of(st1)
    for ell in (1, 2):
        np.testing.assert_allclose(after.W[ell], net.W[ell], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(after.b[ell], net.b[ell], rtol=1e-12, atol=1e-15)
    r1 = assert_display_matches_core(st1)
    assert r1.cost < network_of(st0)[0].backward(x, y).cost
    page.locator(".bpx >> nth=0 >> button[data-role=sgd-step]").click()
    move(page, weight(1, 1, 1), "3")
    page.locator(".bpx >> nth=0 >> select[data-role=cost_name-select]").select_option(
        "cross_entropy"
    )
    page.locator(".bpx >> nth=0 >> button[data-role=reset]").click()
    st2 = state(page)
    for key in STATE_NAMES:
        if key != "sizes":  # (the page state read here has no sizes)
            assert st2[key] == st0[key], key
    assert_display_matches_core(st2)


def test_clicking_a_neuron_shows_its_equation(explorer_page):
    page = explorer_page
    page.locator(
        '.bpx >> nth=0 >> svg [data-role=neuron][data-layer="1"][data-unit="1"]'
    ).click()
    st = state(page)
    eq = st["equation"]
    assert "δ¹₁ = (w²₁₁ δ²₁ + w²₂₁ δ²₂) · σ′(z¹₁)" in eq
    shown = next(d["text"] for d in st["delta"] if (d["layer"], d["unit"]) == (1, 1))
    assert eq.rstrip().split("\n")[-3].endswith(f"= {shown}") or f"= {shown}" in eq
    for p in st["weights"]:
        if p["layer"] == 2 and p["col"] == 1:  # w²_i1, the weights out of the unit
            text = page.evaluate(
                "(v) => { const n = +v; const s = Math.abs(n) >= 1e-3 && Math.abs(n)"
                " < 1e4 ? n.toPrecision(4) : n.toExponential(3);"
                " return n < 0 ? `(${s})` : s; }",
                p["value"],
            )
            assert text in eq, (text, eq)
    # by keyboard: focus an output neuron and press Enter
    neuron = page.locator(
        '.bpx >> nth=0 >> svg [data-role=neuron][data-layer="2"][data-unit="2"]'
    )
    neuron.focus()
    page.keyboard.press("Enter")
    eq = state(page)["equation"]
    assert "δ²₂ = (a²₂ − y₂) · σ′(z²₂)" in eq and "BP1" in eq
    assert neuron.get_attribute("aria-pressed") == "true"


def test_selectors_change_the_network_and_the_root_attributes(explorer_page):
    page = explorer_page
    root = page.locator(".bpx >> nth=0")
    cost = page.locator(".bpx >> nth=0 >> select[data-role=cost_name-select]")
    out = page.locator(".bpx >> nth=0 >> select[data-role=output_activation-select]")
    hidden = page.locator(".bpx >> nth=0 >> select[data-role=activation-select]")
    cost.select_option("cross_entropy")
    assert root.get_attribute("data-cost-name") == "cross_entropy"
    r = assert_display_matches_core(state(page))
    np.testing.assert_allclose(
        r.delta[2][:, 0], r.trace.a[2][:, 0] - np.array([1.0, 0.0]), rtol=1e-12
    )
    # with cross-entropy only sigmoid and softmax outputs are offered
    disabled = out.evaluate("(s) => [...s.options].filter((o) => o.disabled)"
                            ".map((o) => o.value)")  # fmt: skip
    assert sorted(disabled) == ["linear", "relu", "tanh"]
    out.select_option("softmax")
    assert root.get_attribute("data-output-activation") == "softmax"
    assert_display_matches_core(state(page))
    cost.select_option("quadratic")
    out.select_option("tanh")
    hidden.select_option("relu")
    assert root.get_attribute("data-activation") == "relu"
    assert root.get_attribute("data-output-activation") == "tanh"
    assert root.get_attribute("data-cost-name") == "quadratic"
    assert_display_matches_core(state(page))
    disabled = cost.evaluate("(s) => [...s.options].filter((o) => o.disabled)"
                             ".map((o) => o.value)")  # fmt: skip
    assert disabled == ["cross_entropy"]


def test_controls_are_labelled_and_reachable_by_keyboard(explorer_page):
    page = explorer_page
    unlabelled = page.evaluate(
        """() => [...document.querySelector('.bpx').querySelectorAll(
              'input, select, button')].filter((el) => {
            const byFor = el.id && document.querySelector(`label[for="${el.id}"]`);
            const text = el.tagName === 'BUTTON' && el.textContent.trim();
            return !(byFor || el.getAttribute('aria-label') || text);
          }).map((el) => el.outerHTML.slice(0, 120))"""
    )
    assert unlabelled == []
    # every neuron is focusable, labelled, and acts as a button
    neurons = page.evaluate(
        """() => [...document.querySelector('.bpx').querySelectorAll(
              '[data-role=neuron]')].map((g) => [g.getAttribute('tabindex'),
              g.getAttribute('role'), g.getAttribute('aria-label')])"""
    )
    assert neurons and all(t == "0" and r == "button" and lab for t, r, lab in neurons)
    # the text table holds every value too
    table = page.locator(".bpx >> nth=0 >> table [data-role=delta]")
    assert table.count() == 5  # 3 hidden + 2 output units
    # Tab moves through the toolbar's controls
    page.locator(".bpx >> nth=0 >> select[data-role=activation-select]").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.role") == (
        "output_activation-select"
    )


def test_play_runs_the_steps_by_itself_and_pauses(explorer_page):
    page = explorer_page
    root = page.locator(".bpx >> nth=0")
    play = page.locator(".bpx >> nth=0 >> button[data-role=play]")
    # record every step the explorer shows (a MutationObserver, not polling)
    page.evaluate(
        """() => { const root = document.querySelector('.bpx'); window.__steps = [];
        new MutationObserver(() => window.__steps.push(+root.dataset.step))
          .observe(root, { attributes: true, attributeFilter: ['data-step'] }); }"""
    )
    play.click()
    expect(play).to_have_attribute("aria-pressed", "true")
    # L = 2: forward, BP1, BP2, BP3, BP4 (play_interval apart), then it stops
    expect(play).to_have_attribute("aria-pressed", "false", timeout=20_000)
    expect(root).to_have_attribute("data-step", "4")
    seen = set(page.evaluate("() => window.__steps"))
    assert seen >= {0, 1, 2, 3, 4}, seen
    page.locator(".bpx >> nth=0 >> button[data-role=show-all]").click()
    assert root.get_attribute("data-step") == "-1"
    assert_display_matches_core(state(page))


# ---------------------------------------------------------------- every reader

AXE_RUN = """async () => {
  const r = await axe.run({ include: [['.bpx']] }, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  });
  return r.violations.map((v) => ({
    id: v.id, impact: v.impact,
    nodes: v.nodes.map((n) => n.target.join(' ') + ' :: ' + n.failureSummary),
  }));
}"""

CONTRAST = """() => [...document.querySelectorAll('.bpx')].map((root) => {
  const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const cs = getComputedStyle(root);
  const fg = lum(rgb(cs.color));
  const bg = lum(rgb(cs.backgroundColor));
  const page = lum(rgb(getComputedStyle(document.body).backgroundColor));
  const [hi, lo] = fg > bg ? [fg, bg] : [bg, fg];
  return { ratio: (hi + 0.05) / (lo + 0.05), fg, bg, page };
})"""


def set_theme(page, mode: str) -> None:
    """The book theme's light/dark switch: pydata-sphinx-theme sets
    html[data-theme] (and remembers it in localStorage)."""
    page.evaluate(
        "(m) => { localStorage.setItem('theme', m); localStorage.setItem('mode', m);"
        " document.documentElement.dataset.theme = m;"
        " document.documentElement.dataset.mode = m; }",
        mode,
    )
    # the next painted frame has the theme's colours (no fixed wait)
    page.evaluate(
        "() => new Promise((r) =>"
        " requestAnimationFrame(() => requestAnimationFrame(r)))"
    )


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_explorer_follows_the_theme_and_passes_axe(explorer_page, mode):
    page = explorer_page
    set_theme(page, mode)
    # open the tables and the training panel, so that axe sees them too
    page.evaluate(
        "() => document.querySelectorAll('.bpx details').forEach((d) => d.open = true)"
    )
    page.locator(".bpx >> nth=0 >> select[data-role=dataset-select]").select_option(
        "xor"
    )
    colours = page.evaluate(CONTRAST)
    for c in colours:
        assert c["ratio"] >= 7, c  # the explorer's text on its own background
        # it follows the page: a dark panel in dark mode, a light one in light mode
        assert (c["bg"] < 0.1) == (mode == "dark"), c
        assert abs(c["bg"] - c["page"]) < 0.05, c
    page.add_script_tag(content=axe_source())
    violations = page.evaluate(AXE_RUN)
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert bad == [], "\n".join(f"{v['id']} ({v['impact']}): {v['nodes'][:3]}"
                                for v in bad)  # fmt: skip


def test_every_neuron_is_announced_with_its_visible_text(explorer_page):
    page = explorer_page
    names = page.evaluate(
        """() => [...document.querySelectorAll('.bpx [data-role=neuron]')].map((g) => ({
          label: g.getAttribute('aria-label'),
          visible: [...g.querySelectorAll('text')].map((t) => t.textContent.trim())
            .join(' '),
          a: g.querySelector('[data-role=a]').textContent,
          delta: g.querySelector('[data-role=delta]')?.textContent ?? null,
        }))"""
    )
    assert len(names) >= 5 * 4
    for n in names:
        assert n["label"].startswith(n["visible"] + ": neuron"), n
        assert f"a = {n['a']}" in n["label"], n
        if n["delta"] is not None:
            assert f"δ = {n['delta']}" in n["label"], n


def test_explorer_fits_a_phone(site_url, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    route_cdns(context, [])
    page = context.new_page()
    page.goto(f"{site_url}/{PAGE}")
    page.wait_for_function(
        "() => document.querySelectorAll('.bpx [data-role=delta]').length > 0 "
        "&& document.querySelectorAll('.bpx').length === 5",
        timeout=30_000,
    )
    page.evaluate(
        "() => document.querySelectorAll('.bpx details').forEach((d) => d.open = true)"
    )
    page.locator(".bpx >> nth=0 >> select[data-role=dataset-select]").select_option(
        "spiral"
    )
    for mode in ("light", "dark"):
        set_theme(page, mode)
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('.bpx')].map((r) => ({
              right: r.getBoundingClientRect().right, scroll: r.scrollWidth,
              client: r.clientWidth,
              wide: [...r.querySelectorAll('*')].filter((e) => {
                const scroller = '.bpx-figure, .bpx-tablewrap, .bpx-equation';
                if (e.closest(scroller)) return false;
                const b = e.getBoundingClientRect();
                return b.width > 0 && b.right > 390.5;
              }).map((e) => e.outerHTML.slice(0, 80)),
            }))"""
        )
        for b in boxes:
            assert b["right"] <= 390.5 and b["scroll"] <= b["client"] + 1, b
            assert b["wide"] == [], b["wide"]
    context.close()


# ---------------------------------------------------------------- a playground


def test_edit_the_network_and_train_it_by_keyboard(explorer_page):
    page = explorer_page
    root = page.locator(".bpx >> nth=0")

    def press(role, layer=None):
        sel = f"[data-role={role}]" + (f'[data-layer="{layer}"]' if layer else "")
        el = root.locator(sel)
        el.focus()
        outline = el.evaluate("(e) => getComputedStyle(e).outlineStyle")
        assert outline != "none", (role, outline)  # a visible focus ring
        page.keyboard.press("Enter")

    def sizes():
        return root.locator("[data-role=sizes]").text_content()

    assert sizes() == "Sizes 2–3–2"
    press("add-unit", 1)
    assert sizes() == "Sizes 2–4–2"
    # focus stays on the control just used, though the widget was redrawn
    assert page.evaluate("() => document.activeElement.dataset.role") == "add-unit"
    page.keyboard.press("Enter")
    assert sizes() == "Sizes 2–5–2"
    press("remove-unit", 1)
    press("add-layer")
    assert sizes() == "Sizes 2–4–4–2"
    st = state(page)
    assert len([w for w in st["weights"] if w["layer"] == 2]) == 16
    assert_display_matches_core(st)
    # every control works on the new network: a slider, the selector, SGD step
    move(page, weight(3, 2, 4), "1.25")
    assert_display_matches_core(state(page))
    hidden = root.locator("select[data-role=activation-select]")
    hidden.select_option("tanh")
    assert_display_matches_core(state(page))
    # a new seed draws other weights for the same shape
    before = state(page)["weights"]
    seed = root.locator("[data-role=seed]")
    seed.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    press("redraw")
    assert sizes() == "Sizes 2–4–4–2" and state(page)["weights"] != before

    # training on XOR: inputs 2, one output
    root.locator("select[data-role=dataset-select]").select_option("xor")
    assert sizes() == "Sizes 2–4–4–1"
    batch = root.locator("[data-role=batch-size]")
    batch.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("20")
    page.keyboard.press("Enter")
    eta = root.locator("[data-role=eta]")
    eta.fill("2")
    eta.press("Enter")

    def train_cost():
        return float(root.locator("[data-role=train-cost]").get_attribute("data-value"))

    cost0 = train_cost()
    assert root.locator("[data-role=epoch]").text_content() == "0"
    for _ in range(3):
        press("train-step")
    assert root.locator("[data-role=epoch]").text_content() == "3"
    press("train")  # play
    page.wait_for_function(
        "() => +document.querySelector('.bpx [data-role=epoch]').textContent >= 60",
        timeout=60_000,
    )
    press("train")  # pause
    assert root.locator("[data-role=train]").get_attribute("aria-pressed") == "false"
    epochs = int(root.locator("[data-role=epoch]").text_content())
    cost1 = train_cost()
    assert cost1 < 0.8 * cost0, (cost0, cost1)
    # the cost shown is the numpy core's, on the data set the page generated
    data = page_dataset("xor", 200, 7)
    st = state(page)
    net, _, _ = network_of(st)
    X, Y = np.array(data["X"]).T, np.array(data["y"], dtype=float)[None, :]
    assert cost1 == pytest.approx(net.mean_cost(X, Y), rel=1e-9)
    # the heat map's text alternative reports the accuracy the core finds
    right = int(np.sum((net.predict(X)[0] >= 0.5) == (Y[0] == 1)))
    summary = root.locator("[data-role=heatmap-summary]").text_content()
    assert f"({right} of 200 points)" in summary, summary
    assert "Class counts: 100 of class 0 (red), 100 of class 1 (blue)" in summary
    assert root.locator("[data-role=heatmap]").get_attribute("aria-label")
    # select point 17 by keyboard: the diagram shows its z, a and δ (the core's)
    point = root.locator("[data-role=point]")
    point.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("17")
    page.keyboard.press("Enter")
    st = state(page)
    assert [float(v) for v in st["x"]] == data["X"][16]
    assert [float(v) for v in st["y"]] == [data["y"][16]]
    r = assert_display_matches_core(st)
    shown = {(d["layer"], d["unit"]): float(d["value"]) for d in st["delta"]
             if d["svg"]}  # fmt: skip
    for (ell, j), v in shown.items():
        assert v == pytest.approx(r.delta[ell][j - 1, 0], rel=1e-9, abs=1e-15)
    assert int(root.locator("[data-role=epoch]").text_content()) == epochs
    assert [e for e in page.errors if "THEBE_JS_URL" not in e] == []


# ---------------------------------------------------------------- the reader's data


def click_points(page, root, points):
    """Click the heat map at each (u, v) in [0, 1]² of its box (u right, v down),
    with the point class chosen first; returns how many points the map holds."""
    box = root.locator("[data-role=heatmap]").bounding_box()
    for c, u, v in points:
        root.locator("[data-role=point-class]").select_option(str(c))
        page.mouse.click(box["x"] + u * box["width"], box["y"] + v * box["height"])
    return int(root.locator("[data-role=heatmap]").get_attribute("data-points"))


def cluster(rng, c, u, v, n=20):
    return [(c, float(u + 0.08 * a), float(v + 0.08 * b))
            for a, b in rng.normal(size=(n, 2))]  # fmt: skip


def page_data(root) -> tuple[np.ndarray, np.ndarray]:
    """The points the page holds (its heat map's data-xy): X (2, m), labels (m,)."""
    xy = np.array(
        json.loads(root.locator("[data-role=heatmap]").get_attribute("data-xy"))
    )
    return xy[:, :2].T, xy[:, 2].astype(int)


def shown_cost_and_accuracy(root) -> tuple[float, float]:
    cost = float(root.locator("[data-role=train-cost]").get_attribute("data-value"))
    acc = float(root.locator("[data-role=train-accuracy]").get_attribute("data-value"))
    return cost, acc


def core_cost_and_accuracy(page, root, K) -> tuple[float, float]:
    net, _, _ = network_of(state(page))
    X, labels = page_data(root)
    Y = labels[None, :].astype(float) if K == 2 else np.eye(K)[labels].T
    a = net.predict(X)
    predicted = (a[0] >= 0.5).astype(int) if K == 2 else a.argmax(axis=0)
    return net.mean_cost(X, Y), float(np.mean(predicted == labels))


@pytest.mark.parametrize("K", [2, 3])
def test_draw_your_own_classes_and_train(explorer_page, K):
    page = explorer_page
    root = page.locator(".bpx >> nth=0")
    rng = np.random.default_rng(K)
    root.locator("select[data-role=dataset-select]").select_option("blobs")
    root.locator("[data-role=classes]").select_option(str(K))
    if K == 3:  # the menu loads a three-class preset
        assert (
            root.locator("select[data-role=dataset-select]").input_value() == "blobs3"
        )
    root.locator("[data-role=clear-data]").click()
    assert root.locator("[data-role=heatmap]").get_attribute("data-points") == "0"
    assert root.locator("[data-role=train]").is_disabled()
    root.locator("[data-role=point-mode]").select_option("add")
    centres = [(0.25, 0.7), (0.75, 0.3), (0.5, 0.2)][:K]
    pts = [p for c, (u, v) in enumerate(centres) for p in cluster(rng, c, u, v)]
    assert click_points(page, root, pts) == 20 * K
    X, labels = page_data(root)
    assert np.bincount(labels).tolist() == [20] * K
    # the points sit where they were clicked (the map shows [−2, 2]²)
    want = np.array([[4 * u - 2, 2 - 4 * v] for _, u, v in pts]).T
    np.testing.assert_allclose(X, want, atol=0.05)
    # the text alternative counts the classes; the network fits them
    summary = root.locator("[data-role=heatmap-summary]").text_content()
    assert f"20 of class {K - 1}" in summary, summary

    def shows_the_last_point():
        # (the page finishes an edit once the clicks pause: the text table, the
        # controls and Python follow then)
        st = state(page)
        try:
            assert [float(v) for v in st["x"]] == X[:, -1].tolist()
            assert_display_matches_core(st)
        except AssertionError:
            return None
        return st

    st = eventually(shows_the_last_point, what="the last added point on the diagram")
    if K == 3:
        assert st["output_activation"] == "softmax"
        assert st["cost_name"] == "cross_entropy"
    assert len([d for d in st["delta"] if d["layer"] == 2 and d["svg"]]) == (
        1 if K == 2 else K
    )
    # the last added point is the selected one: the diagram shows its z, a, δ
    assert [float(v) for v in st["x"]] == X[:, -1].tolist()
    assert_display_matches_core(st)
    cost0, acc0 = shown_cost_and_accuracy(root)
    assert (cost0, acc0) == pytest.approx(
        core_cost_and_accuracy(page, root, K), rel=1e-9
    )
    for _ in range(40):
        root.locator("[data-role=train-step]").click()
    cost1, acc1 = shown_cost_and_accuracy(root)
    assert cost1 < 0.5 * cost0 and acc1 > acc0 and acc1 >= 0.9, (
        cost0,
        cost1,
        acc0,
        acc1,
    )
    assert (cost1, acc1) == pytest.approx(
        core_cost_and_accuracy(page, root, K), rel=1e-9
    )
    # remove mode: a click removes the nearest point, and the numbers follow at once
    root.locator("[data-role=point-mode]").select_option("remove")
    box = root.locator("[data-role=heatmap]").bounding_box()
    page.mouse.click(
        box["x"] + pts[0][1] * box["width"], box["y"] + pts[0][2] * box["height"]
    )
    assert root.locator("[data-role=heatmap]").get_attribute("data-points") == str(
        20 * K - 1
    )
    assert shown_cost_and_accuracy(root) == pytest.approx(
        core_cost_and_accuracy(page, root, K), rel=1e-9
    )
    if K == 3:
        # an output unit's equation: δ^L_j = a^L_j − y_j with the point's numbers
        out = root.locator('[data-role=neuron][data-layer="2"][data-unit="2"]')
        out.focus()
        page.keyboard.press("Enter")
        text = root.locator("[data-role=equation]").text_content()
        assert "δ²₂ = a²₂ − y₂" in text and "δ² = a² − y" in text, text
        st = state(page)
        r = assert_display_matches_core(st)
        y = np.array([float(v) for v in st["y"]])
        assert y.tolist() == np.eye(3)[int(y.argmax())].tolist()  # one-hot
        np.testing.assert_allclose(r.delta[2][:, 0], r.trace.a[2][:, 0] - y, atol=1e-15)
        a, d = r.trace.a[2][1, 0], r.delta[2][1, 0]
        assert f"= {a:.4g}" in text.replace("−", "-") or f"{a:.4g}" in text, text
        assert f"{d:.4g}" in text.replace("−", "-"), text
    assert [e for e in page.errors if "THEBE_JS_URL" not in e] == []


def test_changing_the_activation_after_training_draws_fresh_weights(explorer_page):
    page = explorer_page
    root = page.locator(".bpx >> nth=0")
    root.locator("select[data-role=dataset-select]").select_option("xor")
    for _ in range(5):
        root.locator("[data-role=train-step]").click()
    trained = [w["value"] for w in state(page)["weights"]]
    root.locator("select[data-role=activation-select]").select_option("tanh")
    st = state(page)
    assert st["activation"] == "tanh"
    assert [w["value"] for w in st["weights"]] != trained
    assert root.locator("[data-role=epoch]").text_content() == "0"
    assert "fresh weights" in root.locator("[data-role=message]").text_content()
    assert_display_matches_core(st)


def test_a_dead_layer_is_diagnosed_in_plain_words(explorer_page):
    page = explorer_page
    root = page.locator(".bpx >> nth=0")
    root.locator("select[data-role=activation-select]").select_option("relu")
    root.locator("select[data-role=dataset-select]").select_option("circles")
    # every layer-1 unit off on every point: z = w·x + b < 0 with b = −4
    for j in (1, 2, 3):
        move(page, bias(1, j), "-4")
    st = state(page)
    assert all(float(b["value"]) == -4 for b in st["biases"] if b["layer"] == 1)
    for _ in range(22):
        root.locator("[data-role=train-step]").click()
    msg = root.locator("[data-role=message]")
    expect(msg).to_contain_text("below 10⁻⁶")
    expect(msg).to_contain_text("How big is δ in each layer?")
    assert root.get_attribute("data-diagnosis") == "stalled"


def test_at_most_500_points_with_a_clear_message(explorer_page):
    page = explorer_page
    root = page.locator(".bpx >> nth=0")
    root.locator("select[data-role=dataset-select]").select_option("spiral")
    root.locator("[data-role=point-mode]").select_option("add")
    n = page.evaluate(
        """() => {
          const heat = document.querySelector('.bpx [data-role=heatmap]');
          for (let t = 0; t < 301; t++) {
            const b = heat.getBoundingClientRect();  // (messages move it)
            heat.dispatchEvent(new MouseEvent('click', { bubbles: true,
              clientX: b.left + (0.05 + 0.9 * ((t * 37) % 97) / 97) * b.width,
              clientY: b.top + (0.05 + 0.9 * ((t * 53) % 89) / 89) * b.height }));
          }
          return +heat.getAttribute('data-points');
        }"""
    )
    assert n == 500
    assert "at most 500 points" in root.locator("[data-role=message]").text_content()
    assert root.locator("select[data-role=dataset-select]").input_value() == "own"
