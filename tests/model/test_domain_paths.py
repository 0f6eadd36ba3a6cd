"""Paths to Baik for a year with only component indices, on rows of the official 2024 table (KepmenPANRB
663/2024), whose components are the four domains of PermenPANRB 59/2020."""

import math

import pandas as pd
import pytest

from spbe.model.framework import load_frameworks
from spbe.model.pathways import component_paths

COLUMNS = ["instansi_id", "nama", "indeks", "predikat", "komponen_1", "komponen_2", "komponen_3", "komponen_4"]
ASMAT = ["93.04", "Kabupaten Asmat", 1.03, "Kurang", 1.0, 1.1, 1.0, 1.0]
LUWU = ["73.17", "Kabupaten Luwu", 2.60, "Cukup", 1.2, 2.1, 1.27, 3.75]  # printed 2,60, recomputed 2,5968
KEMENKEU = ["KEMENKEU", "Kementerian Keuangan", 4.74, "Memuaskan", 5.0, 4.8, 4.09, 4.87]


@pytest.fixture(scope="module")
def framework_2024(reference_dir):
    return load_frameworks(reference_dir).for_year(2024)


def paths_of(framework, *rows):
    return component_paths(pd.DataFrame(list(rows), columns=COLUMNS), framework).set_index("instansi_id")


def test_only_instansi_below_baik_get_a_path(framework_2024):
    paths = paths_of(framework_2024, ASMAT, LUWU, KEMENKEU)
    assert paths.index.tolist() == ["93.04", "73.17"]
    assert paths.columns.tolist() == ["indeks", "kenaikan_komponen", "indeks_setelah"]


def test_the_heaviest_domain_is_raised_first_rounded_up_to_two_decimals(framework_2024):
    # Asmat: (13 x 1,0 + 25 x 1,1 + 16,5 x 1,0 + 45,5 x 1,0) / 100 = 1,025; Layanan (weight 45,5)
    # needs (2,6 x 100 - 102,5) / 45,5 = 3,4615..., written +3,47 (enough, never +3,46)
    path = paths_of(framework_2024, ASMAT).loc["93.04"]
    assert path["kenaikan_komponen"] == "Layanan SPBE +3,47"
    assert path["indeks_setelah"] == 2.6
    assert path["indeks"] == 1.03


def test_an_official_cukup_on_the_band_edge_still_gets_its_path(framework_2024):
    # Luwu is Cukup although its printed index reads 2,60: the domains recompute to 2,5968, 0,0032 short
    path = paths_of(framework_2024, LUWU).loc["73.17"]
    assert path["kenaikan_komponen"] == "Layanan SPBE +0,01"
    assert path["indeks_setelah"] == 2.6


def test_a_missing_domain_index_gives_no_path_rather_than_a_guess(framework_2024):
    unpublished = [*ASMAT[:4], math.nan, *ASMAT[5:]]  # Kebijakan Internal not in the source
    path = paths_of(framework_2024, unpublished).loc["93.04"]
    assert pd.isna(path["kenaikan_komponen"]) and pd.isna(path["indeks_setelah"])


def test_no_instansi_below_baik_gives_an_empty_table_with_its_columns(framework_2024):
    paths = component_paths(pd.DataFrame([KEMENKEU], columns=COLUMNS), framework_2024)
    assert paths.empty
    assert paths.columns.tolist() == ["instansi_id", "indeks", "kenaikan_komponen", "indeks_setelah"]
