"""Importing a year of evaluation results: validate everything, preview, then commit a version.

A file is read (spbe.ingest), every problem is collected at once (naming file, sheet, row,
column, value and what was expected) and the file is refused as a whole if there is any;
nothing is half-imported. A clean file becomes result rows (and indicator levels for the
indicator shapes) with provenance `impor`, previewed against what the store holds, and
committed as a new version (spbe.versions).
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from spbe.formatting import format_number
from spbe.framework import Framework, framework_for_year
from spbe.ingest import RawTable, UnreadableFileError, levels_long, parse_number, read_table_file
from spbe.predikat import LOWER_EDGES, PREDIKAT, predikat_series
from spbe.registry import alias_index, normalise_name
from spbe.scoring import RECOMPUTE_TOLERANCE, InvalidLevelsError, score_levels

MAX_PROBLEMS_SHOWN = 200
SUGGESTIONS = 3  # closest registry names offered for an unknown instansi; never applied automatically

# Domain header names in the file -> the domain's name in each framework.
_DOMAIN_HEADERS = {
    "kebijakan": "Kebijakan Internal SPBE", "tata_kelola": "Tata Kelola SPBE", "manajemen": "Manajemen SPBE",
    "layanan": "Layanan SPBE",
}  # fmt: skip


class ImportRejected(ValueError):
    """The file cannot be imported; `problems` lists every reason (Indonesian, with location)."""

    def __init__(self, problems: list[str], total: int | None = None):
        self.problems = problems[:MAX_PROBLEMS_SHOWN]
        self.total = total if total is not None else len(problems)
        more = f"\n… dan {self.total - len(self.problems)} masalah lain" if self.total > len(self.problems) else ""
        super().__init__(f"{self.total} masalah:\n" + "\n".join(self.problems) + more)


@dataclass
class ParsedImport:
    file_name: str
    sha256: str
    year: int
    shape: str
    framework: Framework
    results: pd.DataFrame  # instansi_id, nama_sumber, indeks, predikat, domain_1..4, provenance, sumber, catatan
    levels: pd.DataFrame | None  # instansi_id, indikator, tingkat, provenance, sumber (indicator shapes)
    rows_read: int
    skipped: list[tuple[int, str]] = field(default_factory=list)


def parse_import(data: bytes, file_name: str, registry: pd.DataFrame, year: int | None = None,
                 who: str = "admin", now: datetime | None = None) -> ParsedImport:  # fmt: skip
    """Read and validate an uploaded file; raise ImportRejected with every problem found."""
    try:
        table = read_table_file(data, file_name)
    except UnreadableFileError as error:
        raise ImportRejected([str(error)]) from error
    year = _year(table, year)
    framework = framework_for_year(year)
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    source = f"Impor {file_name} oleh {who}, {stamp}"
    ids, problems = _resolve(table, registry)
    if table.shape == "domain":
        results, more = _domain_results(table, framework, ids)
        levels = None
    else:
        results, levels, more = _level_results(table, framework, ids, year)
    problems += more
    problems += _duplicates(table, ids)
    if problems:
        raise ImportRejected(problems)
    results = results.assign(provenance="impor", sumber=source)
    if levels is not None:
        levels = levels.assign(provenance="impor", sumber=source)
    sha = hashlib.sha256(data).hexdigest()
    return ParsedImport(file_name, sha, year, table.shape, framework, results, levels, len(table.frame), table.skipped)


def _year(table: RawTable, year: int | None) -> int:
    if year is None:
        years = set(table.frame["tahun"].str.strip()) - {""} if "tahun" in table.frame.columns else set()
        if len(years) != 1:
            found = ", ".join(sorted(years)) or "tidak ada"
            raise ImportRejected([f"{table.where(None, 'tahun')}: perlu tepat satu tahun evaluasi per berkas "
                                  f"(ditemukan: {found}); isi kolom tahun atau pilih tahunnya"])  # fmt: skip
        value = parse_number(years.pop())
        if value is None or value != int(value):
            raise ImportRejected([f"{table.where(None, 'tahun')}: tahun bukan bilangan bulat"])
        year = int(value)
    try:
        framework_for_year(year)
    except ValueError as error:
        raise ImportRejected([f"{table.where(None, 'tahun')}: {error}"]) from error
    return year


def _resolve(table: RawTable, registry: pd.DataFrame) -> tuple[pd.Series, list[str]]:
    """Registry id of every row's instansi; unknown names get the closest names as suggestions."""
    index = alias_index(registry)
    names = table.frame["instansi"]
    ids = names.map(lambda n: index.get(normalise_name(n)))
    problems = []
    for line, name in zip(table.frame.loc[ids.isna(), "_baris"], names[ids.isna()], strict=True):
        if not name:
            problems.append(f"{table.where(line, 'instansi')}: nama instansi kosong")
            continue
        close = difflib.get_close_matches(name, list(index_names(registry)), n=SUGGESTIONS, cutoff=0.6)
        hint = f"; mungkin maksudnya: {'; '.join(close)}" if close else ""
        problems.append(f"{table.where(line, 'instansi')}, nilai {name!r}: instansi tidak dikenal dalam registri{hint}")
    return ids, problems


def index_names(registry: pd.DataFrame) -> set[str]:
    return {alias for aliases in registry["aliases"] for alias in aliases}


def _duplicates(table: RawTable, ids: pd.Series) -> list[str]:
    """An instansi listed twice (domain shape), or an indicator twice (handled by scoring)."""
    if table.shape != "domain":
        return []
    frame = table.frame.assign(_id=ids)
    repeated = frame[frame["_id"].notna() & frame["_id"].duplicated(keep=False)]
    return [
        f"{table.where(int(group['_baris'].iloc[-1]), 'instansi')}, nilai {group['instansi'].iloc[0]!r}: "
        f"instansi tercantum lebih dari sekali (baris {', '.join(map(str, group['_baris']))})"
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
    problems = []
    columns = _domain_columns(table, framework)
    for number, name in zip(framework.domains["domain_no"], framework.domains["domain"], strict=True):
        if number not in columns:
            problems.append(f"{table.where(None)}: kolom domain {name} tidak ada")
    if "predikat" not in table.frame.columns:
        problems.append(f"{table.where(None)}: kolom predikat tidak ada")
    if problems:
        return pd.DataFrame(), problems
    rows = []
    weights = framework.domains.set_index("domain_no")["domain_weight"]
    for position, record in enumerate(table.frame.to_dict("records")):
        line = record["_baris"]
        index = parse_number(record["indeks"])
        domains = {no: parse_number(record[column]) for no, column in columns.items()}
        for no, column in columns.items():
            if domains[no] is None and record[column]:
                problems.append(f"{table.where(line, column)}, nilai {record[column]!r}: bukan angka")
            elif domains[no] is not None and not 1 <= domains[no] <= 5:
                problems.append(f"{table.where(line, column)}, nilai {record[column]!r}: indeks domain harus 1-5")
        if index is None or not 1 <= index <= 5:
            problems.append(f"{table.where(line, 'indeks')}, nilai {record['indeks']!r}: indeks harus angka 1-5")
            continue
        if all(v is not None for v in domains.values()):
            recomputed = sum(domains[no] * weights[no] for no in domains) / weights.sum()
            if abs(recomputed - index) > RECOMPUTE_TOLERANCE:
                problems.append(
                    f"{table.where(line, 'indeks')}, nilai {record['indeks']!r}: tidak sesuai indeks domainnya "
                    f"(dihitung {format_number(recomputed, 3)}; "
                    f"selisih lebih dari {format_number(RECOMPUTE_TOLERANCE, 3)})"
                )
        predikat = record["predikat"].strip()
        expected = predikat_series(pd.Series([index])).iloc[0]
        if predikat not in PREDIKAT:
            problems.append(
                f"{table.where(line, 'predikat')}, nilai {predikat!r}: bukan predikat ({', '.join(PREDIKAT)})"
            )
        elif predikat != expected and not _on_edge(index):
            problems.append(f"{table.where(line, 'predikat')}, nilai {predikat!r}: indeks {record['indeks']} "
                            f"berpredikat {expected}")  # fmt: skip
        rows.append({
            "instansi_id": ids.iloc[position], "nama_sumber": record["instansi"], "indeks": index,
            "predikat": predikat, **{f"domain_{no}": domains.get(no) for no in range(1, 5)}, "catatan": None,
        })  # fmt: skip
    return pd.DataFrame(rows), problems


def _on_edge(index: float) -> bool:
    """A printed index within rounding of a band edge may carry either predikat (2023 tables)."""
    return bool(np.min(np.abs(np.array(LOWER_EDGES) - index)) <= RECOMPUTE_TOLERANCE)


def _level_results(table: RawTable, framework: Framework, ids: pd.Series, year: int):
    """Score the levels with the engine; its problems are reported with the file's lines."""
    long = levels_long(table)
    long["tahun"] = str(year)
    id_of_line = dict(zip(table.frame["_baris"], ids, strict=True))
    long["instansi_id"] = long["_baris"].map(id_of_line)
    known = long[long["instansi_id"].notna()]
    scoring_input = known.assign(instansi=known["instansi_id"])
    try:
        scores = score_levels(scoring_input, framework)
    except InvalidLevelsError as invalid:
        names = dict(zip(known["instansi_id"], known["instansi"], strict=False))
        problems = [f"{table.where(p.row, p.column)}, nilai {names.get(p.value, p.value)!r}: "
                    f"{_name_ids(p.message, names)}" for p in invalid.problems]  # fmt: skip
        return pd.DataFrame(), None, problems
    names = dict(zip(known["instansi_id"], known["instansi"], strict=False))
    results = scores.index.rename(columns={"instansi": "instansi_id"}).drop(columns="tahun")
    results["nama_sumber"] = results["instansi_id"].map(names)
    for number in range(1, 5):  # the 2018 framework has three domains: domain_4 stays empty
        has_domain = number <= scores.domains.shape[1]
        results[f"domain_{number}"] = scores.domains.iloc[:, number - 1] if has_domain else np.nan
    results["catatan"] = None
    levels = pd.DataFrame({
        "instansi_id": scoring_input["instansi_id"].to_numpy(),
        "indikator": pd.to_numeric(scoring_input["indikator"]).astype("int16").to_numpy(),
        "tingkat": pd.to_numeric(scoring_input["tingkat"]).astype("int8").to_numpy(),
    })  # fmt: skip
    return results, levels, []


def _name_ids(message: str, names: dict[str, str]) -> str:
    """Scoring speaks of instansi ids; say the names the file used instead."""
    for instansi_id, name in names.items():
        message = message.replace(f"instansi {instansi_id} ", f"instansi {name} ")
    return message
