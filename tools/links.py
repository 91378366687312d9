"""Every link in the built book: `make links` prints the external ones.

The machine that builds the book cannot reach the web, so external links cannot be
checked here; this lists each one with the pages that use it, for a person (or a
machine with internet) to check. The tests use :func:`links_by_page` to check that
every internal link points to a file and an anchor that exist.

Usage: ``python tools/links.py [HTML_DIR]`` (default ``_build/html``).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

from shared import toc_pages

ROOT = Path(__file__).resolve().parents[1]
# the theme's own links (fonts, the theme's home pages) are not the book's
THEME_HOSTS = (
    "https://pydata-sphinx-theme",
    "https://sphinx-book-theme",
    "https://www.sphinx-doc.org",
    "https://jupyterbook.org",
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def parse(path: Path) -> _Links:
    """The hrefs of the page's ``<a>`` elements and the ids it defines."""
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def links_by_page(html: Path) -> dict[str, list[str]]:
    """Page of ``_toc.yml`` -> the hrefs of its links, as written in the HTML."""
    return {name: parse(html / f"{name}.html").hrefs for name in toc_pages()}


def external_links(html: Path) -> dict[str, list[str]]:
    """External URL -> the pages linking to it."""
    found = defaultdict(list)
    for name, hrefs in links_by_page(html).items():
        for href in hrefs:
            if href.startswith(
                ("http://", "https://", "mailto:")
            ) and not href.startswith(THEME_HOSTS):
                if name not in found[href]:
                    found[href].append(name)
    return dict(sorted(found.items()))


def main(argv: list[str]) -> int:
    html = Path(argv[0]) if argv else ROOT / "_build" / "html"
    if not (html / "index.html").exists():
        print(f"{html} holds no built book: run `make book` first", file=sys.stderr)
        return 1
    links = external_links(html)
    for url, pages in links.items():
        print(f"{url}\t{', '.join(pages)}")
    print(f"{len(links)} external links in {len(toc_pages())} pages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
