"""Browser benchmark: the overview against a static plotly page, and filter-change latency.

    PYTHONPATH=. .venv/bin/python -m bench.browser_bench [--runs 5] [--changes 20] [--json PATH]
                                                         [--no-report]

Drives Debian Chromium (Playwright, no browser download) against a real `streamlit run
dashboard.py` on a free loopback port, and against a static HTML page with the same three
overview figures served by `http.server` on 127.0.0.1. Run on demand, never asserted by pytest;
`run(runs, changes)` returns a dict (a smoke test can call `run(1, 2)`). Writes
bench/BROWSER_RESULTS.md unless --no-report. See that file for what is measured and how.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "bench" / "BROWSER_RESULTS.md"
CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 4000}  # tall: Streamlit draws a chart only once it is in the viewport
OVERVIEW_PATH = "/?tahun=2018"
OVERVIEW_YEAR = 2018
OVERVIEW_CHARTS = 3
SEBARAN_PATH = "/sebaran?tahun=2024"  # dashboard.py url_path
SEBARAN_YEAR = 2024
HISTOGRAM_TITLE = "Sebaran Indeks SPBE"  # found in the websocket message that carries the histogram
# Search strings typed into "Cari nama instansi", cycled; "" clears the filter (all instansi).
SEARCHES = [
    "Kota",
    "",
    "Kabupaten",
    "Provinsi",
    "Kota Banda",
    "Jawa",
    "Kementerian",
    "Barat",
    "Badan",
    "Timur",
    "Sulawesi",
    "Utara",
    "Kab",
    "Selatan",
    "Papua",
    "Tengah",
    "Sumatera",
    "Kalimantan",
    "Aceh",
    "Lembaga",
]
# Asistensi: the "Kota" selectbox of "Jalur ke predikat Baik" (cohort Kurang, the default); the
# metric "Di bawah predikat Baik" below it shows a different share for every host city in 2018.
ASISTENSI_PATH = "/asistensi?tahun=2018"
ASISTENSI_YEAR = 2018
ASISTENSI_SELECT = "Kota"
ASISTENSI_METRIC = "Di bawah predikat Baik"
OVERVIEW_GOAL_RATIO = 1.5
FILTER_GOAL_P95_MS = 300.0
QUIET_MS = 300  # a rerun is over when no websocket message arrived for this long
TIMEOUT_MS = 60_000
SERVER_START_TIMEOUT_S = 60

# Installed before any page script on every navigation. Records, on the page's own clock
# (performance.now(), 0 = navigation start): when every expected plotly chart is drawn, the first
# chart div, websocket traffic, and for the filter phase the Enter key and the histogram redraw.
INIT_SCRIPT = """
(() => {
  const B = window.__bench = {expected: %(expected)d, drawnAt: null, firstPlotAt: null, wsOpenAt: null,
                              sends: [], recvs: [], key: null};
  const now = () => performance.now();
  // "Drawn": as many .js-plotly-plot divs as expected, and in every one plotly has built its layout
  // (_fullLayout, >= 2 .main-svg), a trace group per visible trace, and every layout annotation
  // (annotations come last in plotly's draw sequence: the source footer, the SIMULASI mark).
  B.isDrawn = () => {
    const gds = document.querySelectorAll('.js-plotly-plot');
    if (gds.length < B.expected) return false;
    for (const gd of gds) {
      if (!gd._fullLayout || !gd._fullData) return false;
      if (gd.querySelectorAll('.main-svg').length < 2) return false;
      const traces = gd._fullData.filter(t => t.visible === true && t.xaxis).length;  // cartesian ones
      // a trace group per trace: class 'trace' (scatter, bar...), 'hm' (heatmap)
      if (gd.querySelectorAll('.cartesianlayer .trace, .cartesianlayer .hm').length < traces) return false;
      if (gd.querySelectorAll('.infolayer .annotation').length < (gd._fullLayout.annotations || []).length)
        return false;
    }
    return true;
  };
  B.histogramIs = (n) => {
    const gd = document.querySelector('.js-plotly-plot');
    return !!(gd && gd._fullData && gd._fullData[0] && gd._fullData[0]._length === n && B.isDrawn());
  };
  // The value shown by the st.metric whose label is `label` (null if there is none).
  B.metricValue = (label) => {
    for (const m of document.querySelectorAll('[data-testid=stMetric]')) {
      const l = m.querySelector('[data-testid=stMetricLabel]'), v = m.querySelector('[data-testid=stMetricValue]');
      if (l && v && l.innerText.trim() === label) return v.innerText.trim();
    }
    return null;
  };
  // The state a change waits for: a number = the histogram holds that many instansi;
  // {label, value} = that metric shows that value.
  B.matches = (e) => typeof e === 'number' ? B.histogramIs(e) : B.metricValue(e.label) === e.value;
  B.exceptions = () => document.querySelectorAll('[data-testid=stException]').length;
  B.wsErrors = [];
  const check = () => {
    if (B.firstPlotAt === null && document.querySelector('[data-testid=stPlotlyChart], .js-plotly-plot'))
      B.firstPlotAt = now();
    if (B.drawnAt === null && B.isDrawn()) B.drawnAt = now();
    const k = B.key;
    if (k && k.at !== null && k.histAt === null && B.matches(k.expected)) k.histAt = now();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, {childList: true, subtree: true, attributes: true, characterData: true});
  // Fallback: a check every animation frame, but only while something is awaited. A loop that
  // never stops keeps every page producing frames: ten idle pages then cost ~0.4 CPU.
  const awaiting = () => B.drawnAt === null || (B.key !== null && B.key.histAt === null);
  let ticking = false;
  const frame = () => { check(); ticking = awaiting(); if (ticking) requestAnimationFrame(frame); };
  const tick = () => { if (!ticking) { ticking = true; requestAnimationFrame(frame); } };
  tick();
  // The filter phase: arm() before pressing Enter; the keydown listener stamps the input event.
  B.arm = (expected) => { B.key = {expected, at: null, histAt: null}; B.sends = []; B.recvs = []; tick(); };
  window.addEventListener('keydown', e => {
    if (e.key === 'Enter' && B.key && B.key.at === null) B.key.at = now();
  }, true);
  const Socket = window.WebSocket;
  window.WebSocket = class extends Socket {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => { if (B.wsOpenAt === null) B.wsOpenAt = now(); });
      this.addEventListener('message', e => B.recvs.push({at: now(), data: e.data}));
      this.addEventListener('error', () => B.wsErrors.push({at: now(), what: 'error'}));
      this.addEventListener('close', e => B.wsErrors.push({at: now(), what: 'close ' + e.code}));
    }
    send(data) { B.sends.push(now()); return super.send(data); }
  };
  const size = d => d.byteLength ?? d.size ?? d.length ?? 0;
  B.lastRecvAt = () => B.recvs.length ? B.recvs[B.recvs.length - 1].at : 0;
  B.firstRecvAt = () => B.recvs.length ? B.recvs[0].at : null;
  B.collect = (title) => {
    const k = B.key, decoder = new TextDecoder();
    const after = (t) => t >= k.at;
    const sent = B.sends.find(after);
    const recvs = B.recvs.filter(r => after(r.at));
    const fig = recvs.find(r => typeof r.data === 'string' ? r.data.includes(title)
                                                          : decoder.decode(r.data).includes(title));
    return {key: k.at, hist: k.histAt, send: sent ?? null, first_recv: recvs.length ? recvs[0].at : null,
            fig_recv: fig ? fig.at : null, last_recv: recvs.length ? recvs[recvs.length - 1].at : null,
            messages: recvs.length, bytes: recvs.reduce((s, r) => s + size(r.data), 0)};
  };
  B.overview = () => {
    const nav = performance.getEntriesByType('navigation')[0] || {};
    const res = performance.getEntriesByType('resource');
    const plotly = res.filter(r => /plotly/i.test(r.name));
    return {drawn: B.drawnAt, first_plot: B.firstPlotAt, ws_open: B.wsOpenAt, first_msg: B.firstRecvAt(),
            response_end: nav.responseEnd ?? null, dom_content_loaded: nav.domContentLoadedEventEnd ?? null,
            load: nav.loadEventEnd || null,
            plotly_js_start: plotly.length ? Math.min(...plotly.map(r => r.startTime)) : null,
            plotly_js_end: plotly.length ? Math.max(...plotly.map(r => r.responseEnd)) : null,
            bytes: res.reduce((s, r) => s + (r.decodedBodySize || 0), 0) + (nav.decodedBodySize || 0),
            requests: res.length + 1, ws_messages: B.recvs.length};
  };
})();
"""


# ---------------------------------------------------------------------------- servers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(log_path: Path):
    """`streamlit run dashboard.py` on a free loopback port, as tests/browser/conftest.py starts it."""
    with streamlit_process(log_path) as (url, _process):
        yield url


@contextmanager
def streamlit_process(log_path: Path):
    """Like streamlit_server, but yields (url, subprocess.Popen) so a caller can read the server's RSS."""
    port = _free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "dashboard.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {process.returncode}; see {log_path}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"streamlit did not become healthy in time; see {log_path}") from None
                    time.sleep(0.2)
            yield url, process
        finally:
            process.terminate()
            process.wait(timeout=20)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@contextmanager
def static_server(directory: Path):
    """http.server on a free loopback port, in a thread of this process."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------- the static page


def overview_figures(year: int = OVERVIEW_YEAR) -> list:
    """The three finished figures of pages/ringkasan.py for `year`, from the same chart functions."""
    from spbe.data.store import Store
    from spbe.present import charts

    store = Store()
    built = (chart(store, year) for chart in (charts.national_chart, charts.predikat_chart, charts.baik_share_chart))
    return [chart.fig for chart in built if chart is not None]


def static_html(figures: list, sizes: list[tuple[int, int]]) -> str:
    """One HTML page: plotly.js inline before the first figure, each div at the dashboard's chart size."""
    import plotly.io as pio

    from spbe.ui import PLOTLY_CONFIG

    parts = [
        pio.to_html(
            fig,
            include_plotlyjs=(i == 0),
            full_html=False,
            config=PLOTLY_CONFIG,
            default_width=f"{width}px",
            default_height=f"{height}px",
        )
        for i, (fig, (width, height)) in enumerate(zip(figures, sizes, strict=True))
    ]
    body = "\n".join(f"<section>{part}</section>" for part in parts)
    head = '<head><meta charset="utf-8"><title>static overview</title></head>'
    return f'<!DOCTYPE html>\n<html lang="id">{head}\n<body>{body}</body></html>\n'


# ---------------------------------------------------------------------------- measuring


def _new_page(browser, expected: int):
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID")  # fresh context: cold HTTP cache
    context.add_init_script(INIT_SCRIPT % {"expected": expected})
    return context, context.new_page()


def load_overview(browser, url: str) -> dict:
    """Navigate a fresh context to `url` and wait until every overview chart is drawn."""
    context, page = _new_page(browser, OVERVIEW_CHARTS)
    try:
        start = time.monotonic()
        page.goto(url, wait_until="commit")
        page.wait_for_function(
            "() => window.__bench && window.__bench.drawnAt !== null", polling="raf", timeout=TIMEOUT_MS
        )
        wall_ms = (time.monotonic() - start) * 1000
        marks = page.evaluate("() => window.__bench.overview()")
        marks["wall_ms"] = wall_ms
        marks["sizes"] = page.evaluate(
            "() => [...document.querySelectorAll('.js-plotly-plot')]"
            ".map(g => [g._fullLayout.width, g._fullLayout.height])"
        )
        return marks
    finally:
        context.close()


def search_sequence(changes: int, year: int = SEBARAN_YEAR) -> list[tuple[str, int]]:
    """`changes` searches with their expected row counts; consecutive counts differ, none is empty."""
    from spbe.data.store import Filters, Store

    store = Store()
    counts = {text: len(store.results(year, Filters(cari=text.strip() or None))) for text in SEARCHES}
    previous = counts[""]  # the page opens unfiltered
    sequence: list[tuple[str, int]] = []
    i = 0
    while len(sequence) < changes:
        text = SEARCHES[i % len(SEARCHES)]
        i += 1
        if counts[text] and counts[text] != previous:
            sequence.append((text, counts[text]))
            previous = counts[text]
        if i > 10 * len(SEARCHES) + changes:
            raise RuntimeError("SEARCHES cannot give consecutive different counts")
    return sequence


def filter_changes(browser, url: str, sequence: list[tuple[str, int]], deep_link_failures: list[str]) -> list[dict]:
    """Type each search into "Cari nama instansi" and press Enter; time Enter -> histogram redrawn."""
    context, page = _new_page(browser, 1)
    try:
        page.goto(url + SEBARAN_PATH)
        page.wait_for_function("() => window.__bench.drawnAt !== null", polling="raf", timeout=TIMEOUT_MS)
        _wait_quiet(page)
        if not _on_sebaran(page):
            # Known app issue: a deep link can land on the overview ("Page not found" dialog);
            # reach the page through the sidebar instead (same session, year 2024 is the default).
            deep_link_failures.append(page.url)
            page.keyboard.press("Escape")
            page.get_by_role("link", name="Sebaran Predikat").first.click()
            page.wait_for_function(
                "() => [...document.querySelectorAll('h1')].some(h => h.innerText.includes('Sebaran Predikat'))"
                " && document.querySelector('.js-plotly-plot')?._fullData",
                polling="raf",
                timeout=TIMEOUT_MS,
            )
            _wait_quiet(page)
            if not _on_sebaran(page):
                raise RuntimeError(f"could not open Sebaran Predikat {SEBARAN_YEAR} (at {page.url})")
        box = page.get_by_label("Cari nama instansi")
        changes = []
        for text, expected in sequence:
            box.fill(text)  # a text_input commits only on Enter (or blur): nothing is sent yet
            page.evaluate("n => window.__bench.arm(n)", expected)
            box.press("Enter")
            page.wait_for_function("() => window.__bench.key.histAt !== null", polling="raf", timeout=TIMEOUT_MS)
            _wait_quiet(page)
            marks = page.evaluate("t => window.__bench.collect(t)", HISTOGRAM_TITLE)
            changes.append({"search": text, "expected": expected, **marks, "latency_ms": marks["hist"] - marks["key"]})
        return changes
    finally:
        context.close()


def asistensi_sequence(changes: int, timing: bool = True) -> tuple[list[tuple[str, str]], dict]:
    """`changes` host cities with the metric value each must show, and the AppTest rerun times.

    One AppTest of pages/asistensi.py (?tahun=2018) first reads the value of "Di bawah predikat
    Baik" for every city, then (unless timing=False) reruns the page through the whole sequence,
    timing each rerun (script, store queries, serialisation; no websocket, no browser)."""
    from streamlit.testing.v1 import AppTest

    from spbe.model.cohorts import HOST_CITIES

    at = AppTest.from_file(str(ROOT / "pages" / "asistensi.py"), default_timeout=120)
    at.query_params["tahun"] = str(ASISTENSI_YEAR)
    at.run()  # warm-up; the page opens on the first city
    values = {}
    for city in HOST_CITIES:
        at.selectbox(key="jalur_kota").set_value(city)
        at.run()
        if at.exception:
            raise RuntimeError(f"asistensi.py raised under AppTest: {at.exception}")
        values[city] = next(m.value for m in at.metric if m.label == ASISTENSI_METRIC)
    cycle = [*HOST_CITIES[1:], HOST_CITIES[0]]  # the page opens on HOST_CITIES[0]
    sequence: list[tuple[str, str]] = []
    previous = values[HOST_CITIES[0]]
    for i in range(10 * changes + len(cycle)):
        city = cycle[i % len(cycle)]
        if values[city] != previous:
            sequence.append((city, values[city]))
            previous = values[city]
        if len(sequence) == changes:
            break
    else:
        raise RuntimeError(f"the host cities do not give consecutive different {ASISTENSI_METRIC!r}: {values}")
    if not timing:
        return sequence, {}
    at.selectbox(key="jalur_kota").set_value(HOST_CITIES[0])
    at.run()
    times = []
    for city, _ in sequence:
        at.selectbox(key="jalur_kota").set_value(city)
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    return sequence, {"runs_ms": times, "median_ms": median(times), "max_ms": max(times)}


def asistensi_changes(browser, url: str, sequence: list[tuple[str, str]], deep_link_failures: list[str]) -> list[dict]:
    """Choose each city in the "Kota" selectbox (type it, press Enter); time Enter -> metric shows its value."""
    context, page = _new_page(browser, 1)
    try:
        page.goto(url + ASISTENSI_PATH)
        page.wait_for_function(
            "l => window.__bench.metricValue(l) !== null", arg=ASISTENSI_METRIC, polling="raf", timeout=TIMEOUT_MS
        )
        _wait_quiet(page)
        if not _on_page(page, "Asistensi SPBE", ASISTENSI_YEAR):
            deep_link_failures.append(page.url)
            raise RuntimeError(f"could not open Asistensi {ASISTENSI_YEAR} (at {page.url})")
        box = asistensi_select(page)
        changes = []
        for city, value in sequence:
            box.click()
            box.fill(city)  # filters the options; Enter picks the first (the city)
            page.evaluate("e => window.__bench.arm(e)", {"label": ASISTENSI_METRIC, "value": value})
            box.press("Enter")
            page.wait_for_function("() => window.__bench.key.histAt !== null", polling="raf", timeout=TIMEOUT_MS)
            _wait_quiet(page)
            marks = page.evaluate("t => window.__bench.collect(t)", ASISTENSI_METRIC)
            changes.append({"city": city, "expected": value, **marks, "latency_ms": marks["hist"] - marks["key"]})
        return changes
    finally:
        context.close()


def asistensi_select(page):
    """The text input of the "Kota" selectbox (the other selectboxes are "Tahun evaluasi" and "Kohort")."""
    widget = page.locator("[data-testid=stSelectbox]").filter(has=page.get_by_text(ASISTENSI_SELECT, exact=True))
    return widget.locator("input")


def _on_page(page, title: str, year: int) -> bool:
    return page.evaluate(
        "([t, y]) => [...document.querySelectorAll('h1')].some(h => h.innerText.includes(t))"
        " && !document.querySelector('[role=dialog]') && document.body.innerText.includes(String(y))",
        [title, year],
    )


def _on_sebaran(page) -> bool:
    return page.evaluate(
        "y => [...document.querySelectorAll('h1')].some(h => h.innerText.includes('Sebaran Predikat'))"
        " && !document.querySelector('[role=dialog]') && document.body.innerText.includes('evaluasi ' + y)",
        SEBARAN_YEAR,
    )


def _wait_quiet(page) -> None:
    """Wait until no websocket message arrived for QUIET_MS: the rerun has finished."""
    page.wait_for_function(f"() => performance.now() - window.__bench.lastRecvAt() > {QUIET_MS}", timeout=TIMEOUT_MS)


def rerun_times(sequence: list[tuple[str, int]]) -> dict:
    """pages/sebaran.py rerun in-process by one AppTest, typing the same searches (script, store
    queries, figure and table serialisation; no websocket, no browser). The first run is a warm-up."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / "sebaran.py"), default_timeout=60)
    at.query_params["tahun"] = str(SEBARAN_YEAR)
    at.run()  # warm-up: imports, the cached store
    times = []
    for text, _ in sequence:
        at.text_input(key="cari").input(text)
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(f"sebaran.py raised under AppTest: {at.exception}")
    return {"runs_ms": times, "median_ms": median(times), "max_ms": max(times)}


# ---------------------------------------------------------------------------- statistics and the run


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def machine(browser_version: str) -> dict:
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import plotly
    import streamlit

    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": model,
        "chromium": browser_version,
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "plotly": plotly.__version__,
        "date": datetime.now().isoformat(timespec="seconds"),
    }


def _median_marks(samples: list[dict]) -> dict:
    keys = [k for k, v in samples[0].items() if isinstance(v, int | float) and not isinstance(v, bool)]
    return {k: median(s[k] for s in samples) for k in keys if all(s.get(k) is not None for s in samples)}


def run(runs: int = 5, changes: int = 20, asistensi: bool = True) -> dict:
    """Start both servers, measure, return every sample and the summaries.

    `asistensi=False` skips the Asistensi filter changes (the result then has no "asistensi" key)."""
    from playwright.sync_api import sync_playwright

    sequence = search_sequence(changes)
    asistensi_seq, asistensi_reruns = asistensi_sequence(changes) if asistensi else ([], {})
    figures = overview_figures()
    with tempfile.TemporaryDirectory(prefix="browser_bench_") as tmp:
        tmp_path = Path(tmp)
        with streamlit_server(tmp_path / "streamlit.log") as st_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                # Warm-up, untimed: the server imports the pages and loads the store once.
                warm = load_overview(browser, st_url + OVERVIEW_PATH)
                sizes = [tuple(size) for size in warm["sizes"]]
                (tmp_path / "overview.html").write_text(static_html(figures, sizes), encoding="utf-8")
                with static_server(tmp_path) as static_url:
                    load_overview(browser, static_url + "/overview.html")  # warm-up: same treatment
                    dashboard, static = [], []
                    for i in range(runs):  # alternate which page goes first
                        order = [("d", st_url + OVERVIEW_PATH), ("s", static_url + "/overview.html")]
                        for which, url in order if i % 2 == 0 else reversed(order):
                            (dashboard if which == "d" else static).append(load_overview(browser, url))
                deep_link_failures: list[str] = []
                filter_changes(browser, st_url, sequence[:2], deep_link_failures)  # warm-up
                changes_ = filter_changes(browser, st_url, sequence, deep_link_failures)
                if asistensi:
                    asistensi_changes(browser, st_url, asistensi_seq[:2], deep_link_failures)  # warm-up
                    asis_changes = asistensi_changes(browser, st_url, asistensi_seq, deep_link_failures)
                info = machine(browser.version)
            finally:
                browser.close()
        html_bytes = (tmp_path / "overview.html").stat().st_size
    reruns = rerun_times(sequence)

    dash_ms = [s["drawn"] for s in dashboard]
    static_ms = [s["drawn"] for s in static]
    overview_result = {
        "dashboard_ms": dash_ms,
        "static_ms": static_ms,
        "dashboard_median_ms": median(dash_ms),
        "static_median_ms": median(static_ms),
        "ratio": median(dash_ms) / median(static_ms),
        "goal_ratio": OVERVIEW_GOAL_RATIO,
        "chart_sizes": sizes,
        "static_html_bytes": html_bytes,
        "dashboard_marks": _median_marks(dashboard),
        "static_marks": _median_marks(static),
        "dashboard_samples": dashboard,
        "static_samples": static,
    }
    overview_result["met"] = overview_result["ratio"] <= OVERVIEW_GOAL_RATIO

    filter_result = summarise_changes(changes_, reruns)
    filter_result["deep_link_failures"] = len(deep_link_failures)
    out = {"machine": info, "runs": runs, "overview": overview_result, "filter": filter_result}
    if asistensi:
        out["asistensi"] = summarise_changes(asis_changes, asistensi_reruns)
    return out


def summarise_changes(changes: list[dict], apptest_rerun: dict) -> dict:
    """p50/p95/max of the latencies and the median websocket phases (see breakdown())."""
    latencies = [c["latency_ms"] for c in changes]

    def phase(c: dict) -> dict:
        return {
            "enter_to_send": c["send"] - c["key"] if c["send"] is not None else None,
            "send_to_first_msg": c["first_recv"] - c["send"] if c["first_recv"] is not None else None,
            "send_to_figure_msg": c["fig_recv"] - c["send"] if c["fig_recv"] is not None else None,
            "figure_msg_to_drawn": c["hist"] - c["fig_recv"] if c["fig_recv"] is not None else None,
            "send_to_last_msg": c["last_recv"] - c["send"] if c["last_recv"] is not None else None,
        }

    phases = [phase(c) for c in changes]
    result = {
        "latencies_ms": latencies,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "max_ms": max(latencies),
        "min_ms": min(latencies),
        "goal_p95_ms": FILTER_GOAL_P95_MS,
        "phases_median_ms": {
            k: median(p[k] for p in phases if p[k] is not None)
            for k in phases[0]
            if any(p[k] is not None for p in phases)
        },
        "changes": changes,
        "apptest_rerun": apptest_rerun,
    }
    result["met"] = result["p95_ms"] < FILTER_GOAL_P95_MS
    return result


# ---------------------------------------------------------------------------- reporting


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def tables(result: dict) -> str:
    ov, fl = result["overview"], result["filter"]
    lines = [
        f"### Overview `{OVERVIEW_PATH}` vs static page (median of {result['runs']} cold loads)",
        "",
        "| page | median ms | min ms | max ms | all runs (ms) |",
        "|---|---:|---:|---:|---|",
    ]
    for name, key in (("dashboard (Streamlit)", "dashboard_ms"), ("static HTML (plotly.js inline)", "static_ms")):
        values = ov[key]
        lines.append(
            f"| {name} | {_ms(median(values))} | {_ms(min(values))} | {_ms(max(values))} | "
            f"{', '.join(_ms(v) for v in values)} |"
        )
    lines += [
        f"| **ratio dashboard / static** | **{ov['ratio']:.2f}x** | | | goal ≤ {OVERVIEW_GOAL_RATIO}x |",
        "",
        f"### Filter change on `{SEBARAN_PATH}` ({len(fl['latencies_ms'])} changes, Enter → histogram redrawn)",
        "",
        "| p50 ms | p95 ms | max ms | min ms | goal |",
        "|---:|---:|---:|---:|---|",
        f"| {_ms(fl['p50_ms'])} | {_ms(fl['p95_ms'])} | {_ms(fl['max_ms'])} | {_ms(fl['min_ms'])} | "
        f"p95 < {FILTER_GOAL_P95_MS:.0f} ms |",
    ]
    if "asistensi" in result:
        a = result["asistensi"]
        lines += [
            "",
            f"### Filter change on `{ASISTENSI_PATH}` ({len(a['latencies_ms'])} changes, "
            f'"{ASISTENSI_SELECT}" selectbox: Enter → metric "{ASISTENSI_METRIC}" shows the city\'s value)',
            "",
            "| p50 ms | p95 ms | max ms | min ms | goal |",
            "|---:|---:|---:|---:|---|",
            f"| {_ms(a['p50_ms'])} | {_ms(a['p95_ms'])} | {_ms(a['max_ms'])} | {_ms(a['min_ms'])} | "
            f"p95 < {FILTER_GOAL_P95_MS:.0f} ms |",
        ]
    return "\n".join(lines)


def verdicts(result: dict) -> str:
    ov, fl = result["overview"], result["filter"]
    if ov["met"]:
        overview = f"**met**: {ov['ratio']:.2f}x ≤ {OVERVIEW_GOAL_RATIO}x"
    else:
        over = ov["dashboard_median_ms"] - OVERVIEW_GOAL_RATIO * ov["static_median_ms"]
        overview = (
            f"**missed**: {ov['ratio']:.2f}x against ≤ {OVERVIEW_GOAL_RATIO}x; the dashboard would have to "
            f"be {_ms(over)} ms faster (median {_ms(ov['dashboard_median_ms'])} ms, allowed "
            f"{_ms(OVERVIEW_GOAL_RATIO * ov['static_median_ms'])} ms)"
        )
    if fl["met"]:
        filters = f"**met**: p95 {_ms(fl['p95_ms'])} ms < {FILTER_GOAL_P95_MS:.0f} ms"
    else:
        over = fl["p95_ms"] - FILTER_GOAL_P95_MS
        filters = (
            f"**missed**: p95 {_ms(fl['p95_ms'])} ms against < {FILTER_GOAL_P95_MS:.0f} ms, "
            f"{_ms(over)} ms over ({fl['p95_ms'] / FILTER_GOAL_P95_MS:.1f}x)"
        )
    return (
        f"- Overview within {OVERVIEW_GOAL_RATIO}x of the static page: {overview}.\n"
        f"- Filter change p95 under {FILTER_GOAL_P95_MS:.0f} ms: {filters}."
    )


def breakdown(result: dict) -> str:
    d, s = result["overview"]["dashboard_marks"], result["overview"]["static_marks"]
    rows = [
        ("HTML document received (responseEnd)", "response_end"),
        ("DOMContentLoaded done", "dom_content_loaded"),
        ("websocket open", "ws_open"),
        ("first websocket message", "first_msg"),
        ("plotly.js request started", "plotly_js_start"),
        ("plotly.js received", "plotly_js_end"),
        ("first chart element (stPlotlyChart / plotly div)", "first_plot"),
        ("**all charts drawn**", "drawn"),
        ("bytes loaded (decoded)", "bytes"),
        ("requests", "requests"),
        ("websocket messages", "ws_messages"),
    ]
    lines = ["| mark (ms since navigation start, median) | dashboard | static |", "|---|---:|---:|"]
    for label, key in rows:
        fmt = (lambda v: "–" if v is None else f"{v / 1e6:.1f} MB") if key == "bytes" else _ms
        lines.append(f"| {label} | {fmt(d.get(key))} | {fmt(s.get(key))} |")
    lines += ["", phase_table(result)]
    return "\n".join(lines)


def phase_table(result: dict) -> str:
    """The websocket/rerun phases of the filter changes, one column per page measured."""
    pages = [("Sebaran (histogram)", result["filter"])]
    if "asistensi" in result:
        pages.append(("Asistensi (metric)", result["asistensi"]))
    rows = [
        ("Enter keydown → rerun request sent on the websocket", "enter_to_send"),
        ("request sent → first message back", "send_to_first_msg"),
        ("request sent → message carrying the watched element", "send_to_figure_msg"),
        ("that message → element shows the new state (client)", "figure_msg_to_drawn"),
        ("request sent → last message of the rerun", "send_to_last_msg"),
    ]
    lines = [
        "| filter change phase (median over the changes), ms | " + " | ".join(n for n, _ in pages) + " |",
        "|---|" + "---:|" * len(pages),
    ]
    for label, key in rows:
        lines.append(f"| {label} | " + " | ".join(_ms(r["phases_median_ms"].get(key)) for _, r in pages) + " |")
    lines.append(
        "| page rerun under AppTest (in-process, no browser) | "
        + " | ".join(_ms(r["apptest_rerun"]["median_ms"]) for _, r in pages)
        + " |"
    )
    lines.append(
        "| end-to-end latency p50 / p95 | "
        + " | ".join(f"{_ms(r['p50_ms'])} / {_ms(r['p95_ms'])}" for _, r in pages)
        + " |"
    )
    return "\n".join(lines)


def report(result: dict) -> str:
    m = result["machine"]
    return "\n".join(
        [
            "# Browser benchmark results",
            "",
            "Generated by `bench/browser_bench.py`; rerun it to refresh every number in this file.",
            "",
            "```sh",
            "PYTHONPATH=. .venv/bin/python -m bench.browser_bench                  # --runs 5 --changes 20 (~1-2 min)",
            "PYTHONPATH=. .venv/bin/python -m bench.browser_bench --runs 9 --changes 40 --json out.json --no-report",
            "```",
            "",
            "From Python: `bench.browser_bench.run(runs, changes)` returns the dict the `--json` file holds",
            "(a smoke test can call `run(1, 2)`). Nothing asserts a timing.",
            "",
            f"Machine: {m['nproc']} CPUs ({m['cpu']}), Chromium {m['chromium']} headless, Python {m['python']}, "
            f"Streamlit {m['streamlit']}, plotly {m['plotly']}; {m['date']}. Server, browser and bench share the CPUs.",
            "",
            "## Results",
            "",
            tables(result),
            "",
            "## Verdicts",
            "",
            verdicts(result),
            "",
            "## Where the time goes",
            "",
            breakdown(result),
            "",
            METHOD,
            "",
            findings(result),
            "",
        ]
    )


METHOD = """## What is measured, and how

- **Servers.** `streamlit run dashboard.py` on a free 127.0.0.1 port, started as
  `tests/browser/conftest.py` does (health poll on `/_stcore/health`); the static page from
  `http.server` (`ThreadingHTTPServer`) in a thread of the bench process, also on 127.0.0.1.
  Neither compresses its responses.
- **Browser.** Debian Chromium through Playwright, headless, with the project's flags; viewport
  1400x4000 so all three overview charts are in view (Streamlit draws a chart only once visible).
  **Every load uses a fresh browser context** (cold HTTP cache, no service worker, new websocket);
  the browser process itself stays up.
- **Static page.** The three figures of `pages/ringkasan.py` for 2018, built in the bench by the
  same calls (`Store()`, `spbe.present.overview`, `national_index_figure`, `predikat_distribution_figure`,
  `baik_share_figure`, `finish(fig, FigureMeta(...))`), written into one HTML file with
  `plotly.io.to_html(..., full_html=False)`: plotly.js inline before the first figure
  (`include_plotlyjs=True`), not repeated for the others; same plotly config as the dashboard
  (`spbe.ui.PLOTLY_CONFIG`), and each div at the pixel size the dashboard drew that chart (read
  from `_fullLayout` in the warm-up load), so plotly lays out the same area on both pages.
- **"All charts drawn"** (the same criterion on both pages, checked by a `MutationObserver` on the
  whole document plus a check every animation frame, installed with `add_init_script` before any
  page script): there are ≥ 3 `.js-plotly-plot` divs, and in each plotly has `_fullLayout` and
  `_fullData`, ≥ 2 `.main-svg`, one `.cartesianlayer .trace` group per visible trace, and every
  layout annotation in `.infolayer` (annotations are drawn last in plotly's draw sequence: the
  source footer and the SIMULASI mark). The time is `performance.now()` at the first check that
  passes, i.e. milliseconds since the page's navigation start (`timeOrigin`), before the frame is
  painted. The Python wall time around `goto` + wait is kept in the JSON (`wall_ms`) as a check.
- **Order.** One untimed warm-up load of each page first (the server imports the pages and loads
  the store once per process), then `--runs` pairs, alternating which page goes first. The table
  shows the median and the ratio of the medians.
- **Filter change.** A fresh context opens `/sebaran?tahun=2024` and waits for the histogram. For
  each of `--changes` searches, the bench fills "Cari nama instansi" (a text input commits only on
  Enter, so nothing is sent yet), arms the recorder with the expected number of instansi (from
  `Store().results(2024, Filters(cari=...))`; consecutive searches always differ in count), and
  presses Enter. Latency = `performance.now()` in a capturing `keydown` listener for Enter →
  `performance.now()` when plotly's histogram div holds the new data
  (`document.querySelector('.js-plotly-plot')._fullData[0]._length` equals the expected count)
  and the chart passes the "drawn" criterion above. The next change starts once no websocket
  message arrived for 300 ms (the rerun is over). Two untimed changes in their own context first.
  p50/p95 are nearest-rank percentiles.
- **Phases.** The page's `WebSocket` is wrapped (same init script) to stamp each send and receive
  with `performance.now()`; the message carrying the histogram is the first after Enter whose
  bytes contain its title "Sebaran Indeks SPBE" (searched after the change, outside the timing).
  The AppTest line reruns `pages/sebaran.py` in-process with one `streamlit.testing.v1.AppTest`
  (`?tahun=2024`), typing the same searches into the `cari` input, after a warm-up run: the
  script itself, its DuckDB queries and the serialisation of figure and tables, without websocket
  or browser (median of the reruns)."""


def findings(result: dict) -> str:
    """Observations that follow from this run's numbers (see also bench/BROWSER_RESULTS.md)."""
    ov, fl = result["overview"], result["filter"]
    d, s = ov["dashboard_marks"], ov["static_marks"]
    phases, rerun = fl["phases_median_ms"], fl["apptest_rerun"]["median_ms"]
    out = ["## Findings and suggestions", ""]
    out.append(
        f"- **Overview.** The static page is a single {ov['static_html_bytes'] / 1e6:.1f} MB document; its "
        f"time is dominated by parsing and running the inline plotly.js and drawing three figures "
        f"({_ms(s.get('drawn'))} ms). The dashboard first has to load its app bundle, open the "
        f"websocket (at {_ms(d.get('ws_open'))} ms), run the page script on the server (first message at "
        f"{_ms(d.get('first_msg'))} ms), and only when the first chart element is rendered does it request "
        f"its lazily loaded plotly chunk (requested at {_ms(d.get('plotly_js_start'))} ms, received at "
        f"{_ms(d.get('plotly_js_end'))} ms); the charts are drawn at {_ms(d.get('drawn'))} ms. The plotly "
        "chunk is fetched at the end of that dependent chain: in all "
        f"{d.get('bytes', 0) / 1e6:.1f} MB in "
        f"{_ms(d.get('requests'))} requests against the static page's {_ms(s.get('requests'))}."
    )
    out.append(
        f"- **Filter change.** Median phases: Enter → request sent {_ms(phases.get('enter_to_send'))} ms; "
        f"request → histogram message {_ms(phases.get('send_to_figure_msg'))} ms (the server rerun up to "
        f"`st.plotly_chart`); histogram message → drawn {_ms(phases.get('figure_msg_to_drawn'))} ms (React "
        f"and `Plotly.react` in the browser); the whole rerun ends {_ms(phases.get('send_to_last_msg'))} ms "
        f"after the request. The same rerun under AppTest takes {_ms(rerun)} ms in-process. "
        f"Deep link fell back to the sidebar link in {fl.get('deep_link_failures', 0)} of 2 contexts."
    )
    out += ["", SUGGESTIONS]
    return "\n".join(out)


SUGGESTIONS = """What earlier runs of this bench led to (details and before/after numbers in bench/RESULTS.md, "Notes"):

- **Overview.** The chart tables were collapsed expanders, and Streamlit renders an expander's
  content anyway: three Glide grids and their Arrow chunks loaded with the plotly chunk (ratio
  2.66x). They now sit behind a toggle, and no grid code is loaded on the overview (1.6-1.7x).
  What remains is Streamlit's start-up before its lazy plotly import, then evaluating plotly.js on
  the main thread. Preloading the chunk with a `Link: rel=modulepreload` header (an `st.App`
  middleware, tried and not kept) moved the fetch to the start but gained only ~3%.
- **Filter changes.** A full `gc.collect()` after every rerun (Streamlit's `runner.postScriptGC`)
  cost ~80-110 ms holding the GIL; it is off in `.streamlit/config.toml`. The Asistensi paths
  section is an `st.fragment` over a shared (`st.cache_resource`) cohort view, so a city change no
  longer reruns the page.
- **Method checks.** The static page is not suspiciously fast: its time is plotly.js itself (parse,
  compile and evaluate ~4.7 MB inline) plus ~0.1 s drawing. Both pages use the same plotly.js and
  chart sizes. The "drawn" mark comes after the Streamlit chart element appears (marks table), so
  it waits for plotly to finish, not for the element alone."""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold loads of each overview page (default 5)")
    parser.add_argument("--changes", type=int, default=20, help="filter changes on the sebaran page (default 20)")
    parser.add_argument("--json", type=Path, help="write every sample and summary to this JSON file")
    parser.add_argument("--no-report", action="store_true", help=f"do not rewrite {REPORT.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    result = run(args.runs, args.changes)
    print(tables(result))
    print()
    print(verdicts(result))
    print()
    print(breakdown(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    if not args.no_report:
        REPORT.write_text(report(result), encoding="utf-8")
        print(f"\nwrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
