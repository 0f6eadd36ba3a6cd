"""Official per-instansi results (2023, 2024) from the report tables into Parquet.

Source: data/reference/results_2023_2024.csv, parsed from KemenPANRB's Laporan Pelaksanaan
Evaluasi SPBE 2023 and 2024. Names are resolved to registry ids by exact alias look-up; the
official index and predikat are kept as published, even where a domain is missing (three
2024 rows) or a recomputation lands on the other side of a band edge (three 2023 rows). So is
each row's category: the report of a year groups an instansi as it was then (Kejaksaan Agung
is "Alat Negara" in 2023 and "Sekretariat Jenderal Lembaga Negara" in 2024).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from spbe.build.roster import build_registry
from spbe.data.datafiles import component_column, write_results
from spbe.data.registry import KATEGORI, resolve_names
from spbe.model.provenance import Provenance

RESULTS_SOURCE = "results_2023_2024.csv"
# The report tables' domain columns -> the results' component columns (the components of PermenPANRB
# 59/2020, which scored 2023 and 2024, are its four domains, numbered as in the regulation).
DOMAIN_COLUMNS = {
    "d1_kebijakan": component_column(1),
    "d2_tata_kelola": component_column(2),
    "d3_manajemen": component_column(3),
    "d4_layanan": component_column(4),
}


def official_results(reference_dir: Path) -> pd.DataFrame:
    """Every official row with its registry id; one row per (year, instansi)."""
    table = pd.read_csv(reference_dir / RESULTS_SOURCE, dtype={"note": "string"})
    unknown = sorted(set(table["category"]) - set(KATEGORI))
    if unknown:  # a new spelling would silently split a group in every category table
        raise ValueError(f"{RESULTS_SOURCE}, kolom category: kategori tidak dikenal dalam registri: {unknown}")
    ids = resolve_names(table["instansi"].unique(), build_registry(reference_dir))
    results = pd.DataFrame(
        {
            "tahun": table["year"].astype("int32"),
            "instansi_id": table["instansi"].map(ids).astype("string"),
            "nama_sumber": table["instansi"].astype("string"),
            "indeks": table["indeks"].astype("float64"),
            "predikat": table["predikat"].astype("string"),
            **{new: table[old].astype("float64") for old, new in DOMAIN_COLUMNS.items()},
            "provenance": Provenance.RESMI.value,
            "sumber": table["source"].astype("string"),
            "catatan": table["note"],
            "kategori": table["category"].astype("string"),
        }
    )
    duplicated = results.duplicated(["tahun", "instansi_id"], keep=False)
    if duplicated.any():
        names = results.loc[duplicated, "nama_sumber"].tolist()
        raise ValueError(f"{RESULTS_SOURCE}: instansi ganda dalam satu tahun: {names}")
    return results.sort_values(["tahun", "instansi_id"]).reset_index(drop=True)


def write_official(data_dir: Path, reference_dir: Path) -> list[Path]:
    results = official_results(reference_dir)
    return [write_results(part, int(year), data_dir) for year, part in results.groupby("tahun")]
