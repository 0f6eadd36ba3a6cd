"""Sebaran Predikat: planners filter instansi and see how they spread over the predikat bands."""

import streamlit as st

from spbe import ui
from spbe.core.formatting import format_count, format_percent
from spbe.data.store import Filters
from spbe.model.provenance import Provenance
from spbe.ui import shared

ui.start_page()
store = ui.store()
year = ui.year_select(store.instansi_years())
years = store.years().set_index("tahun")
options = store.filter_options(year)
framework = store.framework(year)

# Filters: each narrows the next; all live in the URL
predikat = ui.multi_filter("Predikat", list(framework.bands.names), key="predikat")
lokus = ui.multi_filter("Lokus", options["lokus"], key="lokus")
kelompok_options = store.filter_options(year, Filters(lokus=lokus))["kelompok"]
kelompok = ui.multi_filter("Kelompok instansi", kelompok_options, key="kelompok")
provinsi_options = store.filter_options(year, Filters(lokus=lokus, kelompok=kelompok))["nama_provinsi"]
provinsi = ui.multi_filter("Provinsi", provinsi_options, key="provinsi")
kota = ui.multi_filter("Kota penyelenggara asistensi", options["kota_penyelenggara"], key="kota")
cari = ui.text_filter("Cari nama instansi", key="cari")
filters = Filters(predikat=predikat, kelompok=kelompok, lokus=lokus, provinsi=provinsi, kota=kota, cari=cari)

st.title("Sebaran Predikat")
provenance = Provenance(years.at[year, "provenance"])
ui.provenance_badge(provenance)
ui.framework_note(framework)
rows = store.results(year, filters)
if rows.empty:
    ui.empty_state("Tidak ada instansi yang cocok dengan filter ini. Longgarkan atau kosongkan salah satu filter.")
    st.stop()

# Counts and shares per predikat for the filtered set
st.caption(f"{format_count(len(rows))} instansi · evaluasi {year}")
counts = rows["predikat"].value_counts()
for column, name in zip(st.columns(len(framework.bands.names)), reversed(framework.bands.names), strict=True):
    n = int(counts.get(name, 0))
    column.metric(name, format_count(n), help="jumlah instansi dengan predikat ini")
    column.caption(format_percent(100 * n / len(rows)))

# Histogram of the index with the band edges, shared by every session that chose the same filters
ui.show_chart(shared.histogram(store, year, filters), key="histogram")

# The filtered instansi, sortable, downloadable exactly as shown
st.header("Daftar instansi")
# The component indices under the names of the year's framework: its domains, or its aspects where it has none
components = dict(zip(store.component_columns(year), framework.components["name"], strict=True))
table = rows[["instansi_id", "nama", "kelompok", "nama_provinsi", "indeks", "predikat", *components, "provenance"]]
table = table.rename(columns={"nama_provinsi": "provinsi", **components})
st.caption(f"Kolom sesudah Predikat: indeks {len(components)} {framework.component_label} menurut {framework.title}.")
selection = ui.grid(table.drop(columns="instansi_id"), on_select="rerun", selection_mode="single-row", key="daftar")
ui.downloads(table, f"instansi_{year}", key="daftar_unduh")
chosen = selection.selection.rows if selection else []
if chosen:
    picked = table.iloc[chosen[0]]
    st.page_link(
        "pages/profil.py",
        label=f"Buka profil {picked['nama']}",
        icon=":material/person_search:",
        query_params={"instansi": picked["nama"], "tahun": str(year)},
    )
else:
    st.caption("Pilih satu baris untuk membuka profil instansinya.")
