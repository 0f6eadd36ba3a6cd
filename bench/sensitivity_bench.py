"""Weight sensitivity benchmark: the vectorised numpy run (spbe.model.sensitivity) against a loop over draws in
pandas, on the same draws, results checked equal, at real size (2024: 615 instansi, 612 testable, 4 domains) and at
k x real size.

    PYTHONPATH=. .venv/bin/python -m bench.sensitivity_bench [--scales 1 10 100] [--draws 1000] [--repeat 5]

Scale k > 1 is the 2024 results k times, every component moved by N(0, 0,3) within 1-5 and the official index and
predikat recomputed from them (so the anchors change nothing). The budget is the page's whole run of a year at
real size, from the store (`spbe.present.sensitivity_charts.year_sensitivity`: query, draws, ranks, counts,
national range; the store answers a repeated query from memory, as it does for a page). Nothing here asserts a timing.
"""

from __future__ import annotations

from functools import partial
from statistics import median

import numpy as np
import pandas as pd

from bench.harness import budget, cli, rounds, timed
from spbe.data.store import Store
from spbe.model import sensitivity
from spbe.model.predikat import Bands
from spbe.present.sensitivity_charts import year_sensitivity
from spbe.settings import resolve

SEED = 20240
YEAR = 2024
GOAL_S = 2.0  # the issue: under 2 s for a year at real size
PEER_MAX_CELLS = 7_000_000  # draws x instansi beyond which the loop peer (seconds per size) is left out


def scaled(results: pd.DataFrame, columns: list[str], weights: np.ndarray, bands: Bands, scale: int) -> pd.DataFrame:
    """The year's results `scale` times; copies 1.. moved (module docstring)."""
    rng = np.random.default_rng(SEED)
    copies = [results]
    for k in range(1, scale):
        copy = results.copy()
        copy["instansi_id"] = copy["instansi_id"] + f"#{k}"
        copy[columns] = (copy[columns] + rng.normal(0, 0.3, (len(copy), len(columns)))).clip(1, 5).round(2)
        index = copy[columns].to_numpy() @ (weights / weights.sum())
        copy["indeks"] = np.where(np.isnan(index), copy["indeks"], index)
        copy["predikat"] = bands.predikat_series(copy["indeks"])
        copies.append(copy)
    return pd.concat(copies, ignore_index=True)


def loop_peer(
    results: pd.DataFrame, columns: list[str], weights: np.ndarray, bands: Bands, spread: float, draws: int, seed: int
) -> dict[str, np.ndarray]:
    """The same run written plainly: one pandas pass per draw (index, anchored shift, rank with ties "min",
    predikat by pd.cut), then the percentiles; the same weight draws."""
    drawn = sensitivity.draw_weights(weights, spread, draws, seed).weights
    components = results[columns]
    testable = components.notna().all(axis=1)
    official = results["predikat"].map(bands.rank)
    base = weights / weights.sum()
    filled = components.fillna(0.0)
    recomputed = filled.dot(base)
    anchor = pd.Series(sensitivity.anchors(recomputed.to_numpy(), official.to_numpy(), bands), index=results.index)
    ranks, same, baik = [], np.ones(len(results), dtype=bool), []
    baik_from = bands.rank("Baik")
    right = bands.edge_rule == "upper"
    for row in drawn:
        index = (anchor + filled.dot(row) - recomputed).where(testable, results["indeks"]).round(9)
        ranks.append(index.rank(method="min", ascending=False).astype(int).to_numpy())
        cuts = pd.cut(index, [-np.inf, *bands.lower_edges, np.inf], right=not right, labels=False)
        band = cuts.where(testable, official).astype(int)
        same &= (band == official).to_numpy()
        baik.append(int((band >= baik_from).sum()))
    matrix = np.array(ranks)
    low, mid, high = np.percentile(matrix, [5, 50, 95], axis=0, method="inverted_cdf")
    return {"median": mid, "low": low, "high": high, "same": same, "baik": np.array(baik)}


def numpy_run(
    results: pd.DataFrame, columns: list[str], weights: np.ndarray, bands: Bands, spread: float, draws: int, seed: int
) -> sensitivity.Sensitivity:
    return sensitivity.run(results, columns, weights, bands, spread=spread, draws=draws, seed=seed)


def equal(fast: sensitivity.Sensitivity, peer: dict[str, np.ndarray]) -> bool:
    table = fast.instansi
    return bool(
        np.array_equal(table["peringkat_median"], peer["median"])
        and np.array_equal(table["peringkat_p5"], peer["low"])
        and np.array_equal(table["peringkat_p95"], peer["high"])
        and np.array_equal(table["predikat_tetap"], peer["same"])
        and np.array_equal(fast.baik_or_better, peer["baik"])
    )


def run(scales: list[int], draws: int = 1_000, repeat: int = 5, spread: float = 0.2) -> dict:
    store = Store(resolve().data_dir)
    framework = store.framework(YEAR)
    columns = store.component_columns(YEAR)
    weights = framework.components["weight"].to_numpy(dtype=np.float64)
    bands = framework.bands
    page = partial(year_sensitivity, store, YEAR, spread=spread, draws=draws, seed=SEED)
    page_times = [timed(page, collect=True)[0] for _ in range(repeat)]
    rows = []
    base = store.results(YEAR)
    for scale in scales:
        results = scaled(base, columns, weights, bands, scale)
        variants = {"numpy": numpy_run}
        with_peer = len(results) * draws <= PEER_MAX_CELLS
        if with_peer:
            variants["pandas loop"] = loop_peer
        times: dict[str, list[float]] = {name: [] for name in variants}
        outputs: dict[str, object] = {}
        # the peer takes seconds: timed fewer times than the numpy run
        for order in rounds(list(variants), repeat if not with_peer else min(repeat, 3)):
            for name in order:
                took, outputs[name] = timed(variants[name], results, columns, weights, bands, spread, draws, SEED)
                times[name].append(took)
        fast = outputs["numpy"]
        assert isinstance(fast, sensitivity.Sensitivity)
        row = {
            "scale": scale,
            "instansi": len(results),
            "components": len(columns),
            "draws": draws,
            "numpy_s": median(times["numpy"]),
            "numpy_runs": times["numpy"],
        }
        if with_peer:
            peer = outputs["pandas loop"]
            assert isinstance(peer, dict)
            row.update(
                peer_s=median(times["pandas loop"]),
                peer_runs=times["pandas loop"],
                ratio=median(times["pandas loop"]) / median(times["numpy"]),
                equal=equal(fast, peer),
            )
        rows.append(row)
    page_s = median(page_times)
    detail = f"{YEAR}, {draws:,} draws, ±{spread:.0%}; from the store (query memoised as on a page); median of {repeat}"
    return {
        "results": rows,
        "page_s": page_s,
        "page_runs": page_times,
        "budgets": [budget("sensitivity run, one year at real size", page_s, "<", GOAL_S, "s", detail)],
    }


if __name__ == "__main__":
    cli("sensitivity")
