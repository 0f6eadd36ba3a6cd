"""The Ekspor page's briefing deck: built only when asked, of the charts chosen, alone or inside the ZIP kit.

The pictures are rendered for real (Kaleido, about a second each), so each test chooses one or two charts."""

import io
import zipfile

from pptx import Presentation
from streamlit.testing.v1 import AppTest

from spbe.settings import ROOT

TIMEOUT_S = 120
CHOSEN = ["sebaran_predikat_2024", "indeks_domain_2024"]


def open_ekspor(year: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "ekspor.py"), default_timeout=TIMEOUT_S)
    at.query_params["tahun"] = year
    return at.run()


def download_labels(at) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def test_ekspor_builds_the_deck_of_the_chosen_charts_when_asked(headless_shell):
    at = open_ekspor("2024")
    assert not at.exception
    assert "Presentasi (PPTX)" in [header.value for header in at.header]
    assert at.button(key="buat_paparan").label == "Buat presentasi"
    assert "Unduh paparan_spbe_2024.pptx" not in download_labels(at)  # nothing is made before the click
    at.pills(key="grafik").set_value(CHOSEN).run()
    at.button(key="buat_paparan").click().run()
    assert not at.exception
    assert "Unduh paparan_spbe_2024.pptx" in download_labels(at)
    deck = Presentation(io.BytesIO(at.session_state["paparan"][1]))  # the bytes the download button serves
    assert [slide.shapes.title.text for slide in deck.slides] == [
        "Indeks SPBE 2024: bahan paparan",
        "Sebaran predikat instansi 2024",
        "Indeks domain nasional 2024",
        "Sumber",
    ]
    at.pills(key="grafik").set_value(CHOSEN[:1]).run()
    assert "Unduh paparan_spbe_2024.pptx" not in download_labels(at)  # that deck holds other charts


def test_the_zip_kit_holds_the_deck_when_the_box_is_ticked(headless_shell):
    at = open_ekspor("2024")
    at.pills(key="grafik").set_value(CHOSEN[:1])
    at.multiselect(key="format").set_value(["png"])
    at.checkbox(key="paket_pptx").check().run()
    next(button for button in at.button if button.label == "Buat paket").click().run()
    assert not at.exception
    name, data, count = at.session_state["paket"]
    assert download_labels(at)[-1] == f"Unduh {name}.zip ({count} berkas)"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == [
            f"{name}/01_sebaran_predikat_2024.csv",
            f"{name}/01_sebaran_predikat_2024.png",
            f"{name}/keterangan.md",
            f"{name}/paparan_spbe_2024.pptx",
        ]
        deck = Presentation(io.BytesIO(archive.read(f"{name}/paparan_spbe_2024.pptx")))
    assert len(deck.slides) == 3
