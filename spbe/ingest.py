"""Reading evaluation results from real spreadsheets: CSV or XLSX, in three shapes.

    panjang  long: tahun, instansi, indikator, tingkat (one row per instansi and indicator)
    lebar    wide: one row per instansi, one column per indicator (I1..In)
    domain   one row per instansi with domain indices, index and predikat (the report tables)

Real files have titles above the table, merged header cells, header spelling variants
("Indeks" / "Nilai Indeks"), blank rows, a totals row, decimal commas ("3,12") and numbers
stored as text. Every cell is kept as text with its file line, so validation (spbe.importer)
can quote exactly what the file holds. Limits refuse oversized or crafted files before they
can exhaust memory: XLSX is opened read-only, and reading stops at the limits.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from spbe.scoring import LEVEL_COLUMNS

MAX_FILE_BYTES = 20 * 1024 * 1024  # the biggest real export (600 instansi x 47 levels) is ~2 MB
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # an XLSX is a ZIP: refuse bombs before parsing
MAX_SHEETS = 30
MAX_ROWS = 100_000  # 47 indicators x 2,000 instansi
MAX_COLUMNS = 200  # CSV: refused beyond; XLSX: not read beyond
MAX_CELLS = 2_000_000
HEADER_SEARCH_ROWS = 25  # titles above the table: the header is searched in the first rows

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

    def where(self, line: int | None, column: str | None = None) -> str:
        parts = [self.file_name] + ([f"lembar {self.sheet}"] if self.sheet else [])
        parts += [f"baris {line}"] if line is not None else []
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


def read_table_file(data: bytes, file_name: str) -> RawTable:
    """Read an uploaded CSV or XLSX: find the header, keep text cells, detect the shape."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFileError(f"{file_name}: berkas {len(data):,} bita melebihi batas {MAX_FILE_BYTES:,} bita")
    suffix = Path(file_name).suffix.lower()
    if suffix == ".csv":
        sheets = [(None, _csv_rows(data, file_name))]
    elif suffix == ".xlsx":
        sheets = _xlsx_sheets(data, file_name)
    else:
        shown = suffix or "(tanpa akhiran)"
        raise UnreadableFileError(f"{file_name}: format {shown} tidak didukung; gunakan .csv atau .xlsx")
    for sheet, rows in sheets:
        found = _find_header(rows)
        if found is not None:
            return _table(file_name, sheet, rows, *found)
    raise UnreadableFileError(
        f"{file_name}: tidak ditemukan baris judul kolom yang dikenali dalam {HEADER_SEARCH_ROWS} baris pertama; "
        "perlu kolom instansi dan tingkat/indikator (bentuk panjang), I1..In (lebar) atau indeks domain (domain). "
        "Unduh templat di halaman Impor."
    )


def read_levels(path: Path, year: int | None = None) -> pd.DataFrame:
    """A long indicator table (tahun, instansi, indikator, tingkat, _baris) from a long or wide file.

    `year` sets tahun when the file has no tahun column, and overrides it otherwise.
    """
    if not path.is_file():
        raise UnreadableFileError(f"{path}: berkas tidak ditemukan")
    table = read_table_file(path.read_bytes(), path.name)
    if table.shape == "domain":
        raise UnreadableFileError(f"{path.name}: berisi indeks domain, bukan tingkat indikator")
    long = levels_long(table)
    if year is not None:
        long["tahun"] = str(year)
    elif "tahun" not in long.columns or long["tahun"].eq("").all():
        raise UnreadableFileError(f"{path.name}: kolom tahun tidak ada; sebutkan tahunnya dengan --year")
    return long


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


def _csv_rows(data: bytes, file_name: str) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if "\x00" in text:
        raise UnreadableFileError(f"{file_name}: bukan berkas teks CSV")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","  # Indonesian Excel writes ';'
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
        raise UnreadableFileError(f"{file_name}: isi XLSX terlalu besar setelah diekstrak ({unzipped:,} bita)")
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
        raise UnreadableFileError(f"{file_name}: lebih dari {MAX_ROWS:,} baris; bagi berkas per tahun atau per wilayah")
    if columns > MAX_COLUMNS:
        raise UnreadableFileError(f"{file_name}: baris {rows} memiliki lebih dari {MAX_COLUMNS} kolom")
    if rows * max(columns, 1) > MAX_CELLS:
        raise UnreadableFileError(f"{file_name}: lebih dari {MAX_CELLS:,} sel")


# ---------------------------------------------------------------- table structure


def _find_header(rows: list[list[str]]) -> tuple[int, dict[int, str], str] | None:
    """(last header row, column position -> canonical name, shape) of the first recognisable header.

    A header may span two rows, as report tables do with merged cells ("Indeks Domain" over
    "Kebijakan | Tata Kelola | ..."): each column then takes its name from the lower row, or
    from the upper one where the lower is empty (a vertically merged cell keeps its text on top).
    """
    for index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        candidates = [(index, _names(rows[index]))]
        if index + 1 < len(rows):
            below = _names(rows[index + 1])
            candidates.append((index + 1, {**_names(rows[index]), **below}))
        for end, columns in candidates:
            shape = _shape(set(columns.values()))
            if shape:
                return end, _unique(columns), shape
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


def _table(file_name: str, sheet: str | None, rows: list[list[str]], header: int, columns: dict[int, str],
           shape: str) -> RawTable:  # fmt: skip
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
    return RawTable(file_name, sheet, shape, frame, skipped)


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
