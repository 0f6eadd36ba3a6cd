"""How much the index, ranks and predikat depend on the component weights: a Monte Carlo of the weights.

Each draw multiplies every component weight (framework.components["weight"]: the domains of the Indeks SPBE,
the aspects of the Indeks Pemerintah Digital) by its own factor drawn uniformly from [1 - s, 1 + s] and then
divides by their sum, so the weights of a draw add up to 1 again; the draws are seeded (numpy default_rng), so
one spread, number of draws and seed always give the same answer. The index of every instansi under every
draw is one matrix product (draws x components @ components x instansi): no loop over draws.

Anchoring on the official results. The printed component indices are rounded to two decimals, so the index
recomputed from them at the official weights may fall on the other side of a band edge than the official
predikat, which was decided on the unrounded index (2023: three instansi, Kota Serang 2,60 Baik recomputes to
2,5994; 2024: none; Kab. Luwu 2024, printed 2,60, is Cukup and recomputes below 2,6). The official predikat
stands: an instansi whose recomputed index lies outside its official band is placed at the nearest point of
that band (its edge), the least correction the official predikat allows, and every draw adds to that anchor
the change the draw's weights make to the recomputed index. Instansi whose recomputed index agrees with their
predikat keep it unchanged. With zero spread every draw therefore gives exactly the official predikat counts.
The national index is anchored the same way on the published index: a draw adds to it the change the draw's
weights make to the index recomputed from the published national component indices (2024: 3,36 / 2,62 / 1,86
/ 3,78 at the weights of PermenPANRB 59/2020 give 3,1186, published 3,12); a year without published national
components gets no national range.

An instansi missing a component (2024: three, without Kebijakan Internal) cannot be varied: it is held at its
official index and predikat in every draw, counted in every total, and reported as not testable.

Ranks are competition ranks by index, highest first (equal indices share the best rank: 1, 2, 2, 4).
Percentiles are nearest-rank (numpy's "inverted_cdf"): each reported value is one a draw actually gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from spbe.core.rounding import NOISE_DECIMALS
from spbe.model.predikat import UPPER, Bands

DEFAULT_SPREAD = 0.20  # each weight up to ±20 %, the sensitivity analyses of composite indices commonly use
DEFAULT_DRAWS = 1_000
DEFAULT_SEED = 2024
SPREAD_LIMITS = (0.05, 0.50)  # beyond ±50 % a weight could nearly vanish: no longer the framework's index
DRAWS_LIMITS = (100, 5_000)  # fewer make the 5-95 % bounds noisy; more cost time and add nothing readable
LOW, HIGH = 5, 95  # the percentiles of every interval reported
RANK_BLOCK_CELLS = 1 << 18  # values ranked per block (2 MB per temporary): competition_ranks
_NUDGE = 1e-6  # inside a band from an edge that belongs to the neighbour: far below 0,01, far above float noise

Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class WeightDraws:
    """The weights of every draw: `factors` (draws x components, each in [1 - s, 1 + s]) times the official
    weights, each row then divided by its sum (`weights`, rows adding up to 1)."""

    factors: Matrix
    weights: Matrix


def draw_weights(official: NDArray[np.float64], spread: float, draws: int, seed: int) -> WeightDraws:
    """`draws` sets of weights around `official` (any positive scale, 13/25/16,5/45,5 or fractions of 1)."""
    if not 0 <= spread < 1:
        raise ValueError(f"sebaran {spread} di luar 0-1")
    if draws < 1:
        raise ValueError(f"jumlah undian {draws} kurang dari 1")
    rng = np.random.default_rng(seed)
    factors = rng.uniform(1 - spread, 1 + spread, size=(draws, len(official)))
    raw = factors * np.asarray(official, dtype=np.float64)
    return WeightDraws(factors=factors, weights=raw / raw.sum(axis=1, keepdims=True))


@dataclass(frozen=True)
class Sensitivity:
    """The run of one set of instansi: per instansi and per draw.

    `instansi` keeps the input rows (instansi_id, nama, indeks, predikat, ...) in their order with:
    dapat_diuji (all components present), peringkat_resmi (rank by official index), peringkat_median,
    peringkat_p5, peringkat_p95, predikat_tetap (the official predikat under every draw), predikat_terendah,
    predikat_tertinggi (over the draws) and persen_sama (share of draws giving the official predikat).
    `predikat_counts` has one row per draw and one column per band (worst first); `baik_or_better` the count
    at Baik or better per draw; `national` the national index per draw (None without national components)."""

    spread: float
    draws: int
    seed: int
    instansi: pd.DataFrame
    predikat_counts: pd.DataFrame
    baik_or_better: NDArray[np.int64]
    national: Matrix | None
    national_official: float | None

    @property
    def testable(self) -> int:
        return int(self.instansi["dapat_diuji"].sum())

    @property
    def untestable(self) -> pd.DataFrame:
        return self.instansi[~self.instansi["dapat_diuji"]]

    @property
    def kept(self) -> int:
        """Testable instansi whose predikat is the official one in every draw."""
        return int((self.instansi["predikat_tetap"] & self.instansi["dapat_diuji"]).sum())

    def baik_interval(self) -> tuple[int, int]:
        low, high = interval(self.baik_or_better.astype(np.float64))
        return int(low), int(high)

    def national_interval(self) -> tuple[float, float] | None:
        return None if self.national is None else interval(self.national)

    def national_extremes(self) -> tuple[float, float] | None:
        return None if self.national is None else (float(self.national.min()), float(self.national.max()))


def interval(values: NDArray[np.float64]) -> tuple[float, float]:
    """The 5th and 95th nearest-rank percentiles of a sample."""
    low, high = np.percentile(values, [LOW, HIGH], method="inverted_cdf")
    return float(low), float(high)


def band_ranks(index: Matrix, bands: Bands) -> NDArray[np.int64]:
    """The band (0 = lowest) of every index of an array, by the framework's edge rule, decided on the decimal the
    index stands for (float noise rounded away, as Bands.predikat_series). Unlike predikat_series it never
    raises: a perturbed index below the scale (a component of 0,30 in 2023) is in the lowest band."""
    side: Literal["left", "right"] = "right" if bands.edge_rule == UPPER else "left"
    ranks: NDArray[np.int64] = np.searchsorted(np.array(bands.lower_edges), np.round(index, NOISE_DECIMALS), side=side)
    return ranks.astype(np.int64)


def anchors(recomputed: Matrix, official_bands: NDArray[np.int64], bands: Bands) -> Matrix:
    """Each recomputed index moved to the nearest point of its official band where it lies outside it (the
    module docstring): to the band's edge, nudged inside where the edge itself belongs to the neighbour."""
    edges = np.array(bands.edges)
    low, high = edges[official_bands], edges[official_bands + 1]
    anchored = np.clip(recomputed, low, high)
    off = band_ranks(anchored, bands) != official_bands
    anchored[off] += np.where(anchored[off] <= low[off], _NUDGE, -_NUDGE)
    return anchored


def competition_ranks(index: Matrix) -> NDArray[np.int64]:
    """Rank of every column within its row, highest first, ties sharing the best rank (1, 2, 2, 4).

    Ranked a block of rows at a time (RANK_BLOCK_CELLS values): each step makes several temporaries the size of
    its input, and fresh memory for them cost more than the sorting itself (6.150 instansi x 1.000 draws: 3,5 s
    whole, 0,6 s in blocks, measured in bench/sensitivity_bench.py)."""
    ranks: NDArray[np.int64] = np.empty(index.shape, dtype=np.int64)
    step = max(1, RANK_BLOCK_CELLS // max(index.shape[1], 1))
    for start in range(0, index.shape[0], step):
        ranks[start : start + step] = _block_ranks(index[start : start + step])
    return ranks


def _block_ranks(index: Matrix) -> NDArray[np.int64]:
    """competition_ranks of a block, vectorised over its rows: each row sorted once (descending); in sorted order a
    value's rank is one more than the position where its run of equal values starts, carried along the run by a
    running maximum, then put back in the row's own order."""
    columns = index.shape[1]
    order = np.argsort(-index, axis=1, kind="stable")
    ordered = np.take_along_axis(index, order, axis=1)
    starts = np.where(np.diff(ordered, axis=1, prepend=np.nan) != 0, np.arange(columns), 0)
    ranks: NDArray[np.int64] = np.empty(index.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, np.maximum.accumulate(starts, axis=1) + 1, axis=1)
    return ranks


def run(
    results: pd.DataFrame,
    component_columns: list[str],
    official_weights: NDArray[np.float64],
    bands: Bands,
    *,
    spread: float = DEFAULT_SPREAD,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    national_components: NDArray[np.float64] | None = None,
    national_official: float | None = None,
) -> Sensitivity:
    """The weight sensitivity of the instansi `results` (one row each: indeks, predikat and the component indices
    in `component_columns`, in the order of `official_weights`). The national range needs both the published
    national component indices (same order) and the published national index."""
    weights = draw_weights(official_weights, spread, draws, seed).weights
    components = results[component_columns].to_numpy(dtype=np.float64)
    testable = ~np.isnan(components).any(axis=1)
    official_bands = np.array([bands.rank(name) for name in results["predikat"]], dtype=np.int64)
    base = np.asarray(official_weights, dtype=np.float64) / np.sum(official_weights)

    # Index per draw and instansi: the anchor plus the change the draw's weights make; held where not testable.
    filled = np.where(testable[:, None], components, 0.0)
    recomputed = filled @ base
    shift = weights @ filled.T - recomputed  # draws x instansi
    anchored = anchors(recomputed, official_bands, bands)
    official_index = results["indeks"].to_numpy(dtype=np.float64)
    per_draw = np.where(testable, anchored + shift, official_index)
    drawn_bands = np.where(testable, band_ranks(per_draw, bands), official_bands)

    ranks = competition_ranks(per_draw.round(NOISE_DECIMALS))  # equal decimals tie, whatever the float noise
    rank_low, rank_median, rank_high = np.percentile(ranks, [LOW, 50, HIGH], axis=0, method="inverted_cdf")
    same = drawn_bands == official_bands
    names = np.array(bands.names, dtype=object)
    table = results.reset_index(drop=True).assign(
        dapat_diuji=testable,
        peringkat_resmi=competition_ranks(official_index[None, :])[0],
        peringkat_median=rank_median.astype(np.int64),
        peringkat_p5=rank_low.astype(np.int64),
        peringkat_p95=rank_high.astype(np.int64),
        predikat_tetap=same.all(axis=0),
        predikat_terendah=names[drawn_bands.min(axis=0)],
        predikat_tertinggi=names[drawn_bands.max(axis=0)],
        persen_sama=100 * same.mean(axis=0),
    )
    counts = np.stack([(drawn_bands == band).sum(axis=1) for band in range(len(bands.names))], axis=1)
    predikat_counts = pd.DataFrame(counts, columns=list(bands.names))
    baik = predikat_counts[list(bands.baik_or_better)].sum(axis=1).to_numpy(dtype=np.int64)

    national = None
    if national_components is not None and national_official is not None:
        values = np.asarray(national_components, dtype=np.float64)
        national = national_official + (weights @ values - values @ base)
    return Sensitivity(spread, draws, seed, table, predikat_counts, baik, national, national_official)
