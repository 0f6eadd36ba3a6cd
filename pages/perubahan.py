"""Perubahan Antartahun: who moved between two years on the same instrument (predikat transitions, the largest
gains and falls, change by kelompok and province) and who was evaluated in one year only."""

import streamlit as st

from spbe import ui
from spbe.core.formatting import format_count
from spbe.model import changes
from spbe.model.provenance import Provenance
from spbe.present import change_charts
from spbe.present.figures import PROVENANCE_LABELS
from spbe.ui import shared

ui.start_page()
store = ui.store()
years = store.years().set_index("tahun")
scales = {year: store.framework(year).index_scale for year in store.instansi_years()}

st.title("Perubahan Antartahun")
try:
    (start, end), problem = changes.checked_pair(st.query_params.get("dari"), st.query_params.get("ke"), scales)
except ValueError as none_comparable:
    ui.empty_state(str(none_comparable))
    st.stop()

# Sidebar: the two years (the later one only among years of the same instrument), then the filters; all in the URL.
# A link's impossible pair is replaced by the default before the pickers read it. Latest first: the default is each
# picker's first option, which Streamlit leaves out of the URL, so a link without ?dari= or ?ke= means the default.
starts = sorted(changes.comparable_starts(scales), reverse=True)
if problem or "dari" not in st.session_state:
    st.session_state["dari"] = start
start = st.sidebar.selectbox("Tahun awal", starts, key="dari", bind="query-params")
ends = sorted(changes.comparable_later(start, scales), reverse=True)
if problem or st.session_state.get("ke") not in ends:
    st.session_state["ke"] = end if end in ends else ends[0]
end = st.sidebar.selectbox("Tahun akhir", ends, key="ke", bind="query-params")
everything = shared.comparison(store, start, end)  # built once for every session (spbe.ui.shared)
kelompok = ui.multi_filter("Kelompok instansi", everything.options("kelompok"), key="kelompok")
provinsi = ui.multi_filter("Provinsi", everything.options("nama_provinsi"), key="provinsi")
cari = ui.text_filter("Cari nama instansi", key="cari")
shown = shared.change_view(store, start, end, kelompok, provinsi, cari)
pair = shown.pair
scope = change_charts.scope_words(kelompok, provinsi, cari)

if problem:
    st.warning(problem, icon=":material/warning:")
provenances = {year: Provenance(years.at[year, "provenance"]) for year in (start, end)}
for year, provenance in provenances.items():
    if provenance.has_simulation:
        ui.provenance_badge(provenance, what=f"Angka tahun {year}")
st.caption("Asal data: " + " · ".join(f"{year} **{PROVENANCE_LABELS[kind]}**" for year, kind in provenances.items()))
ui.framework_note(store.framework(start), store.framework(end))

if shown.charts is None:
    ui.empty_state("Tidak ada instansi yang dievaluasi pada kedua tahun dan cocok dengan filter ini.")
else:
    st.markdown(f"**{change_charts.headline(pair)}**" + (f" ({scope})" if scope else ""))
    counts = changes.direction_counts(pair)
    crossed = changes.crossed_into_baik(pair)
    kpis = (
        ("Naik predikat", counts[changes.NAIK]),
        ("Turun predikat", counts[changes.TURUN]),
        ("Predikat tetap", counts[changes.TETAP]),
        ("Masuk Baik ke atas", len(crossed)),
    )
    for column, (label, value) in zip(ui.kpi_columns(len(kpis)), kpis, strict=True):
        column.metric(label, format_count(value))

    st.header("Perpindahan predikat")
    ui.show_chart(shown.charts.matrix, key="matriks")
    ui.show_chart(shown.charts.flow, key="alur")

    st.header("Kenaikan dan penurunan terbesar")
    for chart, gains, key in (
        (shown.charts.gains, True, "naik_terbesar"),
        (shown.charts.falls, False, "turun_terbesar"),
    ):
        if chart is None:
            ui.empty_state(f"Tidak ada instansi yang indeksnya {'naik' if gains else 'turun'} dengan filter ini.")
        else:
            ui.show_chart(chart, key=key)

    st.subheader(f"Masuk predikat Baik ke atas pada {end}")
    st.caption(f"{format_count(len(crossed))} instansi di bawah Baik pada {start} dan Baik ke atas pada {end}.")
    crossed_table = change_charts.instansi_table(pair, crossed)
    ui.grid(crossed_table.drop(columns="instansi_id"))
    ui.downloads(crossed_table, f"masuk_baik_{start}_{end}", key="masuk_baik", title=f"Masuk Baik ke atas, {end}")

    st.header("Perubahan per kelompok dan provinsi")
    ui.show_chart(shown.charts.groups, key="kelompok_perubahan")
    if shown.charts.map is not None:
        ui.show_chart(shown.charts.map, key="peta_perubahan")
    provinces = change_charts.group_table(store, pair, "nama_provinsi")
    st.subheader("Per provinsi")
    ui.grid(provinces)
    ui.downloads(provinces, f"perubahan_per_provinsi_{start}_{end}", key="per_provinsi", title="Perubahan per provinsi")

    st.subheader("Semua instansi yang dibandingkan")
    matched_table = change_charts.instansi_table(pair, pair.matched)
    ui.grid(matched_table.drop(columns="instansi_id"))
    ui.downloads(matched_table, f"perubahan_{start}_{end}", key="semua", title=f"Perubahan {start} ke {end}")

st.header("Hanya dievaluasi pada satu tahun")
for year, rows in ((start, pair.only_start), (end, pair.only_end)):
    st.subheader(f"Hanya pada {year}: {format_count(len(rows))} instansi")
    if rows.empty:
        st.caption(f"Setiap instansi {year} yang cocok dengan filter juga dievaluasi pada tahun yang lain.")
        continue
    table = change_charts.one_year_table(rows, year)
    ui.grid(table.drop(columns="instansi_id"))
    ui.downloads(table, f"hanya_{year}_{start}_{end}", key=f"hanya_{year}", title=f"Hanya dievaluasi pada {year}")
