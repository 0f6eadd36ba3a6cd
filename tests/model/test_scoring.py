"""The Indeks SPBE formula (PermenPANRB 59/2020 Bab II.B.4) and the checks on level tables."""

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spbe import cli
from spbe.core.rounding import round_half_up
from spbe.model.scoring import (
    InvalidLevelsError,
    check_results,
    components_of_levels,
    index_from_components,
    index_of_components,
    score_levels,
)
from tests.frameworks import F2018, F2020, FRAMEWORKS

DOMAIN_COLUMNS = {"d1_kebijakan": 1, "d2_tata_kelola": 2, "d3_manajemen": 3, "d4_layanan": 4}


def levels_table(framework, levels_by_instansi: dict[str, list[int]], year: int) -> pd.DataFrame:
    rows = [
        (year, name, number, level)
        for name, levels in levels_by_instansi.items()
        for number, level in zip(framework.indicator_numbers, levels, strict=True)
    ]
    return pd.DataFrame(rows, columns=["tahun", "instansi", "indikator", "tingkat"])


def test_the_regulations_worked_example_gives_3_28():
    domains = pd.DataFrame([{1: 3.70, 2: 3.40, 3: 3.00, 4: 3.20}])
    assert round(index_from_components(domains, F2020).iloc[0], 2) == 3.28


@pytest.mark.parametrize(("framework", "year"), [(F2018, 2018), (F2020, 2024)])
@settings(deadline=None)  # a DuckDB connection per example: a busy machine takes longer than 200 ms
@given(level=st.integers(1, 5))
def test_the_same_level_on_every_indicator_scores_exactly_that_level(framework, year, level):
    table = levels_table(framework, {"A": [level] * len(framework.indicators)}, year)
    scores = score_levels(table, framework)
    assert scores.index["indeks"].iloc[0] == pytest.approx(level, abs=1e-12)
    assert scores.domains.iloc[0].tolist() == pytest.approx([level] * len(framework.domains))
    assert scores.aspects.iloc[0].tolist() == pytest.approx([level] * len(framework.aspects))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), use_2018=st.booleans())
def test_raising_any_one_level_never_lowers_the_index(data, use_2018):
    framework, year = (F2018, 2018) if use_2018 else (F2020, 2024)
    n = len(framework.indicators)
    levels = data.draw(st.lists(st.integers(1, 5), min_size=n, max_size=n))
    position = data.draw(st.sampled_from([i for i, level in enumerate(levels) if level < 5] or [None]))
    if position is None:
        return
    raised = list(levels)
    raised[position] += 1
    scores = score_levels(levels_table(framework, {"before": levels, "after": raised}, year), framework)
    by_name = scores.index.set_index("instansi")["indeks"]
    assert by_name["after"] > by_name["before"]


def test_the_index_equals_the_weighted_mean_of_all_indicator_levels():
    rng = np.random.default_rng(7)
    levels = {f"I{i}": rng.integers(1, 6, 47).tolist() for i in range(20)}
    scores = score_levels(levels_table(F2020, levels, 2023), F2020)
    weights = F2020.indicators["indicator_weight"].to_numpy()
    expected = {name: np.dot(values, weights) / weights.sum() for name, values in levels.items()}
    got = scores.index.set_index("instansi")["indeks"]
    for name, value in expected.items():
        assert got[name] == pytest.approx(value, abs=1e-12)


def test_the_reference_formula_gives_the_regulations_worked_example_exactly():
    domains = {1: Fraction("3.70"), 2: Fraction("3.40"), 3: 3, 4: Fraction("3.20")}
    assert index_of_components(domains, F2020) == Fraction("3.282")  # printed 3,28


@settings(max_examples=40, deadline=None)
@given(data=st.data(), use_2018=st.booleans(), instansi=st.integers(1, 6))
def test_duckdb_scoring_agrees_with_the_reference_formula_for_every_instansi(data, use_2018, instansi):
    framework, year = (F2018, 2018) if use_2018 else (F2020, 2024)
    n = len(framework.indicators)
    levels = {f"I{i}": data.draw(st.lists(st.integers(1, 5), min_size=n, max_size=n)) for i in range(instansi)}
    scores = score_levels(levels_table(framework, levels, year), framework)
    for position, (name, values) in enumerate(sorted(levels.items())):
        domains = components_of_levels(dict(zip(framework.indicator_numbers, values, strict=True)), framework)
        reference = index_of_components(domains, framework)
        assert scores.index["instansi"].iloc[position] == name
        assert scores.index["indeks"].iloc[position] == float(reference)  # the float nearest the exact value
        assert scores.domains.iloc[position].tolist() == [float(domains[no]) for no in framework.domains["domain_no"]]
        assert round_half_up(scores.index["indeks"].iloc[position], 2) == round_half_up(reference, 2)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), use_2018=st.booleans())
def test_the_vectorised_index_from_published_domains_agrees_with_the_reference(data, use_2018):
    framework = F2018 if use_2018 else F2020
    numbers = framework.domains["domain_no"].tolist()
    cents = data.draw(st.lists(st.integers(0, 500), min_size=len(numbers), max_size=len(numbers)))
    domains = {no: Fraction(c, 100) for no, c in zip(numbers, cents, strict=True)}  # printed to 2 decimals
    vectorised = index_from_components(pd.DataFrame([{no: float(v) for no, v in domains.items()}]), framework).iloc[0]
    assert round_half_up(vectorised, 4) == round_half_up(index_of_components(domains, framework), 4)


def test_domain_columns_come_in_framework_order_and_wide_joins_them():
    scores = score_levels(levels_table(F2018, {"A": [3] * 35}, 2018), F2018)
    assert list(scores.domains.columns) == ["Kebijakan Internal SPBE", "Tata Kelola SPBE", "Layanan SPBE"]
    assert list(scores.wide().columns[:4]) == ["tahun", "instansi", "indeks", "predikat"]


def test_a_parquet_file_scores_like_the_dataframe(tmp_path):
    table = levels_table(F2020, {"A": [1, 2, 3, 4, 5] * 9 + [2, 2], "B": [4] * 47}, 2022)
    path = tmp_path / "levels.parquet"
    table.to_parquet(path)
    from_frame = score_levels(table, F2020).index
    from_file = score_levels(path, F2020).index
    pd.testing.assert_frame_equal(from_frame, from_file)


# Official results: every row of the 2023 and 2024 report tables recomputes from its domains.


@pytest.fixture(scope="module")
def official(reference_dir):
    table = pd.read_csv(reference_dir / "results_2023_2024.csv").rename(columns=DOMAIN_COLUMNS)
    return check_results(table, FRAMEWORKS.for_year(2023))


def test_all_1236_official_rows_are_checked(official):
    assert len(official) == 1236
    assert official.groupby("year").size().to_dict() == {2023: 621, 2024: 615}


def test_every_official_index_recomputes_from_its_domains_within_0_011(official):
    complete = official[official["status"] != "domain hilang"]
    assert complete["selisih"].max() <= 0.011


def test_rows_with_a_missing_domain_are_reported_not_crashed_on(official):
    missing = official[official["status"] == "domain hilang"]
    assert sorted(missing["instansi"]) == [
        "Kementerian Energi dan Sumber Daya Mineral",
        "Kementerian Pertanian",
        "Pemerintah Provinsi Jawa Timur",
    ]
    assert set(missing["year"]) == {2024}
    assert missing["predikat"].notna().all()  # the official predikat stands


def test_recomputed_predikat_differs_only_for_the_three_2023_rows_on_a_band_edge(official):
    differs = official[official["status"].str.startswith("predikat beda")]
    assert (differs["status"] == "predikat beda di batas").all()
    assert differs[["year", "instansi", "indeks", "predikat", "predikat_hitung"]].values.tolist() == [
        [2023, "Pemerintah Kab. Nias Barat", 1.8, "Cukup", "Kurang"],
        [2023, "Pemerintah Kota Serang", 2.6, "Baik", "Cukup"],
        [2023, "Pemerintah Kab. Boven Digoel", 1.8, "Cukup", "Kurang"],
    ]


def test_2024_boundary_rows_follow_the_unrounded_index(official):
    rows = official.set_index(["year", "instansi"])
    assert rows.loc[(2024, "Pemerintah Kab. Luwu"), "predikat_hitung"] == "Cukup"  # printed 2,60
    assert rows.loc[(2024, "Pemerintah Kab. Pacitan"), "predikat_hitung"] == "Baik"  # printed 3,50
    assert rows.loc[(2024, "Pemerintah Kab. Nias Barat"), "predikat_hitung"] == "Kurang"  # printed 1,80


# Bad input: every problem at once, each with row, column and value.


def test_every_kind_of_bad_level_row_is_reported_together():
    table = levels_table(F2018, {"Kota A": [3] * 35, "Kab. B": [2] * 35}, 2018).astype(str)
    table.loc[0, "tingkat"] = "6"  # line 2: outside 1-5
    table.loc[1, "tingkat"] = "2,5"  # line 3: a decimal comma: a number, but not an integer
    table.loc[2, "tingkat"] = "2.5"  # line 4: not an integer
    table.loc[3, "indikator"] = "36"  # line 5: no such indicator in 2018
    table.loc[4, "indikator"] = "satu"  # line 6: not numeric
    table = table.drop(index=[60]).reset_index(drop=True)  # Kab. B loses indicator 26
    table = pd.concat([table, table.iloc[[40]]], ignore_index=True)  # line 71 repeats line 42
    with pytest.raises(InvalidLevelsError) as raised:
        score_levels(table, F2018)
    messages = [(p.row, p.column, p.value, p.message) for p in raised.value.problems]
    assert (2, "tingkat", "6", "bukan tingkat bulat 1-5") in messages
    assert (3, "tingkat", "2,5", "bukan tingkat bulat 1-5") in messages
    assert (4, "tingkat", "2.5", "bukan tingkat bulat 1-5") in messages
    assert (5, "indikator", "36", "indikator tidak ada dalam PermenPANRB 5/2018 (1-35)") in messages
    assert (6, "indikator", "satu", "nomor indikator bukan angka") in messages
    assert any(row == 71 and "ganda" in text and "baris 42, 71" in text for row, _, _, text in messages)
    assert any("belum diisi untuk instansi Kab. B tahun 2018: 26" in text for *_, text in messages)
    assert any("belum diisi untuk instansi Kota A tahun 2018: 4, 5" in text for *_, text in messages)


def test_a_missing_column_is_named():
    with pytest.raises(InvalidLevelsError, match="kolom tingkat"):
        score_levels(pd.DataFrame({"tahun": [2018], "instansi": ["A"], "indikator": [1]}), F2018)


def test_a_clean_table_passes_validation_without_problems():
    scores = score_levels(levels_table(F2018, {"A": [2] * 35}, 2019), F2018)
    assert scores.index["predikat"].tolist() == ["Cukup"]


# ---------------------------------------------------------------- exact values at band edges

# 2018: every indicator at 2, the three Layanan Publik services (32-34, weight 10/3 each) and
# indicator 35 (weight 10) at 5: (2 x 100 + 3 x 3 x 10/3 + 3 x 10) / 100 = 260 / 100 = 2,6 exactly.
ON_THE_BAIK_EDGE_2018 = [2] * 31 + [5, 5, 5, 5]


def test_an_instansi_exactly_on_2_6_scores_2_6_not_float_noise():
    scores = score_levels(levels_table(F2018, {"A": ON_THE_BAIK_EDGE_2018}, 2018), F2018)
    assert repr(float(scores.index["indeks"].iloc[0])) == "2.6"
    assert scores.index["predikat"].iloc[0] == "Baik"


@pytest.mark.parametrize(("framework", "year"), [(F2018, 2018), (F2020, 2024)])
@settings(deadline=None)  # a DuckDB connection per example: a busy machine takes longer than 200 ms
@given(level=st.integers(1, 5))
def test_a_uniform_level_is_exactly_that_level_in_index_domains_and_aspects(framework, year, level):
    scores = score_levels(levels_table(framework, {"A": [level] * len(framework.indicators)}, year), framework)
    values = [scores.index["indeks"].iloc[0], *scores.domains.iloc[0], *scores.aspects.iloc[0]]
    assert {repr(float(v)) for v in values} == {repr(float(level))}


@settings(max_examples=60, deadline=None)
@given(data=st.data(), use_2018=st.booleans())
def test_every_index_is_the_float_nearest_its_exact_weighted_mean(data, use_2018):
    framework, year = (F2018, 2018) if use_2018 else (F2020, 2024)
    levels = data.draw(
        st.lists(st.integers(1, 5), min_size=len(framework.indicators), max_size=len(framework.indicators))
    )
    weights = [Fraction(w).limit_denominator(100) for w in framework.indicators["indicator_weight"]]
    exact = sum(w * level for w, level in zip(weights, levels, strict=True)) / sum(weights)
    scores = score_levels(levels_table(framework, {"A": levels}, year), framework)
    assert scores.index["indeks"].iloc[0] == float(exact)


def test_score_json_prints_an_edge_index_as_the_edge(tmp_path, capsys):
    path = tmp_path / "tepi.csv"
    levels_table(F2018, {"Kota Surabaya": ON_THE_BAIK_EDGE_2018, "Kota Medan": [1] * 35}, 2018).to_csv(
        path, index=False
    )
    assert cli.main(["score", str(path), "--json"]) == 0
    printed = capsys.readouterr().out
    assert '"indeks": 2.6,' in printed and '"indeks": 1.0,' in printed
    assert "99999" not in printed and "00000" not in printed
