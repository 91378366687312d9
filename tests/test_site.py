"""The published site, checked in a real headless Chromium.

Every page listed in ``_toc.yml`` is loaded from the real ``jupyter-book build -W``
output (the ``built_book`` fixture), with the CDN requests answered from local npm
copies (``tests/webassets.py``) and any other off-site request aborted and reported.
On every page: no JavaScript error, all math typeset, every image has an alt text
that is not a file name, every widget rendered, every internal link resolves.

The offline build (``make book-offline``) is checked the same way from ``file://``
with every request that leaves the machine aborted, and a small book with an
ipywidgets slider and an anywidget widget proves the widget front ends work offline
even on a day no chapter has a widget.
"""

from __future__ import annotations

import difflib
import functools
import http.server
import json
import re
import textwrap
import threading
import urllib.error
import urllib.request
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import jupytext
import nbformat
import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from .conftest import (
    ROOT,
    _QuietHandler,
    book_config,
    jupyter_book,
    next_frames,
    source_of,
    toc_files,
)
from .pages import (
    _UNTYPESET,
    _VISIBLE_TEXT,
    _WIDGETS_RENDERED,
    RAW_TEX,
    WIDGET_VIEW,
    accessibility_violations,
    answer_box_printed,
    answer_box_works,
    boxes_in,
    exercise_answer_boxes,
    open_page,
)

pytestmark = pytest.mark.book

PAGES = toc_files()
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPO_URL = CONFIG["repository"]["url"].rstrip("/")
IMAGE_FILE = re.compile(r"\.(png|jpe?g|gif|svg|webp|pdf)$", re.IGNORECASE)


def is_notebook(name: str) -> bool:
    """A chapter executed as a notebook: it declares a kernel (jupytext header)."""
    path = source_of(name)
    if path.suffix == ".ipynb":
        return True
    return "kernelspec" in jupytext.read(path).metadata


# -- what a page must look like in the browser ----------------------------------------

_IMAGES = """() => [...document.querySelectorAll("img")].map((img) => ({
  src: img.getAttribute("src"), alt: img.getAttribute("alt"),
  loaded: img.complete && img.naturalWidth > 0,
  hidden: img.offsetParent === null}))"""


def assert_page_is_right(page, problems: dict, name: str) -> None:
    assert problems["errors"] == [], f"{name}: JavaScript errors"

    untypeset = page.evaluate(_UNTYPESET)
    assert untypeset == [], f"{name}: math left untypeset: {untypeset}"
    assert page.locator("mjx-merror").count() == 0, f"{name}: MathJax reports an error"
    raw = RAW_TEX.findall(page.evaluate(_VISIBLE_TEXT))
    assert raw == [], f"{name}: raw TeX left in the rendered text: {raw[:5]}"

    for img in page.evaluate(_IMAGES):
        alt = (img["alt"] or "").strip()
        basename = (img["src"] or "").rsplit("/", 1)[-1].split("?")[0]
        assert alt, f"{name}: image {img['src']} has no alt text"
        assert not IMAGE_FILE.search(alt) and alt != basename, (
            f"{name}: image {img['src']} has a file name as alt text: {alt!r}"
        )
        assert img["loaded"] or img["hidden"], f"{name}: image {img['src']} broken"

    views = page.locator(WIDGET_VIEW).count()
    assert page.evaluate(_WIDGETS_RENDERED, WIDGET_VIEW), (
        f"{name}: not every one of the {views} widgets rendered"
    )


# -- accessibility, phones, print ------------------------------------------------

# axe-core's WCAG 2.1 A and AA rules; a serious or critical violation fails the page
# What a reader cannot see at the page's current width, found in one pass: display
# math (and math printed by a cell) wider than the text column that is not in a box
# that scrolls with the fade cue at its cut edge (backprop-site.js/.css), or whose
# start is cut; table cells that clip their text; wide tables without the cue;
# anything wider than the viewport outside a scrolling box; TeX commands printed as
# text by a cell. `wideProseMath` lists the display equations of the prose wider
# than the column (none may be at 1280 px: they are broken by hand).
_LAYOUT = r"""() => {
  // What a reader at this width cannot see, in one pass over the page.
  const vw = document.documentElement.clientWidth;
  const article = document.querySelector("article.bd-article")
    || document.querySelector("main") || document.body;
  const outer = article.getBoundingClientRect();
  const pad = getComputedStyle(article);
  const column = { left: outer.left + parseFloat(pad.paddingLeft),
                   width: article.clientWidth - parseFloat(pad.paddingLeft)
                     - parseFloat(pad.paddingRight) };
  const name = (el) => {
    const t = (el.closest("[id]") || {}).id || "";
    const mml = el.querySelector && el.querySelector("mjx-assistive-mml math");
    const text = mml ? mml.getAttribute("alttext") || mml.textContent : el.textContent;
    const what = (text || "").trim().slice(0, 60);
    return `${el.tagName.toLowerCase()}#${t.slice(0, 40)}: ${what}`;
  };
  const scroller = (el) => {
    for (let e = el; e && e !== article; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (["auto", "scroll"].includes(s.overflowX)) return e;
    }
    return null;
  };
  const cued = (box) => box && box.scrollWidth > box.clientWidth + 1
    && box.classList.contains("backprop-scroll")
    && (box.dataset.cut || "").includes("right");
  const report = { wideMath: [], wideProseMath: [], uncuedMath: [], hiddenStart: [],
                   clippedCells: [],
                   uncuedTables: [], tooWide: [], texInOutput: [], mathCount: 0 };
  for (const m of document.querySelectorAll("mjx-container")) {
    if (m.getAttribute("display") !== "true" && !m.closest(".cell_output")) continue;
    const math = m.querySelector("mjx-math") || m;
    report.mathCount += 1;
    const w = math.getBoundingClientRect();
    if (w.width > column.width + 1) {
      const where = `${Math.round(w.width)} > ${Math.round(column.width)} ${name(m)}`;
      report.wideMath.push(where);
      if (!m.closest(".cell_output")) report.wideProseMath.push(where);
      const box = scroller(math);
      if (!cued(box)) report.uncuedMath.push(name(m));
      if (box && w.left + 1 < box.getBoundingClientRect().left - box.scrollLeft) {
        report.hiddenStart.push(name(m));
      }
    }
  }
  for (const cell of article.querySelectorAll("td, th")) {
    if (cell.scrollWidth > cell.clientWidth + 1
        && getComputedStyle(cell).overflowX !== "visible") {
      report.clippedCells.push(name(cell));
    }
  }
  for (const table of article.querySelectorAll("table")) {
    const t = table.getBoundingClientRect();
    if (t.width > column.width + 1 && !cued(scroller(table))) {
      report.uncuedTables.push(`${Math.round(t.width)} ${name(table)}`);
    }
  }
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("mjx-assistive-mml")) continue;
    if (el.closest("mjx-container") && el.tagName !== "MJX-CONTAINER") continue;
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1 && getComputedStyle(el).position !== "fixed" && !scroller(el)
        && el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
        && ![...el.children].some((c) => c.getBoundingClientRect().right > vw + 1)) {
      report.tooWide.push(`${Math.round(r.right)} ${name(el)}`);
    }
  }
  const outputs = article.querySelectorAll(".cell_output, .output");
  for (const out of outputs) {
    const copy = out.cloneNode(true);
    copy.querySelectorAll("mjx-container, script, style, svg")
      .forEach((e) => e.remove());
    const found = (copy.innerText || copy.textContent).match(/\\[A-Za-z]+/g);
    if (found) {
      report.texInOutput.push(`${found.slice(0, 3).join(" ")} in ${name(out)}`);
    }
  }
  report.tooWide = report.tooWide.slice(0, 8);
  return report;
}"""

LAYOUT_CHECKS = (
    "uncuedMath", "hiddenStart", "clippedCells", "uncuedTables", "tooWide",
    "texInOutput",
)  # fmt: skip


# The scroll cues agree with the boxes at the page's current width (what
# backprop-site.js's markCut sets, after the resize it listens to)
# (the boxes are those backprop-site.js marks: it names them on `window`)
_CUES_SETTLED = """(width) => window.innerWidth === width
  && [...document.querySelectorAll(window.backpropScrollBoxes)].every((box) => {
    const over = box.scrollWidth > box.clientWidth + 1;
    if (box.classList.contains("backprop-scroll") !== over) return false;
    if (!over) return box.dataset.cut === undefined;
    const cut = [];
    if (box.scrollLeft > 1) cut.push("left");
    if (box.scrollLeft + box.clientWidth < box.scrollWidth - 1) cut.push("right");
    return box.dataset.cut === cut.join(" ");
  })"""

# The figures drawn by backprop_lib.draw (SVG, their text drawn as paths: a text is a
# group scaled by its font size / 100, in the SVG's user units, whose width is the
# viewBox's): the smallest text of each as shown now, in CSS px, and the width it
# needs. Every one must be at least 9 px (tests/test_draw.py's assert_legible, at
# the 688-px column) at any width.
_FIGURE_TEXT = """async () => {
  const found = [];
  const images = [...document.querySelectorAll('.cell_output img[src$=".svg"]')]
    .filter((img) => img.checkVisibility());
  for (const img of images) {
    const svg = await (await fetch(img.src)).text();
    const viewBox = svg.match(/<svg[^>]*\\bviewBox="[\\d.]+ [\\d.]+ ([\\d.]+)/);
    const text = /<g [^>]*transform="[^"]*scale\\(([\\d.]+) -\\1\\)"/g;
    const sizes = [...svg.matchAll(text)].map((m) => 100 * parseFloat(m[1]));
    const name = img.src.split("/").pop().slice(0, 12);
    if (!viewBox || !sizes.length) {
      found.push(`${name}: no viewBox or no text found in the SVG`);
      continue;
    }
    const width = img.getBoundingClientRect().width;
    const pt = Math.min(...sizes);
    const px = (pt * width) / parseFloat(viewBox[1]);
    const needs = Math.ceil((9 * parseFloat(viewBox[1])) / pt);
    // an image's width is rounded to a whole or half pixel: 0.02 px of slack
    if (px < 8.98) {
      found.push(`${name}: text ${px.toFixed(2)} px, ${width} px wide of ${needs}`);
    }
  }
  return found;
}"""


def layout_problems(page, width: int) -> dict:
    """`_LAYOUT`'s findings at `width` CSS pixels (after the scroll cues settle:
    cues that never settle, `_LAYOUT` reports as uncued)."""
    page.set_viewport_size({"width": width, "height": 844})
    assert page.evaluate("() => typeof window.backpropScrollBoxes") == "string", (
        "backprop-site.js did not name its scrolling boxes (window.backpropScrollBoxes)"
    )
    try:
        page.wait_for_function(_CUES_SETTLED, arg=width, timeout=5_000, polling="raf")
    except PlaywrightTimeout:
        pass
    next_frames(page)
    report = page.evaluate(_LAYOUT)
    found = {k: report[k] for k in LAYOUT_CHECKS if report[k]}
    small = page.evaluate(_FIGURE_TEXT)
    if small:
        found["smallFigureText"] = small
    if width >= 1280 and report["wideProseMath"]:
        found["wideProseMath"] = report["wideProseMath"]
    return found


PHONE = {"width": 390, "height": 844}
_TOO_WIDE = """(width) => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > width + 1
    && getComputedStyle(el).position !== "fixed")
  .filter((el) => ![...el.children].some(
    (c) => c.getBoundingClientRect().right > width + 1))
  .slice(0, 8)
  .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} `
    + `right=${Math.round(el.getBoundingClientRect().right)}`)"""


def horizontal_overflow(page) -> list[str]:
    """At 390 x 844 CSS pixels: the page is wider than the screen, and by what."""
    page.set_viewport_size(PHONE)
    next_frames(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width <= PHONE["width"]:
        return []
    widest = page.evaluate(_TOO_WIDE, PHONE["width"])
    return [f"scrollWidth {width} > {PHONE['width']}", *widest]


# What a printed page must not show (the site's chrome); outputs of code cells keep
# their own controls (they are the chapters' figures).
PRINT_HIDDEN = (
    ".bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, "
    ".prev-next-area, .bd-footer, .bd-header, button:not(.cell_output button)"
)
_VISIBLE_IN = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.checkVisibility())
  .map((el) => el.outerHTML.slice(0, 120))"""


def printed_chrome(page) -> list[str]:
    """Sidebars, navigation and buttons still shown when the page is printed."""
    page.emulate_media(media="print")
    try:
        shown = page.evaluate(_VISIBLE_IN, PRINT_HIDDEN)
        shown += page.evaluate(_UNTYPESET)
    finally:
        page.emulate_media(media="screen")
    return shown


# -- internal links --------------------------------------------------------------------


@cache
def fetch(url: str) -> tuple[int, bytes]:
    """HTTP status and body of a same-site URL."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, b""


def ids_in(body: bytes) -> set[str]:
    return {unquote(i.decode()) for i in re.findall(rb'\b(?:id|name)="([^"]+)"', body)}


def equation_numbers(body: bytes) -> dict[str, str]:
    """Equation anchor -> the number printed next to the equation, e.g. "(1)"."""
    found = re.findall(rb'id="(equation-[^"]+)">\s*<span class="eqno">([^<]+)<', body)
    return {unquote(k.decode()): v.decode().strip() for k, v in found}


def broken_links(page, site_url: str) -> list[str]:
    here = urldefrag(page.url)[0]
    hrefs = page.evaluate(
        "() => [...document.querySelectorAll('a[href]')].map((a) => a.href)"
    )
    broken = []
    for href in sorted(set(hrefs)):
        if not href.startswith(site_url + "/"):
            continue
        target, fragment = urldefrag(href)
        target = target.split("?")[0]
        status, body = fetch(target)
        if status != 200:
            broken.append(f"{href} -> HTTP {status}")
            continue
        fragment = unquote(fragment)
        if fragment and fragment not in ids_in(body):
            if target == here and page.evaluate(
                "(id) => document.getElementById(id) !== null", fragment
            ):
                continue
            broken.append(f"{href} -> no element with id {fragment!r}")
    return broken


def wrong_equation_references(page, site_url: str) -> list[str]:
    """{eq} references whose text is not the number printed by their equation."""
    refs = page.evaluate(
        """() => [...document.querySelectorAll('a.reference[href*="#equation-"]')]
          .map((a) => [a.href, a.textContent.trim()])"""
    )
    wrong = []
    for href, text in refs:
        target, fragment = urldefrag(href)
        if not target.startswith(site_url + "/"):
            continue
        number = equation_numbers(fetch(target)[1]).get(unquote(fragment))
        if number != text:
            wrong.append(f"{href}: the reference reads {text!r}, the equation {number}")
    return wrong


# -- the default build, as published --------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("name", PAGES)
def test_page_renders_in_a_browser(built_book, site_url, site_page, name):
    """The default build, one load per page: rendered, linked, and (where the page
    has answer boxes) every box typed into; then axe-core (seeing the verdicts),
    print and the phone's width, once per page (the offline build has the same
    article: test_the_offline_build_has_the_default_builds_content)."""
    boxes = boxes_in((built_book / f"{name}.html").read_text(encoding="utf-8"))
    problems = open_page(site_page, f"{site_url}/{name}.html")
    assert_page_is_right(site_page, problems, name)
    assert site_page.external == [], f"{name}: requests to other sites"
    assert broken_links(site_page, site_url) == [], f"{name}: broken internal links"
    assert wrong_equation_references(site_page, site_url) == [], name
    if boxes:
        exercise_answer_boxes(site_page, problems, boxes, name)
    check_accessible_printable_and_narrow(site_page, name)
    if boxes:  # after axe-core, which never runs after a print emulation (as before)
        answer_box_printed(site_page)
    assert problems["errors"] == [] and problems["dialogs"] == [], name
    assert site_page.external == [], f"{name}: requests to other sites"


def check_accessible_printable_and_narrow(page, name: str) -> None:
    """axe-core, the print stylesheet, a 390-px phone: run once per page, in the
    default build."""
    violations = accessibility_violations(page)
    assert violations == [], f"{name}: accessibility violations:\n" + "\n".join(
        violations
    )
    assistive_math(page, name)
    assert printed_chrome(page) == [], f"{name}: printed with the site's chrome"
    for width in (1280, 390):  # the phone's width last: horizontal_overflow's
        problems = layout_problems(page, width)
        assert problems == {}, f"{name} at {width} px: {problems}"
    overflow = horizontal_overflow(page)
    assert overflow == [], f"{name}: wider than a phone: " + "; ".join(overflow)


def assistive_math(page, name: str) -> None:
    """Every formula carries MathJax's assistive MathML (for screen readers)."""
    assert (
        page.locator("mjx-assistive-mml").count()
        == page.locator("mjx-container").count()
    ), f"{name}: math without MathJax's assistive MathML for screen readers"


def _chapters_mentioning(word: str) -> list[str]:
    return [name for name in PAGES if word in source_of(name).read_text()]


@pytest.mark.browser
@pytest.mark.parametrize("query", ["BP2", "gradcheck"])
def test_search_finds(site_url, site_page, query):
    expected = _chapters_mentioning(query)
    assert expected, f"no chapter in _toc.yml mentions {query!r}: pick another query"
    problems = open_page(site_page, f"{site_url}/search.html?q={query}")
    results = site_page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=20_000)
    found = {
        urlsplit(href).path.lstrip("/").removesuffix(".html")
        for href in results.evaluate_all("(links) => links.map((a) => a.href)")
    }
    assert problems["errors"] == []
    assert set(expected) & found, f"searching {query!r} found {found}, not {expected}"


@pytest.mark.browser
def test_site_chrome(site_url, site_page):
    """Title, logo, favicon, author and year, repository and issue links, download."""
    first = next(name for name in PAGES if is_notebook(name))
    problems = open_page(site_page, f"{site_url}/{first}.html")
    assert problems["errors"] == []
    assert CONFIG["title"] in site_page.title()
    logo = site_page.locator("img.logo__image").first
    assert logo.evaluate("(img) => img.complete && img.naturalWidth > 0")
    assert CONFIG["title"] in site_page.locator(".navbar-brand").first.inner_text()
    icon = site_page.locator("link[rel='icon']").get_attribute("href")
    assert icon.endswith(".png") and fetch(urljoin(site_page.url, icon))[0] == 200
    footer = " ".join(site_page.locator("footer").all_inner_texts())
    assert "2026" in footer and CONFIG["author"] in footer
    hrefs = site_page.evaluate(
        "() => [...document.querySelectorAll('a[href]')].map((a) => a.href)"
    )
    assert REPO_URL in hrefs
    assert any(h.startswith(f"{REPO_URL}/issues/new") for h in hrefs)
    # the download menu saves the chapter as a notebook (not a page of raw JSON)
    site_page.locator(".dropdown-download-buttons button").first.click()
    with site_page.expect_download() as download:
        site_page.locator("a.btn-download-notebook-button").click()
    assert download.value.suggested_filename == f"{Path(first).name}.ipynb"


def test_launch_buttons_point_at_real_files(built_book):
    """Binder opens the chapter's own file in JupyterLab; no Colab for .md chapters."""
    branch = CONFIG["repository"]["branch"]
    org_repo = urlsplit(REPO_URL).path.strip("/")
    for name in PAGES:
        html = (built_book / f"{name}.html").read_text()
        assert "colab.research.google.com" not in html, f"{name}: a Colab button"
        binder = re.findall(r'href="(https://mybinder\.org/[^"]+)"', html)
        if not is_notebook(name):
            continue
        assert len(binder) == 1, f"{name}: expected one Binder link, found {binder}"
        url = binder[0].replace("&amp;", "&")
        prefix = f"https://mybinder.org/v2/gh/{org_repo}/{branch}?urlpath=lab/tree/"
        assert url.startswith(prefix), url
        opened = url.removeprefix(prefix)
        assert (ROOT / opened).resolve() == source_of(name).resolve(), url


def test_every_chapter_downloads_as_a_notebook(built_book):
    """The .ipynb behind each chapter's download button holds the chapter's cells."""
    notebooks = [name for name in PAGES if is_notebook(name)]
    assert notebooks
    for name in notebooks:
        html = (built_book / f"{name}.html").read_text()
        link = re.search(
            r'href="([^"]+\.ipynb)"[^>]*btn-download-notebook-button', html
        )
        assert link, f"{name}: no .ipynb in the download menu"
        path = (built_book / name).parent / link.group(1)
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert nb.metadata.kernelspec.name, f"{name}: the notebook has no kernel"
        # compare with jupytext's reading of the source (myst-nb wrote the download)
        source = jupytext.read(source_of(name))
        code = [c.source.strip() for c in nb.cells if c.cell_type == "code"]
        expected = [c.source.strip() for c in source.cells if c.cell_type == "code"]
        assert code == expected, f"{name}: the notebook's code differs from the source"
        prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        for cell in source.cells:
            if cell.cell_type == "markdown" and cell.source.strip():
                first_line = cell.source.strip().splitlines()[0]
                assert first_line in prose, f"{name}: lost {first_line!r}"


def test_no_duplicate_scripts(built_book):
    """The thebe configuration once per page: twice is a SyntaxError in the browser."""
    for name in PAGES:
        html = (built_book / f"{name}.html").read_text()
        assert html.count("const THEBE_JS_URL") <= 1, name


# -- the offline build ----------------------------------------------------------


NOTE = ".backprop-noscript-note"


@pytest.mark.browser
def test_a_page_whose_scripts_cannot_load_says_so_once(built_book, offline_page):
    """The default build read with no internet (every request that leaves the
    machine aborted): MathJax cannot load, and the page says so once, at the top of
    the text, pointing to the offline build."""
    name = next(n for n in PAGES if "$$" in source_of(n).read_text())
    offline_page.goto((built_book / f"{name}.html").as_uri(), wait_until="load")
    notes = offline_page.locator(NOTE)
    expect(notes.first).to_be_attached()
    offline_page.wait_for_load_state("networkidle")  # whatever loads late has run
    next_frames(offline_page)
    assert offline_page.attempts, "the page asked for nothing from the network"
    assert notes.count() == 1, f"{name}: {notes.count()} notes"
    assert notes.first.is_visible()
    assert "make book-offline" in notes.first.inner_text()
    before = offline_page.evaluate(
        """(sel) => { const article = document.querySelector("article.bd-article");
          const note = document.querySelector(sel);
          return [...article.querySelectorAll("h1, p")].filter((el) =>
            note.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING
          ).length; }""",
        NOTE,
    )
    assert before == 0, f"{name}: the note is not at the top of the page"


def test_offline_build_bundles_its_assets(offline_book):
    static = offline_book / "_static" / "offline"
    for path in (
        "mathjax/tex-mml-chtml.js",
        "require.js",
        "html-manager/embed-amd.js",
        "anywidget/index.js",
    ):
        assert (static / path).is_file(), path
    for name in PAGES:
        html = (offline_book / f"{name}.html").read_text()
        assert "cdn.jsdelivr.net/npm/mathjax" not in html, name
        assert "cdnjs.cloudflare.com" not in html, name


# What differs between the two builds by design: where the scripts come from (CDNs
# or _static/offline/), the note for readers whose CDN scripts could not load (the
# default build only), and the order of the keys of the widgets' JSON (the default
# build writes the kernel's, the offline one the execution cache's).
_SCRIPT_SRC = re.compile(r'(<script\b[^>]*?\bsrc=")[^"]*(")')
_JSON_SCRIPT = re.compile(
    r'(<script type="application/vnd\.jupyter\.widget-[a-z-]+\+json">)(.*?)(</script>)',
    re.S,
)
_NOTE_SOURCE = re.compile(
    r'<noscript class="backprop-offline-note">.*?</noscript>', re.S
)
_STYLESHEET = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*>')


def _as_read(html: str) -> tuple[list[str], str, list]:
    """What a reader's browser lays out from a built page, with the differences by
    design taken out: the style sheets, the <body> and the widgets' JSON."""
    head, body = html.split("<body", 1)
    body = _NOTE_SOURCE.sub("", body)
    found = [json.loads(m.group(2)) for m in _JSON_SCRIPT.finditer(html)]
    body = _JSON_SCRIPT.sub(r"\1\3", body)
    body = _SCRIPT_SRC.sub(r"\1\2", body)
    return _STYLESHEET.findall(head), body, found


def test_the_offline_build_has_the_default_builds_content(built_book, offline_book):
    """Page for page, the offline build is the default build with its scripts taken
    from elsewhere: the same style sheets, the same <body> (the article, the
    navigation, the answer boxes) and the same widgets. So axe-core, print and the
    layout at 1280 and 390 px, which the browser checks on the default build, hold
    for the offline one; its browser test checks what the scripts do offline."""
    assert PAGES
    for name in PAGES:
        default = _as_read((built_book / f"{name}.html").read_text(encoding="utf-8"))
        offline = _as_read((offline_book / f"{name}.html").read_text(encoding="utf-8"))
        assert offline[0] == default[0], f"{name}: other style sheets offline"
        assert offline[2] == default[2], f"{name}: other widgets offline"
        if offline[1] != default[1]:
            diff = difflib.unified_diff(
                default[1].splitlines(), offline[1].splitlines(), lineterm="", n=1
            )
            pytest.fail(f"{name}: the offline page differs:\n" + "\n".join(diff)[:3000])


@pytest.mark.browser
@pytest.mark.parametrize("name", PAGES)
def test_offline_page_renders_with_no_network(offline_book, offline_page, name):
    """The offline build from file://, nothing leaving the machine: rendered (math,
    widgets, images), no note, and a box of the page answers. axe-core, print and
    layout are the default build's (the same article, with its scripts from
    elsewhere: test_the_offline_build_has_the_default_builds_content)."""
    boxes = boxes_in((offline_book / f"{name}.html").read_text(encoding="utf-8"))
    url = (offline_book / f"{name}.html").as_uri()
    problems = open_page(offline_page, url)
    assert_page_is_right(offline_page, problems, name)
    assert offline_page.attempts == [], f"{name}: tried to reach the network"
    # nothing failed to load, so no note says it did
    assert offline_page.locator(".backprop-noscript-note").count() == 0, name
    assistive_math(offline_page, name)
    if boxes:
        answer_box_works(offline_page, boxes[0], name)
    assert problems["errors"] == [] and problems["dialogs"] == [], name
    assert offline_page.attempts == [], f"{name}: tried to reach the network"


WIDGET_PAGE = r"""
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Widgets

Inline math $a^\ell = \sigma(z^\ell)$ and an equation,

$$
\delta^L = \nabla_a C \odot \sigma'(z^L).
$$ (eq-bp1)

```{code-cell} ipython3
import ipywidgets as widgets

widgets.FloatSlider(value=0.5, min=0, max=1, description=r"$\eta$")
```

```{code-cell} ipython3
import anywidget
import traitlets


class Counter(anywidget.AnyWidget):
    _esm = '''
    function render({ model, el }) {
      const button = document.createElement("button");
      button.className = "test-counter";
      const show = () => { button.textContent = `count is ${model.get("value")}`; };
      button.addEventListener("click", () => {
        model.set("value", model.get("value") + 1);
        model.save_changes();
      });
      model.on("change:value", show);
      show();
      el.appendChild(button);
    }
    export default { render };
    '''
    value = traitlets.Int(3).tag(sync=True)


Counter()
```

```{code-cell} ipython3
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([0, 1], [1, 0])
ax.set_title("Cost falls along the line")
plt.show()
```
"""


@pytest.fixture(scope="module")
def widget_book(tmp_path_factory) -> dict[str, Path]:
    """A one-page book: a slider, an anywidget widget and a plot, built both ways."""
    src = tmp_path_factory.mktemp("widget_book")
    (src / "widgets.md").write_text(textwrap.dedent(WIDGET_PAGE).lstrip())
    (src / "_toc.yml").write_text("format: jb-book\nroot: widgets\n")
    built, cache = {}, tmp_path_factory.mktemp("widget_cache")
    for variant, offline in (("online", False), ("offline", True)):
        cfg_dir = tmp_path_factory.mktemp(f"widget_config_{variant}")
        cfg = book_config(cfg_dir, "cache", cache=cache, offline_site=offline)
        config = yaml.safe_load(cfg.read_text())
        # the book's own files, found from another source folder
        config["logo"] = str(ROOT / config["logo"])
        config["html"]["favicon"] = str(ROOT / config["html"]["favicon"])
        config["bibtex_bibfiles"] = [str(ROOT / b) for b in config["bibtex_bibfiles"]]
        cfg.write_text(yaml.safe_dump(config))
        built[variant] = jupyter_book(src, cfg, tmp_path_factory.mktemp(variant))
    built["source"] = src
    return built


def _check_widget_page(page, problems):
    assert_page_is_right(page, problems, "widgets")
    assert page.locator(WIDGET_VIEW).count() == 2
    assert page.locator(".widget-slider").count() == 1
    # the label's math went through MathJax (the widgets ask MathJax 2's API for it)
    page.locator(".widget-label mjx-container").wait_for(timeout=10_000)
    counter = page.locator("button.test-counter")
    assert counter.inner_text() == "count is 3"
    counter.click()  # the anywidget front end runs the widget's own JavaScript
    assert counter.inner_text() == "count is 4"
    alt = page.locator(".cell_output img").get_attribute("alt")
    assert "Cost falls along the line" in alt


PDF_LINK = re.compile(r'<div class="backprop-pdf-link">\s*<a href="([^"]+)"')


@pytest.mark.browser  # with the widget book's tests (conftest._GROUPS)
def test_the_sidebar_links_the_pdf_only_in_a_build_that_has_it(
    widget_book, tmp_path_factory
):
    """A build without the book's PDF has no link to it (no dead link); a build
    given one (as `make pdf` rebuilds the site) links it and holds the file."""
    html = (widget_book["online"] / "widgets.html").read_text()
    assert "backprop-pdf-link" not in html
    tmp = tmp_path_factory.mktemp("with_pdf")
    pdf = tmp / "backprop-derived.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    cfg = book_config(tmp, "off", book_pdf=str(pdf))
    config = yaml.safe_load(cfg.read_text())
    config["logo"] = str(ROOT / config["logo"])
    config["html"]["favicon"] = str(ROOT / config["html"]["favicon"])
    config["bibtex_bibfiles"] = [str(ROOT / b) for b in config["bibtex_bibfiles"]]
    cfg.write_text(yaml.safe_dump(config))
    page = jupyter_book(widget_book["source"], cfg, tmp / "out") / "widgets.html"
    link = PDF_LINK.search(page.read_text())
    assert link, "no link to the PDF in a build that has it"
    target = (page.parent / unquote(link.group(1))).resolve()
    assert target.is_file() and target.read_bytes() == pdf.read_bytes()


@pytest.mark.browser  # (on one pytest-xdist worker with the next: conftest._GROUPS)
def test_widgets_render_from_the_cdns(widget_book, site_page):
    """Default build: the CDN front ends load (served locally here), with no 404."""
    handler = functools.partial(_QuietHandler, directory=str(widget_book["online"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/widgets.html"
        problems = open_page(site_page, url)
        _check_widget_page(site_page, problems)
        assert site_page.external == []
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_widgets_render_offline(widget_book, offline_page):
    """Offline build from file://, no network at all: math, slider, anywidget, plot."""
    url = (widget_book["offline"] / "widgets.html").as_uri()
    problems = open_page(offline_page, url)
    _check_widget_page(offline_page, problems)
    assert offline_page.attempts == []


# -- every internal link of the built HTML, and the external ones ------------------


def _tools():
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import links

    return links


def test_every_internal_link_resolves(built_book):
    """Every relative href of every built page: an existing file, an existing id.
    The sidebar links the PDF only in a build that has it (checked, with the link
    resolved, by test_the_sidebar_links_the_pdf_only_in_a_build_that_has_it)."""
    links = _tools()
    ids: dict[Path, set[str]] = {}
    broken = []
    pages = [p for p in built_book.rglob("*.html") if "_static" not in p.parts]
    assert len(pages) >= len(PAGES)
    for page in pages:
        for href in links.parse(page).hrefs:
            if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
                continue  # external (http:, mailto:, javascript: ...)
            target, fragment = urldefrag(href)
            target = unquote(target.split("?")[0])
            path = (page.parent / target).resolve() if target else page
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken.append(f"{page.relative_to(built_book)}: {href} (no file)")
                continue
            if fragment and path.suffix == ".html":
                if path not in ids:
                    ids[path] = links.parse(path).ids
                if unquote(fragment) not in ids[path]:
                    broken.append(f"{page.relative_to(built_book)}: {href} (no id)")
    assert broken == [], "\n".join(broken[:20])


def test_make_links_lists_the_references_urls(built_book):
    """`make links` prints every URL and DOI of the bibliography the book cites."""
    links = _tools()
    listed = links.external_links(built_book)
    assert REPO_URL in listed
    bib = (ROOT / "references.bib").read_text()
    cited = set(
        re.findall(
            r"\{cite:[pt]\}`([^`]+)`", "".join(source_of(n).read_text() for n in PAGES)
        )
    )
    keys = {k.strip() for c in cited for k in c.split(",")}
    for entry in re.split(r"\n@", bib):
        key = re.match(r"@?\w+\{([^,]+),", entry.strip())
        if not key or key.group(1) not in keys:
            continue
        for url in re.findall(r"\burl\s*=\s*[{\"]([^}\"]+)", entry):
            assert url in listed, f"{key.group(1)}: {url} not listed"
        for doi in re.findall(r"\bdoi\s*=\s*[{\"]([^}\"]+)", entry):
            assert f"https://doi.org/{doi}" in listed, f"{key.group(1)}: DOI {doi}"


def test_site_extension_does_not_import_tests():
    """The Sphinx extension is self-contained: it never reads from tests/."""
    for path in (ROOT / "_ext").rglob("*.py"):
        text = path.read_text()
        assert not re.search(
            r"""\bimport tests\b|\bfrom tests\b|["']tests["']""", text
        ), path
