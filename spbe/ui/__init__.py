"""Streamlit components shared by the pages: the cached store, filters, badges, charts with tables.

spbe/ui is the only package of spbe/ that imports streamlit. Components own
their widget state: each takes a key, keeps its value in the URL (bind="query-params", so a
copied link reproduces the view) and returns a plain value. Streamlit validates a bound value
against the widget's options, so a URL can only ever select values the page offers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.elements.plotly_chart import PlotlyState

from spbe import settings
from spbe.core.formatting import plain
from spbe.data.store import Store
from spbe.data.versions import DataUnreadable, VersionStore
from spbe.model.provenance import Provenance
from spbe.present.figures import PROVENANCE_LABELS, Chart
from spbe.present.tables import csv_bytes, xlsx_bytes

PLOTLY_CONFIG: dict[str, object] = {"displaylogo": False, "locale": "id"}


def store() -> Store:
    """The store of the data version in force, shared by every session of the server.

    This is the cache at the source grain: the files are read into DuckDB once per version;
    filters are then applied per rerun by the store's parameterised queries (milliseconds).
    After an import or a rollback the next rerun of any session picks up the new version.
    A data file that cannot be read stops the page with its fault (which file, what to do) in
    place of Streamlit's error; a failed load is not cached, so the rerun after a rollback or a
    repair reads the files again.
    """
    try:
        folder = data_dir()
        return _store_of(str(folder), VersionStore(folder).current())
    except DataUnreadable as fault:
        show_fault(fault)
        st.stop()


def data_dir() -> Path:
    """The data folder of the settings (SPBE_DATA_DIR), resolved on every call: a test may set it."""
    return settings.resolve().data_dir


def show_fault(fault: Exception) -> None:
    """A fault's Indonesian message (which file, what to do), its file names shown as typed."""
    st.error(plain(fault), icon=":material/error:")


@st.cache_resource(show_spinner=False, max_entries=2)
def _store_of(data_dir: str, version: str) -> Store:
    return Store(Path(data_dir), version=version)


def store_key(store: Store) -> tuple[str, str]:
    """What a cache of results from `store` is keyed by (its data folder and version): the store itself,
    passed to a cached function as an unhashed `_store`, is not, so an import or a rollback is picked up."""
    return str(store.data_dir), store.version


def year_select(
    years: list[int], *, default: int | None = None, key: str = "tahun", label: str = "Tahun evaluasi"
) -> int:
    """Year picker in the sidebar (default: the latest year offered), kept in the URL as ?tahun=."""
    index = years.index(default) if default in years else len(years) - 1
    return st.sidebar.selectbox(label, years, index=index, key=key, bind="query-params")


def multi_filter(label: str, options: list[str], *, key: str) -> list[str] | None:
    """Sidebar multi-select; nothing chosen means no filter (None).

    When an upstream filter narrows the options (a province list after choosing a lokus),
    choices that are no longer offered are dropped instead of raising.
    """
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]
    chosen = st.sidebar.multiselect(label, options, key=key, bind="query-params", placeholder="Semua")
    return list(chosen) or None


def text_filter(label: str, *, key: str) -> str | None:
    value = st.sidebar.text_input(label, key=key, bind="query-params", max_chars=80)
    return value.strip() or None


def provenance_badge(provenance: Provenance, *, what: str = "Angka di halaman ini") -> None:
    """Say where the numbers on screen come from; simulated data gets a warning above the charts."""
    label = PROVENANCE_LABELS[provenance]
    if provenance == Provenance.SIMULASI:
        st.warning(
            f"**{label}.** {what} berasal dari simulasi yang dikalibrasi ke angka terbitan 2018, "
            "bukan hasil evaluasi resmi per instansi.",
            icon=":material/warning:",
        )
    elif provenance == Provenance.GABUNGAN:
        st.info(f"{what} memadukan data resmi dan data lain; kolom *provenance* menyebut asal tiap baris.")
    else:
        st.caption(f"Asal data: **{label}**")


def show_chart(chart: Chart, *, key: str, select_points: bool = False) -> PlotlyState | None:
    """A chart (spbe.present.charts, spbe.present.maps), then its data as a table (accessibility) with CSV and
    XLSX downloads named after it: the same figure and data the press kit exports.

    With select_points a click on a point reruns the page and the selection state is returned.
    """
    config = _plotly_config(chart.slug)
    event = None
    if select_points:
        event = st.plotly_chart(
            chart.fig, width="stretch", config=config, key=key, on_select="rerun", selection_mode="points"
        )
    else:
        st.plotly_chart(chart.fig, width="stretch", config=config, key=key)
    _chart_data(chart.table, chart.slug, key)
    return event


def _chart_data(table: pd.DataFrame, file_name: str, key: str) -> None:
    """The chart's data: downloads always, the table itself on request.

    A toggle rather than a collapsed expander: Streamlit renders a collapsed expander's
    content anyway, and a data grid per chart doubled the time to draw the overview.
    """
    if st.toggle("Tampilkan tabel data grafik ini", key=f"{key}_tabel"):
        st.dataframe(table, hide_index=True, width="stretch")
    downloads(table, file_name, key=key)


def downloads(table: pd.DataFrame, file_name: str, *, key: str) -> None:
    """CSV and XLSX of exactly the rows and columns given; built only when clicked."""
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Unduh CSV",
        lambda: csv_bytes(table),
        file_name=f"{file_name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    right.download_button(
        "Unduh XLSX",
        lambda: xlsx_bytes(table),
        file_name=f"{file_name}.xlsx",
        key=f"{key}_xlsx",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _plotly_config(file_name: str) -> dict[str, object]:
    """The chart toolbar's own PNG download gets a meaningful file name and slide size."""
    return {
        **PLOTLY_CONFIG,
        "toImageButtonOptions": {"format": "png", "filename": file_name, "width": 1600, "height": 900},
    }


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")


def leave_pages_folder_mode() -> None:
    """Make sure the page runs under dashboard.py's st.navigation, not Streamlit's folder mode.

    On a fresh server the first request decides the mode: a deep link such as /sebaran is
    matched against the pages/ folder and that file runs on its own, with a navigation of
    file names, until some session runs dashboard.py. Switching the flag off and rerunning
    sends this request through dashboard.py's st.navigation instead. Guarded by the browser
    test test_a_deep_link_on_a_fresh_server_keeps_the_navigation.

    Why every page calls this, through a Streamlit internal (checked on Streamlit 1.67):
    no config option turns folder mode off; only st.navigation, run by some session, does
    (documented), and in folder mode a deep link runs the page file alone, so nothing in
    dashboard.py runs first. Only the flag tells folder mode from a page file run as its own
    main script (the AppTest tests), where this does nothing. Streamlit's supported way out
    is a page folder not named pages/, which the product keeps.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
