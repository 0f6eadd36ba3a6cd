"""One harness for every benchmark, and the budgets of the issue "Performance pass".

    PYTHONPATH=. .venv/bin/python -m bench [--quick] [--only score,store,...] [--out DIR] [--render-only]

Runs the benchmarks one after the other (never two at once: the machine has two cores) and writes
DIR/results.json and DIR/RESULTS.md (bench/report.py); see bench/README.md. From Python,
`run_one(name, params)` runs one benchmark; each bench module also runs alone (`cli`).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import math
import operator
import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from statistics import median
from typing import Any

from tests.server import desktop_chromium_path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench"
# The sizes of the issue, and a shrunk variant of each for --quick; in the order the benchmarks run.
PARAMS: dict[str, dict[str, dict[str, Any]]] = {
    "full": {
        "store": {"scales": [1, 100], "repeat": 20},
        "score": {"sizes": [29_140, 100_000, 1_000_000, 5_000_000, 10_000_000, 20_000_000], "repeat": 3},
        "sensitivity": {"scales": [1, 10, 100], "draws": 1_000, "repeat": 5},
        "presskit": {"repeat": 3},
        "browser": {"runs": 5, "changes": 20},
        "load": {"sessions": 10, "duration_s": 60.0, "think_s": [2.0, 5.0], "stress_s": 60.0},
        # Steps between the round numbers where a run showed the knee to lie (25-50 for one process, 50-100 for two)
        "ramp": {
            "steps": [10, 25, 35, 50, 100, 200],
            "duration_s": 60.0,
            "think_s": [2.0, 5.0],
            "max_sessions": 800,
            "idle_sessions": 50,
            "compare_sessions": 10,
            "compare_s": 60.0,
            "replicas": 1,
        },
        # The same users through nginx to two replicas, one per core (scripts/serve_replicas.sh): the deployment
        # the README gives for more sessions than one process holds.
        "ramp_replicas": {
            "steps": [25, 50, 75, 100, 200],
            "duration_s": 60.0,
            "think_s": [2.0, 5.0],
            "max_sessions": 800,
            "idle_sessions": 0,
            "compare_sessions": 0,
            "compare_s": 0.0,
            "replicas": 2,
        },
    },
    "quick": {
        "store": {"scales": [1], "repeat": 5},
        "score": {"sizes": [29_140, 1_000_000, 2_000_000], "repeat": 1},
        "sensitivity": {"scales": [1, 10], "draws": 1_000, "repeat": 1},
        "presskit": {"repeat": 1, "charts": 2, "formats": ["png"]},
        "browser": {"runs": 1, "changes": 5},
        "load": {"sessions": 3, "duration_s": 10.0, "think_s": [0.5, 1.0], "stress_s": 5.0},
        "ramp": {
            "steps": [4],
            "duration_s": 10.0,
            "think_s": [0.5, 1.0],
            "max_sessions": 4,
            "idle_sessions": 4,
            "compare_sessions": 2,
            "compare_s": 10.0,
            "replicas": 1,
        },
        "ramp_replicas": {
            "steps": [4],
            "duration_s": 10.0,
            "think_s": [0.5, 1.0],
            "max_sessions": 4,
            "idle_sessions": 0,
            "compare_sessions": 0,
            "compare_s": 0.0,
            "replicas": 2,
        },
    },
}
NAMES = list(PARAMS["full"])
# The module of a benchmark, where it is not bench/<name>_bench.py.
MODULES = {"ramp": "bench.ws_load", "ramp_replicas": "bench.ws_load"}


# ---------------------------------------------------------------------------- what every bench shares


class Sampler:
    """Calls `read()` every `every_s` seconds in a thread while the `with` block runs, keeping what it returns:
    the load average around every benchmark (the machine is shared), the server's RSS during the load bench."""

    def __init__(self, read: Callable[[], Any], every_s: float):
        self.read, self.every_s, self.samples = read, every_s, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.samples.append(self.read())
            self._stop.wait(self.every_s)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def timed(fn: Callable[..., Any], *args: Any, collect: bool = False) -> tuple[float, Any]:
    """Seconds `fn(*args)` took (after a full garbage collection if `collect`, so that no variant pays for another's
    garbage), and its result."""
    if collect:
        gc.collect()
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def rounds(names: list[str], repeat: int, rotate: bool = False) -> Iterator[list[str]]:
    """The order of each of `repeat` rounds: reversed every other round (and with `rotate` also rotated by one
    each round), so that no variant always goes first or always after the same one."""
    for r in range(repeat):
        order = names[r % len(names) :] + names[: r % len(names)] if rotate else list(names)
        yield order[::-1] if r % 2 else order


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


GOALS = {"<": operator.lt, "<=": operator.le, ">=": operator.ge, "=": operator.eq}


def budget(name: str, measured: float, op: str, goal: float, unit: str, detail: str = "") -> dict:
    """One budget of the issue: met when `measured op goal`, e.g. `budget("...", 1.2, "<", 3, "s")`."""
    text = f"{op} {goal:g}{unit if unit == 'x' else ' ' + unit}"
    met = GOALS[op](measured, goal)
    return {"name": name, "goal": text, "measured": float(measured), "unit": unit, "met": bool(met), "detail": detail}


def status_kb(pid: int | str, field: str) -> int:
    """A field of /proc/<pid>/status in kB (VmRSS, VmHWM); 0 once the process has exited."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


# ---------------------------------------------------------------------------- running


def run_one(name: str, params: dict) -> dict:
    """Run one benchmark; its result dict (with `budgets`), wall time and the load average around it."""
    start, started = time.monotonic(), datetime.now().isoformat(timespec="seconds")
    with Sampler(lambda: os.getloadavg()[0], 5) as load:
        result = importlib.import_module(MODULES.get(name, f"bench.{name}_bench")).run(**params)
    load_1m = {"min": min(load.samples), "median": median(load.samples), "max": max(load.samples)}
    result.update(benchmark=name, params=params, started=started, wall_s=time.monotonic() - start, loadavg_1m=load_1m)
    return result


def machine() -> dict:
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "unknown")
    versions = {}
    for package in ("duckdb", "pandas", "pyarrow", "numpy", "streamlit", "plotly", "kaleido", "playwright"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "not installed"
    browser = desktop_chromium_path()
    run = subprocess.run([browser, "--version"], capture_output=True, text=True, timeout=30) if browser else None
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "memory_gb": round(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 1024**3, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        **versions,
        "chromium": run.stdout.strip() if run else "not installed",
        "date": datetime.now().isoformat(timespec="seconds"),
        "loadavg_at_start": os.getloadavg(),
    }


def run_all(names: list[str], mode: str) -> dict:
    info = machine()
    benchmarks = {}
    for name in names:
        print(f"== {name} ({mode})", file=sys.stderr, flush=True)
        benchmarks[name] = run_one(name, PARAMS[mode][name])
        _print_budgets(benchmarks[name]["budgets"])
    info["loadavg_at_end"] = os.getloadavg()
    budgets = [b for name in names for b in benchmarks[name]["budgets"]]
    return {"mode": mode, "machine": info, "budgets": budgets, "benchmarks": benchmarks}


def merged(previous: dict, run: dict) -> dict:
    """A subset run (--only) merged into the previous results of the same mode: its benchmarks replace theirs, the
    others are kept, so that RESULTS.md still shows every benchmark; the machine is the new run's."""
    if previous.get("mode") != run["mode"]:
        return run
    benchmarks = {**previous["benchmarks"], **run["benchmarks"]}
    ordered = {name: benchmarks[name] for name in NAMES if name in benchmarks}
    budgets = [b for result in ordered.values() for b in result["budgets"]]
    return {**run, "budgets": budgets, "benchmarks": ordered}


def _print_budgets(budgets: list[dict]) -> None:
    for b in budgets:
        verdict = "met   " if b["met"] else "MISSED"
        print(
            f"{verdict} {b['name']}: {b['measured']:.3g} {b['unit']} (goal {b['goal']}) {b['detail']}", file=sys.stderr
        )


def cli(name: str, **defaults: Any) -> None:
    """`python -m bench.<name>_bench`: one benchmark at the full sizes, each parameter an option; prints its section
    of the report and its budgets. `defaults` adds or overrides parameters for a run on its own."""
    params = {**PARAMS["full"][name], **defaults}
    parser = argparse.ArgumentParser(
        description=sys.modules["__main__"].__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    for key, value in params.items():
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=value)
        elif isinstance(value, list):
            parser.add_argument(flag, nargs="+", type=type(value[0]), default=value, help=f"default {value}")
        else:
            parser.add_argument(flag, type=type(value), default=value, help=f"default {value}")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = vars(parser.parse_args())
    path = args.pop("json")
    result = run_one(name, args)
    from bench import report

    print(report.section(name, result))
    _print_budgets(result["budgets"])
    if path:
        path.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    from bench import report

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shrink every benchmark (a smoke run)")
    parser.add_argument(
        "--only", help=f"comma-separated subset of {','.join(NAMES)}, merged into DIR/results.json of the same mode"
    )
    parser.add_argument("--out", type=Path, default=OUT, help="where RESULTS.md and results.json go (default bench/)")
    parser.add_argument("--render-only", action="store_true", help="rewrite RESULTS.md from DIR/results.json")
    args = parser.parse_args(argv)
    results = args.out / "results.json"
    if args.render_only:
        report.write(json.loads(results.read_text(encoding="utf-8")), args.out)
        return
    names = NAMES if not args.only else [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = set(names) - set(NAMES)
    if unknown:
        parser.error(f"unknown benchmark(s) {sorted(unknown)}; choose from {NAMES}")
    run = run_all(names, "quick" if args.quick else "full")
    if args.only and results.exists():
        run = merged(json.loads(results.read_text(encoding="utf-8")), run)
    args.out.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(run, indent=2, default=str), encoding="utf-8")
    report.write(run, args.out)
    print(f"wrote {args.out / 'RESULTS.md'} and {results}", file=sys.stderr)
