"""A real `streamlit run` server on a free loopback port, driven by Debian Chromium.

Without Chromium the browser tests skip locally with a reason; under CI=true they fail, so a
green CI always means the pages were really rendered.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from spbe import auth
from spbe.settings import ADMIN_PASSWORD_HASH, ROOT, resolve
from tests.server import streamlit_server

ARTIFACTS = ROOT / "tests" / "artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


@pytest.fixture(scope="session")
def server_url(chromium):
    with streamlit_server(ARTIFACTS / "streamlit-server.log") as server:
        yield server.url


@pytest.fixture
def fresh_server_url(chromium):
    """A server no browser has talked to yet (first-request behaviour)."""
    with streamlit_server(ARTIFACTS / "streamlit-fresh-server.log") as server:
        yield server.url


ADMIN_PASSWORD = "sandi-admin-untuk-uji-browser"


@pytest.fixture
def admin_server(chromium, tmp_path):
    """A server over a private copy of data/, with an admin password: imports change only the copy."""
    data = tmp_path / "data"
    shutil.copytree(resolve().data_dir, data, ignore=shutil.ignore_patterns("imports", "*.prev"))
    env = {ADMIN_PASSWORD_HASH.environment: auth.hash_password(ADMIN_PASSWORD, iterations=1_000)}
    with streamlit_server(ARTIFACTS / "streamlit-admin-server.log", data, env) as server:
        yield server.url, data


class RecordedPage:
    """A page that remembers every request that left the machine."""

    def __init__(self, page):
        self.page = page
        self.outside_requests: list[str] = []
        page.on("request", self._record)

    def _record(self, request) -> None:
        host = urlparse(request.url).hostname or ""
        if request.url.startswith(("http://", "https://", "ws://", "wss://")) and host not in LOCAL_HOSTS:
            self.outside_requests.append(request.url)

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector("[data-testid=stApp]")
        self.wait_idle()

    def wait_idle(self) -> None:
        """Wait until the script has finished running (no status widget spinning)."""
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=30_000)

    def show_everything(self) -> None:
        """Grow the viewport to the page's height at its width: Streamlit scrolls inside its own container
        (so full-page screenshots stop at the fold) and draws charts only once visible."""
        height = self.page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], section, div')]"
            ".map(e => e.scrollHeight))"
        )
        width = self.page.viewport_size["width"]
        self.page.set_viewport_size({"width": width, "height": min(int(height) + 40, 12_000)})
        self.wait_idle()

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.show_everything()
        self.page.wait_for_timeout(500)  # let plotly finish its resize after the viewport change
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    recorded = RecordedPage(context.new_page())
    yield recorded
    context.close()


PHONE = {"width": 390, "height": 844}  # a common phone's viewport in CSS pixels
# A phone browser's User-Agent (Chrome on Android), for a page opened as a real phone opens it
PHONE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture
def phone(browser):
    """A page at a phone's width (touch, as on a phone), which Streamlit lays out for small screens."""
    context = browser.new_context(viewport=PHONE, has_touch=True, locale="id-ID")
    recorded = RecordedPage(context.new_page())
    yield recorded
    context.close()
