"""Build the Python environment a Binder reader gets, as repo2docker builds it.

1. a fresh virtual environment holding the Python packages of repo2docker's base
   environment at their pinned versions (``binder/repo2docker-base.txt``; repo2docker
   creates it from its conda lock file, so pip installs them here with ``--no-deps``);
2. ``pip install -r binder/requirements.txt`` from the repository's folder;
3. ``binder/postBuild`` from the repository's folder;

then fails if step 2 or 3 changed the version of any package of step 1, or if
``pip check`` finds a conflict. The environment is kept under ``.venv/binder-env/``
in a folder named by a hash of those files and the Python version, so a second run
only prints where it is. ``tests/test_binder.py`` and ``make lab`` use it. One run
builds at a time (a lock, ``.venv/binder-env.lock``): ``make test`` starts a build in
the background as it begins, and the Binder tier's own run waits for it.

Prints one JSON line: the environment's folder and its packages and size after
step 1 and after step 3.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FILES = ["runtime.txt", "repo2docker-base.txt", "requirements.txt", "postBuild"]
CACHE = ROOT / ".venv" / "binder-env"
LOCK = ROOT / ".venv" / "binder-env.lock"


def pins() -> dict[str, str]:
    out = {}
    for line in (HERE / "repo2docker-base.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            out[name] = version
    return out


def normalize(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def key() -> str:
    h = hashlib.sha256(f"{sys.version_info[:2]}".encode())
    for name in FILES:
        h.update((HERE / name).read_bytes())
    return h.hexdigest()[:16]


def installed(env: Path) -> dict[str, str]:
    out = subprocess.run(
        [env / "bin" / "python", "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {normalize(p["name"]): p["version"] for p in json.loads(out)}


def megabytes(env: Path) -> float:
    size = sum(
        p.lstat().st_size for p in env.rglob("*") if p.is_file() and not p.is_symlink()
    )
    return round(size / 1e6, 1)


def run(cmd: list, env: dict[str, str]) -> str:
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(
            f"{' '.join(map(str, cmd))} failed:\n{proc.stdout[-5000:]}\n"
            f"{proc.stderr[-5000:]}"
        )
    return proc.stdout + proc.stderr


def build(env_dir: Path) -> dict:
    runtime = (HERE / "runtime.txt").read_text().strip()
    have = f"python-{sys.version_info.major}.{sys.version_info.minor}"
    if not runtime.startswith(have):
        raise SystemExit(
            f"binder/runtime.txt asks for {runtime}; run this script with that Python "
            f"(this is {sys.version.split()[0]})"
        )
    if env_dir.exists():
        shutil.rmtree(env_dir)
    venv.EnvBuilder(with_pip=True).create(env_dir)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV", "CONDA", "PIP_CONSTRAINT"))
    }
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}"
    env["VIRTUAL_ENV"] = str(env_dir)
    pip = [env_dir / "bin" / "python", "-m", "pip"]
    # 1. the base environment, exactly as pinned
    run([*pip, "install", "--no-deps", "-r", HERE / "repo2docker-base.txt"], env)
    base = installed(env_dir)
    missing = {n: v for n, v in pins().items() if base.get(n) != v}
    if missing:
        raise SystemExit(
            f"base environment: not installed at the pinned version: {missing}"
        )
    summary = {"base": {"packages": len(base), "MB": megabytes(env_dir)}}
    # 2. binder/requirements.txt, 3. binder/postBuild
    log = run([*pip, "install", "-r", HERE / "requirements.txt"], env)
    log += run(["bash", HERE / "postBuild"], env)
    if "dependency resolver" in log or "incompatible" in log:
        raise SystemExit(f"pip reported a conflict:\n{log[-5000:]}")
    after = installed(env_dir)
    changed = {
        n: f"{v} -> {after.get(n, 'removed')}"
        for n, v in base.items()
        if after.get(n) != v
    }
    if changed:
        raise SystemExit(f"binder/ changed packages of the base environment: {changed}")
    run([*pip, "check"], env)
    summary["binder"] = {
        "packages": len(after),
        "MB": megabytes(env_dir),
        "added": sorted(f"{n}=={v}" for n, v in after.items() if n not in base),
    }
    return summary


def stop(signum, frame):
    # SystemExit inside subprocess.run kills the pip it waits for (`make test` stops
    # a background build this way when a tier fails)
    raise SystemExit(f"stopped by signal {signum}")


def main() -> None:
    signal.signal(signal.SIGTERM, stop)
    env_dir = CACHE / key()
    done = env_dir / "binder-summary.json"
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # waits while another run builds
        if not done.exists():
            for stale in CACHE.glob("*") if CACHE.exists() else []:
                shutil.rmtree(stale)  # environments of older binder/ files
            summary = build(env_dir)
            done.write_text(json.dumps(summary, indent=1))
    summary = json.loads(done.read_text())
    print(json.dumps({"env": str(env_dir), **summary}))


if __name__ == "__main__":
    main()
