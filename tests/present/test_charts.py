"""One path for every chart: each figure a page shows is a Chart, with its data, provenance, caption and file name."""

import ast
from pathlib import Path

import pytest

from spbe.data.store import Store
from spbe.model.cohorts import assign_cities, cohort_counts, module_needs
from spbe.present import charts, maps
from spbe.present.figures import SIMULATION_NOTE, Chart
from spbe.settings import ROOT

PRESENT = Path(charts.__file__).parent


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


def page_charts(store: Store, year: int) -> dict[str, Chart]:
    """The charts the pages show for `year`, keyed by the file name their downloads carry."""
    participants = assign_cities(store.participants(year), store.host_cities())
    view = maps.map_view(store, year)
    built = [
        charts.index_histogram_chart(store, year, store.results(year)),
        charts.component_means_chart(store, year, "kelompok"),
        charts.history_chart(store, "KEMENKEU", "Kementerian Keuangan"),
        charts.component_comparison_chart(store, year, "KEMENKEU", "Kementerian Keuangan"),
        charts.cohort_counts_chart(store, year, cohort_counts(participants, store.framework(year).bands)),
        maps.choropleth_chart(view),
        maps.tile_map_chart(view),
    ]
    if year == 2018:  # indicator levels: aspects, indicators and module needs
        built += [
            charts.aspect_means_chart(store, year, "lokus"),
            charts.indicator_means_chart(store, year, "kota_penyelenggara"),
            charts.weakest_indicators_chart(store, year, 10),
            charts.module_needs_chart(store, year, module_needs(store.levels(year), participants), "modul"),
        ]
    return {chart.slug: chart for chart in built}


@pytest.mark.parametrize("year", [2018, 2024])
def test_every_chart_a_page_shows_carries_its_data_with_provenance_and_a_caption(store, year):
    shown = page_charts(store, year)
    assert {f"sebaran_indeks_{year}", f"rata_rata_domain_{year}", "riwayat_KEMENKEU"} <= set(shown)
    assert {f"domain_KEMENKEU_{year}", f"peta_provinsi_{year}", f"peta_petak_{year}"} <= set(shown)
    for chart in shown.values():
        assert {"provenance", "sumber"} <= set(chart.table.columns), chart.slug
        assert chart.table["sumber"].notna().all(), chart.slug
        assert chart.caption.endswith("."), chart.slug
        assert chart.fig.layout.title.text.replace("<br>", " ").startswith(chart.meta.title), chart.slug  # titled


def test_the_2018_page_charts_say_they_rest_on_the_simulation(store):
    shown = page_charts(store, 2018)
    assert set(shown) >= {"rata_rata_aspek_2018", "rata_rata_indikator_2018", "indikator_terlemah_2018"}
    for slug in ("sebaran_indeks_2018", "rata_rata_indikator_2018", "kebutuhan_modul_2018", "riwayat_KEMENKEU"):
        chart = shown[slug]
        assert SIMULATION_NOTE in chart.caption
        assert any("SIMULASI" in annotation.text for annotation in chart.fig.layout.annotations)


def test_captions_say_the_numbers_of_the_chart(store):
    weakest = charts.weakest_indicators_chart(store, 2018, 10)
    first = weakest.table.iloc[0]
    assert f"{first['indikator']}. {first['nama_indikator']}" in weakest.caption
    history = charts.history_chart(store, "KEMENKEU", "Kementerian Keuangan")
    assert "2024 4,74 (Memuaskan)" in history.caption


def test_no_module_of_the_present_layer_imports_the_project_inside_a_function():
    """An import inside a function hides a cycle (charts and maps once imported each other that way)."""
    for path in sorted(PRESENT.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in (node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom):
                    assert not (node.module or "").startswith("spbe"), f"{path.name}: {function.name}"
                if isinstance(node, ast.Import):
                    assert not any(alias.name.startswith("spbe") for alias in node.names), f"{path.name}"
