"""Specification of the 2018 simulation (spbe/build/simulation.py) and its committed Parquet files.

The expected values are the published 2018 figures: national index 1,98 and domain indices
1,75 / 1,74 / 2,17 (KemenPANRB Laporan Evaluasi SPBE 2024, Tabel 4); 81 % below predikat Baik
(KemenPANRB press release, 11 Jul 2019); Baik-or-better shares per group and the best
kementerian and provinces (Okezone, 28 Mar 2019).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from spbe.build import simulation
from spbe.build.roster import build_registry, load_roster_2018
from spbe.data.registry import read_registry, registry_path, resolve_names
from spbe.settings import ROOT

DATA = ROOT / "data"
REFERENCE = DATA / "reference"
LEVELS_FILE = DATA / "levels" / "tahun=2018" / "part-0.parquet"
RESULTS_FILE = DATA / "results" / "tahun=2018" / "part-0.parquet"


@pytest.fixture(scope="module")
def levels() -> pd.DataFrame:
    """The committed simulated levels."""
    return pd.read_parquet(LEVELS_FILE)


@pytest.fixture(scope="module")
def results() -> pd.DataFrame:
    """The committed simulated results, with each instansi's 2018 group."""
    frame = pd.read_parquet(RESULTS_FILE)
    groups = load_roster_2018(REFERENCE).set_index("instansi_id")["kelompok_2018"]
    return frame.assign(kelompok=groups.loc[frame["instansi_id"]].to_numpy())


@pytest.fixture(scope="module")
def fresh() -> pd.DataFrame:
    return simulation.simulate_2018(REFERENCE)


@pytest.fixture(scope="module")
def report(levels) -> dict:
    return simulation.calibration_report(levels, REFERENCE)


@pytest.fixture(scope="module")
def registry() -> pd.DataFrame:
    return build_registry(REFERENCE)


def _rank_within(results: pd.DataFrame, kelompok: str, name: str, registry: pd.DataFrame) -> int:
    """1 = strictly above every other member of the group (a tie never counts as first)."""
    instansi_id = resolve_names([name], registry).iloc[0]
    group = results[results["kelompok"] == kelompok].set_index("instansi_id")["indeks"]
    return int(group.rank(ascending=False, method="max")[instansi_id])


# --------------------------------------------------------------------------- published aggregates


def test_mean_index_of_the_616_is_the_national_index_1_98(results):
    assert len(results) == 616
    assert results["indeks"].mean() == pytest.approx(1.98, abs=0.005)


@pytest.mark.parametrize(
    ("column", "published"),
    [("komponen_1", 1.75), ("komponen_2", 1.74), ("komponen_3", 2.17)],
    ids=["Kebijakan Internal", "Tata Kelola", "Layanan"],
)
def test_domain_means_are_the_published_2018_domain_indices(results, column, published):
    assert results[column].mean() == pytest.approx(published, abs=0.01)


def test_81_percent_are_below_predikat_baik(results):
    below = (results["indeks"] < 2.6).mean()  # unrounded index
    assert round(100 * below) == 81


@pytest.mark.parametrize(
    ("kelompok", "evaluated", "baik_or_better"),
    [
        ("Kementerian", 34, 25),  # 74 %
        ("LPNK", 27, 14),  # 53 %
        ("Lembaga lainnya", 29, 1),  # 3,4 %
        ("Provinsi", 34, 14),  # 41 %
        ("Kota", 88, 22),  # 25 %
        ("Kabupaten", 370, 30),  # 8 %
        ("Polda", 34, 12),  # about 34 %
    ],
)
def test_baik_or_better_per_2018_group_matches_the_published_share(results, kelompok, evaluated, baik_or_better):
    group = results[results["kelompok"] == kelompok]
    assert len(group) == evaluated
    count = int((group["indeks"] >= 2.6).sum())
    assert abs(count - baik_or_better) <= 1
    assert count == baik_or_better  # the simulation aims at the exact count


@pytest.mark.parametrize(
    ("kelompok", "name", "rank"),
    [
        ("Kementerian", "Kementerian Keuangan", 1),
        ("Kementerian", "Kementerian Pekerjaan Umum dan Perumahan Rakyat", 2),
        ("Provinsi", "Provinsi Jawa Tengah", 1),
        ("Provinsi", "Provinsi Jawa Barat", 2),
    ],
)
def test_published_2018_leaders_hold_their_rank(results, registry, kelompok, name, rank):
    assert _rank_within(results, kelompok, name, registry) == rank


def test_calibration_report_of_the_committed_levels_meets_every_target(report):
    assert simulation.calibration_failures(report) == []
    assert report["instansi"] == 616
    assert report["share_below_baik_pct"] == 81
    assert report["baik_total"] == 118


# --------------------------------------------------------------------------- realistic structure


def test_policy_indicators_track_their_implementation_twins(report):
    # Both share the instansi's capability; twins also share a topic term, so they agree more.
    assert report["twin_correlation"] > 0.5
    assert report["twin_correlation"] > report["non_twin_correlation"] + 0.05


def test_twin_pairs_match_by_name_in_the_2018_framework():
    names = simulation._framework(REFERENCE).indicators.set_index("indicator_no")["indicator"]
    pairs = simulation.twin_pairs()
    # 1-7 <-> 18-24 in order; 8-17 <-> 25-35, where 10 (Perencanaan dan Penganggaran) has two twins
    assert len(pairs) == 18 and {p for p, _ in pairs} == set(range(1, 18))
    assert sorted(q for _, q in pairs) == list(range(18, 36))
    assert [q for p, q in pairs if p == 10] == [27, 28]
    for policy, twin in pairs:
        assert names[policy].startswith("Kebijakan Internal ")
        if policy <= 7:
            assert names[policy].removeprefix("Kebijakan Internal ") == names[twin]
        else:  # the twin's last word names the topic: Dinas, Kepegawaian, ..., System, Pemerintah
            assert names[twin].replace("-", " ").split()[-1] in names[policy]


def test_2018_rank_tends_to_follow_the_2023_rank(report):
    assert report["matched_2023"] >= 550
    assert report["spearman_2023"] > 0.5


def test_levels_correlate_within_an_instansi(levels):
    wide = levels.pivot(index="instansi_id", columns="indikator", values="tingkat").astype(float)
    first_half, second_half = wide.iloc[:, ::2].mean(axis=1), wide.iloc[:, 1::2].mean(axis=1)
    assert np.corrcoef(first_half, second_half)[0, 1] > 0.7


# --------------------------------------------------------------------------- files and shape


def test_committed_levels_equal_a_fresh_simulation(levels, fresh):
    committed = levels[["instansi_id", "indikator", "tingkat"]].astype({"instansi_id": "string"})
    expected = fresh[["instansi_id", "indikator", "tingkat"]]
    pd.testing.assert_frame_equal(committed.reset_index(drop=True), expected.reset_index(drop=True))
    assert (fresh["tahun"] == 2018).all()


def test_committed_results_are_the_engine_scores_of_the_committed_levels(levels, results):
    recomputed = simulation.results_2018(levels, REFERENCE)
    stored = results.drop(columns="kelompok")
    # Float noise of the engine's summation order (1e-14) is tolerated; predikat must agree exactly.
    pd.testing.assert_frame_equal(
        stored.reset_index(drop=True),
        recomputed.astype(stored.dtypes.to_dict()).reset_index(drop=True),
        check_exact=False,
        rtol=1e-12,
        atol=1e-12,
    )


def test_every_row_is_labelled_simulasi(levels, results):
    for frame in (levels, results):
        assert (frame["provenance"] == "simulasi").all()
        assert frame["sumber"].str.contains(f"seed {simulation.SEED}").all()
        assert frame["sumber"].str.contains("bukan data resmi").all()


def test_files_carry_the_documented_columns_and_no_tahun(levels, results):
    assert list(levels.columns) == ["instansi_id", "indikator", "tingkat", "provenance", "sumber"]
    assert str(levels["indikator"].dtype) == "int16" and str(levels["tingkat"].dtype) == "int8"
    assert list(results.columns[:-1]) == [
        "instansi_id",
        "nama_sumber",
        "indeks",
        "predikat",
        "komponen_1",
        "komponen_2",
        "komponen_3",
        "provenance",
        "sumber",
        "catatan",
    ]
    assert "komponen_4" not in results.columns  # PermenPANRB 5/2018 has three domains: three components
    assert results["catatan"].isna().all()
    assert results[["indeks", "komponen_1", "komponen_2", "komponen_3"]].notna().all().all()


def test_616_instansi_times_35_indicators_without_duplicates(levels):
    assert len(levels) == 616 * 35
    assert levels["instansi_id"].nunique() == 616
    assert not levels.duplicated(["instansi_id", "indikator"]).any()
    assert (levels.groupby("instansi_id")["indikator"].apply(sorted).map(tuple) == tuple(range(1, 36))).all()
    assert levels["tingkat"].between(1, 5).all()


def test_rows_are_sorted_by_instansi_and_indicator(levels, results):
    assert levels[["instansi_id", "indikator"]].equals(
        levels[["instansi_id", "indikator"]].sort_values(["instansi_id", "indikator"])
    )
    assert results["instansi_id"].is_monotonic_increasing


def test_every_instansi_is_in_the_registry_and_evaluated_in_2018(levels, results):
    roster = load_roster_2018(REFERENCE)
    evaluated = set(roster.loc[roster["evaluated_2018"], "instansi_id"])
    assert set(levels["instansi_id"]) == evaluated == set(results["instansi_id"])
    assert evaluated <= set(read_registry(registry_path(DATA))["instansi_id"])
    names = roster.set_index("instansi_id")["nama_2018"]
    assert (results["nama_sumber"].to_numpy() == names.loc[results["instansi_id"]].to_numpy()).all()


def test_writing_twice_gives_identical_bytes_and_leaves_no_temporary_file(tmp_path, levels, results):
    first = simulation.write_2018(tmp_path, REFERENCE)
    first_bytes = (first.read_bytes(), simulation.results_path(simulation.YEAR, tmp_path).read_bytes())
    simulation.write_2018(tmp_path, REFERENCE)
    second_bytes = (first.read_bytes(), simulation.results_path(simulation.YEAR, tmp_path).read_bytes())
    assert first_bytes == second_bytes
    assert first.read_bytes() == LEVELS_FILE.read_bytes()  # the levels do not depend on the engine's float noise
    pd.testing.assert_frame_equal(
        pd.read_parquet(simulation.results_path(simulation.YEAR, tmp_path)),
        results.drop(columns="kelompok"),
        check_exact=False,
        rtol=1e-12,
        atol=1e-12,
    )
    assert sorted(p.name for p in first.parent.iterdir()) == ["part-0.parquet"]
    assert sorted(p.name for p in simulation.results_path(simulation.YEAR, tmp_path).parent.iterdir()) == [
        "part-0.parquet"
    ]


def test_another_seed_gives_other_levels_that_still_meet_every_target(fresh):
    other = simulation.simulate_2018(REFERENCE, seed=1)
    assert not other["tingkat"].equals(fresh["tingkat"])
    assert simulation.calibration_failures(simulation.calibration_report(other, REFERENCE)) == []


def test_simulation_module_does_not_import_streamlit():
    source = Path(sys.modules["spbe.build.simulation"].__file__).read_text(encoding="utf-8")
    assert "streamlit" not in source
