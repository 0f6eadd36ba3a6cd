"""Every chart's Indonesian download menu, and the Ekspor page's preview of what will be downloaded.

Images are made only when asked for (Kaleido takes about a second per image): these tests replace the
renderer with one that records its calls, except the last, which renders for real."""

import io
from urllib.parse import quote

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from spbe import ui
from spbe.data.store import Store
from spbe.present import charts, export
from spbe.present.export import PRESETS
from spbe.settings import ROOT

TIMEOUT_S = 60
MENU = "Unduh grafik dan data"
PRESET_LABELS = [preset.label for preset in PRESETS.values()]


@pytest.fixture
def renders(monkeypatch):
    """Every image the page asks for, as (format, preset name); each a tiny PNG."""
    made: list[tuple[str, str]] = []

    def fake_render(fig, fmt, preset):
        made.append((fmt, preset.name))
        buffer = io.BytesIO()
        Image.new("RGB", (16, 9), "white").save(buffer, "PNG")
        return buffer.getvalue()

    ui._rendered.clear()
    monkeypatch.setattr(ui, "render", fake_render)
    yield made
    ui._rendered.clear()


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=TIMEOUT_S)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def menus(at) -> list[str]:
    return [block.proto.popover.label for block in at.get("popover")]


def open_menu(at, key: str) -> AppTest:
    at.session_state[f"{key}_unduh"] = True
    return at.run()


def button_labels(at) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


ANALYSIS_PAGES = [
    ("ringkasan", {"tahun": "2024"}),
    ("sebaran", {"tahun": "2023"}),
    ("perubahan", {}),
    ("kepekaan", {"tahun": "2024"}),
    ("peta", {"tahun": "2024"}),
    ("domain", {"tahun": "2018"}),
    ("profil", {"instansi": quote("Kota Surabaya")}),
    ("asistensi", {"tahun": "2018"}),
]


@pytest.mark.parametrize(("page", "query"), ANALYSIS_PAGES, ids=[p for p, _ in ANALYSIS_PAGES])
def test_every_chart_of_an_analysis_page_has_a_closed_download_menu(renders, page, query):
    at = open_page(page, **query)
    assert not at.exception
    assert menus(at) == [MENU] * len(at.get("plotly_chart"))
    assert renders == []  # a closed menu makes nothing


def test_an_open_menu_offers_the_image_at_a_preset_the_rows_shown_and_the_full_year(renders):
    at = open_menu(open_page("ringkasan", tahun="2024"), "national")
    assert not at.exception
    assert at.radio(key="national_menu_ukuran").options == PRESET_LABELS
    assert button_labels(at) == [
        "Gambar PNG",
        "Gambar SVG (vektor)",
        "Data grafik ini (CSV)",
        "Data grafik ini (XLSX)",
        "Seluruh hasil 2024: 615 instansi (CSV)",
    ]
    assert renders == []  # each file is made only when its button is clicked


def test_a_year_with_national_figures_only_says_why_there_is_no_full_year(renders):
    at = open_menu(open_page("ringkasan", tahun="2021"), "national")
    assert not at.exception
    assert "Seluruh hasil" not in " ".join(button_labels(at))
    assert any("Hasil per instansi tahun 2021 tidak dipublikasikan" in c.value for c in at.caption)


def test_without_chromium_the_menu_says_so_and_still_offers_the_data(renders, monkeypatch):
    monkeypatch.setattr(export, "chromium_path", lambda: None)
    at = open_menu(open_page("ringkasan", tahun="2024"), "national")
    assert not at.exception
    assert any("Chromium tanpa layar" in w.value and "belum terpasang" in w.value for w in at.warning)
    assert button_labels(at) == [
        "Data grafik ini (CSV)",
        "Data grafik ini (XLSX)",
        "Seluruh hasil 2024: 615 instansi (CSV)",
    ]


def test_ekspor_previews_the_png_at_the_chosen_preset_only_when_asked(renders):
    at = open_page("ekspor", tahun="2018")
    at.radio(key="ukuran").set_value("a4").run()
    assert renders == []
    at.toggle(key="indeks_nasional_2018_pratinjau").set_value(True).run()
    assert not at.exception
    assert renders == [("png", "a4")]
    (preview,) = at.get("image")
    assert preview.proto.imgs[0].caption == (
        "Pratinjau PNG, Cetak A4 lanskap 300 dpi (3508 × 2480). Berkas PNG yang diunduh persis gambar ini. "
        "SVG dan PDF memuat gambar yang sama dalam bentuk vektor."
    )
    assert preview.proto.imgs[0].url.endswith(".png")  # the PNG itself, not a JPEG of it
    at.run()  # a rerun shows the kept image: nothing is rendered again
    assert renders == [("png", "a4")]


def test_an_image_is_made_once_per_figure_preset_and_format(monkeypatch, headless_shell):
    made = []
    monkeypatch.setattr(ui, "render", lambda fig, fmt, preset: made.append(fmt) or export.render(fig, fmt, preset))
    ui._rendered.clear()
    store = Store(ROOT / "data")
    chart = charts.national_chart(store, 2024)
    square = ui.image(chart, "png", "square")
    assert Image.open(io.BytesIO(square)).size == PRESETS["square"].pixels
    assert ui.image(charts.national_chart(store, 2024), "png", "square") == square  # the same figure: kept
    assert made == ["png"]
    assert Image.open(io.BytesIO(ui.image(chart, "png", "slide"))).size == PRESETS["slide"].pixels
    assert ui.image(chart, "svg", "slide").startswith(b"<svg")
    ui.image(charts.national_chart(store, 2023), "png", "square")  # another figure
    assert made == ["png", "png", "svg", "png"]
    ui._rendered.clear()
