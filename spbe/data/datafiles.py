"""The evaluation data files under data/: their layout, schemas and the one way to write them.

    data/results/tahun=YYYY/part-0.parquet   one row per instansi: index, predikat, domains
                                             (official years also: the category published that year)
    data/levels/tahun=YYYY/part-0.parquet    one row per instansi and indicator: tingkat

The year lives in the folder name (hive partitioning), not in the files. Every row carries
its provenance (resmi, impor, simulasi) and its source. Files are written atomically with
fixed settings, sorted, so that the same content always gives the same bytes.
"""

from __future__ import annotations

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
        ("domain_1", pa.float64()),
        ("domain_2", pa.float64()),
        ("domain_3", pa.float64()),
        ("domain_4", pa.float64()),
        ("provenance", pa.string()),
        ("sumber", pa.string()),
        ("catatan", pa.string()),
    ]
)
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


def write_results(results: pd.DataFrame, year: int, data_dir: Path) -> Path:
    """Write one year's per-instansi results, sorted by instansi_id (with `kategori` if given)."""
    ordered = results.sort_values("instansi_id", kind="stable")
    schema = RESULTS_SCHEMA.append(KATEGORI_FIELD) if KATEGORI_FIELD.name in results.columns else RESULTS_SCHEMA
    return _write(_table(ordered, schema), results_path(year, data_dir))


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
