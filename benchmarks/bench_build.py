"""Build-speed benchmark: a cold `make book`, then a rebuild with nothing changed.

Run with ``make bench-build`` (not part of ``make test``). The book is copied to a
temporary folder, as a fresh clone would have it (tracked files plus new files not
ignored), with no ``_build/``; ``.venv`` is shared with this checkout, so the
timings are of the build itself, not of installing its dependencies. Prints the
times and their ratios to the targets (cold <= 3 min, no-change rebuild <= 30 s on
a 2-core machine). Targets are reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"cold make book": 180.0, "rebuild, nothing changed": 30.0}


sys.path.insert(0, str(ROOT / "tools"))
from shared import clone_files as repository_files  # noqa: E402


def make_book(copy: Path) -> float:
    """`make book` in `copy`, without (re)installing the shared .venv."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["make", "-o", ".venv/.book-deps", "book"],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"make book failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy")
    args = parser.parse_args()

    if not (ROOT / ".venv" / "bin" / "jupyter-book").exists():
        sys.exit("run `make book` once first: the benchmark reuses its .venv")
    tmp = Path(tempfile.mkdtemp(prefix="bench_build_"))
    copy = tmp / "book"
    try:
        for name in repository_files():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
        (copy / ".venv").symlink_to(ROOT / ".venv")
        if (ROOT / ".web_assets").exists():
            (copy / ".web_assets").symlink_to(ROOT / ".web_assets")

        times = {
            "cold make book": make_book(copy),
            "rebuild, nothing changed": make_book(copy),
        }
        chapters = sorted(
            p.relative_to(copy / "_build" / "html")
            for p in (copy / "_build" / "html").rglob("*.html")
            if "_static" not in p.parts and "_sources" not in p.parts
        )
        print(f"{len(chapters)} HTML pages, {os.cpu_count()} CPU cores")
        print(f"{'build':<26}{'seconds':>9}{'target':>9}{'ratio':>8}")
        for label, seconds in times.items():
            target = TARGETS[label]
            print(f"{label:<26}{seconds:>9.1f}{target:>9.0f}{seconds / target:>8.2f}")
    finally:
        if args.keep:
            print(f"kept {copy}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
