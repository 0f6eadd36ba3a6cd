"""Paths to Baik: the fewest level-ups, proven against brute force on small cases."""

import itertools
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spbe.data.store import Store
from spbe.model.framework import Framework
from spbe.model.pathways import (
    describe_plan,
    domain_increase_needed,
    domain_steps,
    fewest_level_ups,
    index_after,
    next_predikat,
    paths_for_year,
    plan_steps,
    what_if,
)
from spbe.model.scoring import index_from_domains
from spbe.settings import ROOT
from tests.frameworks import F2018, F2020


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


def brute_force_minimum(levels: list[int], weights: list[float], target: float) -> int | None:
    """Try every combination of raises, smallest total first."""
    headroom = [5 - level for level in levels]
    total = sum(weights)
    best = None
    for raises in itertools.product(*[range(h + 1) for h in headroom]):
        index = sum((lv + r) * w for lv, r, w in zip(levels, raises, weights, strict=True)) / total
        if round(index, 9) >= target and (best is None or sum(raises) < best):
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


def test_domain_only_years_fill_the_heaviest_domain_first():
    increase = domain_increase_needed(pd.Series({1: 2.0, 2: 2.0, 3: 2.0, 4: 2.0}), F2020, 2.6)
    assert increase[4] == pytest.approx(0.6 * 100 / 45.5)
    assert increase[[1, 2, 3]].sum() == 0
    assert domain_increase_needed(pd.Series({1: None, 2: 2.0, 3: 2.0, 4: 2.0}), F2020, 2.6) is None


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


def test_domain_steps_are_rounded_up_so_the_increase_shown_is_enough():
    # Kab. Pacitan 2024: domains 4,70 / 3,00 / 2,09 / 3,94 give 3,49855, just under Sangat Baik.
    domains = pd.Series({1: 4.70, 2: 3.00, 3: 2.09, 4: 3.94})
    increase = domain_increase_needed(domains, F2020, 3.5)
    assert increase[4] == pytest.approx((3.5 - 3.49855) * 100 / 45.5)  # 0,0032: half-up would print 0,00
    steps = domain_steps(increase, F2020)
    assert steps == [("Layanan SPBE", Decimal("0.01"))]
    raised = domains + pd.Series({4: float(steps[0][1])}).reindex(domains.index, fill_value=0)
    assert index_from_domains(raised.to_frame().T, F2020).iloc[0] >= 3.5


def test_what_if_counts_an_official_row_on_the_baik_edge_by_its_predikat():
    results = Store(ROOT / "data").results(2024)
    _, below = what_if(results, pd.Series(dtype=float), F2020.bands)
    assert below == pytest.approx(100 * (127 + 19) / 615)  # Cukup 127 + Kurang 19, Kab. Luwu (2,60) among them
    luwu = results.loc[results["nama"] == "Kabupaten Luwu", "instansi_id"].iloc[0]
    _, after = what_if(results, pd.Series({luwu: 2.6}), F2020.bands)
    assert after == pytest.approx(100 * 145 / 615)
