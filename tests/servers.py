"""Voila for the live-kernel tests, started as a reader would start it: on
127.0.0.1, on a free port, in its own process group (killed by PID in teardown).
A helpers module, shared by the test modules, which never import each other."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .conftest import free_port


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with code {proc.returncode}")
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"voila did not listen on port {port} within {timeout} s")


def start_voila(directory: Path, notebook: str) -> tuple[subprocess.Popen, str]:
    """Start Voila on a free port in its own process group; return it and the URL."""
    port = free_port()
    log = open(directory / "voila.log", "w")  # closed by stop_voila
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "voila", notebook),
            *("--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"),
            "--show_tracebacks=True",
        ],
        cwd=directory,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=env,
    )
    proc.log = log
    try:
        _wait_for_port(port, proc)
    except Exception:
        stop_voila(proc)
        raise
    return proc, f"http://127.0.0.1:{port}/"


def stop_voila(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # voila and the kernels it started
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    proc.log.close()
