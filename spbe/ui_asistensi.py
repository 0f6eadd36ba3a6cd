"""Streamlit components of the Asistensi page: the host-city assignment editor and cached paths."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from spbe import ui
from spbe.cohorts import HOST_CITIES, AssignmentError, default_assignment, read_assignment
from spbe.formatting import format_number, plain
from spbe.framework import framework_for_year
from spbe.pathways import domain_increase_needed, index_after, paths_for_year

_STATE = "penugasan"  # the assignment in force for this session
_EDITOR = "editor_penugasan"
_MESSAGE = "penugasan_pesan"


def assignment_editor() -> pd.DataFrame:
    """Edit, upload, download or reset the province -> host city proposal; returns the one in force.

    A rejected upload shows every problem and leaves the assignment as it was.
    """
    default = default_assignment()
    if _STATE not in st.session_state:
        st.session_state[_STATE] = default
    uploaded = st.file_uploader("Unggah CSV penugasan (kolom kode_provinsi, kota_penyelenggara)", type=["csv"],
                                key="unggah_penugasan")  # fmt: skip
    if uploaded is not None and st.session_state.get("penugasan_berkas") != uploaded.file_id:
        st.session_state["penugasan_berkas"] = uploaded.file_id
        try:
            st.session_state[_STATE] = read_assignment(uploaded.getvalue(), uploaded.name, default)
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
        st.session_state[_STATE], key=_EDITOR, hide_index=True, width="stretch", height=300,
        disabled=["kode_provinsi", "nama_provinsi"],
        column_config={"kota_penyelenggara": st.column_config.SelectboxColumn(
            "kota_penyelenggara", options=list(HOST_CITIES), required=True)},
    )  # fmt: skip
    left, right = st.columns(2)
    left.download_button("Unduh CSV penugasan", edited.to_csv(index=False).encode("utf-8"),
                         file_name="penugasan_kota_penyelenggara.csv", mime="text/csv", on_click="ignore")  # fmt: skip
    if right.button("Kembalikan usulan awal"):
        st.session_state[_STATE] = default
        st.session_state.pop(_EDITOR, None)
        st.session_state.pop(_MESSAGE, None)
        st.rerun()
    return edited


@st.cache_data(show_spinner="Menghitung jalur ke Baik…")
def paths_to_baik(year: int) -> pd.DataFrame:
    """Per instansi below Baik: the fewest level-ups (indicator years) or domain increases.

    Cached per year: the paths depend on the results only, not on the assignment.
    """
    store = ui.store()
    results = store.results(year)
    framework = framework_for_year(year)
    levels = store.levels(year)
    if not levels.empty:
        paths = paths_for_year(levels, results, framework)
        indices = results.set_index("instansi_id")["indeks"]
        paths["indeks_setelah"] = [index_after(indices[i], plan, framework) for i, plan in
                                   zip(paths["instansi_id"], paths["rencana"], strict=True)]  # fmt: skip
        return paths
    below = results[results["indeks"] < 2.6]
    rows = []
    for row in below.itertuples(index=False):
        domains = pd.Series({no: getattr(row, f"domain_{no}") for no in framework.domains["domain_no"]})
        increase = domain_increase_needed(domains, framework, 2.6)
        rows.append({
            "instansi_id": row.instansi_id, "indeks": row.indeks,
            "kenaikan_domain": None if increase is None else "; ".join(
                f"{name} +{format_number(value)}"
                for name, value in zip(framework.domains["domain"], increase, strict=True) if value > 0
            ),
            "indeks_setelah": None if increase is None else 2.6,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=["instansi_id", "indeks", "kenaikan_domain", "indeks_setelah"])
