"""How fast does the δ explorer respond? Prints medians and ratios to the targets.

Run with ``make bench-widget`` (or ``python benchmarks/bench_widget.py``). Not part of
the test suite: timings depend on the machine and on what else runs on it. Targets
are reported, never asserted.

(a) Static page, no kernel: from a slider's input event to every δ of the explorer
    updated, measured inside the page with ``performance.now()`` around dispatching
    the event (the explorer recomputes and writes the DOM synchronously in its
    handler), and again including the style and layout pass the browser needs before
    it can paint (forced by reading ``offsetHeight``). Median over many moves, on the
    chapter's first explorer ([2, 3, 2]) and its largest ([3, 4, 4, 4, 2]), and on a
    page-free copy of the largest network the explorer allows ([5, 5, 5, 5, 5]).
    Target: at most 16 ms (one frame at 60 Hz).
(c) Static page, the playground: one training epoch on 200 points with a
    [2, 6, 6, 3] network on the three-arm spiral (softmax output, cross-entropy;
    mini-batches of 10: 20 SGD steps, the cost and mean |δ| over
    the data, the decision-region heat map, the charts and the diagram redrawn),
    target at most 16 ms: timed per frame while training plays (the explorer writes
    each frame's time into data-frame-ms), and around a click on "One epoch" (which
    also rewrites the text table and every parameter control); and an architecture
    edit (add or remove a unit: the whole widget re-rendered), target at most 50 ms,
    timed around the click, with and without the layout pass; and a point added by
    a click on the heat map (the cost, accuracy, selected point's z, a, δ, the heat
    map and its text redrawn), target at most 16 ms.
(b) Live kernel (Voila on 127.0.0.1): from a slider's input event to Python's
    ``explorer.result`` rebuilt and shown back in the page (an ipywidgets HTML that an
    ``observe`` callback rewrites). Median over many moves. Target: at most 300 ms.

The static page is ``_build/html/chapters/watch-delta.html`` (``make book``), built
first if missing; CDN requests are answered from local npm copies, as in the tests.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, _QuietHandler  # noqa: E402
from tests.test_widget_voila import (  # noqa: E402
    PY_MIRROR,
    start_voila,
    stop_voila,
    write_notebook,
)
from tests.webassets import route_cdns  # noqa: E402

FRAME_MS = 16.0
ROUND_TRIP_MS = 300.0
EDIT_MS = 50.0

# Shape explorer `i` as [2, 6, 6, 3] on the three-arm spiral (200 points).
PLAYGROUND = """async ([i]) => {
  const root = () => document.querySelectorAll('.bpx')[i];
  const click = (sel) => root().querySelector(sel).click();
  const n = (ell) => +root().querySelector('[data-role=sizes]').textContent
    .replace('Sizes ', '').split('–')[ell];
  const sel = root().querySelector('select[data-role=dataset-select]');
  sel.value = 'spiral3';
  sel.dispatchEvent(new Event('change'));
  while (root().querySelector('[data-role=sizes]').textContent.split('–').length < 4)
    click('[data-role=add-layer]');
  for (const ell of [1, 2]) {
    while (n(ell) < 6) click(`[data-role=add-unit][data-layer="${ell}"]`);
  }
  return root().querySelector('[data-role=sizes]').textContent;
}"""

# Play training on explorer `i` for `n` frames; the time each frame's work took.
PLAY_FRAMES = """async ([i, n]) => {
  const root = document.querySelectorAll('.bpx')[i];
  const button = root.querySelector('[data-role=train]');
  button.click();
  const times = [];
  let last = null;
  while (times.length < n) {
    await new Promise(requestAnimationFrame);
    const v = root.getAttribute('data-frame-ms');
    const e = root.querySelector('[data-role=epoch]').textContent;
    if (v !== null && e !== last) { times.push(+v); last = e; }
  }
  button.click();
  return times;
}"""

# Add `n` points by clicks on the heat map of explorer `i` (point mode "add").
ADD_POINTS = """async ([i, n]) => {
  const root = document.querySelectorAll('.bpx')[i];
  const mode = root.querySelector('[data-role=point-mode]');
  mode.value = 'add';
  mode.dispatchEvent(new Event('change'));
  const heat = root.querySelector('[data-role=heatmap]');
  let seed = 777;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const handler = [], layout = [];
  for (let t = 0; t < n; t++) {
    const b = heat.getBoundingClientRect();
    const ev = new MouseEvent('click', { bubbles: true,
      clientX: b.left + rand() * b.width, clientY: b.top + rand() * b.height });
    const before = +heat.getAttribute('data-points');
    const t0 = performance.now();
    heat.dispatchEvent(ev);
    const t1 = performance.now();
    void root.offsetHeight;
    const t2 = performance.now();
    if (+heat.getAttribute('data-points') !== before + 1) throw new Error('no point');
    handler.push(t1 - t0);
    layout.push(t2 - t0);
    if (t % 5 === 4) await new Promise(requestAnimationFrame);
  }
  mode.value = 'select';
  mode.dispatchEvent(new Event('change'));
  return { handler, layout, points: heat.getAttribute('data-points') };
}"""

# Time `n` clicks on the control `role` (layer `layer`) of explorer `i`.
CLICKS = """async ([i, n, sels]) => {
  const handler = [], layout = [];
  for (let t = 0; t < n; t++) {
    const root = document.querySelectorAll('.bpx')[i];
    const el = root.querySelector(sels[t % sels.length]);
    const t0 = performance.now();
    el.click();
    const t1 = performance.now();
    void document.querySelectorAll('.bpx')[i].offsetHeight;
    const t2 = performance.now();
    handler.push(t1 - t0);
    layout.push(t2 - t0);
    if (t % 5 === 4) await new Promise(requestAnimationFrame);
  }
  const root = document.querySelectorAll('.bpx')[i];
  return { handler, layout, epoch: root.querySelector('[data-role=epoch]').textContent,
           sizes: root.querySelector('[data-role=sizes]').textContent };
}"""

# Moves every slider of explorer `i` to random values, `n` times, timing each.
STATIC_MOVES = """async ([i, n]) => {
  const root = document.querySelectorAll('.bpx')[i];
  const sliders = [...root.querySelectorAll('input[type=range]')];
  const deltas = [...root.querySelectorAll('svg [data-role=delta]')];
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const handler = [], layout = [];
  let unchanged = 0;
  for (let t = 0; t < n; t++) {
    const el = sliders[t % sliders.length];
    const before = deltas.map((d) => d.textContent).join();
    el.value = String((2 * rand() - 1) * +el.max);
    const t0 = performance.now();
    el.dispatchEvent(new Event('input', { bubbles: true }));
    const t1 = performance.now();
    void root.offsetHeight;  // style + layout, as before a paint
    const t2 = performance.now();
    handler.push(t1 - t0);
    layout.push(t2 - t0);
    if (deltas.map((d) => d.textContent).join() === before) unchanged++;
    if (t % 10 === 9) await new Promise(requestAnimationFrame);
  }
  return { handler, layout, unchanged, sliders: sliders.length, deltas: deltas.length };
}"""

# One live-kernel move: input event -> Python's mirror rewritten in the page.
ROUND_TRIP = """async ([value]) => {
  const mirror = () => JSON.parse(document.querySelector('.py-mirror').textContent);
  const n = mirror().updates;
  const el = document.querySelector('.bpx input[type=range][data-role=weight]'
    + '[data-layer="2"][data-row="1"][data-col="1"]');
  const done = new Promise((resolve) => {
    const obs = new MutationObserver(() => {
      const m = document.querySelector('.py-mirror');
      if (m && JSON.parse(m.textContent).updates > n) { obs.disconnect(); resolve(); }
    });
    obs.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  el.value = value;
  const t0 = performance.now();
  el.dispatchEvent(new Event('input', { bubbles: true }));
  await done;
  return performance.now() - t0;
}"""


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def largest_page(tmp: Path) -> Path:
    """A bare page with an explorer of the largest size, rendered by the ESM directly
    (a stand-in model), to time the heaviest case the widget allows."""
    import json

    import numpy as np

    import backprop_lib as bp
    from backprop_lib.widgets import DeltaExplorer

    ex = DeltaExplorer(bp.Network([6, 6, 6, 6, 6], seed=0), np.ones(6), np.zeros(6))
    state = {k: v for k, v in ex.get_state().items() if not k.startswith("_")}
    page = tmp / "largest.html"
    page.write_text(
        "<!doctype html><meta charset=utf-8><style>"
        + ex._css
        + "</style><div id=h></div>"
        "<script type=module>const s = " + json.dumps(state) + ";const ls = {};"
        "const model = {get: (k) => s[k], set: (k, v) => { s[k] = v; "
        "(ls['change:' + k] || []).forEach((f) => f()); }, save_changes() {},"
        "on: (e, f) => (ls[e] ||= []).push(f), off() {}};"
        "const url = URL.createObjectURL(new Blob([" + json.dumps(ex._esm) + "],"
        "{type: 'text/javascript'}));"
        "const m = await import(url);"
        "m.default.render({model, el: document.getElementById('h')});"
        "window.ready = true;</script>"
    )
    return page


def summary(name: str, times: list[float], target: float) -> None:
    med = statistics.median(times)
    p90 = sorted(times)[int(0.9 * (len(times) - 1))]
    print(
        f"  {name:44s} median {med:7.3f} ms   p90 {p90:7.3f} ms   "
        f"median/target {med / target:6.3f}"
    )


def open_watch_delta(browser, site: Path):
    """The chapter's static page served on 127.0.0.1, CDNs answered from npm copies,
    once its explorers have drawn: (server, context, page)."""
    server = serve(site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    route_cdns(context)
    page = context.new_page()
    url = f"http://127.0.0.1:{server.server_address[1]}/chapters/watch-delta.html"
    page.goto(url)
    page.wait_for_function(
        "document.querySelectorAll('.bpx').length >= 4", timeout=60_000
    )
    return server, context, page


def bench_static(browser, site: Path, moves: int) -> None:
    print(f"(a) static page, no kernel: input event -> every δ updated ({moves} moves)")
    server, context, page = open_watch_delta(browser, site)
    for i, label in ((0, "[2, 3, 2]"), (3, "[3, 4, 4, 4, 2]")):
        page.evaluate(STATIC_MOVES, [i, 50])  # warm-up (JIT)
        out = page.evaluate(STATIC_MOVES, [i, moves])
        summary(f"explorer {label}: handler", out["handler"], FRAME_MS)
        summary(f"explorer {label}: handler + layout", out["layout"], FRAME_MS)
        print(f"    ({out['sliders']} sliders, {out['deltas']} δ shown; moves that "
              f"changed no δ: {out['unchanged']})")  # fmt: skip
    context.close()
    server.shutdown()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        page_path = largest_page(Path(tmp))
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(page_path.as_uri())
        page.wait_for_function("window.ready === true", timeout=30_000)
        page.evaluate(STATIC_MOVES, [0, 50])
        out = page.evaluate(STATIC_MOVES, [0, moves])
        summary("largest [6, 6, 6, 6, 6]: handler", out["handler"], FRAME_MS)
        summary("largest [6, 6, 6, 6, 6]: handler + layout", out["layout"], FRAME_MS)
        context.close()
    print(f"  target: at most {FRAME_MS:g} ms (one frame)")


def bench_playground(browser, site: Path, n: int) -> None:
    print(f"(c) static page, the playground ({n} clicks each)")
    server, context, page = open_watch_delta(browser, site)
    sizes = page.evaluate(PLAYGROUND, [0])
    print(f"  network: {sizes} (three classes), 200 points, batch size 10")
    epoch = ["[data-role=train-step]"]
    page.evaluate(CLICKS, [0, 20, epoch])  # warm-up (JIT)
    out = page.evaluate(CLICKS, [0, n, epoch])
    summary("one epoch + heat map + redraw: handler", out["handler"], FRAME_MS)
    summary("one epoch + heat map + redraw: + layout", out["layout"], FRAME_MS)
    print(f"  (epochs run: {out['epoch']}); target: at most {FRAME_MS:g} ms")
    frames = page.evaluate(PLAY_FRAMES, [0, n])
    summary("while training plays: one frame", frames, FRAME_MS)
    print("    (an epoch, the diagram's z, a, δ, the heat map and the charts)")
    adds = page.evaluate(ADD_POINTS, [0, min(n, 250)])
    summary("point added -> heat map: handler", adds["handler"], FRAME_MS)
    summary("point added -> heat map: + layout", adds["layout"], FRAME_MS)
    print(f"  (ends with {adds['points']} points); target: at most {FRAME_MS:g} ms")
    edits = [f'[data-role={r}-unit][data-layer="1"]' for r in ("remove", "add")]
    page.evaluate(CLICKS, [0, 10, edits])
    out = page.evaluate(CLICKS, [0, n, edits])
    summary("architecture edit (re-render): handler", out["handler"], EDIT_MS)
    summary("architecture edit (re-render): + layout", out["layout"], EDIT_MS)
    print(f"  (ends at {out['sizes']}); target: at most {EDIT_MS:g} ms")
    context.close()
    server.shutdown()


def bench_kernel(browser, moves: int) -> None:
    import tempfile

    print(
        f"(b) live kernel (Voila): input event -> Python result shown ({moves} moves)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_voila(Path(tmp), write_notebook(Path(tmp)))
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url, timeout=90_000)
            page.wait_for_selector(".bpx [data-role=delta]", timeout=90_000)
            page.wait_for_function(f"({PY_MIRROR})() !== null", timeout=30_000)
            times = []
            for t in range(moves + 5):
                ms = page.evaluate(ROUND_TRIP, [f"{(t % 40) / 10 - 2:.2f}"])
                if t >= 5:  # the first few warm up the kernel's code paths
                    times.append(ms)
                page.wait_for_timeout(30)
            summary("slider -> Python explorer.result -> page", times, ROUND_TRIP_MS)
            print(f"  target: at most {ROUND_TRIP_MS:g} ms")
            context.close()
        finally:
            stop_voila(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--moves", type=int, default=500)
    parser.add_argument("--kernel-moves", type=int, default=40)
    parser.add_argument("--clicks", type=int, default=100)
    parser.add_argument("--no-kernel", action="store_true", help="skip (b)")
    args = parser.parse_args()
    if not (args.site / "chapters" / "watch-delta.html").exists():
        print(f"building the book into {args.site.parent} first ...")
        jb = Path(sys.executable).parent / "jupyter-book"
        subprocess.run([str(jb), "build", str(ROOT), "-W", "-n"], check=True, cwd=ROOT)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        bench_static(browser, args.site, args.moves)
        bench_playground(browser, args.site, args.clicks)
        if not args.no_kernel:
            bench_kernel(browser, args.kernel_moves)
        browser.close()


if __name__ == "__main__":
    main()
