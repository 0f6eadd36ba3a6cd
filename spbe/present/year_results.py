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
    the index, predikat and the year's domain indices under the domain names of the year's framework."""
    rows = store.results(year)
    domains = store.framework(year).domains
    names = {f"domain_{no}": name for no, name in zip(domains["domain_no"], domains["domain"], strict=True)}
    return rows[COLUMNS + list(names) + ROW_NOTES].rename(columns=names)
