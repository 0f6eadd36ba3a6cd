"""Load benchmark: concurrent browser sessions changing filters against ONE streamlit server, then its memory.

    PYTHONPATH=. .venv/bin/python -m bench.load_bench [--sessions 10] [--duration 60] [--think 2,5]
                                                      [--stress 60] [--json PATH]

One `streamlit run dashboard.py` on a free 127.0.0.1 port (bench.browser_bench.streamlit_process),
one headless Debian Chromium, one browser context (= one Streamlit session) per simulated user,
all driven from one asyncio loop (Playwright's async API). Even-numbered sessions work on
Sebaran Predikat (type a search into "Cari nama instansi", Enter, wait until the histogram holds
the expected number of instansi), odd-numbered ones on Asistensi 2018 (pick a city in the "Kota"
selectbox, Enter, wait until the metric "Di bawah predikat Baik" shows that city's value): the
same scenarios and the same in-page recorder as bench.browser_bench. Once every session has its
page open, all of them change filters for `duration` seconds like people in a meeting: once a
rerun is over (no websocket message for 300 ms) the user reads the redrawn page for a think time
drawn uniformly from THINK_S (seeded per session), then makes the next change. This phase holds
the budget. A stress phase follows for `stress` seconds with no think time (back to back): it is
reported, not budgeted; on two cores it measures mostly the ten browsers (see bench/README.md).
Every wait is bounded (CHANGE_TIMEOUT_MS); a change that misses it counts as an error and the
session goes on.

Then every session visits every page through the sidebar (same session, no reload), and the
server's memory is read from /proc: VmRSS of the streamlit process plus every descendant process
(none is expected here: Kaleido's Chromium is only started by an export, which this does not do).
Run on demand; `run(sessions, duration_s)` returns a dict with a `budgets` list.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from statistics import median

from bench import browser_bench as bb

SESSIONS = 10
DURATION_S = 60.0
THINK_S = (2.0, 5.0)  # seconds a user looks at the redrawn page before the next change
STRESS_S = 60.0  # back-to-back phase after the budget phase (0: skip)
CHANGE_TIMEOUT_MS = 15_000  # per change; longer counts as an error ("timeout")
OPEN_TIMEOUT_MS = 120_000  # opening a page while nine others open on two cores
QUIET_MS = 300
PAGE_QUIET_MS = 500
GOAL_P95_MS = 1000.0
GOAL_RSS_MB = 400.0
# url_path (dashboard.py) of every page, in sidebar order
PAGES = ["", "sebaran", "peta", "domain", "profil", "asistensi", "ekspor", "impor"]
SAMPLE_EVERY_S = 0.5
PHASES = [  # name, from mark, to mark (marks of the in-page recorder, see bench.browser_bench)
    ("enter_to_send", "key", "send"),
    ("send_to_figure_msg", "send", "fig_recv"),
    ("figure_msg_to_drawn", "fig_recv", "hist"),
    ("send_to_last_msg", "send", "last_recv"),
]


# ---------------------------------------------------------------------------- memory from /proc


def _status_kb(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0  # exited, or a kernel thread without memory


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children, grandchildren...), from the ppid field of /proc/*/stat."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the name in parentheses may hold spaces
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def tree_rss(pid: int) -> dict:
    """VmRSS of `pid` and of all its descendants, MB (shared pages count once per process)."""
    children = descendants(pid)
    server = _status_kb(pid) / 1024
    kids = sum(_status_kb(c) for c in children) / 1024
    return {
        "server_mb": server,
        "children_mb": kids,
        "total_mb": server + kids,
        "children": len(children),
        "server_hwm_mb": _status_kb(pid, "VmHWM") / 1024,
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
    busy = sum(total) - total[3] - total[4]  # minus idle and iowait
    return {
        "server_s": sum(_cpu_ticks(p) for p in server) / hz,
        "browser_s": sum(_cpu_ticks(p) for p in browser) / hz,
        "bench_s": _cpu_ticks(os.getpid()) / hz,
        "machine_busy_s": busy / hz,
        "wall": time.monotonic(),
    }


def cpu_split(before: dict, after: dict) -> dict:
    """Where the CPU went between two snapshots; `other` = the machine's busy time not ours (other work)."""
    d = {k: after[k] - before[k] for k in before}
    ours = d["server_s"] + d["browser_s"] + d["bench_s"]
    return {
        "wall_s": d["wall"],
        "capacity_s": d["wall"] * len(os.sched_getaffinity(0)),
        "server_s": d["server_s"],
        "browser_s": d["browser_s"],
        "bench_s": d["bench_s"],
        "other_s": max(0.0, d["machine_busy_s"] - ours),
        "machine_busy_s": d["machine_busy_s"],
    }


class RssSampler:
    """A thread reading tree_rss(pid) every SAMPLE_EVERY_S seconds; keeps the samples."""

    def __init__(self, pid: int):
        self.pid, self.samples = pid, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        start = time.monotonic()
        while not self._stop.is_set():
            self.samples.append({"t_s": time.monotonic() - start, **tree_rss(self.pid)})
            self._stop.wait(SAMPLE_EVERY_S)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)


# ---------------------------------------------------------------------------- one session


class Session:
    """One browser context on one page of the dashboard, changing one filter in a loop."""

    def __init__(self, number: int, kind: str, steps: list, url: str):
        self.number, self.kind, self.steps, self.url = number, kind, steps, url
        self.changes: dict[str, list[dict]] = {}  # per phase of the run ("think", "stress"): marks and latency
        self.rng = random.Random(number)
        self.started = time.monotonic()  # for the time of each change in the samples
        self.next_step = 0  # position in `steps`, kept across phases: the page is where the last one left it
        self.errors: list[dict] = []
        self.ws_errors: list[dict] = []
        self.context = self.page = None

    def error(self, what: str, detail: str = "") -> None:
        self.errors.append({"session": self.number, "kind": self.kind, "what": what, "detail": detail[:300]})

    async def open(self, browser) -> bool:
        self.context = await browser.new_context(viewport=bb.VIEWPORT, locale="id-ID")
        await self.context.add_init_script(bb.INIT_SCRIPT % {"expected": 1})
        self.page = await self.context.new_page()
        self.page.on("websocket", self._watch_socket)
        try:
            if self.kind == "sebaran":
                await self.page.goto(self.url + bb.SEBARAN_PATH, timeout=OPEN_TIMEOUT_MS)
                await self.page.wait_for_function(
                    "() => window.__bench.drawnAt !== null", timeout=OPEN_TIMEOUT_MS, polling=100
                )
            else:
                await self.page.goto(self.url + bb.ASISTENSI_PATH, timeout=OPEN_TIMEOUT_MS)
                await self.page.wait_for_function(
                    "l => window.__bench.metricValue(l) !== null",
                    arg=bb.ASISTENSI_METRIC,
                    timeout=OPEN_TIMEOUT_MS,
                    polling=100,
                )
            await self._quiet(QUIET_MS, OPEN_TIMEOUT_MS)
            return True
        except Exception as exc:  # noqa: BLE001 - any failure to open is an error of the run, counted
            self.error("open", repr(exc))
            return False

    def _watch_socket(self, ws) -> None:
        ws.on("socketerror", lambda message: self.error("websocket", str(message)))

    async def _quiet(self, quiet_ms: int, timeout_ms: int) -> None:
        await self.page.wait_for_function(
            f"() => performance.now() - window.__bench.lastRecvAt() > {quiet_ms}", timeout=timeout_ms, polling=50
        )

    async def change_until(self, deadline: float, phase: str, think_s: tuple[float, float]) -> None:
        """Change the filter until `deadline` (time.monotonic), thinking `think_s` seconds between changes."""
        box = self.page.get_by_label("Cari nama instansi") if self.kind == "sebaran" else bb.asistensi_select(self.page)
        changes = self.changes.setdefault(phase, [])
        while time.monotonic() < deadline:
            # The user looks at the page first, also before the first change: ten users do not all
            # click at the same instant (a synchronised start measured one 10-change burst, 3 s).
            if think_s[1] > 0:
                await asyncio.sleep(min(self.rng.uniform(*think_s), max(0.0, deadline - time.monotonic())))
                if time.monotonic() >= deadline:
                    break
            text, expected = self.steps[self.next_step % len(self.steps)]
            self.next_step += 1
            try:
                if self.kind == "asistensi":
                    await box.click(timeout=CHANGE_TIMEOUT_MS)
                await box.fill(text, timeout=CHANGE_TIMEOUT_MS)
                spec = expected if self.kind == "sebaran" else {"label": bb.ASISTENSI_METRIC, "value": expected}
                await self.page.evaluate("e => window.__bench.arm(e)", spec)
                await box.press("Enter", timeout=CHANGE_TIMEOUT_MS)
                await self.page.wait_for_function(
                    "() => window.__bench.key.histAt !== null", timeout=CHANGE_TIMEOUT_MS, polling="raf"
                )
                await self._quiet(QUIET_MS, CHANGE_TIMEOUT_MS)
            except Exception as exc:  # noqa: BLE001 - Playwright's TimeoutError and friends: counted, go on
                self.error("timeout" if "Timeout" in type(exc).__name__ else "change", repr(exc))
                continue
            title = bb.HISTOGRAM_TITLE if self.kind == "sebaran" else bb.ASISTENSI_METRIC
            marks = await self.page.evaluate("t => window.__bench.collect(t)", title)
            changes.append(
                {
                    **marks,
                    "ms": marks["hist"] - marks["key"],
                    "step": text,
                    "t_s": round(time.monotonic() - self.started, 2),
                }
            )
            if await self.page.evaluate("() => window.__bench.exceptions()"):
                self.error(
                    "exception",
                    await self.page.evaluate("() => document.querySelector('[data-testid=stException]').innerText"),
                )
                break  # the page shows a traceback: stop this session rather than count it again and again

    def latencies(self, phase: str) -> list[float]:
        return [change["ms"] for change in self.changes.get(phase, [])]

    async def visit_pages(self, pages: list[str]) -> list[dict]:
        """Every page through the sidebar link (same Streamlit session); the time until each is ready."""
        visits = []
        for path in pages:
            start = time.monotonic()
            try:
                await self.page.locator(f'[data-testid=stSidebarNav] a[href="{self.url}/{path}"]').click(
                    timeout=CHANGE_TIMEOUT_MS
                )
                await self.page.wait_for_url(f"{self.url}/{path}*", timeout=CHANGE_TIMEOUT_MS)
                await self.page.wait_for_function(
                    "() => document.querySelector('h1') && !document.querySelector('[data-testid=stStatusWidget]')"
                    f" && performance.now() - window.__bench.lastRecvAt() > {PAGE_QUIET_MS}",
                    timeout=OPEN_TIMEOUT_MS,
                    polling=100,
                )
                if await self.page.evaluate("() => window.__bench.exceptions()"):
                    self.error("exception", f"on /{path}")
                visits.append({"page": "/" + path, "ms": (time.monotonic() - start) * 1000})
            except Exception as exc:  # noqa: BLE001 - counted as an error of the run
                self.error("timeout" if "Timeout" in type(exc).__name__ else "visit", f"/{path}: {exc!r}")
        return visits

    async def collect_ws_errors(self) -> None:
        try:
            self.ws_errors = await self.page.evaluate("() => window.__bench.wsErrors")
        except Exception as exc:  # noqa: BLE001
            self.error("websocket", f"could not read the recorder: {exc!r}")
        for event in self.ws_errors:
            self.error("websocket", event["what"])


# ---------------------------------------------------------------------------- the run


async def _drive(
    url: str,
    pid: int,
    sessions: int,
    duration_s: float,
    think_s: tuple[float, float],
    stress_s: float,
    pages: list[str],
    seqs: dict,
) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=bb.CHROMIUM, args=bb.CHROMIUM_ARGS)
        try:
            # Warm-up, untimed and not counted: one visit of each scenario page loads the store and imports.
            warm = [Session(-1, "sebaran", seqs["sebaran"], url), Session(-2, "asistensi", seqs["asistensi"], url)]
            for s in warm:
                await s.open(browser)
                await s.context.close()
            rss_idle = tree_rss(pid)
            users = [
                Session(
                    i, "sebaran" if i % 2 == 0 else "asistensi", seqs["sebaran" if i % 2 == 0 else "asistensi"], url
                )
                for i in range(sessions)
            ]
            start = time.monotonic()
            opened = await asyncio.gather(*(s.open(browser) for s in users))
            open_s = time.monotonic() - start
            rss_open = tree_rss(pid)
            active = [s for s, ok in zip(users, opened, strict=True) if ok]
            deadline = time.monotonic() + duration_s
            start, cpu_before = time.monotonic(), cpu_snapshot(pid)
            await asyncio.gather(*(s.change_until(deadline, "think", think_s) for s in active))
            load_s, cpu_load = time.monotonic() - start, cpu_split(cpu_before, cpu_snapshot(pid))
            stress_cpu = None
            if stress_s > 0:
                deadline, cpu_before = time.monotonic() + stress_s, cpu_snapshot(pid)
                await asyncio.gather(*(s.change_until(deadline, "stress", (0.0, 0.0)) for s in active))
                stress_cpu = cpu_split(cpu_before, cpu_snapshot(pid))
            rss_after_load = tree_rss(pid)
            for s, ok in zip(users, opened, strict=True):
                if ok:
                    await s.collect_ws_errors()
            start = time.monotonic()
            visits = await asyncio.gather(*(s.visit_pages(pages) for s, ok in zip(users, opened, strict=True) if ok))
            visit_s = time.monotonic() - start
            await asyncio.sleep(1.0)  # let the last reruns finish
            rss_pages = tree_rss(pid)
            for s in users:
                if s.context is not None:
                    await s.context.close()
            await asyncio.sleep(2.0)
            rss_closed = tree_rss(pid)
            version = browser.version
        finally:
            await browser.close()
    return {
        "users": users,
        "open_s": open_s,
        "load_s": load_s,
        "visit_s": visit_s,
        "visits": visits,
        "cpu": cpu_load,
        "stress_cpu": stress_cpu,
        "rss": {
            "idle_after_warmup": rss_idle,
            "sessions_open": rss_open,
            "after_load": rss_after_load,
            "after_pages": rss_pages,
            "contexts_closed": rss_closed,
        },
        "chromium": version,
    }


def _summary(users: list[Session], phase: str) -> dict:
    """Latency percentiles of one phase, overall and per page, and the median of each step of a change."""
    latencies = [ms for s in users for ms in s.latencies(phase)]
    by_kind = {}
    for kind in ("sebaran", "asistensi"):
        values = [ms for s in users if s.kind == kind for ms in s.latencies(phase)]
        if values:
            by_kind[kind] = {
                "changes": len(values),
                "p50_ms": bb.percentile(values, 50),
                "p95_ms": bb.percentile(values, 95),
                "max_ms": max(values),
            }
    marks = [m for s in users for m in s.changes.get(phase, [])]
    steps = {}
    for name, a, b in PHASES:
        values = [m[b] - m[a] for m in marks if m.get(a) is not None and m.get(b) is not None]
        if values:
            steps[name] = median(values)
    nan = float("nan")
    return {
        "changes": len(latencies),
        "p50_ms": bb.percentile(latencies, 50) if latencies else nan,
        "p95_ms": bb.percentile(latencies, 95) if latencies else nan,
        "max_ms": max(latencies, default=nan),
        "by_page": by_kind,
        "phases_median_ms": steps,
    }


def run(
    sessions: int = SESSIONS,
    duration_s: float = DURATION_S,
    pages: list[str] | None = None,
    think_s: tuple[float, float] = THINK_S,
    stress_s: float = STRESS_S,
) -> dict:
    """Start one server, drive `sessions` browser sessions for `duration_s` seconds with `think_s` between
    changes, then `stress_s` seconds back to back, visit `pages`, read RSS."""
    pages = PAGES if pages is None else pages
    think_s = (float(think_s[0]), float(think_s[1]))
    sebaran = bb.search_sequence(200)
    asistensi, _ = bb.asistensi_sequence(200, timing=False)
    # the page opens unfiltered / on the first city: the cycle must not repeat the state it ends in
    seqs = {"sebaran": _cyclic(sebaran), "asistensi": _cyclic(asistensi)}
    with tempfile.TemporaryDirectory(prefix="load_bench_") as tmp:
        with bb.streamlit_process(Path(tmp) / "streamlit.log") as (url, process), RssSampler(process.pid) as sampler:
            rss_start = tree_rss(process.pid)
            driven = asyncio.run(_drive(url, process.pid, sessions, duration_s, think_s, stress_s, pages, seqs))
        log_tail = (Path(tmp) / "streamlit.log").read_text(errors="replace")[-2000:]
    users = driven.pop("users")
    errors = [e for s in users for e in s.errors]
    peak = max(sampler.samples, key=lambda r: r["total_mb"]) if sampler.samples else tree_rss(0)
    rss = {
        "start": rss_start,
        **driven.pop("rss"),
        "peak_sampled": peak,
        "samples_mb": [round(r["total_mb"], 1) for r in sampler.samples],
    }
    error_counts: dict[str, int] = {}
    for e in errors:
        error_counts[e["what"]] = error_counts.get(e["what"], 0) + 1
    visits = [v for session in driven.pop("visits") for v in session]
    result = {
        "sessions": sessions,
        "duration_s": duration_s,
        "think_s": list(think_s),
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
        "error_counts": error_counts,
        "error_samples": errors[:20],
        "per_session": [
            {
                "session": s.number,
                "kind": s.kind,
                "changes": len(s.latencies("think")),
                "p50_ms": bb.percentile(s.latencies("think"), 50) if s.latencies("think") else None,
                "errors": len(s.errors),
            }
            for s in users
        ],
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


def budgets(result: dict) -> list[dict]:
    n, secs = result["sessions"], result["duration_s"]
    low, high = result["think_s"]
    stress = result.get("stress")
    stress_note = (
        f"; back to back for {result['stress_duration_s']:g} s (no budget): p50 {stress['p50_ms']:.0f} ms, "
        f"p95 {stress['p95_ms']:.0f} ms over {stress['changes']} changes"
        if stress
        else ""
    )
    errors = ", ".join(f"{k}: {v}" for k, v in result["error_counts"].items()) or "none"
    return [
        {
            "name": f"load: filter change p95, {n} sessions for {secs:g} s ({low:g}-{high:g} s think time)",
            "goal": f"< {GOAL_P95_MS:.0f} ms",
            "measured": result["p95_ms"],
            "unit": "ms",
            "met": bool(result["p95_ms"] < GOAL_P95_MS),
            "detail": f"p50 {result['p50_ms']:.0f} ms, max {result['max_ms']:.0f} ms over {result['changes']} changes"
            + stress_note,
        },
        {
            "name": f"load: errors, {n} sessions for {secs:g} s",
            "goal": "0",
            "measured": float(result["errors"]),
            "unit": "errors",
            "met": result["errors"] == 0,
            "detail": errors,
        },
        {
            "name": f"server memory after {n} sessions visited every page",
            "goal": f"< {GOAL_RSS_MB:.0f} MB",
            "measured": result["rss_mb"],
            "unit": "MB",
            "met": bool(result["rss_mb"] < GOAL_RSS_MB),
            "detail": f"VmRSS of the streamlit process + {result['rss']['after_pages']['children']} descendants; "
            f"sampled peak {result['rss']['peak_sampled']['total_mb']:.0f} MB",
        },
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    parser.add_argument("--duration", type=float, default=DURATION_S, help="seconds of filter changes")
    parser.add_argument(
        "--think",
        default=",".join(f"{t:g}" for t in THINK_S),
        help="MIN,MAX seconds between a user's changes (0,0: back to back)",
    )
    parser.add_argument("--stress", type=float, default=STRESS_S, help="seconds back to back afterwards (0: skip)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    low, high = (float(x) for x in args.think.split(","))
    result = run(args.sessions, args.duration, think_s=(low, high), stress_s=args.stress)
    for budget in result["budgets"]:
        print(
            f"- {budget['name']}: {budget['measured']:.1f} {budget['unit']} (goal {budget['goal']}) "
            f"{'met' if budget['met'] else 'MISSED'}; {budget['detail']}"
        )
    print(
        json.dumps(
            {k: result[k] for k in ("by_page", "phases_median_ms", "error_counts", "page_visit_ms_median")}, indent=2
        )
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    sys.exit(main())
