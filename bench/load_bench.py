"""Load benchmark: concurrent browser sessions changing filters against ONE streamlit server, then its memory.

    PYTHONPATH=. .venv/bin/python -m bench.load_bench [--sessions 10] [--duration-s 60] [--think-s 2 5]
                                                      [--stress-s 60] [--json PATH]

One `streamlit run dashboard.py` (tests/server.py), one headless Chromium, one context (= one Streamlit session)
per user, all from one asyncio loop: even sessions run the Sebaran scenario of bench.browser_bench, odd ones the
Asistensi one (the same `Session` and in-page recorder), with a think time drawn from `think_s` before every
change (the budget), then back to back for `stress_s` (reported, no budget). Then every session visits every
page through the sidebar and the server's RSS (process + descendants) is read from /proc. The user model and
why: bench/README.md, "Load benchmark". `run(sessions, duration_s, ...)` returns a dict with a `budgets` list.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections import Counter
from pathlib import Path
from statistics import median

from bench import browser_bench as bb
from bench.harness import Sampler, budget, cli, status_kb
from tests.server import streamlit_server

GOAL_P95_MS = 1000.0
GOAL_RSS_MB = 400.0
# url_path (dashboard.py) of every page, in sidebar order
PAGES = ["", "sebaran", "peta", "domain", "profil", "asistensi", "ekspor", "impor"]
SAMPLE_EVERY_S = 0.5


# ---------------------------------------------------------------------------- memory and CPU from /proc


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children, grandchildren...), from the ppid field of /proc/*/stat."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if stat:
            ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the name in parentheses may hold spaces
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def tree_rss(pid: int) -> dict:
    """VmRSS of `pid` and of all its descendants, MB (shared pages count once per process)."""
    children = descendants(pid)
    server, kids = status_kb(pid, "VmRSS") / 1024, sum(status_kb(c, "VmRSS") for c in children) / 1024
    hwm = status_kb(pid, "VmHWM") / 1024
    return {
        "server_mb": server,
        "children_mb": kids,
        "total_mb": server + kids,
        "children": len(children),
        "server_hwm_mb": hwm,
    }


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15 of proc(5))
    except (OSError, ValueError, IndexError):
        return 0


def cpu_snapshot(server_pid: int) -> dict:
    """CPU seconds used so far by the server tree, by this process's other descendants (Playwright's
    driver and Chromium), and by the whole machine (busy time of /proc/stat, all CPUs)."""
    hz = os.sysconf("SC_CLK_TCK")
    server = {server_pid, *descendants(server_pid)}
    browser = set(descendants(os.getpid())) - server
    total = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return {
        "server_s": sum(_cpu_ticks(p) for p in server) / hz,
        "browser_s": sum(_cpu_ticks(p) for p in browser) / hz,
        "bench_s": _cpu_ticks(os.getpid()) / hz,
        "machine_busy_s": (sum(total) - total[3] - total[4]) / hz,  # minus idle and iowait
        "wall_s": time.monotonic(),
    }


def cpu_split(before: dict, after: dict) -> dict:
    """Where the CPU went between two snapshots; `other` = the machine's busy time not ours (other work)."""
    d = {k: after[k] - before[k] for k in before}
    ours = d["server_s"] + d["browser_s"] + d["bench_s"]
    capacity = d["wall_s"] * len(os.sched_getaffinity(0))
    return {**d, "capacity_s": capacity, "other_s": max(0.0, d["machine_busy_s"] - ours)}


# ---------------------------------------------------------------------------- the run


async def _drive(url: str, pid: int, sessions: int, phases: list, pages: list[str], steps: dict) -> dict:
    async with bb.chromium() as browser:
        # Warm-up, untimed and not counted: one visit of each scenario page loads the store and imports.
        for number, kind in ((-1, "sebaran"), (-2, "asistensi")):
            warm = bb.Session(number, kind, steps[kind], url)
            await warm.open(browser)
            await warm.context.close()
        rss = {"idle_after_warmup": tree_rss(pid)}
        kinds = ["sebaran" if i % 2 == 0 else "asistensi" for i in range(sessions)]
        users = [bb.Session(i, kind, steps[kind], url) for i, kind in enumerate(kinds)]
        start = time.monotonic()
        opened = await asyncio.gather(*(s.open(browser) for s in users))
        open_s, rss["sessions_open"] = time.monotonic() - start, tree_rss(pid)
        active = [s for s, ok in zip(users, opened, strict=True) if ok]
        cpu = {}
        for phase, seconds, think_s in phases:
            start, before = time.monotonic(), cpu_snapshot(pid)
            await asyncio.gather(*(s.change(phase, think_s, until=start + seconds) for s in active))
            cpu[phase] = cpu_split(before, cpu_snapshot(pid))
        rss["after_load"] = tree_rss(pid)
        for s in active:
            await s.collect_ws_errors()
        start = time.monotonic()
        visits = await asyncio.gather(*(s.visit_pages(pages) for s in active))
        visit_s = time.monotonic() - start
        await asyncio.sleep(1.0)  # let the last reruns finish
        rss["after_pages"] = tree_rss(pid)
        for s in users:
            if s.context is not None:
                await s.context.close()
        await asyncio.sleep(2.0)
        rss["contexts_closed"] = tree_rss(pid)
        version = browser.version
    visits = [v for session in visits for v in session]
    return dict(
        users=users,
        open_s=open_s,
        load_s=cpu["think"]["wall_s"],
        visit_s=visit_s,
        visits=visits,
        cpu=cpu["think"],
        stress_cpu=cpu.get("stress"),
        rss=rss,
        chromium=version,
    )


def _summary(users: list[bb.Session], phase: str) -> dict:
    """Latency percentiles of one phase, overall and per page, and the median of each step of a change."""
    by_page = {}
    for kind in bb.SCENARIOS:
        if marks := [m for s in users if s.kind == kind for m in s.changes.get(phase, [])]:
            summary = bb.summarise(marks)
            by_page[kind] = {k: summary[k] for k in ("changes", "p50_ms", "p95_ms", "max_ms")}
    return {**bb.summarise([m for s in users for m in s.changes.get(phase, [])]), "by_page": by_page}


def run(
    sessions: int = 10,
    duration_s: float = 60.0,
    think_s: list[float] | tuple[float, float] = (2.0, 5.0),
    stress_s: float = 60.0,
    pages: list[str] = PAGES,
) -> dict:
    """Start one server, drive `sessions` browser sessions for `duration_s` seconds with `think_s` between
    changes, then `stress_s` seconds back to back (0: skip), visit `pages`, read RSS; the budgets."""
    think = tuple(map(float, think_s))
    phases = [("think", duration_s, think)] + ([("stress", stress_s, (0.0, 0.0))] if stress_s > 0 else [])
    steps = {kind: _cyclic(sequence) for kind, sequence in bb.sequences(200).items()}
    with tempfile.TemporaryDirectory(prefix="load_bench_") as tmp:
        with streamlit_server(Path(tmp) / "streamlit.log") as server:
            pid = server.process.pid
            with Sampler(lambda: tree_rss(pid), SAMPLE_EVERY_S) as sampler:
                rss_start = tree_rss(pid)
                driven = asyncio.run(_drive(server.url, pid, sessions, phases, pages, steps))
        log_tail = (Path(tmp) / "streamlit.log").read_text(errors="replace")[-2000:]
    users, visits = driven.pop("users"), driven.pop("visits")
    errors = [e for s in users for e in s.errors]
    rss = {"start": rss_start, **driven.pop("rss")}
    rss["peak_sampled"] = max(sampler.samples, key=lambda r: r["total_mb"])
    rss["samples_mb"] = [round(r["total_mb"], 1) for r in sampler.samples]
    result = {
        "sessions": sessions,
        "duration_s": duration_s,
        "think_s": list(think),
        "stress_duration_s": stress_s,
        "pages": ["/" + p for p in pages],
        **_summary(users, "think"),
        "stress": _summary(users, "stress") if stress_s > 0 else None,
        "samples": [
            {"session": s.number, "kind": s.kind, "phase": phase, "t_s": m["t_s"], "step": m["step"], "ms": m["ms"]}
            for s in users
            for phase, changes in s.changes.items()
            for m in changes
        ],
        "errors": len(errors),
        "error_counts": dict(Counter(e["what"] for e in errors)),
        "error_samples": errors[:20],
        "page_visit_ms_median": {
            p: median(v["ms"] for v in visits if v["page"] == p) for p in dict.fromkeys(v["page"] for v in visits)
        },
        "rss": rss,
        "rss_mb": rss["after_pages"]["total_mb"],
        "server_log_tail": log_tail,
        **driven,
    }
    result["budgets"] = budgets(result)
    return result


def _cyclic(sequence: list[tuple]) -> list[tuple]:
    """Cut the sequence so that going round it never repeats a state twice in a row."""
    for end in range(len(sequence), 1, -1):
        if sequence[end - 1][1] != sequence[0][1]:
            return sequence[:end]
    raise RuntimeError("no cyclic sequence")


def budgets(r: dict) -> list[dict]:
    n, secs, (low, high), stress, rss = r["sessions"], r["duration_s"], r["think_s"], r["stress"], r["rss"]
    detail = f"p50 {r['p50_ms']:.0f} ms, max {r['max_ms']:.0f} ms over {r['changes']} changes"
    if stress:
        detail += (
            f"; back to back for {r['stress_duration_s']:g} s (no budget): p50 {stress['p50_ms']:.0f} ms, "
            f"p95 {stress['p95_ms']:.0f} ms over {stress['changes']} changes"
        )
    errors = ", ".join(f"{k}: {v}" for k, v in r["error_counts"].items()) or "none"
    memory = (
        f"VmRSS of the streamlit process + {rss['after_pages']['children']} descendants; "
        f"sampled peak {rss['peak_sampled']['total_mb']:.0f} MB"
    )
    think = f"load: filter change p95, {n} sessions for {secs:g} s ({low:g}-{high:g} s think time)"
    return [
        budget(think, r["p95_ms"], "<", GOAL_P95_MS, "ms", detail),
        budget(f"load: errors, {n} sessions for {secs:g} s", r["errors"], "=", 0, "errors", errors),
        budget(f"server memory after {n} sessions visited every page", r["rss_mb"], "<", GOAL_RSS_MB, "MB", memory),
    ]


if __name__ == "__main__":
    cli("load")
