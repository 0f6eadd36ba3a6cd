"""Ringkasan Nasional: where national SPBE stands in a year, against its target."""

import streamlit as st

from spbe import ui
from spbe.core.formatting import format_percent
from spbe.model.provenance import Provenance
from spbe.present import overview
from spbe.present.figures import index_name
from spbe.ui import shared

ui.start_page()
store = ui.store()
year = ui.year_select(store.years()["tahun"].tolist())  # published years and any imported one
summary = store.summary(year)
framework = store.framework(year)
view = shared.year_overview(store, year)  # built once per data version, year and day for every session

st.title("Ringkasan Nasional")
# The index the year was scored on: the Indeks SPBE to 2025, the Indeks Pemerintah Digital from 2026
st.caption(f"{index_name(framework.index_scale)} {year} · kerangka {summary.framework}")
# A year without a published index (an import) shows figures of the imported rows, not official ones.
ui.provenance_badge(
    Provenance.RESMI if summary.national_index_official is not None else summary.provenance,
    what="Indeks nasional, target dan jumlah instansi",
)
ui.framework_note(framework)

# KPI cards
for column, kpi in zip(ui.kpi_columns(5), view.kpis, strict=True):
    column.metric(kpi.label, kpi.value, delta=kpi.delta or None, help=kpi.help or None)
    if kpi.note:
        column.caption(kpi.note)
# The progress since the first official year and the year before; why the mean of instansi is not the index
st.markdown(view.progress_words)
if why := overview.mean_words(summary):
    st.caption(why)

# The national series against its targets, each index scale apart, with the gap of the selected year
national = view.national
ui.show_chart(national, key="national")
st.markdown(national.caption)

# The predikat distribution of the year
st.header(f"Sebaran predikat {year}")
predikat = view.predikat
if predikat is None:
    below = view.below
    ui.empty_state(
        f"Untuk {year} hanya angka nasional yang dipublikasikan; sebaran predikat per instansi tidak tersedia."
        + (f" {format_percent(below.pct)} instansi belum mencapai predikat Baik ({below.source})." if below else "")
    )
else:
    ui.provenance_badge(predikat.meta.provenance, what="Sebaran predikat di bawah ini")
    ui.show_chart(predikat, key="predikat")
    below = view.below
    st.markdown(
        f"**{format_percent(below.pct)}** kementerian, lembaga dan pemerintah daerah belum mencapai "
        f"predikat Baik pada {year} (sumber: {below.source.split(',')[0]})."
        + (f" Bandingkan: {below.alternatives}." if below.alternatives else "")
    )

# Baik-or-better share by category against targets or published figures
shares = view.shares
if shares is not None:
    st.header("Baik ke atas per kelompok")
    ui.show_chart(shares, key="baik_share")
