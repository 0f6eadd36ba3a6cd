"""The briefing deck (PPTX), read back with python-pptx: slides, titles, pictures, notes, the SIMULASI mark.

Each image costs Kaleido about a second: one full 2024 deck (through `spbe export`, the way a press officer
gets it), the other decks from two charts. Without Chromium these tests skip locally and fail under CI=true.
"""

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image, ImageFont
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from spbe import cli
from spbe.data.store import Store
from spbe.present.deck import chart_slide_layout, picture_preset
from spbe.present.export import PRESETS
from spbe.present.figures import SIMULATION_NOTE
from spbe.present.presskit import build_deck, build_kit, captions, kit_charts
from spbe.settings import ROOT

SIMULATION_MARK = "SIMULASI – bukan data resmi"
FONTS = Path("/usr/share/fonts/truetype/dejavu")  # wider than PowerPoint's Calibri: text that fits here fits there


@pytest.fixture(autouse=True)
def _needs_headless_shell(headless_shell):
    """Every test here renders the charts' pictures."""


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


@pytest.fixture(scope="module")
def kit_2024(tmp_path_factory):
    """The 2024 kit as `spbe export --formats png,pptx` writes it into a ZIP: file name -> bytes."""
    out = tmp_path_factory.mktemp("kit") / "kit.zip"
    assert cli.main(["export", "--year", "2024", "--out", str(out), "--formats", "png,pptx"]) == 0
    with zipfile.ZipFile(out) as archive:
        return {name.removeprefix("kit/"): archive.read(name) for name in archive.namelist()}


def open_deck(data: bytes):
    return Presentation(io.BytesIO(data))


def texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text


def pictures(slide) -> list:
    return [shape for shape in slide.shapes if shape.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


def test_the_cli_writes_the_deck_into_the_kit(kit_2024):
    assert "paparan_spbe_2024.pptx" in kit_2024
    assert "Bahan paparan (PowerPoint, satu slide per grafik): `paparan_spbe_2024.pptx`" in (
        kit_2024["keterangan.md"].decode()
    )


def test_the_2024_deck_is_16_9_with_a_title_slide_a_slide_per_chart_and_the_sources(kit_2024, store):
    deck = open_deck(kit_2024["paparan_spbe_2024.pptx"])
    charts = kit_charts(store, 2024)
    assert deck.slide_height == Inches(7.5) and deck.slide_width * 9 == deck.slide_height * 16  # 13,333 x 7,5 in
    assert len(deck.slides) == 1 + len(charts) + 1
    cover, *chart_slides, last = deck.slides
    assert [slide.shapes.title.text for slide in chart_slides] == [chart.meta.title for chart in charts]
    assert cover.shapes.title.text == "Indeks SPBE 2024: bahan paparan"
    assert last.shapes.title.text == "Sumber"


def test_the_title_slide_leads_with_the_official_2024_numbers(kit_2024):
    results = pd.read_csv(ROOT / "data/reference/results_2023_2024.csv").query("year == 2024")
    below_baik = (~results["predikat"].isin(["Baik", "Sangat Baik", "Memuaskan"])).mean() * 100
    cover = open_deck(kit_2024["paparan_spbe_2024.pptx"]).slides[0]
    text = "\n".join(texts(cover))
    assert "Indeks SPBE Nasional tahun 2024 tercatat 3,12" in text
    assert f"Evaluasi mencakup {len(results)} instansi pusat dan daerah" in text  # 615
    assert f"{round(below_baik)}% di antaranya belum mencapai predikat Baik" in text  # 146 of 615: 24%
    assert "Asal data hasil per instansi 2024: Data resmi" in text
    assert "Diolah: Dasbor SPBE, " in text


def test_each_chart_slide_shows_the_chart_laid_out_for_the_slide_and_its_caption_with_source_in_the_notes(
    kit_2024, store
):
    deck = open_deck(kit_2024["paparan_spbe_2024.pptx"])
    chart_slides = list(deck.slides)[1:-1]
    for chart, slide in zip(kit_charts(store, 2024), chart_slides, strict=True):
        (picture,) = pictures(slide)
        # laid out for its place on the slide, not the kit's 1600 x 900 image shrunk onto it
        preset = picture_preset(chart)
        width, height = Image.open(io.BytesIO(picture.image.blob)).size
        assert (width, height) == preset.pixels and width == 2400
        place = chart_slide_layout(chart).picture
        assert (picture.left, picture.top, picture.width) == (place.left, place.top, place.width)
        assert abs(picture.height - place.height) <= place.width / width  # within a pixel: not distorted
        # projected, the chart's 14 px texts are at least 10 pt: the picture spans the slide's width less its margins
        assert 14 / preset.width * Emu(picture.width).pt >= 10
        assert chart.caption in texts(slide)
        assert chart.caption in notes(slide)
        assert f"Sumber: {chart.meta.source}" in notes(slide)
        assert "Asal data: Data resmi" in notes(slide)


def test_the_last_slide_names_each_source_once_as_keterangan_does(kit_2024):
    listed = kit_2024["keterangan.md"].decode().split("## Sumber\n\n")[1].split("\n\nDiolah")[0]
    sources = [line.removeprefix("- ") for line in listed.splitlines()]
    last = open_deck(kit_2024["paparan_spbe_2024.pptx"]).slides[-1]
    body = next(text for text in texts(last) if text != "Sumber").split("\n")
    assert body[:-1] == [f"• {source}" for source in sources]
    assert len(set(body[:-1])) == len(sources) > 1
    assert body[-1].startswith("Diolah: Dasbor SPBE, ")


def test_no_2024_slide_is_marked_as_simulation(kit_2024):
    deck = open_deck(kit_2024["paparan_spbe_2024.pptx"])
    assert not any("SIMULASI" in text for slide in deck.slides for text in [*texts(slide), notes(slide)])


def test_every_text_fits_its_box_at_projection_sizes_and_nothing_leaves_the_slide(kit_2024):
    """Titles 28 pt or more, other text 14 pt or more; each box holds its lines as DejaVu Sans would set them."""
    if not FONTS.is_dir():
        pytest.skip("DejaVu fonts are not installed (apt-get install -y fonts-dejavu-core)")
    deck = open_deck(kit_2024["paparan_spbe_2024.pptx"])
    for slide in deck.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.left + shape.width <= deck.slide_width, shape.name
            assert shape.top >= 0 and shape.top + shape.height <= deck.slide_height, shape.name
            if not shape.has_text_frame:
                continue
            smallest = Pt(28) if shape == slide.shapes.title else Pt(14)
            runs = [run for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
            assert all(run.font.size >= smallest for run in runs), shape.text_frame.text
            assert shape.text_frame.word_wrap
            assert measured_height(shape) <= shape.height, shape.text_frame.text


def measured_height(shape) -> int:
    """Height (EMU) of the shape's text wrapped to its width (less its insets) in DejaVu Sans, at 1,2 lines per pt."""
    frame = shape.text_frame
    width = Emu(shape.width - frame.margin_left - frame.margin_right).pt
    height = frame.margin_top + frame.margin_bottom
    for paragraph in frame.paragraphs:
        run = paragraph.runs[0]
        size = run.font.size.pt
        font = ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if run.font.bold else "DejaVuSans.ttf")), size)
        lines, line = 1, ""
        for word in paragraph.text.split(" "):
            if line and font.getlength(f"{line} {word}") > width:
                lines, line = lines + 1, word
            else:
                line = f"{line} {word}" if line else word
        height += Pt(lines * size * 1.2) + (paragraph.space_after or 0)
    return height


def test_the_picture_sits_between_the_title_and_the_caption(kit_2024, store):
    deck = open_deck(kit_2024["paparan_spbe_2024.pptx"])
    for chart, slide in zip(kit_charts(store, 2024), list(deck.slides)[1:-1], strict=True):
        (picture,) = pictures(slide)
        caption = next(shape for shape in slide.shapes if shape.has_text_frame and shape.text == chart.caption)
        title = slide.shapes.title
        assert title.top + title.height <= picture.top
        assert picture.top + picture.height <= caption.top


def test_the_2018_deck_marks_the_simulated_slides_and_only_those(store):
    charts = kit_charts(store, 2018, ["indeks_nasional", "sebaran_predikat"])
    assert [chart.meta.provenance.value for chart in charts] == ["resmi", "simulasi"]  # the series is official
    cover, national, predikat, sources = open_deck(build_deck(store, 2018, charts=charts)).slides
    assert SIMULATION_MARK in texts(cover)
    assert "Asal data hasil per instansi 2018: SIMULASI – bukan data resmi" in texts(cover)
    assert SIMULATION_MARK not in texts(national)
    assert "Asal data: Data resmi" in notes(national)
    # the caption ends in the mark, red and bold as on the images, in place of its sentence on simulation
    *_, caption = (shape.text_frame for shape in predikat.shapes if shape.has_text_frame)
    *_, mark = caption.paragraphs[0].runs
    assert caption.text == charts[1].caption.replace(SIMULATION_NOTE, f"{SIMULATION_MARK}.")
    assert mark.text == f" {SIMULATION_MARK}." and mark.font.bold and str(mark.font.color.rgb) == "B2182B"
    assert f"Asal data: {SIMULATION_MARK}" in notes(predikat)
    assert predikat.shapes.title.text == "Sebaran predikat instansi 2018"
    assert sources.shapes.title.text == "Sumber"


def test_a_kit_at_another_preset_still_gives_the_deck_its_slide_pictures(store):
    charts = kit_charts(store, 2024, ["sebaran_predikat"])
    files = build_kit(store, 2024, charts=charts, formats=["png", "pptx"], preset=PRESETS["square"])
    assert sorted(files) == [
        "01_sebaran_predikat_2024.csv",
        "01_sebaran_predikat_2024.png",
        "keterangan.md",
        "paparan_spbe_2024.pptx",
    ]
    assert Image.open(io.BytesIO(files["01_sebaran_predikat_2024.png"])).size == (1080, 1080)
    (picture,) = pictures(open_deck(files["paparan_spbe_2024.pptx"]).slides[1])
    assert Image.open(io.BytesIO(picture.image.blob)).size == picture_preset(charts[0]).pixels
    assert "- Berkas: `01_sebaran_predikat_2024.png`; data: `01_sebaran_predikat_2024.csv`" in (
        files["keterangan.md"].decode()
    )


def test_an_unknown_format_is_refused_in_indonesian_naming_pptx_among_the_choices(tmp_path, capsys):
    assert cli.main(["export", "--year", "2024", "--out", str(tmp_path / "kit"), "--formats", "pptx,ppt"]) == 2
    assert "format tidak dikenal: ppt; pilihan: png, svg, pdf, pptx" in capsys.readouterr().err
    assert not (tmp_path / "kit").exists()


def test_the_captions_of_a_kit_with_the_deck_alone_name_only_the_data_files(store):
    """A kit of the deck and the CSVs lists no empty image file line for a chart ("- Berkas: ; data: ...")."""
    charts = kit_charts(store, 2024, ["sebaran_predikat"])
    text = captions(store, 2024, charts, ["pptx"])
    assert "- Data: `01_sebaran_predikat_2024.csv`" in text
    assert "Berkas: ;" not in text
    assert "`paparan_spbe_2024.pptx`" in text
