"""Profil's peers: rank metrics in words, the strip of the kelompok with the instansi marked, and instansi side by
side. Expected values come straight from data/reference/results_2023_2024.csv (the official table)."""

import pandas as pd
import pytest

from spbe.data.store import Store
from spbe.model.ranks import Rank
from spbe.present import peer_charts
from spbe.settings import ROOT

OFFICIAL = ROOT / "data" / "reference" / "results_2023_2024.csv"


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


@pytest.fixture(scope="module")
def official_2024():
    table = pd.read_csv(OFFICIAL)
    return table[table["year"] == 2024]


def instansi_id(store, name):
    return store.instansi_list().set_index("nama").at[name, "instansi_id"]


def comma(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def test_every_kelompok_of_the_data_has_a_proper_noun_in_a_rank_sentence(store):
    kelompok = set(store.results(2024)["kelompok"]) | set(store.results(2018)["kelompok"])
    assert kelompok <= set(peer_charts.KELOMPOK_NOUNS)
    assert peer_charts.rank_words(Rank(3, 34, 0), peer_charts.kelompok_noun("Kementerian")) == (
        "peringkat 3 dari 34 kementerian"
    )
    assert peer_charts.rank_words(Rank(12, 392, 2), peer_charts.kelompok_noun("Kabupaten")) == (
        "peringkat 12 dari 392 pemerintah kabupaten, sama dengan 2 instansi lain"
    )
    assert peer_charts.kelompok_noun("Kelompok Baru") == "instansi kelompok Kelompok Baru"


def test_rank_metrics_of_kota_surabaya_2024(store, official_2024):
    own = official_2024.set_index("instansi").loc["Pemerintah Kota Surabaya"]
    cities = official_2024[official_2024["category"] == "Kota"]
    national = int((official_2024["indeks"] > own["indeks"]).sum()) + 1
    in_group = int((cities["indeks"] > own["indeks"]).sum()) + 1
    view = peer_charts.rank_view(store, 2024, instansi_id(store, "Kota Surabaya"))
    assert view is not None and not view.simulated
    assert [(m.label, m.value, m.note) for m in view.metrics] == [
        ("Peringkat nasional", f"{national} dari 615", "di antara seluruh instansi"),
        ("Peringkat dalam kelompok", f"{in_group} dari 93", "di antara pemerintah kota"),
    ]
    assert "615 instansi yang dievaluasi pada 2024 saja" in view.scope


def test_a_shared_index_says_with_how_many_others_the_rank_is_shared(store, official_2024):
    """Kementerian Luar Negeri 2024 (3,93) shares its index: both notes say so, the value is not repeated."""
    own = official_2024.set_index("instansi").loc["Kementerian Luar Negeri"]
    others = int((official_2024["indeks"] == own["indeks"]).sum()) - 1
    ministries = official_2024[official_2024["category"] == "Kementerian"]
    others_in_group = int((ministries["indeks"] == own["indeks"]).sum()) - 1
    view = peer_charts.rank_view(store, 2024, instansi_id(store, "Kementerian Luar Negeri"))
    assert view is not None and others > 0
    national, group = (m.note for m in view.metrics)
    assert national == f"di antara seluruh instansi, sama dengan {others} instansi lain"
    tie = f", sama dengan {others_in_group} instansi lain" if others_in_group else ""
    assert group == f"di antara kementerian{tie}"


def test_a_rank_within_the_2018_simulation_says_it_is_no_official_rank(store):
    view = peer_charts.rank_view(store, 2018, instansi_id(store, "Kota Surabaya"))
    assert view is not None and view.simulated
    assert [m.label for m in view.metrics] == ["Peringkat nasional (simulasi)", "Peringkat dalam kelompok (simulasi)"]
    assert "simulasi 2018: bukan peringkat resmi" in view.scope


def test_the_strip_marks_kota_surabaya_among_the_93_cities_with_the_median_in_its_caption(store, official_2024):
    cities = official_2024[official_2024["category"] == "Kota"]
    median = cities["indeks"].median()
    in_group = int((cities["indeks"] > 4.54).sum()) + 1
    chart = peer_charts.peer_strip_chart(store, 2024, instansi_id(store, "Kota Surabaya"), "Kota Surabaya")
    assert chart is not None
    assert chart.caption == (
        f"Kota Surabaya (4,54) di atas median 93 pemerintah kota ({comma(median)}) pada 2024: "
        f"peringkat {in_group} dari 93 pemerintah kota."
    )
    assert len(chart.table) == 93
    assert sorted(chart.table["indeks"]) == sorted(cities["indeks"])
    assert set(chart.table["provenance"]) == {"resmi"} and chart.table["sumber"].str.contains("2024").all()
    marked = chart.fig.data[1]
    assert list(marked.x) == [4.54] and marked.marker.symbol == "diamond"
    assert len(chart.fig.data[0].x) == 92  # every other city
    edges = sorted(s.x0 for s in chart.fig.layout.shapes if s.line.dash == "dash")
    assert edges == [1.8, 2.6, 3.5, 4.2]
    texts = [a.text for a in chart.fig.layout.annotations]
    assert "<b>Kota Surabaya 4,54</b>" in texts and f"median {comma(median)}" in texts
    assert "SIMULASI" not in " ".join(texts)


def test_the_strip_of_2018_is_marked_as_simulation(store):
    chart = peer_charts.peer_strip_chart(store, 2018, instansi_id(store, "Kota Surabaya"), "Kota Surabaya")
    assert chart is not None
    assert "SIMULASI – bukan data resmi" in [a.text for a in chart.fig.layout.annotations]
    assert set(chart.table["provenance"]) == {"simulasi"}
    assert (chart.table["indeks"] == chart.table["indeks"].round(2)).all()  # ranked and shown as printed


def test_a_comparison_shows_each_evaluated_instansi_and_names_the_one_not_evaluated(store, official_2024):
    names = ["Kota Surabaya", "Kementerian Keuangan", "Badan Ekonomi Kreatif"]
    side_by_side = peer_charts.comparison(store, 2024, names)
    assert side_by_side.not_evaluated == ["Badan Ekonomi Kreatif"]
    chart = side_by_side.chart
    assert chart is not None
    rows = official_2024.set_index("instansi").loc[["Pemerintah Kota Surabaya", "Kementerian Keuangan"]]
    table = chart.table.set_index("nama")
    assert list(table.index) == ["Kota Surabaya", "Kementerian Keuangan"]
    assert table["Indeks SPBE"].tolist() == rows["indeks"].tolist()
    assert table["Manajemen SPBE"].tolist() == rows["d3_manajemen"].tolist()
    assert table["Layanan SPBE"].tolist() == rows["d4_layanan"].tolist()
    assert set(table["provenance"]) == {"resmi"} and table["sumber"].notna().all()
    assert [trace.name for trace in chart.fig.data] == [
        "Indeks SPBE",
        "Kebijakan Internal SPBE",
        "Tata Kelola SPBE",
        "Manajemen SPBE",
        "Layanan SPBE",
    ]
    assert list(chart.fig.data[0].y) == ["Kota Surabaya", "Kementerian Keuangan"]
    assert chart.caption == (
        f"Indeks SPBE 2024: Kota Surabaya {comma(rows['indeks'].iloc[0])}; Kementerian Keuangan "
        f"{comma(rows['indeks'].iloc[1])}. Tertinggi: Kementerian Keuangan."
    )


def test_what_a_link_asked_to_compare_and_the_page_left_out_is_said():
    known = {"A", "B", "C", "D", "E", "Kota X"}
    assert peer_charts.link_choice_problems(["A", "B"], ["A", "B"], known, "Kota X") is None
    assert peer_charts.link_choice_problems(["Kota X", "A"], ["A"], known, "Kota X") is None
    assert peer_charts.link_choice_problems(["A", "B", "C", "D", "E"], ["A", "B", "C", "D"], known, "Kota X") == (
        "Tautan perbandingan: paling banyak 4 instansi pembanding, tidak ditampilkan: E."
    )
    assert peer_charts.link_choice_problems(["A", "<b>x</b>"], ["A"], known, "Kota X") == (
        "Tautan perbandingan: nama yang tidak dikenal diabaikan: '<b>x</b>'."
    )


def test_the_only_instansi_of_its_kelompok_is_said_to_be_so_not_compared_with_itself(store, official_2024):
    alone = official_2024[official_2024["category"] == "Sekretariat Kabinet"]
    assert len(alone) == 1
    chart = peer_charts.peer_strip_chart(store, 2024, instansi_id(store, "Sekretariat Kabinet"), "Sekretariat Kabinet")
    assert chart is not None
    assert chart.caption == (
        f"Sekretariat Kabinet ({comma(alone['indeks'].iloc[0])}) satu-satunya instansi kelompok Sekretariat Kabinet "
        "yang dievaluasi pada 2024."
    )
