"""Streamlit components of the Asistensi page: the plan in force (from a shared link, kept in the URL), the
host-city assignment editor and cached paths."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.uploaded_file_manager import UploadedFile

from spbe.core.formatting import MISSING, format_count, format_number, plain
from spbe.data.store import Store
from spbe.model.cohorts import (
    DEFAULT_WEIGHTS,
    HOST_CITIES,
    MAX_UPLOAD_MB,
    PLAN_PARAM,
    AssignmentError,
    PlanLinkError,
    assign_cities,
    cohort_counts,
    component_needs,
    module_needs,
    plan_link,
    read_assignment,
    read_plan_link,
)
from spbe.model.pathways import component_paths, index_after, paths_for_year, plan_steps
from spbe.present import charts
from spbe.present.figures import Chart
from spbe.present.tables import csv_bytes, display_name

_STATE = "penugasan"  # the assignment in force for this session
_WEIGHTS = "bobot_rencana"  # the cohort weights in force for this session
_EDITOR = "editor_penugasan"
_MESSAGE = "penugasan_pesan"


def plan_from_link(default: pd.DataFrame) -> dict[str, float]:
    """The plan in force: on a session's first run the one its link carries (PLAN_PARAM, a colleague's shared
    plan), else the default; returns the cohort weights (the assignment goes to assignment_editor).

    A garbled link is refused with every reason, in Indonesian, and the default plan stands: the page never
    fails on a URL."""
    if _STATE not in st.session_state:
        st.session_state[_STATE], st.session_state[_WEIGHTS] = default, dict(DEFAULT_WEIGHTS)
        link = st.query_params.get(PLAN_PARAM)
        if link:
            try:
                st.session_state[_STATE], st.session_state[_WEIGHTS] = read_plan_link(link, default)
            except PlanLinkError as refused:
                problems = "\n".join(f"- {plain(p)}" for p in refused.problems)
                st.warning(f"Rencana dalam tautan ini tidak dapat dibaca; rencana awal dipakai.\n\n{problems}")
    return dict(st.session_state.get(_WEIGHTS, DEFAULT_WEIGHTS))


def keep_plan_in_link(assignment: pd.DataFrame, default: pd.DataFrame, weights: dict[str, float]) -> None:
    """Keep the plan in force for the session and in the URL (only what differs from the default), so that
    copying the address shares it; the default plan leaves the URL without PLAN_PARAM."""
    st.session_state[_WEIGHTS] = dict(weights)
    link = plan_link(assignment, default, weights)
    if st.query_params.get(PLAN_PARAM, "") == link:
        return
    if link:
        st.query_params[PLAN_PARAM] = link
    else:
        del st.query_params[PLAN_PARAM]


def assignment_editor(default: pd.DataFrame) -> pd.DataFrame:
    """Edit, upload, download or reset the province -> host city proposal (`default`, Store.host_cities);
    returns the one in force.

    A rejected upload shows every problem and leaves the assignment as it was. Anyone may upload
    here (no login): the uploader refuses files over MAX_UPLOAD_MB in the browser and says so, the
    server checks the size again, and the file is released as soon as it has been read.
    """
    if _STATE not in st.session_state:
        st.session_state[_STATE] = default
    uploaded = st.file_uploader(
        f"Unggah CSV penugasan (kolom Kode provinsi dan Kota penyelenggara; paling besar {MAX_UPLOAD_MB} MB)",
        type=["csv"],
        key="unggah_penugasan",
        max_upload_size=MAX_UPLOAD_MB,
    )
    if uploaded is not None and st.session_state.get("penugasan_berkas") != uploaded.file_id:
        st.session_state["penugasan_berkas"] = uploaded.file_id
        data = uploaded.getvalue()
        _release(uploaded)
        try:
            st.session_state[_STATE] = read_assignment(data, uploaded.name, default)
            st.session_state.pop(_EDITOR, None)  # the editor starts again from the uploaded table
            st.session_state[_MESSAGE] = ("success", f"{plain(uploaded.name)} dipakai sebagai penugasan.")
        except AssignmentError as refused:
            problems = "\n".join(f"- {plain(p)}" for p in refused.problems)
            refusal = f"{plain(uploaded.name)} ditolak; penugasan tidak berubah.\n\n{problems}"
            st.session_state[_MESSAGE] = ("error", refusal)
    if _MESSAGE in st.session_state:
        kind, text = st.session_state[_MESSAGE]
        (st.success if kind == "success" else st.error)(text)
    edited = st.data_editor(
        st.session_state[_STATE],
        key=_EDITOR,
        hide_index=True,
        width="stretch",
        height=300,
        placeholder=MISSING,  # as every grid (ui.grid)
        disabled=["kode_provinsi", "nama_provinsi"],
        column_config={
            "kode_provinsi": st.column_config.TextColumn(display_name("kode_provinsi")),
            "nama_provinsi": st.column_config.TextColumn(display_name("nama_provinsi")),
            "kota_penyelenggara": st.column_config.SelectboxColumn(
                display_name("kota_penyelenggara"), options=list(HOST_CITIES), required=True
            ),
        },
    )
    left, right = st.columns(2)
    left.download_button(
        "Unduh CSV penugasan",
        csv_bytes(edited),
        file_name="penugasan_kota_penyelenggara.csv",
        mime="text/csv",
        on_click="ignore",
    )
    if right.button("Kembalikan usulan awal"):
        st.session_state[_STATE] = default
        st.session_state.pop(_EDITOR, None)
        st.session_state.pop(_MESSAGE, None)
        st.rerun()
    return edited


def _release(uploaded: UploadedFile) -> None:
    """Drop an upload's bytes from the server once read. Streamlit keeps every file a session
    uploaded until the session ends; its own chat input releases files this way. The uploader
    still shows the file name; only its bytes are gone."""
    context = get_script_run_ctx()
    if context is not None and isinstance(context.uploaded_file_mgr, MemoryUploadedFileManager):
        context.uploaded_file_mgr.remove_file(session_id=context.session_id, file_id=uploaded.file_id)


def path_detail(paths: pd.DataFrame, key: str) -> None:
    """The whole path to Baik of one instansi of the table, one indicator a line: a table cell cuts a long path.

    `paths` has instansi_id, nama, indeks, target_predikat, langkah, rencana and indeks_setelah (paths_to_baik);
    `key` names the choice per table, so that another city or cohort starts from its weakest instansi."""
    ordered = paths.sort_values(["indeks", "nama"]).set_index("instansi_id")
    chosen = st.selectbox(
        "Rincian jalur instansi", list(ordered.index), format_func=lambda i: str(ordered.at[i, "nama"]), key=key
    )
    row = ordered.loc[chosen]
    lines = "\n".join(f"- {plain(step)}" for step in plan_steps(row["rencana"]))
    st.markdown(
        f"**{plain(row['nama'])}**: indeks {format_number(row['indeks'])} → {format_number(row['indeks_setelah'])} "
        f"({row['target_predikat']}) dengan {format_count(row['langkah'])} kenaikan satu tingkat:\n\n{lines}"
    )


@dataclass
class CohortView:
    participants: pd.DataFrame  # with kota_penyelenggara and kohort
    counts: pd.DataFrame  # city x cohort
    needs: pd.DataFrame  # per city, cohort and module (or component)
    needs_column: str  # "modul", or the framework's component label ("domain", "aspek") where there are no modules
    cohort_chart: Chart
    needs_chart: Chart


@st.cache_resource(show_spinner=False, max_entries=16)
def cohort_view(_store: Store, store_key: tuple[str, str], year: int, assignment: pd.DataFrame) -> CohortView:
    """Everything that depends on the year's data and the assignment, but not on the pendamping
    inputs or the path filters: cached, so changing those reruns in a few milliseconds.
    Keyed by the store's data folder and version (ui.store_key), so an import is picked up at once.

    A shared resource, not a per-call copy (unpickling its two figures cost ~30 ms per rerun):
    callers read it and never modify it in place."""
    participants = assign_cities(_store.participants(year), assignment)
    counts = cohort_counts(participants, _store.framework(year).bands)
    levels = _store.levels(year)
    framework = _store.framework(year)
    # Modules where the year has indicator levels of a framework with modules (2018); else its components:
    # domains of the official 2023-2024 tables, aspects of PermenPANRB 8/2026, which has no modules.
    if levels.empty or levels["modul"].isna().any():
        column = framework.component_label
        names = dict(zip(framework.components["no"], framework.components["name"], strict=True))
        needs = component_needs(participants, names).rename(columns={"komponen": column})
    else:
        needs, column = module_needs(levels, participants), "modul"
    return CohortView(
        participants,
        counts,
        needs,
        column,
        charts.cohort_counts_chart(_store, year, counts),
        charts.module_needs_chart(_store, year, needs, column),
    )


@st.cache_resource(show_spinner="Menghitung jalur ke Baik…", max_entries=8)
def paths_to_baik(_store: Store, store_key: tuple[str, str], year: int) -> pd.DataFrame:
    """Per instansi below Baik: the fewest level-ups (indicator years) or component increases.

    Cached per data version (store_key, see cohort_view) and year: the paths depend on the results,
    not on the assignment. Shared like cohort_view: read it, never modify it in place.
    """
    results = _store.results(year)
    framework = _store.framework(year)
    levels = _store.levels(year)
    if levels.empty:
        return component_paths(results, framework)
    paths = paths_for_year(levels, results, framework)
    indices = results.set_index("instansi_id")["indeks"]
    paths["indeks_setelah"] = [
        index_after(indices[i], plan, framework) for i, plan in zip(paths["instansi_id"], paths["rencana"], strict=True)
    ]
    return paths
