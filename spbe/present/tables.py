"""Tables as grids and files: one number style on screen, in CSV and in XLSX, with provenance.

Each numeric column gets a NumberStyle from its name (number_style): indices and means two decimals,
shares in percent (and other one-decimal ratios such as instansi per pendamping) one, counts a
thousands separator, years and codes as they are. Grids show it in Indonesian ("3,12", "53,6",
"1.234") and still sort by the number (styled). Files hold the number rounded half-up on its decimal
value (spbe.core.rounding) to the same precision, never float noise: 0.62 and 53.6, not
0.6200000000000001. XLSX cells are real numbers with an Excel number format ("0.00"), which Excel
shows with the reader's own separators (3,12 on an Indonesian system).

Where the numbers come from travels inside the file, not in a sidecar a download button cannot give
and a colleague would lose: a CSV starts with comment lines ("# Sumber: …", "# Asal data: …"), the
convention CSV readers skip (the default comment prefix of W3C's CSV on the Web; `skiprows`), then
the header; an XLSX puts the same lines on a sheet of their own, "Keterangan", so that its data sheet
has the header on row 1.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from pandas.io.formats.style import Styler

from spbe.core.formatting import MISSING, format_number
from spbe.core.rounding import Number, round_half_up, rounded_float
from spbe.model.provenance import Provenance

INDEX_DECIMALS = 2  # indices and means, as the reports print them (3,12) and the pages show them
SHARE_DECIMALS = 1  # shares in percent, as the reports print them (76,3 %)
JSON_INDEX_DECIMALS = 4  # the command line's JSON keeps every recomputed mean traceable (--decimals for more)

_FORMULA_START = ("=", "+", "-", "@")  # a spreadsheet would evaluate such text as a formula
_MAX_WIDTH = 60  # characters: a long source text wraps in the cell rather than pushing the table away


@dataclass(frozen=True)
class NumberStyle:
    """How the numbers of one column read, in a grid and in files alike."""

    decimals: int
    grouped: bool  # thousands separator: counts "1.234"; years and codes never ("2024", not "2.024")
    excel: str  # XLSX number format; Excel shows it with the reader's separators

    def value(self, value: Number | None) -> float | int | None:
        """The number a file holds: rounded half-up on its decimal value; whole numbers as integers."""
        if value is None or pd.isna(value):
            return None
        rounded = round_half_up(value, self.decimals)
        return int(rounded) if self.decimals == 0 else float(rounded)

    def text(self, value: Number | None) -> str:
        """The number as a grid shows it: 3.1707 -> "3,17", 1234 -> "1.234", missing -> "–"."""
        if value is None or pd.isna(value):
            return MISSING
        return _indonesian(float(value), self.decimals) if self.grouped else str(self.value(value))


@functools.lru_cache(maxsize=1 << 16)
def _indonesian(value: float, decimals: int) -> str:
    """format_number, remembered: a grid repeats a few hundred values (3,12 …) on every rerun, and
    formatting each cell anew took a quarter of a second for the Sebaran list."""
    return format_number(value, decimals)


INDEX = NumberStyle(INDEX_DECIMALS, grouped=True, excel="0.00")
SHARE = NumberStyle(SHARE_DECIMALS, grouped=True, excel="0.0")
COUNT = NumberStyle(0, grouped=True, excel="#,##0")
CODE = NumberStyle(0, grouped=False, excel="0")

# Column names (as written in the data, or as a page labels them: "Instansi per pendamping") whose
# fractional numbers have one decimal, and those that count even where a missing value made them float.
_ONE_DECIMAL_PREFIXES = ("persen", "terbitan", "baik_ke_atas", "beban", "instansi_per_pendamping")
_COUNTS = {"n", "instansi", "pendamping", "langkah", "tingkat", "indikator"}


def _key(column: object) -> str:
    """A column name as a key: "Instansi per pendamping" and "instansi_per_pendamping" alike."""
    return re.sub(r"[^0-9a-z]+", "_", str(column).lower()).strip("_")


def number_style(column: object, values: pd.Series) -> NumberStyle | None:
    """The style of a numeric column (None for text, flags and dates)."""
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return None
    key = _key(column)
    if key.startswith(("tahun", "kode")) or key.endswith("_id"):
        return CODE
    if pd.api.types.is_integer_dtype(values) or key in _COUNTS or key.startswith("jumlah"):
        return COUNT
    if key.startswith(_ONE_DECIMAL_PREFIXES) or key.endswith("_pct"):
        return SHARE
    return INDEX


def number_styles(table: pd.DataFrame) -> dict[str, NumberStyle]:
    """The style of every numeric column of `table`, by column name."""
    styles = {str(column): number_style(column, table[column]) for column in table.columns}
    return {column: style for column, style in styles.items() if style is not None}


def styled(table: pd.DataFrame) -> Styler:
    """The table for st.dataframe: numbers shown in the Indonesian style of their column, missing as "–".

    A Styler's texts are what the grid shows while the cells keep their numbers, so a column still
    sorts numerically. Streamlit's own NumberColumn formats cannot do this (checked on 1.67): a printf
    format always writes a decimal point ("%.2f" -> "3.12"; only the thousands separator can be
    chosen, "%'.,d" -> "1.234"), and "localized" follows the browser's language, English on most
    office machines. A column_config format would override these texts: give grids none.
    """
    frame = table.reset_index(drop=True)  # the Styler needs a unique index; the grid hides it anyway
    formats = {display_name(column): style.text for column, style in number_styles(frame).items()}
    return display_table(frame).style.format(
        formats, na_rep=MISSING
    )  # one call: a second would reset the other columns


def at_file_precision(table: pd.DataFrame) -> pd.DataFrame:
    """Every numeric column at the precision its style shows, rounded half-up; counts as integers."""
    out = table.copy()
    for column, style in number_styles(out).items():
        values = [style.value(v) for v in out[column]]
        out[column] = pd.array(values, dtype="Int64" if style.decimals == 0 else "Float64")
    return out


def at_json_precision(value: object, decimals: int | None = None, *, key: str = "") -> object:
    """Dicts and lists for JSON with every float rounded (indices 4 places, shares 1, or `decimals` throughout)."""
    if isinstance(value, dict):
        return {k: at_json_precision(v, decimals, key=str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [at_json_precision(v, decimals, key=key) for v in value]
    if isinstance(value, float) and not pd.isna(value):
        places = decimals if decimals is not None else SHARE_DECIMALS if _is_share(key) else JSON_INDEX_DECIMALS
        return rounded_float(value, places)
    return value


def _is_share(column: object) -> bool:
    name = str(column).lower()
    return name.startswith("persen") or name.endswith("_pct")


def with_provenance(table: pd.DataFrame, provenance: Provenance, source: str) -> pd.DataFrame:
    """Add `provenance` and `sumber` columns where the table does not say per row already."""
    out = table.copy()
    if "provenance" not in out.columns:
        out["provenance"] = provenance.value  # the word, as the rows of the store carry it
    if "sumber" not in out.columns:
        out["sumber"] = source
    return out


# What a reader sees for a column the code names (CSV and XLSX headers, grid headers): the one mapping, applied
# at the edge by display_name. The code keeps its own names; a name not listed reads as its words
# ("kota_penyelenggara" -> "Kota penyelenggara"), and a label a page already wrote stays as it is.
DISPLAY_HEADERS: dict[str, str] = {
    "aspect": "Aspek",
    "baik_ke_atas": "Baik ke atas",
    "baris": "Baris petak",
    "instansi_id": "Kode instansi",
    "jumlah": "Jumlah instansi",
    "kelompok_tampil": "Kelompok instansi",
    "kode": "Kode wilayah",
    "kolom": "Kolom petak",
    "n": "Jumlah instansi (n)",
    "nama": "Instansi",
    "nama_provinsi": "Provinsi",
    "nama_sumber": "Nama dalam sumber",
    "indeks_pemprov": "Indeks pemerintah provinsi",
    "pemprov": "Pemerintah provinsi",
    "provenance": "Asal data",
    "rata_rata": "Rata-rata",
    "rata_rata_instansi": "Rata-rata instansi (dihitung ulang)",
    "terbitan": "Angka terbitan",
    "sumber_terbitan": "Sumber angka terbitan",
}
_CODE_NAME = re.compile(r"[a-z][a-z0-9_]*")


def display_name(column: object) -> str:
    """The header a reader sees for a column: "nama_provinsi" -> "Provinsi", "provenance" -> "Asal data"."""
    name = str(column)
    if name in DISPLAY_HEADERS:
        return DISPLAY_HEADERS[name]
    if _CODE_NAME.fullmatch(name):
        words = name.replace("_", " ")
        return words[0].upper() + words[1:]
    return name


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The table with the headers a reader sees (display_name); its cells as they are."""
    return table.rename(columns=display_name)


_PROVENANCE_WORDS: dict[str, str] = {  # keyed by the word the rows carry (a Provenance is that string)
    Provenance.RESMI: "resmi (terbitan resmi)",
    Provenance.IMPOR: "impor (dimuat admin)",
    Provenance.SIMULASI: "SIMULASI, bukan data resmi",
    Provenance.GABUNGAN: "campuran data resmi dan impor",
    Provenance.MEMUAT_SIMULASI: "memuat data SIMULASI, bukan data resmi",
}


def note_lines(table: pd.DataFrame, title: str = "") -> list[str]:
    """What a file says above its table: its title, the sources and provenance its rows name, the rounding.

    A table that names no origin and has no fractions (the host-city assignment, read back by the
    Asistensi page) gets no note."""
    lines = [title] if title else []
    if "sumber" in table.columns:
        sources = [" ".join(str(s).split()) for s in table["sumber"].dropna().drop_duplicates()]
        if sources:
            lines.append("Sumber: " + "; ".join(sources))
    if "provenance" in table.columns:
        kinds = [_PROVENANCE_WORDS.get(str(p), str(p)) for p in table["provenance"].dropna().drop_duplicates()]
        if kinds:
            lines.append(
                "Asal data: "
                + "; ".join(kinds)
                + (f" (kolom {display_name('provenance')} per baris)" if len(kinds) > 1 else "")
            )
    styles = set(number_styles(table).values())
    rounding = [text for style, text in ((INDEX, "indeks 2 desimal"), (SHARE, "persen 1 desimal")) if style in styles]
    if rounding:
        lines.append(f"Angka dibulatkan setengah ke atas: {', '.join(rounding)}; tanda desimal titik.")
    return lines


def csv_bytes(table: pd.DataFrame, title: str = "") -> bytes:
    """UTF-8 CSV: the note as "# " lines, then the header and the rows at the precision the page shows."""
    notes = "".join(f"# {line}\n" for line in note_lines(table, title))
    body: str = display_table(at_file_precision(table)).to_csv(index=False, lineterminator="\n")
    return (notes + body).encode("utf-8")


def xlsx_bytes(table: pd.DataFrame, sheet_name: str = "Data", title: str = "") -> bytes:
    """The table on its own sheet (header on row 1, frozen), the note on a sheet "Keterangan"."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name[:31]
    write_rows(sheet, table)
    sheet.freeze_panes = "A2"
    notes = note_lines(table, title)
    if notes:
        keterangan = workbook.create_sheet("Keterangan")
        for line in notes:
            keterangan.append([line])
        keterangan.column_dimensions["A"].width = min(120, max(len(line) for line in notes) + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_rows(sheet: Worksheet, table: pd.DataFrame) -> None:
    """Append a bold header and the rows of `table` below what the sheet holds: numbers as numbers with
    their column's format, text always as text (never a formula), columns as wide as their texts."""
    styles = number_styles(table)
    table = at_file_precision(table)
    sheet.append([display_name(c) for c in table.columns])
    header = sheet.max_row  # row 1 on a new sheet (looking at a cell first would create a row)
    for cell in sheet[header]:
        cell.font = Font(bold=True)
    for row in table.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    for index, column in enumerate(table.columns, start=1):
        style = styles.get(str(column))
        for (cell,) in sheet.iter_rows(min_row=header + 1, min_col=index, max_col=index):
            if style is not None:
                cell.number_format = style.excel
            elif isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                cell.data_type = "s"
        shown = [style.text(v) if style else _text(_cell(v)) for v in table[column].head(200)]
        width = min(_MAX_WIDTH, max([len(display_name(column))] + [len(text) for text in shown]) + 2)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, width)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _cell(value: object) -> object:
    """Spreadsheet-friendly value: missing -> empty, numpy scalars -> Python, lists -> text."""
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value
