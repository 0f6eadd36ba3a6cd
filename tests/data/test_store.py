"""The store answers the views' questions with the official numbers."""

import json
import shutil
import subprocess
import sys

import pytest

from spbe.build.official import official_results
from spbe.data import store as store_module
from spbe.data.store import Filters, Store
from spbe.settings import ROOT


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


@pytest.mark.parametrize(
    ("year", "evaluated", "baik_or_better", "official", "mean"),
    [(2023, 621, 388, 2.79, 2.82), (2024, 615, 469, 3.12, 3.17)],
)
def test_summary_of_the_official_years(store, year, evaluated, baik_or_better, official, mean):
    summary = store.summary(year)
    assert summary.instansi_evaluated == evaluated
    assert summary.baik_or_better_count == baik_or_better
    assert summary.national_index_official == official
    assert round(summary.national_index_mean, 2) == mean
    assert (summary.grain, summary.provenance) == ("component", "resmi")


def test_summary_of_2018_tells_the_story_of_the_press_release(store):
    summary = store.summary(2018)
    assert summary.national_index_official == 1.98
    assert summary.target == 2.6
    assert round(summary.gap, 2) == 0.62
    assert summary.instansi_evaluated == 616
    assert round(summary.below_baik_pct) == 81
    assert (summary.grain, summary.provenance, summary.framework) == (
        "indicator",
        "simulasi",
        "PermenPANRB 5/2018",
    )


def test_2023_predikat_counts_match_the_report(store):
    counts = store.summary(2023).predikat_counts
    assert counts == {"Kurang": 47, "Cukup": 186, "Baik": 274, "Sangat Baik": 90, "Memuaskan": 24}


def test_2024_gap_is_measured_against_the_2024_target_of_2_85(store):
    summary = store.summary(2024)
    assert summary.target == 2.85
    assert summary.gap == pytest.approx(2.85 - 3.12)


def test_national_only_years_report_the_published_counts(store):
    summary = store.summary(2022)
    assert (summary.grain, summary.national_index_official, summary.national_index_mean) == (
        "national",
        2.34,
        None,
    )
    assert (summary.instansi_evaluated, summary.baik_or_better_count) == (554, 237)


def test_every_result_row_joins_to_the_registry_once_per_year(store):
    for year in (2023, 2024):
        rows = store.results(year)
        assert rows["nama"].notna().all()
        assert not rows["instansi_id"].duplicated().any()
    assert len(store.results(2023)) == 621


def test_filters_combine_and_search_ignores_case(store):
    rows = store.results(2024, Filters(predikat=["Memuaskan"], provinsi=["Jawa Barat"]))
    assert rows["nama"].tolist()[0] == "Provinsi Jawa Barat"
    assert set(rows["predikat"]) == {"Memuaskan"}
    assert store.results(2023, Filters(cari="SURABAYA"))["nama"].tolist() == ["Kota Surabaya"]
    assert store.results(2023, Filters(cari="%' OR 1=1 --")).empty


def test_empty_filter_lists_mean_nothing_matches_and_none_means_no_filter(store):
    assert store.results(2024, Filters(predikat=[])).empty
    assert len(store.results(2024, Filters(predikat=None))) == 615


def test_predikat_distribution_by_lokus_sums_to_each_group(store):
    distribution = store.predikat_distribution(2024, "lokus")
    totals = distribution.groupby("kelompok_tampil")["jumlah"].sum().to_dict()
    assert totals == {"Instansi Pusat": 92, "Pemerintah Daerah": 523}
    shares = distribution.groupby("kelompok_tampil")["persen"].sum()
    assert shares.round(6).eq(100).all()


def test_an_unknown_grouping_is_refused(store):
    with pytest.raises(ValueError, match="Pengelompokan tidak dikenal"):
        store.predikat_distribution(2024, "nama; DROP TABLE results")


def test_component_means_by_category_for_2024_kementerian(store):
    means = store.component_means(2024, "kategori")
    row = means[(means["kelompok_tampil"] == "Kementerian") & (means["komponen_no"] == 4)].iloc[0]
    assert row["n"] == 34
    assert row["komponen"] == "Layanan SPBE"


def test_missing_components_are_not_counted_in_means(store):
    means = store.component_means(2024, None)
    kebijakan = means[means["komponen_no"] == 1].iloc[0]
    assert kebijakan["n"] == 612  # three 2024 rows have no Kebijakan value in the source


def test_history_of_an_instansi_across_years_keeps_each_rows_provenance(store):
    history = store.instansi_history("KEMENKEU")
    assert history["tahun"].tolist() == [2018, 2023, 2024]
    assert history["provenance"].tolist() == ["simulasi", "resmi", "resmi"]
    assert history[["indeks", "predikat"]].values.tolist()[1:] == [[4.66, "Memuaskan"], [4.74, "Memuaskan"]]


def test_provinces_follow_the_year(store):
    assert "Papua Selatan" in store.filter_options(2023)["nama_provinsi"]


def test_the_store_can_be_queried_from_many_threads_at_once(store):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(lambda _: len(store.results(2024)), range(64)))
    assert counts == [615] * 64


def test_a_query_answers_while_other_threads_clear_the_memo(monkeypatch):
    # A memo of one entry is cleared by nearly every query; threads switching every microsecond clear it
    # between another thread's storing an answer and returning it (a KeyError, before the fix).
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(store_module, "_MAX_MEMO_ENTRIES", 1)
    store = Store(ROOT / "data")
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda k: store._query("SELECT $n AS n", {"n": k % 7})["n"].item(), range(800)))
    finally:
        sys.setswitchinterval(interval)
    assert answers == [k % 7 for k in range(800)]


def run_summary(*args):
    return subprocess.run(
        [sys.executable, "-m", "spbe", "summary", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_summary_command_json_keys():
    result = run_summary("--year", "2024", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert set(summary) >= {
        "year",
        "framework",
        "grain",
        "provenance",
        "national_index_official",
        "national_index_mean",
        "target",
        "gap",
        "instansi_evaluated",
        "predikat_counts",
        "below_baik_pct",
        "baik_or_better_count",
    }
    assert (summary["instansi_evaluated"], summary["baik_or_better_count"]) == (615, 469)


def test_summary_command_for_2018_json():
    summary = json.loads(run_summary("--year", "2018", "--json").stdout)
    assert (summary["national_index_official"], summary["target"], round(summary["gap"], 2)) == (1.98, 2.6, 0.62)
    assert (summary["instansi_evaluated"], round(summary["below_baik_pct"]), summary["provenance"]) == (
        616,
        81,
        "simulasi",
    )


def test_summary_command_plain_output_is_indonesian():
    result = run_summary("--year", "2023")
    assert result.returncode == 0, result.stderr
    assert "Indeks nasional (resmi) : 2,79" in result.stdout
    assert "Rata-rata instansi      : 2,82" in result.stdout
    assert "Baik ke atas            : 388" in result.stdout


def test_summary_of_a_year_without_data_exits_2():
    result = run_summary("--year", "2016")
    assert result.returncode == 2
    assert "Tidak ada data untuk tahun 2016" in result.stderr


def test_aspect_and_indicator_means_exist_for_indicator_grain_years_only(store):
    aspects = store.aspect_means(2018, None)
    assert len(aspects) == 7 and aspects["n"].eq(616).all()
    indicators = store.indicator_means(2018, None)
    assert len(indicators) == 35 and set(indicators["modul"]) == {
        "Kelembagaan",
        "Strategi dan Perencanaan",
        "TIK",
        "Layanan Administrasi Pemerintahan",
        "Layanan Publik",
    }
    assert store.indicator_means(2024, None).empty


def test_roster_of_the_2019_asistensi_has_623_instansi_in_six_cities(store):
    roster = store.roster_2018()
    assert len(roster) == 623
    assert set(roster["kota_penyelenggara"]) == {"Jakarta", "Surabaya", "Medan", "Makassar", "Palembang", "Denpasar"}


# Groups as each year's report published them (spbe_facts.md 3.4, recomputed from the report tables)

OTHER_CENTRAL = {  # "other central" of the reports, and how many instansi each year's report put in each
    2023: {
        "Alat Negara": 3,
        "Sekretariat Kabinet": 1,
        "Sekretariat Jenderal Lembaga Negara": 7,
        "Instansi Lainnya": 2,
        "Lembaga Penyiaran Publik": 2,
    },
    2024: {
        "Alat Negara": 2,
        "Sekretariat Kabinet": 1,
        "Sekretariat Jenderal Lembaga Negara": 8,
        "Instansi Lainnya": 2,
        "Lembaga Penyiaran Publik": 2,
    },
}
# group -> (n, mean index, Memuaskan, Sangat Baik, Baik, Cukup, Kurang, Baik or better)
CATEGORY_TABLES = {
    2023: {
        "Kementerian": (34, 3.66, 5, 16, 13, 0, 0, 34),
        "LPNK": (22, 3.38, 1, 6, 13, 2, 0, 20),
        "LNS": (21, 2.92, 1, 3, 12, 3, 2, 16),
        "other central": (15, 3.24, 0, 4, 9, 2, 0, 13),
        "Provinsi": (38, 3.01, 3, 8, 17, 7, 3, 28),
        "Kabupaten": (398, 2.62, 10, 35, 163, 150, 40, 208),
        "Kota": (93, 3.02, 4, 18, 47, 22, 2, 69),
    },
    2024: {
        "Kementerian": (34, 4.03, 12, 18, 4, 0, 0, 34),
        "LPNK": (21, 3.81, 3, 13, 5, 0, 0, 21),
        "LNS": (22, 3.22, 2, 7, 8, 4, 1, 17),
        "other central": (15, 3.58, 2, 6, 7, 0, 0, 15),
        "Provinsi": (38, 3.41, 6, 16, 10, 4, 2, 32),
        "Kabupaten": (392, 2.97, 15, 84, 171, 107, 15, 270),
        "Kota": (93, 3.39, 8, 38, 34, 12, 1, 80),
    },
}
REPORT_PREDIKAT_ORDER = ["Memuaskan", "Sangat Baik", "Baik", "Cukup", "Kurang"]


def _report_group(kategori: str) -> str:
    return "other central" if kategori in OTHER_CENTRAL[2023] else kategori


def test_category_tables_of_2023_and_2024_are_those_of_each_years_report(store):
    for year, expected in CATEGORY_TABLES.items():
        shares = store.baik_share_by_group(year, "kategori").set_index("kelompok_tampil")
        others = shares.loc[list(OTHER_CENTRAL[year])]
        assert others["n"].to_dict() == OTHER_CENTRAL[year], year
        results = store.results(year).assign(group=lambda f: f["kategori"].map(_report_group))
        counts = results.pivot_table(index="group", columns="predikat", values="indeks", aggfunc="count", fill_value=0)
        for group, (n, mean, *per_predikat, baik_or_better) in expected.items():
            rows = results[results["group"] == group]
            assert len(rows) == n, (year, group)
            assert round(rows["indeks"].mean(), 2) == mean, (year, group)
            per_band = counts.loc[group].reindex(REPORT_PREDIKAT_ORDER, fill_value=0).tolist()
            assert per_band == per_predikat, (year, group)
            assert shares.loc[shares.index.map(_report_group) == group, "baik_ke_atas"].sum() == baik_or_better


def test_kejaksaan_agung_is_alat_negara_in_2023_and_a_sekretariat_jenderal_in_2024(store):
    history = store.instansi_history("KEJAGUNG").set_index("tahun")
    assert history.loc[[2023, 2024], "kelompok"].tolist() == ["Alat Negara", "Sekretariat Jenderal Lembaga Negara"]
    shares = store.predikat_distribution(2023, "kelompok").groupby("kelompok_tampil")["jumlah"].sum()
    assert (shares["Alat Negara"], shares["Sekretariat Jenderal Lembaga Negara"]) == (3, 7)


def test_a_category_spelled_otherwise_than_in_the_registry_is_refused(tmp_path):
    reference = shutil.copytree(ROOT / "data" / "reference", tmp_path / "reference")
    table = reference / "results_2023_2024.csv"
    table.write_text(
        table.read_text().replace(
            ",Kejaksaan Agung,Instansi Pusat,Alat Negara,", ",Kejaksaan Agung,Instansi Pusat,Alat negara,"
        )
    )
    with pytest.raises(ValueError, match=r"results_2023_2024.csv, kolom category: .*'Alat negara'"):
        official_results(reference)
