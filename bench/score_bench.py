"""Scoring benchmark: spbe.model.scoring.score_levels (DuckDB) against a plain pandas baseline.

    PYTHONPATH=. .venv/bin/python -m bench.score_bench [--sizes 29140 1000000 ...] [--repeat 3]
                                                       [--json PATH] [--no-memory] [--profile]

Run on demand, never from pytest; nothing here asserts a timing. What it does assert is that
the DuckDB scores and the pandas baseline agree to 1e-9 at every size. See bench/README.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

import numpy as np
import pandas as pd

from spbe.model.framework import Framework, framework_for_year
from spbe.model.predikat import predikat_series
from spbe.model.scoring import Scores, score_levels

YEAR = 2024  # scored with PermenPANRB 59/2020, 47 indicators
SEED = 20240
DEFAULT_SIZES = [29_140, 100_000, 1_000_000, 5_000_000, 10_000_000, 20_000_000]  # 29,140 = 620 instansi x 47
TOLERANCE = 1e-9
ROOT = Path(__file__).resolve().parent.parent

# Each variant gets the same DataFrame (already in memory) and the Parquet file it was written to.
VARIANTS = {
    "duckdb_df": lambda df, path, fw: score_levels(df, fw),
    "duckdb_df_noval": lambda df, path, fw: score_levels(df, fw, validate=False),
    "duckdb_parquet": lambda df, path, fw: score_levels(path, fw),
    "duckdb_parquet_noval": lambda df, path, fw: score_levels(path, fw, validate=False),
    "pandas_df": lambda df, path, fw: pandas_scores(df, fw),
    "pandas_parquet": lambda df, path, fw: pandas_scores(pd.read_parquet(path), fw),
}


def make_levels(rows: int, seed: int = SEED) -> pd.DataFrame:
    """A complete, valid level table of about `rows` rows: every instansi has all 47 indicators."""
    framework = framework_for_year(YEAR)
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
    index["predikat"] = predikat_series(index["indeks"])

    def wide(sums: pd.DataFrame, level: str, names: pd.Series) -> pd.DataFrame:
        table = (sums["weighted"] / sums["indicator_weight"]).unstack(level)
        table.columns = list(names)
        return table.reset_index(drop=True)

    return Scores(
        index=index,
        domains=wide(domains, "domain_no", framework.domains["domain"]),
        aspects=wide(aspects.droplevel("domain_no"), "aspect_no", framework.aspects["aspect"]),
    )


def check_same(got: Scores, want: Scores, label: str) -> None:
    """Raise AssertionError unless both score every instansi alike (indices to 1e-9)."""
    a, b = got.index, want.index
    if len(a) != len(b) or not (a["instansi"].to_numpy() == b["instansi"].to_numpy()).all():
        raise AssertionError(f"{label}: different instansi or order")
    for name, x, y in (
        ("indeks", a["indeks"].to_numpy(), b["indeks"].to_numpy()),
        ("domains", got.domains.to_numpy(), want.domains.to_numpy()),
        ("aspects", got.aspects.to_numpy(), want.aspects.to_numpy()),
    ):
        worst = float(np.max(np.abs(x - y)))
        if not worst <= TOLERANCE:
            raise AssertionError(f"{label}: {name} differ by up to {worst:g}")
    if not (a["predikat"].to_numpy() == b["predikat"].to_numpy()).all():
        raise AssertionError(f"{label}: predikat differ")


def _timed(variant: str, df: pd.DataFrame, path: str, framework: Framework) -> tuple[float, Scores]:
    gc.collect()
    start = time.perf_counter()
    result = VARIANTS[variant](df, path, framework)
    return time.perf_counter() - start, result


def peak_rss_mb(variant: str, path: str) -> dict:
    """Run one variant in a fresh interpreter; its peak RSS while scoring (input already loaded)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-m", "bench.score_bench", "--child", variant, path],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _child(variant: str, path: str) -> None:
    """Subprocess side of peak_rss_mb: load, reset the RSS high-water mark, score, report.

    Reads VmHWM from /proc/self/status, not getrusage().ru_maxrss: the latter keeps the RSS the
    parent had when it forked (Linux carries it across exec), which here is the whole input table.
    """
    framework = framework_for_year(YEAR)
    df = pd.read_parquet(path) if "_df" in variant else None
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # Linux >= 4.0: VmHWM := VmRSS
    before = _status_kb("VmHWM")
    VARIANTS[variant](df, path, framework)
    print(json.dumps({"input_rss_mb": before / 1024, "peak_rss_mb": _status_kb("VmHWM") / 1024}))


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def run(sizes: list[int], repeat: int, *, memory: bool = True) -> list[dict]:
    """Benchmark every size; one dict per size with times (median s), ratios and peak RSS."""
    framework = framework_for_year(YEAR)
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
            names = list(VARIANTS)
            for r in range(repeat):
                order = names[r % len(names) :] + names[: r % len(names)]  # rotate: alternate who goes first
                if r % 2:
                    order.reverse()
                kept: dict[str, Scores] = {}
                for variant in order:
                    seconds, result = _timed(variant, df, path, framework)
                    times[variant].append(seconds)
                    if r == 0:
                        kept[variant] = result
                    del result
                if r == 0:
                    for variant, result in kept.items():
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
    return results


def growth_exponents(results: list[dict], min_rows: int = 1_000_000) -> dict[str, float]:
    """Slope of log(time) against log(rows) over the sizes >= min_rows, per variant."""
    big = [r for r in results if r["rows"] >= min_rows]
    if len(big) < 2:
        return {}
    x = [math.log(r["rows"]) for r in big]
    return {v: float(np.polyfit(x, [math.log(r[f"{v}_s"]) for r in big], 1)[0]) for v in VARIANTS}


def markdown(results: list[dict]) -> str:
    head = (
        "| rows | instansi | DuckDB df | DuckDB df, validate=False | DuckDB Parquet | DuckDB Parquet, validate=False "
        "| pandas df | pandas Parquet | rows/s (DuckDB df) | pandas/DuckDB df | pandas/DuckDB Parquet |"
    )
    lines = [head, "|" + "---:|" * 11]
    for r in results:
        cells = [f"{r['rows']:,}", f"{r['instansi']:,}"] + [f"{r[f'{v}_s']:.3f} s" for v in VARIANTS]
        cells += [f"{r['rows_per_s'] / 1e6:.1f} M", f"{r['ratio_df']:.1f}x", f"{r['ratio_parquet']:.1f}x"]
        lines.append("| " + " | ".join(cells) + " |")
    exponents = growth_exponents(results)
    if exponents:
        lines += ["", "Growth exponent (slope of log time vs log rows, sizes >= 1M): "]
        lines[-1] += ", ".join(f"{v} {e:.2f}" for v, e in exponents.items())
    if "duckdb_df_peak_mb" in results[0]:
        lines += ["", "Peak RSS while scoring, MB (in parentheses: RSS before scoring, i.e. interpreter + input)", ""]
        lines += ["| rows | " + " | ".join(VARIANTS) + " |", "|" + "---:|" * (len(VARIANTS) + 1)]
        for r in results:
            cells = [f"{r[f'{v}_peak_mb']:,.0f} ({r[f'{v}_input_mb']:,.0f})" for v in VARIANTS]
            lines.append(f"| {r['rows']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def profile_steps(rows: int) -> dict[str, float]:
    """Seconds per step of score_levels on a DataFrame, for finding where the time goes.

    Mirrors score_levels (spbe/model/scoring.py) step by step; update it when that function changes.
    """
    from spbe.core.db import connect
    from spbe.model import scoring

    framework = framework_for_year(YEAR)
    df = make_levels(rows)
    con = connect()
    steps: dict[str, float] = {}

    def step(name, fn):
        start = time.perf_counter()
        out = fn()
        steps[name] = time.perf_counter() - start
        return out

    def register():
        con.register("framework_in", framework.indicators)
        scoring._register_levels(con, df, with_line_numbers=False)

    step("register inputs", register)
    step("one pass: GROUP BY tahun, instansi (checks + aspect sums)", lambda: scoring._aggregate(con, framework))
    verdict = "SELECT bool_or(suspect) FROM per_instansi"
    step("fast-path verdict (bool_or suspect)", lambda: con.execute(verdict).fetchall())
    step("fetch sorted, index/domains/aspects/predikat", lambda: scoring._scores(con, framework))
    con.close()
    steps["total"] = sum(steps.values())
    return steps


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES, help="approximate row counts")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per variant; the median is reported")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-RSS subprocess runs")
    parser.add_argument("--profile", action="store_true", help="time the steps of score_levels at the largest size")
    parser.add_argument("--child", nargs=2, metavar=("VARIANT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return
    results = run(args.sizes, args.repeat, memory=not args.no_memory)
    print(markdown(results))
    report = {"results": results, "growth_exponents": growth_exponents(results)}
    if args.profile:
        report["profile"] = profile_steps(max(args.sizes))
        print("\nSteps of score_levels(DataFrame) at", f"{max(args.sizes):,} rows:")
        for name, seconds in report["profile"].items():
            print(f"- {name}: {seconds:.3f} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
