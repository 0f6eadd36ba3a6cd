"""Tables as files for download: CSV and XLSX of exactly what is shown, with provenance.

Numbers are written at a stated precision, rounded half-up on their decimal value
(spbe.core.rounding): shares in percent (columns named `persen…` or `…_pct`) to SHARE_DECIMALS,
every other fractional number (indices, means, weights) to INDEX_DECIMALS. So a file holds
0.62 and 53.6, never the float noise 0.6200000000000001 or 53.57142857142857.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from spbe.core.rounding import rounded_float
from spbe.model.provenance import Provenance

INDEX_DECIMALS = 4  # indices are published to 2 decimals; 4 keep every recomputed mean traceable
SHARE_DECIMALS = 1  # shares in percent, as the reports print them (76,3 %)

_FORMULA_START = ("=", "+", "-", "@")  # a spreadsheet would evaluate such text as a formula


def with_provenance(table: pd.DataFrame, provenance: Provenance, source: str) -> pd.DataFrame:
    """Add `provenance` and `sumber` columns where the table does not say per row already."""
    out = table.copy()
    if "provenance" not in out.columns:
        out["provenance"] = provenance.value  # the word, as the rows of the store carry it
    if "sumber" not in out.columns:
        out["sumber"] = source
    return out


def at_file_precision(table: pd.DataFrame) -> pd.DataFrame:
    """Every float column rounded half-up to the precision files carry (see the module doc)."""
    out = table.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            decimals = SHARE_DECIMALS if _is_share(column) else INDEX_DECIMALS
            out[column] = [None if pd.isna(v) else rounded_float(v, decimals) for v in out[column]]
            out[column] = out[column].astype("float64")
    return out


def at_json_precision(value: object, decimals: int | None = None, *, key: str = "") -> object:
    """Dicts and lists for JSON with every float rounded as in files (or to `decimals` places throughout)."""
    if isinstance(value, dict):
        return {k: at_json_precision(v, decimals, key=str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [at_json_precision(v, decimals, key=key) for v in value]
    if isinstance(value, float) and not pd.isna(value):
        places = decimals if decimals is not None else SHARE_DECIMALS if _is_share(key) else INDEX_DECIMALS
        return rounded_float(value, places)
    return value


def _is_share(column: object) -> bool:
    name = str(column).lower()
    return name.startswith("persen") or name.endswith("_pct")


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV of the table at file precision."""
    text: str = at_file_precision(table).to_csv(index=False)
    return text.encode("utf-8")


def xlsx_bytes(table: pd.DataFrame, sheet_name: str = "Data") -> bytes:
    """One sheet with a header row; text is always stored as text, never as a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name[:31]
    write_rows(sheet, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_rows(sheet: Worksheet, table: pd.DataFrame) -> None:
    """Append a header and the rows of `table` below what the sheet holds; text stays text."""
    table = at_file_precision(table)
    sheet.append([str(c) for c in table.columns])
    first = sheet.max_row  # the header's row: row 1 on a new sheet (looking at a cell would create it)
    for row in table.itertuples(index=False):
        sheet.append([_cell(v) for v in row])
    for cells in sheet.iter_rows(min_row=first + 1):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                cell.data_type = "s"
    for index, column in enumerate(table.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in table[column].head(200)])
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, min(60, width + 2))


def _cell(value: object) -> object:
    """Spreadsheet-friendly value: missing -> empty, numpy scalars -> Python, lists -> text."""
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value
