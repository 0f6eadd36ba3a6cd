"""A real `streamlit run dashboard.py` on a free loopback port, and the Chromium that drives it.

Shared by the browser tests (tests/browser/conftest.py) and the benchmarks (bench/), so that both
measure and test the same server, started the same way.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from spbe.settings import DATA, ROOT

START_TIMEOUT_S = 60
REPLICAS_SCRIPT = ROOT / "scripts" / "serve_replicas.sh"
# N Streamlit processes starting at once on two cores (each imports pandas, plotly and duckdb), then nginx
REPLICAS_START_TIMEOUT_S = 240
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
    (port,) = free_ports(1)
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


def _wait_healthy(server: Server, timeout_s: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.process.returncode}; see {server.log}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not become healthy within {timeout_s:g} s; see {server.log}")


def nginx_path() -> str | None:
    """Debian's nginx (in /usr/sbin, which not every user's PATH has), or None where it is not installed."""
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def free_ports(count: int) -> list[int]:
    """Ports the kernel hands out now, all held at once so that no two are the same."""
    with ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


@dataclass(frozen=True)
class ReplicaSet(Server):
    """scripts/serve_replicas.sh: `process` is the script, whose descendants are the replicas and nginx."""

    ports: tuple[int, ...] = ()
    run_dir: Path = Path()


@contextmanager
def replica_set(log: Path, replicas: int, env: dict[str, str] | None = None) -> Iterator[ReplicaSet]:
    """`replicas` dashboards behind nginx on free loopback ports (`make serve-replicas`), until /_stcore/health
    answers through the proxy; stopped with SIGTERM as Ctrl-C stops it, its whole process group if that hangs.

    The script's output goes to `log`; the replicas' logs and nginx's configuration to the run folder beside it."""
    listen, *ports = free_ports(replicas + 1)
    run_dir = log.parent / "run"
    command = [str(REPLICAS_SCRIPT), "--ports", ",".join(map(str, ports)), "--listen", f"127.0.0.1:{listen}"]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--run-dir", str(run_dir)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,  # its own process group: the replicas and nginx can be stopped with it
        )
    served = ReplicaSet(f"http://127.0.0.1:{listen}", process, log, tuple(ports), run_dir)
    try:
        _wait_healthy(served, REPLICAS_START_TIMEOUT_S)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
