"""Every chart, at every export preset, measured by Chromium itself: no text outside the canvas, no two texts on
top of each other, no text on a line of the chart, and nothing under 14 px on a projected slide.

Each chart is rendered as SVG by the export (Kaleido), then many SVGs of one year and preset are loaded in one
page of Debian Chromium (Playwright), where getBoundingClientRect measures every <text> as drawn. Tick labels are
measured like every other text (none is grouped or exempt). Without Chromium the tests skip locally and fail
under CI=true, like the export tests.
"""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import pytest

from spbe.data.store import Store
from spbe.model.cohorts import assign_cities, component_needs, module_needs
from spbe.present import change_charts, charts, maps, peer_charts, sensitivity_charts
from spbe.present.deck import picture_preset
from spbe.present.export import PRESETS, render_many, render_sized
from spbe.present.figures import SCREEN_WIDTHS, Chart, arrange
from spbe.present.presskit import kit_charts
from spbe.settings import ROOT
from tests.present.test_instrument_break import data_with_2025_and_2026

MIN_SLIDE_TEXT_PX = 14  # projected at 1600 x 900, the smallest text (the source line) must still be read
MEASURE = (Path(__file__).parent / "measure_texts.js").read_text()


@pytest.fixture(scope="module")
def browser_page(browser, headless_shell):
    """A page of the session's Chromium; the images themselves come from chromium-headless-shell (Kaleido)."""
    page = browser.new_page()
    yield page
    page.close()


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


def page_charts(store: Store, year: int) -> list[Chart]:
    """The charts the pages show for `year` beyond the press kit's (Sebaran, Domain & Indikator, Profil,
    Asistensi, Peta), each as the page builds it."""
    shown = [charts.index_histogram_chart(store, year, store.results(year))]
    shown += [charts.component_means_chart(store, year, by) for by in charts.GROUPINGS]
    if not store.levels(year).empty:
        shown += [
            charts.aspect_means_chart(store, year, "kelompok"),
            charts.indicator_means_chart(store, year, "kelompok"),
        ]
        shown.append(charts.weakest_indicators_chart(store, year, 10))
    surabaya = store.instansi_list().set_index("nama").at["Kota Surabaya", "instansi_id"]
    shown += [charts.history_chart(store, surabaya, "Kota Surabaya")]
    shown.append(charts.component_comparison_chart(store, year, surabaya, "Kota Surabaya"))
    shown.append(peer_charts.peer_strip_chart(store, year, surabaya, "Kota Surabaya"))
    compared = ["Kota Surabaya", "Kementerian Koordinator Bidang Politik, Hukum dan Keamanan", "Kabupaten Banyuwangi"]
    shown.append(peer_charts.comparison(store, year, [*compared, "Kota Bandung", "Provinsi Jawa Barat"]).chart)
    participants = assign_cities(store.participants(year), store.host_cities())
    levels = store.levels(year)
    if levels.empty:
        components = store.framework(year).components
        needs = component_needs(participants, dict(zip(components["no"], components["name"], strict=True)))
        shown.append(charts.module_needs_chart(store, year, needs.rename(columns={"komponen": "domain"}), "domain"))
    else:
        shown.append(charts.module_needs_chart(store, year, module_needs(levels, participants), "modul"))
    view = maps.map_view(store, year, "baik_ke_atas")
    shown += [maps.choropleth_chart(view), maps.tile_map_chart(view)]
    weights = sensitivity_charts.year_sensitivity(store, year, spread=0.2, draws=1_000, seed=2024)
    shown += [
        sensitivity_charts.rank_interval_chart(store, year, weights, order=order) for order in ("teratas", "terbawah")
    ]
    shown.append(sensitivity_charts.national_range_chart(store, year, weights))
    # Perubahan with the 2018 simulation (the SIMULASI mark); 2023 to 2024 is in the 2024 press kit
    shown += change_charts.change_charts(store, change_charts.comparison(store, 2018, 2023 if year == 2018 else year))
    return shown


def measure(page, svgs: dict[str, bytes], min_font: float) -> list[str]:
    """What Chromium finds wrong in the SVGs (name -> SVG): one line per problem."""
    html = "".join(f'<div class="chart" data-name="{name}">{svg.decode()}</div>' for name, svg in svgs.items())
    page.set_content(f"<html><body style='margin:0'>{html}</body></html>")
    return page.evaluate(MEASURE, min_font)


CASES = [(year, preset) for year in (2018, 2024) for preset in PRESETS]


@pytest.mark.parametrize(("year", "preset"), CASES, ids=[f"{y}-{p}" for y, p in CASES])
def test_every_press_kit_chart_keeps_its_texts_apart_and_inside_the_canvas(store, browser_page, year, preset):
    kit = kit_charts(store, year)
    assert len(kit) >= 6
    images = render_many([(chart.fig, "svg") for chart in kit], PRESETS[preset])
    svgs = {chart.slug: image for chart, image in zip(kit, images, strict=True)}
    problems = measure(browser_page, svgs, MIN_SLIDE_TEXT_PX if preset == "slide" else 0)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("year", [2018, 2024])
def test_every_chart_of_the_briefing_deck_is_laid_out_for_its_place_on_the_slide(store, browser_page, year):
    """The deck's pictures (spbe.present.deck.picture_preset: 1200 px wide, as high as the slide leaves room for)
    keep their texts apart and inside, and project no smaller than the 14 px of a 1600 px slide image shown full
    screen: 1200 px span the slide less its margins (12,53 of 13,33 in), so 11,2 px do."""
    kit = kit_charts(store, year)
    svgs = {chart.slug: render_many([(chart.fig, "svg")], picture_preset(chart))[0] for chart in kit}
    smallest = MIN_SLIDE_TEXT_PX * (1200 / PRESETS["slide"].width) * (13.333 / 12.533)
    problems = measure(browser_page, svgs, smallest)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("year", "preset"), CASES, ids=[f"{y}-{p}" for y, p in CASES])
def test_every_page_chart_keeps_its_texts_apart_and_inside_the_canvas(store, browser_page, year, preset):
    shown = page_charts(store, year)
    images = render_many([(chart.fig, "svg") for chart in shown], PRESETS[preset])
    svgs = {f"{number}_{chart.slug}": image for number, (chart, image) in enumerate(zip(shown, images, strict=True))}
    problems = measure(browser_page, svgs, MIN_SLIDE_TEXT_PX if preset == "slide" else 0)
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def store_2026(tmp_path_factory):
    """The data with a 2025 and a 2026 import (tests/present/test_instrument_break.py)."""
    return Store(data_with_2025_and_2026(tmp_path_factory.mktemp("pemdi_tata_letak") / "data"))


@pytest.mark.parametrize("canvas", [*PRESETS, *SCREEN_WIDTHS], ids=str)
def test_the_charts_of_2026_and_the_history_across_the_change_of_instrument_keep_their_texts_apart(
    store_2026, browser_page, canvas
):
    """At every export preset and every screen width (laid out as a page draws it)."""
    surabaya = store_2026.instansi_list().set_index("nama").at["Kota Surabaya", "instansi_id"]
    shown = [
        charts.history_chart(store_2026, surabaya, "Kota Surabaya"),  # 2018-2025 and 2026: two segments
        charts.component_comparison_chart(store_2026, 2026, surabaya, "Kota Surabaya"),
        charts.component_means_chart(store_2026, 2026, "kelompok"),
        charts.indicator_means_chart(store_2026, 2026, "kelompok"),
        charts.weakest_indicators_chart(store_2026, 2026, 10),
    ]
    if isinstance(canvas, str):
        images = render_many([(chart.fig, "svg") for chart in shown], PRESETS[canvas])
    else:
        figures = [arrange(go.Figure(chart.fig), canvas) for chart in shown]
        images = render_sized([(fig, "svg", canvas, fig.layout.height) for fig in figures])
    svgs = {f"{number}_{chart.slug}": image for number, (chart, image) in enumerate(zip(shown, images, strict=True))}
    problems = measure(browser_page, svgs, MIN_SLIDE_TEXT_PX if canvas == "slide" else 0)
    assert not problems, "\n".join(problems)


SCREEN_CASES = [(year, width) for year in (2018, 2024) for width in SCREEN_WIDTHS]


@pytest.mark.parametrize(("year", "width"), SCREEN_CASES, ids=[f"{y}-{w}px" for y, w in SCREEN_CASES])
def test_every_chart_on_screen_keeps_its_texts_apart_and_inside_the_canvas(store, browser_page, year, width):
    """Each page and press-kit chart as a page draws it in a column `width` px wide: laid out for that width
    (arrange), at the height that layout gives it. The in-page twin is tests/browser/test_chart_layout.py."""
    shown = page_charts(store, year) + kit_charts(store, year)
    figures = [arrange(go.Figure(chart.fig), width) for chart in shown]
    images = render_sized([(fig, "svg", width, fig.layout.height) for fig in figures])
    svgs = {f"{number}_{chart.slug}": image for number, (chart, image) in enumerate(zip(shown, images, strict=True))}
    assert all(f'width="{width}"' in image.decode()[:300] for image in images)  # the canvas a page draws on
    problems = measure(browser_page, svgs, 0)  # sizes on screen follow the reader's zoom: no minimum here
    assert not problems, "\n".join(problems)


def test_a_heatmap_too_tall_for_its_canvas_cuts_its_row_labels_and_keeps_every_name(store):
    """35 indicators on a square: one line a row, cut with "…"; the hover and the table keep the whole name."""
    chart = charts.indicator_means_chart(store, 2018, "kelompok")
    square = arrange(go.Figure(chart.fig), PRESETS["square"].width, PRESETS["square"].height)
    shown = dict(zip(square.layout.yaxis.tickvals, square.layout.yaxis.ticktext, strict=True))
    assert len(shown) == 35 and not any("<br>" in label for label in shown.values())
    whole = "1. Kebijakan Internal Tim Pengarah SPBE Instansi Pemerintah"
    assert shown[whole].endswith("…") and whole.startswith(shown[whole][:-1])
    assert whole in list(square.data[0].y) and "%{y}" in square.data[0].hovertemplate
    assert "Kebijakan Internal Tim Pengarah SPBE Instansi Pemerintah" in set(chart.table["nama_indikator"])
    screen = arrange(go.Figure(chart.fig), SCREEN_WIDTHS[-1])  # on screen the chart grows instead: nothing cut
    assert not any(label.endswith("…") for label in screen.layout.yaxis.ticktext)


def test_a_history_writes_its_values_under_the_years_where_no_line_passes(store):
    surabaya = store.instansi_list().set_index("nama").at["Kota Surabaya", "instansi_id"]
    chart = charts.history_chart(store, surabaya, "Kota Surabaya")
    assert "text" not in chart.fig.data[0].mode  # nothing written beside the points, where the line runs
    assert list(chart.fig.layout.xaxis.ticktext) == [
        "<b>2018</b><br>3,10<br>Baik<br>(simulasi)",
        "<b>2023</b><br>4,49<br>Memuaskan",
        "<b>2024</b><br>4,54<br>Memuaskan",
    ]


def test_the_measure_sees_a_cut_an_overlap_a_crossed_line_and_small_text(browser_page):
    """The check itself: each fault it must catch, drawn by hand."""
    svg = b"""<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">
      <text x="350" y="20" style="font-size:16px">selisih 0,27 di atas</text>
      <text x="10" y="60" style="font-size:16px">3,12</text><text x="14" y="62" style="font-size:16px">selisih</text>
      <path class="js-line" d="M0,100 L400,100" style="stroke:red;stroke-width:2px;fill:none"/>
      <text x="100" y="106" style="font-size:16px">2,79</text>
      <text x="10" y="180" style="font-size:11px">Sumber</text></svg>"""
    problems = measure(browser_page, {"uji": svg}, MIN_SLIDE_TEXT_PX)
    assert any("outside" in p and "selisih 0,27" in p for p in problems)
    assert any("overlap" in p and "3,12" in p for p in problems)
    assert any("on a line" in p and "2,79" in p for p in problems)
    assert any("11px" in p and "Sumber" in p for p in problems)
