"""Official per-instansi results (2023, 2024) from the report tables into Parquet.

Source: data/reference/results_2023_2024.csv, parsed from KemenPANRB's Laporan Pelaksanaan
Evaluasi SPBE 2023 and 2024. Names are resolved to registry ids by exact alias look-up; the
official index and predikat are kept as published, even where a domain is missing (three
2024 rows) or a recomputation lands on the other side of a band edge (three 2023 rows).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from spbe.atomic import write_atomic
from spbe.paths import DATA_DIR, REFERENCE_DIR
from spbe.registry import build_registry, resolve_names

RESULTS_SOURCE = "results_2023_2024.csv"
DOMAIN_COLUMNS = {"d1_kebijakan": "domain_1", "d2_tata_kelola": "domain_2", "d3_manajemen": "domain_3",
                  "d4_layanan": "domain_4"}  # fmt: skip

# One schema for every year's results file, whatever its provenance (resmi, simulasi, impor).
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


def official_results(reference_dir: Path = REFERENCE_DIR) -> pd.DataFrame:
    """Every official row with its registry id; one row per (year, instansi)."""
    table = pd.read_csv(reference_dir / RESULTS_SOURCE, dtype={"note": "string"})
    ids = resolve_names(table["instansi"].unique(), build_registry(reference_dir))
    results = pd.DataFrame(
        {
            "tahun": table["year"].astype("int32"),
            "instansi_id": table["instansi"].map(ids).astype("string"),
            "nama_sumber": table["instansi"].astype("string"),
            "indeks": table["indeks"].astype("float64"),
            "predikat": table["predikat"].astype("string"),
            **{new: table[old].astype("float64") for old, new in DOMAIN_COLUMNS.items()},
            "provenance": "resmi",
            "sumber": table["source"].astype("string"),
            "catatan": table["note"],
        }
    )
    duplicated = results.duplicated(["tahun", "instansi_id"], keep=False)
    if duplicated.any():
        raise ValueError(f"{RESULTS_SOURCE}: instansi ganda dalam satu tahun: {results[duplicated].nama_sumber.tolist()}")
    return results.sort_values(["tahun", "instansi_id"]).reset_index(drop=True)


def results_path(year: int, data_dir: Path = DATA_DIR) -> Path:
    return data_dir / "results" / f"tahun={year}" / "part-0.parquet"


def write_results_year(results: pd.DataFrame, year: int, data_dir: Path = DATA_DIR) -> Path:
    """Write one year's results (without the tahun column: the folder carries it), atomically."""
    table = pa.Table.from_pandas(results.drop(columns="tahun", errors="ignore"), schema=RESULTS_SCHEMA,
                                 preserve_index=False)  # fmt: skip

    def check(tmp: Path) -> None:
        if pq.read_table(tmp).num_rows != len(results):
            raise OSError(f"{tmp}: jumlah baris tidak sesuai setelah ditulis")

    return write_atomic(results_path(year, data_dir), lambda tmp: pq.write_table(table, tmp, compression="zstd"), check)


def write_official(data_dir: Path = DATA_DIR, reference_dir: Path = REFERENCE_DIR) -> list[Path]:
    results = official_results(reference_dir)
    return [write_results_year(part, int(year), data_dir) for year, part in results.groupby("tahun")]
