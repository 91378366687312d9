"""The whole book as one PDF: the single-page HTML build, printed by Chromium.

``make pdf`` builds the book with Sphinx's ``singlehtml`` builder (offline, so that
MathJax is local) and runs this script, which opens that page in headless Chromium,
waits until MathJax has typeset every formula and the widgets have drawn, adds a
title page and a table of contents, numbers the chapters, unfolds every folded
solution and prints the page with the site's print stylesheet
(``_ext/static/backprop-site.css``) to ``_build/pdf/backprop-derived.pdf``.

Usage: ``python tools/build_pdf.py SINGLEHTML_DIR OUTPUT_DIR [COPY_TO_DIR ...]``: the
PDF (named ``PDF_NAME``, the name the site's sidebar links) goes into ``OUTPUT_DIR``,
and a copy into each ``COPY_TO_DIR`` (``make pdf``: the site's ``_build/html``).
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from shared import CHROMIUM, CHROMIUM_ARGS, PDF_NAME, toc_pages  # noqa: E402

# Typeset: every .math element holds MathJax's output, and MathJax has settled.
_WAIT_MATH = """async () => {
  if (!document.querySelector(".math")) return true;
  if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) return false;
  await MathJax.startup.promise;
  return [...document.querySelectorAll(".math")]
    .every((el) => el.querySelector("mjx-container"));
}"""

_WIDGETS_DRAWN = """() => [...document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]')].every((script) => {
  const area = script.previousElementSibling;
  return area && area.classList.contains("widget-subarea")
    && area.firstElementChild && area.firstElementChild.offsetHeight > 0;
})"""

# Title page, contents, chapter numbers, unfolded solutions and details.
_PREPARE = """([title, author, when, chapters]) => {
  const article = document.querySelector("article.bd-article") || document.body;
  // chapters: the first heading of each chapter's section, in the toc's order
  const headings = [];
  for (const id of chapters) {
    const section = document.getElementById(id);
    // singlehtml nests each chapter in the landing page's section: h2, not h1
    const h1 = section && section.querySelector(":scope > h1, :scope > h2");
    if (h1) headings.push(h1);
  }
  headings.forEach((h1, i) => {
    h1.querySelectorAll(".headerlink").forEach((a) => a.remove());
    const number = document.createElement("span");
    number.className = "backprop-chapter-number";
    number.textContent = `Chapter ${i + 1}. `;
    h1.prepend(number);
    h1.closest("section").classList.add("backprop-pdf-chapter");
  });
  const front = document.createElement("section");
  front.className = "backprop-pdf-front";
  const page = document.createElement("div");
  page.className = "backprop-pdf-title";
  page.innerHTML = "<p class='backprop-pdf-book'></p><p class='backprop-pdf-by'></p>"
    + "<p class='backprop-pdf-when'></p>";
  page.children[0].textContent = title;
  page.children[1].textContent = author;
  page.children[2].textContent = when;
  const contents = document.createElement("nav");
  contents.className = "backprop-pdf-contents";
  contents.setAttribute("aria-label", "Contents");
  const heading = document.createElement("h2");
  heading.textContent = "Contents";
  const list = document.createElement("ol");
  for (const h1 of headings) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = "#" + h1.closest("section").id;
    link.textContent = h1.textContent.replace(/^Chapter \\d+\\. /, "");
    item.append(link);
    list.append(item);
  }
  contents.append(heading, list);
  front.append(page, contents);
  article.prepend(front);
  // folded solutions and dropdowns print open
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  document.querySelectorAll(".toggle-hidden").forEach((el) => {
    el.classList.remove("toggle-hidden");
  });
  return headings.length;
}"""

_PDF_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
.backprop-pdf-title { break-after: page; text-align: center; padding-top: 35vh; }
.backprop-pdf-book { font-size: 2.6em; font-weight: 700; margin-bottom: 1em; }
.backprop-pdf-by, .backprop-pdf-when { font-size: 1.2em; }
.backprop-pdf-contents { break-after: page; }
.backprop-pdf-contents ol { font-size: 1.15em; line-height: 1.9; }
section.backprop-pdf-chapter { break-before: page; }
.backprop-chapter-number { display: block; font-size: 0.6em; font-weight: 400; }
.bd-sidebar-primary, .bd-sidebar-secondary, .bd-header, .bd-header-article,
.bd-footer, .prev-next-area { display: none !important; }
"""


def chapter_ids(html: str, pages: list[str]) -> list[str]:
    """The id of each page's top section in the single-page build, in toc order."""
    import re

    ids = []
    for name in pages[1:]:  # the landing page is the book's opening, not a chapter
        # singlehtml keeps each document's first section id; find it after the
        # document's anchor ("document-chapters/x")
        anchor = html.find(f'id="document-{name}"')
        if anchor < 0:
            continue
        m = re.search(r'<section[^>]*\bid="([^"]+)"', html[anchor:])
        if m:
            ids.append(m.group(1))
    return ids


def print_book(singlehtml: Path, output: Path, browser=None) -> int:
    """Print the single-page build in ``singlehtml`` to ``output``.

    ``browser``: a Playwright browser to print with (the tests pass the one they
    already drive: Playwright's sync API cannot start a second one beside it); by
    default a headless Chromium of its own. Returns the number of chapters it
    numbered."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    # the root document's page (index.html only redirects to it); Sphinx writes its
    # links relative to the output folder, so it is read from there
    built = singlehtml / f"{toc_pages()[0]}.html"
    if not built.is_file():
        raise FileNotFoundError(f"{built} not found: build the singlehtml book first")
    index = (singlehtml / "backprop-derived.html").resolve()
    index.write_text(built.read_text(encoding="utf-8"), encoding="utf-8")
    ids = chapter_ids(index.read_text(encoding="utf-8"), toc_pages())
    output.parent.mkdir(parents=True, exist_ok=True)
    if browser is not None:
        return _print(browser, index, output, config, ids)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        own = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return _print(own, index, output, config, ids)
        finally:
            own.close()


def _print(browser, index: Path, output: Path, config: dict, ids: list[str]) -> int:
    """Open the single page in a new tab of ``browser`` and print it to ``output``."""
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    # a local file, read with no network: every other request is refused
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("file://", "data:", "blob:"))
            else route.abort()
        ),
    )
    page.set_default_timeout(300_000)  # a 150-page document on a busy machine
    page.goto(index.as_uri(), wait_until="load")
    page.wait_for_function(_WAIT_MATH, timeout=300_000, polling=500)
    page.wait_for_function(_WIDGETS_DRAWN, timeout=300_000, polling=500)
    page.wait_for_timeout(500)
    page.emulate_media(media="print")
    chapters = page.evaluate(
        _PREPARE,
        [
            config["title"],
            config["author"],
            date.today().strftime("%B %Y"),
            ids,
        ],
    )
    page.add_style_tag(content=_PDF_CSS)
    page.wait_for_function(_WAIT_MATH, timeout=300_000, polling=500)
    page.pdf(
        path=str(output),
        format="A4",
        print_background=True,
        outline=True,
        tagged=True,
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=(
            "<div style='font-size:8px;width:100%;text-align:center'>"
            "<span class='pageNumber'></span></div>"
        ),
    )
    page.close()
    return chapters


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    pdf = Path(argv[1]) / PDF_NAME
    chapters = print_book(Path(argv[0]), pdf)
    for folder in argv[2:]:
        shutil.copy2(pdf, Path(folder) / PDF_NAME)
    print(f"{pdf}: {chapters} chapters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
