"""Facts that the tools (``make pdf``, ``make links``) and the tests share.

Written once here: which Chromium to drive and with which flags, and which pages the
book has (``_toc.yml``). ``tests/conftest.py`` imports them from this file; the site
build itself (``_ext/``) needs none of them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# `make` exports CHROMIUM (the Makefile's one setting); otherwise the one on PATH.
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "chromium"
# Headless on a machine with no network but the package registries: without the
# background-networking flags Chromium keeps trying (and failing) to reach Google.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def toc_pages() -> list[str]:
    """The pages of ``_toc.yml``, root first, without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return pages
