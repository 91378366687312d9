"""The built pages speak to readers: no private words, no raw TeX in links."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from .conftest import toc_files

pytestmark = pytest.mark.book

# What is not prose: code cells with their outputs (figures, printed text, widgets),
# code and literal blocks, scripts and styles.
NOT_PROSE = "div.cell, .cell_output, pre, code, script, style, .jupyter-widgets"
# Link text that is raw TeX: a backslash or a dollar sign outside rendered math.
RAW_TEX = re.compile(r"[\\$]")


def _article(html: str) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    return soup.select_one("article") or soup.body


def _prose(article) -> str:
    for node in article.select(NOT_PROSE):
        node.decompose()
    return article.get_text(" ")


def _pages(built_book):
    for name in toc_files():
        yield name, (built_book / f"{name}.html").read_text()


def test_prose_helpers_see_what_a_reader_sees():
    # the helpers must be able to fail: prose with the word is caught, code is not
    page = (
        "<article><p>Seed 001 says</p><div class='cell'><pre>seed=0</pre></div>"
        "<a href='#x'>\\(\\sum_k\\)</a><a href='#y'><span class='math'>\\(k\\)</span>"
        " copies</a></article>"
    )
    article = _article(page)
    bad = [a.get_text() for a in article.select("a") if RAW_TEX.search(_link_text(a))]
    assert bad == ["\\(\\sum_k\\)"]
    assert re.search(r"\bseed", _prose(article), re.IGNORECASE)
    assert not re.search(r"\bseed", _prose(_article(page.replace("Seed 001", "A"))), re.I)


def _link_text(a) -> str:
    """The link's text outside rendered math (MathJax typesets .math spans)."""
    a = BeautifulSoup(str(a), "html.parser")
    for math in a.select(".math"):
        math.decompose()
    return a.get_text()


def test_no_page_says_seed(built_book):
    found = {}
    for name, html in _pages(built_book):
        text = _prose(_article(html))
        hits = [m.group(0) for m in re.finditer(r".{0,40}\bseed.{0,40}", text, re.I)]
        if hits:
            found[name] = hits
    assert not found, f"prose that says 'seed': {found}"


def test_no_link_text_is_raw_tex(built_book):
    found = {}
    for name, html in _pages(built_book):
        article = BeautifulSoup(html, "html.parser").body  # the navigation too
        for node in article.select("div.cell, .cell_output"):
            node.decompose()
        bad = [a.get_text() for a in article.select("a") if RAW_TEX.search(_link_text(a))]
        if bad:
            found[name] = bad
    assert not found, f"links whose text is raw TeX: {found}"
