"""The evaluation data files under data/: their layout, schemas and the one way to write them.

    data/results/tahun=YYYY/part-0.parquet   one row per instansi: index, predikat, the index of each
                                             component of the year's framework (komponen_1..komponen_n),
                                             official years also the category published that year
    data/levels/tahun=YYYY/part-0.parquet    one row per instansi and indicator: tingkat

The year lives in the folder name (hive partitioning), not in the files. Every row carries
its provenance (resmi, impor, simulasi) and its source. Files are written atomically with
fixed settings, sorted, so that the same content always gives the same bytes.

A component is the top level of the year's framework (a domain, or an aspect where the framework has
no domains), so a results file has as many component columns as its framework has components: the
file carries its own count, no code does. Files written before frameworks without domains name
them domain_1..domain_4 (an import snapshot under data/imports may still be one): they are read as
komponen_1..komponen_4 (`read_results`, and the Store).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from spbe.data.atomic import write_atomic

RESULTS_SCHEMA = pa.schema(
    [
        ("instansi_id", pa.string()),
        ("nama_sumber", pa.string()),
        ("indeks", pa.float64()),
        ("predikat", pa.string()),
        # here: one float64 column per component, komponen_1..komponen_n (see the module docstring)
        ("provenance", pa.string()),
        ("sumber", pa.string()),
        ("catatan", pa.string()),
    ]
)
COMPONENT_PREFIX = "komponen_"
# The column of a component in the current layout (komponen_3) or the one before it (domain_3).
_COMPONENT_COLUMN = re.compile(r"(komponen|domain)_([1-9][0-9]*)")
# The category an official table gave each instansi that year (Kejaksaan Agung: Alat Negara in
# 2023, Sekretariat Jenderal Lembaga Negara in 2024). Only files that know it carry the column;
# without it (the 2018 simulation, imports) the registry's category applies (spbe.data.store).
KATEGORI_FIELD = pa.field("kategori", pa.string())
LEVELS_SCHEMA = pa.schema(
    [
        ("instansi_id", pa.string()),
        ("indikator", pa.int16()),
        ("tingkat", pa.int8()),
        ("provenance", pa.string()),
        ("sumber", pa.string()),
    ]
)
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 3, "write_statistics": True}


def results_path(year: int, data_dir: Path) -> Path:
    return Path(data_dir) / "results" / f"tahun={year}" / "part-0.parquet"


def levels_path(year: int, data_dir: Path) -> Path:
    return Path(data_dir) / "levels" / f"tahun={year}" / "part-0.parquet"


def component_column(number: int) -> str:
    """The results column of component `number` (1-based, as the framework numbers it): komponen_3."""
    return f"{COMPONENT_PREFIX}{number}"


def component_columns(columns: Iterable[str], *, legacy: bool = False) -> dict[str, int]:
    """The component columns among `columns` -> their component number, in number order; with
    `legacy` the columns of the layout before (domain_1..domain_4) instead of the current ones."""
    prefix = "domain" if legacy else COMPONENT_PREFIX.rstrip("_")
    found = {}
    for column in columns:
        match = _COMPONENT_COLUMN.fullmatch(str(column))
        if match is not None and match.group(1) == prefix:
            found[str(column)] = int(match.group(2))
    return dict(sorted(found.items(), key=lambda item: item[1]))


def write_results(results: pd.DataFrame, year: int, data_dir: Path) -> Path:
    """Write one year's per-instansi results, sorted by instansi_id: the fixed columns, the component
    columns komponen_1..komponen_n the frame has (numbered without a gap), and `kategori` if given.

    A frame in the layout before (domain_1..4) is refused rather than written without its components."""
    legacy = component_columns(results.columns, legacy=True)
    if legacy:
        raise ValueError(f"kolom {', '.join(legacy)}: hasil ditulis dengan kolom {COMPONENT_PREFIX}1..n")
    numbers = list(component_columns(results.columns).values())
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"kolom komponen {numbers} tidak bernomor 1..n tanpa celah")
    schema = RESULTS_SCHEMA
    after = schema.get_field_index("predikat") + 1
    for number in reversed(numbers):  # komponen_1..n in order, right after predikat
        schema = schema.insert(after, pa.field(component_column(number), pa.float64()))
    if KATEGORI_FIELD.name in results.columns:
        schema = schema.append(KATEGORI_FIELD)
    ordered = results.sort_values("instansi_id", kind="stable")
    return _write(_table(ordered, schema), results_path(year, data_dir))


def read_results(path: Path) -> pd.DataFrame:
    """One year's results file as a frame with komponen_1..komponen_n, whichever layout it was written in.

    The layout before always had four domain columns; a file of a three-domain year (2018) kept the
    fourth empty, and an empty legacy column is not a component of its year: it is dropped."""
    frame = pd.read_parquet(path)
    legacy = component_columns(frame.columns, legacy=True)
    empty = [column for column in legacy if frame[column].isna().all()]
    renamed = {column: component_column(number) for column, number in legacy.items() if column not in empty}
    return frame.drop(columns=empty).rename(columns=renamed)


def write_levels(levels: pd.DataFrame, year: int, data_dir: Path) -> Path:
    """Write one year's indicator levels, sorted by instansi_id and indikator."""
    ordered = levels.sort_values(["instansi_id", "indikator"], kind="stable")
    return _write(_table(ordered, LEVELS_SCHEMA), levels_path(year, data_dir))


def _table(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    columns = {}
    for field in schema:
        values = frame[field.name]
        if pa.types.is_string(field.type):
            columns[field.name] = pa.array([None if pd.isna(v) else str(v) for v in values], field.type)
        else:
            columns[field.name] = pa.array(values.to_numpy(), field.type, from_pandas=True)
    return pa.table(columns, schema=schema)


def _write(table: pa.Table, path: Path) -> Path:
    def check(tmp: Path) -> None:
        if not pq.read_table(tmp).equals(table):
            raise OSError(f"{tmp}: isi berkas tidak sama dengan yang ditulis")

    return write_atomic(path, lambda tmp: pq.write_table(table, tmp, **PARQUET_OPTIONS), check)
