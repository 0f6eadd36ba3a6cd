"""Press kit benchmark: the 2018 kit with the persistent Kaleido server against one-shot exports.

    PYTHONPATH=. .venv/bin/python -m bench.presskit_bench [--repeat 3] [--json PATH]

Both variants render the same figures (every standard chart of 2018 in PNG, SVG and PDF at
the slide preset) in one run, alternating. "persistent" is spbe.present.presskit.build_kit as the
dashboard and the CLI use it, in a fresh process so that Chromium's start is included;
"one-shot" calls plotly.io.write_image per file, which starts a new Chromium every time.
Goal (issue "Press-ready figures"): persistent at least 5x faster, and under 10 s.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile

from bench.harness import ROOT, budget, cli, rounds

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
from spbe.settings import resolve
step("imports")
store = Store(resolve().data_dir)
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
from spbe.settings import resolve
t = time.perf_counter()
preset, out, limit, formats = PRESETS["slide"], sys.argv[1], sys.argv[2], sys.argv[3].split(",")
count = 0
charts = kit_charts(Store(resolve().data_dir), {YEAR})
for chart in charts if limit == "all" else charts[:int(limit)]:
    for fmt in formats:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pio.write_image(chart.fig, f"{{out}}/{{chart.slug}}.{{fmt}}", format=fmt, width=preset.width,
                            height=preset.height, scale=preset.scale)
        count += 1
print(time.perf_counter() - t, count)
"""


def _run(code: str, *args: str, steps: list[dict]) -> tuple[float, int]:
    """Run one variant in a fresh interpreter; its seconds and file count (and its steps, if it reports them)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", code, *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=900)
    for line in done.stdout.splitlines():
        if line.startswith("STEPS "):
            steps.append(json.loads(line.removeprefix("STEPS ")))
    seconds, files = done.stdout.split()[-2:]
    return float(seconds), int(files)


def run(repeat: int = 3, charts: int | None = None, formats: list[str] | None = None) -> dict:
    """Median seconds of both variants over `repeat` alternating turns, their ratio and the budgets.

    The full kit by default; `charts=N` keeps the first N standard charts and `formats` (e.g. ["png"])
    the given formats, for a smoke run (the budgets then concern that smaller kit)."""
    from spbe.present.export import FORMATS

    limit, fmts = "all" if charts is None else str(charts), ",".join(formats or FORMATS)
    runs: dict[str, list[float]] = {"persistent": [], "one-shot": []}
    steps: list[dict] = []  # seconds per step of every persistent run
    for order in rounds(list(runs), repeat):
        with tempfile.TemporaryDirectory() as out:
            for name in order:
                args = (_PERSISTENT, limit, fmts) if name == "persistent" else (_ONE_SHOT, out, limit, fmts)
                seconds, files = _run(*args, steps=steps)
                runs[name].append(seconds)
                print(f"  {name:<10} {seconds:6.2f} s ({files} files)", file=sys.stderr)
    persistent, one_shot = statistics.median(runs["persistent"]), statistics.median(runs["one-shot"])
    kit = "2018 kit" if charts is None else f"2018 kit cut to {charts} chart(s), {fmts}"
    detail = f"persistent {persistent:.2f} s, one-shot {one_shot:.2f} s (medians of {repeat})"
    ratio = one_shot / persistent
    return {
        "charts": limit,
        "formats": fmts,
        "persistent_s": persistent,
        "one_shot_s": one_shot,
        "persistent_runs": runs["persistent"],
        "one_shot_runs": runs["one-shot"],
        "persistent_steps": steps,
        "ratio": ratio,
        "budgets": [
            budget(f"press kit speed-up over one-shot ({kit})", ratio, ">=", GOAL_RATIO, "x", detail),
            budget(f"press kit (persistent) ({kit})", persistent, "<", GOAL_SECONDS, "s", detail),
        ],
    }


if __name__ == "__main__":
    cli("presskit")
