"""Predikat bands of the Indeks SPBE, one set per framework, read from data/reference/predikat_bands.csv.

PermenPANRB 5/2018 and 59/2020 (Tabel 13) share the same five bands:
Memuaskan 4,2-5,0 · Sangat Baik [3,5; 4,2) · Baik [2,6; 3,5) · Cukup [1,8; 2,6) · Kurang [1,0; 1,8).
Each band holds its lower edge and not its upper one, except the top band, which holds 5,0. A
predikat is always decided on the unrounded index. "Baik" is the band of the national target:
the Baik threshold is its lower edge, and "Baik or better" is that band and every band above it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from spbe.core.rounding import NOISE_DECIMALS

BAIK = "Baik"  # the target band of every framework so far (RPJMN 2020-2024: Indeks SPBE 2,6, predikat Baik)


@dataclass(frozen=True)
class Bands:
    """The predikat bands of one framework: `names` worst to best, `edges` from the lowest index to the
    highest, one more than the names (edges[i] is the lower edge of names[i], edges[-1] the index maximum)."""

    names: tuple[str, ...]
    edges: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.edges) != len(self.names) + 1 or list(self.edges) != sorted(set(self.edges)):
            raise ValueError(f"batas predikat {self.edges} tidak naik untuk {self.names}")
        if BAIK not in self.names:
            raise ValueError(f"predikat {BAIK} tidak ada di antara {self.names}")

    @property
    def index_min(self) -> float:
        return self.edges[0]

    @property
    def index_max(self) -> float:
        return self.edges[-1]

    @property
    def lower_edges(self) -> tuple[float, ...]:
        """The edges between bands: the lower edge of every band above the lowest."""
        return self.edges[1:-1]

    @property
    def baik_min(self) -> float:
        """The Baik threshold: the lowest index at predikat Baik."""
        return self.lower_edge(BAIK)

    @property
    def baik_or_better(self) -> tuple[str, ...]:
        return self.names[self.rank(BAIK) :]

    @property
    def below_baik(self) -> tuple[str, ...]:
        return self.names[: self.rank(BAIK)]

    def rank(self, predikat: str) -> int:
        """0 for the lowest band (Kurang), upward."""
        return self.names.index(predikat)

    def lower_edge(self, predikat: str) -> float:
        return self.edges[self.rank(predikat)]

    def predikat_of(self, index: float) -> str:
        """Predikat of one unrounded index; an index outside the bands is an error, not a band."""
        return str(self.predikat_series(pd.Series([index])).iloc[0])

    def predikat_series(self, index: pd.Series) -> pd.Series:
        """Vectorised predikat; NaN stays missing, values outside the bands raise ValueError."""
        # An index computed elsewhere (a mean, a file) may carry float noise (2,5999999999999996):
        # it is decided on the decimal it stands for, so an exact edge stays on its side.
        values = index.astype("float64").round(NOISE_DECIMALS)
        present = values.notna()
        out_of_range = present & ((values < self.index_min) | (values > self.index_max))
        if out_of_range.any():
            bad = values[out_of_range].iloc[0]
            raise ValueError(f"Indeks {bad} di luar rentang {self.index_min:g}-{self.index_max:g}")
        band = np.searchsorted(np.array(self.lower_edges), values[present].to_numpy(), side="right")
        result = pd.Series(pd.NA, index=index.index, dtype="string")
        result[present] = np.array(self.names, dtype=object)[band]
        return result
