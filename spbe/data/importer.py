"""Importing evaluation results: validate everything, preview, then commit a version.

A file is read (spbe.data.ingest: every sheet holding a results table), every problem is collected
at once (naming file, sheet, row, column, value and what was expected) and the file is refused
as a whole if there is any; nothing is half-imported. What is shown stays small: the first
MAX_PROBLEMS_SHOWN problems, each cut at MAX_PROBLEM_CHARS with quoted values cut at 60
characters, and "… dan N masalah lain" for the rest. Each row belongs to the year the file
states for it (tahun column, sheet name, title); a year the user gives only fills in where the
file states none, and any disagreement is refused, so one year's results never land in another.
A clean file becomes one ParsedImport per year: result rows (and indicator levels for the
indicator shapes) with provenance `impor`, previewed against what the store holds, and
committed together as one new version (spbe.data.versions).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from spbe.core.formatting import format_count, format_number
from spbe.core.messages import line_ranges, quoted
from spbe.data.ingest import RawTable, UnreadableFileError, levels_long, parse_number, read_tables, row_years
from spbe.data.registry import alias_index, normalise_name
from spbe.model.framework import Framework, Frameworks
from spbe.model.provenance import Provenance
from spbe.model.scoring import RECOMPUTE_TOLERANCE, InvalidLevelsError, check_results, score_levels

MAX_PROBLEMS_SHOWN = 200  # a page or terminal shows these; the total is always said
MAX_PROBLEM_CHARS = 500  # a problem longer than this is cut: no message may flood the page
SUGGESTIONS = 3  # closest registry names offered for an unknown instansi; never applied automatically
SUGGESTED_NAMES = 20  # unknown names that get suggestions (~50 ms each); later ones are rarely read

# How scoring names an instansi in its messages; greedy, as a name may itself hold " tahun ".
_SCORED_INSTANSI = re.compile(r"instansi (.+) tahun ")
# Domain header names in the file -> the domain's name in each framework.
_DOMAIN_HEADERS = {
    "kebijakan": "Kebijakan Internal SPBE",
    "tata_kelola": "Tata Kelola SPBE",
    "manajemen": "Manajemen SPBE",
    "layanan": "Layanan SPBE",
}


class ImportRejected(ValueError):
    """The file cannot be imported; `problems` lists every reason (Indonesian, with location)."""

    def __init__(self, problems: list[str], total: int | None = None):
        self.problems = [
            p if len(p) <= MAX_PROBLEM_CHARS else p[:MAX_PROBLEM_CHARS] + "…" for p in problems[:MAX_PROBLEMS_SHOWN]
        ]
        self.total = total if total is not None else len(problems)
        rest = self.total - len(self.problems)
        more = f"\n… dan {format_count(rest)} masalah lain" if rest > 0 else ""
        super().__init__(f"{format_count(self.total)} masalah:\n" + "\n".join(self.problems) + more)


@dataclass
class ParsedImport:
    """One evaluation year of an import file, validated: what a version stores for that year."""

    file_name: str
    sha256: str
    year: int
    shape: str
    framework: Framework
    results: pd.DataFrame  # instansi_id, nama_sumber, indeks, predikat, domain_1..4, provenance, sumber, catatan
    levels: pd.DataFrame | None  # instansi_id, indikator, tingkat, provenance, sumber (indicator shapes)
    rows_read: int
    sheets: list[str] = field(default_factory=list)  # the sheets the year comes from (none for a CSV)


@dataclass
class ParsedFile:
    """A whole import file: one ParsedImport per year it holds, committed together as one version."""

    file_name: str
    sha256: str
    years: list[ParsedImport]  # ascending by year
    skipped: list[str]  # "lembar Catatan dilewati: tidak ada tabel hasil", "baris 9 dilewati: baris kosong"


def parse_import(
    data: bytes,
    file_name: str,
    registry: pd.DataFrame,
    frameworks: Frameworks,
    year: int | None = None,
    who: str = "admin",
    now: datetime | None = None,
) -> ParsedFile:
    """Read and validate an uploaded file, every sheet and year of it, against the `registry` of
    instansi and the evaluation `frameworks`; raise ImportRejected with every problem found.
    `year` applies where the file states no year and must agree where it does."""
    try:
        tables, skipped_sheets = read_tables(data, file_name)
    except UnreadableFileError as error:
        raise ImportRejected(str(error).splitlines()) from error
    problems: list[str] = []
    by_year: dict[int, list[RawTable]] = {}
    for table in tables:
        years, more = row_years(table, year)  # rows keep the file's own year even in a conflict, to check them
        problems += more
        for value in sorted(years.dropna().unique()):
            rows = table.frame[years.eq(value).fillna(False).to_numpy()].reset_index(drop=True)
            by_year.setdefault(int(value), []).append(replace(table, frame=rows))
    aliases = alias_index(registry)
    sha = hashlib.sha256(data).hexdigest()
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    source = f"Impor {file_name} oleh {who}, {stamp}"
    parts = []
    for value, year_tables in sorted(by_year.items()):
        part, more = _parse_year(value, year_tables, aliases, registry, sha, frameworks)
        problems += more
        parts += [part] if part is not None else []
    if problems:
        raise ImportRejected(problems)
    for part in parts:
        part.results = part.results.assign(provenance=Provenance.IMPOR.value, sumber=source)
        if part.levels is not None:
            part.levels = part.levels.assign(provenance=Provenance.IMPOR.value, sumber=source)
    skipped = [f"lembar {sheet} dilewati: tidak ada tabel hasil" for sheet in skipped_sheets]
    skipped += [f"{_place(table, line)} dilewati: {why}" for table in tables for line, why in table.skipped]
    return ParsedFile(file_name, sha, parts, skipped)


def _place(table: RawTable, line: int) -> str:
    return f"lembar {table.sheet}, baris {line}" if table.sheet else f"baris {line}"


def _parse_year(
    year: int,
    tables: list[RawTable],
    aliases: dict[str, str],
    registry: pd.DataFrame,
    sha: str,
    frameworks: Frameworks,
) -> tuple[ParsedImport | None, list[str]]:
    """One year's ParsedImport from its tables (one per sheet), or its problems."""
    where = "; ".join(dict.fromkeys(t.where(None) for t in tables))
    try:
        framework = frameworks.for_year(year)
    except ValueError as error:
        return None, [f"{where}: {error}"]
    shapes = {t.shape for t in tables}
    if len(shapes) > 1:
        said = "; ".join(f"lembar {t.sheet}: {t.shape}" for t in tables)
        return None, [f"{tables[0].file_name}: lembar tahun {year} berbeda bentuk ({said}); satu bentuk per tahun"]
    problems, results, levels, ids_of = [], [], [], []
    for table in tables:
        ids, more = _resolve(table, aliases, registry)
        problems += more
        if table.shape == "domain":
            table_results, more = _domain_results(table, framework, ids)
        else:
            table_results, table_levels, more = _level_results(table, framework, ids, year)
            levels.append(table_levels)
        problems += more + _duplicates(table, ids)
        results.append(table_results)
        ids_of.append(ids)
    problems += _repeated_across_sheets(tables, ids_of, year)
    if problems:
        return None, problems
    shape = shapes.pop()
    return ParsedImport(
        tables[0].file_name,
        sha,
        year,
        shape,
        framework,
        pd.concat(results, ignore_index=True),
        None if shape == "domain" else pd.concat(levels, ignore_index=True),
        rows_read=sum(len(t.frame) for t in tables),
        sheets=[t.sheet for t in tables if t.sheet],
    ), []


def _resolve(table: RawTable, aliases: dict[str, str], registry: pd.DataFrame) -> tuple[pd.Series, list[str]]:
    """Registry id of every row's instansi; unknown names get the closest names as suggestions."""
    names = table.frame["instansi"]
    ids = names.map(lambda n: aliases.get(normalise_name(n)))
    problems = []
    known_names = None
    # One problem per name, with all its lines (a long file repeats a name on every indicator row)
    for name, lines in table.frame.loc[ids.isna(), "_baris"].groupby(names[ids.isna()], sort=False):
        if not name:
            problems.append(f"{table.where_lines(lines, 'instansi')}: nama instansi kosong")
            continue
        known_names = known_names or list(index_names(registry))
        close = (
            difflib.get_close_matches(name, known_names, n=SUGGESTIONS, cutoff=0.6)
            if len(problems) < SUGGESTED_NAMES
            else []
        )
        hint = f"; mungkin maksudnya: {'; '.join(close)}" if close else ""
        problems.append(
            f"{table.where_lines(lines, 'instansi')}, nilai {quoted(name)}: instansi tidak dikenal dalam registri{hint}"
        )
    return ids, problems


def _repeated_across_sheets(tables: list[RawTable], ids_of: list[pd.Series], year: int) -> list[str]:
    """An instansi of one year in two sheets: which row counts is not for the importer to guess."""
    found: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for table, ids in zip(tables, ids_of, strict=True):
        frame = table.frame.assign(_id=ids)
        for instansi_id, group in frame[frame["_id"].notna()].groupby("_id", sort=False):
            found.setdefault(instansi_id, []).append(f"lembar {table.sheet}, baris {line_ranges(group['_baris'])}")
            names.setdefault(instansi_id, group["instansi"].iloc[0])
    return [
        f"{tables[0].file_name}, kolom instansi, nilai {quoted(names[i])}: instansi tahun {year} tercantum "
        f"di lebih dari satu lembar ({'; '.join(places)})"
        for i, places in found.items()
        if len(places) > 1
    ]


def index_names(registry: pd.DataFrame) -> set[str]:
    return {alias for aliases in registry["aliases"] for alias in aliases}


def _duplicates(table: RawTable, ids: pd.Series) -> list[str]:
    """An instansi listed twice (domain shape), or an indicator twice (handled by scoring)."""
    if table.shape != "domain":
        return []
    frame = table.frame.assign(_id=ids)
    repeated = frame[frame["_id"].notna() & frame["_id"].duplicated(keep=False)]
    return [
        f"{table.where(int(group['_baris'].iloc[-1]), 'instansi')}, nilai {quoted(group['instansi'].iloc[0])}: "
        f"instansi tercantum lebih dari sekali (baris {line_ranges(group['_baris'])})"
        for _, group in repeated.groupby("_id")
    ]


def _domain_columns(table: RawTable, framework: Framework) -> dict[int, str]:
    """domain_no -> column of the file, by name (Kebijakan...) or position (d1..d4)."""
    names = framework.domains.set_index("domain")["domain_no"]
    found: dict[int, str] = {}
    for column in table.frame.columns:
        if column in _DOMAIN_HEADERS and _DOMAIN_HEADERS[column] in names.index:
            found[int(names[_DOMAIN_HEADERS[column]])] = column
        elif column.startswith("d") and column[1:].isdigit() and int(column[1:]) in names.values:
            found.setdefault(int(column[1:]), column)
    return found


def _domain_results(table: RawTable, framework: Framework, ids: pd.Series) -> tuple[pd.DataFrame, list[str]]:
    """The result rows of a domain-shape table and their problems; each row's index and predikat are
    checked as the official tables are (spbe.model.scoring.check_results)."""
    problems = []
    columns = _domain_columns(table, framework)
    for number, name in zip(framework.domains["domain_no"], framework.domains["domain"], strict=True):
        if number not in columns:
            problems.append(f"{table.where(None)}: kolom domain {name} tidak ada")
    if "predikat" not in table.frame.columns:
        problems.append(f"{table.where(None)}: kolom predikat tidak ada")
    if problems:
        return pd.DataFrame(), problems
    records = table.frame.to_dict("records")
    bands = framework.bands
    values: dict[str | int, pd.Series] = {
        "indeks": pd.Series([parse_number(r["indeks"]) for r in records], dtype="float64"),
        "predikat": pd.Series([r["predikat"].strip() for r in records], dtype=object),
    }
    for number, column in columns.items():  # check_results reads the domains by domain_no
        values[number] = pd.Series([parse_number(r[column]) for r in records], dtype="float64")
    parsed = pd.DataFrame(values)
    scorable = parsed["indeks"].between(bands.index_min, bands.index_max)
    checked = check_results(parsed[scorable], framework)
    rows = []
    for position, record in enumerate(records):
        line = record["_baris"]
        domains = {no: parse_number(record[column]) for no, column in columns.items()}
        for no, column in columns.items():
            value = domains[no]
            if value is None and record[column]:
                problems.append(f"{table.where(line, column)}, nilai {quoted(record[column])}: bukan angka")
            elif value is not None and not 0 <= value <= 5:
                # Below 1 is real: indicators can score 0 (2023, Kab. Banyuasin, Layanan 0,30)
                problems.append(f"{table.where(line, column)}, nilai {quoted(record[column])}: indeks domain harus 0-5")
        if not scorable.iloc[position]:
            problems.append(
                f"{table.where(line, 'indeks')}, nilai {quoted(record['indeks'])}: "
                f"indeks harus angka {bands.index_min:g}-{bands.index_max:g}"
            )
            continue
        check = checked.loc[position]
        if check["selisih"] > RECOMPUTE_TOLERANCE:
            problems.append(
                f"{table.where(line, 'indeks')}, nilai {quoted(record['indeks'])}: tidak sesuai indeks domainnya "
                f"(dihitung {format_number(check['indeks_hitung'], 3)}; "
                f"selisih lebih dari {format_number(RECOMPUTE_TOLERANCE, 3)})"
            )
        predikat = check["predikat"]
        if predikat not in bands.names:
            problems.append(
                f"{table.where(line, 'predikat')}, nilai {quoted(predikat)}: bukan predikat ({', '.join(bands.names)})"
            )
        elif not check["predikat_sesuai"]:
            problems.append(
                f"{table.where(line, 'predikat')}, nilai {quoted(predikat)}: indeks {record['indeks']} "
                f"berpredikat {check['predikat_indeks']}"
            )
        rows.append(
            {
                "instansi_id": ids.iloc[position],
                "nama_sumber": record["instansi"],
                "indeks": check["indeks"],
                "predikat": predikat,
                **{f"domain_{no}": domains.get(no) for no in range(1, 5)},
                "catatan": None,
            }
        )
    return pd.DataFrame(rows), problems


def _level_results(
    table: RawTable, framework: Framework, ids: pd.Series, year: int
) -> tuple[pd.DataFrame, pd.DataFrame | None, list[str]]:
    """Score the levels with the engine; its problems are reported with the file's lines.

    An unknown instansi is scored under its name (marked "?"), so that its other problems,
    such as missing indicators, are reported beside "tidak dikenal"; a row without a name
    has its own problem already and stays out.
    """
    long = levels_long(table)
    long["tahun"] = str(year)
    keys = [f"?{name}" if pd.isna(i) else i for i, name in zip(ids, table.frame["instansi"], strict=True)]
    long["instansi_id"] = long["_baris"].map(dict(zip(table.frame["_baris"], keys, strict=True)))
    named = long[long["instansi"].str.strip().ne("")]
    scoring_input = named.assign(instansi=named["instansi_id"])
    names = dict(zip(named["instansi_id"], named["instansi"], strict=False))
    try:
        scores = score_levels(scoring_input, framework)
    except InvalidLevelsError as invalid:
        problems = [
            f"{table.where(p.row, p.column)}, nilai {quoted(names.get(p.value, p.value))}: "
            f"{_name_ids(p.message, names)}"
            for p in invalid.problems
        ]
        return pd.DataFrame(), None, problems
    results = scores.index.rename(columns={"instansi": "instansi_id"}).drop(columns="tahun")
    results["nama_sumber"] = results["instansi_id"].map(names)
    for number in range(1, 5):  # the 2018 framework has three domains: domain_4 stays empty
        has_domain = number <= scores.domains.shape[1]
        results[f"domain_{number}"] = scores.domains.iloc[:, number - 1] if has_domain else np.nan
    results["catatan"] = None
    levels = pd.DataFrame(
        {
            "instansi_id": scoring_input["instansi_id"].to_numpy(),
            "indikator": pd.to_numeric(scoring_input["indikator"]).astype("int16").to_numpy(),
            "tingkat": pd.to_numeric(scoring_input["tingkat"]).astype("int8").to_numpy(),
        }
    )
    return results, levels, []


def _name_ids(message: str, names: dict[str, str]) -> str:
    """Scoring speaks of instansi ids ("instansi 35.78 tahun 2021"); say the names the file used instead.
    One look-up per message: a file may hold thousands of names."""
    return _SCORED_INSTANSI.sub(lambda found: f"instansi {names.get(found[1], found[1])} tahun ", message, count=1)
