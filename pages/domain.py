"""Domain & Indikator: where instansi are strong or weak, by group, down to single indicators."""

import streamlit as st

from spbe import ui
from spbe.model.provenance import Provenance
from spbe.present import charts
from spbe.present.charts import GROUPINGS

WEAKEST_SHOWN = 10

ui.start_page()
store = ui.store()
year = ui.year_select(store.instansi_years())
by = st.sidebar.selectbox(
    "Kelompokkan menurut", list(GROUPINGS), format_func=GROUPINGS.get, key="per", bind="query-params"
)
years = store.years().set_index("tahun")

st.title("Domain & Indikator")
ui.provenance_badge(Provenance(years.at[year, "provenance"]))

# Domain means by group
ui.show_chart(charts.domain_means_chart(store, year, by), key="domain_means")

if years.at[year, "grain"] != "indicator":
    ui.empty_state(
        f"Untuk {year} hanya indeks domain per instansi yang dipublikasikan; rata-rata aspek dan indikator "
        "tersedia untuk tahun dengan data tingkat indikator (simulasi 2018 atau data impor)."
    )
    st.stop()

# Aspect means by group
ui.show_chart(charts.aspect_means_chart(store, year, by), key="aspect_means")

# Indicator heatmap by group
ui.show_chart(charts.indicator_means_chart(store, year, by), key="indicator_heatmap")

# The ten weakest indicators nationally, each with its asistensi module
st.header(f"{WEAKEST_SHOWN} indikator terlemah secara nasional")
ui.show_chart(charts.weakest_indicators_chart(store, year, WEAKEST_SHOWN), key="weakest")
