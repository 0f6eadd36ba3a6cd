"""Predikat bands (PermenPANRB 59/2020 Tabel 13), decided on the unrounded index."""

import pandas as pd
import pytest

from spbe.model.predikat import LOWER_EDGES, PREDIKAT, predikat_of, predikat_series


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (1.0, "Kurang"),
        (1.7999, "Kurang"),
        (1.8, "Cukup"),
        (2.5999, "Cukup"),
        (2.6, "Baik"),
        (3.4986, "Baik"),  # Kab. Pacitan 2024: printed 3,50, official Baik
        (3.5, "Sangat Baik"),
        (4.1999, "Sangat Baik"),
        (4.2, "Memuaskan"),
        (5.0, "Memuaskan"),
    ],
)
def test_band_edges(index, expected):
    assert predikat_of(index) == expected


def test_index_of_exactly_2_6_from_float_arithmetic_is_baik():
    assert predikat_of(0.13 * 2.6 + 0.25 * 2.6 + 0.165 * 2.6 + 0.455 * 2.6) == "Baik"


@pytest.mark.parametrize("index", [0.99, 5.01, -1.0])
def test_an_index_outside_1_to_5_is_an_error(index):
    with pytest.raises(ValueError, match="di luar rentang"):
        predikat_of(index)


def test_missing_index_stays_missing():
    assert predikat_series(pd.Series([2.0, None])).isna().tolist() == [False, True]


def test_constants_match_the_reference_band_table(reference_dir):
    bands = pd.read_csv(reference_dir / "predikat_bands.csv").set_index("predikat")
    assert set(bands.index) == set(PREDIKAT)
    lower = [bands.at[name, "min_inclusive"] for name in PREDIKAT[1:]]
    assert lower == list(LOWER_EDGES)
