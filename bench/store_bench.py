"""Store benchmark: the dashboard's view queries (spbe.data.store.Store) at real size and at k x real size.

    PYTHONPATH=. .venv/bin/python -m bench.store_bench [--repeat 20] [--scale 1,100] [--json PATH]

Scale 1 is data/ as it is. Scale k > 1 is a temporary data dir (removed afterwards) holding a
copy of data/reference, the registry with every instansi k times ("<id>#1" ... "<id>#<k-1>"
beside the original id) and every year's results and levels k times, values perturbed with a
seeded RNG, written by spbe.data.datafiles (the one writer). Years stay the same, so every per-year
query touches k times the rows. Run on demand, never from pytest; nothing here asserts a timing.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from spbe.data.datafiles import write_levels, write_results
from spbe.data.paths import DATA_DIR
from spbe.data.store import Filters, Store
from spbe.model.predikat import INDEX_MAX, INDEX_MIN, predikat_series

SEED = 20250
YEAR = 2024  # latest year with per-instansi results (domain grain)
LEVEL_YEAR = 2018  # the year with indicator levels (aspect and indicator views)
INSTANSI = "34.04"  # Kabupaten Sleman: in the 2018 levels and in every year's results
# What a user of the Sebaran page might set: the two predikat below Baik, one province, a name search.
FILTERS = Filters(predikat=["Cukup", "Kurang"], provinsi=["Nusa Tenggara Timur"], cari="kab")
LOAD_REPEAT_MAX = 5  # Store() takes seconds at 100x; its load is timed min(repeat, 5) times
GOAL_MS = 50.0  # every view query at real size

# The calls the pages make (pages/*.py), plus the filtered variants of the per-instansi views.
QUERIES: dict[str, Callable[[Store], object]] = {
    "national_series()": lambda s: s.national_series(),
    "years()": lambda s: s.years(),
    "instansi_years()": lambda s: s.instansi_years(),
    f"summary({YEAR})": lambda s: s.summary(YEAR),
    f"filter_options({YEAR})": lambda s: s.filter_options(YEAR),
    f"filter_options({YEAR}, F)": lambda s: s.filter_options(YEAR, FILTERS),
    f"results({YEAR})": lambda s: s.results(YEAR),
    f"results({YEAR}, F)": lambda s: s.results(YEAR, FILTERS),
    f"predikat_distribution({YEAR})": lambda s: s.predikat_distribution(YEAR),
    f"predikat_distribution({YEAR}, kelompok, F)": lambda s: s.predikat_distribution(YEAR, "kelompok", FILTERS),
    f"baik_share_by_group({YEAR}, kelompok)": lambda s: s.baik_share_by_group(YEAR, "kelompok"),
    f"domain_means({YEAR}, kelompok)": lambda s: s.domain_means(YEAR, "kelompok"),
    f"domain_means({YEAR}, None)": lambda s: s.domain_means(YEAR, None),
    f"domain_means({YEAR}, kelompok, F)": lambda s: s.domain_means(YEAR, "kelompok", FILTERS),
    f"aspect_means({LEVEL_YEAR}, kelompok)": lambda s: s.aspect_means(LEVEL_YEAR, "kelompok"),
    f"aspect_means({LEVEL_YEAR}, kelompok, F)": lambda s: s.aspect_means(LEVEL_YEAR, "kelompok", FILTERS),
    f"indicator_means({LEVEL_YEAR}, kelompok)": lambda s: s.indicator_means(LEVEL_YEAR, "kelompok"),
    f"indicator_means({LEVEL_YEAR}, None)": lambda s: s.indicator_means(LEVEL_YEAR, None),
    f"indicator_means({LEVEL_YEAR}, kelompok, F)": lambda s: s.indicator_means(LEVEL_YEAR, "kelompok", FILTERS),
    "instansi_list()": lambda s: s.instansi_list(),
    f"instansi_history({INSTANSI!r})": lambda s: s.instansi_history(INSTANSI),
    f"instansi_levels({LEVEL_YEAR}, {INSTANSI!r})": lambda s: s.instansi_levels(LEVEL_YEAR, INSTANSI),
    "roster_2018()": lambda s: s.roster_2018(),
}


# ---------------------------------------------------------------------------- scaled data


def build_scaled(scale: int, target: Path, source: Path = DATA_DIR, seed: int = SEED) -> Path:
    """Write a data dir with every instansi `scale` times; copy 0 is the original, unchanged."""
    rng = np.random.default_rng(seed)
    shutil.copytree(source / "reference", target / "reference")
    _write_registry(source / "instansi.parquet", target / "instansi.parquet", scale)
    for path in sorted(source.glob("results/tahun=*/part-0.parquet")):
        year = int(path.parent.name.removeprefix("tahun="))
        frame = pd.read_parquet(path).drop(columns="tahun", errors="ignore")
        write_results(pd.concat([frame] + [_perturb_results(frame, k, rng) for k in range(1, scale)]), year, target)
    for path in sorted(source.glob("levels/tahun=*/part-0.parquet")):
        year = int(path.parent.name.removeprefix("tahun="))
        frame = pd.read_parquet(path).drop(columns="tahun", errors="ignore")
        write_levels(pd.concat([frame] + [_perturb_levels(frame, k, rng) for k in range(1, scale)]), year, target)
    return target


def _suffix(values: pd.Series, k: int) -> pd.Series:
    return values.where(values.isna(), values.astype("string") + f"#{k}")


def _write_registry(source: Path, target: Path, scale: int) -> None:
    """The registry with copies 1..scale-1 of every row: ids, successors, names and aliases suffixed."""
    table = pq.read_table(source)
    frame = table.to_pandas()
    copies = [frame]
    for k in range(1, scale):
        copy = frame.copy()
        for column in ("instansi_id", "successor_id"):
            copy[column] = _suffix(copy[column], k)
        copy["nama"] = copy["nama"] + f" #{k}"
        copy["aliases"] = [None if a is None else [f"{x} #{k}" for x in a] for a in copy["aliases"]]
        copies.append(copy)
    schema = table.schema.remove_metadata()
    pq.write_table(pa.Table.from_pandas(pd.concat(copies), schema=schema, preserve_index=False), target)


def _perturb_results(frame: pd.DataFrame, k: int, rng: np.random.Generator) -> pd.DataFrame:
    """Copy k of one year's results: domains and index moved by N(0, 0.3), predikat recomputed."""
    copy = frame.copy()
    copy["instansi_id"] = _suffix(copy["instansi_id"], k)
    copy["nama_sumber"] = _suffix(copy["nama_sumber"], k)
    for column in ("domain_1", "domain_2", "domain_3", "domain_4"):
        moved = copy[column] + rng.normal(0, 0.3, len(copy))
        copy[column] = moved.clip(INDEX_MIN, INDEX_MAX).round(2)
    moved = copy["indeks"] + rng.normal(0, 0.3, len(copy))
    copy["indeks"] = moved.clip(INDEX_MIN, INDEX_MAX).round(2)
    copy["predikat"] = predikat_series(copy["indeks"])
    return copy


def _perturb_levels(frame: pd.DataFrame, k: int, rng: np.random.Generator) -> pd.DataFrame:
    """Copy k of one year's levels: each level moved by -1, 0 or +1, kept within 1-5."""
    copy = frame.copy()
    copy["instansi_id"] = _suffix(copy["instansi_id"], k)
    copy["tingkat"] = (copy["tingkat"].astype("int64") + rng.integers(-1, 2, len(copy))).clip(1, 5).astype("int8")
    return copy


# ---------------------------------------------------------------------------- timing


def _ms(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return 1000 * (time.perf_counter() - start), out


def _size(result: object) -> int | None:
    return len(result) if isinstance(result, pd.DataFrame | list) else None


def _stats(runs: list[float]) -> dict:
    return {"median_ms": median(runs), "p95_ms": float(np.percentile(runs, 95)), "runs_ms": runs}


def bench_scale(scale: int, repeat: int, data_dir: Path) -> list[dict]:
    """Store() load time and every query of QUERIES on one data dir; one dict per measurement."""
    loads = []
    for _ in range(max(1, min(repeat, LOAD_REPEAT_MAX))):
        gc.collect()
        seconds, store = _ms(lambda: Store(data_dir))
        loads.append(seconds)
        del store
    store = Store(data_dir)
    counts = store._query("SELECT (SELECT count(*) FROM results) AS r, (SELECT count(*) FROM levels) AS l")
    rows = [{"scale": scale, "query": "Store() load", "rows": None, "first_ms": loads[0], **_stats(loads)}]
    rows[0].update(results_rows=int(counts["r"].iloc[0]), levels_rows=int(counts["l"].iloc[0]))
    first: dict[str, tuple[float, object]] = {name: _ms(lambda fn=fn: fn(store)) for name, fn in QUERIES.items()}
    runs: dict[str, list[float]] = {name: [] for name in QUERIES}
    names = list(QUERIES)
    gc.collect()
    for r in range(repeat):  # round-robin, so a slow spell of the machine hits every query alike
        for name in names if r % 2 == 0 else reversed(names):
            runs[name].append(_ms(lambda name=name: QUERIES[name](store))[0])
    for name in names:
        first_ms, result = first[name]
        rows.append({"scale": scale, "query": name, "rows": _size(result), "first_ms": first_ms, **_stats(runs[name])})
    return rows


def run(scales: list[int], repeat: int, data_dir: Path = DATA_DIR) -> list[dict]:
    """Benchmark every scale; one dict per (scale, query), Store() load included, times in ms."""
    results = []
    for scale in scales:
        if scale == 1:
            results += bench_scale(1, repeat, Path(data_dir))
        else:
            with tempfile.TemporaryDirectory(prefix="spbe-store-bench-") as tmp:
                seconds, _ = _ms(lambda scale=scale, tmp=tmp: build_scaled(scale, Path(tmp), Path(data_dir)))
                print(f"built {scale}x data in {seconds / 1000:.1f} s", file=sys.stderr, flush=True)
                results += bench_scale(scale, repeat, Path(tmp))
        print(f"done scale {scale}", file=sys.stderr, flush=True)
    return results


def markdown(results: list[dict], goal_scale: int = 1) -> str:
    """One line per query, the scales side by side: rows returned, median and p95 (first call at scale 1)."""
    scales = sorted({r["scale"] for r in results})
    by = {(r["scale"], r["query"]): r for r in results}
    queries = list(dict.fromkeys(r["query"] for r in results))
    head = ["query"]
    for scale in scales:
        head += [f"rows {scale}x", f"median {scale}x", f"p95 {scale}x"] + (["first call 1x"] if scale == 1 else [])
    head += [f"< {GOAL_MS:g} ms at {goal_scale}x"] if goal_scale in scales else []
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for query in queries:
        cells = [f"`{query}`"]
        for scale in scales:
            r = by.get((scale, query))
            if r is None:
                cells += ["", "", ""] + ([""] if scale == 1 else [])
                continue
            cells += ["" if r["rows"] is None else f"{r['rows']:,}", _fmt(r["median_ms"]), _fmt(r["p95_ms"])]
            cells += [_fmt(r["first_ms"])] if scale == 1 else []
        if goal_scale in scales:
            r = by[(goal_scale, query)]
            cells.append("n/a (load)" if query == "Store() load" else "yes" if r["p95_ms"] < GOAL_MS else "**no**")
        lines.append("| " + " | ".join(cells) + " |")
    loads = [r for r in results if r["query"] == "Store() load"]
    lines += [
        "",
        "Rows in the store: "
        + "; ".join(f"{r['scale']}x: {r['results_rows']:,} results, {r['levels_rows']:,} levels" for r in loads),
    ]
    return "\n".join(lines)


def _fmt(ms: float) -> str:
    return f"{ms:,.0f} ms" if ms >= 100 else f"{ms:.1f} ms"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per query (median and p95 reported)")
    parser.add_argument("--scale", default="1,100", help="comma-separated multiples of the real data, e.g. 1,10,100")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scale.split(",") if s.strip()]
    results = run(scales, args.repeat)
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
