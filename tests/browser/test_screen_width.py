"""Charts on screen are laid out for the width of the page they are shown on (spbe.ui.screen), at the cost of at
most one rerun when a page loads and one per change of width bucket, never a loop."""

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from spbe.present.figures import EDGE, SCREEN_WIDTHS
from spbe.ui.screen import PROBE_KEY
from tests.browser.conftest import PHONE, RecordedPage

pytestmark = pytest.mark.browser

PHONE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
QUIET_MS = 2_000  # a rerun loop would ask again within this time: the probe reports within 150 ms of a change


def count_runs(recorded) -> list[str]:
    """The script runs the browser asks the server for (the page's first run, then each rerun), as they happen."""
    runs: list[str] = []

    def on_frame(payload) -> None:
        if isinstance(payload, bytes) and BackMsg.FromString(payload).WhichOneof("type") == "rerun_script":
            runs.append("run")

    recorded.page.on("websocket", lambda socket: socket.on("framesent", on_frame))
    return runs


def settle(recorded, runs: list[str]) -> int:
    """Wait until the page has finished running and asks for no further run; how many runs it asked for."""
    recorded.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    while True:
        recorded.wait_idle()
        before = len(runs)
        recorded.page.wait_for_timeout(QUIET_MS)
        if len(runs) == before:
            return before
        assert len(runs) < 10, "the page keeps rerunning"


def national_chart_width(recorded) -> int:
    """The canvas width the overview's first chart (the national index) was laid out for, from the figure the
    browser draws: arrange() puts the title EDGE px from the canvas' left edge."""
    title_x = recorded.page.evaluate("() => document.querySelector('.js-plotly-plot').layout.title.x")
    return round(EDGE / title_x)


def probe_takes_no_room(recorded) -> bool:
    box = recorded.page.locator(f".st-key-{PROBE_KEY}").first
    return box.count() == 1 and box.evaluate("e => getComputedStyle(e).display === 'none'")


def test_a_desk_gets_the_widest_layout_at_once_and_a_resize_relays_it_out_once(server_url, page):
    runs = count_runs(page)
    page.open(server_url + "/?tahun=2024")
    assert settle(page, runs) == 1  # the User-Agent's guess fits a 1400 px desk: no rerun
    assert national_chart_width(page) == max(SCREEN_WIDTHS)
    assert probe_takes_no_room(page)

    page.page.set_viewport_size(PHONE)
    assert settle(page, runs) == 2  # one rerun for the change of bucket
    assert national_chart_width(page) == SCREEN_WIDTHS[0]

    page.page.set_viewport_size({"width": 1400, "height": 1000})
    assert settle(page, runs) == 3
    assert national_chart_width(page) == max(SCREEN_WIDTHS)


def test_a_narrow_window_is_measured_and_rerun_once(server_url, phone):
    runs = count_runs(phone)  # a desktop browser's User-Agent at a phone's width: the guess is a desk's
    phone.open(server_url + "/?tahun=2024")
    assert settle(phone, runs) == 2
    assert national_chart_width(phone) == SCREEN_WIDTHS[0]


@pytest.fixture
def android_phone(browser):
    """A phone's width with a phone's User-Agent, as a real phone opens the dashboard."""
    context = browser.new_context(viewport=PHONE, has_touch=True, locale="id-ID", user_agent=PHONE_USER_AGENT)
    yield RecordedPage(context.new_page())
    context.close()


def test_a_phone_gets_the_narrowest_layout_at_once(server_url, android_phone):
    runs = count_runs(android_phone)
    android_phone.open(server_url + "/?tahun=2024")
    assert settle(android_phone, runs) == 1
    assert national_chart_width(android_phone) == SCREEN_WIDTHS[0]
    assert probe_takes_no_room(android_phone)
    android_phone.screenshot("lebar_layar_390_ponsel")
