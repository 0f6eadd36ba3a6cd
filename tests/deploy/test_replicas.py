"""Three replicas of the dashboard behind nginx on one machine (scripts/serve_replicas.sh, deploy/), over one shared
copy of data/, driven through the proxy by Debian Chromium.

A browser stays on its replica (every request and its websocket); an import saved through one replica is in force
for the next rerun on every replica; two imports saved at once through two replicas queue on the lock in
data/imports/ and never build on the same version; killing a replica loses only its sessions, whose browsers
reconnect to another replica where the page works. Each replica names itself in the X-SPBE-Replika header nginx
adds (its loopback address), also on a websocket's handshake, which the browser reports through CDP.

Without nginx these tests skip locally; under CI=true they fail (`.ci/run` installs nginx with apt).
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from spbe import auth
from spbe.data.versions import VersionStore
from spbe.settings import ADMIN_PASSWORD_HASH, DATA
from tests.conftest import CHECKOUT_DATA
from tests.server import replica_set

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

REPLICAS = 3
WAIT_MS = 60_000
ADMIN_PASSWORD = "sandi-admin-untuk-uji-replika"
HEADER = "x-spbe-replika"
HEADER_2021 = "tahun;instansi;Kebijakan;Tata Kelola;Manajemen;Layanan;Nilai Indeks;Predikat\n"
IMPORT_2021 = HEADER_2021 + (
    "2021;Kota Surabaya;4,00;3,80;3,00;4,20;3,88;Sangat Baik\n"
    "2021;Kabupaten Banyuwangi;3,80;3,50;3,00;3,60;3,50;Sangat Baik\n"
    "2021;Kota Bandung;2,50;2,00;1,50;2,50;2,21;Cukup\n"
)
# Two files of one year with different instansi: a second import built on the version before the first (an
# interleaving) would drop the first file's rows from the year.
IMPORT_2022_A = HEADER_2021.replace("2021", "2022") + (
    "2022;Kota Surabaya;4,00;3,80;3,00;4,20;3,88;Sangat Baik\n"
    "2022;Kabupaten Banyuwangi;3,80;3,50;3,00;3,60;3,50;Sangat Baik\n"
)
IMPORT_2022_B = HEADER_2021.replace("2021", "2022") + "2022;Kota Bandung;2,50;2,00;1,50;2,50;2,21;Cukup\n"


@dataclass
class Deployment:
    url: str
    ports: list[int]
    data: Path
    run_dir: Path
    process: subprocess.Popen

    def get(self, path: str, cookie: str | None = None) -> tuple[int, str, str | None]:
        """(replica port, its address as nginx named it, the session cookie nginx set if any) of one request."""
        request = urllib.request.Request(self.url + path, headers={"Cookie": f"spbe_sesi={cookie}"} if cookie else {})
        with urllib.request.urlopen(request, timeout=20) as response:
            served_by = response.headers[HEADER]
            set_cookie = re.search(r"spbe_sesi=(\w+)", " ".join(response.headers.get_all("Set-Cookie") or []))
        return replica_port(served_by), served_by, set_cookie and set_cookie.group(1)

    def cookie_per_replica(self) -> dict[int, str]:
        """A session cookie for each replica, as nginx gives them to new browsers (spread by their hash)."""
        cookies: dict[int, str] = {}
        for _ in range(200):
            port, _, cookie = self.get("/")
            assert cookie, "nginx sets the session cookie on a browser's first request"
            cookies.setdefault(port, cookie)
            if len(cookies) == len(self.ports):
                return cookies
        raise AssertionError(f"200 new browsers reached only the replicas {sorted(cookies)} of {self.ports}")

    def pid(self, port: int) -> int:
        return int((self.run_dir / f"replika-{port}.pid").read_text())


def replica_port(served_by: str) -> int:
    """The port of the replica that answered: the last address nginx tried (a failover lists them all)."""
    return int(served_by.split(",")[-1].strip().rsplit(":", 1)[1])


@contextmanager
def deployment_over(tmp: Path) -> Iterator[Deployment]:
    """`scripts/serve_replicas.sh` with three replicas over a private copy of data/ and an admin password, until
    the proxy answers; stopped with SIGTERM (as Ctrl-C stops it) afterwards."""
    data = tmp / "data"
    shutil.copytree(CHECKOUT_DATA, data, ignore=shutil.ignore_patterns("imports", "*.prev"))
    env = {
        DATA.environment: str(data),
        ADMIN_PASSWORD_HASH.environment: auth.hash_password(ADMIN_PASSWORD, iterations=1_000),
    }
    with replica_set(tmp / "serve_replicas.log", REPLICAS, env) as served:
        yield Deployment(served.url, list(served.ports), data, served.run_dir, served.process)


@pytest.fixture(scope="module")
def deployment(nginx, chromium, tmp_path_factory) -> Iterator[Deployment]:
    with deployment_over(tmp_path_factory.mktemp("replicas")) as running:
        yield running


@dataclass
class Session:
    """One browser (its own cookies) on the dashboard through the proxy, with the replica of each websocket it
    opened, from the handshake's response headers as Chromium received them."""

    page: Page
    handshakes: list[int] = field(default_factory=list)

    def open(self, url: str, shown: str) -> None:
        """Load the page and wait until its script has run: `shown` is on the page, nothing is spinning."""
        self.page.goto(url)
        self.wait_for(shown)

    def wait_for(self, shown: str) -> None:
        self.page.get_by_text(shown).first.wait_for(timeout=WAIT_MS)
        self.page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=WAIT_MS)

    def choose_year(self, year: int, shown: str) -> None:
        """A rerun of this session: pick the year in the sidebar's year box, wait for `shown`."""
        box = self.page.locator("[data-testid=stSelectbox]").filter(has_text="Tahun evaluasi").locator("input")
        box.fill(str(year))
        box.press("Enter")
        self.wait_for(shown)

    def text(self) -> str:
        return self.page.inner_text("body")

    def import_file(self, path: Path) -> None:
        """Log in on the Impor page and upload `path` up to its preview, one click from saving."""
        self.page.get_by_label("Sandi admin").fill(ADMIN_PASSWORD)
        self.page.get_by_role("button", name="Masuk").click()
        uploader = self.page.locator("[data-testid=stFileUploader] input[type=file]")
        uploader.wait_for(state="attached", timeout=WAIT_MS)
        uploader.set_input_files(str(path))
        self.wait_for("Simpan sebagai versi baru")


@pytest.fixture
def session(browser):
    """New browsers, each with the session cookie given (or none: nginx sets one on its first request)."""
    contexts = []

    def new(deployment: Deployment, cookie: str | None) -> Session:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
        contexts.append(context)
        if cookie:
            context.add_cookies([{"name": "spbe_sesi", "value": cookie, "url": deployment.url}])
        page = context.new_page()
        opened = Session(page)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")

        def handshake(event: dict) -> None:
            headers = {name.lower(): value for name, value in event["response"]["headers"].items()}
            opened.handshakes.append(replica_port(headers[HEADER]))

        cdp.on("Network.webSocketHandshakeResponseReceived", handshake)
        return opened

    yield new
    for context in contexts:
        context.close()


def test_every_request_of_a_browser_and_its_websocket_reach_one_replica(deployment, session):
    # new browsers are spread over every replica, and each stays on its own with the cookie nginx gave it
    cookies = deployment.cookie_per_replica()
    assert sorted(cookies) == sorted(deployment.ports)
    for port, cookie in cookies.items():
        assert {deployment.get("/_stcore/health", cookie)[0] for _ in range(5)} == {port}

    # a browser that comes without a cookie: its first page, the page's files and its websocket on one replica
    fresh = session(deployment, None)
    fresh.open(deployment.url + "/?tahun=2024", "Sebaran predikat 2024")
    cookie = next(c["value"] for c in fresh.page.context.cookies() if c["name"] == "spbe_sesi")
    home = deployment.get("/_stcore/health", cookie)[0]
    assert fresh.handshakes == [home]
    fresh.choose_year(2023, "Sebaran predikat 2023")  # a rerun goes over the same websocket
    assert fresh.handshakes == [home]
    fresh.page.context.close()  # the log has a websocket's line once it is closed
    log = deployment.run_dir / "nginx-access.log"
    deadline = time.monotonic() + 10
    while '"GET /_stcore/stream HTTP/1.1" 101' not in "".join(lines := _lines_of(log, cookie)):
        assert time.monotonic() < deadline, "the websocket never reached the log"
        time.sleep(0.2)
    assert len(lines) > 10  # the page, its scripts and styles, the health and host-config calls, the websocket
    assert {line.rsplit("replika=", 1)[1].split()[0] for line in lines} == {f"127.0.0.1:{home}"}

    # a browser sent to each replica by its cookie opens its websocket there
    for port, cookie in cookies.items():
        sent = session(deployment, cookie)
        sent.open(deployment.url + "/?tahun=2024", "Sebaran predikat 2024")
        assert sent.handshakes == [port]


def _lines_of(log: Path, cookie: str) -> list[str]:
    return [line for line in log.read_text().splitlines() if f"sesi={cookie} " in line]


def test_an_import_through_one_replica_is_in_force_for_the_next_rerun_on_every_replica(deployment, session, tmp_path):
    cookies = deployment.cookie_per_replica()
    viewers = {port: session(deployment, cookie) for port, cookie in cookies.items()}
    for viewer in viewers.values():  # every replica has read (and cached) the data as it stands
        viewer.open(deployment.url + "/?tahun=2021", "hanya angka nasional yang dipublikasikan")
        viewer.choose_year(2024, "Sebaran predikat 2024")

    admin = session(deployment, cookies[deployment.ports[0]])
    admin.open(deployment.url + "/impor", "Sandi admin")
    source = tmp_path / "hasil_2021.csv"
    source.write_text(IMPORT_2021)
    admin.import_file(source)
    admin.page.get_by_role("button", name="Simpan sebagai versi baru").click()
    admin.page.get_by_text(re.compile(r"Disimpan sebagai versi v\d{4}")).wait_for(timeout=WAIT_MS)

    for port, viewer in viewers.items():  # the same sessions, their next rerun, on every replica
        viewer.choose_year(2021, "3 instansi")
        assert "Data impor" in viewer.text(), f"replica {port} shows the year without the import"
        assert viewer.handshakes == [port]


def test_two_imports_saved_at_once_through_two_replicas_queue_on_the_lock(deployment, session, tmp_path):
    cookies = deployment.cookie_per_replica()
    first, second = (session(deployment, cookies[port]) for port in deployment.ports[:2])
    for admin, name, content in ((first, "a", IMPORT_2022_A), (second, "b", IMPORT_2022_B)):
        admin.open(deployment.url + "/impor", "Sandi admin")
        source = tmp_path / f"hasil_2022_{name}.csv"
        source.write_text(content)
        admin.import_file(source)
    store = VersionStore(deployment.data)
    before, recorded = store.current(), len(store.manifest())

    # A third writer (this test) holds the lock while both replicas are asked to save: neither may write
    # anything until it lets go, then each saves in turn, the second on top of the first.
    store.root.mkdir(parents=True, exist_ok=True)
    lock = os.open(store.root / ".lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for admin in (first, second):
            admin.page.get_by_role("button", name="Simpan sebagai versi baru").click()
        time.sleep(3)
        for admin in (first, second):  # both saves have begun and still wait on the lock
            assert admin.page.locator("[data-testid=stStatusWidget]").is_visible()
        assert store.current() == before and len(store.manifest()) == recorded
        assert not list(store.folder.glob(".tmp-*"))  # neither has begun building its version
    finally:
        os.close(lock)
    saved = re.compile(r"Disimpan sebagai versi (v\d{4})")
    for admin in (first, second):
        admin.page.get_by_text(saved).wait_for(timeout=WAIT_MS)

    manifest = store.manifest()[recorded:]
    assert [entry["tahun"] for entry in manifest] == [2022, 2022]
    assert manifest[0]["sebelumnya"] == before
    assert manifest[1]["sebelumnya"] == manifest[0]["versi"]  # built on the first, never beside it
    assert store.current() == manifest[1]["versi"]
    results, _ = store.year_frames(2022)
    assert len(results) == 3  # both files' instansi: neither import lost the other's rows


def test_killing_a_replica_loses_only_its_sessions_which_reconnect_to_another(nginx, chromium, session, tmp_path):
    with deployment_over(tmp_path) as deployment:
        cookies = deployment.cookie_per_replica()
        victim, survivor = deployment.ports[:2]
        doomed, kept = session(deployment, cookies[victim]), session(deployment, cookies[survivor])
        for viewer in (doomed, kept):
            viewer.open(deployment.url + "/?tahun=2024", "Sebaran predikat 2024")

        os.kill(deployment.pid(victim), signal.SIGKILL)

        # the browser on the killed replica reconnects through nginx to a live one, where the page works
        deadline = time.monotonic() + WAIT_MS / 1000
        while len(doomed.handshakes) < 2:
            assert time.monotonic() < deadline, "the session of the killed replica never reconnected"
            doomed.page.wait_for_timeout(200)
        assert doomed.handshakes[0] == victim and doomed.handshakes[-1] in set(deployment.ports) - {victim}
        doomed.choose_year(2023, "Sebaran predikat 2023")
        assert deployment.get("/_stcore/health", cookies[victim])[0] != victim

        # the session on another replica never noticed: the same websocket, and its reruns work
        kept.choose_year(2023, "Sebaran predikat 2023")
        assert kept.handshakes == [survivor]
        assert deployment.get("/_stcore/health", cookies[survivor])[0] == survivor
