"""Kepekaan Bobot: how much the national index, the ranks and the predikat of a year depend on the weights of its
components (spbe.model.sensitivity)."""

import streamlit as st

from spbe import ui
from spbe.core.formatting import format_count, format_number, plain
from spbe.model.provenance import Provenance
from spbe.model.sensitivity import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    DEFAULT_SPREAD,
    DRAWS_LIMITS,
    SPREAD_LIMITS,
    Sensitivity,
)
from spbe.present import sensitivity_charts
from spbe.present.sensitivity_charts import ORDERS

ALL_GROUPS = "Semua kelompok"
SEED_LIMITS = (0, 2**31 - 1)
SPREAD_PERCENT = (round(100 * SPREAD_LIMITS[0]), round(100 * SPREAD_LIMITS[1]))


def checked_url_number(key: str, limits: tuple[int, int], what: str) -> None:
    """A number in the URL outside what its widget offers is dropped with a message, so the widget starts from its
    default: the page never fails on a link."""
    text = st.query_params.get(key)
    if text is None:
        return
    low, high = limits
    if not (text.isdigit() and low <= int(text) <= high):
        st.warning(
            f"{what} {plain(text)} pada alamat halaman tidak berlaku (harus bilangan bulat "
            f"{format_count(low)}–{format_count(high)}); nilai awal dipakai."
        )
        del st.query_params[key]


@st.cache_data(show_spinner="Menghitung undian bobot…", max_entries=16)
def sensitivity_of(
    store_key: tuple[str, str], year: int, spread: int, draws: int, seed: int, kelompok: str | None
) -> Sensitivity:
    """Cached per data version (`store_key`) and parameters: a rerun for another table view costs nothing."""
    return sensitivity_charts.year_sensitivity(
        ui.store(), year, spread=spread / 100, draws=draws, seed=seed, kelompok=kelompok
    )


ui.start_page()
store = ui.store()
years = sensitivity_charts.sensitivity_years(store)
st.title("Kepekaan Bobot")
if not years:
    ui.empty_state("Belum ada tahun dengan nilai domain atau aspek per instansi untuk diuji.")
    st.stop()

checked_url_number("sebaran", SPREAD_PERCENT, "Sebaran bobot")
checked_url_number("undian", DRAWS_LIMITS, "Jumlah undian")
checked_url_number("benih", SEED_LIMITS, "Benih acak")
year = ui.year_select(years)
framework = store.framework(year)
label = framework.component_label
spread = st.sidebar.slider(
    f"Sebaran bobot {label} (±%)",
    *SPREAD_PERCENT,
    value=round(100 * DEFAULT_SPREAD),
    step=5,
    key="sebaran",
    bind="query-params",
)
draws = st.sidebar.number_input(
    "Jumlah undian", *DRAWS_LIMITS, value=DEFAULT_DRAWS, step=100, key="undian", bind="query-params"
)
seed = st.sidebar.number_input("Benih acak", *SEED_LIMITS, value=DEFAULT_SEED, step=1, key="benih", bind="query-params")
groups = [ALL_GROUPS, *store.filter_options(year)["kelompok"]]
group = st.sidebar.selectbox("Kelompok instansi", groups, key="kelompok", bind="query-params")
order = st.sidebar.radio("Peringkat yang ditampilkan", ORDERS, key="urutan", bind="query-params")

st.caption(
    f"Setiap undian mengalikan bobot tiap {label} {framework.title} dengan faktor acak antara "
    f"{format_number(1 - spread / 100)} dan {format_number(1 + spread / 100)}, lalu menormalkannya kembali "
    "sehingga berjumlah 100%; indeks setiap instansi dihitung ulang dengan bobot itu. Predikat resmi menjadi "
    "titik tolak: predikat instansi hanya berubah bila perubahan bobot menggeser indeksnya melewati batas "
    "predikat. Instansi yang nilai komponennya tidak lengkap tidak dapat diuji dan tetap dihitung dengan "
    "predikat resminya."
)
ui.provenance_badge(Provenance(store.years().set_index("tahun").at[year, "provenance"]))
ui.framework_note(framework)

key = ui.store_key(store)
everyone = sensitivity_of(key, year, spread, int(draws), int(seed), None)
st.markdown(sensitivity_charts.headline(everyone, label, framework.bands.baik_or_better))

# The national index under the draws, where the year's national component indices are published
national = sensitivity_charts.national_range_chart(store, year, everyone)
if national is None:
    ui.empty_state(sensitivity_charts.national_words(everyone, year, framework.index_scale, label))
else:
    st.markdown(national.caption)
    ui.show_chart(national, key="kepekaan_nasional")

# Ranks under the draws: every instansi, or among one kelompok
kelompok = None if group == ALL_GROUPS else group
shown = everyone if kelompok is None else sensitivity_of(key, year, spread, int(draws), int(seed), kelompok)
st.header("Peringkat" if kelompok is None else f"Peringkat di antara {kelompok}")
if shown.testable == 0:
    ui.empty_state(f"Tidak ada instansi {kelompok} dengan nilai {label} lengkap pada {year}.")
    st.stop()
chart = sensitivity_charts.rank_interval_chart(store, year, shown, order=order, group=kelompok)
st.caption(chart.caption)
ui.show_chart(chart, key="kepekaan_peringkat")

# Every instansi of the run, with its downloads
st.header("Tabel per instansi")
table = sensitivity_charts.instansi_table(shown)
ui.grid(table)
ui.downloads(
    table,
    f"kepekaan_bobot_{year}" + ("" if kelompok is None else f"_{kelompok.lower().replace(' ', '_')}"),
    key="kepekaan_tabel",
    title=f"Kepekaan bobot {label} {year}: ±{spread}%, {format_count(int(draws))} undian, benih {int(seed)}",
)
