"""One harness for every benchmark, and the budgets of the issue "Performance pass".

    PYTHONPATH=. .venv/bin/python -m bench [--quick] [--only score,store,presskit,browser,load]
                                           [--out DIR] [--merge] [--render-only]

Runs the benchmarks one after the other (never two at once: the machine has two cores), each as
its own module does it (every comparison within one run), and writes DIR/RESULTS.md (default
bench/) and DIR/results.json, whose top-level `budgets` list holds one object per budget:
`name`, `goal`, `measured`, `unit`, `met` (and a `detail` string). `--quick` shrinks every
benchmark for a smoke run; `--render-only` rewrites RESULTS.md from an existing results.json (plus
DIR/RESULTS_NOTES.md if present); `--merge --only NAME` refreshes one benchmark of an existing run.
From Python, `run_one(name, params)` runs one benchmark and returns its result and budgets.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench"
NAMES = ["store", "score", "presskit", "browser", "load"]  # the order they run in

# The sizes of the issue, and a shrunk variant of each for --quick.
PARAMS: dict[str, dict[str, dict]] = {
    "full": {
        "store": {"scales": [1, 100], "repeat": 20},
        "score": {"sizes": [29_140, 100_000, 1_000_000, 5_000_000, 10_000_000, 20_000_000], "repeat": 3},
        "presskit": {"repeat": 3},
        "browser": {"runs": 5, "changes": 20},
        "load": {"sessions": 10, "duration_s": 60.0, "think_s": [2.0, 5.0], "stress_s": 60.0},
    },
    "quick": {
        "store": {"scales": [1], "repeat": 5},
        "score": {"sizes": [29_140, 1_000_000, 2_000_000], "repeat": 1},
        "presskit": {"repeat": 1, "charts": 2, "formats": ("png",)},
        "browser": {"runs": 1, "changes": 5},
        "load": {"sessions": 3, "duration_s": 10.0, "think_s": [0.5, 1.0], "stress_s": 5.0},
    },
}
SCORE_GOAL_S, SCORE_GOAL_RATIO = 3.0, 3.0


# ---------------------------------------------------------------------------- running


def _budget(name: str, goal: str, measured: float, unit: str, met: bool, detail: str = "") -> dict:
    return {"name": name, "goal": goal, "measured": float(measured), "unit": unit, "met": bool(met), "detail": detail}


def run_score(sizes: list[int], repeat: int, memory: bool = False) -> dict:
    from bench import score_bench

    results = score_bench.run(sizes, repeat, memory=memory)
    exponents = score_bench.growth_exponents(results)
    big = max(results, key=lambda r: r["rows"])
    rows = f"{big['rows']:,} rows"
    out = {"results": results, "growth_exponents": exponents, "markdown": score_bench.markdown(results)}
    slope = exponents.get("duckdb_df")
    grow = f"; growth exponent (sizes >= 1M) {slope:.2f}" if slope is not None else ""
    out["budgets"] = [
        _budget(
            f"scoring {rows} (DuckDB, DataFrame, validated)",
            f"< {SCORE_GOAL_S:g} s",
            big["duckdb_df_s"],
            "s",
            big["duckdb_df_s"] < SCORE_GOAL_S,
            f"median of {repeat}; runs {', '.join(f'{t:.2f}' for t in big['duckdb_df_runs'])} s; from Parquet "
            f"{big['duckdb_parquet_s']:.2f} s{grow}",
        ),
        _budget(
            f"scoring {rows}: speed-up over pandas",
            f">= {SCORE_GOAL_RATIO:g}x",
            big["ratio_df"],
            "x",
            big["ratio_df"] >= SCORE_GOAL_RATIO,
            f"pandas df {big['pandas_df_s']:.2f} s / DuckDB df {big['duckdb_df_s']:.2f} s (medians); "
            f"Parquet path {big['ratio_parquet']:.1f}x",
        ),
    ]
    if not all(b["met"] for b in out["budgets"]):
        out["profile"] = score_bench.profile_steps(big["rows"])
    return out


def run_store(scales: list[int], repeat: int) -> dict:
    from bench import store_bench

    results = store_bench.run(scales, repeat)
    return {"results": results, "markdown": store_bench.markdown(results), "budgets": store_budgets(results, repeat)}


def store_budgets(results: list[dict], repeat: int) -> list[dict]:
    """Worst view query at real size. `Store` memoises its answers, so the repeated calls mostly measure
    the memo: the budget takes, per query, the larger of its p95 and its first (uncached) call."""
    from bench.store_bench import GOAL_MS

    real = [r for r in results if r["scale"] == 1 and r["query"] != "Store() load"]
    worst = max(real, key=lambda r: max(r["p95_ms"], r["first_ms"]))
    slowest_p95 = max(real, key=lambda r: r["p95_ms"])
    measured = max(worst["p95_ms"], worst["first_ms"])
    detail = (
        f"{worst['query']}: first call {worst['first_ms']:.1f} ms, p95 {worst['p95_ms']:.1f} ms over {repeat} "
        f"runs; slowest p95 {slowest_p95['query']} {slowest_p95['p95_ms']:.1f} ms"
    )
    return [
        _budget(
            "store: slowest view query at real size (max of p95 and first call)",
            f"< {GOAL_MS:g} ms",
            measured,
            "ms",
            measured < GOAL_MS,
            detail,
        )
    ]


def run_presskit(repeat: int, charts: int | None = None, formats: tuple[str, ...] | None = None) -> dict:
    from bench import presskit_bench

    result = presskit_bench.run(repeat, charts=charts, formats=formats)
    kit = "2018 kit" if charts is None else f"2018 kit cut to {charts} chart(s), {result['formats']}"
    for budget in result["budgets"]:
        budget["name"] = budget["name"].replace("press kit 2018", "press kit") + f" ({kit})"
        budget["detail"] = (
            f"persistent {result['persistent_s']:.2f} s, one-shot {result['one_shot_s']:.2f} s (medians of {repeat})"
        )
    return result


def run_browser(runs: int, changes: int) -> dict:
    from bench import browser_bench

    result = browser_bench.run(runs, changes)
    ov, fl, asis = result["overview"], result["filter"], result["asistensi"]
    result["budgets"] = [
        _budget(
            "overview / static page (median cold load, all charts drawn)",
            f"<= {ov['goal_ratio']:g}x",
            ov["ratio"],
            "x",
            ov["ratio"] <= ov["goal_ratio"],
            f"dashboard {ov['dashboard_median_ms']:,.0f} ms, static {ov['static_median_ms']:,.0f} ms, {runs} "
            "loads each",
        ),
        _budget(
            f"filter change p95, Sebaran Predikat ({len(fl['latencies_ms'])} changes)",
            f"< {fl['goal_p95_ms']:.0f} ms",
            fl["p95_ms"],
            "ms",
            fl["p95_ms"] < fl["goal_p95_ms"],
            f"p50 {fl['p50_ms']:.0f} ms, max {fl['max_ms']:.0f} ms",
        ),
        _budget(
            f"filter change p95, Asistensi ({len(asis['latencies_ms'])} changes)",
            f"< {asis['goal_p95_ms']:.0f} ms",
            asis["p95_ms"],
            "ms",
            asis["p95_ms"] < asis["goal_p95_ms"],
            f"p50 {asis['p50_ms']:.0f} ms, max {asis['max_ms']:.0f} ms",
        ),
    ]
    result["markdown"] = browser_bench.tables(result) + "\n\n" + browser_bench.breakdown(result)
    return result


def run_load(
    sessions: int, duration_s: float, think_s: list[float], stress_s: float, pages: list[str] | None = None
) -> dict:
    from bench import load_bench

    return load_bench.run(sessions, duration_s, pages, think_s=tuple(think_s), stress_s=stress_s)


RUNNERS: dict[str, Callable[..., dict]] = {
    "score": run_score,
    "store": run_store,
    "presskit": run_presskit,
    "browser": run_browser,
    "load": run_load,
}


class LoadSampler:
    """/proc/loadavg every 5 s while a benchmark runs (the machine is shared)."""

    def __init__(self):
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(5)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)


def run_one(name: str, params: dict) -> dict:
    """Run one benchmark; its result dict (with `budgets`), wall time and the load average around it."""
    start, started = time.monotonic(), datetime.now().isoformat(timespec="seconds")
    with LoadSampler() as load:
        result = RUNNERS[name](**params)
    result.update(
        benchmark=name,
        params=params,
        started=started,
        wall_s=time.monotonic() - start,
        loadavg_1m={"min": min(load.samples), "median": median(load.samples), "max": max(load.samples)},
    )
    return result


def machine() -> dict:
    model = platform.processor() or "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    versions = {}
    for package in ("duckdb", "pandas", "pyarrow", "numpy", "streamlit", "plotly", "kaleido", "playwright"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "not installed"
    chromium = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
    try:
        out = subprocess.run([chromium, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        out = "not installed"
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")
    )
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": model,
        "memory_gb": round(mem_kb / 1024**2, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        **versions,
        "chromium": out,
        "date": datetime.now().isoformat(timespec="seconds"),
        "loadavg_at_start": os.getloadavg(),
    }


def run_all(names: list[str], mode: str) -> dict:
    info = machine()
    benchmarks = {}
    for name in names:
        print(f"== {name} ({mode})", file=sys.stderr, flush=True)
        benchmarks[name] = run_one(name, PARAMS[mode][name])
        for b in benchmarks[name]["budgets"]:
            verdict = "met" if b["met"] else "MISSED"
            print(f"   {b['name']}: {b['measured']:.3g} {b['unit']} (goal {b['goal']}) {verdict}", file=sys.stderr)
    info["loadavg_at_end"] = os.getloadavg()
    budgets = [b for name in names for b in benchmarks[name]["budgets"]]
    return {"mode": mode, "machine": info, "budgets": budgets, "benchmarks": benchmarks}


# ---------------------------------------------------------------------------- RESULTS.md


def _num(value: float, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "errors":
        return f"{value:.0f}"
    return f"{value:,.0f} {unit}" if abs(value) >= 100 else f"{value:.2f} {unit}"


HOW = {
    "store": (
        "`spbe.data.store.Store` view queries (the calls `pages/*.py` make, incl. conversion to pandas), at the real "
        "size of `data/` and at 100x (synthetic copies, untimed to build). One `Store`; every query once untimed "
        '("first call"), then all round-robin; median and p95 per query. Details: bench/README.md.'
    ),
    "score": (
        "`spbe.model.scoring.score_levels` (DuckDB) against a pandas implementation of the same formula, from 620 "
        "instansi to 20 million indicator rows, DataFrame and Parquet inputs, rotating order, results compared "
        "to 1e-9. Medians; growth exponent = slope of log time vs log rows for sizes >= 1M. Peak-RSS "
        "subprocesses are skipped by the harness (`python -m bench.score_bench` still measures them)."
    ),
    "presskit": (
        "The 2018 press kit (every standard chart in PNG, SVG, PDF at the slide preset): "
        "`spbe.present.presskit.build_kit` "
        "with its persistent Kaleido server in a fresh process (imports and Chromium start included), against "
        "one-shot `plotly.io.write_image` per file (a new Chromium per file), alternating, in subprocesses."
    ),
    "browser": (
        "Headless Debian Chromium (Playwright) against one `streamlit run dashboard.py` on 127.0.0.1. Overview: "
        "cold loads (fresh context each) of `/?tahun=2018` against a static HTML page with the same three plotly "
        'figures, until every chart is drawn. Filter change, Sebaran: type a search into "Cari nama instansi", '
        "Enter → histogram holds the expected number of instansi. Filter change, Asistensi 2018: type a host city "
        'into the "Kota" selectbox of "Jalur ke predikat Baik", Enter → the metric "Di bawah predikat Baik" '
        "shows that city's value (known beforehand from an AppTest run; the six cities give six different "
        "values, so the state is unambiguous; a metric is plain DOM text, unlike the canvas-drawn tables). "
        "Latency = `performance.now()` at the Enter keydown → at the first check (MutationObserver + every "
        "animation frame) that sees the new state. p50/p95 nearest-rank. Details: bench/BROWSER_RESULTS.md."
    ),
    "load": (
        "One server, one headless Chromium, one browser context (= one Streamlit session) per user, driven by "
        "asyncio. Even sessions change the Sebaran search, odd ones the Asistensi city, as in the browser "
        "benchmark, for the whole duration, which starts once every session has its page open. Budget phase: "
        "once a rerun is over (no websocket message for 300 ms) the user looks at the page for a think time drawn "
        "uniformly from `think_s` (seeded per session), then changes again. Stress phase, reported without a "
        "budget: the same with no think time (back to back) for `stress_s`. Errors: a `stException` element on "
        "the page, a change not shown within 15 s, a websocket `error`/`close` event in the page or a Playwright "
        "`socketerror`. Then every session visits every page of the navigation through the sidebar (same "
        "session) and the server's memory is read: VmRSS from /proc/<pid>/status of the streamlit process "
        "plus all descendants (none: Kaleido's Chromium starts only on an export); also sampled every 0.5 s "
        "throughout."
    ),
}
TITLES = {
    "store": "Store queries",
    "score": "Scoring",
    "presskit": "Press kit",
    "browser": "Browser",
    "load": "Load and server memory",
}


def _presskit_md(r: dict) -> str:
    return "\n".join(
        [
            f"Kit: charts {r['charts']}, formats {r['formats']}.",
            "",
            "| variant | median | runs |",
            "|---|---:|---|",
            f"| persistent Kaleido server (`build_kit`) | {r['persistent_s']:.2f} s | "
            f"{', '.join(f'{t:.2f}' for t in r['persistent_runs'])} s |",
            f"| one-shot `write_image` per file | {r['one_shot_s']:.2f} s | "
            f"{', '.join(f'{t:.2f}' for t in r['one_shot_runs'])} s |",
            f"| **ratio one-shot / persistent** | **{r['ratio']:.1f}x** | |",
            *(
                [
                    "",
                    "Steps of each persistent run, s:",
                    "",
                    "| step | " + " | ".join(f"run {i + 1}" for i in range(len(r["persistent_steps"]))) + " |",
                    "|---|" + "---:|" * len(r["persistent_steps"]),
                ]
                + [
                    f"| {k} | " + " | ".join(f"{s_[k]:.2f}" for s_ in r["persistent_steps"]) + " |"
                    for k in r["persistent_steps"][0]
                ]
                if r.get("persistent_steps")
                else []
            ),
        ]
    )


def _load_md(r: dict) -> str:
    low, high = r["think_s"]
    stress = r.get("stress")
    phases = [(f"with think time {low:g}-{high:g} s (budget)", r, r["cpu"])]
    if stress:
        phases.append((f"back to back, {r['stress_duration_s']:g} s (stress, no budget)", stress, r["stress_cpu"]))
    lines = [
        f"{r['sessions']} sessions, {r['duration_s']:g} s of changes with think time ({r['load_s']:.0f} s incl. the "
        f"last change), {r['changes']} changes; opening took {r['open_s']:.1f} s; visiting every page "
        f"{r['visit_s']:.1f} s.",
        "",
        "| phase | page | changes | p50 ms | p95 ms | max ms |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for label, summary, _ in phases:
        for kind, s in summary["by_page"].items():
            lines.append(
                f"| {label} | {kind} | {s['changes']} | {s['p50_ms']:,.0f} | {s['p95_ms']:,.0f} | {s['max_ms']:,.0f} |"
            )
        lines.append(
            f"| {label} | **all** | {summary['changes']} | {summary['p50_ms']:,.0f} | "
            f"{summary['p95_ms']:,.0f} | {summary['max_ms']:,.0f} |"
        )
    lines += ["", f"Errors: {r['errors']} ({', '.join(f'{k}: {v}' for k, v in r['error_counts'].items()) or 'none'})."]
    labels = {
        "enter_to_send": "Enter → rerun request sent",
        "send_to_figure_msg": "request → message carrying the watched element",
        "figure_msg_to_drawn": "that message → new state shown (client)",
        "send_to_last_msg": "request → last message of the rerun",
    }
    lines += [
        "",
        "| step of a change (median over all changes), ms | " + " | ".join(p[0] for p in phases) + " |",
        "|---|" + "---:|" * len(phases),
    ]
    lines += [
        f"| {labels[k]} | " + " | ".join(f"{p[1]['phases_median_ms'].get(k, float('nan')):,.0f}" for p in phases) + " |"
        for k in labels
    ]
    for label, _, c in phases:
        lines += [
            "",
            f"CPU {label} ({c['wall_s']:.0f} s x {c['capacity_s'] / c['wall_s']:.0f} CPUs = "
            f"{c['capacity_s']:.0f} CPU-s available), from /proc: streamlit server {c['server_s']:.0f} CPU-s, "
            f"Chromium + Playwright driver {c['browser_s']:.0f}, bench process {c['bench_s']:.0f}, other work on "
            f"the machine {c['other_s']:.0f} (machine busy {c['machine_busy_s']:.0f}).",
        ]
    rss = r["rss"]
    lines += [
        "",
        "| server memory (streamlit process + descendants), MB | VmRSS | of which descendants |",
        "|---|---:|---:|",
    ]
    for label, key in (
        ("just started", "start"),
        ("after warm-up (1 session per scenario page)", "idle_after_warmup"),
        (f"{r['sessions']} sessions open", "sessions_open"),
        ("after the load phase", "after_load"),
        ("**after every page visited by every session**", "after_pages"),
        ("after closing every context (+2 s)", "contexts_closed"),
        ("peak of the 0.5 s samples", "peak_sampled"),
    ):
        lines.append(f"| {label} | {rss[key]['total_mb']:,.0f} | {rss[key]['children_mb']:,.0f} |")
    visits = r["page_visit_ms_median"]
    lines += [
        "",
        "Page visits through the sidebar, median ms until ready (concurrent sessions): "
        + ", ".join(f"`{p}` {ms:,.0f}" for p, ms in visits.items()),
    ]
    return "\n".join(lines)


def _score_md(r: dict) -> str:
    md = r["markdown"]
    if "profile" in r:
        md += "\n\nSteps of `score_levels(DataFrame)` at the largest size (one run, `score_bench.profile_steps`):\n\n"
        md += "| step | s |\n|---|---:|\n" + "\n".join(f"| {k} | {v:.3f} |" for k, v in r["profile"].items())
    return md


MARKDOWN: dict[str, Callable[[dict], str]] = {
    "store": lambda r: r["markdown"],
    "score": _score_md,
    "presskit": _presskit_md,
    "browser": lambda r: r["markdown"],
    "load": _load_md,
}

# What could be tried when a budget is missed (keyed by the start of the budget's name).
SUGGESTIONS = {
    "overview": "no data grid or Arrow chunk is loaded any more (104 requests: Streamlit's own chunks, fonts, "
    "the plotly chunk). Where the time goes (marks table, cold load): Streamlit's bundle and first render until "
    "~0.9 s, the 4.7 MB plotly chunk requested only when the first chart element renders (lazy import) and "
    "fetched in ~0.35 s, then ~0.8 s to compile it and draw the first chart; the static page parses the same "
    "plotly.js inline. The script itself sends the first chart ~0.12 s after the websocket opens. What remains "
    "is Streamlit's lazy loading of plotly.js: preloading that chunk (an `st.App` middleware adding a "
    "`Link: rel=modulepreload` header, tried) moved the fetch to the start but gained only ~3%, see Notes.",
    "filter change p95, Sebaran": "see the phase table: request → histogram message, then the client's redraw; "
    "`python -m bench --only browser` after a change.",
    "filter change p95, Asistensi": "see the phase table; the paths section is already an `st.fragment`.",
    "load": "see the CPU lines: on two cores the ten Chromium renderers use most of the CPU (each change costs "
    "~0.4-0.5 CPU-s in the browser, ~0.03-0.05 in the server); a check of the server alone needs the browsers "
    "on another machine.",
    "server memory": "see the RSS table: baseline is the interpreter + DuckDB store; per-session growth comes "
    "from session state and cached elements.",
    "scoring": "group on a dictionary-encoded instansi key in `spbe.model.scoring._aggregate` (the one `GROUP BY` is "
    "~85% of the time, see the steps), see bench/README.md.",
    "store": "see bench/README.md (select only displayed columns, precompute per-instansi aspects).",
    "press kit": "render all charts in one `render_many` call in `spbe.present.presskit.build_kit` (one Kaleido "
    "round trip per kit instead of per chart); the steps table shows build_kit is ~90% of the time.",
}


def markdown(report: dict) -> str:
    m = report["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Generated by `python -m bench{' --quick' if report['mode'] == 'quick' else ''}` (bench/harness.py) on "
        f"{m['date']}; rerun it to refresh every number here. Mode: **{report['mode']}**.",
        "",
        "## Machine",
        "",
        f"- {m['nproc']} CPUs (`nproc`), {m['cpu']}, {m['memory_gb']} GB RAM, kernel {m['kernel']}",
        f"- Python {m['python']}; duckdb {m['duckdb']}, pandas {m['pandas']}, pyarrow {m['pyarrow']}, numpy "
        f"{m['numpy']}, streamlit {m['streamlit']}, plotly {m['plotly']}, kaleido {m['kaleido']}, playwright "
        f"{m['playwright']}; {m['chromium']}",
        f"- Load average (1/5/15 min) at start {'/'.join(f'{x:.2f}' for x in m['loadavg_at_start'])}, at end "
        f"{'/'.join(f'{x:.2f}' for x in m['loadavg_at_end'])}. The machine is shared: other engineers' tests may run "
        "on the same two cores; the 1-min load average sampled during each benchmark is in its section.",
        "",
        *(
            [
                f"- Merged: benchmarks re-run on {m['date']} into the run of {m['merged_from']} (see each section's "
                "start time).",
                "",
            ]
            if "merged_from" in m
            else []
        ),
        "## Budgets",
        "",
        "| budget | goal | measured | met | detail |",
        "|---|---|---:|---|---|",
    ]
    for b in report["budgets"]:
        met = "yes" if b["met"] else "**no**"
        lines.append(f"| {b['name']} | {b['goal']} | {_num(b['measured'], b['unit'])} | {met} | {b['detail']} |")
    for name, r in report["benchmarks"].items():
        la = r["loadavg_1m"]
        lines += [
            "",
            f"## {TITLES[name]}",
            "",
            f"**How.** {HOW[name]}",
            "",
            f"Parameters `{json.dumps(r['params'], default=str)}`; started {r.get('started', '?')}; wall time "
            f"{r['wall_s']:.0f} s; load average (1 min) during the run {la['min']:.1f}-{la['max']:.1f} "
            f"(median {la['median']:.1f}).",
            "",
            MARKDOWN[name](r),
        ]
    missed = [b for b in report["budgets"] if not b["met"]]
    if missed:
        lines += ["", "## Missed budgets: what could be tried", ""]
        for b in missed:
            hint = next((v for k, v in SUGGESTIONS.items() if b["name"].startswith(k)), "")
            lines.append(f"- **{b['name']}** ({_num(b['measured'], b['unit'])}, goal {b['goal']}): {hint}")
    notes = report.get("notes")
    if notes:
        lines += ["", "## Notes", "", notes]
    return "\n".join(lines) + "\n"


def write(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    (out / "RESULTS.md").write_text(markdown(report), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shrink every benchmark (a smoke run)")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(NAMES)}")
    parser.add_argument("--out", type=Path, default=OUT, help="where RESULTS.md and results.json go (default bench/)")
    parser.add_argument("--render-only", action="store_true", help="rewrite RESULTS.md from DIR/results.json")
    merge_help = "keep the other benchmarks of DIR/results.json (with --only: refresh just those)"
    parser.add_argument("--merge", action="store_true", help=merge_help)
    args = parser.parse_args(argv)
    if args.render_only:
        report = json.loads((args.out / "results.json").read_text(encoding="utf-8"))
        notes = args.out / "RESULTS_NOTES.md"
        if notes.exists():
            report["notes"] = notes.read_text(encoding="utf-8").strip()
        (args.out / "RESULTS.md").write_text(markdown(report), encoding="utf-8")
        return
    names = NAMES if not args.only else [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = set(names) - set(NAMES)
    if unknown:
        parser.error(f"unknown benchmark(s) {sorted(unknown)}; choose from {NAMES}")
    report = run_all(names, "quick" if args.quick else "full")
    if args.merge and (args.out / "results.json").exists():
        old = json.loads((args.out / "results.json").read_text(encoding="utf-8"))
        if old["mode"] != report["mode"]:
            parser.error(f"--merge: {args.out / 'results.json'} holds a {old['mode']} run")
        benchmarks = {**old["benchmarks"], **report["benchmarks"]}
        report["benchmarks"] = {name: benchmarks[name] for name in NAMES if name in benchmarks}
        report["budgets"] = [b for r in report["benchmarks"].values() for b in r["budgets"]]
        report["machine"]["merged_from"] = old["machine"].get("merged_from", old["machine"]["date"])
    write(report, args.out)
    print(f"wrote {args.out / 'RESULTS.md'} and {args.out / 'results.json'}", file=sys.stderr)
    for b in report["budgets"]:
        print(f"{'met   ' if b['met'] else 'MISSED'} {b['name']}: {_num(b['measured'], b['unit'])} (goal {b['goal']})")


if __name__ == "__main__":
    main()
