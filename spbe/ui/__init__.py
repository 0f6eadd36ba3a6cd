"""Streamlit components shared by the pages: the cached store, filters, badges, charts with tables.

The only module of spbe/ (with any future spbe/ui_*) that imports streamlit. Components own
their widget state: each takes a key, keeps its value in the URL (bind="query-params", so a
copied link reproduces the view) and returns a plain value. Streamlit validates a bound value
against the widget's options, so a URL can only ever select values the page offers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from spbe.core.formatting import plain
from spbe.data import paths
from spbe.data.store import Store
from spbe.data.versions import DataUnreadable, VersionStore
from spbe.present.charts import Chart
from spbe.present.figures import PROVENANCE_LABELS, FigureMeta, finish
from spbe.present.tables import csv_bytes, with_provenance, xlsx_bytes

PLOTLY_CONFIG = {"displaylogo": False, "locale": "id"}


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
        return _store_of(str(paths.DATA_DIR), VersionStore().current())
    except DataUnreadable as fault:
        show_fault(fault)
        st.stop()


def show_fault(fault: Exception) -> None:
    """A fault's Indonesian message (which file, what to do), its file names shown as typed."""
    st.error(plain(fault), icon=":material/error:")


@st.cache_resource(show_spinner=False, max_entries=2)
def _store_of(data_dir: str, version: str) -> Store:
    return Store(Path(data_dir), version=version)


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


def provenance_badge(provenance: str, *, what: str = "Angka di halaman ini") -> None:
    """Say where the numbers on screen come from; simulated data gets a warning above the charts."""
    label = PROVENANCE_LABELS.get(provenance, provenance)
    if provenance == "simulasi":
        st.warning(
            f"**{label}.** {what} berasal dari simulasi yang dikalibrasi ke angka terbitan 2018, "
            "bukan hasil evaluasi resmi per instansi.",
            icon=":material/warning:",
        )
    elif provenance == "mixed":
        st.info(f"{what} memadukan data resmi dan data lain; kolom *provenance* menyebut asal tiap baris.")
    else:
        st.caption(f"Asal data: **{label}**")


def figure_with_table(fig, meta: FigureMeta, table: pd.DataFrame, *, key: str, file_name: str, **chart_args):
    """A finished chart, then its data as a table (accessibility) with CSV and XLSX downloads.

    The downloads carry the figure's source and provenance in every row. Returns what
    st.plotly_chart returns (the selection state when on_select is passed).
    """
    event = st.plotly_chart(finish(fig, meta), width="stretch", config=_plotly_config(file_name), key=key, **chart_args)
    _chart_data(with_provenance(table, meta.provenance, meta.source), file_name, key)
    return event


def show_chart(chart: Chart, *, key: str, **chart_args):
    """A standard chart (spbe.present.charts): the same figure, data and caption the press kit exports."""
    event = st.plotly_chart(chart.fig, width="stretch", config=_plotly_config(chart.slug), key=key, **chart_args)
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


def _plotly_config(file_name: str) -> dict:
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
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
