"""The Kepekaan Bobot charts and sentences (spbe.present.sensitivity_charts), on the official 2024 results."""

import numpy as np
import pandas as pd
import pytest

from spbe.data.store import Store
from spbe.present import sensitivity_charts
from spbe.present.figures import SIMULATION_NOTE
from spbe.settings import ROOT

REFERENCE = ROOT / "data" / "reference"


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


@pytest.fixture(scope="module")
def run_2024(store):
    return sensitivity_charts.year_sensitivity(store, 2024, spread=0.2, draws=1_000, seed=2024)


def test_the_years_with_component_indices_are_offered(store):
    assert sensitivity_charts.sensitivity_years(store) == [2018, 2023, 2024]


def test_the_headline_says_how_robust_469_baik_is_in_one_sentence(run_2024):
    low, high = np.percentile(run_2024.baik_or_better, [5, 95], method="inverted_cdf")
    kept = int((run_2024.instansi["predikat_tetap"] & run_2024.instansi["dapat_diuji"]).sum())
    text = sensitivity_charts.headline(run_2024, "domain", ("Baik", "Sangat Baik", "Memuaskan"))
    assert text.startswith(
        f"Dengan bobot domain diubah hingga ±20% (1.000 undian), jumlah instansi Baik ke atas berkisar "
        f"{int(low)}–{int(high)} (5–95% undian; pada bobot resmi 469); {kept} dari 612 instansi tetap berpredikat "
        "sama pada setiap undian."
    )
    assert low < 469 < high and 0 < kept < 612
    assert (
        "3 instansi tidak dapat diuji karena nilai domainnya tidak lengkap (dihitung dengan predikat resminya): "
        "Provinsi Jawa Timur, Kementerian Pertanian dan Kementerian Energi dan Sumber Daya Mineral." in text
    )


def test_the_national_range_is_anchored_on_the_published_3_12(store, run_2024):
    chart = sensitivity_charts.national_range_chart(store, 2024, run_2024)
    assert chart is not None
    assert chart.caption.startswith("Indeks SPBE Nasional 2024 (resmi 3,12) berada antara ")
    assert len(chart.table) == 1_000 and {"provenance", "sumber"} <= set(chart.table.columns)
    assert (chart.table["provenance"] == "resmi").all()
    assert "Tabel 4" in chart.meta.source
    assert 3.0 < chart.table["indeks_nasional"].min() < 3.12 < chart.table["indeks_nasional"].max() < 3.3


def test_a_year_without_published_national_domains_says_so_instead_of_a_range(store):
    kementerian = sensitivity_charts.year_sensitivity(
        store, 2024, spread=0.2, draws=100, seed=1, kelompok="Kementerian"
    )
    assert sensitivity_charts.national_range_chart(store, 2024, kementerian) is None
    assert "tidak dipublikasikan, sehingga rentangnya tidak dihitung" in sensitivity_charts.national_words(
        kementerian, 2024, store.framework(2024).index_scale, "domain"
    )


def test_the_rank_chart_shows_the_top_twenty_with_median_interval_and_official_rank(store, run_2024):
    chart = sensitivity_charts.rank_interval_chart(store, 2024, run_2024, order="teratas")
    official = pd.read_csv(REFERENCE / "results_2023_2024.csv")
    official = official[official["year"] == 2024].sort_values("indeks", ascending=False)
    bar, median, resmi = chart.fig.data
    assert len(bar.y) == 20
    assert bar.y[0] == "Kabupaten Banyuwangi" and official["indeks"].iloc[0] == 4.77  # first by official index
    assert median.name == "Median" and resmi.name == "Peringkat pada bobot resmi"
    assert list(chart.table["Peringkat pada bobot resmi"]) == sorted(chart.table["Peringkat pada bobot resmi"])
    assert {"provenance", "sumber"} <= set(chart.table.columns)
    assert chart.caption.startswith("Di antara 20 instansi teratas, peringkat ")


def test_the_rank_chart_of_a_kelompok_ranks_among_its_instansi(store):
    official = pd.read_csv(REFERENCE / "results_2023_2024.csv")
    ministries = official[(official["year"] == 2024) & (official["category"] == "Kementerian")]
    run = sensitivity_charts.year_sensitivity(store, 2024, spread=0.2, draws=200, seed=1, kelompok="Kementerian")
    chart = sensitivity_charts.rank_interval_chart(store, 2024, run, order="terbawah", group="Kementerian")
    assert f"di antara {len(ministries)} Kementerian" in chart.meta.subtitle
    assert chart.table["Peringkat 95%"].max() <= len(ministries)


def test_the_2018_charts_carry_the_simulation_mark(store):
    run = sensitivity_charts.year_sensitivity(store, 2018, spread=0.2, draws=100, seed=1)
    chart = sensitivity_charts.rank_interval_chart(store, 2018, run)
    assert chart.caption.endswith(SIMULATION_NOTE)
    assert (chart.table["provenance"] == "simulasi").all()
    national = sensitivity_charts.national_range_chart(store, 2018, run)
    assert national is not None and national.caption.startswith("Indeks SPBE Nasional 2018 (resmi 1,98)")


def test_the_instansi_table_names_the_untestable_and_keeps_provenance_per_row(run_2024):
    table = sensitivity_charts.instansi_table(run_2024)
    assert len(table) == 615
    assert (table["Predikat sama di setiap undian"] == "tidak dapat diuji").sum() == 3
    assert table["sumber"].notna().all() and (table["provenance"] == "resmi").all()
