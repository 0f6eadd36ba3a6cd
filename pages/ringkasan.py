"""Ringkasan Nasional: where national SPBE stands in a year, against its target."""

import streamlit as st

from spbe import overview, ui
from spbe.figures import (
    FigureMeta,
    baik_share_figure,
    national_index_figure,
    predikat_distribution_figure,
)
from spbe.formatting import format_count, format_number, format_percent

store = ui.store()
series = store.national_series()
year = ui.year_select(series["year"].tolist())
summary = store.summary(year)

st.title("Ringkasan Nasional")
st.caption(f"Evaluasi SPBE {year} · kerangka {summary['framework']}")
ui.provenance_badge("resmi", what="Indeks nasional, target dan jumlah instansi")

# KPI cards
for column, kpi in zip(st.columns(5), overview.kpis(store, year), strict=True):
    column.metric(kpi.label, kpi.value, help=kpi.note or None)
    if kpi.note:
        column.caption(kpi.note)

# The national series 2018-2024 against the target, with the gap of the selected year
national_meta = FigureMeta(
    title="Indeks SPBE Nasional terhadap target",
    subtitle=f"{series['year'].min()}–{series['year'].max()}; selisih tahun {year} ditandai",
    source="KemenPANRB, Laporan Pelaksanaan Evaluasi SPBE 2024 (Tabel 4); siaran pers KemenPANRB 11 Jul 2019",
)
national_table = series[["year", "national_index", "target_index", "source"]].rename(
    columns={"year": "tahun", "national_index": "indeks_nasional", "target_index": "target", "source": "sumber"}
)
ui.figure_with_table(
    national_index_figure(series, highlight_year=year), national_meta, national_table,
    key="national", file_name=f"indeks_spbe_nasional_{year}",
)  # fmt: skip
if summary["target"] is not None:
    headline = summary["national_index_official"]
    st.markdown(
        f"Pada **{year}** indeks nasional **{format_number(headline)}** terhadap target "
        f"**{format_number(summary['target'], trim_zeros=True)}**: "
        + (f"**{format_number(summary['gap'])} di bawah** target." if summary["gap"] > 0
           else f"**{format_number(-summary['gap'])} di atas** target.")
    )  # fmt: skip

# The predikat distribution of the year
st.subheader(f"Sebaran predikat {year}")
distribution = store.predikat_distribution(year)
below = overview.below_baik(store, year)
if distribution.empty:
    ui.empty_state(
        f"Untuk {year} hanya angka nasional yang dipublikasikan; sebaran predikat per instansi tidak tersedia."
        + (f" {format_percent(below.pct)} instansi belum mencapai predikat Baik ({below.source})." if below else "")
    )
else:
    provenance = summary["provenance"]
    ui.provenance_badge(provenance, what="Sebaran predikat di bawah ini")
    shown_below = 100 - distribution.loc[distribution["predikat"].isin(["Baik", "Sangat Baik", "Memuaskan"]),
                                         "persen"].sum()  # fmt: skip
    meta = FigureMeta(
        title=f"Sebaran predikat instansi {year}",
        subtitle=f"{format_count(distribution['jumlah'].sum())} instansi",
        source=store.years().set_index("tahun").at[year, "sumber"],
        provenance=provenance,
    )
    table = distribution[["predikat", "jumlah", "persen"]]
    ui.figure_with_table(
        predikat_distribution_figure(table, shown_below), meta, table, key="predikat",
        file_name=f"sebaran_predikat_{year}",
    )  # fmt: skip
    if below is not None:
        st.markdown(
            f"**{format_percent(below.pct)}** kementerian, lembaga dan pemerintah daerah belum mencapai "
            f"predikat Baik pada {year} (sumber: {below.source.split(',')[0]})."
            + (f" Bandingkan: {below.alternatives}." if below.alternatives else "")
        )

# Baik-or-better share by category against targets or published figures
shares = overview.baik_share_table(store, year) if not distribution.empty else None
if shares is not None and not shares.empty:
    st.subheader("Baik ke atas per kelompok")
    has_targets = "target" in shares.columns
    meta = FigureMeta(
        title=f"Instansi berpredikat Baik ke atas per kelompok, {year}",
        subtitle="dibandingkan target" if has_targets else "dibandingkan angka terbitan 28 Mar 2019",
        source=("Laporan Pelaksanaan Evaluasi SPBE (target per kelompok)" if has_targets
                else "Okezone dan Tempo, 28 Mar 2019 (angka terbitan); simulasi Dasbor SPBE"),
        provenance=summary["provenance"],
    )  # fmt: skip
    ui.figure_with_table(
        baik_share_figure(shares), meta, shares, key="baik_share", file_name=f"baik_per_kelompok_{year}"
    )
