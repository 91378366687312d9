"""Shared fixtures: the real book build, a local web server, headless Chromium."""

from __future__ import annotations

import functools
import http.server
import math
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

# The property tests draw the same examples on every run (`make test` passes or fails
# for the code, never for the luck of the draw); HYPOTHESIS_PROFILE=explore draws new
# ones each run, to look for counterexamples.
settings.register_profile("suite", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

ROOT = Path(__file__).resolve().parents[1]
# Where the test build goes (jupyter-book's --path-output); set BOOK_PATH_OUTPUT to
# keep a test run's build away from the _build/ of `make book`.
OUTPUT = Path(os.environ.get("BOOK_PATH_OUTPUT", ROOT)).resolve()
BUILD = OUTPUT / "_build"
HTML = BUILD / "html"

# Which Chromium, its flags and the book's pages: written once, in tools/shared.py.
sys.path.insert(0, str(ROOT / "tools"))
from execute_chapters import notebook_pages  # noqa: E402
from shared import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PDF_NAME,
    clone_files,
    toc_pages,
)

# re-exported for the test modules (`from .conftest import CHROMIUM, toc_files`):
# test modules share helpers through this file, never by importing each other
toc_files = toc_pages
__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "HIDDEN",
    "OUTPUT_COST",
    "PDF_NAME",
    "agrees_to_display",
    "clone_files",
    "eventually",
    "next_frames",
    "notebook_pages",
    "require",
    "source_of",
    "toc_files",
]


def hidden_activations() -> list[str]:
    """Every registered activation a hidden layer may use (``ACTIVATIONS``)."""
    from backprop_lib.activations import ACTIVATIONS

    return [name for name, act in ACTIVATIONS.items() if act.hidden_ok]


def output_cost_pairs() -> list[tuple[str, str]]:
    """Every (output activation, cost) pair the registries allow (``COSTS`` says
    which output activations a cost needs)."""
    from backprop_lib.activations import ACTIVATIONS
    from backprop_lib.costs import COSTS

    return [
        (out, name)
        for name, cost in COSTS.items()
        for out in ACTIVATIONS
        if cost.output_activations is None or out in cost.output_activations
    ]


# The lists every cross-check runs over (the core against finite differences, the
# autodiff engine, the properties, the explorer): derived from the registries, so a
# new activation or cost is checked everywhere the day it is registered
# (tests/test_api_names.py proves it with a throwaway registration).
HIDDEN = hidden_activations()
OUTPUT_COST = output_cost_pairs()


def require(module: str, install: str = "make .venv/.test-deps"):
    """Import ``module`` or fail (never skip) with the command that installs it: a
    broken install must turn the suite red, not into a row of skips."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as err:
        pytest.fail(f"{module} cannot be imported ({err}): run `{install}`")


def node_binary() -> str:
    """Node.js's ``node``, or fail (never skip) with how to install it: the front
    ends' tests (tests/js/) run on it."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("these tests need Node.js (`node`; `make chromium` installs npm)")
    return node


def eventually(check, timeout: float = 10.0, what: str = "the condition"):
    """Poll ``check()`` until it returns something true, and return that; fail with
    ``what`` after ``timeout`` seconds. The wait for a state that comes from outside
    the browser (a kernel, a file), as Playwright's waiting assertions are for the
    page: never a fixed sleep."""
    import time

    deadline = time.monotonic() + timeout
    delay = 0.02
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout:g} s for {what}")
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def next_frames(page) -> None:
    """Wait until the page has laid out and painted what just changed (two
    animation frames), instead of a fixed sleep."""
    page.evaluate(
        "() => new Promise((done) => "
        "requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


def source_of(name: str) -> Path:
    """The source file of a page of ``_toc.yml`` (``name`` without suffix)."""
    for suffix in (".md", ".ipynb"):
        path = ROOT / f"{name}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(f"{name} is in _toc.yml but has no .md/.ipynb source")


def agrees_to_display(text: str, value: float) -> bool:
    """``text`` is ``value`` as a widget shows it: to four significant digits."""
    if value == 0:
        return float(text) == 0
    tol = 0.5001 * 10 ** (math.floor(math.log10(abs(value))) - 3)
    return abs(float(text) - value) <= tol


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


# `make test` runs the suite in tiers (see the Makefile). Its book tier builds the
# site and the offline site once, into BUILD, with the execution cache beside them;
# the browser and Binder tiers run with BOOK_PREBUILT=1 and read those builds instead
# of building again (each pytest-xdist worker would otherwise build its own).
PREBUILT = os.environ.get("BOOK_PREBUILT") == "1"
TEST_CACHE = BUILD / ".test_jupyter_cache"
OFFLINE = BUILD / "offline"


def _prebuilt(html: Path, what: str) -> Path:
    if not (html / "index.html").is_file():
        pytest.fail(
            f"BOOK_PREBUILT=1 but {what} is not in {html}: run the book tier first "
            "(`make test-book`), or unset BOOK_PREBUILT to build it here"
        )
    return html


@pytest.fixture(scope="session")
def execution_cache() -> Path:
    """A jupyter-cache that starts empty in every test run that builds the book: the
    first build executes every chapter, later test builds of the same chapters (the
    offline site, the PDF) reuse it. Kept in BUILD for the tiers that follow."""
    if not PREBUILT:
        shutil.rmtree(TEST_CACHE, ignore_errors=True)
    TEST_CACHE.mkdir(parents=True, exist_ok=True)
    return TEST_CACHE


@pytest.fixture(scope="session")
def built_book(tmp_path_factory, execution_cache) -> Path:
    """Build the book the way `make book` does (-W, -n), but re-executing every
    chapter (into this run's empty execution cache, not the one of `make book`),
    so a library change cannot hide behind the execution cache."""
    if PREBUILT:
        return _prebuilt(HTML, "the book")
    cfg = book_config(tmp_path_factory.mktemp("config"), "cache", cache=execution_cache)
    execute_chapters(cfg)
    jupyter_book(ROOT, cfg, OUTPUT)
    return HTML


def execute_chapters(config: Path) -> None:
    """Execute the chapters on every core into the execution cache ``config`` names
    (tools/execute_chapters.py, as `make book` does before its build)."""
    tool = ROOT / "tools" / "execute_chapters.py"
    proc = subprocess.run(
        [sys.executable, str(tool), "--config", str(config)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=1200,
    )
    if proc.returncode != 0:
        pytest.fail(f"{tool.name} failed:\n{proc.stdout[-6000:]}{proc.stderr[-6000:]}")


@pytest.fixture(scope="session")
def offline_book(tmp_path_factory, built_book, execution_cache) -> Path:
    """`make book-offline`'s build. It takes the outputs the default build computed
    from the execution cache, as `make book-offline` after `make book` does."""
    if PREBUILT:
        return _prebuilt(OFFLINE / "_build" / "html", "the offline book")
    cfg = book_config(
        tmp_path_factory.mktemp("offline"),
        "cache",
        cache=execution_cache,
        offline_site=True,
    )
    return jupyter_book(ROOT, cfg, OFFLINE)


def jupyter_book(source: Path, config: Path, output: Path, builder: str = "") -> Path:
    """Build `source` with `config` into `output` (-W, -n); fail the test with the
    log; return the HTML folder (the `builder`'s folder for another Sphinx builder).
    The build's log is kept beside that folder (`html-build.log`)."""
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
    built = output / "_build" / (builder or "html")
    built.parent.mkdir(parents=True, exist_ok=True)
    (built.parent / f"{builder or 'html'}-build.log").write_text(
        proc.stdout + proc.stderr
    )
    if proc.returncode != 0:
        pytest.fail(
            "jupyter-book build -W failed:\n"
            + proc.stdout[-6000:]
            + proc.stderr[-6000:]
        )
    return built


@pytest.fixture(scope="session")
def book_pdf(tmp_path_factory, built_book, execution_cache, browser) -> Path:
    """`make pdf`: the single-page build (offline, from the execution cache) printed
    by Chromium. Only the PDF's own tests ask for it: the page tests do not wait for
    it. (A site built with a PDF links it from the sidebar; test_site checks that.)"""
    from build_pdf import PDF_NAME, print_book

    tmp = tmp_path_factory.mktemp("pdf")
    cfg = book_config(tmp, "cache", cache=execution_cache, offline_site=True)
    single = jupyter_book(ROOT, cfg, tmp, builder="singlehtml")
    pdf = tmp / PDF_NAME
    print_book(single, pdf, browser)
    return pdf


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_book) -> str:
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


# Tests that share one expensive fixture stay on one pytest-xdist worker under
# `--dist loadgroup` (the browser and Binder tiers of `make test`): whole modules (a
# Voila server, the PDF) and the two tests of test_site's small widget book. Every
# other test is a group of its own, so the pages spread over the workers. (xdist's
# own xdist_group marker does not reach its scheduler under pytest 9: the groups are
# made here, by node id.)
_ONE_WORKER = {"test_widget_voila", "test_pdf"}
_GROUPS = {
    "::test_widgets_render_": "widget_book",
    "::test_the_sidebar_links_the_pdf_": "widget_book",
}


def _group_of(nodeid: str) -> str:
    module = nodeid.split("::", 1)[0]
    if Path(module).stem in _ONE_WORKER:
        return module
    return next((g for part, g in _GROUPS.items() if part in nodeid), nodeid)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Groups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _group_of(nodeid)

    return Groups(config, log)


# -- pages in the browser: the published build (its CDN requests answered from npm
# copies) and the offline one (nothing leaves the machine) ----------------------------


@pytest.fixture
def site_page(browser):
    """A page whose CDN requests are answered locally; `.external` lists the rest."""
    from .webassets import route_cdns

    context = browser.new_context()
    external: list[str] = []
    route_cdns(context, external)
    page = context.new_page()
    page.external = external
    yield page
    context.close()


@pytest.fixture
def offline_page(browser):
    """A page that can read local files only: every other request is aborted."""
    context = browser.new_context()
    attempts: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith(("file://", "data:", "blob:")):
            route.continue_()
        else:
            attempts.append(url)
            route.abort()

    context.route("**/*", handle)
    page = context.new_page()
    page.attempts = attempts
    yield page
    context.close()
