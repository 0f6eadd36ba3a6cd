"""Domain & Indikator: where instansi are strong or weak, by group, down to single indicators."""

import streamlit as st

from spbe import ui
from spbe.core.formatting import format_count
from spbe.present.figures import FigureMeta, group_heatmap_figure, weakest_indicators_figure

GROUPINGS = {"kelompok": "Kelompok instansi", "lokus": "Lokus", "kota_penyelenggara": "Kota penyelenggara"}
WEAKEST_SHOWN = 10

ui.leave_pages_folder_mode()
store = ui.store()
year = ui.year_select(store.instansi_years())
by = st.sidebar.selectbox(
    "Kelompokkan menurut", list(GROUPINGS), format_func=GROUPINGS.get, key="per", bind="query-params"
)
years = store.years().set_index("tahun")
provenance, source = years.at[year, "provenance"], years.at[year, "sumber"]

st.title("Domain & Indikator")
ui.provenance_badge(provenance)

# Domain means by group
domains = store.domain_means(year, by).dropna(subset=["rata_rata"])
meta = FigureMeta(
    title=f"Rata-rata indeks domain per {GROUPINGS[by].lower()}, {year}",
    subtitle="angka dalam sel: rata-rata; n per kelompok di tabel data",
    source=source,
    provenance=provenance,
)
ui.figure_with_table(
    group_heatmap_figure(domains, row="kelompok_tampil", column="domain"),
    meta,
    domains[["kelompok_tampil", "domain", "rata_rata", "n"]].rename(columns={"kelompok_tampil": GROUPINGS[by]}),
    key="domain_means",
    file_name=f"rata_rata_domain_{year}",
)

if years.at[year, "grain"] != "indicator":
    ui.empty_state(
        f"Untuk {year} hanya indeks domain per instansi yang dipublikasikan; rata-rata aspek dan indikator "
        "tersedia untuk tahun dengan data tingkat indikator (simulasi 2018 atau data impor)."
    )
    st.stop()

# Aspect means by group
aspects = store.aspect_means(year, by)
meta = FigureMeta(
    title=f"Rata-rata indeks aspek per {GROUPINGS[by].lower()}, {year}", source=source, provenance=provenance
)
ui.figure_with_table(
    group_heatmap_figure(aspects, row="aspect", column="kelompok_tampil"),
    meta,
    aspects[["kelompok_tampil", "aspect", "rata_rata", "n"]].rename(columns={"kelompok_tampil": GROUPINGS[by]}),
    key="aspect_means",
    file_name=f"rata_rata_aspek_{year}",
)

# Indicator heatmap by group
indicators = store.indicator_means(year, by)
indicators["label"] = indicators["indikator"].astype(str) + ". " + indicators["nama_indikator"]
meta = FigureMeta(
    title=f"Rata-rata tingkat per indikator dan {GROUPINGS[by].lower()}, {year}", source=source, provenance=provenance
)
heatmap = group_heatmap_figure(indicators, row="label", column="kelompok_tampil")
heatmap.update_layout(height=max(500, 26 * indicators["indikator"].nunique()))
ui.figure_with_table(
    heatmap,
    meta,
    indicators[["kelompok_tampil", "indikator", "nama_indikator", "modul", "rata_rata", "n"]].rename(
        columns={"kelompok_tampil": GROUPINGS[by]}
    ),
    key="indicator_heatmap",
    file_name=f"rata_rata_indikator_{year}",
)

# The ten weakest indicators nationally, each with its asistensi module
national = store.indicator_means(year, None).nsmallest(WEAKEST_SHOWN, "rata_rata")
st.subheader(f"{WEAKEST_SHOWN} indikator terlemah secara nasional")
meta = FigureMeta(
    title=f"{WEAKEST_SHOWN} indikator terlemah, {year}",
    subtitle=f"rata-rata tingkat {format_count(int(national['n'].max()))} instansi; label: modul asistensi",
    source=source,
    provenance=provenance,
)
ui.figure_with_table(
    weakest_indicators_figure(national),
    meta,
    national[["indikator", "nama_indikator", "aspect", "modul", "rata_rata", "n"]],
    key="weakest",
    file_name=f"indikator_terlemah_{year}",
)
