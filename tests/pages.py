"""What the browser tests share about loading a built page: wait for MathJax and
the widgets and collect the errors and dialogs (``open_page``), axe-core's verdict
(``accessibility_violations``), and the answer boxes of a built page (``boxes_in``)
typed into (``exercise_answer_boxes``, ``answer_box_works``). A helpers module, not
a test module: the test modules import it and never each other."""

from __future__ import annotations

import json
import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .webassets import axe_source

WIDGET_VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]'
# TeX that MathJax should have consumed: delimiters, or $...$ with TeX inside
RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\$[^$\n]*[\\^_{}][^$\n]*\$")

_VISIBLE_TEXT = """() => {
  const main = document.querySelector("main") || document.body;
  const copy = main.cloneNode(true);
  copy.querySelectorAll("pre, code, script, style, mjx-container, .highlight")
      .forEach((el) => el.remove());
  return copy.innerText;
}"""

_UNTYPESET = """() => [...document.querySelectorAll(".math")]
  .filter((el) => !el.querySelector("mjx-container"))
  .map((el) => el.textContent.slice(0, 80))"""

_WIDGETS_RENDERED = """(selector) => [...document.querySelectorAll(selector)].every(
  (script) => {
    const area = script.previousElementSibling;
    return area && area.classList.contains("widget-subarea")
      && area.firstElementChild && area.firstElementChild.offsetHeight > 0;
  })"""


_TYPESET_DONE = f"""(rawTex) => ({_UNTYPESET})().length === 0
  && !new RegExp(rawTex).test(({_VISIBLE_TEXT})())"""


def open_page(page, url: str) -> dict:
    """Load `url`, wait for MathJax and the widgets, and collect what went wrong:
    JavaScript errors, and dialogs (dismissed; none may open)."""
    problems = {"errors": [], "dialogs": []}
    page.on("dialog", lambda d: (problems["dialogs"].append(d.message), d.dismiss()))
    page.on("pageerror", lambda exc: problems["errors"].append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: (
            # (where: for "Failed to load resource", the resource's URL)
            problems["errors"].append(
                f"console.{msg.type}: {msg.text} ({msg.location.get('url', '')})"
            )
            if msg.type == "error"
            else None
        ),
    )
    page.goto(url, wait_until="load")
    if page.locator(WIDGET_VIEW).count():
        page.wait_for_function(_WIDGETS_RENDERED, arg=WIDGET_VIEW, timeout=30_000)
    if page.locator(".math").count() or page.locator(WIDGET_VIEW).count():
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
            timeout=20_000,
        )
        # MathJax typesets the page, then whatever the widgets hand it; wait until
        # nothing is left (what is left after 10 s, assert_page_is_right reports)
        page.evaluate("() => MathJax.startup.promise.then(() => true)")
        try:
            page.wait_for_function(
                _TYPESET_DONE, arg=RAW_TEX.pattern, timeout=10_000, polling=100
            )
        except PlaywrightTimeout:
            pass
    # late errors: scripts loaded asynchronously run once the network is quiet
    page.wait_for_load_state("networkidle")
    return problems


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILS = ("serious", "critical")
_AXE_RUN = """async ([tags, fails]) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.filter((v) => fails.includes(v.impact)).map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ") + "  " + n.html.slice(0, 200))}));
}"""


def accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations: rule and elements."""
    page.add_script_tag(content=axe_source())
    found = page.evaluate(_AXE_RUN, [AXE_TAGS, list(AXE_FAILS)])
    return [
        f"{v['id']} ({v['impact']}: {v['help']}) at\n    " + "\n    ".join(v["nodes"])
        for v in found
    ]


# -- the answer boxes (issue: typed answers checked in the browser, no kernel) ------

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


def _answer(root, text: str, enter: bool) -> tuple[str, str]:
    field = root.locator('[data-role="answer-input"]')
    field.fill(text)
    if enter:
        field.press("Enter")
    else:
        root.locator('[data-role="answer-check"]').click()
    verdict = root.locator('[data-role="answer-verdict"]')
    return verdict.get_attribute("data-verdict") or "", verdict.inner_text()


def _box(page, box: dict):
    return page.locator(
        f'[data-role="answer"][data-exercise="{box["exercise"]}"]'
        f'[data-part="{box["part"]}"]'
    )


def exercise_answer_boxes(page, problems: dict, boxes: list[dict], name: str) -> None:
    """Every box of a page opened by `open_page`: nothing judged before the reader
    types; every example the kernel judged when the chapter was built gets the
    kernel's verdict (the solution and its rearrangements ``right``, each tempting
    answer ``wrong`` with its hint, an unknown symbol and a syntax error
    ``unreadable``, naming the symbol or the position); hostile strings give
    ``unreadable`` with no dialog, no page error, and a page that still answers.
    It leaves a verdict of each kind shown (the first three boxes), for axe-core."""
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
        root = _box(page, box)
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
    assert problems["dialogs"] == [], f"{name}: a dialog opened"
    assert problems["errors"] == [], f"{name}: JavaScript errors"
    assert page.locator("img[src='x']").count() == 0  # no markup was inserted
    # a verdict of each kind on the page (the first three boxes), for axe-core
    for box, kind in zip(boxes, ("solution", "tempting", "syntax")):
        example = next(e for e in box["examples"] if e["kind"] == kind)
        _answer(_box(page, box), example["text"], enter=True)


def answer_box_printed(page) -> None:
    """Printed, the first box is an empty answer line with the syntax hint: no
    input, no button."""
    page.emulate_media(media="print")
    try:
        first = page.locator('[data-role="answer"]').first
        assert not first.locator('[data-role="answer-input"]').is_visible()
        assert not first.locator('[data-role="answer-check"]').is_visible()
        assert first.locator(".bp-answer-line").is_visible()
        assert first.locator(".bp-answer-hint").is_visible()
        assert first.locator("label").is_visible()
    finally:
        page.emulate_media(media="screen")


def answer_box_works(page, box: dict, name: str) -> None:
    """One box answers (the offline build: its scripts from the build itself): the
    solution is ``right``, a tempting answer ``wrong`` with its hint."""
    root = _box(page, box)
    assert root.count() == 1, (name, box["exercise"])
    solution = next(e for e in box["examples"] if e["kind"] == "solution")
    tempting = next(e for e in box["examples"] if e["kind"] == "tempting")
    assert _answer(root, solution["text"], enter=True)[0] == "right", name
    verdict, message = _answer(root, tempting["text"], enter=False)
    assert verdict == "wrong" and tempting["hint"] in message, (name, message)
