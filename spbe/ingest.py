"""Reading indicator-level tables from CSV or XLSX files, long or wide.

Long: columns tahun, instansi, indikator, tingkat. Wide: one row per instansi, a column per
indicator named I1..In (and tahun, unless the caller gives the year). Every cell is read as
text so that validation can quote exactly what the file holds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from spbe.scoring import LEVEL_COLUMNS

_WIDE_COLUMN = re.compile(r"^I(\d+)$", re.IGNORECASE)


class UnreadableFileError(ValueError):
    """The file cannot be read as a table; the message says why, in Indonesian."""


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or the first sheet of an XLSX with every cell as text."""
    if not path.is_file():
        raise UnreadableFileError(f"{path}: berkas tidak ditemukan")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            table = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
        elif suffix == ".xlsx":
            table = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        else:
            shown = suffix or "(tanpa akhiran)"
            raise UnreadableFileError(f"{path.name}: format {shown} tidak didukung; gunakan .csv atau .xlsx")
    except UnreadableFileError:
        raise
    except Exception as error:  # parsers raise many types; the user needs one plain message
        raise UnreadableFileError(f"{path.name}: tidak dapat dibaca sebagai tabel ({type(error).__name__})") from error
    table.columns = [str(c).strip() for c in table.columns]
    return table


def read_levels(path: Path, year: int | None = None) -> pd.DataFrame:
    """A long indicator table from a long or wide file; `_baris` keeps each value's file line.

    `year` sets tahun for a wide file without a tahun column, and overrides it otherwise.
    """
    table = read_table(path)
    lowered = {c.lower(): c for c in table.columns}
    table = table.rename(columns={original: low for low, original in lowered.items() if low in LEVEL_COLUMNS})
    table["_baris"] = range(2, len(table) + 2)
    if {"instansi", "indikator", "tingkat"} <= set(table.columns):
        long = table
    elif "instansi" in table.columns and any(_WIDE_COLUMN.match(c) for c in table.columns):
        long = _wide_to_long(table)
    else:
        raise UnreadableFileError(
            f"{path.name}: bentuk tabel tidak dikenali; perlu kolom tahun, instansi, indikator, tingkat "
            "(panjang) atau instansi dan I1..In (lebar)"
        )
    if year is not None:
        long["tahun"] = str(year)
    elif "tahun" not in long.columns:
        raise UnreadableFileError(f"{path.name}: kolom tahun tidak ada; sebutkan tahunnya dengan --year")
    return long


def _wide_to_long(table: pd.DataFrame) -> pd.DataFrame:
    indicator_columns = [c for c in table.columns if _WIDE_COLUMN.match(c)]
    keys = ["_baris", "instansi"] + (["tahun"] if "tahun" in table.columns else [])
    long = table.melt(id_vars=keys, value_vars=indicator_columns, var_name="indikator", value_name="tingkat")
    long["indikator"] = long["indikator"].str[1:]
    return long.sort_values(["_baris", "indikator"], key=_natural).reset_index(drop=True)


def _natural(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column, errors="coerce") if column.name == "indikator" else column
