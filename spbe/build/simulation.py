"""A seeded, calibrated simulation of the 2018 SPBE evaluation (provenance ``simulasi``).

No per-instansi table of the 2018 evaluation was published, only aggregates. So that the 2018
story (per-indicator weaknesses, cohorts for the 2019 asistensi) can be explored, this module
generates indicator levels for the 616 instansi evaluated in 2018 (data/reference/roster_2018.csv)
that reproduce every published 2018 aggregate when the project's own engine scores them
(spbe.model.scoring.score_levels with the PermenPANRB 5/2018 framework). The result is NOT official
data and is labelled ``simulasi`` in every row it writes.

Calibration targets (module constants below, each with its source):
    * mean Indeks SPBE of the 616 = 1,98 (+-0,005); domain means Kebijakan Internal 1,75,
      Tata Kelola 1,74, Layanan 2,17 (+-0,01 each): the national 2018 figures;
    * share below predikat Baik (unrounded index < 2,6) rounds to 81 %;
    * Baik-or-better counts per 2018 group: Kementerian 25/34, LPNK 14/27, Lembaga lainnya
      1/29, Provinsi 14/34, Kota 22/88, Kabupaten 30/370, Polda 12/34 (118 in all, so
      498/616 = 80,8 % below Baik, which rounds to the 81 % of the press release);
    * Kementerian Keuangan 1st and Kementerian PUPR 2nd among kementerian; Provinsi Jawa
      Tengah 1st and Jawa Barat 2nd among provinces.

Method (all randomness from one numpy Generator seeded with ``seed``):
    1. Standing. Each instansi gets a standing s = RHO_2023 * z + sqrt(1 - RHO_2023^2) * e,
       where z is its 2023 official index standardised within its 2018 group (a random
       normal draw where it has no 2023 row) and e is normal noise. The four published
       leaders are given the top standings of their group, in the published order.
    2. Predikat Baik is designated to exactly the published count of each group: the instansi
       with the highest standings. A latent index T = 1 + (LATENT_MAX - 1) * logistic(a_g + b * s)
       maps the standing into (1, LATENT_MAX); a_g puts the Baik edge 2,6 midway between the
       last designated and the first undesignated standing of group g, and the slope b is
       solved (bisection) so that the latent indices average 1,98.
    3. Levels. Indicator j of instansi i gets the latent value
       T_i + domain offset + difficulty_j + twin noise_(i, topic of j) + noise_ij,
       rounded and clipped to 1-5. The twin noise is shared by a policy indicator of domain
       Kebijakan Internal and its implementation twin (see TWINS), so the two move together
       beyond the instansi's overall capability. The three domain offsets are solved by
       bisection to bring the domain means close to their targets.
    4. Repair, deterministic: single levels are nudged by +1/-1, always at the cell whose
       latent value is closest to the next level, until (a) every designated instansi is at
       Baik or better and every other one below it, (b) the four leaders hold their ranks,
       and (c) each domain mean is as close to its target as one step allows, with moves
       that never undo (a) or (b).

All decisions compare integer weighted sums (indicator weights x 3 are whole numbers: 3, 12,
15, 10 and 30, which add up to 300), so no float summation order can change a predikat or a
rank; an index is never left exactly on the Baik edge.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from spbe.build.roster import build_registry, load_roster_2018
from spbe.data.datafiles import component_column, results_path, write_levels, write_results
from spbe.data.registry import KELOMPOK_2018, resolve_names
from spbe.model.framework import Framework, load_frameworks
from spbe.model.provenance import Provenance
from spbe.model.scoring import Scores, score_levels

YEAR = 2018
SEED = 20190328  # any fixed number would do; this is the date the 2018 results were announced
SUMBER = "Simulasi Dasbor SPBE (seed {seed}), dikalibrasi ke angka terbitan 2018; bukan data resmi"

# --------------------------------------------------------------------------- calibration targets

# National index 2018 and its domain indices: KemenPANRB, Laporan Pelaksanaan Evaluasi SPBE
# 2024, Tabel 4 (national series). Printed to two decimals.
TARGET_MEAN_INDEX = 1.98
TARGET_DOMAIN_MEANS = {"Kebijakan Internal SPBE": 1.75, "Tata Kelola SPBE": 1.74, "Layanan SPBE": 2.17}
MEAN_INDEX_TOLERANCE = 0.005
DOMAIN_MEAN_TOLERANCE = 0.01

# "81 % of K/L/D have not reached predikat Baik": KemenPANRB press release of 11 Jul 2019
# (data/reference/press_release_2019-07-11.txt). Share of the 616 with unrounded index < 2,6.
TARGET_SHARE_BELOW_BAIK_PCT = 81

# Baik-or-better per 2018 group: Okezone, 28 Mar 2019 (data/reference/published_figures_2018.csv)
# gives percentages; the counts are round(percentage x group size): 74 % of 34, 53 % of 27,
# 3,4 % of 29, 41 % of 34, 25 % of 88, 8 % of 370 and 34,12 % of 34 (the article's Polda figure
# is internally inconsistent; 12 of 34 is the nearest count).
TARGET_BAIK_COUNTS = {
    "Kementerian": 25,
    "LPNK": 14,
    "Lembaga lainnya": 1,
    "Polda": 12,
    "Provinsi": 14,
    "Kota": 22,
    "Kabupaten": 30,
}
BAIK_COUNT_TOLERANCE = 1

# Published 2018 ranks (Okezone, 28 Mar 2019): best central instansi Kementerian Keuangan, then
# Kementerian PUPR; best province Jawa Tengah, then Jawa Barat. Names are resolved to registry ids.
TARGET_LEADERS = {
    "Kementerian": ("Kementerian Keuangan", "Kementerian Pekerjaan Umum dan Perumahan Rakyat"),
    "Provinsi": ("Provinsi Jawa Tengah", "Provinsi Jawa Barat"),
}

# --------------------------------------------------------------------------- model settings

# Policy indicator (domain Kebijakan Internal) -> its implementation twin(s), matched by name in
# data/reference/framework_2018.csv ("Kebijakan Internal X" <-> "X"): 1-7 <-> 18-24 in order;
# 8 Naskah Dinas <-> 25; 9 Kepegawaian <-> 26; 10 Perencanaan dan Penganggaran <-> 27
# Perencanaan and 28 Penganggaran; 11 Keuangan <-> 29; 12 Kinerja <-> 30; 13 Pengadaan <-> 31;
# 14 Pengaduan Publik <-> 32; 15 Dokumentasi dan Informasi Hukum <-> 33; 16 Whistle Blowing
# System <-> 34; 17 Layanan Publik Instansi Pemerintah <-> 35. Each policy indicator and its
# twins form one "topic" (17 topics) that shares a noise term per instansi.
TWINS: dict[int, tuple[int, ...]] = {
    **{policy: (policy + 17,) for policy in range(1, 8)},
    8: (25,),
    9: (26,),
    10: (27, 28),
    11: (29,),
    12: (30,),
    13: (31,),
    14: (32,),
    15: (33,),
    16: (34,),
    17: (35,),
}

RHO_2023 = 0.7  # weight of the 2023 standing in the 2018 standing (the rest is fresh noise)
DIFFICULTY_SD = 0.3  # spread of indicator difficulty (centred within each domain)
TWIN_SD = 0.45  # noise shared by a policy indicator and its implementation twin(s)
CELL_SD = 0.45  # noise of a single indicator level
LATENT_MAX = 4.4  # the latent index approaches this for the best instansi (a modest top end for 2018)
LATENT_SLOPE_BOUNDS = (0.05, 5.0)  # bracket for the logistic slope b

# Indicator weights x 3 are whole numbers (aspect 7 splits 20 % as 10/3, 10/3, 10/3, 10).
WEIGHT_SCALE = 3
SCALED_TOTAL = 100 * WEIGHT_SCALE


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class _Inputs:
    ids: np.ndarray  # instansi_id of the 616, sorted
    kelompok: np.ndarray  # kelompok_2018
    index_2023: np.ndarray  # official 2023 index, NaN where the instansi has no 2023 row
    leaders: dict[str, tuple[int, int]]  # kelompok -> row positions of the 1st and 2nd
    domain_of: np.ndarray  # per indicator (0-based column): 0, 1 or 2
    weights: np.ndarray  # per indicator: weight x 3 as int64
    domain_weights: np.ndarray  # per domain: sum of its scaled weights (51, 84, 165)
    domain_names: tuple[str, ...]
    topic_of: np.ndarray  # per indicator: 0..16
    framework: Framework  # PermenPANRB 5/2018, with its predikat bands
    baik_scaled: int  # the Baik edge x SCALED_TOTAL (780): an index of exactly 2,6 is never produced


def _framework(reference_dir: Path) -> Framework:
    return load_frameworks(Path(reference_dir)).for_year(YEAR)


def _load_inputs(reference_dir: Path) -> _Inputs:
    framework = _framework(reference_dir)
    roster = load_roster_2018(reference_dir)
    roster = roster[roster["evaluated_2018"]].sort_values("instansi_id").reset_index(drop=True)
    registry = build_registry(reference_dir)
    position = {instansi_id: row for row, instansi_id in enumerate(roster["instansi_id"])}
    leaders = {}
    for kelompok, names in TARGET_LEADERS.items():
        first, second = resolve_names(names, registry).tolist()
        leaders[kelompok] = (position[first], position[second])
    indicators = framework.indicators
    domain_numbers = framework.domains["domain_no"].tolist()
    domain_of = indicators["domain_no"].map({no: k for k, no in enumerate(domain_numbers)}).to_numpy()
    weights = np.rint(indicators["indicator_weight"].to_numpy() * WEIGHT_SCALE).astype(np.int64)
    if weights.sum() != SCALED_TOTAL:
        raise ValueError(f"indicator weights x {WEIGHT_SCALE} add up to {weights.sum()}, not {SCALED_TOTAL}")
    return _Inputs(
        ids=roster["instansi_id"].to_numpy(dtype=object),
        kelompok=roster["kelompok_2018"].to_numpy(dtype=object),
        index_2023=_index_2023(roster["instansi_id"], registry, reference_dir),
        leaders=leaders,
        domain_of=domain_of,
        weights=weights,
        domain_weights=np.bincount(domain_of, weights=weights).astype(np.int64),
        domain_names=tuple(framework.domains["domain"]),
        topic_of=_topics(len(indicators)),
        framework=framework,
        baik_scaled=round(framework.bands.baik_min * SCALED_TOTAL),
    )


def _index_2023(ids: pd.Series, registry: pd.DataFrame, reference_dir: Path) -> np.ndarray:
    """The official 2023 index of each id (NaN where absent), from data/reference/results_2023_2024.csv."""
    table = pd.read_csv(reference_dir / "results_2023_2024.csv", usecols=["year", "instansi", "indeks"])
    table = table[table["year"] == 2023]
    by_id = pd.Series(table["indeks"].to_numpy(), index=resolve_names(table["instansi"], registry).to_numpy())
    return np.asarray(ids.map(by_id).to_numpy(dtype=float), dtype=float)


def _topics(n_indicators: int) -> np.ndarray:
    """Topic number (0-based) of each indicator column: a policy indicator and its twins share one."""
    topic_of = np.full(n_indicators, -1)
    for topic, (policy, twins) in enumerate(TWINS.items()):
        topic_of[[policy - 1, *(t - 1 for t in twins)]] = topic
    if (topic_of < 0).any():
        raise ValueError("TWINS does not cover every indicator")
    return topic_of


# --------------------------------------------------------------------------- steps 1-2: standing


def _standing(inputs: _Inputs, rng: np.random.Generator) -> np.ndarray:
    """Standing per instansi: its 2023 z-score within the group (or a random one) plus noise."""
    n = len(inputs.ids)
    stand_in = rng.standard_normal(n)  # for instansi without a 2023 row
    fresh = rng.standard_normal(n)
    z = stand_in.copy()
    for kelompok in KELOMPOK_2018:
        members = (inputs.kelompok == kelompok) & ~np.isnan(inputs.index_2023)
        if members.sum() > 1:
            values = inputs.index_2023[members]
            z[members] = (values - values.mean()) / values.std()
    standing: np.ndarray = RHO_2023 * z + np.sqrt(1 - RHO_2023**2) * fresh
    for kelompok, order in inputs.leaders.items():
        standing = _put_on_top(standing, inputs.kelompok == kelompok, order)
    return standing


def _put_on_top(standing: np.ndarray, members: np.ndarray, order: tuple[int, ...]) -> np.ndarray:
    """Give the rows in `order` the highest standings of their group, in that order (by swapping)."""
    standing = standing.copy()
    for place, row in enumerate(order):
        rows = np.flatnonzero(members)
        ranked = rows[np.argsort(-standing[rows], kind="stable")]
        holder = ranked[place]
        standing[[row, holder]] = standing[[holder, row]]
    return standing


def _designate_baik(inputs: _Inputs, standing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(baik flags, standing at each group's Baik edge): the top TARGET_BAIK_COUNTS of each group."""
    baik = np.zeros(len(standing), dtype=bool)
    edge = np.zeros(len(standing))
    for kelompok, count in TARGET_BAIK_COUNTS.items():
        rows = np.flatnonzero(inputs.kelompok == kelompok)
        ranked = rows[np.argsort(-standing[rows], kind="stable")]
        baik[ranked[:count]] = True
        edge[rows] = (standing[ranked[count - 1]] + standing[ranked[count]]) / 2
    return baik, edge


def _latent_index(standing: np.ndarray, edge: np.ndarray, baik_min: float) -> np.ndarray:
    """T = 1 + R logistic(a + b (s - edge)) with R = LATENT_MAX - 1 and T = 2,6 at the edge; b gives a mean of 1,98."""
    span = LATENT_MAX - 1
    share = (baik_min - 1) / span
    at_edge = np.log(share / (1 - share))  # logistic(at_edge) = share, i.e. T = 2,6

    def latent(slope: float) -> np.ndarray:
        return np.asarray(1 + span / (1 + np.exp(-(at_edge + slope * (standing - edge)))), dtype=float)

    low, high = LATENT_SLOPE_BOUNDS
    for _ in range(60):  # the mean falls as the slope grows (most instansi sit below the edge)
        middle = (low + high) / 2
        if latent(middle).mean() > TARGET_MEAN_INDEX:
            low = middle
        else:
            high = middle
    return latent((low + high) / 2)


# --------------------------------------------------------------------------- step 3: levels


def _indicator_noise(inputs: _Inputs, rng: np.random.Generator) -> np.ndarray:
    """Difficulty (centred per domain) + twin-shared noise + cell noise, shape (instansi, indicator)."""
    n, k = len(inputs.ids), len(inputs.domain_of)
    difficulty = rng.normal(0, DIFFICULTY_SD, k)
    for domain in range(len(inputs.domain_names)):
        columns = inputs.domain_of == domain
        difficulty[columns] -= difficulty[columns].mean()
    twin = rng.normal(0, TWIN_SD, (n, len(TWINS)))
    cell = rng.normal(0, CELL_SD, (n, k))
    return difficulty[None, :] + twin[:, inputs.topic_of] + cell


def _round_levels(latent: np.ndarray) -> np.ndarray:
    return np.clip(np.floor(latent + 0.5), 1, 5).astype(np.int64)


def _domain_targets(framework: Framework) -> np.ndarray:
    """Domain means aimed at: the published ones plus one common shift that makes the mean index 1,98.

    The published domain means are rounded to two decimals; with them as they stand the weighted
    mean index is 1,9782. Adding 0,0018 to each keeps every one within its rounding interval.
    """
    published = np.array([TARGET_DOMAIN_MEANS[name] for name in framework.domains["domain"]])
    shares = framework.domains["domain_weight"].to_numpy() / 100
    return np.asarray(published + (TARGET_MEAN_INDEX - shares @ published), dtype=float)


def _calibrate_offsets(inputs: _Inputs, latent_index: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Domain offsets (bisection) so that the rounded levels' domain means come near their targets."""
    targets = _domain_targets(inputs.framework)
    offsets = np.zeros(len(targets))
    for domain, target in enumerate(targets):
        columns = inputs.domain_of == domain
        weights = inputs.weights[columns]
        low, high = -3.0, 3.0
        for _ in range(50):
            middle = (low + high) / 2
            levels = _round_levels(latent_index[:, None] + middle + noise[:, columns])
            mean = (levels @ weights).mean() / weights.sum()
            if mean < target:
                low = middle
            else:
                high = middle
        offsets[domain] = (low + high) / 2
    return offsets


# --------------------------------------------------------------------------- step 4: repair


class _Repair:
    """Integer bookkeeping for the nudges: scaled index sums S (index x 300) per instansi."""

    def __init__(self, inputs: _Inputs, levels: np.ndarray, latent: np.ndarray, baik: np.ndarray):
        self.inputs = inputs
        self.levels = levels.copy()
        self.latent = latent
        self.baik = baik
        self.frozen = np.zeros(len(levels), dtype=bool)  # the leaders, once placed

    def sums(self) -> np.ndarray:
        return np.asarray(self.levels @ self.inputs.weights)

    def nudge(self, row: int, direction: int, columns: np.ndarray | None = None) -> None:
        """Move one level of `row` by `direction` at the cell whose latent value is closest to it."""
        allowed = (self.levels[row] < 5) if direction > 0 else (self.levels[row] > 1)
        if columns is not None:
            allowed &= columns
        if not allowed.any():
            raise RuntimeError(f"no level of {self.inputs.ids[row]} can move by {direction}")
        pull = (self.latent[row] - self.levels[row]) * direction
        column = int(np.argmax(np.where(allowed, pull, -np.inf)))
        self.levels[row, column] += direction

    def enforce_status(self) -> None:
        """Every designated instansi at Baik or better, every other one below (never on the edge)."""
        sums = self.sums()
        for row in np.flatnonzero(self.baik & (sums <= self.inputs.baik_scaled)):
            while self.levels[row] @ self.inputs.weights <= self.inputs.baik_scaled:
                self.nudge(int(row), +1)
        for row in np.flatnonzero(~self.baik & (sums >= self.inputs.baik_scaled)):
            while self.levels[row] @ self.inputs.weights >= self.inputs.baik_scaled:
                self.nudge(int(row), -1)

    def enforce_leaders(self) -> None:
        """The 2nd above every other member of its group, the 1st above the 2nd; then freeze both."""
        for kelompok, (first, second) in self.inputs.leaders.items():
            others = np.flatnonzero(self.inputs.kelompok == kelompok)
            others = others[(others != first) & (others != second)]
            while self.levels[second] @ self.inputs.weights <= self.sums()[others].max():
                self.nudge(second, +1)
            while self.levels[first] @ self.inputs.weights <= self.levels[second] @ self.inputs.weights:
                self.nudge(first, +1)
            self.frozen[[first, second]] = True

    def _ceiling(self) -> np.ndarray:
        """Highest scaled sum each instansi may reach: below the edge, or below its group's 2nd."""
        sums = self.sums()
        ceiling = np.where(self.baik, SCALED_TOTAL * 5, self.inputs.baik_scaled - 1)
        for kelompok, (_, second) in self.inputs.leaders.items():
            members = self.inputs.kelompok == kelompok
            ceiling[members] = np.minimum(ceiling[members], sums[second] - 1)
        return ceiling

    def match_domain_means(self, targets: np.ndarray) -> None:
        """Nudge levels of non-leaders until each domain's total is as near its target as one step allows."""
        n = len(self.levels)
        floor = np.where(self.baik, self.inputs.baik_scaled + 1, SCALED_TOTAL * 1)
        for domain, target in enumerate(targets):
            columns = self.inputs.domain_of == domain
            weights = np.where(columns, self.inputs.weights, 0)
            wanted = target * self.inputs.domain_weights[domain] * n  # total scaled domain sum
            while True:
                gap = wanted - (self.levels @ weights).sum()
                direction = 1 if gap > 0 else -1
                step = weights * direction  # change of S per cell
                new_sums = self.sums()[:, None] + step[None, :]
                movable = (self.levels < 5) if direction > 0 else (self.levels > 1)
                ok = (
                    movable
                    & columns[None, :]
                    & (np.abs(weights)[None, :] < 2 * abs(gap))  # the move brings the total nearer
                    & ~self.frozen[:, None]
                    & (new_sums <= self._ceiling()[:, None])
                    & (new_sums >= floor[:, None])
                )
                if not ok.any():
                    break
                pull = np.where(ok, (self.latent - self.levels) * direction, -np.inf)
                row, column = np.unravel_index(int(np.argmax(pull)), pull.shape)
                self.levels[row, column] += direction


# --------------------------------------------------------------------------- public API


def simulate_2018(reference_dir: Path, seed: int = SEED) -> pd.DataFrame:
    """Simulated 2018 indicator levels: tahun, instansi_id, indikator (1-35), tingkat (1-5).

    616 instansi x 35 indicators (the roster and registry of `reference_dir`), sorted by
    instansi_id and indikator; the same for a given seed on every run and machine.
    """
    inputs = _load_inputs(reference_dir)
    rng = np.random.default_rng(seed)
    standing = _standing(inputs, rng)
    baik, edge = _designate_baik(inputs, standing)
    latent_index = _latent_index(standing, edge, inputs.framework.bands.baik_min)
    noise = _indicator_noise(inputs, rng)
    offsets = _calibrate_offsets(inputs, latent_index, noise)
    latent = latent_index[:, None] + offsets[inputs.domain_of][None, :] + noise
    repair = _Repair(inputs, _round_levels(latent), latent, baik)
    repair.enforce_status()
    repair.enforce_leaders()
    repair.match_domain_means(_domain_targets(inputs.framework))
    return _long(inputs, repair.levels)


def _long(inputs: _Inputs, levels: np.ndarray) -> pd.DataFrame:
    n, k = levels.shape
    return pd.DataFrame(
        {
            "tahun": np.full(n * k, YEAR, dtype=np.int16),
            "instansi_id": pd.array(np.repeat(inputs.ids, k), dtype="string"),
            "indikator": np.tile(np.arange(1, k + 1, dtype=np.int16), n),
            "tingkat": levels.reshape(-1).astype(np.int8),
        }
    )


def score_2018(levels: pd.DataFrame, reference_dir: Path) -> Scores:
    """Score simulated levels with the project's engine (spbe.model.scoring) and the framework of `reference_dir`."""
    frame = pd.DataFrame(
        {
            "tahun": YEAR,
            "instansi": levels["instansi_id"].astype(str).to_numpy(),
            "indikator": levels["indikator"].astype("int64").to_numpy(),
            "tingkat": levels["tingkat"].astype("int64").to_numpy(),
        }
    )
    return score_levels(frame, _framework(reference_dir))


def twin_pairs() -> list[tuple[int, int]]:
    """(policy indicator, implementation indicator) pairs: 18 (7 + 11; policy 10 pairs with 27 and 28)."""
    return [(policy, twin) for policy, twins in TWINS.items() for twin in twins]


def calibration_report(levels: pd.DataFrame, reference_dir: Path) -> dict[str, Any]:
    """Every calibration target computed from the engine's scores of `levels` (instansi_id, indikator, tingkat)."""
    scores = score_2018(levels, reference_dir)
    bands = _framework(reference_dir).bands
    index = scores.index.assign(instansi_id=scores.index["instansi"]).set_index("instansi_id")
    registry = build_registry(reference_dir)
    roster = load_roster_2018(reference_dir).set_index("instansi_id")
    kelompok = roster.loc[index.index, "kelompok_2018"]
    baik = index["predikat"].isin(bands.baik_or_better)
    ranks = {}
    for group, names in TARGET_LEADERS.items():
        members = index[kelompok == group]["indeks"]
        place = members.rank(ascending=False, method="max")  # 1 only when strictly above all others
        for target, (name, instansi_id) in enumerate(zip(names, resolve_names(names, registry), strict=True), 1):
            ranks[name] = {
                "instansi_id": instansi_id,
                "kelompok": group,
                "rank": int(place[instansi_id]),
                "target": target,
            }
    below = float((index["indeks"] < bands.baik_min).mean())
    index_2023 = pd.Series(_index_2023(pd.Series(index.index), registry, reference_dir), index=index.index)
    matched = index_2023.notna()
    return {
        "instansi": len(index),
        "mean_index": float(index["indeks"].mean()),
        "domain_means": {name: float(scores.domains[name].mean()) for name in scores.domains.columns},
        "share_below_baik": below,
        "share_below_baik_pct": round(100 * below),
        "baik_total": int(baik.sum()),
        "baik_counts": {group: int(baik[kelompok == group].sum()) for group in TARGET_BAIK_COUNTS},
        "ranks": ranks,
        "twin_correlation": _twin_correlation(levels, twin_pairs()),
        "non_twin_correlation": _twin_correlation(levels, _shuffled_pairs()),
        "spearman_2023": _spearman(index.loc[matched, "indeks"], index_2023[matched]),
        "matched_2023": int(matched.sum()),
    }


def _shuffled_pairs() -> list[tuple[int, int]]:
    """A baseline: each policy indicator with the implementation twin of the next policy indicator."""
    pairs = twin_pairs()
    return [(policy, pairs[(k + 1) % len(pairs)][1]) for k, (policy, _) in enumerate(pairs)]


def _twin_correlation(levels: pd.DataFrame, pairs: list[tuple[int, int]]) -> float:
    """Pooled Pearson correlation of the two levels over every instansi and pair."""
    wide = levels.pivot(index="instansi_id", columns="indikator", values="tingkat").astype(float)
    left = np.concatenate([wide[p].to_numpy() for p, _ in pairs])
    right = np.concatenate([wide[q].to_numpy() for _, q in pairs])
    return float(np.corrcoef(left, right)[0, 1])


def _spearman(a: pd.Series, b: pd.Series) -> float:
    """Spearman rank correlation (Pearson of average ranks), without scipy."""
    return float(np.corrcoef(a.rank().to_numpy(), b.rank().to_numpy())[0, 1])


def calibration_failures(report: dict[str, Any]) -> list[str]:
    """What in the report misses a target (empty when every target holds)."""
    failures = []
    if abs(report["mean_index"] - TARGET_MEAN_INDEX) > MEAN_INDEX_TOLERANCE:
        failures.append(f"mean index {report['mean_index']:.4f}, target {TARGET_MEAN_INDEX}")
    for name, target in TARGET_DOMAIN_MEANS.items():
        got = report["domain_means"][name]
        if abs(got - target) > DOMAIN_MEAN_TOLERANCE:
            failures.append(f"domain {name} mean {got:.4f}, target {target}")
    if report["share_below_baik_pct"] != TARGET_SHARE_BELOW_BAIK_PCT:
        failures.append(f"share below Baik {report['share_below_baik']:.4f}, target {TARGET_SHARE_BELOW_BAIK_PCT} %")
    for group, target in TARGET_BAIK_COUNTS.items():
        if abs(report["baik_counts"][group] - target) > BAIK_COUNT_TOLERANCE:
            failures.append(f"{group}: {report['baik_counts'][group]} Baik or better, target {target}")
    for name, rank in report["ranks"].items():
        if rank["rank"] != rank["target"]:
            failures.append(f"{name} ranks {rank['rank']} among {rank['kelompok']}, target {rank['target']}")
    return failures


# --------------------------------------------------------------------------- files


def results_2018(levels: pd.DataFrame, reference_dir: Path, seed: int = SEED) -> pd.DataFrame:
    """The results rows of the simulation: engine scores, 2018 names (of the roster), provenance, sumber."""
    scores = score_2018(levels, reference_dir)
    roster = load_roster_2018(reference_dir).set_index("instansi_id")
    ids = scores.index["instansi"].astype(str)
    components = scores.components  # in component order: komponen_1..n of PermenPANRB 5/2018 (its domains)
    return pd.DataFrame(
        {
            "instansi_id": ids.to_numpy(),
            "nama_sumber": roster.loc[ids, "nama_2018"].astype(str).to_numpy(),
            "indeks": scores.index["indeks"].astype("float64").to_numpy(),
            "predikat": scores.index["predikat"].astype(str).to_numpy(),
            **{component_column(k): components.iloc[:, k - 1].to_numpy() for k in range(1, components.shape[1] + 1)},
            "provenance": Provenance.SIMULASI.value,
            "sumber": SUMBER.format(seed=seed),
            "catatan": None,
        }
    )


def write_2018(data_dir: Path, reference_dir: Path, seed: int = SEED) -> Path:
    """Simulate from `reference_dir`, score and write levels/tahun=2018 and results/tahun=2018 of
    `data_dir` (atomically).

    Returns the levels file; the results file is at results_path(YEAR, data_dir). Rows are sorted by
    instansi_id (and indikator) and written with fixed settings, so the bytes are reproducible.
    """
    return _write(simulate_2018(reference_dir, seed), Path(data_dir), reference_dir, seed)


def _write(levels: pd.DataFrame, data_dir: Path, reference_dir: Path, seed: int) -> Path:
    write_results(results_2018(levels, reference_dir, seed), YEAR, data_dir)
    levels = levels.assign(provenance=Provenance.SIMULASI.value, sumber=SUMBER.format(seed=seed))
    return write_levels(levels, YEAR, data_dir)


# --------------------------------------------------------------------------- command


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"instansi: {report['instansi']}",
        f"mean index: {report['mean_index']:.4f} (target {TARGET_MEAN_INDEX} +- {MEAN_INDEX_TOLERANCE})",
    ]
    for name, value in report["domain_means"].items():
        lines.append(f"  {name}: {value:.4f} (target {TARGET_DOMAIN_MEANS[name]} +- {DOMAIN_MEAN_TOLERANCE})")
    lines.append(
        f"below Baik: {report['share_below_baik']:.4f} -> {report['share_below_baik_pct']} % "
        f"(target {TARGET_SHARE_BELOW_BAIK_PCT} %); Baik or better: {report['baik_total']}"
    )
    for group, count in report["baik_counts"].items():
        lines.append(f"  {group}: {count} Baik or better (target {TARGET_BAIK_COUNTS[group]})")
    for name, rank in report["ranks"].items():
        lines.append(f"rank of {name} among {rank['kelompok']}: {rank['rank']} (target {rank['target']})")
    lines.append(
        f"twin correlation: {report['twin_correlation']:.3f} (non-twin baseline {report['non_twin_correlation']:.3f})"
    )
    lines.append(f"Spearman vs 2023 index: {report['spearman_2023']:.3f} over {report['matched_2023']} instansi")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spbe.build.simulation", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument("--data-dir", type=Path, required=True, help="data folder (its reference/ is read)")
    args = parser.parse_args(argv)
    reference_dir = args.data_dir / "reference"
    levels = simulate_2018(reference_dir, args.seed)
    report = calibration_report(levels, reference_dir)
    print(format_report(report))
    failures = calibration_failures(report)
    if failures:
        print("simulation not written; calibration missed:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    levels_file = _write(levels, args.data_dir, reference_dir, args.seed)
    print(f"wrote {levels_file}\nwrote {results_path(YEAR, args.data_dir)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
