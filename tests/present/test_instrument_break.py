"""An instansi across the change of instrument: 2025 is the last year of the Indeks SPBE (PermenPANRB 59/2020),
2026 the first of the Indeks Pemerintah Digital (PermenPANRB 8/2026: 7 aspects, 20 indicators, Baik from 2,5,
secondary sources). Its history is two segments with their own Baik edges, never one line; its components in
2026 are the aspects; every chart of a 2026 view carries the framework's caveat."""

import re
from dataclasses import replace

import plotly.graph_objects as go
import pytest

from spbe.data.store import Store
from spbe.present import charts
from spbe.present.figures import BREAK_LABEL, arrange, index_name
from tests.frameworks import ASPECTS_2026
from tests.present.test_imported_years import RESULTS_2025, commit, copy_of_data

CAVEAT_2026 = "kerangka PermenPANRB 8/2026 bersumber sekunder; periksa dengan salinan resmi"
# Levels of the 20 indicators (framework_2026.csv weights); indices by hand:
# Surabaya: indicators 1-5 and 19-20 (weights 25 + 25) at 3, 6-18 (50) at 2: (75 + 100 + 75) / 100 = 2,50, Baik
# under the edge rule of the data (upper); Aceh Tengah 2,00 Cukup; Jawa Barat 1,00 Kurang; Banyuwangi 4,00
# Memuaskan; Kementerian Kesehatan 3,00 Baik.
LEVELS_2026 = {
    "Kota Surabaya": [3] * 5 + [2] * 13 + [3] * 2,
    "Kementerian Kesehatan": [3] * 20,
    "Kabupaten Banyuwangi": [4] * 20,
    "Kabupaten Aceh Tengah": [2] * 20,
    "Provinsi Jawa Barat": [1] * 20,
}
RESULTS_2026 = "".join(
    ";".join(map(str, row)) + "\n"
    for row in [
        ["Tahun", "Nama Instansi", *(f"I{n}" for n in range(1, 21))],
        *([2026, name, *levels] for name, levels in LEVELS_2026.items()),
    ]
)


def data_with_2025_and_2026(target):
    """A copy of data/ with the 2025 file (domain shape) and a 2026 file (20 indicators) committed."""
    data_dir = copy_of_data(target)
    commit(data_dir, RESULTS_2025, "hasil_2025.csv", 2025)
    commit(data_dir, RESULTS_2026, "hasil_2026.csv", 2026)
    return data_dir


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return Store(data_with_2025_and_2026(tmp_path_factory.mktemp("pemdi") / "data"))


@pytest.fixture(scope="module")
def surabaya(store):
    return store.instansi_list().set_index("nama").at["Kota Surabaya", "instansi_id"]


def desk(chart):
    """The chart as a desk lays it out (880 px): the years of a history side by side in one row."""
    return replace(chart, fig=arrange(go.Figure(chart.fig), 880))


def years_of(trace, figure) -> list[str]:
    """The years a trace's points stand for: the year (in bold) that heads the tick text at each point's position."""
    ticks = dict(zip(figure.layout.xaxis.tickvals, figure.layout.xaxis.ticktext, strict=True))
    return [year_of(ticks[x]) for x in trace.x]


def year_of(tick_text: str) -> str:
    """The year that heads a history tick label ("<b>2018</b><br>3,10<br>Baik...")."""
    found = re.match(r"<b>(\d{4})</b>", tick_text)
    assert found, tick_text
    return found.group(1)


def test_the_history_across_the_break_has_no_line_joining_2025_and_2026(store, surabaya):
    chart = desk(charts.history_chart(store, surabaya, "Kota Surabaya"))
    lines = [trace for trace in chart.fig.data if "lines" in trace.mode]
    assert [years_of(trace, chart.fig) for trace in lines] == [["2018", "2023", "2024", "2025"], ["2026"]]
    assert [trace.name for trace in lines] == [
        "Indeks SPBE (Baik dari 2,6)",
        "Indeks Pemerintah Digital (Baik dari 2,5)",
    ]
    assert list(lines[1].y) == [2.5]  # on the Baik edge of its own scale
    assert BREAK_LABEL in [note.text for note in chart.fig.layout.annotations]
    assert "tidak dapat dibandingkan" in chart.meta.subtitle and "tidak dapat dibandingkan" in chart.caption


def test_the_history_draws_each_instruments_baik_edge_over_its_own_years_only(store, surabaya):
    figure = desk(charts.history_chart(store, surabaya, "Kota Surabaya")).fig
    axis = figure.layout.xaxis
    ticks = {year_of(text): value for text, value in zip(axis.ticktext, axis.tickvals, strict=True)}
    baik = {shape.y0: (shape.x0, shape.x1) for shape in figure.layout.shapes if shape.y0 == shape.y1}
    assert set(baik) == {2.6, 2.5}
    assert baik[2.6][0] < ticks["2018"] and ticks["2025"] < baik[2.6][1] < ticks["2026"]
    assert ticks["2025"] < baik[2.5][0] < ticks["2026"] < baik[2.5][1]
    (change,) = [shape.x0 for shape in figure.layout.shapes if shape.x0 == shape.x1]  # the dotted line between
    assert baik[2.6][1] <= change <= baik[2.5][0]
    # A history on one instrument keeps its one line and the Baik edge named among the y ticks
    single = charts.history_chart(store, "KEMENKEU", "Kementerian Keuangan").fig  # 2018, 2023, 2024
    assert [trace.name for trace in single.data] == ["Indeks"] and "Baik 2,6" in single.layout.yaxis.ticktext
    assert single.layout.yaxis.title.text == "Indeks SPBE"


def test_the_2026_components_are_the_aspects_with_the_caveat_in_the_source(store, surabaya):
    comparison = charts.component_comparison_chart(store, 2026, surabaya, "Kota Surabaya")
    assert comparison.table["aspek"].tolist() == ASPECTS_2026
    assert comparison.slug == f"aspek_{surabaya}_2026"
    assert comparison.meta.title == "Indeks aspek 2026: Kota Surabaya"
    assert comparison.fig.layout.xaxis.title.text == "Indeks aspek"  # the bars lie down
    # Aspek Data (15): indicators 5-8, weights 5, 3, 3, 4, at 3, 2, 2, 2: (15 + 6 + 6 + 8) / 15 = 2,33
    assert comparison.table.set_index("aspek").at["Data", "Kota Surabaya"] == pytest.approx(35 / 15)
    means = charts.component_means_chart(store, 2026, "kelompok")
    assert means.slug == "rata_rata_aspek_2026" and means.meta.title.startswith("Rata-rata indeks aspek per")
    for chart in (comparison, means):
        assert CAVEAT_2026 in chart.meta.source, chart.slug
    # The history names both frameworks from secondary sources in one sentence (2018: PermenPANRB 5/2018)
    history = charts.history_chart(store, surabaya, "Kota Surabaya")
    assert history.meta.source.endswith(
        "; kerangka PermenPANRB 5/2018 dan PermenPANRB 8/2026 bersumber sekunder; periksa dengan salinan resmi"
    )


def test_the_2026_weakest_indicators_are_labelled_by_aspect_without_modules(store):
    chart = charts.weakest_indicators_chart(store, 2026, 10)
    assert all(" · Aspek " in text.replace("<br>", " ") for text in chart.fig.data[0].text)  # wrapped on a phone
    assert "modul" not in chart.table.columns and "label: aspek" in chart.meta.subtitle
    assert "aspek" in chart.caption and CAVEAT_2026 in chart.meta.source


def test_the_2026_histogram_names_its_index_and_2024_keeps_its_own(store):
    assert index_name(store.framework(2026).index_scale) == "Indeks Pemerintah Digital"
    chart = charts.index_histogram_chart(store, 2026, store.results(2026))
    assert chart.meta.title == "Sebaran Indeks Pemerintah Digital 2026"
    assert chart.fig.layout.xaxis.title.text == "Indeks Pemerintah Digital"
    official = charts.index_histogram_chart(store, 2024, store.results(2024))
    assert official.meta.title == "Sebaran Indeks SPBE 2024" and "bersumber sekunder" not in official.meta.source


def test_a_history_of_five_years_on_a_phone_writes_every_other_year_in_a_second_row(store, surabaya):
    """Five columns of about 50 px cannot hold "Memuaskan" side by side: every other year goes to a row below,
    drawn by an axis that only writes labels; on a desk the five stand in one row."""
    chart = charts.history_chart(store, surabaya, "Kota Surabaya")
    phone, desk = arrange(go.Figure(chart.fig), 360), arrange(go.Figure(chart.fig), 880)
    rows = [[year_of(text) for text in axis.ticktext] for axis in (phone.layout.xaxis, phone.layout.xaxis2)]
    assert rows == [["2018", "2024", "2026"], ["2023", "2025"]]
    assert phone.layout.xaxis2.ticklabelstandoff > 0 and phone.layout.xaxis2.range == phone.layout.xaxis.range
    assert [year_of(text) for text in desk.layout.xaxis.ticktext] == ["2018", "2023", "2024", "2025", "2026"]
    assert desk.layout.xaxis2.tickvals is None and len(desk.data) == 2  # the second row and its axis are gone
