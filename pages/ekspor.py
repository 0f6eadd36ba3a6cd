"""Ekspor: press-ready figures of a year, single or as a kit, built only when asked for."""

import streamlit as st

from spbe import ui
from spbe.present.export import FORMATS, MIME_TYPES, PRESETS, ExportUnavailable, ensure_available, render
from spbe.present.presskit import build_kit, kit_charts, zip_bytes
from spbe.present.tables import csv_bytes

ui.leave_pages_folder_mode()
store = ui.store()
year = ui.year_select(store.years()["tahun"].tolist())  # published years and any imported one
charts = kit_charts(store, year)
# Labels must be unique (the choropleth and the tile map share a title): the file name tells them apart.
titles = {chart.slug: f"{chart.meta.title} · {chart.slug}" for chart in charts}

st.title("Ekspor untuk siaran pers")
st.caption(
    "Setiap gambar memuat judul, sumber data dan tanggal olah; gambar dari data simulasi bertanda "
    "«SIMULASI – bukan data resmi». Berkas dibuat hanya saat diminta."
)
try:
    ensure_available()
except ExportUnavailable as missing:
    st.error(str(missing), icon=":material/error:")

chosen = st.multiselect("Grafik", list(titles), default=list(titles), format_func=titles.get, key="grafik")
formats = st.multiselect("Format", list(FORMATS), default=list(FORMATS), format_func=str.upper, key="format")
preset = st.radio(
    "Ukuran",
    list(PRESETS),
    format_func=lambda name: PRESETS[name].label,
    key="ukuran",
    horizontal=True,
    bind="query-params",
)

# Single figures: each file is made when its button is clicked
st.subheader("Per grafik")
for chart in (c for c in charts if c.slug in chosen):
    with st.container(border=True):
        st.markdown(f"**{chart.meta.title}**  \n{chart.caption}")
        columns = st.columns(len(formats) + 1)
        for column, fmt in zip(columns, formats, strict=False):
            column.download_button(
                fmt.upper(),
                lambda chart=chart, fmt=fmt: render(chart.fig, fmt, PRESETS[preset]),
                file_name=f"{chart.slug}.{fmt}",
                mime=MIME_TYPES[fmt],
                key=f"{chart.slug}_{fmt}",
                on_click="ignore",
            )
        columns[-1].download_button(
            "CSV",
            lambda chart=chart: csv_bytes(chart.table),
            file_name=f"{chart.slug}.csv",
            mime="text/csv",
            key=f"{chart.slug}_csv",
            on_click="ignore",
        )

# The whole kit, with a progress bar while it is made
st.subheader("Paket lengkap (ZIP)")
kit_name = f"paket_spbe_{year}_{preset}"
if st.button("Buat paket", type="primary", disabled=not chosen or not formats):
    progress = st.progress(0.0, text="Menyiapkan…")
    try:
        selected = [c for c in charts if c.slug in chosen]
        files = build_kit(
            store,
            year,
            charts=selected,
            formats=formats,
            preset=PRESETS[preset],
            progress=lambda share, name: progress.progress(share, text=name),
        )
        st.session_state["paket"] = (kit_name, zip_bytes(files, kit_name), len(files))
    except ExportUnavailable as failure:
        st.error(str(failure), icon=":material/error:")
    progress.empty()
if st.session_state.get("paket", ("",))[0] == kit_name:
    name, data, count = st.session_state["paket"]
    st.download_button(
        f"Unduh {name}.zip ({count} berkas)", data, file_name=f"{name}.zip", mime="application/zip", key="unduh_paket"
    )
