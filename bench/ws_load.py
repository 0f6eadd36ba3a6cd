"""Protocol-level load: Streamlit sessions that speak the browser's websocket protocol, without a browser; the
ramp of concurrent sessions to the knee, the server's memory per idle session, and a check against the browser.

    PYTHONPATH=. .venv/bin/python -m bench.ws_load [--steps 10 25 35 50 100 200] [--duration-s 60] [--think-s 2 5]
                                                   [--max-sessions 800] [--idle-sessions 50]
                                                   [--compare-sessions 10] [--compare-s 60] [--replicas 1]
                                                   [--json PATH]

One `streamlit run dashboard.py` (tests/server.py), or with `--replicas N` N of them behind nginx
(scripts/serve_replicas.sh; the harness's `ramp_replicas`). A `Client` is one session on `/_stcore/stream` as Streamlit
1.67's frontend keeps it: the same BackMsgs (rerun_script with the query string, page, widget states, fragment,
cached message hashes and context info), the widget states learned from the element deltas, the query string
from page_info_changed, the ForwardMsg cache answered with the hashes the client holds. A `User` is the browser
benchmark's user (bench/browser_bench.py: the same pages, filter changes, seeded 2-5 s think time), then a visit
of every page. Latency of a change = rerun sent -> the delta showing the new state arrived (the histogram with
the expected number of instansi, the metric with the expected value); script_finished is reported beside it.
Method and why: bench/README.md, "Protocol-level load". `run(...)` returns a dict with a `budgets` list.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench import browser_bench as bb
from bench.harness import Sampler, budget, cli, percentile
from bench.load_bench import PAGES, _cyclic, cpu_snapshot, cpu_split, tree_rss
from tests.server import replica_set, streamlit_server

GOAL_SESSIONS = 50  # the issue: at least 50 concurrent sessions on 2 cores ...
GOAL_P95_MS = 1000.0  # ... at p95 < 1 s with 0 errors
# One server process runs every session's script under one GIL, so it holds at most one core's share of the 50:
# its budget is per core. Two cores are used by two replicas behind nginx (`make serve-replicas N=2`).
GOAL_SESSIONS_PER_PROCESS = GOAL_SESSIONS // 2
SUCCESS = ForwardMsg.FINISHED_SUCCESSFULLY
FRAGMENT_SUCCESS = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN  # st.rerun(): another run of the same request follows
# Headless Chromium's User-Agent: the server lays charts out for a desk from it (spbe.ui.screen.guess_width). At the
# browser benchmark's 1400 px the width probe finds the same bucket and reports nothing, so neither does a Client.
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36"
)
# What the frontend sends as context_info (ClientState.context_info) from the browser benchmark's Chromium.
CONTEXT = {"timezone": "UTC", "timezone_offset": 0, "locale": "id-ID", "is_embedded": False, "color_scheme": "light"}
OPEN_CONCURRENCY = 8  # sessions opening at once when a step starts: a burst of 200 first runs is not the steady state
SAMPLE_EVERY_S = 1.0


# ---------------------------------------------------------------------------- the protocol


@dataclass
class Widget:
    state: WidgetState  # what the frontend sends for it in every rerun of its page
    fragment: str  # the fragment it belongs to ("" = the page): a change reruns only that fragment
    query_key: str  # bind="query-params": the URL parameter the frontend updates on a change
    default: WidgetState


@dataclass
class Run:
    """One request (a rerun BackMsg) and what came back until its script run ended."""

    sent: float
    watch: Callable[[ForwardMsg], bool] | None = None
    fragment: str = ""
    first_at: float | None = None
    watched_at: float | None = None
    finished_at: float | None = None
    status: int | None = None
    messages: int = 0
    bytes: int = 0
    done: asyncio.Event = field(default_factory=asyncio.Event)


def widget_state(kind: str, proto) -> WidgetState | None:
    """The state the frontend reports for a widget element it has just drawn (its value as the server set it, else
    its default), for the widget kinds of the dashboard's pages; None for an element that is not one of them."""
    state = WidgetState(id=getattr(proto, "id", ""))
    if not state.id.startswith("$$ID-"):
        return None
    if kind in ("selectbox", "radio"):
        if proto.set_value:
            state.string_value = proto.raw_value
        elif proto.HasField("default"):
            state.string_value = proto.options[proto.default]
        else:
            return None
    elif kind == "multiselect":
        values = proto.raw_values if proto.set_value else [proto.options[i] for i in proto.default]
        state.string_array_value.data.extend(values)
    elif kind == "text_input":
        state.string_value = proto.value if proto.set_value else proto.default
    elif kind == "checkbox":
        state.bool_value = proto.value if proto.set_value else proto.default
    elif kind == "number_input":
        value = proto.value if proto.set_value else proto.default
        if proto.data_type == NumberInput.INT:
            state.int_value = int(value)
        else:
            state.double_value = value
    elif kind == "file_uploader":
        state.file_uploader_state_value.SetInParent()
    else:
        return None
    return state


def user_key(widget_id: str) -> str:
    """The key a page gave a widget: Streamlit's ids read `$$ID-<hash>-<key>`."""
    return widget_id.split("-", 2)[2]


def plotly_count(spec: str) -> int:
    """Points in the first trace of a plotly figure's JSON (plain list or plotly's base64 typed array), as the
    browser benchmark reads `_fullData[0]._length` of the drawn histogram."""
    x = json.loads(spec)["data"][0].get("x", [])
    if isinstance(x, dict):
        return len(base64.b64decode(x["bdata"])) // int(x["dtype"][-1])
    return len(x)


def shows_histogram(title: str, count: int) -> Callable[[ForwardMsg], bool]:
    """A watch: the plotly chart titled `title` holding `count` points (Sebaran: the histogram of the instansi)."""
    needle = json.dumps(title)[1:-1]

    def watch(msg: ForwardMsg) -> bool:
        if msg.WhichOneof("type") != "delta" or msg.delta.new_element.WhichOneof("type") != "plotly_chart":
            return False
        spec = msg.delta.new_element.plotly_chart.spec
        return needle in spec and plotly_count(spec) == count

    return watch


def shows_metric(label: str, value: str) -> Callable[[ForwardMsg], bool]:
    """A watch: the metric `label` showing `value` (Asistensi: "Di bawah predikat Baik" of the city chosen)."""

    def watch(msg: ForwardMsg) -> bool:
        if msg.WhichOneof("type") != "delta" or msg.delta.new_element.WhichOneof("type") != "metric":
            return False
        metric = msg.delta.new_element.metric
        return metric.label == label and metric.body == value

    return watch


class Client:
    """One Streamlit session over one websocket, keeping what the frontend keeps between requests: the page, its
    query string, the states of the widgets drawn, the pages of the navigation and the ForwardMsg cache. `receive`
    is the whole protocol state machine (no I/O); `request` sends a rerun and waits for its run to end."""

    def __init__(self, base_url: str):
        self.base = base_url
        self.path = ""  # the page's url_pathname, as in the browser's address bar
        self.query = ""
        self.page_hash = ""
        self.pages: dict[str, str] = {}  # url_pathname -> page_script_hash, from the navigation message
        self.widgets: dict[str, Widget] = {}
        self.headings: list[str] = []
        self.exceptions: list[str] = []
        # hash -> [encoded message, the run count when last used, its fragment]: the frontend's ForwardMsg cache
        self.cache: dict[str, list] = {}
        self.max_age = 2
        self.run_count = 0
        self.run: Run | None = None
        self.closed: str | None = None
        self.ws = None
        self._seen: set[str] = set()
        self._reader: asyncio.Task | None = None

    # -- receiving

    def receive(self, data: bytes, now: float) -> ForwardMsg:
        """Handle one ForwardMsg as the frontend does; a reference to a cached message is resolved and returned."""
        msg = ForwardMsg.FromString(data)
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            entry = self.cache[msg.ref_hash]  # a KeyError is the frontend's "Cached ForwardMsg MISS" too
            entry[1] = self.run_count
            msg = ForwardMsg.FromString(entry[0])
            kind = msg.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash and msg.hash not in self.cache:
            self.cache[msg.hash] = [data, self.run_count, msg.delta.fragment_id]
        run = self.run
        if run is not None:
            run.messages += 1
            run.bytes += len(data)
            run.first_at = run.first_at or now
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash
            self.max_age = msg.new_session.config.max_cached_message_age
            if run is None or not run.fragment:
                self._seen, self.headings = set(), []
            else:  # a fragment run draws that fragment's widgets again; the page's others stay
                self._seen -= {i for i, w in self.widgets.items() if w.fragment == run.fragment}
        elif kind == "navigation":  # under st.navigation the page run is named here, not in new_session
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta":
            self._delta(msg)
        elif kind == "script_finished":
            self._finished(msg.script_finished, now)
        if run is not None and run.watch is not None and run.watched_at is None and run.watch(msg):
            run.watched_at = now
        return msg

    def _delta(self, msg: ForwardMsg) -> None:
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind is None:
            return
        proto = getattr(element, kind)
        if kind == "exception":
            self.exceptions.append(proto.message)
        elif kind == "heading":
            self.headings.append(proto.body)
        state = widget_state(kind, proto)
        if state is None:
            return
        self._seen.add(state.id)
        # The frontend keeps a value the user chose across reruns, unless the server sets one (set_value).
        if state.id not in self.widgets or getattr(proto, "set_value", False):
            query_key = getattr(proto, "query_param_key", "")
            self.widgets[state.id] = Widget(
                state, msg.delta.fragment_id, query_key, WidgetState.FromString(state.SerializeToString())
            )

    def _finished(self, status: int, now: float) -> None:
        fragment = self.run.fragment if self.run is not None else ""
        # Widgets no longer drawn are forgotten when a run ends (the frontend's removeInactiveWidgetState).
        if status == SUCCESS:
            self.widgets = {i: w for i, w in self.widgets.items() if i in self._seen}
        elif status == FRAGMENT_SUCCESS:
            self.widgets = {i: w for i, w in self.widgets.items() if i in self._seen or w.fragment != fragment}
        if status != EARLY:  # the frontend ages its cache once per finished run (of the fragment, for a fragment run)
            self.run_count += 1
            for digest, (_, used, frag) in list(self.cache.items()):
                if (not fragment or frag == fragment) and self.run_count - used > self.max_age:
                    del self.cache[digest]
        if status != EARLY and self.run is not None:
            self.run.status, self.run.finished_at = status, now
            self.run.done.set()

    # -- sending

    def rerun(self, *, widgets: bool = True, page_hash: str | None = None, page_name: str = "", fragment: str = ""):
        """The rerun_script BackMsg the frontend would send now (ClientState as in app's sendRerunBackMsg)."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.widget_states.SetInParent()
        if widgets:
            state.widget_states.widgets.extend(w.state for w in self.widgets.values())
        state.page_script_hash = self.page_hash if page_hash is None else page_hash
        state.page_name = page_name
        state.fragment_id = fragment
        state.cached_message_hashes.extend(self.cache)
        for name, value in CONTEXT.items():
            setattr(state.context_info, name, value)
        state.context_info.url = f"{self.base}/{self.path}"
        return msg

    def widget(self, key: str) -> Widget:
        return next(w for w in self.widgets.values() if user_key(w.state.id) == key)

    def set_text(self, key: str) -> Callable[[str], Widget]:
        """A setter of a text or selectbox widget's value, updating the URL as the frontend does for a bound one
        (the parameter removed at the widget's default)."""

        def set_value(value: str) -> Widget:
            widget = self.widget(key)
            widget.state.string_value = value
            if widget.query_key:
                params = [(k, v) for k, v in parse_qsl(self.query, keep_blank_values=True) if k != widget.query_key]
                if value != widget.default.string_value:
                    params.append((widget.query_key, value))
                self.query = urlencode(params)
            return widget

        return set_value

    # -- I/O

    async def connect(self, timeout_s: float) -> None:
        from websockets.asyncio.client import connect

        url = "ws" + self.base.removeprefix("http") + "/_stcore/stream"
        self.ws = await connect(
            url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            origin=self.base,  # type: ignore[arg-type]
            user_agent_header=USER_AGENT,
            ping_interval=None,  # a browser sends no websocket pings
            max_size=None,
            open_timeout=timeout_s,
        )
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for data in self.ws:  # type: ignore[union-attr]
                self.receive(data if isinstance(data, bytes) else data.encode(), time.perf_counter())
        except Exception as exc:  # noqa: BLE001 - a closed or broken connection ends the session, reported
            self.closed = repr(exc)
        else:
            self.closed = "closed by the server"
        finally:
            if self.run is not None:
                self.run.done.set()

    async def request(self, msg: BackMsg, timeout_s: float, watch=None, fragment: str = "") -> Run:
        """Send `msg` and wait until its script run has finished (or the connection closed, or `timeout_s`)."""
        run = self.run = Run(time.perf_counter(), watch, fragment)
        await self.ws.send(msg.SerializeToString())  # type: ignore[union-attr]
        await asyncio.wait_for(run.done.wait(), timeout_s)
        return run

    async def open(self, path: str, query: str, timeout_s: float) -> Run:
        """The first request of a page loaded at /<path>?<query>: no widgets yet, the page by its name."""
        self.path, self.query = path, query
        return await self.request(self.rerun(widgets=False, page_hash="", page_name=path), timeout_s)

    async def visit(self, path: str, timeout_s: float) -> Run:
        """A click on the sidebar's link to /<path>: the page by its hash, no widget states."""
        self.path = path
        return await self.request(self.rerun(widgets=False, page_hash=self.pages[path]), timeout_s)

    async def change(self, setter: Callable[[str], Widget], value: str, watch, timeout_s: float) -> Run:
        """A widget changed to `value`: a rerun of the page, or of the widget's fragment."""
        widget = setter(value)
        msg = self.rerun(fragment=widget.fragment)
        return await self.request(msg, timeout_s, watch=watch, fragment=widget.fragment)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await self._reader


# ---------------------------------------------------------------------------- the user


class User:
    """The browser benchmark's user (bb.Session) over a Client: opens its scenario page, changes the filter with a
    think time drawn from a generator seeded with its number, then visits pages. Failures are kept in `errors`."""

    def __init__(self, number: int, kind: str, steps: list, url: str):
        self.number, self.kind, self.steps = number, kind, steps
        self.scenario = bb.SCENARIOS[kind]
        self.client = Client(url)
        self.rng = random.Random(number)
        self.next_step = 0
        self.changes: dict[str, list[dict]] = {}
        self.opened_ms: float | None = None
        self.visits: list[dict] = []
        self.errors: list[dict] = []

    def error(self, what: str, detail: str = "") -> None:
        self.errors.append({"session": self.number, "kind": self.kind, "what": what, "detail": detail[:300]})

    def _failure(self, run: Run | None) -> str | None:
        """What went wrong with a finished request, if anything."""
        if self.client.closed:
            return "closed"
        if self.client.exceptions:
            return "exception"
        if run is None or run.finished_at is None:
            return "timeout"
        return None

    async def open(self) -> bool:
        try:
            await self.client.connect(bb.OPEN_TIMEOUT_MS / 1000)
            query = f"tahun={self.scenario['year']}"
            run = await self.client.open(self.kind, query, bb.OPEN_TIMEOUT_MS / 1000)
        except Exception as exc:  # noqa: BLE001 - any failure to open is an error of the run, counted
            self.error("timeout" if isinstance(exc, TimeoutError) else "open", repr(exc))
            return False
        if failure := self._failure(run):
            self.error(failure, "; ".join(self.client.exceptions) or str(self.client.closed))
            return False
        if self.scenario["h1"] not in self.client.headings:
            self.error("deep link", f"/{self.kind} showed {self.client.headings[:3]}")
            return False
        self.opened_ms = 1000 * (run.finished_at - run.sent)  # type: ignore[operator]
        return True

    async def change(self, phase: str, think_s: tuple[float, float], until: float) -> None:
        """Change the filter until `until` (time.monotonic), thinking before each change, the first included."""
        client, changes = self.client, self.changes.setdefault(phase, [])
        setter = client.set_text("cari" if self.kind == "sebaran" else "jalur_kota")
        while time.monotonic() < until:
            if think_s[1] > 0:
                await asyncio.sleep(min(self.rng.uniform(*think_s), max(0.0, until - time.monotonic())))
                if time.monotonic() >= until:
                    break
            value, expected = self.steps[self.next_step % len(self.steps)]
            self.next_step += 1
            if self.kind == "sebaran":
                watch = shows_histogram(self.scenario["watched"], expected)
            else:
                watch = shows_metric(bb.METRIC, expected)
            run = None
            try:
                run = await client.change(setter, value, watch, bb.CHANGE_TIMEOUT_MS / 1000)
            except Exception as exc:  # noqa: BLE001 - a timeout or a closed connection: counted, go on
                self.error("timeout" if isinstance(exc, TimeoutError) else "change", repr(exc))
            if failure := self._failure(run):
                self.error(failure, "; ".join(client.exceptions) or str(client.closed))
                break  # a broken session or a traceback: stop this user rather than count it again and again
            if run is None:
                continue
            if run.watched_at is None:
                self.error("state", f"{value!r}: the run ended without showing {expected!r}")
                continue
            changes.append(
                {
                    "ms": 1000 * (run.watched_at - run.sent),
                    "finish_ms": 1000 * (run.finished_at - run.sent),  # type: ignore[operator]
                    "first_ms": 1000 * (run.first_at - run.sent),  # type: ignore[operator]
                    "messages": run.messages,
                    "bytes": run.bytes,
                    "step": value,
                }
            )

    async def visit_pages(self, pages: list[str], think_s: tuple[float, float]) -> None:
        """Every page through the sidebar, thinking before each (the same session)."""
        for path in pages:
            if think_s[1] > 0:
                await asyncio.sleep(self.rng.uniform(*think_s))
            run = None
            try:
                run = await self.client.visit(path, bb.OPEN_TIMEOUT_MS / 1000)
            except Exception as exc:  # noqa: BLE001 - counted as an error of the run
                self.error("timeout" if isinstance(exc, TimeoutError) else "visit", f"/{path}: {exc!r}")
            if failure := self._failure(run):
                self.error(failure, f"/{path}: " + ("; ".join(self.client.exceptions) or str(self.client.closed)))
                return
            if run is not None:
                took = 1000 * (run.finished_at - run.sent)  # type: ignore[operator]
                self.visits.append({"page": "/" + path, "ms": took})


# ---------------------------------------------------------------------------- the measurements


def knee(steps: list[dict]) -> int:
    """The largest number of sessions with p95 under the goal and no error (0 when no step passed)."""
    return max((s["sessions"] for s in steps if passed(s)), default=0)


def passed(step: dict) -> bool:
    return step["errors"] == 0 and step["changes"] > 0 and step["p95_ms"] < GOAL_P95_MS


def next_count(counts: list[int], done: list[dict], max_sessions: int) -> int | None:
    """The next step of the ramp: the listed counts in order, then doubling while every step passed, until the
    first step that fails (the knee is then known) or `max_sessions`."""
    if done and not passed(done[-1]):
        return None
    if len(done) < len(counts):
        return counts[len(done)]
    if not done:  # no steps asked for: no ramp (the idle and browser checks alone)
        return None
    doubled = 2 * done[-1]["sessions"]
    return doubled if doubled <= max_sessions else None


def latencies(values: list[float]) -> dict:
    nan = float("nan")
    return {
        "p50_ms": percentile(values, 50) if values else nan,
        "p95_ms": percentile(values, 95) if values else nan,
        "max_ms": max(values, default=nan),
    }


def _users(count: int, url: str, steps: dict, first: int = 0) -> list[User]:
    """Even numbers on Sebaran, odd on Asistensi, as in the browser load benchmark."""
    kinds = ["sebaran" if i % 2 == 0 else "asistensi" for i in range(first, first + count)]
    return [User(i, kind, steps[kind], url) for i, kind in enumerate(kinds, start=first)]


async def _open_all(users: list[User]) -> list[User]:
    gate = asyncio.Semaphore(OPEN_CONCURRENCY)

    async def one(user: User) -> bool:
        async with gate:
            return await user.open()

    opened = await asyncio.gather(*(one(u) for u in users))
    return [u for u, ok in zip(users, opened, strict=True) if ok]


async def _close_all(users: list[User]) -> None:
    await asyncio.gather(*(u.client.close() for u in users), return_exceptions=True)


async def _step(url: str, pid: int, count: int, duration_s: float, think: tuple, pages: list[str], steps: dict):
    """One step of the ramp: `count` users open their page, change filters for `duration_s`, visit `pages`."""
    load_start = os.getloadavg()[0]
    users = _users(count, url, steps)
    with Sampler(lambda: tree_rss(pid)["total_mb"], SAMPLE_EVERY_S) as rss:
        start = time.monotonic()
        active = await _open_all(users)
        open_s = time.monotonic() - start
        start, before = time.monotonic(), cpu_snapshot(pid)
        await asyncio.gather(*(u.change("think", think, until=start + duration_s) for u in active))
        cpu = cpu_split(before, cpu_snapshot(pid))
        start = time.monotonic()
        await asyncio.gather(*(u.visit_pages(pages, think) for u in active))
        visit_s = time.monotonic() - start
        rss_end = tree_rss(pid)["total_mb"]
    await _close_all(users)
    changes = [c for u in users for c in u.changes.get("think", [])]
    errors = [e for u in users for e in u.errors]
    visits = [v["ms"] for u in users for v in u.visits]
    return {
        "sessions": count,
        "opened": len(active),
        "changes": len(changes),
        **latencies([c["ms"] for c in changes]),
        "finish": latencies([c["finish_ms"] for c in changes]),
        "open": {**latencies([u.opened_ms for u in users if u.opened_ms is not None]), "wall_s": open_s},
        "visits": {**latencies(visits), "count": len(visits), "wall_s": visit_s},
        "errors": len(errors),
        "error_counts": dict(Counter(e["what"] for e in errors)),
        "error_samples": errors[:10],
        "cpu": cpu,
        "server_cpu_per_change_s": cpu["server_s"] / len(changes) if changes else float("nan"),
        "rss_peak_mb": max(rss.samples, default=rss_end),
        "rss_end_mb": rss_end,
        "loadavg_1m": [load_start, os.getloadavg()[0]],
    }


async def _idle(url: str, pid: int, count: int, steps: dict) -> dict:
    """RSS growth per idle session: `count` sessions open on their page and stay, RSS before and after / count."""
    await asyncio.sleep(2.0)
    before = tree_rss(pid)["total_mb"]
    users = _users(count, url, steps, first=10_000)
    active = await _open_all(users)
    await asyncio.sleep(5.0)  # the last runs' messages sent, nothing pending
    after = tree_rss(pid)["total_mb"]
    await _close_all(users)
    await asyncio.sleep(2.0)
    closed = tree_rss(pid)["total_mb"]
    return {
        "sessions": count,
        "opened": len(active),
        "rss_before_mb": before,
        "rss_open_mb": after,
        "rss_closed_mb": closed,
        "per_session_mb": (after - before) / max(1, len(active)),
        "errors": sum(len(u.errors) for u in users),
        "loadavg_1m": os.getloadavg()[0],
    }


async def _compare(url: str, pid: int, count: int, duration_s: float, think: tuple, steps: dict) -> dict:
    """The browser's users (bb.Session) and this module's users, `count` each, the same seeds and steps, one phase
    after the other against the same server; what each measured."""
    out = {}
    async with bb.chromium() as browser:
        browsers = [bb.Session(i, "sebaran" if i % 2 == 0 else "asistensi", None, url) for i in range(count)]
        for s in browsers:
            s.steps = steps[s.kind]
        opened = await asyncio.gather(*(s.open(browser) for s in browsers))
        active = [s for s, ok in zip(browsers, opened, strict=True) if ok]
        start, before = time.monotonic(), cpu_snapshot(pid)
        await asyncio.gather(*(s.change("think", think, until=start + duration_s) for s in active))
        cpu = cpu_split(before, cpu_snapshot(pid))
        for s in browsers:
            if s.context is not None:
                await s.context.close()
        marks = [m for s in browsers for m in s.changes.get("think", [])]
        to_msg = [m["fig_recv"] - m["send"] for m in marks if m.get("fig_recv") is not None and m.get("send")]
        out["browser"] = {
            "changes": len(marks),
            "end_to_end": latencies([m["ms"] for m in marks]),
            "send_to_watched": latencies(to_msg),
            "errors": sum(len(s.errors) for s in browsers),
            "cpu": cpu,
            "loadavg_1m": os.getloadavg()[0],
        }
    users = _users(count, url, steps)
    active_users = await _open_all(users)
    start, before = time.monotonic(), cpu_snapshot(pid)
    await asyncio.gather(*(u.change("think", think, until=start + duration_s) for u in active_users))
    cpu = cpu_split(before, cpu_snapshot(pid))
    await _close_all(users)
    changes = [c for u in users for c in u.changes.get("think", [])]
    out["protocol"] = {
        "changes": len(changes),
        "send_to_watched": latencies([c["ms"] for c in changes]),
        "send_to_finished": latencies([c["finish_ms"] for c in changes]),
        "errors": sum(len(u.errors) for u in users),
        "cpu": cpu,
        "loadavg_1m": os.getloadavg()[0],
    }
    return out


async def _drive(url, pid, counts, max_sessions, duration_s, think, pages, idle_sessions, compare, steps, replicas):
    # Warm-up, untimed: users of both scenario pages load the store and import the pages; behind nginx eight per
    # replica, as new sessions land on a replica by the hash of their cookie (none here: a random one).
    warm = _users(2 if replicas == 1 else 8 * replicas, url, steps, first=-1000)
    await _open_all(warm)
    await _close_all(warm)
    out: dict = {"warm_up_errors": [e for u in warm for e in u.errors]}
    if idle_sessions:
        out["idle"] = await _idle(url, pid, idle_sessions, steps)
    if compare[0]:
        out["compare"] = await _compare(url, pid, compare[0], compare[1], think, steps)
    done: list[dict] = []
    while (count := next_count(counts, done, max_sessions)) is not None:
        done.append(await _step(url, pid, count, duration_s, think, pages, steps))
        await asyncio.sleep(2.0)
    out["steps"] = done
    return out


def run(
    steps: list[int] | tuple[int, ...] = (10, 25, 50, 100, 200),
    duration_s: float = 60.0,
    think_s: list[float] | tuple[float, float] = (2.0, 5.0),
    max_sessions: int = 800,
    idle_sessions: int = 50,
    compare_sessions: int = 10,
    compare_s: float = 60.0,
    pages: list[str] = PAGES,
    replicas: int = 1,
) -> dict:
    """Start one server (or `replicas` of them behind nginx, scripts/serve_replicas.sh); RSS per idle session; the
    browser check (`compare_sessions` of each kind, 0: skip); the ramp over `steps` sessions (then doubling up to
    `max_sessions` while every step passes); the budget. Server CPU and RSS are those of the whole process tree
    (behind nginx: every replica and nginx)."""
    think = (float(think_s[0]), float(think_s[1]))
    sequences = {kind: _cyclic(sequence) for kind, sequence in bb.sequences(200).items()}
    with tempfile.TemporaryDirectory(prefix="ws_load_") as tmp:
        log = Path(tmp) / "streamlit.log"
        with streamlit_server(log) if replicas == 1 else replica_set(log, replicas) as server:
            pid = server.process.pid
            rss_start = tree_rss(pid)["total_mb"]
            driven = asyncio.run(
                _drive(
                    server.url,
                    pid,
                    list(steps),
                    max_sessions,
                    duration_s,
                    think,
                    list(pages),
                    idle_sessions,
                    (compare_sessions, compare_s),
                    sequences,
                    replicas,
                )
            )
        log_tail = log.read_text(errors="replace")[-2000:]
    result = {
        "counts": list(steps),
        "duration_s": duration_s,
        "think_s": list(think),
        "pages": ["/" + p for p in pages],
        "rss_start_mb": rss_start,
        **driven,
        "knee": knee(driven["steps"]),
        "replicas": replicas,
        "nproc": len(os.sched_getaffinity(0)),
        "server_log_tail": log_tail,
    }
    result["budgets"] = budgets(result)
    return result


def budgets(r: dict) -> list[dict]:
    low, high = r["think_s"]
    rows = "; ".join(f"{s['sessions']}: p95 {s['p95_ms']:,.0f} ms, {s['errors']} errors" for s in r["steps"])
    what = f"concurrent sessions at p95 < {GOAL_P95_MS:g} ms, 0 errors ({low:g}-{high:g} s think time)"
    if r["replicas"] == 1:
        name, goal = f"ramp, one server process (one core of script time): {what}", GOAL_SESSIONS_PER_PROCESS
    else:
        name, goal = f"ramp, {r['replicas']} replicas behind nginx on {r['nproc']} cores: {what}", GOAL_SESSIONS
    return [budget(name, r["knee"], ">=", goal, "sessions", rows)]


if __name__ == "__main__":
    cli("ramp")
