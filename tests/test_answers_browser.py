"""The answer boxes on the built static pages, in headless Chromium (issue: typed
answers checked in the browser, no kernel).

For every box of every page, in the default build (served over HTTP, CDNs answered
from npm copies) and in the offline build (from ``file://``, no network at all):
nothing is judged before the reader types; the solution's answer and its
rearrangements are ``right``; each tempting answer is ``wrong`` with its hint; an
unknown symbol and a syntax error are ``unreadable``, naming the symbol or the
position. Every answer typed is one the kernel's path (``box.check``:
``parse_answer`` + ``answer_matches``) judged when the chapter was built, and the page
must agree with it (the verdicts come from the page's widget state, where the box
keeps its ``examples``). Hostile strings give ``unreadable`` with no dialog, no page
error, and a page that still answers. All boxes of a page are tested in one load.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading

import pytest

from .conftest import _QuietHandler, source_of, toc_files
from .pages import accessibility_violations, open_page

PAGES = toc_files()

pytestmark = [pytest.mark.book, pytest.mark.browser]

STATE = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', re.S
)
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert('x')</script>",
    "constructor",
    "__proto__",
    "toString()",
    "alert(1)",
    "9^9^9^9",
    "x" * 10_000,
    "(((((((",
    "1 + 2)) + (3",
    "javascript:alert(1)",
]
# The pages whose chapter builds an answer box (the built pages must agree).
ANSWER_PAGES = [n for n in PAGES if "answer_box(" in source_of(n).read_text("utf-8")]
# Words a verdict uses; none may be on a page before anything is typed.
VERDICT_WORDS = re.compile(
    r"Not quite|Cannot read this|Could not read|differs from the expected"
)


def boxes_in(html: str) -> list[dict]:
    """The answer boxes of a built page, from its widget state: exercise, part and
    the examples with the kernel's verdicts."""
    match = STATE.search(html)
    if not match:
        return []
    models = json.loads(match.group(1))["state"].values()
    return [
        m["state"]
        for m in models
        if "examples" in m.get("state", {}) and "exercise" in m["state"]
    ]


@pytest.fixture(scope="module")
def built_pages(built_book) -> dict[str, list[dict]]:
    pages = {}
    for name in PAGES:
        boxes = boxes_in((built_book / f"{name}.html").read_text(encoding="utf-8"))
        if boxes:
            pages[name] = boxes
    return pages


@pytest.fixture(scope="module")
def book_server(built_book):
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


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
    """No decoy answer with its verdict, on any page (the browser test below checks
    the rendered boxes of the pages that have some)."""
    for name in PAGES:
        html = (built_book / f"{name}.html").read_text(encoding="utf-8")
        text = re.sub(r"<script.*?</script>|<[^>]+>", " ", html, flags=re.S)
        assert not re.search(r"Not quite|differs from the expected", text), name
        assert "your_answer =" not in html and "# ← type your answer" not in html, name


def _answer(root, text: str, enter: bool) -> tuple[str, str]:
    field = root.locator('[data-role="answer-input"]')
    field.fill(text)
    if enter:
        field.press("Enter")
    else:
        root.locator('[data-role="answer-check"]').click()
    verdict = root.locator('[data-role="answer-verdict"]')
    return verdict.get_attribute("data-verdict") or "", verdict.inner_text()


def exercise_page(page, url: str, boxes: list[dict], name: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    problems = open_page(page, url)
    roots = page.locator('[data-role="answer"]')
    assert roots.count() == len(boxes), name

    # nothing judged before the reader types
    assert page.locator('[data-role="answer-verdict"][data-verdict]').count() == 0
    assert all(
        t == "" for t in page.locator('[data-role="answer-verdict"]').all_inner_texts()
    )
    assert not VERDICT_WORDS.search(page.locator("main").inner_text()), name
    for i in range(roots.count()):
        field = roots.nth(i).locator('[data-role="answer-input"]')
        assert field.input_value() == "" and field.get_attribute("placeholder"), name
        label_for = roots.nth(i).locator("label").get_attribute("for")
        assert label_for == field.get_attribute("id"), name  # a visible, tied label

    disagreements = []
    for box in boxes:
        root = page.locator(
            f'[data-role="answer"][data-exercise="{box["exercise"]}"]'
            f'[data-part="{box["part"]}"]'
        )
        assert root.count() == 1, box["exercise"]
        for i, example in enumerate(box["examples"]):
            verdict, message = _answer(root, example["text"], enter=i % 2 == 0)
            if verdict != example["verdict"]:
                disagreements.append(
                    (
                        box["exercise"],
                        example["text"],
                        example["verdict"],
                        verdict,
                        message,
                    )
                )
            if example["kind"] == "tempting":
                assert example["hint"] in message, (box["exercise"], message)
            if example["kind"] == "unknown":
                assert "unknown name 'zz'" in message, message
            if example["kind"] == "syntax":
                assert "position 4" in message, message
            if verdict == "wrong" and example["kind"] != "tempting":
                assert "Not quite" in message
    assert disagreements == [], f"{name}: the page and the kernel disagree"
    root = roots.first
    for text in HOSTILE:
        verdict, message = _answer(root, text, enter=True)
        assert verdict == "unreadable", (text[:30], message)
        assert message.startswith("Cannot read this"), message
        assert len(message) < 300, message  # the text is not echoed back
        assert page.evaluate("() => 6 * 7") == 42  # the page still answers
    assert dialogs == [], f"{name}: a dialog opened"
    assert problems["errors"] == [], f"{name}: JavaScript errors"
    assert page.locator("img[src='x']").count() == 0  # no markup was inserted
    # axe-core with a verdict of each kind on the page (the first three boxes);
    # last, since from file:// axe logs its failed style-sheet requests as errors
    for box, kind in zip(boxes, ("solution", "tempting", "syntax")):
        example = next(e for e in box["examples"] if e["kind"] == kind)
        root = page.locator(f'[data-role="answer"][data-exercise="{box["exercise"]}"]')
        _answer(root.first, example["text"], enter=True)
    violations = accessibility_violations(page)
    assert violations == [], f"{name}: " + "\n".join(violations)

    # printed: an empty answer line with the syntax hint, no input, no button
    page.emulate_media(media="print")
    try:
        first = roots.first
        assert not first.locator('[data-role="answer-input"]').is_visible()
        assert not first.locator('[data-role="answer-check"]').is_visible()
        assert first.locator(".bp-answer-line").is_visible()
        assert first.locator(".bp-answer-hint").is_visible()
        assert first.locator("label").is_visible()
    finally:
        page.emulate_media(media="screen")


@pytest.mark.parametrize("name", ANSWER_PAGES)
def test_answer_boxes_on_the_published_site(built_pages, book_server, site_page, name):
    exercise_page(site_page, f"{book_server}/{name}.html", built_pages[name], name)
    assert site_page.external == [], f"{name}: requests to other sites"


@pytest.mark.parametrize("name", ANSWER_PAGES)
def test_answer_boxes_offline(built_pages, offline_book, offline_page, name):
    url = (offline_book / f"{name}.html").as_uri()
    exercise_page(offline_page, url, built_pages[name], name)
    assert offline_page.attempts == [], f"{name}: tried to reach the network"
