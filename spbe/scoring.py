"""The Indeks SPBE from indicator levels or from domain indices (PermenPANRB 59/2020 Bab II.B.4).

    aspect index = sum(level x indicator weight) / aspect weight
    domain index = sum(aspect index x aspect weight) / domain weight
    Indeks SPBE  = sum(domain index x domain weight) / 100

which is the weighted mean of all indicator levels. The same formula serves PermenPANRB
5/2018. Scoring runs in DuckDB over a DataFrame or a Parquet file, one set-based query for
every instansi at once, so 20 million indicator rows score in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from spbe.db import connect
from spbe.framework import Framework, framework_for_year
from spbe.predikat import LOWER_EDGES, predikat_series

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
        return f"{where}, kolom {self.column}, nilai {self.value!r}: {self.message}"


class InvalidLevelsError(ValueError):
    """The indicator table has problems; all of them are in `problems`."""

    def __init__(self, problems: list[Problem], total: int):
        self.problems = problems
        self.total = total
        more = f"\n... dan {total - len(problems)} masalah lain" if total > len(problems) else ""
        super().__init__(f"{total} masalah pada tabel tingkat indikator:\n" + "\n".join(map(str, problems)) + more)


@dataclass(frozen=True)
class Scores:
    """Scores of every instansi, one row per (tahun, instansi) in the same order in each frame."""

    index: pd.DataFrame  # tahun, instansi, indeks, predikat
    domains: pd.DataFrame  # one column per domain name, in domain order
    aspects: pd.DataFrame  # one column per aspect name, in aspect order

    def wide(self) -> pd.DataFrame:
        """Index, predikat and the domain indices side by side."""
        return pd.concat([self.index, self.domains], axis=1)


def score_levels(levels: pd.DataFrame | str | Path, framework: Framework, *, validate: bool = True) -> Scores:
    """Score a long table (tahun, instansi, indikator, tingkat) given as a DataFrame or Parquet path.

    With validate=True (the default) every problem is collected first and raised together as
    InvalidLevelsError; the scoring query itself assumes a complete, clean table.
    """
    con = connect()
    try:
        _register_inputs(con, levels, framework)
        if validate:
            _raise_problems(con, framework)
        return _score(con, framework)
    finally:
        con.close()


def _register_inputs(con: duckdb.DuckDBPyConnection, levels: pd.DataFrame | str | Path, framework: Framework) -> None:
    if isinstance(levels, pd.DataFrame):
        _require_columns(levels.columns)
        frame = levels.loc[:, list(LEVEL_COLUMNS)]
        rows = levels["_baris"].to_numpy() if "_baris" in levels.columns else np.arange(2, len(levels) + 2)
        con.register("levels_in", frame.assign(_baris=rows))
    else:
        relation = con.read_parquet(str(levels), file_row_number=True)
        _require_columns(relation.columns)
        relation.select("*, file_row_number + 2 AS _baris").create_view("levels_in")
    con.register("framework_in", framework.indicators)
    con.execute(_TYPED_SQL)


def _require_columns(columns) -> None:
    missing = [c for c in LEVEL_COLUMNS if c not in columns]
    if missing:
        problems = [Problem(None, c, "", "kolom wajib tidak ada") for c in missing]
        raise InvalidLevelsError(problems, len(problems))


_TYPED_SQL = """
CREATE TEMP VIEW typed AS
SELECT _baris,
       tahun, instansi, indikator, tingkat,
       TRY_CAST(tahun AS DOUBLE) AS tahun_num,
       TRY_CAST(indikator AS DOUBLE) AS indikator_num,
       TRY_CAST(tingkat AS DOUBLE) AS tingkat_num
FROM levels_in
"""

# Fast path: a clean instansi has exactly n rows whose indicator numbers set every bit of
# 1..n once, integer levels 1-5 and a year of the framework. Only the instansi failing this
# one aggregation are examined row by row, so validating 20 million clean rows stays cheap.
_SUSPECT_SQL = """
CREATE TEMP TABLE suspect AS
SELECT tahun, instansi FROM typed
GROUP BY tahun, instansi
HAVING count(*) <> $n
    OR bit_or(CASE WHEN indikator_num BETWEEN 1 AND $n AND indikator_num = round(indikator_num)
                   THEN 1::UBIGINT << CAST(indikator_num - 1 AS INTEGER) ELSE 0::UBIGINT END) <> $full
    OR NOT bool_and(coalesce(tingkat_num BETWEEN 1 AND 5 AND tingkat_num = round(tingkat_num), false))
    OR NOT bool_and(coalesce(tahun_num BETWEEN $first AND $last AND tahun_num = round(tahun_num), false))
    OR instansi IS NULL OR trim(CAST(instansi AS VARCHAR)) = ''
"""

_SUSPECT_ROWS_SQL = """
CREATE TEMP VIEW suspect_rows AS
SELECT t.* FROM typed t
WHERE EXISTS (SELECT 1 FROM suspect s
              WHERE s.tahun IS NOT DISTINCT FROM t.tahun AND s.instansi IS NOT DISTINCT FROM t.instansi)
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
       CASE WHEN tingkat_num IS NULL THEN 'tingkat bukan angka'
            ELSE 'tingkat harus bilangan bulat 1-5' END
FROM suspect_rows
WHERE tingkat_num IS NULL OR tingkat_num <> round(tingkat_num) OR tingkat_num < 1 OR tingkat_num > 5
"""

_DUPLICATES_SQL = """
SELECT max(_baris) AS _baris, 'indikator' AS kolom, CAST(CAST(indikator_num AS BIGINT) AS VARCHAR) AS nilai,
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
           list(DISTINCT CAST(indikator_num AS BIGINT)) FILTER (
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
    con.execute(_SUSPECT_SQL, {"n": n, "full": (1 << n) - 1, "first": framework.first_year, "last": last})
    if con.execute("SELECT count(*) FROM suspect").fetchone()[0] == 0:
        return
    con.execute(_SUSPECT_ROWS_SQL)
    checks = (_CELL_PROBLEMS_SQL, _DUPLICATES_SQL, _MISSING_SQL)
    union = " UNION ALL ".join(f"SELECT * FROM ({sql})" for sql in checks)  # noqa: S608 - fixed query text
    found = con.execute(
        f"SELECT *, count(*) OVER () AS total FROM ({union}) ORDER BY _baris, kolom LIMIT $cap",  # noqa: S608
        {"title": framework.title, "first": framework.first_year, "last": last, "n": n, "cap": MAX_PROBLEMS_LISTED},
    ).fetchall()
    problems = [Problem(int(row), col, value, message) for row, col, value, message, _ in found]
    raise InvalidLevelsError(problems, int(found[0][4]))


# The heavy step: one aggregation over every indicator row. Domains and the index roll up
# from the aspect sums, which are small; all three come back in (tahun, instansi) order.
_ASPECT_SQL = """
CREATE TEMP TABLE aspect_scores AS
SELECT CAST(l.tahun AS INTEGER) AS tahun, CAST(l.instansi AS VARCHAR) AS instansi,
       f.domain_no, f.aspect_no,
       sum(CAST(l.tingkat AS DOUBLE) * f.indicator_weight) AS weighted, sum(f.indicator_weight) AS weight
FROM levels_in l JOIN framework_in f ON CAST(l.indikator AS BIGINT) = f.indicator_no
GROUP BY ALL
"""

_DOMAIN_SQL = """
CREATE TEMP TABLE domain_scores AS
SELECT tahun, instansi, domain_no, sum(weighted) AS weighted, sum(weight) AS weight
FROM aspect_scores GROUP BY ALL
"""

_INDEX_SQL = """
SELECT tahun, instansi, sum(weighted) / sum(weight) AS indeks
FROM domain_scores GROUP BY ALL ORDER BY tahun, instansi
"""


def _score(con: duckdb.DuckDBPyConnection, framework: Framework) -> Scores:
    con.execute(_ASPECT_SQL)
    con.execute(_DOMAIN_SQL)
    index = con.execute(_INDEX_SQL).df()
    index["predikat"] = predikat_series(index["indeks"])
    return Scores(
        index=index,
        domains=_wide(con, "domain_scores", "domain_no", framework.domains["domain"]),
        aspects=_wide(con, "aspect_scores", "aspect_no", framework.aspects["aspect"]),
    )


def _wide(con: duckdb.DuckDBPyConnection, table: str, number: str, names: pd.Series) -> pd.DataFrame:
    """Reshape a complete long score table to one column per domain or aspect.

    Validation guarantees every instansi has every domain and aspect, so the values sorted by
    (tahun, instansi, number) reshape directly; this avoids a pivot over millions of rows.
    """
    values = con.execute(
        f"SELECT weighted / weight AS v FROM {table} ORDER BY tahun, instansi, {number}"  # noqa: S608 - fixed names
    ).fetchnumpy()["v"]
    return pd.DataFrame(values.reshape(-1, len(names)), columns=list(names))


def index_from_domains(domains: pd.DataFrame, framework: Framework) -> pd.Series:
    """Indeks SPBE from domain indices; `domains` has one column per domain_no (1..n).

    A row with any domain missing gets NaN: the official tables have three such rows (2024),
    whose published index stands and is reported, not recomputed.
    """
    weights = framework.domains.set_index("domain_no")["domain_weight"]
    values = domains.loc[:, list(weights.index)].astype("float64")
    return values.mul(weights.to_numpy(), axis=1).sum(axis=1, min_count=len(weights)) / weights.sum()


def check_official(results: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Recompute each official row's index from its domains and compare with what was printed.

    `results` has the domain columns 1..n (by domain_no), `indeks` and `predikat`. Returns it
    with `indeks_hitung`, `selisih`, `predikat_hitung`, `di_batas` (a band edge lies within
    the recomputation tolerance) and `status`: "cocok", "domain hilang", "selisih indeks"
    or "predikat beda di batas" / "predikat beda". The official predikat always stands.
    """
    out = results.copy()
    out["indeks_hitung"] = index_from_domains(results, framework)
    out["selisih"] = (out["indeks_hitung"] - out["indeks"]).abs()
    out["predikat_hitung"] = predikat_series(out["indeks_hitung"])
    distance_to_edge = np.abs(np.subtract.outer(out["indeks_hitung"].to_numpy(), np.array(LOWER_EDGES)))
    out["di_batas"] = (distance_to_edge <= RECOMPUTE_TOLERANCE).any(axis=1)
    status = pd.Series("cocok", index=out.index, dtype="string")
    differs = out["predikat_hitung"].notna() & (out["predikat_hitung"] != out["predikat"])
    status[differs & out["di_batas"]] = "predikat beda di batas"
    status[differs & ~out["di_batas"]] = "predikat beda"
    status[out["selisih"] > RECOMPUTE_TOLERANCE] = "selisih indeks"
    status[out["indeks_hitung"].isna()] = "domain hilang"
    out["status"] = status
    return out


def split_by_framework(levels: pd.DataFrame) -> list[tuple[Framework, pd.DataFrame]]:
    """Group a level table by the framework of each row's year (a file may span 2020 and 2021).

    Rows whose tahun is not an evaluation year are reported together as InvalidLevelsError.
    """
    years = pd.to_numeric(levels["tahun"], errors="coerce")
    frameworks = {year: _framework_or_none(year) for year in years.dropna().unique()}
    unusable = years.isna() | years.map(lambda y: frameworks.get(y) is None)
    if unusable.any():
        rows = levels["_baris"] if "_baris" in levels.columns else pd.Series(range(2, len(levels) + 2), levels.index)
        problems = [
            Problem(int(rows[i]), "tahun", str(levels.at[i, "tahun"]), "bukan tahun evaluasi SPBE (2018 ke atas)")
            for i in levels.index[unusable][:MAX_PROBLEMS_LISTED]
        ]
        raise InvalidLevelsError(problems, int(unusable.sum()))
    groups: dict[str, tuple[Framework, list]] = {}
    for year, framework in frameworks.items():
        groups.setdefault(framework.key, (framework, []))[1].append(year)
    return [(framework, levels[years.isin(year_list)]) for framework, year_list in groups.values()]


def _framework_or_none(year: float) -> Framework | None:
    if year != round(year):
        return None
    try:
        return framework_for_year(int(year))
    except ValueError:
        return None
