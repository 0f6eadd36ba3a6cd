"""Reading evaluation results from real spreadsheets: CSV or XLSX, in three shapes.

    panjang   long: tahun, instansi, indikator, tingkat (one row per instansi and indicator)
    lebar     wide: one row per instansi, one column per indicator (I1..In)
    komponen  one row per instansi with the indices of the framework's components, index and
              predikat (the report tables): domains (Kebijakan.., d1..d4) or, for a framework
              without domains, aspects (by name, a1..a7); k1..kN numbers the components of any

Which components a table holds is for the year's framework to say (spbe.data.importer): here a
header is a component column by its position (d3, "Aspek 2", k5), a domain spelling
(COMPONENT_ALIASES) or the name of a component of a framework the caller passes in.

Real files have titles above the table, merged header cells, header spelling variants
("Indeks" / "Nilai Indeks"), blank rows, a totals row, decimal commas ("3,12") and numbers
stored as text. Every cell is kept as text with its file line, so validation (spbe.data.importer)
can quote exactly what the file holds. Every sheet of a workbook that holds a recognisable
table is read; the others are named as skipped. A table without data rows is refused.

CSV text is decoded by what its bytes show: a BOM (UTF-8, UTF-16, UTF-32), the NUL pattern of
BOM-less UTF-16, else UTF-8, else Windows-1252 (Excel on Windows desktops); anything else is
refused naming what was found.

Years: a file states its evaluation year in a tahun column, a sheet name ("Hasil 2023") or a
title above the table ("Hasil Evaluasi SPBE Tahun 2023"). `row_years` gives each row its year
and reports every conflict between those and the year the user gave; a given year only fills
in where the file states none, it never overrides the file.

Reading is bounded (spbe.data.sheets): the cells are read in a child process with a memory limit and
a timeout, streaming and counting rows, cells and characters, so a small crafted file can neither
exhaust the server's memory nor run for ever; it is refused with a message saying which limit.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import SupportsInt

import pandas as pd

from spbe.core.formatting import format_count
from spbe.core.messages import line_ranges, quoted
from spbe.data.sheets import MAX_FILE_BYTES, Refused
from spbe.model.framework import Framework
from spbe.model.scoring import LEVEL_COLUMNS

HEADER_SEARCH_ROWS = 25  # titles above the table: the header is searched in the first rows
# The reading child (spbe.data.sheets): its address space, and how long it may take. A real 1,7 MB
# XLSX of 94.000 rows needs ~60 MB and 2-3 s; a file at every limit of spbe.data.sheets ~150 MB and
# ~10 s on two busy cores. Crafted files meet one of those limits within seconds.
PARSE_MEMORY_BYTES = 512 * 1024 * 1024
PARSE_TIMEOUT_S = 60
# The child runs isolated (-I -S: no site-packages, no working directory on its path), so it is
# given the folder that holds the spbe package.
_PACKAGE_PARENT = Path(__file__).resolve().parents[2]
_CHILD = "import sys; sys.path.insert(0, sys.argv[1]); from spbe.data.sheets import main; main(int(sys.argv[2]))"
_log = logging.getLogger(__name__)

COMPONENT_SHAPE = "komponen"  # the shape of a table of component indices, whatever the components are
_INDICATOR_SHAPES = {
    "panjang": "panjang (tahun, instansi, indikator, tingkat)",
    "lebar": "lebar (satu baris per instansi, kolom I1..In)",
}
# A table of component indices is named by the component level of its year's framework ("domain",
# "aspek"): `framework_shapes` gives the three shapes of any framework (the Impor page's template buttons).
# Short domain headers of the report tables (canonical column -> the domain name they stand for).
COMPONENT_ALIASES = {
    "kebijakan": "Kebijakan Internal SPBE",
    "tata_kelola": "Tata Kelola SPBE",
    "manajemen": "Manajemen SPBE",
    "layanan": "Layanan SPBE",
}

# Header spellings seen in spreadsheets -> canonical column name. Keys are normalised:
# lower case, non-letters removed, single spaces.
_HEADER_NAMES = {
    "tahun": "tahun",
    "tahun evaluasi": "tahun",
    "instansi": "instansi",
    "nama instansi": "instansi",
    "instansi pemerintah": "instansi",
    "nama": "instansi",
    "indikator": "indikator",
    "no indikator": "indikator",
    "nomor indikator": "indikator",
    "tingkat": "tingkat",
    "tingkat kematangan": "tingkat",
    "level": "tingkat",
    "nilai": "tingkat",
    "indeks": "indeks",
    "nilai indeks": "indeks",
    "indeks spbe": "indeks",
    "nilai indeks spbe": "indeks",
    "predikat": "predikat",
    "kebijakan": "kebijakan",
    "kebijakan internal": "kebijakan",
    "domain kebijakan": "kebijakan",
    "kebijakan internal spbe": "kebijakan",
    "tata kelola": "tata_kelola",
    "domain tata kelola": "tata_kelola",
    "tata kelola spbe": "tata_kelola",
    "manajemen": "manajemen",
    "domain manajemen": "manajemen",
    "manajemen spbe": "manajemen",
    "layanan": "layanan",
    "domain layanan": "layanan",
    "layanan spbe": "layanan",
}
_INDICATOR_HEADER = re.compile(r"^(?:i|ind|indikator)\s*(\d{1,2})$")
# A component by its position: d2 / "Domain 2", a3 / "Aspek 3", k5 / "Komponen 5" -> d2, a3, k5.
_COMPONENT_HEADER = re.compile(r"^(d|domain|a|aspek|k|komponen)\s*(\d{1,2})$")
POSITIONAL_COMPONENT = re.compile(r"([dak])(\d+)")  # a canonical positional component column
_TOTAL_ROW = re.compile(r"^\s*(jumlah|total|rata-?rata|rerata|nasional|indeks nasional)\b", re.IGNORECASE)
# A year in a sheet name: any standalone 20xx ("2023", "Hasil 2023", "Tahun 2023").
_SHEET_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
# A year in a title row: only after words that introduce the evaluation year, so that a
# regulation ("PermenPANRB Nomor 59 Tahun 2020", "KepmenPANRB 13/2024") or a date is no statement.
_TITLE_YEAR = re.compile(
    r"(?<!\d\s)\b(?:tahun(?:\s+evaluasi)?|evaluasi(?:\s+spbe)?|spbe|hasil)\s+(20\d{2})(?!\d)", re.IGNORECASE
)


class UnreadableFileError(ValueError):
    """The file cannot be read as a table; the message says why, in Indonesian."""


@dataclass(frozen=True)
class RawTable:
    """Cells as text under canonical column names, with the file line of every row."""

    file_name: str
    sheet: str | None
    shape: str  # panjang | lebar | komponen
    frame: pd.DataFrame  # text cells; plus `_baris` (line in the file, header = its own line)
    skipped: list[tuple[int, str]]  # (line, why): totals rows, empty rows
    stated_years: tuple[tuple[str, int], ...] = ()  # (where, year) from the sheet name and title rows

    def where(self, line: int | None, column: str | None = None) -> str:
        return self.where_lines([] if line is None else [line], column)

    def where_lines(self, lines: Collection[SupportsInt], column: str | None = None) -> str:
        """Where in the file: "file, lembar S, baris 5-7, 9, kolom C", the parts that apply."""
        parts = [self.file_name] + ([f"lembar {self.sheet}"] if self.sheet else [])
        parts += [f"baris {line_ranges(lines)}"] if len(lines) else []
        parts += [f"kolom {column}"] if column else []
        return ", ".join(parts)


def normalise_header(text: object) -> str:
    cleaned = re.sub(r"[^0-9a-z]+", " ", str(text or "").lower()).strip()
    return re.sub(r"\s+", " ", cleaned)


def canonical_column(text: object, component_names: Collection[str] = ()) -> str | None:
    """The column a header names: a known spelling, I5 for an indicator, d2 / a3 / k5 for a component
    by position, or the component of `component_names` it spells (the name as the framework has it)."""
    header = normalise_header(text)
    if header in _HEADER_NAMES:
        return _HEADER_NAMES[header]
    match = _INDICATOR_HEADER.match(header)
    if match:
        return f"I{int(match.group(1))}"
    match = _COMPONENT_HEADER.match(header)
    if match:
        return f"{match.group(1)[0]}{int(match.group(2))}"
    return next((name for name in component_names if normalise_header(name) == header), None)


def is_component_column(column: str, component_names: Collection[str] = ()) -> bool:
    """Whether a canonical column holds the index of a component (of some framework)."""
    return column in COMPONENT_ALIASES or column in component_names or bool(POSITIONAL_COMPONENT.fullmatch(column))


def read_tables(data: bytes, file_name: str, component_names: Collection[str] = ()) -> tuple[list[RawTable], list[str]]:
    """Every table of an uploaded CSV or XLSX (header found, text cells, shape detected), and
    the names of the sheets that hold no recognisable table. `component_names` (of every framework)
    are recognised as headers of component indices besides their positions and domain spellings."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFileError(
            f"{file_name}: berkas {format_count(len(data))} bita melebihi batas {format_count(MAX_FILE_BYTES)} bita"
        )
    suffix = Path(file_name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        shown = suffix or "(tanpa akhiran)"
        raise UnreadableFileError(f"{file_name}: format {shown} tidak didukung; gunakan .csv atau .xlsx")
    sheets = _read_in_child(data, file_name, suffix)
    tables: list[RawTable] = []
    skipped_sheets: list[str] = []
    for sheet, rows in sheets:
        found = _find_header(rows, component_names)
        if found is None:
            if sheet is not None:  # a CSV (a single table, no sheet) without a header is refused below
                skipped_sheets.append(sheet)
        else:
            tables.append(_table(file_name, sheet, rows, *found))
    if not tables:
        raise UnreadableFileError(
            f"{file_name}: tidak ditemukan baris judul kolom yang dikenali dalam {HEADER_SEARCH_ROWS} baris pertama"
            + (f" lembar mana pun ({', '.join(skipped_sheets)})" if suffix == ".xlsx" else "")
            + "; perlu kolom instansi dan tingkat/indikator (bentuk panjang), I1..In (lebar) atau indeks domain "
            "atau aspek dengan indeks dan predikat (domain, aspek). Unduh templat di halaman Impor."
        )
    empty = [table for table in tables if table.frame.empty]
    if empty:  # a header alone would save an empty year, or score nothing
        raise UnreadableFileError(
            "\n".join(
                f"{table.where(None)}: tabel tanpa baris data (hanya judul kolom"
                + (f" dan {format_count(len(table.skipped))} baris kosong atau ringkasan)" if table.skipped else ")")
                for table in empty
            )
        )
    return tables, skipped_sheets


def row_years(table: RawTable, year: int | None) -> tuple[pd.Series, list[str]]:
    """The evaluation year of every row of `table` (Int64, aligned with its frame) and every problem.

    A row's year is its tahun cell, else the year the sheet name or title states, else `year`
    (given by the user), else the one year the tahun column holds. Every disagreement between
    these is a problem naming the sheet, the rows and both years: a given year never
    overrides what the file says.
    """
    frame = table.frame
    problems = []
    stated = sorted({y for _, y in table.stated_years})
    if len(stated) > 1:
        said = "; ".join(f"{where}: {y}" for where, y in table.stated_years)
        problems.append(f"{table.where(None)}: tahun yang disebut berbeda-beda ({said}); satu lembar satu tahun")
    sheet_year = stated[0] if len(stated) == 1 else None
    sheet_source = " dan ".join(where for where, y in table.stated_years if y == sheet_year)
    if year is not None and sheet_year is not None and year != sheet_year:
        problems.append(
            f"{table.where_lines(frame['_baris'])}: tahun {sheet_year} menurut {sheet_source}, "
            f"bukan {year} yang dipilih"
        )
    cells = frame["tahun"].str.strip() if "tahun" in frame.columns else pd.Series("", index=frame.index)
    numbers = pd.to_numeric(cells.map(parse_number), errors="coerce")  # NaN where not a number
    whole = numbers.between(1000, 9999) & numbers.eq(numbers.round())
    for value, lines in frame.loc[cells.ne("") & ~whole, "_baris"].groupby(cells, sort=False):
        problems.append(f"{table.where_lines(lines, 'tahun')}, nilai {quoted(value)}: bukan tahun (bilangan bulat)")
    cell_years = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    cell_years[whole] = numbers[whole].astype(int)
    reference = sheet_year if sheet_year is not None else year
    said = f"menurut {sheet_source}" if sheet_year is not None else "yang dipilih"
    if reference is not None:
        differs = cell_years.notna() & cell_years.ne(reference)
        for value, lines in frame.loc[differs, "_baris"].groupby(cell_years[differs], sort=True):
            problems.append(f"{table.where_lines(lines, 'tahun')}: tahun {value} di berkas, bukan {reference} {said}")
    column_years = cell_years.dropna().unique()
    fallback = reference if reference is not None else column_years[0] if len(column_years) == 1 else None
    years = cell_years.fillna(fallback) if fallback is not None else cell_years
    unknown = years.isna() & cells.eq("")
    if unknown.any() and "tahun" not in frame.columns:
        problems.append(
            f"{table.where(None)}: kolom tahun tidak ada, dan nama lembar maupun judul tidak menyebut "
            "tahun evaluasi; sebutkan tahunnya"
        )
    elif unknown.any():
        problems.append(
            f"{table.where_lines(frame.loc[unknown, '_baris'], 'tahun')}: tahun kosong; "
            "isi kolom tahun atau sebutkan tahunnya"
        )
    return years, problems


def read_levels(path: Path, year: int | None = None) -> pd.DataFrame:
    """A long indicator table (tahun, instansi, indikator, tingkat, _baris, _lembar) from a long or
    wide file, every sheet of it.

    Each row's year is the one the file states (see `row_years`); `year` only fills in where the
    file states none, and a file that states another year is refused.
    """
    if not path.is_file():
        raise UnreadableFileError(f"{path}: berkas tidak ditemukan")
    tables, _ = read_tables(path.read_bytes(), path.name)
    components = [table.where(None) for table in tables if table.shape == COMPONENT_SHAPE]
    if components:
        raise UnreadableFileError(f"{'; '.join(components)}: berisi indeks domain atau aspek, bukan tingkat indikator")
    parts, problems = [], []
    for table in tables:
        years, more = row_years(table, year)
        problems += more
        long = levels_long(table)
        year_of_line = dict(zip(table.frame["_baris"], years.astype(str), strict=True))
        parts.append(long.assign(tahun=long["_baris"].map(year_of_line), _lembar=table.sheet or ""))
    if problems:
        raise UnreadableFileError("\n".join(problems))
    long = pd.concat(parts, ignore_index=True)
    problems = _repeated_across_sheets(long)
    if problems:
        raise UnreadableFileError("\n".join(problems))
    return long


def _repeated_across_sheets(long: pd.DataFrame) -> list[str]:
    """An instansi of one year in two sheets: which one counts is not for the reader to guess."""
    sheets = long.drop_duplicates(["tahun", "instansi", "_lembar"])
    repeated = sheets[sheets.duplicated(["tahun", "instansi"], keep=False)]
    return [
        f"instansi {quoted(name)} tahun {year} tercantum di lebih dari satu lembar ({', '.join(group['_lembar'])})"
        for (year, name), group in repeated.groupby(["tahun", "instansi"], sort=True)
    ]


def levels_long(table: RawTable) -> pd.DataFrame:
    """Long (tahun?, instansi, indikator, tingkat, _baris) from a panjang or lebar table."""
    frame = table.frame
    if table.shape == "panjang":
        return frame[[c for c in ("tahun", *LEVEL_COLUMNS[1:], "_baris") if c in frame.columns]].copy()
    indicators = [c for c in frame.columns if re.fullmatch(r"I\d+", c)]
    keys = ["_baris", "instansi"] + (["tahun"] if "tahun" in frame.columns else [])
    # a stray "indikator" or "tingkat" column in a lebar table is ignored like any other extra column
    frame = frame[keys + indicators]
    long = frame.melt(id_vars=keys, value_vars=indicators, var_name="indikator", value_name="tingkat")
    long["indikator"] = long["indikator"].str[1:]
    order = pd.to_numeric(long["indikator"])
    return long.assign(_order=order).sort_values(["_baris", "_order"]).drop(columns="_order").reset_index(drop=True)


def parse_number(text: str) -> float | None:
    """'3,12' -> 3.12; '1.234,5' -> 1234.5; '3.12' -> 3.12; '' or text -> None."""
    value = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if not value:
        return None
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    try:
        return float(value)
    except ValueError:
        return None


# ---------------------------------------------------------------- reading, in a child process


def _read_in_child(data: bytes, file_name: str, suffix: str) -> list[tuple[str | None, list[list[str]]]]:
    """(sheet, rows of text cells) of the file, read by spbe.data.sheets in a child process.

    A fresh interpreter (not a fork: the server has threads) limited to PARSE_MEMORY_BYTES and
    killed after PARSE_TIMEOUT_S: whatever the file makes the reader do, this process only ever
    holds the rows that come back, and those are bounded by the reader's own limits.
    """
    header = json.dumps({"name": file_name, "suffix": suffix}).encode() + b"\n"
    command = [sys.executable, "-I", "-S", "-c", _CHILD, str(_PACKAGE_PARENT), str(PARSE_MEMORY_BYTES)]
    try:
        child = subprocess.run(command, input=header + data, capture_output=True, timeout=PARSE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as error:
        raise UnreadableFileError(
            f"{file_name}: pembacaan dihentikan setelah {format_count(PARSE_TIMEOUT_S)} "
            "detik; berkas terlalu rumit untuk sebuah tabel hasil"
        ) from error
    try:
        answer = json.loads(child.stdout)
    except ValueError as error:  # no answer: the child died (a signal, a fault); the server log says how
        _log.warning(
            "file reader for %r ended with code %s: %s",
            file_name,
            child.returncode,
            child.stderr.decode(errors="replace")[-2000:],
        )
        why = "pembacanya berhenti tanpa hasil; berkas mungkin rusak atau terlalu rumit untuk sebuah tabel hasil"
        raise UnreadableFileError(f"{file_name}: berkas tidak dapat dibaca: {why}") from error
    if "memory" in answer:
        raise UnreadableFileError(
            f"{file_name}: membaca berkas ini memerlukan lebih dari "
            f"{format_count(PARSE_MEMORY_BYTES // 2**20)} MB memori; berkas terlalu rumit "
            "untuk sebuah tabel hasil"
        )
    if "refused" in answer:
        raise UnreadableFileError(refusal_text(Refused(answer["refused"])))
    return [(sheet, rows) for sheet, rows in answer["sheets"]]


def refusal_text(refused: Refused) -> str:
    """The reader's message, one problem a line, its counts in Indonesian ("200.000")."""
    return "\n".join(
        template.format(
            **{key: format_count(value) if isinstance(value, int) else value for key, value in values.items()}
        )
        for template, values in refused.lines
    )


# ---------------------------------------------------------------- table structure


def _find_header(
    rows: list[list[str]], component_names: Collection[str]
) -> tuple[int, int, dict[int, str], str] | None:
    """(first and last header row, column position -> canonical name, shape) of the first recognisable header.

    A header may span two rows, as report tables do with merged cells ("Indeks Domain" over
    "Kebijakan | Tata Kelola | ..."): each column then takes its name from the lower row, or
    from the upper one where the lower is empty (a vertically merged cell keeps its text on top).
    """
    for index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        upper = _names(rows[index], component_names)
        candidates = [(index, upper)]
        if upper and index + 1 < len(rows):  # an upper row naming nothing is a title, not half the header
            candidates.append((index + 1, {**upper, **_names(rows[index + 1], component_names)}))
        for end, columns in candidates:
            shape = _shape(set(columns.values()), component_names)
            if shape:
                return index, end, _unique(columns), shape
    return None


def _names(row: list[str], component_names: Collection[str]) -> dict[int, str]:
    return {position: name for position, cell in enumerate(row) if (name := canonical_column(cell, component_names))}


def _unique(columns: dict[int, str]) -> dict[int, str]:
    """The first column of each name wins (a repeated header is ignored, not merged)."""
    seen: set[str] = set()
    kept = {}
    for position in sorted(columns):
        if columns[position] not in seen:
            kept[position] = columns[position]
            seen.add(columns[position])
    return kept


def _shape(names: set[str], component_names: Collection[str]) -> str | None:
    if "instansi" not in names:
        return None
    if {"indikator", "tingkat"} <= names:
        return "panjang"
    if any(re.fullmatch(r"I\d+", n) for n in names):
        return "lebar"
    if "indeks" in names and any(is_component_column(n, component_names) for n in names):
        return COMPONENT_SHAPE
    return None


def _table(
    file_name: str,
    sheet: str | None,
    rows: list[list[str]],
    first: int,
    header: int,
    columns: dict[int, str],
    shape: str,
) -> RawTable:
    records, skipped = [], []
    instansi_position = next(p for p, n in columns.items() if n == "instansi")
    for index in range(header + 1, len(rows)):
        row = rows[index]
        line = index + 1
        cells = {name: (row[p].strip() if p < len(row) else "") for p, name in columns.items()}
        if not any(cells.values()):
            skipped.append((line, "baris kosong"))
            continue
        name = row[instansi_position].strip() if instansi_position < len(row) else ""
        if _TOTAL_ROW.match(name):
            skipped.append((line, f"baris ringkasan ({name})"))
            continue
        records.append({**cells, "_baris": line})
    frame = pd.DataFrame(records, columns=[*columns.values(), "_baris"]).astype({"_baris": int})
    return RawTable(file_name, sheet, shape, frame, skipped, _stated_years(sheet, rows[:first]))


def _stated_years(sheet: str | None, titles: list[list[str]]) -> tuple[tuple[str, int], ...]:
    """Years the sheet name and the title rows above the header state, with where they say it."""
    stated = [("nama lembar", int(y)) for y in _SHEET_YEAR.findall(sheet or "")]
    stated += [
        (f"judul di baris {line}", int(y))
        for line, row in enumerate(titles, start=1)
        for cell in row
        for y in _TITLE_YEAR.findall(cell)
    ]
    return tuple(dict.fromkeys(stated))


def framework_shapes(framework: Framework) -> dict[str, str]:
    """The three shapes a file of the framework's years may take (shape -> its description)."""
    label = framework.component_label
    return {**_INDICATOR_SHAPES, label: f"{label} (indeks {label}, indeks dan predikat per instansi)"}


def template_table(shape: str, framework: Framework) -> pd.DataFrame:
    """An example file of each of the framework's shapes, with two rows to overwrite (names from the
    registry): its indicators, or its components by name (domains, or aspects where it has none)."""
    if shape not in framework_shapes(framework):
        raise ValueError(
            f"bentuk {shape!r} bukan bentuk berkas {framework.title} ({', '.join(framework_shapes(framework))})"
        )
    example = ["Kementerian Keuangan", "Kota Surabaya"]
    numbers = framework.indicator_numbers
    if shape == "panjang":
        return pd.DataFrame(
            [(framework.first_year, name, n, 3) for name in example for n in numbers],
            columns=["tahun", "instansi", "indikator", "tingkat"],
        )
    if shape == "lebar":
        return pd.DataFrame(
            [{"tahun": framework.first_year, "instansi": name, **{f"I{n}": 3 for n in numbers}} for name in example]
        )
    components = {name: 3.0 for name in framework.components["name"]}
    return pd.DataFrame(
        [
            {"tahun": framework.first_year, "instansi": name, **components, "indeks": 3.0, "predikat": "Baik"}
            for name in example
        ]
    )
