"""Streamlit components shared by the pages: the cached store, filters, badges, charts with tables.

spbe/ui is the only package of spbe/ that imports streamlit. Components own
their widget state: each takes a key, keeps its value in the URL (bind="query-params", so a
copied link reproduces the view) and returns a plain value. Streamlit validates a bound value
against the widget's options, so a URL can only ever select values the page offers.
"""

from __future__ import annotations

import contextlib
import hashlib
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements.plotly_chart import PlotlyState
from streamlit.errors import StreamlitPageNotFoundError

from spbe import settings
from spbe.core.formatting import MISSING, format_count, plain
from spbe.data.store import Store
from spbe.data.versions import DataUnreadable, VersionStore
from spbe.model.framework import Framework
from spbe.model.provenance import Provenance
from spbe.present.charts import framework_caveat
from spbe.present.export import MIME_TYPES, PRESETS, ExportUnavailable, ensure_available, render
from spbe.present.figures import PROVENANCE_LABELS, Chart, arrange, copy_figure
from spbe.present.tables import csv_bytes, styled, xlsx_bytes
from spbe.present.year_results import year_results
from spbe.ui import screen

# No plotly toolbar and no plotly tips: the plotly.js inside Streamlit has English texts only ("Download plot as a
# PNG", "Double-click to zoom back out"; no Indonesian locale, checked on 1.67) and Streamlit adds an English
# "Fullscreen" button to the toolbar. Each chart's Indonesian download menu (download_menu) replaces it.
PLOTLY_CONFIG: dict[str, object] = {"displayModeBar": False, "showTips": False, "displaylogo": False}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YEAR_KEY = "tahun"  # the year picker's key: the year of the page, whose full results each chart menu offers


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
    years: list[int], *, default: int | None = None, key: str = YEAR_KEY, label: str = "Tahun evaluasi"
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
        st.info(f"{what} memadukan data resmi dan data lain; kolom *Asal data* menyebut asal tiap baris.")
    else:
        st.caption(f"Asal data: **{label}**")


def framework_note(*frameworks: Framework) -> None:
    """Say, under the provenance, that the tables of a framework of the years shown come from secondary sources
    ("Kerangka PermenPANRB 8/2026 bersumber sekunder; periksa dengan salinan resmi."); nothing if all are official."""
    caveat = framework_caveat(*frameworks)
    if caveat is not None:
        st.caption(f":material/warning: {caveat[0].upper()}{caveat[1:]}.")


# Streamlit stacks columns one per row below 640 px and ends a metric's long label in an ellipsis: on a phone
# the KPI cards go two per row instead, and their label, value and note wrap rather than being cut.
KPI_STYLE = """<style>
@media (max-width: 640px) {
  .st-key-kpi [data-testid="stColumn"] { min-width: calc(50% - 1rem) !important; }
}
.st-key-kpi [data-testid="stMetric"] [data-testid="stMarkdownContainer"],
.st-key-kpi [data-testid="stMetric"] [data-testid="stMarkdownContainer"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
</style>"""


def kpi_columns(count: int) -> list[DeltaGenerator]:
    """Columns for a page's row of KPI cards: side by side on a desk, two per row on a phone, nothing cut."""
    st.html(KPI_STYLE)
    return st.container(key="kpi").columns(count)


def show_chart(chart: Chart, *, key: str, select_points: bool = False) -> PlotlyState | None:
    """A chart (spbe.present.charts, spbe.present.maps), then its data as a table (accessibility) with CSV and
    XLSX downloads named after it: the same figure and data the press kit exports.

    With select_points a click on a point reruns the page and the selection state is returned.
    The figure is laid out for the page's width (spbe.ui.screen) on a copy: a chart may be a resource shared by
    every session (spbe.ui.asistensi.cohort_view), and its download menu lays the figure out per preset anyway.
    """
    config = PLOTLY_CONFIG
    fig = arranged(chart.fig, screen.chart_width())
    event = None
    if select_points:
        event = st.plotly_chart(
            fig, width="stretch", config=config, key=key, on_select="rerun", selection_mode="points"
        )
    else:
        st.plotly_chart(fig, width="stretch", config=config, key=key)
    download_menu(chart, key=key)
    _chart_data(chart.table, key)
    return event


def arranged(fig: go.Figure, width: int) -> go.Figure:
    """A copy of `fig` laid out for `width` px, made once per figure and width for every session and rerun.

    Laying a chart out measures and wraps its texts (10-70 ms a chart); the profile of 20 protocol-level sessions
    (bench/RESULTS_NOTES.md, "Ramp") found it ~20% of a Sebaran rerun, redone for figures already laid out for
    another session. The key is the figure's digest (~1 ms), so any change to what it shows makes a new entry.
    The copy is shared and never changed: st.plotly_chart serialises its own dict of it.
    """
    digest = hashlib.sha256(fig.to_json().encode()).hexdigest()
    return _arranged(digest, width, fig)


@st.cache_resource(show_spinner=False, max_entries=128)
def _arranged(digest: str, width: int, _fig: go.Figure) -> go.Figure:
    return arrange(copy_figure(_fig), width)


def download_menu(chart: Chart, *, key: str) -> None:
    """The chart's download menu: the image at a chosen preset (PNG, SVG), the rows it shows (CSV, XLSX) and
    every instansi of the page's year (CSV), each with provenance and source.

    The menu's content runs only while it is open, and each file is made only when its button is clicked:
    an image costs Kaleido about a second, so a page with several charts stays as fast as without the menu.
    """
    menu = st.popover("Unduh grafik dan data", icon=":material/download:", key=f"{key}_unduh", on_change="rerun")
    if not menu.open:
        return
    with menu:
        st.markdown(f"**{chart.meta.title}**")
        try:
            ensure_available()
        except ExportUnavailable as missing:
            st.warning(str(missing), icon=":material/warning:")
        else:
            preset = st.radio(
                "Ukuran gambar", list(PRESETS), format_func=lambda name: PRESETS[name].label, key=f"{key}_menu_ukuran"
            )
            for fmt, label in (("png", "Gambar PNG"), ("svg", "Gambar SVG (vektor)")):
                st.download_button(
                    label,
                    partial(image, chart, fmt, preset),
                    file_name=f"{chart.slug}.{fmt}",
                    mime=MIME_TYPES[fmt],
                    key=f"{key}_menu_{fmt}",
                    on_click="ignore",
                    icon=":material/image:",
                )
        st.download_button(
            "Data grafik ini (CSV)",
            lambda: csv_bytes(chart.table, title=chart.meta.title),
            file_name=f"{chart.slug}.csv",
            mime="text/csv",
            key=f"{key}_menu_csv",
            on_click="ignore",
            icon=":material/table:",
        )
        st.download_button(
            "Data grafik ini (XLSX)",
            lambda: xlsx_bytes(chart.table, title=chart.meta.title),
            file_name=f"{chart.slug}.xlsx",
            mime=XLSX_MIME,
            key=f"{key}_menu_xlsx",
            on_click="ignore",
            icon=":material/table:",
        )
        year = st.session_state.get(YEAR_KEY)
        if year is not None:
            _year_download(int(year), key)


def _year_download(year: int, key: str) -> None:
    """CSV of every instansi evaluated in the page's year, or why there is none."""
    rows = year_results(store(), year)
    if rows.empty:
        st.caption(f"Hasil per instansi tahun {year} tidak dipublikasikan; hanya angka nasional yang tersedia.")
        return
    st.download_button(
        f"Seluruh hasil {year}: {format_count(len(rows))} instansi (CSV)",
        lambda: csv_bytes(rows, title=f"Hasil evaluasi SPBE {year}, seluruh instansi"),
        file_name=f"hasil_spbe_{year}.csv",
        mime="text/csv",
        key=f"{key}_menu_tahun",
        on_click="ignore",
        icon=":material/table:",
    )


def image(chart: Chart, fmt: str, preset: str) -> bytes:
    """The chart as a PNG, SVG or PDF file at a preset (spbe.present.export.PRESETS), made once per figure.

    Kept per figure digest: the digest changes with anything the image shows (the data version, a filter,
    the date in the source line), so a kept image is always the one a fresh render would give.
    """
    digest = hashlib.sha256(chart.fig.to_json().encode()).hexdigest()
    return _rendered(digest, fmt, preset, chart.fig)


@st.cache_data(show_spinner=False, max_entries=48)
def _rendered(digest: str, fmt: str, preset: str, _fig: go.Figure) -> bytes:
    return render(_fig, fmt, PRESETS[preset])


def _chart_data(table: pd.DataFrame, key: str) -> None:
    """The chart's data as a table, on request (its files are in the chart's download menu).

    A toggle rather than a collapsed expander: Streamlit renders a collapsed expander's
    content anyway, and a data grid per chart doubled the time to draw the overview.
    """
    if st.toggle("Tampilkan tabel data grafik ini", key=f"{key}_tabel"):
        grid(table)


def grid(table: pd.DataFrame, where: DeltaGenerator | None = None, **options: Any) -> Any:
    """A table as a grid (in `where`, else the page): numbers in the Indonesian style of their column and still
    sortable (tables.styled), every missing value written "–", no index, the page's width. `options` go to
    st.dataframe (a row selection); its return value is st.dataframe's.

    The placeholder is Streamlit's: a null cell is drawn "None" whatever text the Styler gives it (an instansi
    pusat's province, a domain index not published)."""
    return (where or st).dataframe(styled(table), hide_index=True, width="stretch", placeholder=MISSING, **options)


def downloads(table: pd.DataFrame, file_name: str, *, key: str, title: str = "") -> None:
    """CSV and XLSX of exactly the rows and columns given, at the precision shown, their note led by `title`;
    built only when clicked."""
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Unduh CSV",
        lambda: csv_bytes(table, title),
        file_name=f"{file_name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    right.download_button(
        "Unduh XLSX",
        lambda: xlsx_bytes(table, title=title),
        file_name=f"{file_name}.xlsx",
        key=f"{key}_xlsx",
        on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")


# Streamlit's grids carry their own "Download as CSV" button: English, and a file of raw values under column
# names. Every table of the product has the Indonesian downloads instead (CSV and XLSX with source, provenance
# and the precision shown: downloads, download_menu), so the grid's own is hidden. Its search and full-screen
# buttons stay: they show the same rows.
PAGE_STYLE = """<style>
[data-testid="stElementToolbarButton"]:has(button[aria-label^="Download as CSV"]) { display: none; }
</style>"""


def start_page() -> None:
    """The first line of every page: make sure it runs under dashboard.py's st.navigation, not Streamlit's folder
    mode, then style the page (PAGE_STYLE) and mount the probe of the width its charts are laid out for
    (spbe.ui.screen).

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
    st.html(PAGE_STYLE)
    screen.measure()


def page_link(page: str, label: str, query_params: dict[str, str] | None = None) -> None:
    """st.page_link to another page of dashboard.py's st.navigation, such as "pages/ringkasan.py".

    A page file run as its own main script (the AppTest tests) has no other page registered, and
    st.page_link raises StreamlitPageNotFoundError there: the link is left out instead.
    """
    with contextlib.suppress(StreamlitPageNotFoundError):
        st.page_link(page, label=label, query_params=query_params)
