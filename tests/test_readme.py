"""The README's layout table: one row for every package and module of the library."""

from __future__ import annotations

import re

from .conftest import ROOT, clone_files


def layout_rows() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    return [line for line in table.splitlines() if line.startswith("| `")]


def test_every_package_and_module_has_a_row():
    """Each ``.py`` file of backprop_lib, tools and _ext, and each package, is named
    in the first cell of a row of its own (``a.js``, ``b.css`` may share one)."""
    named = set()
    for row in layout_rows():
        first = row.split("|")[1]
        named |= set(re.findall(r"`([^`]+)`", first))
    files = [
        f for f in clone_files("backprop_lib", "tools", "_ext") if f.endswith(".py")
    ]
    # a subpackage's row (``backprop_lib/draw/``) stands for its __init__.py
    inits = {f for f in files if f.endswith("/__init__.py") and f.count("/") > 1}
    wanted = {f.removesuffix("__init__.py") for f in inits} | (set(files) - inits)
    missing = sorted(w for w in wanted if w not in named)
    assert missing == [], f"the README's layout has no row for {missing}"


def test_test_modules_never_import_each_other():
    """Test modules share helpers through conftest.py and helpers modules
    (pages.py, servers.py, webassets.py), never by importing another test module
    (which would run its tests twice, or drag its fixtures along)."""
    import ast

    crossing = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "test_"
            ):
                crossing.append(f"{path.name} imports {node.module}")
    assert crossing == []
