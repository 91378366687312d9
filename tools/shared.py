"""Facts that the tools (``make pdf``, ``make links``), the tests and the benchmarks
share.

Written once here: which Chromium to drive and with which flags, which pages the book
has (``_toc.yml``), the PDF's file name (read from the site's extension, which links
it) and which files a fresh clone holds. ``tests/conftest.py`` imports them from this
file; the site build itself (``_ext/``) needs none of them.

Run as a script it prints one of them for the Makefile::

    python tools/shared.py chromium      # the default browser binary
    python tools/shared.py pdf-name      # backprop-derived.pdf
    python tools/shared.py lib-hash      # a hash of backprop_lib as a clone holds it
"""

from __future__ import annotations

import ast
import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Debian's chromium package (what `make chromium` installs). `make` exports CHROMIUM
# (set CHROMIUM=/path/to/chromium to use another binary) and reads this default.
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM = os.environ.get("CHROMIUM") or DEFAULT_CHROMIUM
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


def _constant(path: Path, name: str) -> str:
    """The string assigned to ``name`` at the top level of the Python file ``path``
    (read, not imported: the site's extension imports Sphinx)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise LookupError(f"{path} assigns no {name}")


# The whole book as one PDF, beside index.html: the site's sidebar links this name.
PDF_NAME = _constant(ROOT / "_ext" / "backprop_site.py", "PDF_NAME")


def clone_files(*under: str) -> list[str]:
    """The files a fresh clone of the working tree holds, relative to ROOT: tracked
    files and new files not ignored, less those deleted (optionally only ``under``
    the given folders)."""
    git = ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"]
    out = subprocess.run(
        [*git, "--", *under],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [name for name in out.split("\0") if name and (ROOT / name).is_file()]


def lib_hash() -> str:
    """A hash of backprop_lib as a clone holds it (uncommitted edits included): the
    Makefile re-executes every chapter when it changes."""
    digest = hashlib.sha256()
    for name in sorted(clone_files("backprop_lib")):
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes())
    return digest.hexdigest()[:16]


def toc_pages() -> list[str]:
    """The pages of ``_toc.yml``, root first, without suffix."""
    import yaml

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


if __name__ == "__main__":
    facts = {"chromium": lambda: DEFAULT_CHROMIUM, "pdf-name": lambda: PDF_NAME}
    facts["lib-hash"] = lib_hash
    if len(sys.argv) != 2 or sys.argv[1] not in facts:
        sys.exit(f"usage: python tools/shared.py {{{','.join(facts)}}}")
    print(facts[sys.argv[1]]())
