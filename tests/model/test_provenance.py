"""The provenance of a year or a chart follows from that of its rows, by one rule."""

import pytest

from spbe.model.provenance import Provenance, provenance_of


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (["resmi", "resmi"], Provenance.RESMI),
        (["impor"], Provenance.IMPOR),
        (["simulasi"], Provenance.SIMULASI),
        (["resmi", "impor"], Provenance.GABUNGAN),  # the 2025 import beside the published years
        (["resmi", "simulasi"], Provenance.MEMUAT_SIMULASI),  # an instansi's history with 2018
        (["impor", "simulasi"], Provenance.MEMUAT_SIMULASI),  # part of 2018 imported over the simulation
        (["gabungan", "resmi"], Provenance.GABUNGAN),  # years that are mixtures themselves
        (["gabungan", "simulasi"], Provenance.MEMUAT_SIMULASI),
    ],
)
def test_the_provenance_of_rows(rows, expected):
    assert provenance_of(rows) is expected


def test_only_simulation_is_marked_as_such():
    assert {p for p in Provenance if p.has_simulation} == {Provenance.SIMULASI, Provenance.MEMUAT_SIMULASI}


def test_no_rows_have_no_provenance():
    with pytest.raises(ValueError):
        provenance_of([])
