"""Predikat bands (PermenPANRB 59/2020 Tabel 13), decided on the unrounded index, one set per framework."""

import shutil

import pandas as pd
import pytest

from spbe.model.framework import FrameworkError, load_frameworks
from spbe.model.predikat import Bands
from tests.frameworks import F2018, F2020, FRAMEWORKS

BANDS = F2020.bands
PREDIKAT = ("Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan")  # worst to best, as the regulation lists them
LOWER_EDGES = (1.8, 2.6, 3.5, 4.2)  # lower edge of Cukup, Baik, Sangat Baik, Memuaskan


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
    assert BANDS.predikat_of(index) == expected


def test_index_of_exactly_2_6_from_float_arithmetic_is_baik():
    assert BANDS.predikat_of(0.13 * 2.6 + 0.25 * 2.6 + 0.165 * 2.6 + 0.455 * 2.6) == "Baik"


@pytest.mark.parametrize("index", [0.99, 5.01, -1.0])
def test_an_index_outside_1_to_5_is_an_error(index):
    with pytest.raises(ValueError, match="di luar rentang"):
        BANDS.predikat_of(index)


def test_missing_index_stays_missing():
    assert BANDS.predikat_series(pd.Series([2.0, None])).isna().tolist() == [False, True]


@pytest.mark.parametrize("framework", [F2018, F2020], ids=lambda f: f.key)
def test_each_framework_reads_the_bands_of_the_regulation_from_the_reference_table(reference_dir, framework):
    table = pd.read_csv(reference_dir / "predikat_bands.csv")
    bands = table[table["framework"] == framework.key].set_index("predikat")
    assert set(bands.index) == set(PREDIKAT)
    lower = [bands.at[name, "min"] for name in PREDIKAT[1:]]
    assert lower == list(LOWER_EDGES)
    assert framework.bands.names == PREDIKAT
    assert framework.bands.lower_edges == LOWER_EDGES
    assert (framework.bands.index_min, framework.bands.index_max) == (1.0, 5.0)


@pytest.mark.parametrize("framework", [F2018, F2020], ids=lambda f: f.key)
def test_the_baik_threshold_and_baik_or_better_come_with_the_framework(framework):
    assert framework.bands.baik_min == 2.6
    assert framework.bands.baik_or_better == ("Baik", "Sangat Baik", "Memuaskan")
    assert framework.bands.below_baik == ("Kurang", "Cukup")


def test_each_year_gets_the_bands_of_its_framework():
    assert FRAMEWORKS.for_year(2019).bands is F2018.bands
    assert FRAMEWORKS.for_year(2024).bands is F2020.bands


def test_other_bands_are_other_rows_of_the_table():
    """A framework with other edges and names (as the 2026 index will have) needs only its rows."""
    bands = Bands(("Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan"), (1.0, 1.5, 2.5, 3.5, 4.0, 5.0))
    assert (bands.baik_min, bands.predikat_of(2.5), bands.predikat_of(2.4999), bands.predikat_of(4.0)) == (
        2.5,
        "Baik",
        "Cukup",
        "Memuaskan",
    )


def _bands_file_with(tmp_path, reference_dir, old, new):
    folder = shutil.copytree(reference_dir, tmp_path / "reference", ignore=shutil.ignore_patterns("*.py"))
    path = folder / "predikat_bands.csv"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return folder


def test_a_gap_between_bands_is_refused_with_file_and_row(tmp_path, reference_dir):
    folder = _bands_file_with(tmp_path, reference_dir, "permenpanrb-59-2020,Baik,2.6,", "permenpanrb-59-2020,Baik,2.7,")
    with pytest.raises(
        FrameworkError, match=r"predikat_bands\.csv baris 9: predikat Baik mulai 2,7, padahal Cukup berakhir 2,6"
    ):
        load_frameworks(folder)


def test_a_framework_without_baik_is_refused(tmp_path, reference_dir):
    folder = _bands_file_with(tmp_path, reference_dir, "permenpanrb-59-2020,Baik,", "permenpanrb-59-2020,Bagus,")
    with pytest.raises(FrameworkError, match="permenpanrb-59-2020.*Baik"):
        load_frameworks(folder)


def test_under_the_lower_edge_rule_an_exact_edge_belongs_to_the_band_below():
    """One source prints the 2026 bands as 1,00-1,50 · 1,51-2,50 · 2,51-3,50 · 3,51-4,00 · 4,01-5,00."""
    bands = Bands(PREDIKAT, (1.0, 1.5, 2.5, 3.5, 4.0, 5.0), edge_rule="lower")
    indices = pd.Series([1.0, 1.5, 1.5001, 2.5, 2.5000000000000004, 2.5001, 4.0, 5.0])
    assert bands.predikat_series(indices).tolist() == [
        "Kurang",
        "Kurang",
        "Cukup",
        "Cukup",
        "Cukup",  # float noise on 2,50 is decided on the decimal it stands for
        "Baik",
        "Sangat Baik",
        "Memuaskan",
    ]
    assert bands.predikat_of(2.5) == "Cukup"


def test_an_unknown_edge_rule_is_refused():
    with pytest.raises(ValueError, match="aturan batas 'tengah' tidak dikenal"):
        Bands(PREDIKAT, (1.0, 1.8, 2.6, 3.5, 4.2, 5.0), edge_rule="tengah")
