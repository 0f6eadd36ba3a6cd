"""Predikat bands of the Indeks SPBE (PermenPANRB 59/2020 Tabel 13).

Memuaskan 4,2-5,0 · Sangat Baik [3,5; 4,2) · Baik [2,6; 3,5) · Cukup [1,8; 2,6) · Kurang < 1,8,
always decided on the unrounded index. tests/model/test_predikat.py checks these constants against
data/reference/predikat_bands.csv.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from spbe.core.rounding import NOISE_DECIMALS

PREDIKAT = ("Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan")  # worst to best
LOWER_EDGES = (1.8, 2.6, 3.5, 4.2)  # lower edge of Cukup, Baik, Sangat Baik, Memuaskan
BAIK_MIN = 2.6
INDEX_MIN, INDEX_MAX = 1.0, 5.0
BELOW_BAIK = ("Kurang", "Cukup")


def predikat_of(index: float) -> str:
    """Predikat of one unrounded index; an index outside 1-5 is an error, not a band."""
    return str(predikat_series(pd.Series([index])).iloc[0])


def predikat_series(index: pd.Series) -> pd.Series:
    """Vectorised predikat; NaN stays missing, values outside 1-5 raise ValueError."""
    # An index computed elsewhere (a mean, a file) may carry float noise (2,5999999999999996):
    # it is decided on the decimal it stands for, so an exact edge stays on its side.
    values = index.astype("float64").round(NOISE_DECIMALS)
    present = values.notna()
    out_of_range = present & ((values < INDEX_MIN) | (values > INDEX_MAX))
    if out_of_range.any():
        bad = values[out_of_range].iloc[0]
        raise ValueError(f"Indeks {bad} di luar rentang {INDEX_MIN:g}-{INDEX_MAX:g}")
    band = np.searchsorted(np.array(LOWER_EDGES), values[present].to_numpy(), side="right")
    result = pd.Series(pd.NA, index=index.index, dtype="string")
    result[present] = np.array(PREDIKAT, dtype=object)[band]
    return result


def is_baik_or_better(predikat: pd.Series) -> pd.Series:
    return predikat.isin(PREDIKAT[2:])


def rank(predikat: str) -> int:
    """0 for Kurang up to 4 for Memuaskan."""
    return PREDIKAT.index(predikat)
