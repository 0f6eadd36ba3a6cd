"""AppTest of the Kepekaan Bobot page: the sentence with the real numbers, the URL's parameters, bad URL values."""

import pandas as pd

from spbe.settings import ROOT
from tests.helpers import chart_figures
from tests.ui.test_pages import open_page, text_of

REFERENCE = ROOT / "data" / "reference"


def test_the_page_says_how_robust_469_baik_is_with_the_official_numbers():
    at = open_page("kepekaan")
    assert not at.exception
    official = pd.read_csv(REFERENCE / "results_2023_2024.csv")
    official = official[official["year"] == 2024]
    baik = official["predikat"].isin(["Baik", "Sangat Baik", "Memuaskan"]).sum()
    testable = official[["d1_kebijakan", "d2_tata_kelola", "d3_manajemen", "d4_layanan"]].notna().all(axis=1).sum()
    text = text_of(at)
    assert "Dengan bobot domain diubah hingga ±20% (1.000 undian), jumlah instansi Baik ke atas berkisar " in text
    assert f"(5–95% undian; pada bobot resmi {baik}); " in text and baik == 469
    assert f" dari {testable} instansi tetap berpredikat sama pada setiap undian." in text and testable == 612
    assert "3 instansi tidak dapat diuji" in text
    assert "Indeks SPBE Nasional 2024 (resmi 3,12) berada antara " in text
    national, ranks = chart_figures(at)
    assert national["data"][0]["type"] == "histogram"
    assert len(ranks["data"][0]["y"]) == 20


def test_the_parameters_come_from_the_url():
    at = open_page("kepekaan", tahun="2023", sebaran="10", undian="200", benih="5", kelompok="Kota")
    assert not at.exception
    text = text_of(at)
    assert "Dengan bobot domain diubah hingga ±10% (200 undian)" in text
    assert "(5–95% undian; pada bobot resmi 388)" in text
    assert "Peringkat di antara Kota" in [header.value for header in at.header]
    assert not at.warning


def test_a_bad_url_value_gives_an_indonesian_message_and_the_defaults():
    at = open_page("kepekaan", sebaran="999", undian="abc")
    assert not at.exception
    warnings = [warning.value for warning in at.warning]
    assert "Sebaran bobot 999 pada alamat halaman tidak berlaku (harus bilangan bulat 5–50); nilai awal dipakai." in (
        warnings
    )
    assert any(warning.startswith("Jumlah undian abc pada alamat halaman tidak berlaku") for warning in warnings)
    assert at.slider(key="sebaran").value == 20
    assert at.number_input(key="undian").value == 1_000
    assert "diubah hingga ±20% (1.000 undian)" in text_of(at)
