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
    clean = _article(page.replace("Seed 001", "A note"))
    assert not re.search(r"\bseed", _prose(clean), re.IGNORECASE)


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
        bad = [
            a.get_text() for a in article.select("a") if RAW_TEX.search(_link_text(a))
        ]
        if bad:
            found[name] = bad
    assert not found, f"links whose text is raw TeX: {found}"


def test_exercises_use_sphinx_exercise_with_folded_solutions(built_book):
    for name, html in _pages(built_book):
        article = _article(html)
        exercises = article.select("div.exercise")
        solutions = article.select("div.solution")
        # every admonition titled "Exercise ..." is a sphinx-exercise one
        plain = [
            t
            for t in article.select(".admonition:not(.exercise) > .admonition-title")
            if t.get_text().strip().startswith("Exercise")
        ]
        assert plain == [], f"{name}: exercises not made with sphinx-exercise"
        assert all("dropdown" in s["class"] for s in solutions), name
        assert len(solutions) >= len(exercises), f"{name}: an exercise without solution"


def test_no_answer_is_judged_before_the_reader_types(built_book):
    """Exercises are answered in answer boxes (tests/test_answers_browser.py); no cell
    output shows a verdict on an answer nobody typed."""
    for name, html in _pages(built_book):
        for out in _article(html).select(".cell_output"):
            text = out.get_text(" ").lstrip()
            assert not text.startswith(("Not quite", "Right:", "No answer yet")), (
                f"{name}: a verdict nobody asked for: {text[:80]!r}"
            )
