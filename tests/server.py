"""A real `streamlit run dashboard.py` on a free loopback port, and the Chromium that drives it.

Shared by the browser tests (tests/browser/conftest.py) and the benchmarks (bench/), so that both
measure and test the same server, started the same way.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from spbe.settings import DATA, ROOT

START_TIMEOUT_S = 60
# Headless, with nothing a browser does on its own at start-up (sign-in, component updates):
# the dashboard must make no request outside its own server, and the benchmarks time only it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def desktop_chromium_path() -> str | None:
    """Debian's full Chromium for Playwright (image export uses chromium-headless-shell instead:
    spbe.present.export.chromium_path), or BROWSER_PATH if set."""
    for candidate in (os.environ.get("BROWSER_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen
    log: Path


@contextmanager
def streamlit_server(log: Path, data_dir: Path | None = None, env: dict[str, str] | None = None) -> Iterator[Server]:
    """Start the dashboard (over `data_dir` if given), wait until /_stcore/health answers, stop it afterwards.

    Its stdout and stderr go to `log`, which every failure names."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, **(env or {}), **({DATA.environment: str(data_dir)} if data_dir else {})}
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
        server = Server(f"http://127.0.0.1:{port}", process, log)
        try:
            _wait_healthy(server)
            yield server
        finally:
            process.terminate()
            process.wait(timeout=20)


def _wait_healthy(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.process.returncode}; see {server.log}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not become healthy within {START_TIMEOUT_S} s; see {server.log}")
