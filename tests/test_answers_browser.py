"""The answer boxes of the built static pages (issue: typed answers checked in the
browser, no kernel): every typed-answer exercise has a box, with examples of each
kind the kernel judged when the chapter was built, and no page shows a verdict in
its HTML.

The boxes are typed into in headless Chromium by the page tests of
``tests/test_site.py``, in the same load as the rest of each page's checks
(``tests/pages.py``: ``exercise_answer_boxes``): in the default build every box,
every example, hostile strings, axe-core with a verdict of each kind shown, the
print view; in the offline build (from ``file://``, no network at all) that a box
answers, its solution ``right`` and a tempting answer ``wrong`` with its hint.
"""

from __future__ import annotations

import re

import pytest

from .conftest import source_of, toc_files
from .pages import boxes_in

PAGES = toc_files()

pytestmark = pytest.mark.book

# The pages whose chapter builds an answer box (the built pages must agree).
ANSWER_PAGES = [n for n in PAGES if "answer_box(" in source_of(n).read_text("utf-8")]


@pytest.fixture(scope="module")
def built_pages(built_book) -> dict[str, list[dict]]:
    pages = {}
    for name in PAGES:
        boxes = boxes_in((built_book / f"{name}.html").read_text(encoding="utf-8"))
        if boxes:
            pages[name] = boxes
    return pages


def test_every_typed_answer_exercise_has_a_box(built_pages):
    assert sorted(built_pages) == sorted(ANSWER_PAGES)
    exercises = {b["exercise"] for boxes in built_pages.values() for b in boxes}
    assert len(exercises) >= 20, sorted(exercises)
    assert sum(len(b) for b in built_pages.values()) >= 21
    for boxes in built_pages.values():
        for box in boxes:
            kinds = {e["kind"] for e in box["examples"]}
            assert kinds >= {"solution", "tempting", "unknown", "syntax"}, box[
                "exercise"
            ]


def test_no_page_shows_a_verdict_in_its_html(built_book):
    """No decoy answer with its verdict, on any page (the page tests of test_site.py
    check the rendered boxes of the pages that have some)."""
    for name in PAGES:
        html = (built_book / f"{name}.html").read_text(encoding="utf-8")
        text = re.sub(r"<script.*?</script>|<[^>]+>", " ", html, flags=re.S)
        assert not re.search(r"Not quite|differs from the expected", text), name
        assert "your_answer =" not in html and "# ← type your answer" not in html, name
