"""Render site/favicon.png from site/logo.svg with headless Chromium.

Run after editing the logo: ``.venv/bin/python site/render_favicon.py``. The PNG is
committed (browsers ask for the favicon before any script runs), the SVG is the source.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
SIZE = 64


def main() -> None:
    svg = (HERE / "logo.svg").as_uri()
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": SIZE, "height": SIZE})
        # the SVG is 64 x 64 user units, so it fills the viewport as it is
        page.goto(svg)
        page.screenshot(path=str(HERE / "favicon.png"), omit_background=True)
        browser.close()


if __name__ == "__main__":
    main()
