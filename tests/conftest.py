"""Shared fixtures: the real book build, a local web server, headless Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# Where the test build goes (jupyter-book's --path-output); set BOOK_PATH_OUTPUT to
# keep a test run's build away from the _build/ of `make book`.
OUTPUT = Path(os.environ.get("BOOK_PATH_OUTPUT", ROOT)).resolve()
BUILD = OUTPUT / "_build"
HTML = BUILD / "html"

# Which Chromium, its flags and the book's pages: written once, in tools/shared.py.
sys.path.insert(0, str(ROOT / "tools"))
from shared import CHROMIUM, CHROMIUM_ARGS, toc_pages  # noqa: E402

# re-exported for the test modules (`from .conftest import CHROMIUM, toc_files`)
toc_files = toc_pages
__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "toc_files"]


def book_config(
    directory: Path,
    execute_notebooks: str = "force",
    cache: Path | None = None,
    **sphinx,
) -> Path:
    """Write a copy of _config.yml into `directory` for a test build and return it.

    jupyter-book resolves `sphinx.local_extensions` paths against the config file's
    folder, so they are made absolute. `cache` is the jupyter-cache folder for
    `execute_notebooks: cache`; `sphinx` adds Sphinx config values.
    """
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config.setdefault("execute", {})["execute_notebooks"] = execute_notebooks
    if cache is not None:
        config["execute"]["cache"] = str(cache)
    section = config.setdefault("sphinx", {})
    local = section.get("local_extensions") or {}
    section["local_extensions"] = {k: str(ROOT / v) for k, v in local.items()}
    if sphinx:
        section["config"] = {**(section.get("config") or {}), **sphinx}
    cfg = Path(directory) / "_config.yml"
    cfg.write_text(yaml.safe_dump(config))
    return cfg


@pytest.fixture(scope="session")
def execution_cache(tmp_path_factory) -> Path:
    """A jupyter-cache that starts empty in every test session: the first build
    executes every chapter, later test builds of the same chapters reuse it."""
    return tmp_path_factory.mktemp("jupyter_cache")


@pytest.fixture(scope="session")
def built_book(tmp_path_factory, execution_cache) -> Path:
    """Build the book the way `make book` does (-W, -n), but re-executing every
    chapter (into this session's empty execution cache, not the one of `make book`),
    so a library change cannot hide behind the execution cache."""
    cfg = book_config(tmp_path_factory.mktemp("config"), "cache", cache=execution_cache)
    jupyter_book(ROOT, cfg, OUTPUT)
    return HTML


def jupyter_book(source: Path, config: Path, output: Path, builder: str = "") -> Path:
    """Build `source` with `config` into `output` (-W, -n); fail the test with the
    log; return the HTML folder (the `builder`'s folder for another Sphinx builder)."""
    jb = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run(
        [
            *(str(jb), "build", str(source), "--config", str(config)),
            *("-W", "-n", "--keep-going", "--path-output", str(output)),
            *(("--builder", "custom", "--custom-builder", builder) if builder else ()),
        ],
        capture_output=True,
        text=True,
        cwd=source,
        timeout=1200,
    )
    if proc.returncode != 0:
        pytest.fail(
            "jupyter-book build -W failed:\n"
            + proc.stdout[-6000:]
            + proc.stderr[-6000:]
        )
    return output / "_build" / (builder or "html")


@pytest.fixture(scope="session")
def book_pdf(tmp_path_factory, built_book, execution_cache, browser) -> Path:
    """`make pdf`: the single-page build (offline, from the execution cache) printed
    by Chromium; copied beside the site's index.html, where the sidebar links it."""
    sys.path.insert(0, str(ROOT / "tools"))
    from build_pdf import PDF_NAME, print_book

    tmp = tmp_path_factory.mktemp("pdf")
    cfg = book_config(tmp, "cache", cache=execution_cache, offline_site=True)
    single = jupyter_book(ROOT, cfg, tmp, builder="singlehtml")
    pdf = tmp / PDF_NAME
    print_book(single, pdf, browser)
    shutil.copy2(pdf, built_book / PDF_NAME)
    return pdf


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_book, book_pdf) -> str:
    """The built site, served over HTTP on 127.0.0.1 (as a reader's browser sees it)."""
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make chromium` (or set CHROMIUM)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    yield pg
    context.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
