"""Local copies of what the static pages load from CDNs, for tests with no internet.

The built pages load MathJax, require.js, ``@jupyter-widgets/html-manager`` and the
anywidget front end from public CDNs. These machines reach the npm registry but not
the CDNs, so the tests install the same npm packages into ``.web_assets/`` (not
committed) and answer the CDN requests from there, through Playwright's routing.
"""

from __future__ import annotations

import mimetypes
import re
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


# https://cdn.jsdelivr.net/npm/<pkg>@<ver>/<path>  (also unpkg.com/<pkg>@<ver>/<path>)
_NPM_CDN = re.compile(
    r"^https://(?:cdn\.jsdelivr\.net/npm|unpkg\.com)/"
    r"(?P<pkg>(?:@[^/@]+/)?[^/@]+)(?:@(?P<ver>[^/]+))?/(?P<path>[^?#]*)"
)
_REQUIREJS = re.compile(r"^https://cdnjs\.cloudflare\.com/ajax/libs/require\.js/[^/]+/")
_INTEGRITY = re.compile(rb'\s(integrity|crossorigin)="[^"]*"')


def local_file_for(url: str) -> Path | None:
    """The local file that stands in for a CDN URL, or None."""
    if _REQUIREJS.match(url):
        return NODE_MODULES / "requirejs" / "require.js"
    m = _NPM_CDN.match(url)
    if not m:
        return None
    path = NODE_MODULES / m["pkg"] / m["path"]
    return path if path.is_file() else None


def route_cdns(context, log: list | None = None) -> None:
    """Serve CDN requests of a Playwright browser context from .web_assets/.

    Requests to any other non-local host are aborted (the machine has no internet),
    and recorded in ``log`` if one is given. The ``integrity`` attributes of the
    pages' script tags are dropped, since the local require.js is not byte-identical
    to the hashed cdnjs file.
    """
    ensure_web_assets()

    def handle(route):
        request = route.request
        url = request.url
        if url.startswith(("http://127.0.0.1", "http://localhost")):
            if request.resource_type == "document":
                response = route.fetch()
                body = _INTEGRITY.sub(b"", response.body())
                route.fulfill(response=response, body=body)
            else:
                route.continue_()
            return
        local = local_file_for(url)
        if local is not None:
            ctype = mimetypes.guess_type(local.name)[0] or "application/javascript"
            route.fulfill(
                status=200,
                body=local.read_bytes(),
                headers={"Content-Type": ctype, "Access-Control-Allow-Origin": "*"},
            )
            return
        if log is not None:
            log.append(url)
        route.abort()

    context.route("**/*", handle)
