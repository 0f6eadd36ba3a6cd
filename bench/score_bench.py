"""Scoring benchmark: spbe.model.scoring.score_levels (DuckDB) against a plain pandas baseline.

    PYTHONPATH=. .venv/bin/python -m bench.score_bench [--sizes 29140 1000000 ...] [--repeat 3]
                                                       [--json PATH] [--no-memory] [--profile]

Nothing here asserts a timing; it asserts that DuckDB and pandas agree to 1e-9 at every size. See bench/README.md.
"""

from __future__ import annotations

import gc
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

import numpy as np
import pandas as pd

from bench.harness import ROOT, budget, cli, rounds, status_kb, timed
from spbe.model.framework import Framework, load_frameworks
from spbe.model.scoring import Scores, score_levels
from spbe.settings import resolve

YEAR = 2024  # scored with PermenPANRB 59/2020, 47 indicators
SEED = 20240
TOLERANCE = 1e-9
GOAL_S, GOAL_RATIO = 3.0, 3.0  # at the largest size (20M rows): under 3 s, at least 3x faster than pandas

# Each variant gets the same DataFrame (already in memory) and the Parquet file it was written to.
VARIANTS = {
    "duckdb_df": lambda df, path, fw: score_levels(df, fw),
    "duckdb_df_noval": lambda df, path, fw: score_levels(df, fw, validate=False),
    "duckdb_parquet": lambda df, path, fw: score_levels(path, fw),
    "duckdb_parquet_noval": lambda df, path, fw: score_levels(path, fw, validate=False),
    "pandas_df": lambda df, path, fw: pandas_scores(df, fw),
    "pandas_parquet": lambda df, path, fw: pandas_scores(pd.read_parquet(path), fw),
}


def _framework() -> Framework:
    return load_frameworks(resolve().data_dir / "reference").for_year(YEAR)


def make_levels(rows: int, seed: int = SEED) -> pd.DataFrame:
    """A complete, valid level table of about `rows` rows: every instansi has all 47 indicators."""
    framework = _framework()
    n_indicators = len(framework.indicator_numbers)
    n_instansi = max(1, round(rows / n_indicators))
    names = pd.Series([f"Pemerintah Daerah {i:06d}" for i in range(n_instansi)], dtype="str")
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "tahun": np.full(n_instansi * n_indicators, YEAR, dtype="int64"),
            "instansi": names.repeat(n_indicators).reset_index(drop=True),
            "indikator": np.tile(np.asarray(framework.indicator_numbers, dtype="int64"), n_instansi),
            "tingkat": rng.integers(1, 6, size=n_instansi * n_indicators, dtype="int64"),
        }
    )


def pandas_scores(levels: pd.DataFrame, framework: Framework) -> Scores:
    """The same formula in plain pandas: merge the weights, then three weighted group sums."""
    weights = framework.indicators[["indicator_no", "domain_no", "aspect_no", "indicator_weight"]]
    rows = levels.merge(weights, left_on="indikator", right_on="indicator_no")
    rows["weighted"] = rows["tingkat"] * rows["indicator_weight"]
    keys = ["tahun", "instansi"]
    aspects = rows.groupby([*keys, "domain_no", "aspect_no"])[["weighted", "indicator_weight"]].sum()
    domains = aspects.groupby(level=[*keys, "domain_no"]).sum()
    total = domains.groupby(level=keys).sum()
    index = (total["weighted"] / total["indicator_weight"]).rename("indeks").reset_index()
    index["predikat"] = framework.bands.predikat_series(index["indeks"])

    def wide(sums: pd.DataFrame, level: str, names: pd.Series) -> pd.DataFrame:
        table = (sums["weighted"] / sums["indicator_weight"]).unstack(level)
        table.columns = list(names)
        return table.reset_index(drop=True)

    by_domain = wide(domains, "domain_no", framework.components["name"])  # the year's components are its domains
    return Scores(
        index=index,
        components=by_domain,
        domains=by_domain,
        aspects=wide(aspects.droplevel("domain_no"), "aspect_no", framework.aspects["aspect"]),
    )


def check_same(got: Scores, want: Scores, label: str) -> None:
    """Raise AssertionError unless both score every instansi alike (indices to 1e-9)."""
    a, b = got.index, want.index
    for name in ("instansi", "predikat"):
        np.testing.assert_array_equal(a[name].to_numpy(), b[name].to_numpy(), err_msg=f"{label}: {name}")
    pairs = {"indeks": (a["indeks"], b["indeks"]), "components": (got.components, want.components)}
    for name, (x, y) in {**pairs, "aspects": (got.aspects, want.aspects)}.items():
        np.testing.assert_allclose(x.to_numpy(), y.to_numpy(), rtol=0, atol=TOLERANCE, err_msg=f"{label}: {name}")


def peak_rss_mb(variant: str, path: str) -> dict:
    """Run one variant in a fresh interpreter; its peak RSS while scoring (input already loaded)."""
    command = [sys.executable, "-m", "bench.score_bench", "--child", variant, path]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _child(variant: str, path: str) -> None:
    """Subprocess side of peak_rss_mb: load, reset the RSS high-water mark, score, report.

    Reads VmHWM from /proc/self/status, not getrusage().ru_maxrss: the latter keeps the RSS the
    parent had when it forked (Linux carries it across exec), which here is the whole input table.
    """
    framework = _framework()
    df = pd.read_parquet(path) if "_df" in variant else None
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # Linux >= 4.0: VmHWM := VmRSS
    before = status_kb("self", "VmHWM")
    VARIANTS[variant](df, path, framework)
    print(json.dumps({"input_rss_mb": before / 1024, "peak_rss_mb": status_kb("self", "VmHWM") / 1024}))


def run(sizes: list[int], repeat: int, memory: bool = False, profile: bool | None = None) -> dict:
    """Every size (one dict each: times, ratios, peak RSS if `memory`), the growth exponents and the budgets at
    the largest size; the steps of score_levels there if `profile` (None: when a budget is missed)."""
    framework = _framework()
    warm = make_levels(47)
    for variant in VARIANTS:  # first calls pay imports and DuckDB start-up; keep them untimed
        if "parquet" not in variant:
            VARIANTS[variant](warm, "", framework)
    results = []
    with tempfile.TemporaryDirectory(prefix="spbe-bench-") as tmp:
        for size in sizes:
            df = make_levels(size)
            path = str(Path(tmp) / f"levels_{size}.parquet")
            df.to_parquet(path, index=False)
            times: dict[str, list[float]] = {v: [] for v in VARIANTS}
            for r, order in enumerate(rounds(list(VARIANTS), repeat, rotate=True)):
                kept: dict[str, Scores] = {}
                for variant in order:
                    seconds, result = timed(VARIANTS[variant], df, path, framework, collect=True)
                    times[variant].append(seconds)
                    if r == 0:
                        kept[variant] = result
                    del result
                for variant, result in kept.items():  # the first round only
                    if variant != "pandas_df":
                        check_same(result, kept["pandas_df"], f"{variant} vs pandas_df at {len(df):,} rows")
                del kept
            row = {"rows": len(df), "instansi": int(df["instansi"].nunique()), "repeat": repeat}
            row.update({f"{v}_s": median(t) for v, t in times.items()})
            row.update({f"{v}_runs": t for v, t in times.items()})
            row["rows_per_s"] = len(df) / row["duckdb_df_s"]
            row["ratio_df"] = row["pandas_df_s"] / row["duckdb_df_s"]
            row["ratio_parquet"] = row["pandas_parquet_s"] / row["duckdb_parquet_s"]
            if memory:
                for variant in VARIANTS:
                    rss = peak_rss_mb(variant, path)
                    row[f"{variant}_peak_mb"] = rss["peak_rss_mb"]
                    row[f"{variant}_input_mb"] = rss["input_rss_mb"]
            results.append(row)
            print(f"done {len(df):,} rows", file=sys.stderr, flush=True)
            del df
            os.remove(path)
    exponents = growth_exponents(results)
    big = max(results, key=lambda r: r["rows"])
    slope = exponents.get("duckdb_df")
    grow = f"; growth exponent (sizes >= 1M) {slope:.2f}" if slope is not None else ""
    runs = ", ".join(f"{t:.2f}" for t in big["duckdb_df_runs"])
    rows, df_s = f"scoring {big['rows']:,} rows", big["duckdb_df_s"]
    detail = f"median of {repeat}; runs {runs} s; from Parquet {big['duckdb_parquet_s']:.2f} s{grow}"
    vs = f"pandas df {big['pandas_df_s']:.2f} s / DuckDB df {df_s:.2f} s (medians); Parquet path "
    vs += f"{big['ratio_parquet']:.1f}x"
    budgets = [
        budget(f"{rows} (DuckDB, DataFrame, validated)", df_s, "<", GOAL_S, "s", detail),
        budget(f"{rows}: speed-up over pandas", big["ratio_df"], ">=", GOAL_RATIO, "x", vs),
    ]
    out = {"results": results, "growth_exponents": exponents, "budgets": budgets}
    if profile or (profile is None and not all(b["met"] for b in budgets)):
        out["profile"] = profile_steps(big["rows"])
    return out


def growth_exponents(results: list[dict], min_rows: int = 1_000_000) -> dict[str, float]:
    """Slope of log(time) against log(rows) over the sizes >= min_rows, per variant."""
    big = [r for r in results if r["rows"] >= min_rows]
    if len(big) < 2:
        return {}
    x = [math.log(r["rows"]) for r in big]
    return {v: float(np.polyfit(x, [math.log(r[f"{v}_s"]) for r in big], 1)[0]) for v in VARIANTS}


def profile_steps(rows: int) -> dict[str, float]:
    """Seconds per step of score_levels on a DataFrame, for finding where the time goes.

    Mirrors score_levels (spbe/model/scoring.py) step by step; update it when that function changes.
    """
    from spbe.core.db import connect
    from spbe.model import scoring

    framework = _framework()
    df = make_levels(rows)
    con = connect()

    def register():
        con.register("framework_in", framework.indicators)
        scoring._register_levels(con, df, with_line_numbers=False)

    verdict = "SELECT bool_or(suspect) FROM per_instansi"
    steps = {  # in this order, each on what the previous one left
        "register inputs": register,
        "one pass: GROUP BY tahun, instansi (checks + aspect sums)": lambda: scoring._aggregate(con, framework),
        "fast-path verdict (bool_or suspect)": lambda: con.execute(verdict).fetchall(),
        "fetch sorted, index/domains/aspects/predikat": lambda: scoring._scores(con, framework),
    }
    seconds = {name: timed(step)[0] for name, step in steps.items()}
    con.close()
    return {**seconds, "total": sum(seconds.values())}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(*sys.argv[2:4])
    else:
        cli("score", memory=True, profile=False)
