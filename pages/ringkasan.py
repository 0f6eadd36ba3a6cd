"""Ringkasan Nasional: the national Indeks SPBE per year against its target."""

import streamlit as st

from spbe import ui
from spbe.figures import FigureMeta, finish, national_index_figure
from spbe.formatting import format_number

series = ui.national_series()
latest = series.iloc[-1]

st.title("Ringkasan Nasional")
ui.provenance_badge("resmi")

# KPI cards for the latest year
cols = st.columns(3)
cols[0].metric(f"Indeks SPBE Nasional {latest['year']}", format_number(latest["national_index"]))
cols[1].metric("Target", format_number(latest["target_index"], trim_zeros=True))
cols[2].metric("Selisih terhadap target", format_number(latest["target_index"] - latest["national_index"]))

# The national series 2018-2024 against the target
first = series.iloc[0]
meta = FigureMeta(
    title="Indeks SPBE Nasional terhadap target",
    subtitle=f"{first['year']}–{latest['year']}",
    source="KemenPANRB, Laporan Pelaksanaan Evaluasi SPBE 2024 (Tabel 4); siaran pers KemenPANRB 11 Jul 2019",
)
fig = finish(national_index_figure(series, highlight_year=int(first["year"])), meta)
table = series[["year", "national_index", "target_index", "source"]].rename(
    columns={"year": "Tahun", "national_index": "Indeks nasional", "target_index": "Target", "source": "Sumber"}
)
ui.figure_with_table(fig, table, key="national", file_name="indeks_spbe_nasional")
st.caption(
    f"Pada {first['year']} indeks nasional {format_number(first['national_index'])} "
    f"terhadap target {format_number(first['target_index'], trim_zeros=True)}; "
    f"pada {latest['year']} mencapai {format_number(latest['national_index'])}."
)
