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
framework = store.framework(year)
label = framework.component_label  # "domain", or "aspek" for a framework without domains

st.title("Domain & Indikator")
components = len(framework.components)
st.caption(
    f"Evaluasi {year} memakai {framework.title}: indeks disusun dari {components} {label}"
    + (f" dengan {len(framework.aspects)} aspek" if label == "domain" else "")
    + f" dan {len(framework.indicators)} indikator."
)
ui.provenance_badge(Provenance(years.at[year, "provenance"]))
ui.framework_note(framework)

# Component means by group: domains, or the aspects of a framework without domains
ui.show_chart(charts.component_means_chart(store, year, by), key="component_means")

if years.at[year, "grain"] != "indicator":
    ui.empty_state(
        f"Untuk {year} hanya indeks {label} per instansi yang dipublikasikan; rata-rata aspek dan indikator "
        "tersedia untuk tahun dengan data tingkat indikator (simulasi 2018 atau data impor)."
        if label == "domain"
        else f"Untuk {year} hanya indeks {label} per instansi yang tersedia; rata-rata indikator tersedia untuk "
        "tahun dengan data tingkat indikator (data impor)."
    )
    st.stop()

# Aspect means by group (the components above already are the aspects where the framework has no domains)
if label == "domain":
    ui.show_chart(charts.aspect_means_chart(store, year, by), key="aspect_means")

# Indicator heatmap by group
ui.show_chart(charts.indicator_means_chart(store, year, by), key="indicator_heatmap")

# The ten weakest indicators nationally, each with its asistensi module (its aspect without modules)
st.header(f"{WEAKEST_SHOWN} indikator terlemah secara nasional")
ui.show_chart(charts.weakest_indicators_chart(store, year, WEAKEST_SHOWN), key="weakest")
