"""Peta: one metric per province as a choropleth and as a tile map; a click leads to Sebaran Predikat."""

import streamlit as st

from spbe import ui
from spbe.core.formatting import format_count
from spbe.model.provenance import Provenance
from spbe.present import maps
from spbe.present.geo import DEFAULT_METRIC, METRICS
from spbe.ui import shared

ui.start_page()
store = ui.store()
year = ui.year_select(store.instansi_years())
years = store.years().set_index("tahun")

# Sidebar: what to colour and which instansi count; both live in the URL
metric = st.sidebar.selectbox(
    "Ukuran",
    list(METRICS),
    index=list(METRICS).index(DEFAULT_METRIC),
    format_func=lambda key: METRICS[key].choice,
    key="metrik",
    bind="query-params",
)
kelompok = ui.multi_filter("Kelompok instansi", maps.regional_kelompok(store, year), key="kelompok")

st.title("Peta")
provenance = Provenance(years.at[year, "provenance"])
ui.provenance_badge(provenance)
shown = shared.map_charts(store, year, metric, kelompok)  # built once for every session (spbe.ui.shared)
if shown is None:
    ui.empty_state("Tidak ada instansi daerah yang cocok dengan filter ini. Kosongkan atau ganti kelompok instansi.")
    st.stop()
view = shown.view
st.caption(
    f"{format_count(view.instansi)} instansi daerah di {format_count(len(view.provinces))} provinsi · evaluasi {year}"
    + (f" · {format_count(view.pusat)} instansi pusat tanpa provinsi tidak dipetakan" if view.pusat else "")
)


def offer_links(event) -> None:
    """Under a map: a link to Sebaran Predikat for each province behind the clicked point."""
    points = event.selection.points if event else []
    chosen = maps.selected_provinces(view, points)
    if not chosen:
        st.caption("Klik titik atau petak sebuah provinsi untuk membuka sebaran predikatnya.")
    for name in chosen:
        st.page_link(
            "pages/sebaran.py",
            label=f"Sebaran predikat {name}, {year}",
            icon=":material/bar_chart:",
            query_params={"tahun": str(year), "provinsi": name},
        )


# Choropleth: 33 polygons; provinces the boundaries do not separate are pooled and named
st.header("Peta provinsi")
event = ui.show_chart(shown.choropleth, key="peta", select_points=True)
if view.notes:
    st.caption("Catatan peta: " + "; ".join(view.notes) + ".")
offer_links(event)

# Tile map: every province of the year as one equal square, none folded
st.header("Peta petak")
event = ui.show_chart(shown.tiles, key="petak", select_points=True)
offer_links(event)
