"""AppTest of Profil's ranks, peers and comparison, opened from links as a colleague would share them.
Expected ranks come straight from data/reference/results_2023_2024.csv."""

import pandas as pd
import pytest

from spbe.settings import ROOT
from tests.helpers import chart_figures
from tests.ui.test_pages import metrics, open_page, text_of

OFFICIAL = ROOT / "data" / "reference" / "results_2023_2024.csv"


@pytest.fixture(scope="module")
def official_2024():
    table = pd.read_csv(OFFICIAL)
    return table[table["year"] == 2024]


def figure_titled(at, start: str) -> dict:
    (figure,) = [f for f in chart_figures(at) if f["layout"]["meta"]["title"].startswith(start)]
    return figure


def test_surabaya_2024_shows_its_national_and_kelompok_ranks(official_2024):
    own = official_2024.set_index("instansi").at["Pemerintah Kota Surabaya", "indeks"]
    cities = official_2024[official_2024["category"] == "Kota"]
    national = int((official_2024["indeks"] > own).sum()) + 1
    in_group = int((cities["indeks"] > own).sum()) + 1
    at = open_page("profil", instansi="Kota Surabaya", tahun="2024")
    assert not at.exception
    shown = metrics(at)
    assert shown["Peringkat nasional"] == f"{national} dari {len(official_2024)}"
    assert shown["Peringkat dalam kelompok"] == f"{in_group} dari {len(cities)}"
    assert f"peringkat {in_group} dari 93 pemerintah kota" in text_of(at)
    strip = figure_titled(at, "Kota Surabaya di antara 93 pemerintah kota, 2024")
    assert strip["data"][1]["x"] == [own]
    assert "Pilih sampai 4 instansi untuk dibandingkan dengan Kota Surabaya pada 2024." in text_of(at)


def test_a_link_with_two_instansi_to_compare_shows_both_beside_surabaya(official_2024):
    official = official_2024.set_index("instansi")["indeks"]
    expected = [
        official[name] for name in ("Pemerintah Kota Surabaya", "Kementerian Keuangan", "Pemerintah Kab. Banyuwangi")
    ]
    at = open_page(
        "profil", instansi="Kota Surabaya", tahun="2024", banding=["Kementerian Keuangan", "Kabupaten Banyuwangi"]
    )
    assert not at.exception
    assert at.multiselect(key="banding").value == ["Kementerian Keuangan", "Kabupaten Banyuwangi"]
    figure = figure_titled(at, "Indeks SPBE dan indeks domain 2024: 3 instansi")
    assert figure["data"][0]["y"] == ["Kota Surabaya", "Kementerian Keuangan", "Kabupaten Banyuwangi"]
    assert figure["data"][0]["x"] == expected
    (table,) = [frame.value for frame in at.dataframe if "Indeks SPBE" in frame.value.columns]
    assert table["Instansi"].tolist() == ["Kota Surabaya", "Kementerian Keuangan", "Kabupaten Banyuwangi"]
    assert "Asal data" in table.columns and "Sumber" in table.columns


def test_an_instansi_not_evaluated_in_the_year_is_named_not_dropped():
    at = open_page("profil", instansi="Kota Surabaya", tahun="2024", banding=["Badan Ekonomi Kreatif"])
    assert not at.exception
    assert "Badan Ekonomi Kreatif tidak dievaluasi pada 2024." in text_of(at)


def test_a_bad_name_in_the_link_changes_nothing_and_raises_nothing():
    plain_page = open_page("profil", instansi="Kota Surabaya", tahun="2024")
    at = open_page("profil", instansi="Kota Surabaya", tahun="2024", banding=["Bukan Instansi <script>"])
    assert not at.exception
    assert at.multiselect(key="banding").value == []
    assert metrics(at) == metrics(plain_page)
    assert len(at.get("plotly_chart")) == len(plain_page.get("plotly_chart"))  # no comparison chart
    assert "nama yang tidak dikenal diabaikan" in text_of(at)


def test_more_than_four_to_compare_keeps_four_and_says_which_was_left_out():
    others = ["Kementerian Keuangan", "Kabupaten Banyuwangi", "Kota Bandung", "Kota Madiun", "Kabupaten Kediri"]
    at = open_page("profil", instansi="Kota Surabaya", tahun="2024", banding=others)
    assert not at.exception
    assert at.multiselect(key="banding").value == others[:4]
    assert "paling banyak 4 instansi pembanding, tidak ditampilkan: Kabupaten Kediri" in text_of(at)
    figure = figure_titled(at, "Indeks SPBE dan indeks domain 2024: 5 instansi")
    assert figure["data"][0]["y"] == ["Kota Surabaya", *others[:4]]
