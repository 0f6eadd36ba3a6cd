"""Paths to a better predikat: the fewest indicator level-ups that lift an index over a band edge.

Why greedy is optimal. The index is I = sum_j w_j * L_j / W. Raising indicator j by one level
(allowed while L_j < 5) adds exactly w_j / W, whatever else changes, so a plan of k level-ups
adds the sum of the k step values it picked. Lay out every available step (indicator j offers
5 - L_j steps, each worth w_j) and sort them by value, largest first. Any plan of k steps adds
at most the sum of the k largest step values, and taking the k largest achieves exactly that.
So if the k largest steps do not reach the needed gain, no plan of k steps does, and the first
k at which they do is the minimum: taking steps in decreasing weight order is optimal. Among
steps of equal weight the choice does not change the count; we take the indicator at the
lowest level first (the weakest practice), then the lowest number, so plans are deterministic
and spread over the weakest practices rather than pushing one indicator from 1 to 5.

For years with only domain indices, the same argument over domains (weight c_k, headroom
5 - D_k, continuous) gives the smallest total domain increase: fill the heaviest domain first.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache

import numpy as np
import pandas as pd

from spbe.core.formatting import format_number
from spbe.core.rounding import NOISE_DECIMALS, decimal_value  # float noise must not decide whether an edge is reached
from spbe.model.framework import Framework
from spbe.model.predikat import BAIK, Bands

MAX_LEVEL = 5
DOMAIN_STEP = Decimal("0.01")  # domain indices are published with two decimals


@dataclass(frozen=True)
class LevelUp:
    indikator: int
    dari: int  # level before the step
    ke: int  # level after
    modul: str
    nama: str  # the indicator's name in its framework: a path is read by planners, not by codes


def next_predikat(predikat: str, bands: Bands) -> tuple[str, float] | None:
    """The band directly above `predikat` and its lower edge; None for the top band (Memuaskan).

    It takes the predikat, not the index: an official row keeps its published predikat even where
    its printed, rounded index sits on the edge above it (Kab. Luwu 2024: 2,60 and Cukup), so the
    next target is Baik (2,6), never the band above the one the rounded index would suggest.
    """
    above = bands.rank(predikat) + 1
    if above == len(bands.names):
        return None
    return bands.names[above], bands.edges[above]


def fewest_level_ups(levels: Mapping[int, int], framework: Framework, target: float) -> list[LevelUp] | None:
    """The shortest list of +1 steps bringing the index to at least `target` (see module doc).

    `levels` maps indicator number -> current level (every indicator of the framework): a
    dict or a pandas Series.
    Returns [] when the index already reaches the target, None when even level 5 everywhere
    would not (impossible only for targets above 5).
    """
    weights, modules, names = _weights_modules_names(framework)
    total = sum(weights.values())
    current = {number: int(levels[number]) for number in weights}
    index = sum(current[n] * w for n, w in weights.items()) / total
    if round(index, NOISE_DECIMALS) >= target:
        return []
    if target > framework.bands.index_max:
        return None
    # Next step: the heaviest weight; among equal weights the indicator now at the lowest level.
    candidates = [(-w, current[n], n) for n, w in weights.items() if current[n] < MAX_LEVEL]
    heapq.heapify(candidates)
    plan: list[LevelUp] = []
    while candidates:
        negative_weight, level, number = heapq.heappop(candidates)
        plan.append(LevelUp(number, level, level + 1, modules[number], names[number]))
        index += -negative_weight / total
        if round(index, NOISE_DECIMALS) >= target:
            return plan
        if level + 1 < MAX_LEVEL:
            heapq.heappush(candidates, (negative_weight, level + 1, number))
    return None


@lru_cache(maxsize=8)
def _weights_modules_names(framework: Framework) -> tuple[dict[int, float], dict[int, str], dict[int, str]]:
    table = framework.indicators
    numbers = [int(n) for n in table["indicator_no"]]
    return (
        dict(zip(numbers, table["indicator_weight"].astype(float), strict=True)),
        dict(zip(numbers, table["modul"].astype(str), strict=True)),
        dict(zip(numbers, table["indicator"].astype(str), strict=True)),
    )


def paths_for_year(
    levels: pd.DataFrame, results: pd.DataFrame, framework: Framework, *, to_baik: bool = True
) -> pd.DataFrame:
    """One row per instansi below the target: how many level-ups and which ones.

    `levels` is long (instansi_id, indikator, tingkat); `results` has instansi_id, indeks and
    predikat. With to_baik the target is Baik (from 2,6) for every instansi whose predikat is below it;
    otherwise the band directly above each instansi's own predikat. Returns columns instansi_id,
    indeks, target_predikat, langkah (number of level-ups), rencana (list of LevelUp),
    modul_utama (the module most steps fall in).
    """
    bands = framework.bands
    by_instansi = levels.pivot(index="instansi_id", columns="indikator", values="tingkat").to_dict("index")
    rows = []
    for row in results.itertuples(index=False):
        goal = (BAIK, bands.baik_min) if to_baik else next_predikat(str(row.predikat), bands)
        if goal is None or bands.rank(str(row.predikat)) >= bands.rank(goal[0]) or row.instansi_id not in by_instansi:
            continue
        plan = fewest_level_ups(by_instansi[row.instansi_id], framework, goal[1])
        modules = pd.Series([step.modul for step in plan or []])
        rows.append(
            {
                "instansi_id": row.instansi_id,
                "indeks": row.indeks,
                "target_predikat": goal[0],
                "langkah": None if plan is None else len(plan),
                "rencana": plan,
                "modul_utama": modules.mode().iloc[0] if len(modules) else None,
            }
        )
    return pd.DataFrame(rows, columns=["instansi_id", "indeks", "target_predikat", "langkah", "rencana", "modul_utama"])


def domain_steps(increase: pd.Series, framework: Framework) -> list[tuple[str, Decimal]]:
    """The domains to raise and by how much, each increase rounded UP to the two decimals domain
    indices are published with: a needed 0,0032 reads +0,01 (enough), never +0,00."""
    names = framework.domains.set_index("domain_no")["domain"]
    steps = [
        (names[number], decimal_value(value).quantize(DOMAIN_STEP, ROUND_CEILING)) for number, value in increase.items()
    ]
    return [(name, step) for name, step in steps if step > 0]


def plan_steps(plan: list[LevelUp] | None) -> list[str]:
    """The whole plan, one line per indicator in the order first raised, its steps grouped:
    ["Layanan Publik Instansi Pemerintah (I35): tingkat 1 → 4", "Layanan Naskah Dinas (I25): tingkat 1 → 2"]."""
    grouped: dict[int, list[LevelUp]] = {}
    for step in plan or []:
        grouped.setdefault(step.indikator, []).append(step)
    return [
        f"{steps[0].nama} (I{number}): tingkat {steps[0].dari} → {steps[-1].ke}" for number, steps in grouped.items()
    ]


def describe_plan(plan: list[LevelUp] | None) -> str:
    """The whole plan on one line (a table cell, a CSV field): plan_steps joined by "; "; no step reads "–"."""
    return "; ".join(plan_steps(plan)) or "–"


def domain_increase_needed(domains: pd.Series, framework: Framework, target: float) -> pd.Series | None:
    """Smallest domain increases (heaviest domain first, capped at 5) reaching `target`.

    `domains` maps domain number -> current index (NaN where unknown: then None, since the
    gap cannot be computed honestly). Returns the increase per domain number.
    """
    weights = framework.domains.set_index("domain_no")["domain_weight"].astype(float)
    current = domains.reindex(weights.index).astype(float)
    if current.isna().any():
        return None
    needed = target * weights.sum() - float((current * weights).sum())
    increase = pd.Series(0.0, index=weights.index)
    for number in weights.sort_values(ascending=False).index:
        if needed <= 1e-12:
            break
        step = min(MAX_LEVEL - current[number], needed / weights[number])
        increase[number] = step
        needed -= step * weights[number]
    return increase if needed <= 1e-9 else None


def what_if(results: pd.DataFrame, improved: pd.Series, bands: Bands) -> tuple[float, float]:
    """National mean and share below Baik (percent) if `improved` (instansi_id -> new index) held.

    An instansi left as it is keeps its predikat: an official one stands even where the printed
    index sits on the edge above it (Kab. Luwu 2024, 2,60 and Cukup); an improved one is below
    Baik while its new index is.
    """
    table = results.set_index("instansi_id")
    indices = table["indeks"].copy()
    indices.update(improved)
    changed = indices.index.isin(improved.index)
    below = table["predikat"].isin(bands.below_baik).to_numpy(copy=True)
    below[changed] = np.round(indices[changed].to_numpy(dtype=float), NOISE_DECIMALS) < bands.baik_min
    return float(indices.mean()), 100.0 * float(below.mean())


def index_after(index: float, plan: list[LevelUp] | None, framework: Framework) -> float:
    """The index once every step of the plan is done."""
    weights, _, _ = _weights_modules_names(framework)
    return index + sum(weights[step.indikator] for step in plan or []) / sum(weights.values())


def domain_paths(results: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """For a year with only domain indices: per instansi below Baik, the smallest domain increases to Baik.

    `results` has instansi_id, indeks, predikat and domain_1 ... domain_n; below Baik is the official
    predikat, even where the printed index sits on the edge (Kab. Luwu 2024: 2,60 and Cukup). Returns
    columns instansi_id, indeks, kenaikan_domain (as written on screen, "Layanan SPBE +3,47"; empty
    when the domains recomputed already reach Baik, missing when a domain index is not published) and
    indeks_setelah (the Baik threshold once the increases are made; missing where they are not known).
    """
    threshold = framework.bands.baik_min
    below = results[results["predikat"].isin(framework.bands.below_baik)]
    rows = []
    for row in below.itertuples(index=False):
        domains = pd.Series({no: getattr(row, f"domain_{no}") for no in framework.domains["domain_no"]})
        increase = domain_increase_needed(domains, framework, threshold)
        steps = None if increase is None else domain_steps(increase, framework)
        rows.append(
            {
                "instansi_id": row.instansi_id,
                "indeks": row.indeks,
                "kenaikan_domain": None
                if steps is None
                else "; ".join(f"{name} +{format_number(step)}" for name, step in steps),
                "indeks_setelah": None if increase is None else threshold,
            }
        )
    return pd.DataFrame(rows, columns=["instansi_id", "indeks", "kenaikan_domain", "indeks_setelah"])
