"""The answer box with a live kernel (Voila on 127.0.0.1, headless Chromium): the
reader's answer and the page's verdict reach Python as ``box.answer``,
``box.verdict`` and ``box.message``, and agree with the kernel's own check."""

from __future__ import annotations

import json

import nbformat
import pytest

from .servers import start_voila, stop_voila

pytestmark = pytest.mark.browser

CELLS = [
    """\
import html, json
import ipywidgets as widgets
import sympy as sp
from backprop_lib.answer_box import answer_box

z_1, z_2, p, q = sp.symbols("z_1 z_2 p q")
box = answer_box(
    "voila-two-paths", p * z_2 + q, {"z_1": z_1, "z_2": z_2, "p": p, "q": q},
    label="∂C/∂z₁ =", solution="p*z_2 + q",
    tempting={"2*p*z_2": "two paths, not two copies."},
)
mirror = widgets.HTML()


def show(change=None):
    data = {"answer": box.answer, "verdict": box.verdict, "message": box.message,
            "kernel": box.check(box.answer)[0] if box.answer else ""}
    mirror.value = f"<pre class='py-mirror'>{html.escape(json.dumps(data))}</pre>"


box.observe(show, names="verdict")
box.observe(show, names="answer")
show()
""",
    "display(box, mirror)",
]

MIRROR = """() => {
  const el = document.querySelector('.py-mirror');
  return el ? JSON.parse(el.textContent) : null;
}"""


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory):
    directory = tmp_path_factory.mktemp("voila-answer")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, directory / "answer.ipynb")
    proc, url = start_voila(directory, "answer.ipynb")
    yield url
    stop_voila(proc)


def test_python_reads_the_answer_and_the_verdict(browser, voila_url):
    context = browser.new_context()
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(voila_url, timeout=90_000)
        page.wait_for_selector('[data-role="answer-input"]', timeout=90_000)
        page.wait_for_function(f"({MIRROR})() !== null", timeout=30_000)
        assert page.evaluate(MIRROR)["verdict"] == ""
        for text, verdict in [("q + z_2*p", "right"), ("2*p*z_2", "wrong"),
                              ("zz", "unreadable")]:  # fmt: skip
            field = page.locator('[data-role="answer-input"]')
            field.fill(text)
            field.press("Enter")
            page.wait_for_function(
                f"({MIRROR})().answer === {json.dumps(text)} && "
                f"({MIRROR})().verdict === {json.dumps(verdict)}",
                timeout=30_000,
            )
            py = page.evaluate(MIRROR)
            assert py["kernel"] == verdict  # the kernel's own check agrees
            shown = page.locator('[data-role="answer-verdict"]').inner_text()
            assert py["message"] == shown
        assert errors == []
    finally:
        context.close()
