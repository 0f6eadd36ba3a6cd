"""How arrange() keeps a chart's texts whole and apart on a phone (360 px) and a desk (880 px), without a browser:
the layout decisions themselves. tests/present/test_layout.py measures the result in Chromium."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from spbe.data.store import Store
from spbe.present import charts, figures
from spbe.present.figures import ABOVE, arrange
from spbe.settings import ROOT

PHONE, DESK = 360, 880


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


def test_city_names_stand_upright_under_their_columns_on_a_phone_and_lie_flat_on_a_desk(store):
    """Never tilted by plotly onto each other and the source line: the room under the plot holds them."""
    chart = charts.cohort_chart(store, 2024)
    phone, desk = arrange(go.Figure(chart.fig), PHONE), arrange(go.Figure(chart.fig), DESK)
    assert phone.layout.xaxis.tickangle == -90 and desk.layout.xaxis.tickangle == 0
    assert list(desk.layout.xaxis.ticktext) == ["Jakarta", "Surabaya", "Medan", "Makassar", "Palembang", "Denpasar"]
    assert phone.layout.margin.b > desk.layout.margin.b  # "Palembang" upright needs more room than one line


def test_band_names_too_close_for_one_row_are_staggered_above_the_histogram(store):
    chart = charts.index_histogram_chart(store, 2024, store.results(2024))
    rises = {
        width: {
            note.text: note.yshift
            for note in arrange(go.Figure(chart.fig), width).layout.annotations
            if note.name == ABOVE
        }
        for width in (PHONE, DESK)
    }
    assert rises[PHONE]["Sangat Baik"] > rises[PHONE]["Baik"] == rises[PHONE]["Memuaskan"]  # a row higher
    assert len(set(rises[DESK].values())) == 1  # room enough: one row


def test_a_value_moves_off_a_line_that_runs_through_it_and_keeps_its_place_where_free(store):
    """A builder puts 2019's 2,18 under its point (away from the target line): it stays there where the line is
    flat enough (a desk); on a phone the line from 2018 rises steeply through that place, so it goes above. Laid
    out again, the builder's choice rules."""
    chart = charts.national_chart(store, 2024)
    builder = go.Figure(chart.fig)
    builder.data[1].textposition = ["bottom center" if v < 2.6 else "top center" for v in builder.data[1].y]
    builder.layout.meta = {key: value for key, value in builder.layout.meta.items() if key != "places"}
    desk = arrange(go.Figure(builder), DESK).data[1].textposition
    phone = arrange(go.Figure(builder), PHONE).data[1].textposition
    assert desk[1] == "bottom center" and phone[1] == "top center"
    assert arrange(arrange(go.Figure(builder), PHONE), DESK).data[1].textposition == desk


def test_long_values_beside_bars_are_wrapped_to_the_room_beside_them(store):
    chart = charts.weakest_indicators_chart(store, 2018, 10)
    phone, desk = arrange(go.Figure(chart.fig), PHONE), arrange(go.Figure(chart.fig), 1600)
    assert any("<br>" in text for text in phone.data[0].text)
    assert not any("<br>" in text for text in desk.data[0].text)
    assert [text.replace("<br>", " ") for text in phone.data[0].text] == list(desk.data[0].text)  # the same words
    assert phone.data[0].constraintext == "none"  # never shrunk and hidden by plotly


def test_values_beside_the_groups_have_a_column_of_their_own_right_of_the_plot(store):
    chart = charts.baik_share_chart(store, 2024)
    fig = arrange(go.Figure(chart.fig), PHONE)
    values = [note for note in fig.layout.annotations if note.name == figures.RIGHT]
    assert sorted(note.text for note in values) == ["72%<br>(n=485)", "84% (n=38)", "95% (n=92)"]
    assert all((note.xref, note.x, note.xanchor) == ("paper", 1, "left") for note in values)
    assert fig.layout.margin.r >= figures.text_width("(n=485)") + figures.EDGE
    assert fig.layout.xaxis.title.text == "Persen instansi dengan<br>predikat Baik ke atas"  # wrapped, not cut


@pytest.mark.parametrize("build", ["predikat", "domain_comparison"])
def test_predikat_and_domain_bars_lie_down_so_names_and_values_are_read_whole(store, build):
    if build == "predikat":
        chart = charts.predikat_chart(store, 2024)
    else:
        chart = charts.component_comparison_chart(store, 2024, "KEMENKEU", "Kementerian Keuangan")
    assert {trace.orientation for trace in chart.fig.data} == {"h"}
    assert all(trace.textposition == "outside" and trace.cliponaxis is False for trace in chart.fig.data)
