"""What changed between two years on one instrument (spbe.model.changes), against the official 2023 and 2024
results: every expected value is computed here with plain pandas from the store's rows, not by the code tested."""

import pandas as pd
import pytest

from spbe.data.store import Store
from spbe.model import changes
from spbe.model.predikat import Bands
from spbe.settings import ROOT

BANDS = ("Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan")


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


@pytest.fixture(scope="module")
def official(store):
    return store.results(2023), store.results(2024)


@pytest.fixture(scope="module")
def pair(store, official):
    return changes.compare(*official, 2023, 2024, store.framework(2024).bands)


@pytest.fixture(scope="module")
def both(official):
    """The instansi evaluated in both years, merged by hand."""
    first, last = official
    return first.merge(last, on="instansi_id", suffixes=("_2023", "_2024"))


def test_the_607_instansi_of_both_years_are_matched_by_id(pair, both):
    assert len(both) == 607
    assert len(pair.matched) == 607
    assert set(pair.matched["instansi_id"]) == set(both["instansi_id"])


def test_the_transition_matrix_sums_to_607_and_its_margins_are_each_years_predikat_counts(pair, both):
    matrix = changes.transition_matrix(pair)
    assert list(matrix.index) == list(BANDS)
    assert list(matrix.columns) == list(BANDS)  # every band, zero cells included
    assert int(matrix.to_numpy().sum()) == 607
    counts_2023 = both["predikat_2023"].value_counts().reindex(BANDS, fill_value=0)
    counts_2024 = both["predikat_2024"].value_counts().reindex(BANDS, fill_value=0)
    assert matrix.sum(axis=1).tolist() == counts_2023.tolist()
    assert matrix.sum(axis=0).tolist() == counts_2024.tolist()
    assert matrix.at["Memuaskan", "Kurang"] == 0  # a zero cell is kept
    expected = pd.crosstab(both["predikat_2023"], both["predikat_2024"])
    assert matrix.at["Baik", "Sangat Baik"] == expected.at["Baik", "Sangat Baik"]


def test_naik_turun_tetap_follow_the_official_predikat(pair, both):
    rank = {name: number for number, name in enumerate(BANDS)}
    step = both["predikat_2024"].map(rank) - both["predikat_2023"].map(rank)
    expected = {"naik": int((step > 0).sum()), "turun": int((step < 0).sum()), "tetap": int((step == 0).sum())}
    assert changes.direction_counts(pair) == expected
    assert sum(expected.values()) == 607


def test_the_top_gainer_and_the_steepest_fall_are_the_largest_changes_of_the_index(pair, both):
    change = (both["indeks_2024"] - both["indeks_2023"]).round(9)
    gainer = both.loc[change.idxmax()]
    faller = both.loc[change.idxmin()]
    gains = changes.movers(pair, 10, gains=True)
    falls = changes.movers(pair, 10, gains=False)
    assert gains.iloc[0]["nama"] == gainer["nama_2024"]
    assert gains.iloc[0]["perubahan"] == pytest.approx(gainer["indeks_2024"] - gainer["indeks_2023"])
    assert falls.iloc[0]["nama"] == faller["nama_2024"]
    assert len(gains) == len(falls) == 10
    assert gains["perubahan"].is_monotonic_decreasing and (gains["perubahan"] > 0).all()
    assert falls["perubahan"].is_monotonic_increasing and (falls["perubahan"] < 0).all()
    assert gains["perubahan"].iloc[-1] == pytest.approx(change.sort_values(ascending=False).iloc[9])


def test_equal_changes_are_ordered_by_the_later_index_then_by_name():
    bands = Bands(BANDS, (1.0, 1.8, 2.6, 3.5, 4.2, 5.0))
    start = pd.DataFrame(
        {
            "instansi_id": ["a", "b", "c"],
            "nama": ["Kota B", "Kota A", "Kota C"],
            "indeks": [2.0, 2.0, 3.0],
            "predikat": ["Cukup", "Cukup", "Baik"],
            "provenance": "resmi",
            "sumber": "uji",
            "kelompok": "Kota",
            "kategori": "Kota",
            "kode_provinsi": "11",
            "nama_provinsi": "Aceh",
        }
    )
    end = start.assign(indeks=[2.5, 2.5, 3.5], predikat=["Cukup", "Cukup", "Sangat Baik"])
    pair = changes.compare(start, end, 2023, 2024, bands)
    assert changes.movers(pair, 3)["nama"].tolist() == ["Kota C", "Kota A", "Kota B"]


def test_instansi_of_one_year_only_are_listed_by_name(pair, official):
    first, last = official
    only_2023 = set(first["nama"][~first["instansi_id"].isin(last["instansi_id"])])
    only_2024 = set(last["nama"][~last["instansi_id"].isin(first["instansi_id"])])
    assert len(only_2023) == 621 - 607 == len(pair.only_start)
    assert len(only_2024) == 615 - 607 == len(pair.only_end)
    assert set(pair.only_start["nama"]) == only_2023
    assert set(pair.only_end["nama"]) == only_2024
    assert "Lembaga Administrasi Negara" in only_2023


def test_crossing_into_baik_and_the_change_by_kelompok(pair, both):
    below, better = ("Kurang", "Cukup"), ("Baik", "Sangat Baik", "Memuaskan")
    crossed = both[both["predikat_2023"].isin(below) & both["predikat_2024"].isin(better)]
    assert set(changes.crossed_into_baik(pair)["instansi_id"]) == set(crossed["instansi_id"])
    ministries = both[both["kelompok_2024"] == "Kementerian"]
    rank = {name: number for number, name in enumerate(BANDS)}
    up = ministries["predikat_2024"].map(rank) > ministries["predikat_2023"].map(rank)
    row = changes.change_by_group(pair).set_index("kelompok").loc["Kementerian"]
    assert row["n"] == len(ministries) == 34
    assert row["rata_rata_perubahan"] == pytest.approx((ministries["indeks_2024"] - ministries["indeks_2023"]).mean())
    assert row["persen_naik"] == pytest.approx(100 * up.mean())


def test_filters_narrow_every_list_on_its_own_attributes(pair, both):
    narrowed = pair.filtered(kelompok=["Kementerian"])
    assert len(narrowed.matched) == int((both["kelompok_2024"] == "Kementerian").sum())
    assert narrowed.only_start.empty and narrowed.only_end.empty  # every ministry was evaluated in both years
    found = pair.filtered(cari="bantul")
    assert found.matched["nama"].tolist() == ["Kabupaten Bantul"]


SCALES = {2018: "Indeks SPBE", 2023: "Indeks SPBE", 2024: "Indeks SPBE", 2026: "Indeks Pemerintah Digital"}


def test_only_years_of_one_instrument_pair_and_the_latest_two_are_the_default():
    assert changes.default_pair(SCALES) == (2023, 2024)
    assert changes.comparable_starts(SCALES) == [2018, 2023]
    assert changes.comparable_later(2018, SCALES) == [2023, 2024]  # never 2026: another index scale
    assert changes.checked_pair("2018", "2023", SCALES) == ((2018, 2023), None)
    assert changes.checked_pair(None, None, SCALES) == ((2023, 2024), None)


@pytest.mark.parametrize(("start", "end"), [("2024", "2023"), ("2024", "2026"), ("2019", "2024"), ("dua", "2024")])
def test_an_impossible_pair_gives_the_default_and_says_why(start, end):
    pair, message = changes.checked_pair(start, end, SCALES)
    assert pair == (2023, 2024)
    assert message is not None and "Ditampilkan 2023 → 2024" in message


def test_two_years_of_another_band_set_are_refused():
    bands = Bands(BANDS, (1.0, 1.8, 2.6, 3.5, 4.2, 5.0))
    start = pd.DataFrame({"instansi_id": ["a"], "indeks": [2.0], "predikat": ["Lain"], "provenance": "resmi"})
    with pytest.raises(ValueError, match="Lain"):
        changes.compare(start.assign(sumber="uji"), start.assign(sumber="uji"), 2023, 2024, bands)
