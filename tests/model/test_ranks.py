"""Ranks within a year: competition ranking (1, 2, 2, 4) on the printed index, nationally and within kelompok.

Expected values on real data come straight from data/reference/results_2023_2024.csv (the official 2024 table).
"""

import pandas as pd
import pytest

from spbe.data.store import Store
from spbe.model.ranks import Rank, competition_ranks, instansi_ranks, ranked
from spbe.settings import ROOT

OFFICIAL = ROOT / "data" / "reference" / "results_2023_2024.csv"


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


@pytest.fixture(scope="module")
def official_2024():
    table = pd.read_csv(OFFICIAL)
    return table[table["year"] == 2024]


def test_equal_indices_share_a_rank_and_the_next_rank_skips():
    assert competition_ranks(pd.Series([3.5, 3.1, 3.1, 2.0])).tolist() == [1, 2, 2, 4]
    assert competition_ranks(pd.Series([2.0, 3.1, 3.5, 3.1, 3.1, 1.0])).tolist() == [5, 2, 1, 2, 2, 6]


def test_indices_that_print_alike_share_a_rank():
    """A simulated year holds unrounded indices: 4,153 and 4,149 both print as 4,15 and rank alike."""
    assert competition_ranks(pd.Series([4.153333, 4.149, 4.145, 4.144])).tolist() == [1, 1, 1, 4]


def test_an_instansi_without_an_index_is_neither_ranked_nor_counted():
    ranks = competition_ranks(pd.Series([3.0, None, 2.0]))
    assert ranks.iloc[0] == 1 and pd.isna(ranks.iloc[1]) and ranks.iloc[2] == 2


def test_ranks_within_kelompok_on_a_hand_made_year():
    year = pd.DataFrame(
        {
            "instansi_id": ["a", "b", "c", "d", "e", "f"],
            "nama": ["A", "B", "C", "D", "E", "F"],
            "kelompok": ["Kota", "Kota", "Kementerian", "Kota", "Kementerian", "Kota"],
            "indeks": [3.5, 3.1, 4.0, 3.1, 2.0, 1.9],
        }
    )
    table = ranked(year).set_index("instansi_id")
    assert table["peringkat_nasional"].to_dict() == {"c": 1, "a": 2, "b": 3, "d": 3, "e": 5, "f": 6}
    assert table["peringkat_kelompok"].to_dict() == {"c": 1, "a": 1, "b": 2, "d": 2, "e": 2, "f": 4}
    ranks = instansi_ranks(year, "d")
    assert ranks is not None
    assert ranks.national == Rank(position=3, of=6, tied=1)
    assert ranks.group == Rank(position=2, of=4, tied=1)
    assert ranks.kelompok == "Kota"
    assert instansi_ranks(year, "unknown") is None


def test_2024_a_shared_index_ranks_as_the_official_table_counts(store, official_2024):
    """Kementerian Luar Negeri 2024: 3,93, an index eight instansi share."""
    own = official_2024.set_index("instansi").loc["Kementerian Luar Negeri"]
    higher = int((official_2024["indeks"] > own["indeks"]).sum())
    same = int((official_2024["indeks"] == own["indeks"]).sum())
    ministries = official_2024[official_2024["category"] == "Kementerian"]
    assert (own["indeks"], same, len(official_2024), len(ministries)) == (3.93, 8, 615, 34)
    instansi_id = store.instansi_list().set_index("nama").at["Kementerian Luar Negeri", "instansi_id"]
    ranks = instansi_ranks(store.results(2024), instansi_id)
    assert ranks is not None
    assert ranks.national == Rank(position=higher + 1, of=615, tied=same - 1)
    assert ranks.group == Rank(
        position=int((ministries["indeks"] > own["indeks"]).sum()) + 1,
        of=34,
        tied=int((ministries["indeks"] == own["indeks"]).sum()) - 1,
    )
    assert ranks.kelompok == "Kementerian"


def test_2024_two_ministries_on_4_00_share_their_rank_among_the_34(store, official_2024):
    ministries = official_2024[official_2024["category"] == "Kementerian"]
    tied = ministries[ministries["indeks"] == 4.00]
    assert len(tied) == 2
    expected = int((ministries["indeks"] > 4.00).sum()) + 1
    table = ranked(store.results(2024))
    shared = table[(table["kelompok"] == "Kementerian") & (table["indeks"] == 4.00)]
    assert shared["peringkat_kelompok"].tolist() == [expected, expected]
    following = table[(table["kelompok"] == "Kementerian") & (table["indeks"] < 4.00)]["peringkat_kelompok"].min()
    assert following == expected + 2  # the next rank skips the shared place


def test_2024_every_kelompok_counts_its_instansi(store, official_2024):
    counts = ranked(store.results(2024)).groupby("kelompok")["peringkat_kelompok"].count()
    assert counts.to_dict() == official_2024["category"].value_counts().to_dict()
    assert counts["Kementerian"] == 34 and counts["Kota"] == 93 and counts["Kabupaten"] == 392
