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

For years with only component indices (the domains of the official 2023 and 2024 tables; the
aspects of a framework without domains), the same argument over components (weight c_k, headroom
5 - K_k, continuous) gives the smallest total component increase: fill the heaviest component first.

Reaching a band follows the framework's edge rule: under "upper" an index exactly on a band's lower
edge is in the band; under "lower" (one reading of the PermenPANRB 8/2026 bands) it is still in the
band below, so the goal is strictly above the edge.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache

import pandas as pd

from spbe.core.formatting import format_number
from spbe.core.rounding import NOISE_DECIMALS, decimal_value  # float noise must not decide whether an edge is reached
from spbe.model.framework import Framework
from spbe.model.predikat import BAIK, UPPER, Bands

MAX_LEVEL = 5
COMPONENT_STEP = Decimal("0.01")  # component indices are published with two decimals


@dataclass(frozen=True)
class LevelUp:
    indikator: int
    dari: int  # level before the step
    ke: int  # level after
    modul: str | None  # None for a framework without asistensi modules
    nama: str  # the indicator's name in its framework: a path is read by planners, not by codes


def next_predikat(predikat: str, bands: Bands) -> tuple[str, float] | None:
    """The band directly above `predikat` and its lower edge; None for the top band (Memuaskan).
    Whether an index on that edge is in the band is the bands' edge rule (`reaches`).

    It takes the predikat, not the index: an official row keeps its published predikat even where
    its printed, rounded index sits on the edge above it (Kab. Luwu 2024: 2,60 and Cukup), so the
    next target is Baik (2,6), never the band above the one the rounded index would suggest.
    """
    above = bands.rank(predikat) + 1
    if above == len(bands.names):
        return None
    return bands.names[above], bands.edges[above]


def reaches(index: float, edge: float, bands: Bands) -> bool:
    """Whether an (unrounded) index is in the band whose lower edge is `edge`, or above: at or above the
    edge under the upper edge rule, strictly above it under the lower one. Float noise does not decide."""
    value = round(float(index), NOISE_DECIMALS)
    return value >= edge if bands.edge_rule == UPPER else value > edge


def fewest_level_ups(levels: Mapping[int, int], framework: Framework, target: float) -> list[LevelUp] | None:
    """The shortest list of +1 steps bringing the index into the band from `target` (a band's lower
    edge) under the framework's edge rule (see module doc).

    `levels` maps indicator number -> current level (every indicator of the framework): a
    dict or a pandas Series.
    Returns [] when the index already reaches the target, None when even level 5 everywhere
    would not (a target at or above the top of the scale).
    """
    bands = framework.bands
    weights, modules, names = _weights_modules_names(framework)
    total = sum(weights.values())
    current = {number: int(levels[number]) for number in weights}
    index = sum(current[n] * w for n, w in weights.items()) / total
    if reaches(index, target, bands):
        return []
    if not reaches(MAX_LEVEL, target, bands):
        return None
    # Next step: the heaviest weight; among equal weights the indicator now at the lowest level.
    candidates = [(-w, current[n], n) for n, w in weights.items() if current[n] < MAX_LEVEL]
    heapq.heapify(candidates)
    plan: list[LevelUp] = []
    while candidates:
        negative_weight, level, number = heapq.heappop(candidates)
        plan.append(LevelUp(number, level, level + 1, modules[number], names[number]))
        index += -negative_weight / total
        if reaches(index, target, bands):
            return plan
        if level + 1 < MAX_LEVEL:
            heapq.heappush(candidates, (negative_weight, level + 1, number))
    return None


@lru_cache(maxsize=8)
def _weights_modules_names(
    framework: Framework,
) -> tuple[dict[int, float], dict[int, str | None], dict[int, str]]:
    table = framework.indicators
    numbers = [int(n) for n in table["indicator_no"]]
    modules = [None if pd.isna(modul) else str(modul) for modul in table["modul"]]  # missing: no modules
    return (
        dict(zip(numbers, table["indicator_weight"].astype(float), strict=True)),
        dict(zip(numbers, modules, strict=True)),
        dict(zip(numbers, table["indicator"].astype(str), strict=True)),
    )


def paths_for_year(
    levels: pd.DataFrame, results: pd.DataFrame, framework: Framework, *, to_baik: bool = True
) -> pd.DataFrame:
    """One row per instansi below the target: how many level-ups and which ones.

    `levels` is long (instansi_id, indikator, tingkat); `results` has instansi_id, indeks and
    predikat. With to_baik the target is Baik (its lower edge in the year's framework: 2,6; 2,5 for
    PermenPANRB 8/2026) for every instansi whose predikat is below it; otherwise the band directly above
    each instansi's own predikat. Returns columns instansi_id, indeks, target_predikat, langkah (number
    of level-ups), rencana (list of LevelUp), modul_utama (the module most steps fall in; None for a
    framework without modules).
    """
    bands = framework.bands
    by_instansi = levels.pivot(index="instansi_id", columns="indikator", values="tingkat").to_dict("index")
    rows = []
    for row in results.itertuples(index=False):
        goal = (BAIK, bands.baik_min) if to_baik else next_predikat(str(row.predikat), bands)
        if goal is None or bands.rank(str(row.predikat)) >= bands.rank(goal[0]) or row.instansi_id not in by_instansi:
            continue
        plan = fewest_level_ups(by_instansi[row.instansi_id], framework, goal[1])
        modules = pd.Series([step.modul for step in plan or [] if step.modul is not None], dtype=object).mode()
        rows.append(
            {
                "instansi_id": row.instansi_id,
                "indeks": row.indeks,
                "target_predikat": goal[0],
                "langkah": None if plan is None else len(plan),
                "rencana": plan,
                "modul_utama": modules.iloc[0] if len(modules) else None,
            }
        )
    return pd.DataFrame(rows, columns=["instansi_id", "indeks", "target_predikat", "langkah", "rencana", "modul_utama"])


def component_steps(components: pd.Series, framework: Framework, target: float) -> list[tuple[str, Decimal]] | None:
    """The components to raise and by how much to reach the band from `target`, at the two decimals
    component indices are published with, each increase of `component_increase_needed` rounded UP: a
    needed 0,0032 reads +0,01 (enough), never +0,00. Under the lower edge rule an index landing exactly
    on the edge is not enough: one step more goes to the heaviest component with room left.
    None where the increase is not known (see `component_increase_needed`)."""
    increase = component_increase_needed(components, framework, target)
    if increase is None:
        return None
    table = framework.components.set_index("no")
    steps = {number: decimal_value(value).quantize(COMPONENT_STEP, ROUND_CEILING) for number, value in increase.items()}
    # Exactly, in decimals: the printed components and weights are decimal numbers.
    current = {number: decimal_value(components[number]) for number in table.index}
    weights = {number: decimal_value(table.at[number, "weight"]) for number in table.index}
    after = sum((current[n] + steps[n]) * weights[n] for n in table.index) / sum(weights.values())
    if not reaches(float(after), target, framework.bands):
        room = [
            n for n in table["weight"].sort_values(ascending=False, kind="stable").index if current[n] + steps[n] < 5
        ]
        if not room:
            return None
        steps[room[0]] += COMPONENT_STEP
    return [(str(table.at[number, "name"]), step) for number, step in steps.items() if step > 0]


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


def component_increase_needed(components: pd.Series, framework: Framework, target: float) -> pd.Series | None:
    """Smallest component increases (heaviest component first, capped at 5) bringing the index to `target`.

    `components` maps component number -> current index (NaN where unknown: then None, since the
    gap cannot be computed honestly). Returns the increase per component number, continuous: under the
    lower edge rule an index exactly on `target` is not yet in its band, which `component_steps` settles
    at the published precision.
    """
    weights = framework.components.set_index("no")["weight"].astype(float)
    current = components.reindex(weights.index).astype(float)
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
    below[changed] = [not reaches(value, bands.baik_min, bands) for value in indices[changed]]
    return float(indices.mean()), 100.0 * float(below.mean())


def index_after(index: float, plan: list[LevelUp] | None, framework: Framework) -> float:
    """The index once every step of the plan is done."""
    weights, _, _ = _weights_modules_names(framework)
    return index + sum(weights[step.indikator] for step in plan or []) / sum(weights.values())


def component_paths(results: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """For a year with only component indices: per instansi below Baik, the smallest component increases to Baik.

    `results` has instansi_id, indeks, predikat and komponen_1 ... komponen_n (the components of the
    framework); below Baik is the official predikat, even where the printed index sits on the edge
    (Kab. Luwu 2024: 2,60 and Cukup). Returns columns instansi_id, indeks, kenaikan_komponen (as written
    on screen, "Layanan SPBE +3,47"; empty when the components recomputed already reach Baik, missing
    when a component index is not published) and indeks_setelah (the Baik threshold once the increases
    are made; missing where they are not known).
    """
    threshold = framework.bands.baik_min
    below = results[results["predikat"].isin(framework.bands.below_baik)]
    numbers = [int(no) for no in framework.components["no"]]
    rows = []
    for record in below.to_dict("records"):
        components = pd.Series({no: record[f"komponen_{no}"] for no in numbers})
        steps = component_steps(components, framework, threshold)
        rows.append(
            {
                "instansi_id": record["instansi_id"],
                "indeks": record["indeks"],
                "kenaikan_komponen": None
                if steps is None
                else "; ".join(f"{name} +{format_number(step)}" for name, step in steps),
                "indeks_setelah": None if steps is None else threshold,
            }
        )
    return pd.DataFrame(rows, columns=["instansi_id", "indeks", "kenaikan_komponen", "indeks_setelah"])
