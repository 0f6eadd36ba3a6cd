"""Press-ready files made by Kaleido in Debian Chromium, checked as files.

Without Chromium these tests skip locally and fail under CI=true, like the browser tests.
"""

import io
import re
import threading
import zipfile

import pytest
from PIL import Image

from spbe import cli
from spbe.data.store import Store
from spbe.present import charts, export
from spbe.present.export import PRESETS, render
from spbe.present.figures import PREDIKAT_COLORS
from spbe.present.presskit import build_kit, kit_charts
from spbe.settings import ROOT


@pytest.fixture(autouse=True)
def _needs_headless_shell(headless_shell):
    """Every test here exports images."""


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


def png_image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def has_colour(image: Image.Image, hex_colour: str, tolerance: int = 12) -> bool:
    target = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    small = image.resize((image.width // 4, image.height // 4), Image.NEAREST)
    return any(
        all(abs(a - b) <= tolerance for a, b in zip(pixel, target, strict=True)) for pixel in small.get_flattened_data()
    )


@pytest.mark.parametrize("preset", list(PRESETS))
def test_png_has_the_preset_size_and_is_neither_blank_nor_black(store, preset):
    image = png_image(render(charts.predikat_chart(store, 2018).fig, "png", PRESETS[preset]))
    assert image.size == PRESETS[preset].pixels
    grey = image.convert("L")
    histogram = grey.histogram()
    white_share = sum(histogram[250:]) / (image.width * image.height)
    dark_share = sum(histogram[:40]) / (image.width * image.height)
    assert white_share < 0.97  # not blank
    assert dark_share < 0.30  # not mostly black (the trap of plotly's "streamlit" template)


def test_png_has_the_predikat_colours(store):
    image = png_image(render(charts.predikat_chart(store, 2018).fig, "png", PRESETS["slide"]))
    for name in ("Kurang", "Cukup", "Baik", "Sangat Baik"):  # 2018 has no Memuaskan
        assert has_colour(image, PREDIKAT_COLORS[name]), name


def test_a_figure_built_after_importing_streamlit_keeps_its_colours(store):
    import plotly.io as pio
    import streamlit  # noqa: F401  # sets plotly's default template to the browser-only "streamlit" one

    assert pio.templates.default == "streamlit"
    image = png_image(render(charts.predikat_chart(store, 2024).fig, "png", PRESETS["slide"]))
    assert has_colour(image, PREDIKAT_COLORS["Sangat Baik"])


def test_svg_holds_title_and_the_2018_index_in_indonesian_format(store):
    svg = render(charts.national_chart(store, 2018).fig, "svg", PRESETS["slide"]).decode()
    assert "Indeks SPBE Nasional terhadap target" in svg
    assert "1,98" in svg
    assert "0,62 poin di bawah target 2,6" in svg
    assert "Sumber: KemenPANRB" in svg


def test_pdf_has_one_page(store):
    pdf = render(charts.gap_chart(store, 2018).fig, "pdf", PRESETS["a4"])
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


@pytest.mark.parametrize(("year", "marked"), [(2018, True), (2024, False)])
def test_the_simulation_mark_is_in_2018_images_and_not_in_2024(store, year, marked):
    svg = render(charts.predikat_chart(store, year).fig, "svg", PRESETS["square"]).decode()
    assert ("SIMULASI – bukan data resmi" in svg) is marked


def test_two_threads_exporting_at_once_each_get_their_own_figure(store):
    figures = {"2018": charts.national_chart(store, 2018).fig, "2024": charts.predikat_chart(store, 2024).fig}
    expected = {"2018": "terhadap target", "2024": "Sebaran predikat instansi 2024"}
    results: dict[str, list[str]] = {"2018": [], "2024": []}

    def export_many(key: str) -> None:
        for _ in range(4):
            results[key].append(render(figures[key], "svg", PRESETS["slide"]).decode())

    threads = [threading.Thread(target=export_many, args=(key,)) for key in figures]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for key, svgs in results.items():
        assert len(svgs) == 4
        assert all(expected[key] in svg for svg in svgs)


def test_the_2018_kit_has_every_file_and_captions_with_the_summary_numbers(store):
    files = build_kit(store, 2018, formats=["svg"])
    slugs = [c.slug for c in kit_charts(store, 2018)]
    assert sorted(files) == sorted(
        [f"{n:02d}_{slug}.{ext}" for n, slug in enumerate(slugs, 1) for ext in ("svg", "csv")] + ["keterangan.md"]
    )
    notes = files["keterangan.md"].decode()
    summary = store.summary(2018)
    assert f"tercatat {summary.national_index_official:.2f}".replace(".", ",") in notes
    assert "0,62 poin di bawah target 2,6" in notes
    assert f"Evaluasi mencakup {summary.instansi_evaluated} instansi" in notes
    assert f"{round(summary.below_baik_pct)}% di antaranya belum mencapai predikat Baik" in notes
    assert "Grafik ini memuat data simulasi, bukan data resmi." in notes


def test_export_command_writes_a_zip(tmp_path, capsys):
    out = tmp_path / "kit.zip"
    assert cli.main(["export", "--year", "2024", "--out", str(out), "--formats", "png", "--preset", "square"]) == 0
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert "kit/keterangan.md" in names
        png = archive.read(next(n for n in names if n.endswith(".png")))
    assert png_image(png).size == (1080, 1080)


def test_export_command_without_chromium_exits_2_with_a_plain_message(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(export, "chromium_path", lambda: None)
    assert cli.main(["export", "--year", "2018", "--out", str(tmp_path / "kit")]) == 2
    assert "apt-get install -y chromium" in capsys.readouterr().err
    assert not (tmp_path / "kit").exists()
