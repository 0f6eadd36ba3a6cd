"""The asistensi plan as files: one XLSX (summary, one sheet per host city, module needs, note) and one CSV.

Headers are Indonesian; the note of each file says the year, where its numbers come from and that the
host-city assignment is a proposal; every row names its provenance and source.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from spbe.model.cohorts import HOST_CITIES
from spbe.model.pathways import describe_plan
from spbe.model.provenance import Provenance
from spbe.present.tables import csv_bytes, note_lines, write_rows


@dataclass(frozen=True)
class Plan:
    year: int
    provenance: Provenance
    source: str
    participants: pd.DataFrame  # one row per instansi with kota_penyelenggara and kohort
    counts: pd.DataFrame  # city x cohort
    allocation: pd.DataFrame  # per city: beban, instansi, pendamping, instansi_per_pendamping
    needs: pd.DataFrame  # kota_penyelenggara, kohort, modul or the component (domain, aspek), rata_rata, n, terlemah
    paths: pd.DataFrame  # instansi_id, langkah, rencana (list of LevelUp) or kenaikan_komponen, modul_utama


NOTE = "Pembagian provinsi ke kota penyelenggara adalah usulan; alokasi asistensi 2019 tidak pernah dipublikasikan."


def plan_rows(plan: Plan) -> pd.DataFrame:
    """One row per instansi: who, where, cohort, and its path to Baik (the CSV of the plan)."""
    paths = plan.paths.copy()
    if "rencana" in paths.columns:
        paths["jalur_ke_baik"] = paths["rencana"].map(describe_plan)
    table = plan.participants.merge(
        paths.drop(columns=["rencana", "indeks"], errors="ignore"), on="instansi_id", how="left"
    )
    columns = {
        "kota_penyelenggara": "kota_penyelenggara",
        "kohort": "kohort",
        "nama": "instansi",
        "kelompok": "kelompok",
        "nama_provinsi": "provinsi",
        "indeks": "indeks",
        "langkah": "jumlah_kenaikan_tingkat",
        "jalur_ke_baik": "jalur_ke_baik",
        "kenaikan_komponen": "kenaikan_komponen",
        "modul_utama": "modul_utama",
        "provenance": "provenance",
    }
    present = [c for c in columns if c in table.columns]
    out = table[present].rename(columns=columns)
    out.insert(0, "tahun_evaluasi", plan.year)
    out["sumber"] = plan.source  # every row says where it comes from, as in every table the dashboard offers
    return out.sort_values(["kota_penyelenggara", "kohort", "instansi"]).reset_index(drop=True)


def plan_csv(plan: Plan) -> bytes:
    return csv_bytes(plan_rows(plan), _title(plan))


def _title(plan: Plan) -> str:
    return f"Rencana asistensi SPBE berdasarkan evaluasi {plan.year}"


def plan_xlsx(plan: Plan) -> bytes:
    """Every sheet one table with its header on row 1, frozen (so a planner can sort and filter it):
    the summary per city, one list per city, the module needs; then the note ("Keterangan")."""
    workbook = Workbook()
    overview = plan.counts.copy()
    overview["jumlah"] = overview.sum(axis=1)
    overview = overview.join(plan.allocation[["pendamping", "instansi_per_pendamping"]])
    rows = plan_rows(plan)
    sheets = {"Ringkasan": overview.reset_index()}
    sheets |= {
        city: rows[rows["kota_penyelenggara"] == city].drop(columns="kota_penyelenggara") for city in HOST_CITIES
    }
    sheets["Kebutuhan modul"] = plan.needs
    workbook.remove(workbook.active)
    for name, table in sheets.items():
        sheet = workbook.create_sheet(name)
        write_rows(sheet, table)
        sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("Keterangan")
    for line in [*note_lines(rows, _title(plan)), NOTE]:
        notes.append([line])
    notes.cell(row=1, column=1).font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
