"""What the browser tests share about loading a built page: wait for MathJax and
the widgets and collect the errors (``open_page``), and axe-core's verdict
(``accessibility_violations``). A helpers module, not a test module: the test
modules import it and never each other."""

from __future__ import annotations

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
    """Load `url`, wait for MathJax and the widgets, and collect what went wrong."""
    problems = {"errors": []}
    page.on("pageerror", lambda exc: problems["errors"].append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: (
            problems["errors"].append(f"console.{msg.type}: {msg.text}")
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
