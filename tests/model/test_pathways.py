"""Paths to Baik: the fewest level-ups, proven against brute force on small cases."""

import itertools
from dataclasses import replace
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spbe.data.store import Store
from spbe.model.framework import Framework
from spbe.model.pathways import (
    component_increase_needed,
    component_paths,
    component_steps,
    describe_plan,
    fewest_level_ups,
    index_after,
    next_predikat,
    paths_for_year,
    plan_steps,
    reaches,
    what_if,
)
from spbe.model.scoring import index_from_components
from spbe.settings import ROOT
from tests.frameworks import F2018, F2020, F2026


def small_framework(weights: list[float]) -> Framework:
    """A made-up framework of a few indicators (one domain, one aspect) for brute force."""
    n = len(weights)
    total = sum(weights)
    indicators = pd.DataFrame(
        {
            "framework": "test",
            "domain_no": 1,
            "domain": "D",
            "domain_weight": total,
            "aspect_no": 1,
            "aspect": "A",
            "aspect_weight": total,
            "indicator_no": range(1, n + 1),
            "indicator": "x",
            "indicator_weight": weights,
            "weight_confidence": "test",
            "modul": "TIK",
        }
    )
    return Framework(
        "test", "Test", 2018, None, "test.csv", indicators, F2018.bands, "test", "aspect", "official", "test"
    )


def brute_force_minimum(levels: list[int], weights: list[float], target: float, strict: bool = False) -> int | None:
    """Try every combination of raises, smallest total first (strict: the index must exceed the target)."""
    headroom = [5 - level for level in levels]
    total = sum(weights)
    best = None
    for raises in itertools.product(*[range(h + 1) for h in headroom]):
        index = sum((lv + r) * w for lv, r, w in zip(levels, raises, weights, strict=True)) / total
        there = round(index, 9) > target if strict else round(index, 9) >= target
        if there and (best is None or sum(raises) < best):
            best = sum(raises)
    return best


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    weights=st.lists(st.sampled_from([1.0, 1.3, 2.5, 3.0, 10 / 3, 4.0, 5.0]), min_size=2, max_size=4),
    target=st.sampled_from([1.8, 2.6, 3.5, 4.2]),
)
def test_greedy_plan_is_as_short_as_brute_force(data, weights, target):
    levels = data.draw(st.lists(st.integers(1, 5), min_size=len(weights), max_size=len(weights)))
    framework = small_framework(weights)
    plan = fewest_level_ups(pd.Series(levels, index=range(1, len(weights) + 1)), framework, target)
    expected = brute_force_minimum(levels, weights, target)
    assert (None if plan is None else len(plan)) == expected
    if plan:
        assert round(index_after(np.dot(levels, weights) / sum(weights), plan, framework), 9) >= target
        assert all(step.ke == step.dari + 1 <= 5 for step in plan)


def test_a_plan_prefers_the_heaviest_indicators_then_the_weakest():
    levels = pd.Series(1, index=F2018.indicator_numbers)  # index 1,0: Kurang
    plan = fewest_level_ups(levels, F2018, 2.6)
    # Needed: (2,6 - 1,0) x 100 = 160 weight points. Indicator 35 (weight 10) gives 4 x 10 = 40,
    # then 24 steps on the weight-5 indicators 25-31, spread one level at a time: 28 steps.
    assert [step.indikator for step in plan[:4]] == [35, 35, 35, 35]
    assert [step.indikator for step in plan[4:11]] == [25, 26, 27, 28, 29, 30, 31]
    assert {step.indikator for step in plan[4:]} == set(range(25, 32))
    assert len(plan) == 28
    assert round(index_after(1.0, plan, F2018), 9) >= 2.6


def test_an_instansi_already_there_needs_no_step_and_memuaskan_has_no_next_band():
    assert fewest_level_ups(pd.Series(3, index=F2020.indicator_numbers), F2020, 2.6) == []
    assert next_predikat("Memuaskan", F2020.bands) is None


def test_plans_read_as_grouped_steps_naming_each_indicator():
    plan = fewest_level_ups(pd.Series(1, index=F2018.indicator_numbers), F2018, 1.3)
    # 3 x 10 = 30 points of the 30 needed
    assert describe_plan(plan) == "Layanan Publik Instansi Pemerintah (I35): tingkat 1 → 4"
    assert describe_plan([]) == "–"


def test_a_2018_path_names_every_indicator_it_raises_in_full():
    store = Store(ROOT / "data")
    paths = paths_for_year(store.levels(2018), store.results(2018), F2018)
    names = store.participants(2018).set_index("instansi_id")["nama"]
    tidore = paths[paths["instansi_id"].map(names) == "Kota Tidore Kepulauan"].iloc[0]
    assert tidore["langkah"] == 26
    steps = plan_steps(tidore["rencana"])
    assert steps == [
        "Layanan Publik Instansi Pemerintah (I35): tingkat 1 → 5",
        "Layanan Naskah Dinas (I25): tingkat 1 → 5",
        "Layanan Manajemen Kepegawaian (I26): tingkat 1 → 5",
        "Layanan Manajemen Perencanaan (I27): tingkat 1 → 4",
        "Layanan Manajemen Penganggaran (I28): tingkat 1 → 4",
        "Layanan Manajemen Keuangan (I29): tingkat 1 → 4",
        "Layanan Pengadaan (I31): tingkat 1 → 4",
        "Layanan Manajemen Kinerja (I30): tingkat 2 → 4",
    ]
    assert sum(int(step.split("→ ")[1]) - int(step.split("tingkat ")[1][0]) for step in steps) == 26
    assert describe_plan(tidore["rencana"]) == "; ".join(steps)  # the whole path, never cut


def test_component_only_years_fill_the_heaviest_component_first():
    increase = component_increase_needed(pd.Series({1: 2.0, 2: 2.0, 3: 2.0, 4: 2.0}), F2020, 2.6)
    assert increase[4] == pytest.approx(0.6 * 100 / 45.5)
    assert increase[[1, 2, 3]].sum() == 0
    assert component_increase_needed(pd.Series({1: None, 2: 2.0, 3: 2.0, 4: 2.0}), F2020, 2.6) is None


def test_every_2018_instansi_below_baik_gets_a_path_that_reaches_it():
    store = Store(ROOT / "data")
    results = store.results(2018)
    paths = paths_for_year(store.levels(2018), results, F2018)
    below = results[results["indeks"] < 2.6]
    assert len(paths) == len(below) == 498
    indices = results.set_index("instansi_id")["indeks"]
    after = {row.instansi_id: index_after(indices[row.instansi_id], row.rencana, F2018) for row in paths.itertuples()}
    assert min(round(v, 9) for v in after.values()) >= 2.6
    mean, below_pct = what_if(results, pd.Series(after), F2018.bands)
    assert below_pct == 0
    assert mean > 1.98


# One predikat per instansi-year: an official predikat stands, even where the printed index sits on
# the edge above it (2024: Kab. Luwu 2,60 Cukup, Kab. Pacitan 3,50 Baik, Kab. Nias Barat 1,80 Kurang).


@pytest.mark.parametrize(
    ("predikat", "target"),
    [
        ("Kurang", ("Cukup", 1.8)),
        ("Cukup", ("Baik", 2.6)),
        ("Baik", ("Sangat Baik", 3.5)),
        ("Sangat Baik", ("Memuaskan", 4.2)),
    ],
)
def test_the_next_target_is_the_band_directly_above_the_predikat_at_its_lower_edge(predikat, target):
    assert next_predikat(predikat, F2020.bands) == target


def test_official_rows_on_a_band_edge_aim_at_the_band_above_their_official_predikat():
    results = Store(ROOT / "data").results(2024).set_index("nama")
    for name, printed, official, goal in [
        ("Kabupaten Luwu", 2.60, "Cukup", ("Baik", 2.6)),
        ("Kabupaten Pacitan", 3.50, "Baik", ("Sangat Baik", 3.5)),
        ("Kabupaten Nias Barat", 1.80, "Kurang", ("Cukup", 1.8)),
    ]:
        row = results.loc[name]
        assert (row["indeks"], row["predikat"]) == (printed, official)
        assert next_predikat(row["predikat"], F2020.bands) == goal


def test_component_steps_are_rounded_up_so_the_increase_shown_is_enough():
    # Kab. Pacitan 2024: domains 4,70 / 3,00 / 2,09 / 3,94 give 3,49855, just under Sangat Baik.
    domains = pd.Series({1: 4.70, 2: 3.00, 3: 2.09, 4: 3.94})
    increase = component_increase_needed(domains, F2020, 3.5)
    assert increase[4] == pytest.approx((3.5 - 3.49855) * 100 / 45.5)  # 0,0032: half-up would print 0,00
    steps = component_steps(domains, F2020, 3.5)
    assert steps == [("Layanan SPBE", Decimal("0.01"))]
    raised = domains + pd.Series({4: float(steps[0][1])}).reindex(domains.index, fill_value=0)
    assert index_from_components(raised.to_frame().T, F2020).iloc[0] >= 3.5


def test_what_if_counts_an_official_row_on_the_baik_edge_by_its_predikat():
    results = Store(ROOT / "data").results(2024)
    _, below = what_if(results, pd.Series(dtype=float), F2020.bands)
    assert below == pytest.approx(100 * (127 + 19) / 615)  # Cukup 127 + Kurang 19, Kab. Luwu (2,60) among them
    luwu = results.loc[results["nama"] == "Kabupaten Luwu", "instansi_id"].iloc[0]
    _, after = what_if(results, pd.Series({luwu: 2.6}), F2020.bands)
    assert after == pytest.approx(100 * 145 / 615)


# --------------------------------------------------------------------------- PermenPANRB 8/2026 and the lower edge rule

# F2026 (tests.frameworks) has edge rule "upper": exactly 2,50 is Baik
F2026_LOWER = replace(F2026, bands=replace(F2026.bands, edge_rule="lower"))  # the other source: 2,50 is Cukup


def levels_2026_at_2_45() -> pd.Series:
    """By hand: the weight-5 indicators 1-5 and 13 at level 1 (30 points), 14 and every weight-4 and
    weight-3 indicator at level 2 (45 points), 19 and 20 (Kepuasan Pengguna, 10 + 15) at level 5:
    (30 x 1 + 45 x 2 + 25 x 5) / 100 = 2,45. The heaviest indicators with room left weigh 5."""
    levels = pd.Series(2, index=F2026.indicator_numbers)
    levels[[1, 2, 3, 4, 5, 13]] = 1
    levels[[19, 20]] = 5
    return levels


def test_a_2026_path_is_the_fewest_level_ups_over_its_20_weighted_indicators():
    levels = levels_2026_at_2_45()
    assert np.dot(levels, F2026.indicators["indicator_weight"]) / 100 == pytest.approx(2.45)
    # 5 points needed: one step on a weight-5 indicator, the weakest first (indicator 1 at level 1) -> exactly 2,50
    plan = fewest_level_ups(levels, F2026, 2.5)
    assert [(step.indikator, step.dari, step.ke) for step in plan] == [(1, 1, 2)]
    assert index_after(2.45, plan, F2026) == pytest.approx(2.5)


def test_under_the_lower_edge_rule_an_index_on_the_edge_needs_one_step_more():
    # 2,50 exactly is still Cukup: no single step gains more than 5 points, so two are the fewest
    plan = fewest_level_ups(levels_2026_at_2_45(), F2026_LOWER, 2.5)
    assert [(step.indikator, step.dari, step.ke) for step in plan] == [(1, 1, 2), (2, 1, 2)]
    assert fewest_level_ups(pd.Series(3, index=F2026.indicator_numbers), F2026_LOWER, 2.5) == []
    assert reaches(2.5, 2.5, F2026.bands) and not reaches(2.5, 2.5, F2026_LOWER.bands)
    assert reaches(2.5000000000000004, 2.5, F2026.bands)  # float noise decides nothing
    assert not reaches(2.5000000000000004, 2.5, F2026_LOWER.bands)


@settings(max_examples=100, deadline=None)
@given(
    data=st.data(),
    weights=st.lists(st.sampled_from([1.0, 2.0, 3.0, 5.0]), min_size=2, max_size=4),
    target=st.sampled_from([1.5, 2.5, 3.5, 4.0]),
)
def test_greedy_plan_is_as_short_as_brute_force_under_the_lower_edge_rule(data, weights, target):
    levels = data.draw(st.lists(st.integers(1, 5), min_size=len(weights), max_size=len(weights)))
    framework = replace(small_framework(weights), bands=F2026_LOWER.bands)
    plan = fewest_level_ups(pd.Series(levels, index=range(1, len(weights) + 1)), framework, target)
    expected = brute_force_minimum(levels, weights, target, strict=True)
    assert (None if plan is None else len(plan)) == expected


def test_what_if_under_the_lower_edge_rule_leaves_an_index_raised_to_the_edge_below_baik():
    results = pd.DataFrame({"instansi_id": ["a", "b"], "indeks": [2.0, 2.0], "predikat": ["Cukup", "Cukup"]})
    assert what_if(results, pd.Series({"a": 2.5}), F2026.bands)[1] == 50
    assert what_if(results, pd.Series({"a": 2.5}), F2026_LOWER.bands)[1] == 100
    assert what_if(results, pd.Series({"a": 2.51}), F2026_LOWER.bands)[1] == 50


def test_a_framework_without_modules_gives_plans_without_a_module_not_the_text_na():
    levels = levels_2026_at_2_45()
    plan = fewest_level_ups(levels, F2026, 2.5)
    assert plan[0].modul is None and plan[0].nama == "Tingkat Kematangan Tata Kelola Pemerintah Digital"
    long = pd.DataFrame({"instansi_id": "x", "indikator": levels.index, "tingkat": levels.to_numpy()})
    paths = paths_for_year(long, pd.DataFrame({"instansi_id": ["x"], "indeks": [2.45], "predikat": ["Cukup"]}), F2026)
    assert (paths.at[0, "langkah"], paths.at[0, "modul_utama"]) == (1, None)


def test_component_steps_of_2026_reach_baik_strictly_above_the_edge_under_the_lower_rule():
    # Every aspect at 2,00: 50 points short of 2,50; Kepuasan Pengguna (weight 25) +2,00 lands exactly on 2,50
    aspects = pd.Series(2.0, index=range(1, 8))
    assert component_steps(aspects, F2026, 2.5) == [("Kepuasan Pengguna", Decimal("2.00"))]
    assert component_steps(aspects, F2026_LOWER, 2.5) == [("Kepuasan Pengguna", Decimal("2.01"))]
    # Kepuasan Pengguna at 4,00 fills up to 5 and lands exactly on 2,50: (10 x 3 + 10 x 3 + 15 x 1 + 15 x 1
    # + 10 x 2 + 15 x 1 + 25 x 5) / 100; under the lower rule the step more goes to the heaviest aspect with
    # room left, Data (weight 15, first of the three)
    aspects = pd.Series({1: 3.0, 2: 3.0, 3: 1.0, 4: 1.0, 5: 2.0, 6: 1.0, 7: 4.0})
    assert component_steps(aspects, F2026, 2.5) == [("Kepuasan Pengguna", Decimal("1.00"))]
    assert component_steps(aspects, F2026_LOWER, 2.5) == [
        ("Data", Decimal("0.01")),
        ("Kepuasan Pengguna", Decimal("1.00")),
    ]
    on_edge = aspects.replace(
        4.0, 5.0
    )  # exactly 2,50 already: Baik under the upper rule, one step short under the lower
    assert component_steps(on_edge, F2026, 2.5) == []
    assert component_steps(on_edge, F2026_LOWER, 2.5) == [("Data", Decimal("0.01"))]


def test_component_paths_of_a_2026_aspect_year_name_the_aspects():
    row = {"instansi_id": "x", "indeks": 2.0, "predikat": "Cukup", **{f"komponen_{k}": 2.0 for k in range(1, 8)}}
    paths = component_paths(pd.DataFrame([row]), F2026_LOWER)
    assert paths.at[0, "kenaikan_komponen"] == "Kepuasan Pengguna +2,01"
