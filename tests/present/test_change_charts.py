"""The change charts (spbe.present.change_charts): numbers, captions and provenance from the official 2023 and 2024
results, the SIMULASI mark on a comparison with 2018, the slope charts' labels apart at every screen width, and the
press kit that carries the change charts of official years only."""

import plotly.graph_objects as go
import pytest

from spbe.data.store import Store
from spbe.present import change_charts
from spbe.present.figures import SCREEN_WIDTHS, SIMULATION_NOTE, arrange
from spbe.present.presskit import kit_charts
from spbe.settings import ROOT

CHANGE_SLUGS = (
    "transisi_predikat",
    "alur_predikat",
    "kenaikan_terbesar",
    "penurunan_terbesar",
    "perubahan_per_kelompok",
)


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


@pytest.fixture(scope="module")
def both(store):
    return store.results(2023).merge(store.results(2024), on="instansi_id", suffixes=("_2023", "_2024"))


@pytest.fixture(scope="module")
def pair(store):
    return change_charts.comparison(store, 2023, 2024)


def test_the_matrix_writes_every_count_and_its_caption_is_the_headline(store, pair, both):
    chart = change_charts.matrix_chart(store, pair)
    heatmap = chart.fig.data[0]
    assert sum(sum(row) for row in heatmap.z) == 607
    expected = both.groupby(["predikat_2023", "predikat_2024"]).size()
    row, column = list(heatmap.y).index("Baik"), list(heatmap.x).index("Sangat Baik")
    assert heatmap.text[row][column] == str(expected["Baik", "Sangat Baik"])
    assert heatmap.text[list(heatmap.y).index("Memuaskan")][0] == "0"  # zero cells written too
    up = (both["predikat_2024"].map(RANK) > both["predikat_2023"].map(RANK)).sum()
    down = (both["predikat_2024"].map(RANK) < both["predikat_2023"].map(RANK)).sum()
    same = 607 - up - down
    assert chart.caption.startswith(
        f"Dari 607 instansi yang dievaluasi pada 2023 dan 2024: {up} naik predikat, {down} turun, {same} tetap"
    )
    assert set(chart.table["provenance"]) == {"resmi"}
    assert chart.table["sumber"].str.contains("2023").all() and chart.table["sumber"].str.contains("2024").all()


RANK = {name: number for number, name in enumerate(("Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan"))}


def test_the_slope_charts_name_the_largest_gain_and_fall(store, pair, both):
    change = both["indeks_2024"] - both["indeks_2023"]
    gains = change_charts.movers_chart(store, pair, gains=True)
    falls = change_charts.movers_chart(store, pair, gains=False)
    assert gains.table["nama"].iloc[0] == both.loc[change.idxmax(), "nama_2024"]
    assert falls.table["nama"].iloc[0] == both.loc[change.idxmin(), "nama_2024"]
    assert len(gains.fig.data) == len(falls.fig.data) == 10
    assert gains.table[["provenance", "sumber"]].notna().all().all()


@pytest.mark.parametrize("width", SCREEN_WIDTHS)
def test_the_slope_labels_keep_apart_and_beside_their_lines_at_every_screen_width(store, pair, width):
    for gains in (True, False):
        fig = arrange(go.Figure(change_charts.movers_chart(store, pair, gains=gains).fig), width)
        labels = [note for note in fig.layout.annotations if note.name == f"{change_charts.SLOPE}_kanan"]
        assert len(labels) == 10
        assert all(note.x > 1 for note in labels)  # right of the end points, never across a line
        plot_height = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
        low, high = fig.layout.yaxis.range
        spans = sorted(
            (
                (high - note.y) / (high - low) * plot_height - half,
                (high - note.y) / (high - low) * plot_height + half,
            )
            for note in labels
            for half in [(note.text.count("<br>") + 1) * 14 * 1.35 / 2]
        )
        assert all(upper[1] <= lower[0] + 0.5 for upper, lower in zip(spans, spans[1:], strict=False))
        assert spans[0][0] >= -0.5 and spans[-1][1] <= plot_height + 0.5


def test_a_comparison_with_the_2018_simulation_carries_the_mark(store):
    for chart in change_charts.change_charts(store, change_charts.comparison(store, 2018, 2024)):
        assert chart.meta.provenance.has_simulation
        assert chart.caption.endswith(SIMULATION_NOTE)
        assert any("SIMULASI" in str(note.text) for note in chart.fig.layout.annotations)


def test_the_change_map_is_centred_on_zero_and_names_the_extremes(store, pair, both):
    chart = change_charts.map_chart(store, pair)
    regional = both[both["kode_provinsi_2024"].notna()]
    means = (regional["indeks_2024"] - regional["indeks_2023"]).groupby(regional["nama_provinsi_2024"]).mean()
    bar = next(trace for trace in chart.fig.data if trace.name == "Skala warna").marker
    assert bar.cmin == -bar.cmax
    assert f"tertinggi di {means.idxmax()}" in chart.caption
    assert f"terendah di {means.idxmin()}" in chart.caption


def test_the_2024_press_kit_has_the_2023_to_2024_change_charts_and_2023_and_2018_have_none(store):
    kit_2024 = [chart.slug for chart in kit_charts(store, 2024)]
    for slug in (*CHANGE_SLUGS, "peta_perubahan"):
        assert f"{slug}_2023_2024" in kit_2024
    for year in (2023, 2018):  # 2023 pairs only with the simulated 2018: no simulated move in a press release
        assert not any(chart.slug.startswith(CHANGE_SLUGS) for chart in kit_charts(store, year))
