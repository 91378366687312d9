"""Local copies of what the static pages load from CDNs, for tests with no internet.

The built pages load MathJax, require.js, ``@jupyter-widgets/html-manager`` and the
anywidget front end from public CDNs. These machines reach the npm registry but not
the CDNs, so the tests install the same npm packages into ``.web_assets/`` (not
committed) and answer the CDN requests from there, through Playwright's routing.
The versions, and their installation, are written once in ``_ext/webassets.py``,
which the site's Sphinx extension reads too.
"""

from __future__ import annotations

import functools
import importlib.util
import mimetypes
import re
from pathlib import Path


def _load_site_assets():
    """``_ext/webassets.py``, by path (``_ext`` is the Sphinx extension's folder)."""
    path = Path(__file__).resolve().parents[1] / "_ext" / "webassets.py"
    spec = importlib.util.spec_from_file_location("_backprop_webassets", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_site_assets = _load_site_assets()
ROOT = _site_assets.ROOT
ASSETS = _site_assets.ASSETS
NODE_MODULES = _site_assets.NODE_MODULES
npm_packages = _site_assets.npm_packages
ensure_web_assets = _site_assets.ensure_web_assets


@functools.cache
def axe_source() -> str:
    """axe-core's script (at the version ``_ext/webassets.py`` pins), for the
    accessibility audits of the page and widget tests."""
    ensure_web_assets()
    return (NODE_MODULES / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


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
