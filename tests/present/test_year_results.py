"""The full year of per-instansi results that every chart's download menu offers."""

import pytest

from spbe.data.store import Store
from spbe.present.year_results import year_results
from spbe.settings import ROOT


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


def test_the_full_year_2024_holds_every_official_row_with_its_source(store):
    rows = year_results(store, 2024)
    assert len(rows) == 615
    assert set(rows["provenance"]) == {"resmi"}
    assert rows["sumber"].str.contains("KemenPANRB").all()
    assert rows.iloc[0]["indeks"] == rows["indeks"].max()  # best index first
    # The domains under their names in the 2021-2025 framework, never as komponen_1..4 (nor domain_1..4)
    assert [column for column in rows.columns if "SPBE" in column] == [
        "Kebijakan Internal SPBE",
        "Tata Kelola SPBE",
        "Manajemen SPBE",
        "Layanan SPBE",
    ]
    assert not [column for column in rows.columns if column.startswith("domain_")]
    assert not [column for column in rows.columns if column.startswith("komponen_")]


def test_the_full_year_2018_is_the_simulation_with_its_three_domains(store):
    rows = year_results(store, 2018)
    assert len(rows) == 616
    assert set(rows["provenance"]) == {"simulasi"}
    assert [column for column in rows.columns if "SPBE" in column] == [
        "Kebijakan Internal SPBE",
        "Tata Kelola SPBE",
        "Layanan SPBE",
    ]


def test_a_year_with_national_figures_only_has_no_rows(store):
    assert year_results(store, 2021).empty
