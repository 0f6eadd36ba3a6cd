"""Reading evaluation results from real spreadsheets: CSV or XLSX, in three shapes.

    panjang  long: tahun, instansi, indikator, tingkat (one row per instansi and indicator)
    lebar    wide: one row per instansi, one column per indicator (I1..In)
    domain   one row per instansi with domain indices, index and predikat (the report tables)

Real files have titles above the table, merged header cells, header spelling variants
("Indeks" / "Nilai Indeks"), blank rows, a totals row, decimal commas ("3,12") and numbers
stored as text. Every cell is kept as text with its file line, so validation (spbe.importer)
can quote exactly what the file holds. Every sheet of a workbook that holds a recognisable
table is read; the others are named as skipped. A table without data rows is refused.

CSV text is decoded by what its bytes show: a BOM (UTF-8, UTF-16, UTF-32), the NUL pattern of
BOM-less UTF-16, else UTF-8, else Windows-1252 (Excel on Windows desktops); anything else is
refused naming what was found.

Years: a file states its evaluation year in a tahun column, a sheet name ("Hasil 2023") or a
title above the table ("Hasil Evaluasi SPBE Tahun 2023"). `row_years` gives each row its year
and reports every conflict between those and the year the user gave; a given year only fills
in where the file states none, it never overrides the file.

Limits refuse oversized or crafted files before they can exhaust memory: XLSX is opened
read-only, and reading stops at the limits.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from spbe.formatting import format_count
from spbe.scoring import LEVEL_COLUMNS

MAX_FILE_BYTES = 20 * 1024 * 1024  # the biggest real export (600 instansi x 47 levels) is ~2 MB
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # an XLSX is a ZIP: refuse bombs before parsing
MAX_SHEETS = 30
MAX_ROWS = 100_000  # 47 indicators x 2,000 instansi
MAX_COLUMNS = 200  # CSV: refused beyond; XLSX: not read beyond
MAX_CELLS = 2_000_000
HEADER_SEARCH_ROWS = 25  # titles above the table: the header is searched in the first rows
MAX_RANGES_SHOWN = 10  # row ranges quoted in one message

SHAPES = {"panjang": "panjang (tahun, instansi, indikator, tingkat)",
          "lebar": "lebar (satu baris per instansi, kolom I1..In)",
          "domain": "domain (indeks domain, indeks dan predikat per instansi)"}  # fmt: skip

# Header spellings seen in spreadsheets -> canonical column name. Keys are normalised:
# lower case, non-letters removed, single spaces.
_HEADER_NAMES = {
    "tahun": "tahun", "tahun evaluasi": "tahun",
    "instansi": "instansi", "nama instansi": "instansi", "instansi pemerintah": "instansi", "nama": "instansi",
    "indikator": "indikator", "no indikator": "indikator", "nomor indikator": "indikator",
    "tingkat": "tingkat", "tingkat kematangan": "tingkat", "level": "tingkat", "nilai": "tingkat",
    "indeks": "indeks", "nilai indeks": "indeks", "indeks spbe": "indeks", "nilai indeks spbe": "indeks",
    "predikat": "predikat",
    "kebijakan": "kebijakan", "kebijakan internal": "kebijakan", "domain kebijakan": "kebijakan",
    "kebijakan internal spbe": "kebijakan", "d1": "d1", "domain 1": "d1",
    "tata kelola": "tata_kelola", "domain tata kelola": "tata_kelola", "tata kelola spbe": "tata_kelola",
    "d2": "d2", "domain 2": "d2",
    "manajemen": "manajemen", "domain manajemen": "manajemen", "manajemen spbe": "manajemen", "d3": "d3",
    "domain 3": "d3",
    "layanan": "layanan", "domain layanan": "layanan", "layanan spbe": "layanan", "d4": "d4", "domain 4": "d4",
}  # fmt: skip
_INDICATOR_HEADER = re.compile(r"^(?:i|ind|indikator)\s*(\d{1,2})$")
_TOTAL_ROW = re.compile(r"^\s*(jumlah|total|rata-?rata|rerata|nasional|indeks nasional)\b", re.IGNORECASE)
# A year in a sheet name: any standalone 20xx ("2023", "Hasil 2023", "Tahun 2023").
_SHEET_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
# A year in a title row: only after words that introduce the evaluation year, so that a
# regulation ("PermenPANRB Nomor 59 Tahun 2020", "KepmenPANRB 13/2024") or a date is no statement.
_TITLE_YEAR = re.compile(r"(?<!\d\s)\b(?:tahun(?:\s+evaluasi)?|evaluasi(?:\s+spbe)?|spbe|hasil)\s+(20\d{2})(?!\d)",
                         re.IGNORECASE)  # fmt: skip


class UnreadableFileError(ValueError):
    """The file cannot be read as a table; the message says why, in Indonesian."""


@dataclass(frozen=True)
class RawTable:
    """Cells as text under canonical column names, with the file line of every row."""

    file_name: str
    sheet: str | None
    shape: str  # panjang | lebar | domain
    frame: pd.DataFrame  # text cells; plus `_baris` (line in the file, header = its own line)
    skipped: list[tuple[int, str]]  # (line, why): totals rows, empty rows
    stated_years: tuple[tuple[str, int], ...] = ()  # (where, year) from the sheet name and title rows

    def where(self, line: int | None, column: str | None = None) -> str:
        return self.where_lines([] if line is None else [line], column)

    def where_lines(self, lines, column: str | None = None) -> str:
        """Where in the file: "file, lembar S, baris 5-7, 9, kolom C", the parts that apply."""
        parts = [self.file_name] + ([f"lembar {self.sheet}"] if self.sheet else [])
        parts += [f"baris {line_ranges(lines)}"] if len(lines) else []
        parts += [f"kolom {column}"] if column else []
        return ", ".join(parts)


def normalise_header(text: object) -> str:
    cleaned = re.sub(r"[^0-9a-z]+", " ", str(text or "").lower()).strip()
    return re.sub(r"\s+", " ", cleaned)


def canonical_column(text: object) -> str | None:
    header = normalise_header(text)
    if header in _HEADER_NAMES:
        return _HEADER_NAMES[header]
    match = _INDICATOR_HEADER.match(header)
    return f"I{int(match.group(1))}" if match else None


def read_tables(data: bytes, file_name: str) -> tuple[list[RawTable], list[str]]:
    """Every table of an uploaded CSV or XLSX (header found, text cells, shape detected), and
    the names of the sheets that hold no recognisable table."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFileError(
            f"{file_name}: berkas {format_count(len(data))} bita melebihi batas {format_count(MAX_FILE_BYTES)} bita"
        )
    suffix = Path(file_name).suffix.lower()
    if suffix == ".csv":
        sheets = [(None, _csv_rows(data, file_name))]
    elif suffix == ".xlsx":
        sheets = _xlsx_sheets(data, file_name)
    else:
        shown = suffix or "(tanpa akhiran)"
        raise UnreadableFileError(f"{file_name}: format {shown} tidak didukung; gunakan .csv atau .xlsx")
    tables, skipped_sheets = [], []
    for sheet, rows in sheets:
        found = _find_header(rows)
        if found is None:
            skipped_sheets.append(sheet)
        else:
            tables.append(_table(file_name, sheet, rows, *found))
    if not tables:
        raise UnreadableFileError(
            f"{file_name}: tidak ditemukan baris judul kolom yang dikenali dalam {HEADER_SEARCH_ROWS} baris pertama"
            + (f" lembar mana pun ({', '.join(skipped_sheets)})" if suffix == ".xlsx" else "")
            + "; perlu kolom instansi dan tingkat/indikator (bentuk panjang), I1..In (lebar) atau indeks domain "
            "(domain). Unduh templat di halaman Impor."
        )
    empty = [table for table in tables if table.frame.empty]
    if empty:  # a header alone would save an empty year, or score nothing
        raise UnreadableFileError("\n".join(
            f"{table.where(None)}: tabel tanpa baris data (hanya judul kolom"
            + (f" dan {format_count(len(table.skipped))} baris kosong atau ringkasan)" if table.skipped else ")")
            for table in empty))  # fmt: skip
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
        problems.append(f"{table.where_lines(frame['_baris'])}: tahun {sheet_year} menurut {sheet_source}, "
                        f"bukan {year} yang dipilih")  # fmt: skip
    cells = frame["tahun"].str.strip() if "tahun" in frame.columns else pd.Series("", index=frame.index)
    numbers = pd.to_numeric(cells.map(parse_number), errors="coerce")  # NaN where not a number
    whole = numbers.between(1000, 9999) & numbers.eq(numbers.round())
    for value, lines in frame.loc[cells.ne("") & ~whole, "_baris"].groupby(cells, sort=False):
        problems.append(f"{table.where_lines(lines, 'tahun')}, nilai {value!r}: bukan tahun (bilangan bulat)")
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
        problems.append(f"{table.where(None)}: kolom tahun tidak ada, dan nama lembar maupun judul tidak menyebut "
                        "tahun evaluasi; sebutkan tahunnya")  # fmt: skip
    elif unknown.any():
        problems.append(f"{table.where_lines(frame.loc[unknown, '_baris'], 'tahun')}: tahun kosong; "
                        "isi kolom tahun atau sebutkan tahunnya")  # fmt: skip
    return years, problems


def line_ranges(lines) -> str:
    """[5, 6, 7, 9] -> "5-7, 9": the rows a message is about, short enough to read."""
    ranges: list[list[int]] = []
    for line in sorted(set(int(n) for n in lines)):
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1][1] = line
        else:
            ranges.append([line, line])
    shown = [str(a) if a == b else f"{a}-{b}" for a, b in ranges[:MAX_RANGES_SHOWN]]
    return ", ".join(shown) + (", …" if len(ranges) > MAX_RANGES_SHOWN else "")


def read_levels(path: Path, year: int | None = None) -> pd.DataFrame:
    """A long indicator table (tahun, instansi, indikator, tingkat, _baris, _lembar) from a long or
    wide file, every sheet of it.

    Each row's year is the one the file states (see `row_years`); `year` only fills in where the
    file states none, and a file that states another year is refused.
    """
    if not path.is_file():
        raise UnreadableFileError(f"{path}: berkas tidak ditemukan")
    tables, _ = read_tables(path.read_bytes(), path.name)
    domain = [table.where(None) for table in tables if table.shape == "domain"]
    if domain:
        raise UnreadableFileError(f"{'; '.join(domain)}: berisi indeks domain, bukan tingkat indikator")
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
    return [f"instansi {name!r} tahun {year} tercantum di lebih dari satu lembar ({', '.join(group['_lembar'])})"
            for (year, name), group in repeated.groupby(["tahun", "instansi"], sort=True)]  # fmt: skip


def levels_long(table: RawTable) -> pd.DataFrame:
    """Long (tahun?, instansi, indikator, tingkat, _baris) from a panjang or lebar table."""
    frame = table.frame
    if table.shape == "panjang":
        return frame[[c for c in ("tahun", *LEVEL_COLUMNS[1:], "_baris") if c in frame.columns]].copy()
    indicators = [c for c in frame.columns if re.fullmatch(r"I\d+", c)]
    keys = ["_baris", "instansi"] + (["tahun"] if "tahun" in frame.columns else [])
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


# ---------------------------------------------------------------- file formats


# Byte order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
         (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE"),
         (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE"))  # fmt: skip


def _decode(data: bytes, file_name: str) -> str:
    """CSV bytes as text, by what the bytes show; refused naming the encoding found otherwise."""
    encoding, label = next(((codec, name) for bom, codec, name in _BOMS if data.startswith(bom)),
                           _bomless_utf16(data) or ("utf-8", "UTF-8"))  # fmt: skip
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding != "utf-8":
            raise UnreadableFileError(
                f"{file_name}: berkas ber-encoding {label}, tetapi rusak di bita {format_count(error.start)}; "
                "simpan ulang sebagai CSV UTF-8"
            ) from error
        try:  # not UTF-8: Excel on Windows writes its ANSI code page, Windows-1252
            text, label = data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError as error:
            raise UnreadableFileError(
                f"{file_name}: bukan teks UTF-8, UTF-16 maupun Windows-1252 (bita 0x{data[error.start]:02X} di "
                f"posisi {format_count(error.start)}); simpan ulang sebagai CSV UTF-8"
            ) from error
    if "\x00" in text:
        raise UnreadableFileError(f"{file_name}: berisi karakter NUL setelah dibaca sebagai {label}: berkas biner, "
                                  "bukan tabel CSV; simpan ulang sebagai CSV UTF-8")  # fmt: skip
    return text


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte, odd (LE) or even (BE)."""
    sample = data[:4096]
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if pairs and odd >= pairs / 4 and even <= pairs / 20:
        return "utf-16-le", "UTF-16 LE"
    if pairs and even >= pairs / 4 and odd <= pairs / 20:
        return "utf-16-be", "UTF-16 BE"
    return None


def _csv_rows(data: bytes, file_name: str) -> list[list[str]]:
    text = _decode(data, file_name)
    sample = text[:4096]
    counts = {delimiter: sample.count(delimiter) for delimiter in (",", ";", "\t")}
    # Indonesian Excel writes ';', its "Unicode text" (UTF-16) writes tabs; ',' wins a tie.
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            rows.append(row)
            _check_size(len(rows), len(row), file_name)
    except csv.Error as error:
        raise UnreadableFileError(f"{file_name}: CSV rusak di baris {len(rows) + 1} ({error})") from error
    return rows


def _xlsx_sheets(data: bytes, file_name: str) -> list[tuple[str, list[list[str]]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise UnreadableFileError(f"{file_name}: bukan berkas XLSX yang sah") from error
    if unzipped > MAX_UNZIPPED_BYTES:
        raise UnreadableFileError(
            f"{file_name}: isi XLSX terlalu besar setelah diekstrak ({format_count(unzipped)} bita)"
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise UnreadableFileError(f"{file_name}: XLSX tidak dapat dibuka ({type(error).__name__})") from error
    try:
        if len(workbook.sheetnames) > MAX_SHEETS:
            raise UnreadableFileError(f"{file_name}: {len(workbook.sheetnames)} lembar melebihi batas {MAX_SHEETS}")
        sheets = []
        for sheet in workbook.worksheets:
            rows = []
            # Bounded reads: a crafted sheet dimension cannot make a row or the sheet unbounded;
            # columns past MAX_COLUMNS are never part of the three shapes and are not read.
            for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS, max_row=MAX_ROWS + 1):
                cells = ["" if v is None else _cell_text(v) for v in row]
                while cells and cells[-1] == "":
                    cells.pop()
                rows.append(cells)
                _check_size(len(rows), len(cells), file_name)
            sheets.append((sheet.title, rows))
        return sheets
    except UnreadableFileError:
        raise
    except Exception as error:
        raise UnreadableFileError(f"{file_name}: XLSX tidak dapat dibaca ({type(error).__name__})") from error
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_size(rows: int, columns: int, file_name: str) -> None:
    if rows > MAX_ROWS:
        raise UnreadableFileError(
            f"{file_name}: lebih dari {format_count(MAX_ROWS)} baris; bagi berkas per tahun atau per wilayah"
        )
    if columns > MAX_COLUMNS:
        raise UnreadableFileError(f"{file_name}: baris {rows} memiliki lebih dari {MAX_COLUMNS} kolom")
    if rows * max(columns, 1) > MAX_CELLS:
        raise UnreadableFileError(f"{file_name}: lebih dari {format_count(MAX_CELLS)} sel")


# ---------------------------------------------------------------- table structure


def _find_header(rows: list[list[str]]) -> tuple[int, int, dict[int, str], str] | None:
    """(first and last header row, column position -> canonical name, shape) of the first recognisable header.

    A header may span two rows, as report tables do with merged cells ("Indeks Domain" over
    "Kebijakan | Tata Kelola | ..."): each column then takes its name from the lower row, or
    from the upper one where the lower is empty (a vertically merged cell keeps its text on top).
    """
    for index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        upper = _names(rows[index])
        candidates = [(index, upper)]
        if upper and index + 1 < len(rows):  # an upper row naming nothing is a title, not half the header
            candidates.append((index + 1, {**upper, **_names(rows[index + 1])}))
        for end, columns in candidates:
            shape = _shape(set(columns.values()))
            if shape:
                return index, end, _unique(columns), shape
    return None


def _names(row: list[str]) -> dict[int, str]:
    return {position: name for position, cell in enumerate(row) if (name := canonical_column(cell))}


def _unique(columns: dict[int, str]) -> dict[int, str]:
    """The first column of each name wins (a repeated header is ignored, not merged)."""
    seen: set[str] = set()
    kept = {}
    for position in sorted(columns):
        if columns[position] not in seen:
            kept[position] = columns[position]
            seen.add(columns[position])
    return kept


def _shape(names: set[str]) -> str | None:
    if "instansi" not in names:
        return None
    if {"indikator", "tingkat"} <= names:
        return "panjang"
    if any(re.fullmatch(r"I\d+", n) for n in names):
        return "lebar"
    if "indeks" in names and names & {"kebijakan", "tata_kelola", "layanan", "d1", "d2", "d4"}:
        return "domain"
    return None


def _table(file_name: str, sheet: str | None, rows: list[list[str]], first: int, header: int,
           columns: dict[int, str], shape: str) -> RawTable:  # fmt: skip
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
    stated += [(f"judul di baris {line}", int(y)) for line, row in enumerate(titles, start=1)
               for cell in row for y in _TITLE_YEAR.findall(cell)]  # fmt: skip
    return tuple(dict.fromkeys(stated))


def template_table(shape: str, framework) -> pd.DataFrame:
    """An example file of each shape, with two rows to overwrite (names from the registry)."""
    example = ["Kementerian Keuangan", "Kota Surabaya"]
    numbers = framework.indicator_numbers
    if shape == "panjang":
        return pd.DataFrame([(framework.first_year, name, n, 3) for name in example for n in numbers],
                            columns=["tahun", "instansi", "indikator", "tingkat"])  # fmt: skip
    if shape == "lebar":
        return pd.DataFrame([{"tahun": framework.first_year, "instansi": name, **{f"I{n}": 3 for n in numbers}}
                             for name in example])  # fmt: skip
    domains = {name: 3.0 for name in framework.domains["domain"]}
    return pd.DataFrame([{"tahun": framework.first_year, "instansi": name, **domains, "indeks": 3.0,
                          "predikat": "Baik"} for name in example])  # fmt: skip
