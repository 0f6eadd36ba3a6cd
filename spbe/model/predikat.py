"""Predikat bands of an index, one set per framework, read from data/reference/predikat_bands.csv.

PermenPANRB 5/2018 and 59/2020 (Tabel 13) share the same five bands:
Memuaskan 4,2-5,0 · Sangat Baik [3,5; 4,2) · Baik [2,6; 3,5) · Cukup [1,8; 2,6) · Kurang [1,0; 1,8).
Which band an index exactly on an edge belongs to is the framework's edge rule (frameworks.csv):
under "upper" (the regulation tables above) a band holds its lower edge and not its upper one, the
top band also 5,0; under "lower" a band holds its upper edge, the bottom band also its lower one
(1,00-1,50 · 1,51-2,50 ..., as one source prints the PermenPANRB 8/2026 bands). A predikat is
always decided on the unrounded index. "Baik" is the band of the national target: the Baik
threshold is its lower edge, and "Baik or better" is that band and every band above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from spbe.core.rounding import NOISE_DECIMALS

BAIK = "Baik"  # the target band of every framework so far (RPJMN 2020-2024: Indeks SPBE 2,6, predikat Baik)
UPPER, LOWER = "upper", "lower"  # the band an index exactly on an edge belongs to
EDGE_RULES = (UPPER, LOWER)


@dataclass(frozen=True)
class Bands:
    """The predikat bands of one framework: `names` worst to best, `edges` from the lowest index to the
    highest, one more than the names (edges[i] is the lower edge of names[i], edges[-1] the index maximum);
    `edge_rule` (UPPER or LOWER) says which of the two bands an index exactly on an edge between them gets."""

    names: tuple[str, ...]
    edges: tuple[float, ...]
    edge_rule: str = UPPER  # the rule of the regulation tables PermenPANRB 59/2020 Tabel 13

    def __post_init__(self) -> None:
        if self.edge_rule not in EDGE_RULES:
            raise ValueError(f"aturan batas {self.edge_rule!r} tidak dikenal ({' atau '.join(EDGE_RULES)})")
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
        """The Baik threshold: Baik's lower edge, itself Baik under the UPPER edge rule only."""
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
        # searchsorted counts the edges below a value; side="right" also counts an edge equal to it,
        # which moves an index exactly on an edge into the band above.
        side: Literal["left", "right"] = "right" if self.edge_rule == UPPER else "left"
        band = np.searchsorted(np.array(self.lower_edges), values[present].to_numpy(), side=side)
        result = pd.Series(pd.NA, index=index.index, dtype="string")
        result[present] = np.array(self.names, dtype=object)[band]
        return result
