"""Write the pip pins of repo2docker's base environment (make binder-base).

Binder builds this repository with repo2docker, whose Python build pack starts from a
frozen conda environment (``environment.py-X.Y-linux-64.lock`` under
``repo2docker/buildpacks/conda/`` in the public ``jupyterhub/repo2docker``
repository) and then applies ``binder/``.
This script reads that lock file for the Python version named in
``binder/runtime.txt`` and writes its Python packages, as ``name==version`` lines, to
``binder/repo2docker-base.txt``, with the commit and date it was read from.
``tests/test_binder.py`` installs those pins first, as the Binder image has them.

Usage: ``python binder/repo2docker_base.py [--repo PATH]``; without ``--repo`` it
clones https://github.com/jupyterhub/repo2docker (shallow) into a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "repo2docker-base.txt"
URL = "https://github.com/jupyterhub/repo2docker"
# conda-forge names whose PyPI name differs
PYPI_NAME = {
    "brotli-python": "brotli",
    "python-fastjsonschema": "fastjsonschema",
    "nbconvert-core": "nbconvert",
    "jupyterhub-base": "jupyterhub",
}


def python_version() -> str:
    runtime = (HERE / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(\d+\.\d+)(\.\d+)?", runtime)
    if not match:
        raise ValueError(f"binder/runtime.txt: expected python-X.Y, got {runtime!r}")
    return match.group(1)


def pip_pins(lock_text: str) -> list[str]:
    """``name==version`` for every Python package of a conda-lock explicit file.

    A conda-forge Python package has a build string starting with ``py``
    (``pyhd8ed1ab_0``, ``py311h...``); C libraries, Python itself, nodejs and
    metapackages do not.
    """
    pins = {}
    for line in lock_text.splitlines():
        if not line.startswith("https://"):
            continue
        filename = line.split("#")[0].rsplit("/", 1)[1]
        stem = re.sub(r"\.(conda|tar\.bz2)$", "", filename)
        name, version, build = stem.rsplit("-", 2)
        if build.startswith("py") and name != "python":
            pins[PYPI_NAME.get(name, name).replace("_", "-").lower()] = version
    return [f"{n}=={v}" for n, v in sorted(pins.items())]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, help="a clone of jupyterhub/repo2docker")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        repo = args.repo
        if repo is None:
            repo = Path(tmp) / "repo2docker"
            subprocess.run(
                ["git", "clone", "-q", "--depth", "1", URL, repo], check=True
            )

        def git(*cmd: str) -> str:
            return subprocess.run(
                ["git", "-C", str(repo), *cmd],
                capture_output=True,
                text=True,
                check=True,
            ).stdout

        version = python_version()
        path = f"repo2docker/buildpacks/conda/environment.py-{version}-linux-64.lock"
        commit, date = git("log", "-1", "--format=%H %cs", "HEAD").split()
        pins = pip_pins(git("show", f"HEAD:{path}"))
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    OUT.write_text(
        "# The Python packages of repo2docker's base environment for Python "
        f"{version}: what a\n"
        "# Binder image holds before binder/ is applied. Written by "
        "`make binder-base`\n"
        f"# (binder/repo2docker_base.py) from {URL}\n"
        f"# {path}\n"
        f"# at commit {commit} ({date}), read on {today}.\n"
        "# Conda-only packages (Python, nodejs, C libraries) are left out.\n"
        + "".join(p + "\n" for p in pins)
    )
    print(
        f"{len(pins)} pins written to {OUT.relative_to(HERE.parent)}", file=sys.stderr
    )


if __name__ == "__main__":
    main()
