"""Charts on screen are laid out for the width they are shown at: a guess from the User-Agent until the browser
has measured the page (spbe.ui.screen), then its report. The browser side is tests/browser/test_screen_width.py."""

import pytest
from streamlit.testing.v1 import AppTest

from spbe.present.figures import EDGE, SCREEN_WIDTHS
from spbe.settings import ROOT
from spbe.ui import screen
from tests.helpers import chart_figures

TIMEOUT_S = 60
ANDROID_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
WINDOWS_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)
LINUX_FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
MAC_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
    "Safari/605.1.15"
)


def laid_out_for(figure: dict) -> int:
    """The canvas width a figure was arranged for: arrange() puts the title EDGE px from the canvas' left edge."""
    return round(EDGE / figure["layout"]["title"]["x"])


@pytest.mark.parametrize("user_agent", [ANDROID_PHONE, ANDROID_TABLET, IPHONE])
def test_a_phone_or_tablet_gets_the_narrowest_layout_before_it_has_measured(user_agent):
    assert screen.guess_width(user_agent) == SCREEN_WIDTHS[0] == 360


@pytest.mark.parametrize("user_agent", [WINDOWS_CHROME, LINUX_FIREFOX, MAC_SAFARI, None, ""])
def test_a_desk_gets_the_widest_layout_that_fits_a_1400_px_desk(user_agent):
    assert screen.guess_width(user_agent) == max(SCREEN_WIDTHS)
    assert max(SCREEN_WIDTHS) <= screen.DESK_CONTENT_WIDTH  # the column measured at 1400 px, sidebar open


def open_ringkasan(**state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "ringkasan.py"), default_timeout=TIMEOUT_S)
    at.query_params["tahun"] = "2024"
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def test_a_page_mounts_the_width_probe_and_lays_charts_out_for_a_desk_until_the_browser_reports():
    at = open_ringkasan()
    assert not at.exception
    assert screen.PROBE_KEY in at.session_state  # the probe ran (AppTest does not draw it)
    assert [laid_out_for(figure) for figure in chart_figures(at)] == [max(SCREEN_WIDTHS)] * 3


def test_charts_follow_the_width_the_browser_reported():
    at = open_ringkasan(**{screen.WIDTH_KEY: 640})
    assert not at.exception
    assert [laid_out_for(figure) for figure in chart_figures(at)] == [640] * 3


def test_a_reported_width_that_is_no_bucket_is_ignored():
    at = open_ringkasan(**{screen.WIDTH_KEY: 5000})
    assert not at.exception
    assert [laid_out_for(figure) for figure in chart_figures(at)] == [max(SCREEN_WIDTHS)] * 3


def show_a_chart_and_say_whether_it_changed():
    import streamlit as st

    from spbe import ui
    from spbe.present import charts

    chart = charts.national_chart(ui.store(), 2024)
    before = chart.fig.to_json()
    ui.show_chart(chart, key="national")
    st.text(f"unchanged: {chart.fig.to_json() == before}")


def test_show_chart_lays_out_a_copy_so_a_chart_shared_between_sessions_is_never_changed():
    at = AppTest.from_function(show_a_chart_and_say_whether_it_changed, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert at.text[0].value == "unchanged: True"  # e.g. asistensi's cohort charts, a resource of every session
    assert laid_out_for(chart_figures(at)[0]) == max(SCREEN_WIDTHS)


def test_a_figure_is_laid_out_once_per_width_for_every_session(monkeypatch):
    from spbe import ui
    from spbe.data.store import Store
    from spbe.present import charts
    from spbe.settings import resolve

    calls = []
    monkeypatch.setattr(ui, "arrange", lambda fig, width: calls.append(width) or fig)
    ui._arranged.clear()
    chart = charts.national_chart(Store(resolve().data_dir), 2024)
    first = ui.arranged(chart.fig, 640)
    assert ui.arranged(chart.fig, 640) is first and calls == [640]  # another rerun or session: the same layout
    assert ui.arranged(chart.fig, 360) is not first and calls == [640, 360]  # another width: its own layout
    changed = chart.fig.update_layout(meta={**chart.fig.layout.meta, "title": "Lain"})
    ui.arranged(changed, 640)
    assert calls == [640, 360, 640]  # a figure that shows something else is laid out anew
