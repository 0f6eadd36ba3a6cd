"""Asistensi: cohorts per host city, pendamping, module needs and paths to Baik."""

import pandas as pd
import streamlit as st

from spbe import ui
from spbe.core.formatting import format_number, format_percent
from spbe.data.store import ROSTER_YEAR
from spbe.model.cohorts import (
    DEFAULT_PENDAMPING,
    HOST_CITIES,
    MAX_WEIGHT,
    allocate_pendamping,
    cohorts,
)
from spbe.model.pathways import describe_plan, what_if
from spbe.model.provenance import Provenance
from spbe.present.plan_export import Plan, plan_csv, plan_xlsx
from spbe.ui import asistensi as ui_asistensi

ui.start_page()
store = ui.store()
year = ui.year_select(store.instansi_years(), default=ROSTER_YEAR)
years = store.years().set_index("tahun")
provenance, source = Provenance(years.at[year, "provenance"]), years.at[year, "sumber"]
framework = store.framework(year)
label = framework.component_label  # "domain", or "aspek" for a framework without domains

st.title("Asistensi SPBE")
st.markdown(
    "Pada 2019 KemenPANRB mendampingi **623 instansi**, dikelompokkan menurut predikat hasil evaluasinya, "
    "di **enam kota** (Jakarta, Surabaya, Medan, Makassar, Palembang, Denpasar) dengan **80 pendamping** "
    "dan **lima modul** (siaran pers KemenPANRB, 11 Jul 2019). Halaman ini menyusun rencana serupa untuk "
    "tahun evaluasi mana pun."
)
ui.provenance_badge(provenance)
ui.framework_note(framework)
host_cities = store.host_cities()
plan_weights = ui_asistensi.plan_from_link(host_cities)  # a shared link's plan, or the default

# 1. Host cities: a proposal the planner can change
with st.expander("Kota penyelenggara per provinsi (usulan, dapat diubah)", expanded=False):
    st.info(
        "Pembagian provinsi ke kota penyelenggara adalah **usulan** menurut geografi; alokasi asistensi "
        "2019 yang sebenarnya tidak pernah dipublikasikan. Instansi pusat berkumpul di Jakarta."
    )
    assignment = ui_asistensi.assignment_editor(host_cities)
view = ui_asistensi.cohort_view(store, ui.store_key(store), year, assignment)
participants, counts = view.participants, view.counts
cohort_order = cohorts(store.framework(year).bands)  # worst predikat first, then Belum dievaluasi

# 2. Cohorts per host city
st.header("Kohort per kota penyelenggara")
ui.show_chart(view.cohort_chart, key="kohort")


# Only the chosen city's table is built and sent (a lazy tab, kept in the URL): six styled tables on every
# visit were the page's largest cost per session (bench/RESULTS.md, "Ramp"). A fragment: choosing another
# city reruns this section only.
@st.fragment
def city_members(participants: pd.DataFrame) -> None:
    tabs = st.tabs(list(HOST_CITIES), key="kota_kohort", bind="query-params")
    for tab, city in zip(tabs, HOST_CITIES, strict=True):
        if not tab.open:
            continue
        members = participants[participants["kota_penyelenggara"] == city]
        members = members.assign(urutan=members["kohort"].map(cohort_order.index)).sort_values(["urutan", "nama"])
        ui.grid(members[["nama", "kelompok", "nama_provinsi", "indeks", "kohort", "provenance"]], tab)


city_members(participants)

# 3. Pendamping in proportion to workload
st.header("Pendamping")
total = st.number_input(
    "Jumlah pendamping",
    min_value=0,
    max_value=2000,
    value=DEFAULT_PENDAMPING,
    step=1,
    key="pendamping",
    bind="query-params",
)
st.caption("Bobot beban per kohort (instansi berpredikat rendah membutuhkan pendampingan lebih banyak):")
weights = {
    cohort: column.number_input(
        cohort, min_value=0.0, max_value=MAX_WEIGHT, value=plan_weights[cohort], step=0.5, key=f"bobot_{cohort}"
    )
    for column, cohort in zip(st.columns(len(cohort_order)), cohort_order, strict=True)
}
ui_asistensi.keep_plan_in_link(assignment, host_cities, weights)
st.caption(
    "Kota penyelenggara dan bobot yang diubah tersimpan di alamat halaman ini: salin alamatnya untuk membagikan "
    "rencana yang sama kepada rekan."
)
allocation = allocate_pendamping(counts, weights, int(total))
ui.grid(
    allocation.reset_index().rename(
        columns={"beban": "beban (berbobot)", "instansi_per_pendamping": "instansi per pendamping"}
    )
)

# 4. Module needs per city and cohort (component needs where the year has no module to plan by)
st.header("Kebutuhan modul" if view.needs_column == "modul" else f"Kebutuhan per {label}")
if view.needs_column != "modul" and years.at[year, "grain"] != "indicator":
    st.caption(f"Tahun {year} hanya memiliki indeks {label} per instansi: kebutuhan ditampilkan per {label}.")
elif view.needs_column != "modul":
    st.caption(f"{framework.title} tidak memiliki modul asistensi: kebutuhan ditampilkan per {label}.")
ui.show_chart(view.needs_chart, key="modul")


# 5. Paths to Baik, and what if a cohort completes them. A fragment: choosing a city or a cohort
# reruns this section only, not the cohorts, tables and charts above it.
@st.fragment
def paths_section(participants: pd.DataFrame, paths: pd.DataFrame) -> None:
    st.header("Jalur ke predikat Baik")
    left, right = st.columns(2)
    city = left.selectbox("Kota", HOST_CITIES, key="jalur_kota", bind="query-params")
    cohort = right.selectbox("Kohort", ["Kurang", "Cukup"], key="jalur_kohort", bind="query-params")
    chosen = participants[(participants["kota_penyelenggara"] == city) & (participants["kohort"] == cohort)]
    cohort_paths = paths.merge(chosen[["instansi_id", "nama", "kelompok"]], on="instansi_id")
    if cohort_paths.empty:
        ui.empty_state(f"Tidak ada instansi berpredikat {cohort} di {city} pada evaluasi {year}.")
        return
    baik = format_number(framework.bands.baik_min, trim_zeros=True)
    if "rencana" in cohort_paths.columns:
        cohort_paths["jalur"] = cohort_paths["rencana"].map(describe_plan)
        shown = cohort_paths[["nama", "kelompok", "indeks", "langkah", "modul_utama", "jalur"]]
        if framework.indicators["modul"].isna().all():  # a framework without modules has no main module
            shown = shown.drop(columns="modul_utama")
        st.caption(
            f"Jumlah kenaikan satu tingkat paling sedikit agar indeks mencapai {baik}; bobot terbesar lebih dulu."
        )
    else:
        shown = cohort_paths[["nama", "kelompok", "indeks", "kenaikan_komponen"]]
        shown = shown.rename(columns={"kenaikan_komponen": f"kenaikan_{label}"})
        st.caption(
            f"Kenaikan indeks {label} paling kecil agar indeks mencapai {baik} ({label} berbobot terbesar lebih dulu)."
        )
    ui.grid(shown.sort_values("indeks"))
    if "rencana" in cohort_paths.columns:  # a long path is cut in its cell: the whole one below
        ui_asistensi.path_detail(cohort_paths, key=f"jalur_instansi_{city}_{cohort}")
    results = store.results(year)
    bands = framework.bands
    before_mean, before_below = what_if(results, pd.Series(dtype=float), bands)
    improved = cohort_paths.set_index("instansi_id")["indeks_setelah"].dropna()
    after_mean, after_below = what_if(results, improved, bands)
    one, two = st.columns(2)
    scenario = f"jika seluruh kohort {cohort} di {city} menyelesaikan jalurnya"
    one.metric(
        "Rata-rata indeks instansi",
        format_number(after_mean),
        delta=format_number(after_mean - before_mean),
        help=f"{scenario}; sebelumnya {format_number(before_mean)}",
    )
    two.metric(
        "Di bawah predikat Baik",
        format_percent(after_below, 1),
        delta=format_number(after_below - before_below, 1) + " poin",
        delta_color="inverse",
        help=f"{scenario}; sebelumnya {format_percent(before_below, 1)}",
    )


paths = ui_asistensi.paths_to_baik(store, ui.store_key(store), year)
paths_section(participants, paths)

# 6. The plan as files
st.header("Unduh rencana")
plan = Plan(year, provenance, source, participants, counts, allocation, view.needs, paths)
one, two = st.columns(2)
one.download_button(
    "Rencana (XLSX: ringkasan + satu lembar per kota)",
    lambda: plan_xlsx(plan),
    file_name=f"rencana_asistensi_{year}.xlsx",
    on_click="ignore",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
two.download_button(
    "Rencana (CSV)",
    lambda: plan_csv(plan),
    file_name=f"rencana_asistensi_{year}.csv",
    mime="text/csv",
    on_click="ignore",
)
