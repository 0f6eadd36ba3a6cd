"""Press kit benchmark: the 2018 kit with the persistent Kaleido server against one-shot exports.

    PYTHONPATH=. .venv/bin/python -m bench.presskit_bench [--repeat 3] [--json PATH]

Both variants render the same figures (every standard chart of 2018 in PNG, SVG and PDF at
the slide preset) in one run, alternating. "persistent" is spbe.present.presskit.build_kit as the
dashboard and the CLI use it, in a fresh process so that Chromium's start is included;
"one-shot" calls plotly.io.write_image per file, which starts a new Chromium every time.
Goal (issue "Press-ready figures"): persistent at least 5x faster, and under 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2018
GOAL_RATIO, GOAL_SECONDS = 5.0, 10.0

# argv: [out,] number of charts ("all" or N: the first N standard charts), formats (comma-separated)
_PERSISTENT = f"""
import json, sys, time
t = time.perf_counter()
steps, mark = {{}}, t
def step(name):
    global mark
    now = time.perf_counter()
    steps[name], mark = now - mark, now
from spbe.present.presskit import build_kit, kit_charts
from spbe.data.store import Store
step("imports")
store = Store()
step("Store()")
limit, formats = sys.argv[1], sys.argv[2].split(",")
charts = kit_charts(store, {YEAR})
charts = charts if limit == "all" else charts[:int(limit)]
step("kit_charts (figures)")
files = build_kit(store, {YEAR}, charts=charts, formats=formats)
step("build_kit (Kaleido start + render, CSVs, captions)")
print("STEPS", json.dumps(steps))
print(time.perf_counter() - t, len(files))
"""

_ONE_SHOT = f"""
import sys, time, warnings
import plotly.io as pio
from spbe.present.export import PRESETS
from spbe.present.presskit import kit_charts
from spbe.data.store import Store
t = time.perf_counter()
preset, out, limit, formats = PRESETS["slide"], sys.argv[1], sys.argv[2], sys.argv[3].split(",")
count = 0
charts = kit_charts(Store(), {YEAR})
for chart in charts if limit == "all" else charts[:int(limit)]:
    for fmt in formats:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pio.write_image(chart.fig, f"{{out}}/{{chart.slug}}.{{fmt}}", format=fmt, width=preset.width,
                            height=preset.height, scale=preset.scale)
        count += 1
print(time.perf_counter() - t, count)
"""


def _run(code: str, *args: str, steps: list | None = None) -> tuple[float, int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=900
    )
    for line in done.stdout.splitlines():
        if line.startswith("STEPS ") and steps is not None:
            steps.append(json.loads(line.removeprefix("STEPS ")))
    seconds, files = done.stdout.split()[-2:]
    return float(seconds), int(files)


def run(repeat: int = 3, charts: int | None = None, formats: tuple[str, ...] | None = None) -> dict:
    """Median seconds of both variants over `repeat` alternating turns, their ratio and the budgets.

    The full kit by default; `charts=N` keeps the first N standard charts and `formats` (e.g. ("png",))
    the given formats, for a smoke run (the budgets then concern that smaller kit)."""
    from spbe.present.export import FORMATS

    limit, fmts = "all" if charts is None else str(charts), ",".join(formats or FORMATS)
    persistent, one_shot, steps = [], [], []
    for turn in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            order = [
                ("persistent", lambda: _run(_PERSISTENT, limit, fmts, steps=steps)),
                ("one-shot", lambda out=out: _run(_ONE_SHOT, out, limit, fmts)),
            ]
            for name, call in order if turn % 2 == 0 else order[::-1]:
                seconds, files = call()
                (persistent if name == "persistent" else one_shot).append(seconds)
                print(f"  {name:<10} {seconds:6.2f} s ({files} files)", file=sys.stderr)
    result = {
        "charts": limit,
        "formats": fmts,
        "persistent_s": statistics.median(persistent),
        "one_shot_s": statistics.median(one_shot),
        "persistent_runs": persistent,
        "one_shot_runs": one_shot,
        "persistent_steps": steps,  # seconds per step of every persistent run
    }
    result["ratio"] = result["one_shot_s"] / result["persistent_s"]
    result["budgets"] = [
        {
            "name": "press kit speed-up over one-shot",
            "goal": f">= {GOAL_RATIO}x",
            "measured": result["ratio"],
            "unit": "x",
            "met": result["ratio"] >= GOAL_RATIO,
        },
        {
            "name": "press kit 2018 (persistent)",
            "goal": f"< {GOAL_SECONDS} s",
            "measured": result["persistent_s"],
            "unit": "s",
            "met": result["persistent_s"] < GOAL_SECONDS,
        },
    ]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = run(args.repeat)
    machine = platform.processor() or platform.machine()
    print(f"machine: {os.cpu_count()} cores, {machine}, Python {platform.python_version()}")
    print("| variant | median | runs |\n|---|---:|---|")
    print(f"| persistent Kaleido server | {result['persistent_s']:.2f} s | {result['persistent_runs']} |")
    print(f"| one-shot write_image | {result['one_shot_s']:.2f} s | {result['one_shot_runs']} |")
    print(f"ratio one-shot / persistent: {result['ratio']:.1f}x")
    for budget in result["budgets"]:
        print(
            f"- {budget['name']}: {budget['measured']:.2f} {budget['unit']} (goal {budget['goal']}) "
            f"{'met' if budget['met'] else 'MISSED'}"
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
