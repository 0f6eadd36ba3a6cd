"""Streamlit components of the Asistensi page: the host-city assignment editor and cached paths."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from spbe import ui
from spbe.core.formatting import format_number, plain
from spbe.model.cohorts import (
    HOST_CITIES,
    MAX_UPLOAD_MB,
    AssignmentError,
    assign_cities,
    cohort_counts,
    default_assignment,
    domain_needs,
    module_needs,
    read_assignment,
)
from spbe.model.framework import framework_for_year
from spbe.model.pathways import domain_increase_needed, domain_steps, index_after, paths_for_year
from spbe.model.predikat import BELOW_BAIK
from spbe.present import charts
from spbe.present.charts import Chart, make_chart
from spbe.present.figures import FigureMeta, module_needs_figure
from spbe.present.tables import csv_bytes

_STATE = "penugasan"  # the assignment in force for this session
_EDITOR = "editor_penugasan"
_MESSAGE = "penugasan_pesan"


def assignment_editor() -> pd.DataFrame:
    """Edit, upload, download or reset the province -> host city proposal; returns the one in force.

    A rejected upload shows every problem and leaves the assignment as it was. Anyone may upload
    here (no login): the uploader refuses files over MAX_UPLOAD_MB in the browser and says so, the
    server checks the size again, and the file is released as soon as it has been read.
    """
    default = default_assignment()
    if _STATE not in st.session_state:
        st.session_state[_STATE] = default
    uploaded = st.file_uploader(
        f"Unggah CSV penugasan (kolom kode_provinsi, kota_penyelenggara; paling besar {MAX_UPLOAD_MB} MB)",
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
        disabled=["kode_provinsi", "nama_provinsi"],
        column_config={
            "kota_penyelenggara": st.column_config.SelectboxColumn(
                "kota_penyelenggara", options=list(HOST_CITIES), required=True
            )
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


def _release(uploaded) -> None:
    """Drop an upload's bytes from the server once read. Streamlit keeps every file a session
    uploaded until the session ends; its own chat input releases files this way. The uploader
    still shows the file name; only its bytes are gone."""
    context = get_script_run_ctx()
    if context is not None and isinstance(context.uploaded_file_mgr, MemoryUploadedFileManager):
        context.uploaded_file_mgr.remove_file(session_id=context.session_id, file_id=uploaded.file_id)


@dataclass
class CohortView:
    participants: pd.DataFrame  # with kota_penyelenggara and kohort
    counts: pd.DataFrame  # city x cohort
    needs: pd.DataFrame  # per city, cohort and module (or domain)
    needs_column: str  # "modul", or "domain" for domain-only years
    cohort_chart: Chart
    needs_chart: Chart


@st.cache_resource(show_spinner=False, max_entries=16)
def cohort_view(data_dir: str, version: str, year: int, assignment: pd.DataFrame) -> CohortView:
    """Everything that depends on the year's data and the assignment, but not on the pendamping
    inputs or the path filters: cached, so changing those reruns in a few milliseconds.
    The data folder and version are part of the key, so an import is picked up at once.

    A shared resource, not a per-call copy (unpickling its two figures cost ~30 ms per rerun):
    callers read it and never modify it in place."""
    del data_dir  # part of the cache key only
    store = ui.store()
    participants = assign_cities(store.participants(year), assignment)
    levels = store.levels(year)
    if levels.empty:
        domains = framework_for_year(year).domains
        needs = domain_needs(participants, dict(zip(domains["domain_no"], domains["domain"], strict=True)))
        column = "domain"
    else:
        needs, column = module_needs(levels, participants), "modul"
    years = store.years().set_index("tahun")
    meta = FigureMeta(
        title=f"Rata-rata tingkat per {column} untuk tiap kota dan kohort (evaluasi {year})",
        subtitle=f"★ = {column} terlemah kohort",
        source=years.at[year, "sumber"],
        provenance=years.at[year, "provenance"],
    )
    needs_chart = make_chart(
        f"kebutuhan_modul_{year}",
        module_needs_figure(needs, column=column),
        meta,
        needs,
        f"Kebutuhan per {column} tiap kota dan kohort, evaluasi {year}.",
    )
    return CohortView(
        participants,
        cohort_counts(participants),
        needs,
        column,
        charts.cohort_chart(store, year, assignment),
        needs_chart,
    )


@st.cache_resource(show_spinner="Menghitung jalur ke Baik…", max_entries=8)
def paths_to_baik(data_dir: str, version: str, year: int) -> pd.DataFrame:
    """Per instansi below Baik: the fewest level-ups (indicator years) or domain increases.

    Cached per data version and year: the paths depend on the results, not on the assignment.
    Shared like cohort_view: read it, never modify it in place.
    """
    del data_dir, version  # part of the cache key only
    store = ui.store()
    results = store.results(year)
    framework = framework_for_year(year)
    levels = store.levels(year)
    if not levels.empty:
        paths = paths_for_year(levels, results, framework)
        indices = results.set_index("instansi_id")["indeks"]
        paths["indeks_setelah"] = [
            index_after(indices[i], plan, framework)
            for i, plan in zip(paths["instansi_id"], paths["rencana"], strict=True)
        ]
        return paths
    below = results[results["predikat"].isin(BELOW_BAIK)]  # the official predikat, even on a band edge
    rows = []
    for row in below.itertuples(index=False):
        domains = pd.Series({no: getattr(row, f"domain_{no}") for no in framework.domains["domain_no"]})
        increase = domain_increase_needed(domains, framework, 2.6)
        rows.append(
            {
                "instansi_id": row.instansi_id,
                "indeks": row.indeks,
                "kenaikan_domain": None
                if increase is None
                else "; ".join(f"{name} +{format_number(step)}" for name, step in domain_steps(increase, framework)),
                "indeks_setelah": None if increase is None else 2.6,
            }
        )
    return pd.DataFrame(rows, columns=["instansi_id", "indeks", "kenaikan_domain", "indeks_setelah"])
