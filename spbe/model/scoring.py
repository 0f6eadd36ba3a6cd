"""An index from indicator levels or from component indices (PermenPANRB 59/2020 Bab II.B.4).

    aspect index    = sum(level x indicator weight) / aspect weight
    component index = sum(indicator weight x level) / component weight
    index           = sum(component index x component weight) / 100

which is the weighted mean of all indicator levels. A framework's components are its top level:
the domains of the Indeks SPBE frameworks (PermenPANRB 5/2018 and 59/2020; a domain index is also
the weighted mean of its aspect indices), the aspects of a framework without domains (PermenPANRB
8/2026, Indeks Pemerintah Digital). `index_of_components` states it in exact fractions: the
reference that the fast paths (DuckDB scoring, the vectorised `index_from_components`) are tested
against. Scoring runs in DuckDB over a DataFrame or a Parquet file, one set-based query for every
instansi at once, so 20 million indicator rows score in seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from spbe.core.db import connect
from spbe.core.formatting import format_count
from spbe.core.messages import quoted
from spbe.core.rounding import NOISE_DECIMALS
from spbe.model.framework import Framework, Frameworks

LEVEL_COLUMNS = ("tahun", "instansi", "indikator", "tingkat")
MAX_PROBLEMS_LISTED = 200  # a longer list helps nobody; the total is still reported
RECOMPUTE_TOLERANCE = 0.011  # official domains are printed to 2 decimals (facts sheet 3.6)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input table. row is the line in the file (header = line 1)."""

    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"baris {self.row}" if self.row is not None else "berkas"
        return f"{where}, kolom {self.column}, nilai {quoted(self.value)}: {self.message}"


class InvalidLevelsError(ValueError):
    """The indicator table has problems; all of them are in `problems`."""

    def __init__(self, problems: list[Problem], total: int):
        self.problems = problems
        self.total = total
        more = f"\n… dan {format_count(total - len(problems))} masalah lain" if total > len(problems) else ""
        super().__init__(
            f"{format_count(total)} masalah pada tabel tingkat indikator:\n" + "\n".join(map(str, problems)) + more
        )


@dataclass(frozen=True)
class Scores:
    """Scores of every instansi, one row per (tahun, instansi) in the same order in each frame."""

    index: pd.DataFrame  # tahun, instansi, indeks, predikat
    components: pd.DataFrame  # one column per component name (domain or aspect), in component order
    domains: pd.DataFrame  # one column per domain name, in domain order; no columns without domains
    aspects: pd.DataFrame  # one column per aspect name, in aspect order

    def wide(self) -> pd.DataFrame:
        """Index, predikat and the component indices side by side."""
        return pd.concat([self.index, self.components], axis=1)


def index_of_components(components: Mapping[int, Fraction | Decimal | int], framework: Framework) -> Fraction:
    """The index, exactly: the component indices' mean weighted by the component weights.

    `components` maps component no -> component index. The reference for every faster path."""
    weights = dict(zip(framework.components["no"], framework.components["units"], strict=True))
    total = sum(Fraction(components[int(number)]) * int(units) for number, units in weights.items())
    return Fraction(total) / sum(int(units) for units in weights.values())


def components_of_levels(levels: Mapping[int, int], framework: Framework) -> dict[int, Fraction]:
    """Each component index, exactly: its indicators' levels (indicator_no -> level) weighted by indicator weight."""
    table = framework.indicators
    owners = table[f"{framework.component_level}_no"]
    sums = {int(number): Fraction(0) for number in framework.components["no"]}
    for number, owner, units in zip(table["indicator_no"], owners, table["indicator_units"], strict=True):
        sums[int(owner)] += levels[int(number)] * int(units)
    weights = dict(zip(framework.components["no"], framework.components["units"], strict=True))
    return {number: total / int(weights[number]) for number, total in sums.items()}


def score_levels(levels: pd.DataFrame | str | Path, framework: Framework, *, validate: bool = True) -> Scores:
    """Score a long table (tahun, instansi, indikator, tingkat) given as a DataFrame or Parquet path.

    With validate=True (the default) every problem is collected first and raised together as
    InvalidLevelsError; the scoring query itself assumes a complete, clean table.
    """
    con = connect()
    try:
        con.register("framework_in", framework.indicators)
        _register_levels(con, levels, with_line_numbers=False)
        _aggregate(con, framework)
        if validate and con.execute("SELECT bool_or(suspect) FROM per_instansi").fetchall()[0][0]:
            _register_levels(con, levels, with_line_numbers=True)
            _raise_problems(con, framework)
        return _scores(con, framework)
    finally:
        con.close()


def _register_levels(
    con: duckdb.DuckDBPyConnection, levels: pd.DataFrame | str | Path, *, with_line_numbers: bool
) -> None:
    """Expose the input as view `typed`; line numbers are only attached when a report needs them.

    A DataFrame is scanned in place (no copy of millions of rows); its line of a row is
    `_baris` when the reader kept it, else its position + 2 (line 1 is the header).
    """
    if isinstance(levels, pd.DataFrame):
        _require_columns(levels.columns)
        if with_line_numbers and "_baris" not in levels.columns:
            levels = levels.loc[:, list(LEVEL_COLUMNS)].assign(_baris=np.arange(2, len(levels) + 2))
        con.register("levels_in", levels)
        line = "_baris" if with_line_numbers else "NULL"
    else:
        relation = con.read_parquet(str(levels), file_row_number=True)
        _require_columns(relation.columns)
        relation.create_view("levels_in", replace=True)
        line = "file_row_number + 2"
    con.execute(_TYPED_SQL.format(line=line))


def _require_columns(columns: Iterable[str]) -> None:
    missing = [c for c in LEVEL_COLUMNS if c not in columns]
    if missing:
        problems = [Problem(None, c, "", "kolom wajib tidak ada") for c in missing]
        raise InvalidLevelsError(problems, len(problems))


_TYPED_SQL = """
CREATE OR REPLACE TEMP VIEW typed AS
SELECT {line} AS _baris,
       tahun, instansi, indikator, tingkat,
       TRY_CAST(tahun AS DOUBLE) AS tahun_num,
       TRY_CAST(indikator AS DOUBLE) AS indikator_num,
       TRY_CAST(tingkat AS DOUBLE) AS tingkat_num
FROM levels_in
"""

# The one pass over every row. Per (tahun, instansi) it sums level x weight for each aspect
# (weights and aspects looked up by indicator number from list parameters, so no join) and
# collects the fast-path checks: a clean instansi has exactly n rows whose indicator numbers
# set every bit of 1..n once, integer levels 1-5 and a year of the framework. Only instansi
# failing those are examined row by row, so validating 20 million clean rows costs little.
_AGGREGATE_SQL = """
CREATE TEMP TABLE per_instansi AS
SELECT tahun, instansi,
       count(*) <> $n
       OR bit_or(CASE WHEN indikator_num BETWEEN 1 AND $n AND indikator_num = round(indikator_num)
                      THEN 1::UBIGINT << CAST(indikator_num - 1 AS INTEGER) ELSE 0::UBIGINT END) <> $full
       OR NOT bool_and(coalesce(tingkat_num BETWEEN 1 AND 5 AND tingkat_num = round(tingkat_num), false))
       OR NOT bool_and(coalesce(tahun_num BETWEEN $first AND $last AND tahun_num = round(tahun_num), false))
       OR instansi IS NULL OR trim(CAST(instansi AS VARCHAR)) = '' AS suspect,
       {aspect_sums}
FROM (
    -- TRY_CAST: an indicator number beyond INTEGER (2147500000) is flagged above, not a crash
    SELECT *, tingkat_num * list_extract($weights, TRY_CAST(indikator_num AS INTEGER)) AS weighted_level,
           list_extract($aspects, TRY_CAST(indikator_num AS INTEGER)) AS aspect_no
    FROM typed
)
GROUP BY tahun, instansi
"""

# One weighted sum per aspect; aspect numbers are the framework's own integers, not input.
_ASPECT_SUM = "sum(weighted_level) FILTER (WHERE aspect_no = {number}) AS aspect_{number}"


def _aggregate(con: duckdb.DuckDBPyConnection, framework: Framework) -> None:
    indicators = framework.indicators
    aspect_sums = ",\n       ".join(_ASPECT_SUM.format(number=int(a)) for a in framework.aspects["aspect_no"])
    n = len(indicators)
    con.execute(
        _AGGREGATE_SQL.format(aspect_sums=aspect_sums),
        {
            "n": n,
            "full": (1 << n) - 1,
            "first": framework.first_year,
            "last": framework.last_year if framework.last_year is not None else 9999,
            "weights": indicators["indicator_units"].astype(float).tolist(),
            "aspects": indicators["aspect_no"].astype(int).tolist(),
        },
    )


_SUSPECT_ROWS_SQL = """
CREATE TEMP VIEW suspect_rows AS
SELECT t.* FROM typed t
WHERE EXISTS (SELECT 1 FROM per_instansi s
              WHERE s.suspect AND s.tahun IS NOT DISTINCT FROM t.tahun AND s.instansi IS NOT DISTINCT FROM t.instansi)
"""

# Every cell-level problem in one pass; each branch names the column and what was expected.
_CELL_PROBLEMS_SQL = """
SELECT _baris, 'tahun' AS kolom, coalesce(CAST(tahun AS VARCHAR), '') AS nilai,
       'tahun harus bilangan bulat' AS masalah
FROM suspect_rows WHERE tahun_num IS NULL OR tahun_num <> round(tahun_num)
UNION ALL
SELECT _baris, 'tahun', CAST(tahun AS VARCHAR),
       'tahun tidak dinilai dengan kerangka ' || $title
FROM suspect_rows WHERE tahun_num = round(tahun_num) AND NOT (tahun_num BETWEEN $first AND $last)
UNION ALL
SELECT _baris, 'instansi', coalesce(CAST(instansi AS VARCHAR), ''), 'nama instansi kosong'
FROM suspect_rows WHERE instansi IS NULL OR trim(CAST(instansi AS VARCHAR)) = ''
UNION ALL
SELECT _baris, 'indikator', coalesce(CAST(indikator AS VARCHAR), ''),
       CASE WHEN indikator_num IS NULL THEN 'nomor indikator bukan angka'
            ELSE 'nomor indikator harus bilangan bulat' END
FROM suspect_rows WHERE indikator_num IS NULL OR indikator_num <> round(indikator_num)
UNION ALL
SELECT _baris, 'indikator', CAST(indikator AS VARCHAR),
       'indikator tidak ada dalam ' || $title || ' (1-' || $n || ')'
FROM suspect_rows WHERE indikator_num = round(indikator_num) AND NOT (indikator_num BETWEEN 1 AND $n)
UNION ALL
SELECT _baris, 'tingkat', coalesce(CAST(tingkat AS VARCHAR), ''),
       -- "2,5" is a number (decimal comma), just not a level: say so, not "bukan angka"
       CASE WHEN tingkat_num IS NULL AND TRY_CAST(replace(CAST(tingkat AS VARCHAR), ',', '.') AS DOUBLE) IS NULL
            THEN 'tingkat bukan angka' ELSE 'bukan tingkat bulat 1-5' END
FROM suspect_rows
WHERE tingkat_num IS NULL OR tingkat_num <> round(tingkat_num) OR tingkat_num < 1 OR tingkat_num > 5
"""

_DUPLICATES_SQL = """
SELECT max(_baris) AS _baris, 'indikator' AS kolom,
       coalesce(CAST(TRY_CAST(indikator_num AS BIGINT) AS VARCHAR), min(CAST(indikator AS VARCHAR))) AS nilai,
       'indikator ganda untuk instansi ' || instansi || ' tahun ' || CAST(tahun AS VARCHAR)
       || ' (baris ' || string_agg(CAST(_baris AS VARCHAR), ', ' ORDER BY _baris) || ')' AS masalah
FROM suspect_rows
WHERE indikator_num IS NOT NULL
GROUP BY tahun, instansi, indikator_num
HAVING count(*) > 1
"""

_MISSING_SQL = """
WITH present AS (
    SELECT tahun, instansi, min(_baris) AS first_row,
           list(DISTINCT TRY_CAST(indikator_num AS BIGINT)) FILTER (
               WHERE indikator_num = round(indikator_num) AND abs(indikator_num) < 1e9) AS numbers
    FROM suspect_rows
    WHERE instansi IS NOT NULL
    GROUP BY tahun, instansi
)
SELECT p.first_row AS _baris, 'indikator' AS kolom, CAST(p.instansi AS VARCHAR) AS nilai,
       'indikator belum diisi untuk instansi ' || p.instansi || ' tahun ' || coalesce(CAST(p.tahun AS VARCHAR), '?')
       || ': ' || string_agg(CAST(f.indicator_no AS VARCHAR), ', ' ORDER BY f.indicator_no) AS masalah
FROM present p CROSS JOIN framework_in f
WHERE NOT list_contains(coalesce(p.numbers, []), f.indicator_no)
GROUP BY p.first_row, p.tahun, p.instansi
"""


def _raise_problems(con: duckdb.DuckDBPyConnection, framework: Framework) -> None:
    n = len(framework.indicator_numbers)
    last = framework.last_year if framework.last_year is not None else 9999
    con.execute(_SUSPECT_ROWS_SQL)
    checks = (_CELL_PROBLEMS_SQL, _DUPLICATES_SQL, _MISSING_SQL)
    union = " UNION ALL ".join(f"SELECT * FROM ({sql})" for sql in checks)  # noqa: S608 - fixed query text
    found = con.execute(
        f"SELECT *, count(*) OVER () AS total FROM ({union}) ORDER BY _baris, kolom LIMIT $cap",  # noqa: S608
        {"title": framework.title, "first": framework.first_year, "last": last, "n": n, "cap": MAX_PROBLEMS_LISTED},
    ).fetchall()
    problems = [Problem(int(row), col, value, message) for row, col, value, message, _ in found]
    raise InvalidLevelsError(problems, int(found[0][4]))


def _scores(con: duckdb.DuckDBPyConnection, framework: Framework) -> Scores:
    """Aspects, components and the index as weighted sums of the per-aspect sums (tiny matrices).

    Weights enter as whole numbers of the framework's weight unit, so every sum of level x
    weight is an exact integer and each index comes from one division: the float nearest the
    true value. An instansi exactly on 2,6 scores 2.6 (not 2.5999999999999996), all ones 1.0.
    """
    aspects, components = framework.aspects, framework.components
    columns = [f"aspect_{int(a)}" for a in aspects["aspect_no"]]
    frame = con.execute(
        f"SELECT CAST(tahun AS INTEGER) AS tahun, CAST(instansi AS VARCHAR) AS instansi, {', '.join(columns)} "  # noqa: S608
        "FROM per_instansi ORDER BY tahun, instansi"
    ).df()
    sums = frame[columns].to_numpy(dtype="float64")
    aspect_units = aspects["aspect_units"].to_numpy(dtype="float64")
    owners = aspects[f"{framework.component_level}_no"].to_numpy()  # an aspect's component: its domain or itself
    membership = (owners[:, None] == components["no"].to_numpy()[None, :]).astype(float)
    index = frame[["tahun", "instansi"]].copy()
    index["indeks"] = sums.sum(axis=1) / aspect_units.sum()
    index["predikat"] = framework.bands.predikat_series(index["indeks"])
    by_component = pd.DataFrame(
        sums @ membership / components["units"].to_numpy(dtype="float64"), columns=list(components["name"])
    )
    return Scores(
        index=index,
        components=by_component,
        domains=by_component if framework.component_level == "domain" else pd.DataFrame(index=by_component.index),
        aspects=pd.DataFrame(sums / aspect_units, columns=list(aspects["aspect"])),
    )


def index_from_components(components: pd.DataFrame, framework: Framework) -> pd.Series:
    """The index from component indices, vectorised in floats (`index_of_components` is the exact
    reference); `components` has one column per component no (1..n).

    A row with any component missing gets NaN: the official tables have three such rows (2024),
    whose published index stands and is reported, not recomputed.
    """
    weights = framework.components.set_index("no")["weight"]
    values = components.loc[:, list(weights.index)].astype("float64")
    return values.mul(weights.to_numpy(), axis=1).sum(axis=1, min_count=len(weights)) / weights.sum()


def check_results(results: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Check result rows as published (an official table, an import): does each index follow
    from its components (domains or aspects), and does each predikat follow from its index?

    `results` has the component columns 1..n (by component no), `indeks` (within the framework's
    bands) and `predikat`. Returns it with
    - `indeks_hitung` (the index recomputed from the components), `selisih` (its distance to `indeks`),
      `predikat_hitung` (the band of `indeks_hitung`) and `di_batas` (a band edge lies within the
      recomputation tolerance of it);
    - `status`: "cocok", "domain hilang", "selisih indeks" or "predikat beda di batas" / "predikat
      beda" (the official predikat always stands: on an edge the unrounded index decides);
    - `predikat_indeks` (the band of the index as printed) and `predikat_sesuai`: the predikat is
      that band, or the printed index lies within the tolerance of an edge (a printed 1,80 may be
      Kurang: Kab. Nias Barat 2024).
    """
    bands = framework.bands
    out = results.copy()
    out["indeks_hitung"] = index_from_components(results, framework)
    out["selisih"] = (out["indeks_hitung"] - out["indeks"]).abs()
    # Domains may be below 1 (an indicator can score 0), so a recomputation can leave the bands.
    inside = out["indeks_hitung"].round(NOISE_DECIMALS).between(bands.index_min, bands.index_max)
    out["predikat_hitung"] = bands.predikat_series(out["indeks_hitung"].where(inside))
    out["di_batas"] = _near_edge(out["indeks_hitung"], framework)
    status = pd.Series("cocok", index=out.index, dtype="string")
    differs = out["predikat_hitung"].notna() & (out["predikat_hitung"] != out["predikat"])
    status[differs & out["di_batas"]] = "predikat beda di batas"
    status[differs & ~out["di_batas"]] = "predikat beda"
    status[out["selisih"] > RECOMPUTE_TOLERANCE] = "selisih indeks"
    status[out["indeks_hitung"].isna()] = "domain hilang"
    out["status"] = status
    out["predikat_indeks"] = bands.predikat_series(out["indeks"])
    out["predikat_sesuai"] = (out["predikat"] == out["predikat_indeks"]) | _near_edge(out["indeks"], framework)
    return out


def _near_edge(index: pd.Series, framework: Framework) -> pd.Series:
    """Whether a band edge lies within the recomputation tolerance (NaN: no)."""
    distance = np.abs(np.subtract.outer(index.to_numpy(dtype="float64"), np.array(framework.bands.lower_edges)))
    return pd.Series((distance <= RECOMPUTE_TOLERANCE).any(axis=1), index=index.index)


def split_by_framework(levels: pd.DataFrame, frameworks: Frameworks) -> list[tuple[Framework, pd.DataFrame]]:
    """Group a level table by the framework of each row's year (a file may span 2020 and 2021).

    Rows whose tahun is not an evaluation year are reported together as InvalidLevelsError.
    """
    years = pd.to_numeric(levels["tahun"], errors="coerce")
    found = {year: _framework_or_none(year, frameworks) for year in years.dropna().unique()}
    unusable = years.isna() | years.map(lambda y: found.get(y) is None)
    if unusable.any():
        first = frameworks.first_year
        rows = levels["_baris"] if "_baris" in levels.columns else pd.Series(range(2, len(levels) + 2), levels.index)
        problems = [
            Problem(int(rows[i]), "tahun", str(levels.at[i, "tahun"]), f"bukan tahun evaluasi SPBE ({first} ke atas)")
            for i in levels.index[unusable][:MAX_PROBLEMS_LISTED]
        ]
        raise InvalidLevelsError(problems, int(unusable.sum()))
    groups: dict[str, tuple[Framework, list[float]]] = {}
    for year, framework in found.items():
        if framework is not None:  # every year has one: the unusable ones were refused above
            groups.setdefault(framework.key, (framework, []))[1].append(year)
    return [(framework, levels[years.isin(year_list)]) for framework, year_list in groups.values()]


def _framework_or_none(year: float, frameworks: Frameworks) -> Framework | None:
    return frameworks.covering(int(year)) if year == round(year) else None
