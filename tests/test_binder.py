"""Binder for real: every chapter's Binder link, in the JupyterLab Binder ships.

mybinder.org cannot be reached from here, so this rebuilds what a Binder reader gets
(``binder/make_env.py``): repo2docker's base environment for the Python in
``binder/runtime.txt``, with every package at the version repo2docker pins
(``binder/repo2docker-base.txt``, read from repo2docker's lock file), then
``binder/requirements.txt``, then ``binder/postBuild``; building it fails on any
conflict or on any change to a pinned version. The environment is cached under
``.venv/binder-env/`` (keyed by a hash of those files), so only the first run builds it.

Then, with JupyterLab from that environment serving a copy of the repository (as
Binder serves its clone), headless Chromium opens every page of ``_toc.yml`` at the
path its Binder button uses (``lab/tree/chapters/<name>.md``, from ``_config.yml`` as
sphinx-book-theme builds it) and checks that it opens as a notebook with a kernel,
that its MyST is rendered, that every cell runs without an error; in the explorer
chapter that a slider moved in the browser reaches Python; and that saving a chapter
from JupyterLab leaves the file byte for byte as it was.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import yaml

import backprop_lib as bp

from .conftest import (
    ROOT,
    agrees_to_display,
    clone_files,
    eventually,
    free_port,
    toc_files,
)

# the tests that build the Binder environment or drive JupyterLab; the others are
# unit tests of the helpers and run with `make test-fast`
binder = pytest.mark.binder

PAGES = toc_files()
EXPLORER_CHAPTER = "chapters/watch-delta"


def binder_urlpath(page: str) -> str:
    """The ``urlpath`` of a page's Binder button, as sphinx-book-theme builds it from
    ``_config.yml`` (``header_buttons/launch.py``: interface prefix, then the page's
    source path relative to the repository)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    interface = config["launch_buttons"].get("notebook_interface", "classic")
    prefix = {"classic": "tree", "jupyterlab": "lab/tree"}[interface]
    book = config["repository"].get("path_to_book", "").strip("/")
    return f"{prefix}/{book + '/' if book else ''}{page}.md"


# --- the environment ----------------------------------------------------------


def base_pins() -> dict[str, str]:
    lines = (ROOT / "binder" / "repo2docker-base.txt").read_text().splitlines()
    return dict(
        line.split("==") for line in lines if line.strip() and not line.startswith("#")
    )


def test_base_list_says_where_it_was_read():
    header = (ROOT / "binder" / "repo2docker-base.txt").read_text()
    version = (ROOT / "binder" / "runtime.txt").read_text().strip().split("-")[1]
    assert f"environment.py-{version}-linux-64.lock" in header
    assert re.search(r"at commit [0-9a-f]{40} \(\d{4}-\d\d-\d\d\), read on", header)
    # what the lock pins and the issue saw on Binder
    assert base_pins()["jupyterlab"].startswith("4.")
    assert {"notebook", "jupyter-server", "ipywidgets", "ipykernel"} <= set(base_pins())


def test_lock_file_parser():
    sys.path.insert(0, str(ROOT / "binder"))
    try:
        from repo2docker_base import pip_pins
    finally:
        sys.path.pop(0)
    lock = "\n".join(
        "https://conda.anaconda.org/conda-forge/" + f + "#0123"
        for f in [
            "linux-64/python-3.11.14-hfe2f287_1_cpython.conda",
            "linux-64/libzlib-1.3.1-hb9d3cd8_2.conda",
            "noarch/jupyterlab-4.4.9-pyhd8ed1ab_0.conda",
            "linux-64/brotli-python-1.1.0-py311h1ddb823_4.conda",
            "noarch/typing-extensions-4.15.0-h396c80c_0.conda",
            "noarch/jupyter_server-2.17.0-pyhcf101f3_0.conda",
            "noarch/nbconvert-core-7.16.6-pyh29332c3_0.conda",
        ]
    )
    assert pip_pins("# comment\n@EXPLICIT\n" + lock) == [
        "brotli==1.1.0",
        "jupyter-server==2.17.0",
        "jupyterlab==4.4.9",
        "nbconvert==7.16.6",
    ]


def test_postbuild_is_executable_in_git():
    mode = subprocess.run(
        ["git", "ls-files", "-s", "binder/postBuild"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split(" ")[0]
    # a new, not yet committed postBuild is checked on disk instead
    assert mode == "100755" or (
        not mode and os.access(ROOT / "binder" / "postBuild", os.X_OK)
    )


@pytest.fixture(scope="module")
def binder_env() -> dict:
    proc = subprocess.run(
        [sys.executable, ROOT / "binder" / "make_env.py"],
        capture_output=True,
        text=True,
        timeout=2400,
    )
    if proc.returncode != 0:
        pytest.fail(f"the Binder environment:\n{proc.stdout}\n{proc.stderr[-6000:]}")
    info = json.loads(proc.stdout.splitlines()[-1])
    print(
        "\nBinder environment: base {base[packages]} packages, {base[MB]} MB; "
        "with binder/ {binder[packages]} packages, {binder[MB]} MB".format(**info)
    )
    return info


@binder
def test_environment_keeps_the_base_versions(binder_env):
    python = Path(binder_env["env"]) / "bin" / "python"
    out = subprocess.run(
        [python, "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    have = {p["name"].lower().replace("_", "-"): p["version"] for p in json.loads(out)}
    changed = {n: (v, have.get(n)) for n, v in base_pins().items() if have.get(n) != v}
    assert changed == {}
    # what running the chapters needs, and not the book's build tools
    assert {"jupytext", "jupyterlab-myst", "backprop-lib", "sympy"} <= set(have)
    assert not {"jupyter-book", "sphinx-book-theme", "sphinxcontrib-bibtex"} & set(have)


ROUND_TRIP = """
import sys
import jupytext
from jupytext.config import load_jupytext_config

for path in sys.argv[1:]:
    config = load_jupytext_config(path.rsplit("/", 1)[0])
    text = jupytext.writes(jupytext.read(path), fmt="md:myst", config=config)
    if text != open(path, encoding="utf-8").read():
        print(path)
"""


@binder
def test_chapters_are_as_jupytext_writes_them(binder_env):
    """Saving from JupyterLab writes what jupytext writes (with jupytext.toml): the
    chapters must already be in that form, or a save rewrites them; `make format`
    puts them in it."""
    python = Path(binder_env["env"]) / "bin" / "python"
    paths = [str(ROOT / f"{name}.md") for name in PAGES]
    out = subprocess.run(
        [python, "-c", ROUND_TRIP, *paths], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == [], "jupytext would rewrite these; run `make format`"


# --- JupyterLab -----------------------------------------------------------------


def repository_copy(dest: Path) -> Path:
    """What a clone holds: tracked files plus new ones not ignored, minus deleted."""
    for name in clone_files():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest / name)
    return dest


def api(base: str, path: str, method: str = "GET"):
    req = urllib.request.Request(f"{base}/{path}", method=method)
    with urllib.request.urlopen(req, timeout=30) as r:
        body = r.read()
    return json.loads(body) if body else None


# JupyterLab's notebook attaches only the cells near the view by default ("full"
# windowing): a cell's Markdown is rendered only once it is scrolled to, and detached
# again when scrolled away. With "none" every cell is attached and rendered as the
# notebook opens, so every Markdown cell can be checked at once, with no scrolling.
USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


def write_user_settings(home: Path) -> None:
    """This JupyterLab's user settings (``~/.jupyter/lab/user-settings``, in the
    test's own home folder)."""
    for plugin, settings in USER_SETTINGS.items():
        path = (
            home
            / ".jupyter"
            / "lab"
            / "user-settings"
            / (plugin + ".jupyterlab-settings")
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))


@pytest.fixture(scope="module")
def lab(binder_env, tmp_path_factory):
    """JupyterLab from the Binder environment on 127.0.0.1, serving a copy of the
    repository, in its own process group (killed by PID at the end)."""
    tmp = tmp_path_factory.mktemp("binder-lab")
    repo = repository_copy(tmp / "repo")
    home = tmp / "home"
    write_user_settings(home)
    env_dir = Path(binder_env["env"])
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER", "IPYTHON", "PYTEST"))
    }
    env.update(
        HOME=str(home),  # nothing from this machine's ~/.jupyter
        PATH=f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}",
        VIRTUAL_ENV=str(env_dir),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        PYTHONUNBUFFERED="1",
    )
    port = free_port()
    log = open(tmp / "lab.log", "w")
    proc = subprocess.Popen(
        [
            *(env_dir / "bin" / "jupyter", "lab", "--no-browser"),
            *("--ip=127.0.0.1", f"--port={port}", f"--ServerApp.root_dir={repo}"),
            *("--IdentityProvider.token=", "--ServerApp.password="),
            "--ServerApp.disable_check_xsrf=True",  # the REST calls of this test
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            # CI containers run as root; Binder does not
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        cwd=repo,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def ready():
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited:\n{(tmp / 'lab.log').read_text()}")
            try:
                return api(base, "api/status") is not None
            except OSError:
                return False

        eventually(ready, 120, "JupyterLab to answer (see lab.log)")
        with ThreadPoolExecutor(max_workers=1) as closer:
            info = {"base": base, "repo": repo, "runtime": tmp / "runtime"}
            info.update(log=tmp, closer=closer, closing=[])
            yield info
            check_closed(info, wait=True)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the server and its kernels
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def lab_page(browser, lab):
    """One browser tab for all chapters; requests leaving 127.0.0.1 are aborted."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("http://127.0.0.1")
            else route.abort()
        ),
    )
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda msg: (
            page.console_errors.append(msg.text)
            # (JupyterLab warns when an extension's module fails to load)
            if msg.type in ("error", "warning")
            else None
        ),
    )
    yield page
    context.close()


ACTIVE = ".jp-MainAreaWidget:not(.lm-mod-hidden)"
PROMPTS = f"""() => [...document.querySelectorAll(
  '{ACTIVE} .jp-CodeCell .jp-InputPrompt')].map((e) => e.textContent.trim())"""
MARKDOWN_TEXT = f"""() => [...document.querySelectorAll(
  '{ACTIVE} .jp-MarkdownCell .myst')]
  .map((e) => e.innerText).join('\\n')"""


def session_for(lab: dict, path: str) -> dict | None:
    for s in api(lab["base"], "api/sessions"):
        if s["path"] == path:
            return s
    return None


def close_session(lab: dict, name: str, session: dict) -> None:
    """Delete a chapter's session (and shut its kernel down, which takes a second or
    two) in the background, while the next chapter opens; check_closed checks it."""
    future = lab["closer"].submit(
        api, lab["base"], f"api/sessions/{session['id']}", "DELETE"
    )
    lab["closing"].append((name, future))


def check_closed(lab: dict, wait: bool = False) -> None:
    """Fail if deleting a session failed (``wait``: once all have been deleted)."""
    for name, future in list(lab.get("closing", [])):
        if wait or future.done():
            lab["closing"].remove((name, future))
            try:
                future.result(timeout=60)
            except Exception as e:
                pytest.fail(f"deleting the session of {name}: {e!r}")


# what JupyterLab logs when an extension's module fails to load, and what the widget
# manager logs when it cannot create a widget's model or view
FRONT_END_FAILURES = ("Failed to create", "Could not create")


def assert_widgets_loaded(page) -> None:
    failed = [m for m in page.console_errors if any(f in m for f in FRONT_END_FAILURES)]
    assert failed == [], failed


def open_chapter(page, lab: dict, name: str) -> dict:
    """Open ``name`` at its Binder URL; return its kernel session once it is idle."""
    check_closed(lab)
    page.console_errors.clear()
    # `reset` starts from an empty workspace (no tabs restored from the last chapter)
    page.goto(f"{lab['base']}/{binder_urlpath(name)}?reset", timeout=120_000)
    title = Path(name).name + ".md"
    page.wait_for_selector(
        f".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel:text-is('{title}')",
        timeout=120_000,
    )
    assert page.locator(f"{ACTIVE}.jp-NotebookPanel").count() == 1, (
        f"{name} did not open as a notebook: {page.console_errors}"
    )
    assert page.locator(f"{ACTIVE} .jp-FileEditor").count() == 0
    page.wait_for_selector(f"{ACTIVE} .jp-Notebook .jp-Cell", timeout=60_000)

    def idle_session():
        assert page.locator(".jp-Dialog").count() == 0, (
            f"{name} asked for a kernel: {page.locator('.jp-Dialog').inner_text()}"
        )
        s = session_for(lab, f"{name}.md")
        return s if s and s["kernel"]["execution_state"] == "idle" else None

    s = eventually(idle_session, 120, f"an idle kernel for {name}")
    assert s["kernel"]["name"] == "python3"
    assert_widgets_loaded(page)
    return s


def run_all(page, lab: dict, name: str) -> None:
    page.locator(".lm-MenuBar-itemLabel:text-is('Run')").click()
    page.locator(".lm-Menu-itemLabel:text-is('Run All Cells')").click()

    def finished():
        errors = page.locator(
            f"{ACTIVE} [data-mime-type='application/vnd.jupyter.error']"
        )
        if errors.count():
            pytest.fail(f"{name}: a cell failed:\n{errors.first.inner_text()[-3000:]}")
        prompts = page.evaluate(PROMPTS)
        return (
            all(re.fullmatch(r"\[\d+\]:", p) for p in prompts)
            and session_for(lab, f"{name}.md")["kernel"]["execution_state"] == "idle"
        )

    eventually(finished, 600, f"every cell of {name} to run")


def myst_source(name: str) -> str:
    return (ROOT / f"{name}.md").read_text()


CELLS_SHOWN = f"""() => {{
  const cells = [...document.querySelectorAll('{ACTIVE} .jp-Notebook .jp-Cell')];
  const md = cells.filter((c) => c.classList.contains('jp-MarkdownCell'));
  return {{cells: cells.length, markdown: md.length,
    myst: md.filter((c) => c.querySelector('.myst')).length}}; }}"""


def cell_counts(lab: dict, name: str) -> dict:
    """The chapter's cells as the server reads them (jupytext's contents manager)."""
    model = api(lab["base"], f"api/contents/{name}.md?type=notebook&content=1")
    cells = model["content"]["cells"]
    n_md = sum(c["cell_type"] == "markdown" for c in cells)
    return {"cells": len(cells), "markdown": n_md, "myst": n_md}


def assert_myst_rendered(page, lab: dict, name: str) -> None:
    """jupyterlab-myst renders each Markdown cell into a ``.myst`` element: every cell
    of the chapter is in the page (no windowing, USER_SETTINGS) and every Markdown
    cell is rendered."""
    want = cell_counts(lab, name)
    shown = {}

    def all_rendered():
        shown.update(page.evaluate(CELLS_SHOWN))
        return shown == want

    try:
        eventually(all_rendered, 60, "every cell shown, its Markdown rendered")
    except pytest.fail.Exception as e:
        pytest.fail(f"{name}: {e}: the chapter has {want}, the page shows {shown}")
    text = page.evaluate(MARKDOWN_TEXT)
    raw = [
        line
        for line in text.splitlines()
        # (a label is "(name)=" on its own line; MathJax's text of "σ(z)=" can
        # leave "(z)=" on a line of its own, so a label's name has two characters)
        if re.match(r"\s*(:::|```\{|\([A-Za-z][\w.:-]+\)=\s*$)", line)
        or "{cite:" in line
    ]
    assert raw == [], f"{name}: MyST shown as text: {raw[:5]}"
    source = myst_source(name)
    n_admonitions = len(
        re.findall(r"^:::\{(admonition|note|tip|warning)", source, re.M)
    )
    if n_admonitions:
        shown = page.locator(f"{ACTIVE} .jp-MarkdownCell aside.myst-admonition")
        assert shown.count() >= n_admonitions, (name, shown.count(), n_admonitions)
    if "$" in source:  # math, typeset by KaTeX
        assert page.locator(f"{ACTIVE} .jp-MarkdownCell .myst .katex").count() > 0


def kernel_exec(lab: dict, session: dict, code: str) -> str:
    """Run ``code`` in the chapter's own kernel (a second client on it) and return
    what it printed."""
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient(
        connection_file=str(lab["runtime"] / f"kernel-{session['kernel']['id']}.json")
    )
    client.load_connection_file()
    client.start_channels()
    out = []
    try:
        reply = client.execute_interactive(
            code,
            timeout=60,
            output_hook=lambda m: (
                out.append(m["content"].get("text", ""))
                if m["msg_type"] == "stream"
                else None
            ),
        )
    finally:
        client.stop_channels()
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(out)


PY_STATE = """
import json
print(json.dumps({"W": [w.tolist() for w in explorer.net.W[1:]],
  "b": [b.tolist() for b in explorer.net.b[1:]], "x": list(explorer.x),
  "y": list(explorer.y),
  "delta": [d[:, 0].tolist() for d in explorer.result.delta[1:]]}))
"""
SHOWN_DELTA = f"""() => [...document.querySelectorAll('{ACTIVE} .bpx')[0]
  .querySelectorAll('svg [data-role=delta]')].map((e) => [+e.dataset.layer,
  +e.dataset.unit, e.textContent])"""


def check_slider_reaches_python(page, lab: dict, session: dict) -> None:
    before = json.loads(kernel_exec(lab, session, PY_STATE))
    slider = page.locator(
        f"{ACTIVE} .bpx >> nth=0 >> input[type=range][data-role=weight]"
        '[data-layer="2"][data-row="1"][data-col="1"]'
    )
    # (every cell is attached: no windowing, USER_SETTINGS)
    slider.scroll_into_view_if_needed()
    slider.fill("-2.5")

    def moved():
        state = json.loads(kernel_exec(lab, session, PY_STATE))
        return state if state["W"][1][0][0] == -2.5 else None

    now = eventually(moved, 30, "the slider's value to reach Python")
    assert now["delta"] != before["delta"]
    # Python's δ is the numpy core's for the weights Python holds ...
    net = bp.Network.from_params(
        [np.array(w) for w in now["W"]], [np.array(b) for b in now["b"]]
    )
    ref = net.backward(np.array(now["x"]), np.array(now["y"]))
    for ell, d in enumerate(now["delta"], start=1):
        np.testing.assert_allclose(d, ref.delta[ell][:, 0], rtol=1e-12)

    # ... and the δ the page shows
    def shown_agrees():
        shown = page.evaluate(SHOWN_DELTA)
        return shown and all(
            agrees_to_display(text, now["delta"][ell - 1][unit - 1])
            for ell, unit, text in shown
        )

    eventually(shown_agrees, 10, "the page's δ to be Python's")


def save_and_compare(page, lab: dict, name: str) -> None:
    """Save the chapter as JupyterLab's save does, through the server's contents API
    (jupytext's contents manager writes the notebook model back as MyST), and check
    that the file is byte for byte what it was. (The keyboard's Ctrl+S did not reach
    JupyterLab's save command reliably in headless Chromium.)"""
    path = lab["repo"] / f"{name}.md"
    before = path.stat().st_mtime_ns
    url = f"{lab['base']}/api/contents/{name}.md"
    model = api(lab["base"], f"api/contents/{name}.md?type=notebook&content=1")
    body = json.dumps(
        {"type": "notebook", "format": "json", "content": model["content"]}
    ).encode()
    req = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status in (200, 201), r.status
    assert path.stat().st_mtime_ns != before, f"{name} was not written"
    assert path.read_bytes() == (ROOT / f"{name}.md").read_bytes(), (
        f"saving {name} rewrote it"
    )


@binder
@pytest.mark.browser
@pytest.mark.parametrize("name", PAGES)
def test_binder_link_opens_a_runnable_notebook(lab, lab_page, name):
    page = lab_page
    session = open_chapter(page, lab, name)
    try:
        # (the tab does get marked unsaved once the kernel starts: JupyterLab records
        # the kernel's language_info in the notebook, which jupytext leaves out of
        # the file; save_and_compare checks that saving changes nothing)
        assert_myst_rendered(page, lab, name)
        run_all(page, lab, name)
        assert_widgets_loaded(page)  # the widgets, created as the cells run
        if name == EXPLORER_CHAPTER:
            check_slider_reaches_python(page, lab, session)
        save_and_compare(page, lab, name)
    finally:
        close_session(lab, name, session)
