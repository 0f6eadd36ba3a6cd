"""Weight sensitivity (spbe.model.sensitivity): zero spread is the official result, draws are seeded, ranks and
intervals as computed by hand, instansi without every component held and counted."""

import numpy as np
import pandas as pd
import pytest

from spbe.data.store import Store
from spbe.model import sensitivity
from spbe.model.predikat import Bands
from spbe.settings import ROOT

REFERENCE = ROOT / "data" / "reference"
WEIGHTS_59_2020 = np.array([13.0, 25.0, 16.5, 45.5])  # PermenPANRB 59/2020: Kebijakan, Tata Kelola, Manajemen, Layanan
BANDS = Bands(("Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan"), (1.0, 1.8, 2.6, 3.5, 4.2, 5.0))
COLUMNS = ["komponen_1", "komponen_2", "komponen_3", "komponen_4"]


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


def official_run(store: Store, year: int, **options) -> sensitivity.Sensitivity:
    framework = store.framework(year)
    national = pd.read_csv(REFERENCE / "national_series.csv").set_index("year").loc[year]
    return sensitivity.run(
        store.results(year),
        store.component_columns(year),
        framework.components["weight"].to_numpy(dtype=float),
        framework.bands,
        national_components=national[["kebijakan", "tata_kelola", "manajemen", "layanan"]].to_numpy(dtype=float),
        national_official=float(national["national_index"]),
        **options,
    )


@pytest.mark.parametrize("year", [2023, 2024])
def test_zero_spread_reproduces_the_official_predikat_counts_in_every_draw(store, year):
    official = pd.read_csv(REFERENCE / "results_2023_2024.csv")
    official = official[official["year"] == year]["predikat"].value_counts()
    run = official_run(store, year, spread=0.0, draws=50)
    for name, count in official.items():
        assert (run.predikat_counts[name] == count).all(), name
    if year == 2024:
        assert run.predikat_counts.iloc[0].to_dict() == {
            "Kurang": 19,
            "Cukup": 127,
            "Baik": 239,
            "Sangat Baik": 182,
            "Memuaskan": 48,
        }
        assert (run.baik_or_better == 469).all()
    assert run.instansi["predikat_tetap"].all()


def test_zero_spread_reproduces_the_published_national_index_3_12(store):
    run = official_run(store, 2024, spread=0.0, draws=20)
    assert np.allclose(run.national, 3.12)
    assert run.national_interval() == pytest.approx((3.12, 3.12))


def test_the_published_national_domains_at_the_official_weights_give_3_12():
    """3,36 / 2,62 / 1,86 / 3,78 at 13 / 25 / 16,5 / 45,5 % is 3,1186: the published 3,12."""
    assert round(float(np.array([3.36, 2.62, 1.86, 3.78]) @ WEIGHTS_59_2020 / 100), 2) == 3.12


def test_three_2023_instansi_recompute_across_an_edge_and_keep_their_official_predikat_at_zero_spread(store):
    results = store.results(2023)
    framework = store.framework(2023)
    recomputed = results[COLUMNS].to_numpy() @ WEIGHTS_59_2020 / 100
    differ = framework.bands.predikat_series(pd.Series(recomputed)).to_numpy() != results["predikat"].to_numpy()
    assert sorted(results.loc[differ, "nama"]) == ["Kabupaten Boven Digoel", "Kabupaten Nias Barat", "Kota Serang"]
    run = official_run(store, 2023, spread=0.0, draws=10)
    kept = run.instansi.set_index("nama").loc[["Kota Serang", "Kabupaten Boven Digoel", "Kabupaten Nias Barat"]]
    assert list(kept["predikat_terendah"]) == ["Baik", "Cukup", "Cukup"]
    assert list(kept["predikat_tertinggi"]) == ["Baik", "Cukup", "Cukup"]


def test_instansi_without_every_component_are_held_and_counted_as_untestable(store):
    official = pd.read_csv(REFERENCE / "results_2023_2024.csv")
    official = official[official["year"] == 2024]
    domains = [column for column in official.columns if column.startswith("d") and column[1].isdigit()]
    missing = official[official[domains].isna().any(axis=1)]
    run = official_run(store, 2024, draws=200)
    untestable = run.untestable
    assert len(untestable) == len(missing) == 3
    assert run.testable == 612
    assert (untestable["predikat_terendah"] == untestable["predikat"]).all()
    assert (untestable["predikat_tertinggi"] == untestable["predikat"]).all()
    assert run.predikat_counts.sum(axis=1).eq(615).all()  # every instansi in every total


def test_a_fixed_seed_gives_the_same_run_and_another_seed_a_different_one(store):
    first = official_run(store, 2024, draws=300, seed=7)
    again = official_run(store, 2024, draws=300, seed=7)
    other = official_run(store, 2024, draws=300, seed=8)
    assert np.array_equal(first.baik_or_better, again.baik_or_better)
    assert np.array_equal(first.national, again.national)
    pd.testing.assert_frame_equal(first.instansi, again.instansi)
    assert not np.array_equal(first.national, other.national)
    assert not np.array_equal(first.baik_or_better, other.baik_or_better)


def test_drawn_weights_sum_to_one_and_each_factor_stays_within_the_spread():
    draws = sensitivity.draw_weights(WEIGHTS_59_2020, 0.2, 5_000, seed=1)
    assert draws.weights.shape == (5_000, 4)
    assert np.allclose(draws.weights.sum(axis=1), 1.0)
    assert draws.factors.min() >= 0.8 and draws.factors.max() <= 1.2
    assert draws.factors.min() < 0.81 and draws.factors.max() > 1.19  # the whole spread is used
    before = draws.factors * WEIGHTS_59_2020
    assert np.allclose(draws.weights, before / before.sum(axis=1, keepdims=True))


def test_competition_ranks_share_the_best_rank_among_ties():
    index = np.array([[3.0, 2.0, 3.0, 1.0], [1.0, 2.0, 3.0, 4.0]])
    assert sensitivity.competition_ranks(index).tolist() == [[1, 3, 1, 4], [4, 3, 2, 1]]


def test_rank_median_and_interval_of_a_hand_made_case():
    """Two components, weights 50/50, spread 0,5: A (5, 1) and B (1, 5) trade places as the weights move; C (3, 3)
    stays at 3 whatever the weights. Drawn with seed 3, the first component's weight is above one half in the
    draws where A ranks 1; by hand: A ranks 1 in those draws and 3 (below C) in the others, B the reverse."""
    results = pd.DataFrame(
        {
            "instansi_id": ["A", "B", "C"],
            "nama": ["A", "B", "C"],
            "indeks": [3.0, 3.0, 3.0],
            "predikat": ["Baik", "Baik", "Baik"],
            "k1": [5.0, 1.0, 3.0],
            "k2": [1.0, 5.0, 3.0],
        }
    )
    run = sensitivity.run(results, ["k1", "k2"], np.array([50.0, 50.0]), BANDS, spread=0.5, draws=21, seed=3)
    first = sensitivity.draw_weights(np.array([50.0, 50.0]), 0.5, 21, seed=3).weights[:, 0]
    a_ranks = np.where(first > 0.5, 1, 3)
    expected_median = int(np.sort(a_ranks)[10])  # the 11th of 21: nearest-rank median
    a = run.instansi.set_index("nama").loc["A"]
    assert a["peringkat_median"] == expected_median
    assert (a["peringkat_p5"], a["peringkat_p95"]) == (1, 3)
    assert run.instansi.set_index("nama").loc["C", "peringkat_median"] == 2  # always between A and B
    assert run.instansi.set_index("nama").loc["C", ["peringkat_p5", "peringkat_p95"]].tolist() == [2, 2]
    # Index of A under the weights (w, 1-w): 5w + 1(1-w) = 1 + 4w, between 2 and 4: Cukup/Sangat Baik possible
    lowest, highest = 1 + 4 * first.min(), 1 + 4 * first.max()
    assert a["predikat_terendah"] == BANDS.predikat_of(lowest)
    assert a["predikat_tertinggi"] == BANDS.predikat_of(highest)
    assert not a["predikat_tetap"]
    assert run.instansi.set_index("nama").loc["C", "predikat_tetap"]


def test_an_index_recomputed_outside_its_official_band_is_anchored_at_the_band_edge():
    """Printed components that recompute to 2,5994 for an official Baik (Kota Serang 2023): the anchor is 2,6, so a
    draw that lowers the index at all makes it Cukup, one that raises it keeps Baik; never Sangat Baik at 2,61."""
    anchored = sensitivity.anchors(np.array([2.5994, 2.6004]), np.array([2, 1]), BANDS)
    assert anchored[0] == 2.6
    assert BANDS.predikat_of(anchored[0]) == "Baik"
    assert 2.6 - 1e-5 < anchored[1] < 2.6 and BANDS.predikat_of(anchored[1]) == "Cukup"


def test_ranks_made_a_block_of_draws_at_a_time_equal_pandas_min_ranks(monkeypatch):
    """Ties share the best rank (pandas' method="min", highest first), whatever the block the rows are ranked in."""
    rng = np.random.default_rng(7)
    index = rng.integers(10, 20, size=(50, 40)) / 10  # many ties per row
    expected = pd.DataFrame(index).rank(axis=1, method="min", ascending=False).to_numpy(dtype=np.int64)
    monkeypatch.setattr(sensitivity, "RANK_BLOCK_CELLS", 7 * 40 + 3)  # blocks of 7 rows, the last one short
    assert (sensitivity.competition_ranks(index) == expected).all()
