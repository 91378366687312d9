"""Binder, simulated: install the repository as repo2docker does, run every chapter.

mybinder.org cannot be reached from here, so this replays what repo2docker's Python
build pack does with this repository (repo2docker/buildpacks/python):

1. a fresh environment for the Python named in ``runtime.txt``;
2. ``pip install --no-cache-dir -r requirements.txt``, before the rest of the
   repository is copied in (requirements.txt has no local references, so repo2docker
   installs it on its own, to cache that layer);
3. the repository copied to ``$REPO_DIR``, which is also ``$HOME``;
4. ``./postBuild`` from there (there is no setup.py, so nothing else installs the
   library);

then executes every chapter in ``_toc.yml`` as JupyterLab on Binder would: the MyST
file read by jupytext, run in that environment's ``python3`` kernel, with the
chapter's folder as working directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import venv
from pathlib import Path

import jupytext
import pytest

from .conftest import ROOT, toc_files

pytestmark = [pytest.mark.binder, pytest.mark.book]

CHAPTERS = [
    name
    for name in toc_files()
    if (ROOT / f"{name}.md").exists()
    and "kernelspec" in jupytext.read(ROOT / f"{name}.md").metadata
]


def repository_files() -> list[str]:
    """What a clone holds: tracked files plus new ones not ignored (about to be
    committed), minus deleted ones."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [f for f in out.split("\0") if f and (ROOT / f).is_file()]


def clean_env(home: Path, env_dir: Path) -> dict[str, str]:
    """The environment of a Binder user: nothing from this test run leaks in."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER", "IPYTHON", "PYTEST"))
    }
    env["HOME"] = str(home)
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}"
    env["VIRTUAL_ENV"] = str(env_dir)
    env["MPLBACKEND"] = "agg"
    return env


def run(cmd, cwd: Path, env: dict[str, str], timeout: int = 900) -> str:
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        pytest.fail(
            f"{cmd} failed in {cwd}:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        )
    return proc.stdout


@pytest.fixture(scope="module")
def binder(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("binder")
    runtime = (ROOT / "runtime.txt").read_text().strip()
    wanted = runtime.removeprefix("python-")
    have = f"{sys.version_info.major}.{sys.version_info.minor}"
    if not wanted.startswith(have):
        pytest.skip(f"runtime.txt asks for {runtime}; this machine runs Python {have}")

    timings = {}
    env_dir = tmp / "env"
    start = time.perf_counter()
    venv.EnvBuilder(with_pip=True).create(env_dir)
    repo = tmp / "repo"  # $REPO_DIR = $HOME on Binder
    env = clean_env(repo, env_dir)

    # 2. requirements.txt, alone (repo2docker's "preassemble" step)
    pre = tmp / "preassemble"
    pre.mkdir()
    shutil.copy2(ROOT / "requirements.txt", pre)
    run(
        [
            env_dir / "bin" / "pip",
            "install",
            "--no-cache-dir",
            "-r",
            "requirements.txt",
        ],
        cwd=pre,
        env=env,
    )
    timings["requirements.txt"] = time.perf_counter() - start

    # 3. the repository
    for name in repository_files():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)

    # 4. postBuild, as repo2docker runs it
    start = time.perf_counter()
    run(["bash", "-c", "chmod +x postBuild && ./postBuild"], cwd=repo, env=env)
    timings["postBuild"] = time.perf_counter() - start
    yield {"env_dir": env_dir, "repo": repo, "env": env, "timings": timings}
    print("\nBinder simulation:", {k: f"{v:.0f} s" for k, v in timings.items()})


def test_postbuild_is_executable_in_git():
    mode = subprocess.run(
        ["git", "ls-files", "-s", "postBuild"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split(" ")[0]
    # a new, not yet committed postBuild is checked on disk instead
    assert mode == "100755" or (not mode and os.access(ROOT / "postBuild", os.X_OK))


def test_the_library_comes_from_the_binder_repository(binder):
    where = run(
        [
            binder["env_dir"] / "bin" / "python",
            "-c",
            "import backprop_lib as b; print(b.__file__)",
        ],
        cwd=binder["repo"] / "chapters",
        env=binder["env"],
    ).strip()
    assert Path(where).resolve().is_relative_to(binder["repo"].resolve()), where


def test_jupyterlab_opens_md_chapters_as_notebooks(binder):
    overrides = binder["repo"] / ".jupyter" / "labconfig"
    settings = json.loads((overrides / "default_setting_overrides.json").read_text())
    viewers = settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers["markdown"] == "Jupytext Notebook"
    # the viewer is jupytext's JupyterLab extension, which ships in its wheel
    ext = (
        binder["env_dir"]
        / "share"
        / "jupyter"
        / "labextensions"
        / "jupyterlab-jupytext"
    )
    assert (ext / "package.json").is_file()


RUNNER = textwrap.dedent(
    """
    import sys
    import jupytext
    from nbclient import NotebookClient

    path = sys.argv[1]
    nb = jupytext.read(path)
    NotebookClient(
        nb,
        timeout=600,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": "."}},
    ).execute()
    print(sum(1 for c in nb.cells if c.cell_type == "code"), "cells ran")
    """
)


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_runs_on_binder(binder, name):
    chapter = binder["repo"] / f"{name}.md"
    start = time.perf_counter()
    out = run(
        [binder["env_dir"] / "bin" / "python", "-c", RUNNER, chapter.name],
        cwd=chapter.parent,  # JupyterLab starts the kernel in the notebook's folder
        env=binder["env"],
        timeout=1200,
    )
    binder["timings"][name] = time.perf_counter() - start
    assert "cells ran" in out
