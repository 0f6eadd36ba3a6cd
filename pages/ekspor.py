"""Ekspor: press-ready figures of a year, single, as a kit or as a briefing deck, built only when asked for."""

import streamlit as st

from spbe import ui
from spbe.present.deck import DECK_FORMAT, MIME_TYPE, deck_file_name
from spbe.present.export import FORMATS, MIME_TYPES, PRESETS, ExportUnavailable, ensure_available
from spbe.present.figures import Chart
from spbe.present.presskit import build_deck, build_kit, zip_bytes
from spbe.present.tables import csv_bytes
from spbe.ui import shared


def show_preview(chart: Chart, preset: str, formats: list[str]) -> None:
    """The PNG of the chart at the preset, as it will be downloaded; SVG and PDF are the same image as vectors."""
    try:
        with st.spinner("Membuat pratinjau…"):
            png = ui.image(chart, "png", preset)
    except ExportUnavailable as failure:
        st.error(str(failure), icon=":material/error:")
        return
    notes = [f"Pratinjau PNG, {PRESETS[preset].label}."]
    if "png" in formats:
        notes.append("Berkas PNG yang diunduh persis gambar ini.")
    if vectors := [fmt.upper() for fmt in formats if fmt != "png"]:
        notes.append(f"{' dan '.join(vectors)} memuat gambar yang sama dalam bentuk vektor.")
    # output_format: Streamlit would otherwise send a large image as JPEG, which is not what is downloaded
    st.image(png, caption=" ".join(notes), output_format="PNG", alt=f"Pratinjau gambar {chart.meta.title}")


ui.start_page()
store = ui.store()
year = ui.year_select(store.years()["tahun"].tolist())  # published years and any imported one
charts = shared.kit_charts(store, year)  # built once for every session (spbe.ui.shared)
# Labels must be unique: the titles are (the tile map says it is one), and a reader sees no file name.
titles = {chart.slug: chart.meta.title for chart in charts}

st.title("Ekspor untuk siaran pers")
st.caption(
    "Setiap gambar memuat judul, sumber data dan tanggal olah; gambar dari data simulasi bertanda "
    "«SIMULASI – bukan data resmi». Berkas dibuat hanya saat diminta."
)
try:
    ensure_available()
    available = True
except ExportUnavailable as missing:
    st.error(str(missing), icon=":material/error:")
    available = False

# Pills, not a multiselect, whose chips end a long title in "…" on a phone; a pill's title wraps instead
st.html(
    "<style>.st-key-grafik button, .st-key-grafik button * "
    "{ white-space: normal !important; text-overflow: clip !important; height: auto; text-align: left; }</style>"
)
chosen = st.pills(
    "Grafik", list(titles), selection_mode="multi", default=list(titles), format_func=titles.get, key="grafik"
)
formats = st.multiselect("Format", list(FORMATS), default=list(FORMATS), format_func=str.upper, key="format")
preset = st.radio(
    "Ukuran",
    list(PRESETS),
    format_func=lambda name: PRESETS[name].label,
    key="ukuran",
    horizontal=True,
    bind="query-params",
)

# Single figures: a preview when asked for, each file made when its button is clicked (an image once per
# figure, preset and format: a previewed PNG downloads as the very bytes shown)
st.header("Per grafik")
for chart in (c for c in charts if c.slug in chosen):
    with st.container(border=True):
        st.markdown(f"**{chart.meta.title}**  \n{chart.caption}")
        if st.toggle("Pratinjau sebelum mengunduh", key=f"{chart.slug}_pratinjau", disabled=not available):
            show_preview(chart, preset, formats)
        row = st.container(horizontal=True)  # side by side, wrapping on a phone (columns would stack)
        for fmt in formats:
            row.download_button(
                fmt.upper(),
                lambda chart=chart, fmt=fmt: ui.image(chart, fmt, preset),
                file_name=f"{chart.slug}.{fmt}",
                mime=MIME_TYPES[fmt],
                key=f"{chart.slug}_{fmt}",
                on_click="ignore",
            )
        row.download_button(
            "CSV",
            lambda chart=chart: csv_bytes(chart.table),
            file_name=f"{chart.slug}.csv",
            mime="text/csv",
            key=f"{chart.slug}_csv",
            on_click="ignore",
        )

# The whole kit, with a progress bar while it is made
st.header("Paket lengkap (ZIP)")
with_deck = st.checkbox(
    "Sertakan presentasi (PPTX) dalam paket",
    key="paket_pptx",
    help="Satu slide per grafik terpilih, seperti bagian Presentasi (PPTX) di bawah.",
)
kit_name = f"paket_spbe_{year}_{preset}"
if st.button("Buat paket", type="primary", disabled=not chosen or not (formats or with_deck)):
    progress = st.progress(0.0, text="Menyiapkan…")
    try:
        selected = [c for c in charts if c.slug in chosen]
        files = build_kit(
            store,
            year,
            charts=selected,
            formats=[*formats, DECK_FORMAT] if with_deck else formats,
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

# The briefing deck alone: 16:9, a slide per chosen chart, captions and sources in the speaker notes
st.header("Presentasi (PPTX)")
st.caption(
    "Ukuran 16:9: slide judul dengan paragraf pembuka, satu slide per grafik terpilih dengan keterangannya, lalu "
    "slide sumber. Keterangan, sumber dan asal data setiap grafik juga ada di catatan pembicara; slide dengan data "
    "simulasi bertanda «SIMULASI – bukan data resmi»."
)
deck_for = (year, tuple(chosen))  # a deck made for other charts or another year is not offered
if st.button("Buat presentasi", disabled=not chosen, key="buat_paparan"):
    progress = st.progress(0.0, text="Menyiapkan…")
    try:
        deck = build_deck(
            store,
            year,
            charts=[c for c in charts if c.slug in chosen],
            progress=lambda share, name: progress.progress(share, text=name),
        )
        st.session_state["paparan"] = (deck_for, deck)
    except ExportUnavailable as failure:
        st.error(str(failure), icon=":material/error:")
    progress.empty()
if st.session_state.get("paparan", ((),))[0] == deck_for:
    st.download_button(
        f"Unduh {deck_file_name(year)}",
        st.session_state["paparan"][1],
        file_name=deck_file_name(year),
        mime=MIME_TYPE,
        key="unduh_paparan",
    )
