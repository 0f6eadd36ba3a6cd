"""Tables as files for download: CSV and XLSX of exactly what is shown, with provenance."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

_FORMULA_START = ("=", "+", "-", "@")  # a spreadsheet would evaluate such text as a formula


def with_provenance(table: pd.DataFrame, provenance: str, source: str) -> pd.DataFrame:
    """Add `provenance` and `sumber` columns where the table does not say per row already."""
    out = table.copy()
    if "provenance" not in out.columns:
        out["provenance"] = provenance
    if "sumber" not in out.columns:
        out["sumber"] = source
    return out


def xlsx_bytes(table: pd.DataFrame, sheet_name: str = "Data") -> bytes:
    """One sheet with a header row; text is always stored as text, never as a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name[:31]
    write_rows(sheet, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_rows(sheet, table: pd.DataFrame) -> None:
    """Append a header and the rows of `table` below what the sheet holds; text stays text."""
    first = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    sheet.append([str(c) for c in table.columns])
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


def _cell(value):
    """Spreadsheet-friendly value: missing -> empty, numpy scalars -> Python, lists -> text."""
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value
