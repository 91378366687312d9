"""The real book build, and the built pages in a real headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import backprop_lib as bp

from .conftest import ROOT, notebook_pages, toc_files

pytestmark = pytest.mark.book


def test_every_toc_page_is_built(built_book):
    for name in toc_files():
        page = built_book / f"{name}.html"
        assert page.exists(), f"{name} is in _toc.yml but {page} was not built"


def test_first_chapter_shows_its_outputs(built_book):
    html = (built_book / "chapters" / "how-to-use.html").read_text()
    # The chapter prints delta[2] for net = Network([2, 3, 2], seed=1) at x, y below;
    # recompute it here, independently of the build, and find it in the page.
    net = bp.Network([2, 3, 2], activation="sigmoid", cost="quadratic", seed=1)
    r = net.backward(np.array([0.5, -1.0]), np.array([1.0, 0.0]))
    assert f"cost C = {r.cost:.6f}" in html
    shown = re.search(r"delta\[2\] = \[([^\]]*)\]", html)
    assert shown, "the page does not show delta[2]"
    values = np.array([float(v) for v in shown.group(1).split()])
    np.testing.assert_allclose(values, r.delta[2].ravel(), atol=5e-7)
    assert "GradCheckResult(" in html


@pytest.mark.browser
def test_first_chapter_in_a_real_browser(site_url, page):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{site_url}/index.html")
    page.wait_for_url("**/chapters/index.html")
    assert "Backprop, derived" in page.title()
    page.goto(f"{site_url}/chapters/how-to-use.html")
    assert page.locator("h1").first.inner_text().startswith("How to use this book")
    outputs = page.locator(".cell_output").all_inner_texts()
    assert any("delta[1] =" in text for text in outputs), outputs
    # the solution of the exercise is hidden until the reader asks for it
    assert page.locator("details, .dropdown").count() >= 1
    # the Binder launch button is on a page with code
    assert page.locator("a[href*='mybinder.org']").count() >= 1
    # (_ext/backprop_site.py removes sphinx-thebe's duplicate script, which used to
    # throw "Identifier 'THEBE_JS_URL' has already been declared")
    assert errors == []


def test_no_page_shows_a_warning_or_an_error_stream(built_book):
    """What a chapter prints is for readers: no output written to stderr (a
    DeprecationWarning from a former name, a RuntimeWarning from an overflow, a
    progress bar) reaches a built page."""
    shown = []
    for name in toc_files():
        html = (built_book / f"{name}.html").read_text()
        for match in re.finditer(r'class="output stderr"|\w+Warning:', html):
            shown.append(f"{name}: {html[match.start() : match.start() + 160]!r}")
    assert shown == [], "\n".join(shown[:10])


def test_the_build_takes_every_chapter_from_the_execution_cache(built_book):
    """tools/execute_chapters.py executes the chapters on every core before the -W
    build (as `make book` does), which then only reads them from the execution cache.
    A chapter the build executes again (its cache key no longer the tool's, after a
    myst-nb or jupyter-cache upgrade, say) would silently make the build serial."""
    log = (built_book.parent / "html-build.log").read_text()

    def pages(message):
        found = re.findall(rf"^(\S+): {message}", log, flags=re.MULTILINE)
        return sorted(str(Path(path).relative_to(ROOT)) for path in found)

    assert pages("Executing notebook") == []
    expected = sorted(str(path.relative_to(ROOT)) for path, _ in notebook_pages())
    assert pages("Using cached notebook") == expected
