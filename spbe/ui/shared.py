"""Charts every session of a page would otherwise build again: built once per data version, view and day, shared.

All users of a page see the same charts for the same view. The ramp of protocol-level sessions (bench/RESULTS_NOTES.md,
"Ramp") found Ekspor's kit (every standard chart on each visit) 26% of the server's script time and Peta's map view
and maps 16%, all of it the same work for every session; with those shared, Ringkasan's year view was 42%. Each
cache is keyed by the store's data folder and version (ui.store_key), so an import or a rollback builds anew on the
next rerun, and by the day, because every figure prints the day it was made ("Diolah: <tanggal>").

A shared chart must never be changed: the pages only show it (ui.show_chart lays out a copy), render it (export
lays out a copy per preset) or read its table. The results are tuples, so no page can append to a shared list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from spbe.data.store import Filters, Store
from spbe.model.changes import Comparison
from spbe.present import change_charts, charts, maps, overview, presskit
from spbe.present.figures import Chart
from spbe.ui import store_key


@dataclass(frozen=True)
class YearOverview:
    """Ringkasan's view of a year: its KPI cards, progress words, share below Baik and three charts (the predikat
    and Baik-share charts None for a year without per-instansi data)."""

    kpis: tuple[overview.Kpi, ...]
    progress_words: str
    below: overview.BelowBaik | None
    national: Chart
    predikat: Chart | None
    shares: Chart | None


def year_overview(store: Store, year: int) -> YearOverview:
    """Everything Ringkasan shows of a year that does not depend on the session, shared by every session."""
    return _year_overview(store, store_key(store), year, date.today())


@st.cache_resource(show_spinner=False, max_entries=16)
def _year_overview(_store: Store, key: tuple[str, str], year: int, day: date) -> YearOverview:
    return YearOverview(
        kpis=tuple(overview.kpis(_store, year)),
        progress_words=overview.progress_words(overview.progress(_store, year)),
        below=overview.below_baik(_store, year),
        national=charts.national_chart(_store, year),
        predikat=charts.predikat_chart(_store, year),
        shares=charts.baik_share_chart(_store, year),
    )


def histogram(store: Store, year: int, filters: Filters) -> Chart:
    """Sebaran's histogram of the instansi under the page's filters (spbe.present.charts.index_histogram_chart),
    shared by every session: many users make the same few choices, and a search typed twice is the same chart."""
    return _histogram(store, store_key(store), year, filters, date.today())


# Filters are many (a search is free text), so the entries are bounded; an evicted histogram is built again.
@st.cache_resource(show_spinner=False, max_entries=64)
def _histogram(_store: Store, key: tuple[str, str], year: int, filters: Filters, day: date) -> Chart:
    return charts.index_histogram_chart(_store, year, _store.results(year, filters))


def kit_charts(store: Store, year: int) -> tuple[Chart, ...]:
    """Every chart of the year's press kit (spbe.present.presskit.kit_charts), shared by every session."""
    return _kit_charts(store, store_key(store), year, date.today())


@st.cache_resource(show_spinner=False, max_entries=8)
def _kit_charts(_store: Store, key: tuple[str, str], year: int, day: date) -> tuple[Chart, ...]:
    return tuple(presskit.kit_charts(_store, year))


@dataclass(frozen=True)
class MapCharts:
    """Peta's view of a year, metric and kelompok with its two maps."""

    view: maps.MapView
    choropleth: Chart
    tiles: Chart


def map_charts(store: Store, year: int, metric: str, kelompok: list[str] | None) -> MapCharts | None:
    """The map view and both maps (None when no regional instansi matches), shared by every session."""
    return _map_charts(store, store_key(store), year, metric, tuple(kelompok) if kelompok else None, date.today())


@st.cache_resource(show_spinner=False, max_entries=32)
def _map_charts(
    _store: Store, key: tuple[str, str], year: int, metric: str, kelompok: tuple[str, ...] | None, day: date
) -> MapCharts | None:
    view = maps.map_view(_store, year, metric, list(kelompok) if kelompok else None)
    if view is None:
        return None
    return MapCharts(view, maps.choropleth_chart(view), maps.tile_map_chart(view))


def comparison(store: Store, start: int, end: int) -> Comparison:
    """The unfiltered comparison of two years (spbe.present.change_charts.comparison), shared by every session."""
    return _comparison(store, store_key(store), start, end)


@st.cache_resource(show_spinner=False, max_entries=8)
def _comparison(_store: Store, key: tuple[str, str], start: int, end: int) -> Comparison:
    return change_charts.comparison(_store, start, end)


@dataclass(frozen=True)
class ChangeCharts:
    """The charts of a filtered comparison (a slope chart or the map None where nothing is there to draw)."""

    matrix: Chart
    flow: Chart
    gains: Chart | None
    falls: Chart | None
    groups: Chart
    map: Chart | None


@dataclass(frozen=True)
class ChangeView:
    """Perubahan's comparison under the page's filters, and its charts (None when no instansi is in both years)."""

    pair: Comparison
    charts: ChangeCharts | None


def change_view(
    store: Store, start: int, end: int, kelompok: list[str] | None, provinsi: list[str] | None, cari: str | None
) -> ChangeView:
    """The comparison of two years under the page's filters, with every chart of it, shared by every session."""
    return _change_view(
        store,
        store_key(store),
        start,
        end,
        tuple(kelompok) if kelompok else None,
        tuple(provinsi) if provinsi else None,
        cari,
        date.today(),
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def _change_view(
    _store: Store,
    key: tuple[str, str],
    start: int,
    end: int,
    kelompok: tuple[str, ...] | None,
    provinsi: tuple[str, ...] | None,
    cari: str | None,
    day: date,
) -> ChangeView:
    chosen_kelompok, chosen_provinsi = list(kelompok) if kelompok else None, list(provinsi) if provinsi else None
    pair = comparison(_store, start, end).filtered(chosen_kelompok, chosen_provinsi, cari)
    if pair.matched.empty:
        return ChangeView(pair, None)
    scope = change_charts.scope_words(chosen_kelompok, chosen_provinsi, cari)
    return ChangeView(
        pair,
        ChangeCharts(
            matrix=change_charts.matrix_chart(_store, pair, scope),
            flow=change_charts.flow_chart(_store, pair, scope),
            gains=change_charts.movers_chart(_store, pair, gains=True, scope=scope),
            falls=change_charts.movers_chart(_store, pair, gains=False, scope=scope),
            groups=change_charts.group_chart(_store, pair, scope),
            map=change_charts.map_chart(_store, pair, scope),
        ),
    )
