"""The web assets the site loads from CDNs, pinned once, installed from npm.

The built pages load MathJax, require.js, ``@jupyter-widgets/html-manager`` and the
anywidget front end from public CDNs. The offline build (``_ext/backprop_site.py``)
copies local npm installs of the same packages into the output, the browser tests
(``tests/webassets.py``) answer the CDN requests from them, and the accessibility
tests inject axe-core. This module is the one place their versions are written; it
installs them into ``.web_assets/`` (not committed) with npm.
"""

from __future__ import annotations

import subprocess
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / ".web_assets"
NODE_MODULES = ASSETS / "node_modules"


def npm_packages() -> dict[str, str]:
    """npm package → version. anywidget's front end must match the pip package."""
    return {
        "mathjax": "3.2.2",
        "requirejs": "2.3.8",
        "@jupyter-widgets/html-manager": "1.0.6",  # what myst-nb's pages request
        "anywidget": version("anywidget"),
        "axe-core": "4.14.1",  # accessibility audits in the browser tests
    }


def ensure_web_assets() -> Path:
    """Install the npm packages into .web_assets/ unless they are already there."""
    wanted = npm_packages()
    missing = [
        f"{name}@{ver}"
        for name, ver in wanted.items()
        if not (NODE_MODULES / name / "package.json").exists()
        or f'"version": "{ver}"'
        not in (NODE_MODULES / name / "package.json").read_text()
    ]
    if missing:
        ASSETS.mkdir(exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(ASSETS)]
            + [f"{n}@{v}" for n, v in wanted.items()],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return NODE_MODULES
