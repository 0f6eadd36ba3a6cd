"""The whole year of per-instansi results as a file: what every chart's download menu offers beside the rows
the chart shows, so a reader can check a figure against all the instansi of its year."""

from __future__ import annotations

import pandas as pd

from spbe.data.store import Store

# What a reader needs of a row, in reading order; the registry's join keys and internal groupings stay out.
COLUMNS = [
    "tahun",
    "nama",
    "kategori",
    "lokus",
    "kelompok",
    "nama_provinsi",
    "kota_penyelenggara",
    "indeks",
    "predikat",
]
ROW_NOTES = ["provenance", "sumber", "catatan"]  # where each row comes from, as the store carries it


def year_results(store: Store, year: int) -> pd.DataFrame:
    """One row per instansi evaluated in `year` (none for a year with national figures only), best index first:
    the index, predikat and the year's component indices under the names of the year's framework (its domains,
    or its aspects where it has none)."""
    rows = store.results(year)
    names = dict(zip(store.component_columns(year), store.framework(year).components["name"], strict=True))
    return rows[COLUMNS + list(names) + ROW_NOTES].rename(columns=names)
