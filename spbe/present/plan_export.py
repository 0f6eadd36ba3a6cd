"""The asistensi plan as files: one XLSX (summary + one sheet per host city) and one CSV.

Headers are Indonesian; every sheet says the year, where its numbers come from and that the
host-city assignment is a proposal.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from spbe.model.cohorts import HOST_CITIES
from spbe.model.pathways import describe_plan
from spbe.model.provenance import Provenance
from spbe.present.tables import csv_bytes, write_rows


@dataclass(frozen=True)
class Plan:
    year: int
    provenance: Provenance
    source: str
    participants: pd.DataFrame  # one row per instansi with kota_penyelenggara and kohort
    counts: pd.DataFrame  # city x cohort
    allocation: pd.DataFrame  # per city: beban, instansi, pendamping, instansi_per_pendamping
    needs: pd.DataFrame  # kota_penyelenggara, kohort, modul or domain, rata_rata, n, terlemah
    paths: pd.DataFrame  # instansi_id, langkah, rencana (list of LevelUp) or kenaikan_domain, modul_utama


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
        "kenaikan_domain": "kenaikan_domain",
        "modul_utama": "modul_utama",
        "provenance": "provenance",
    }
    present = [c for c in columns if c in table.columns]
    out = table[present].rename(columns=columns)
    out.insert(0, "tahun_evaluasi", plan.year)
    return out.sort_values(["kota_penyelenggara", "kohort", "instansi"]).reset_index(drop=True)


def plan_csv(plan: Plan) -> bytes:
    return csv_bytes(plan_rows(plan))


def plan_xlsx(plan: Plan) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Ringkasan"
    _heading(summary, f"Rencana asistensi SPBE berdasarkan evaluasi {plan.year}")
    summary.append([f"Sumber: {plan.source} (provenance: {plan.provenance})"])
    summary.append([NOTE])
    summary.append([])
    overview = plan.counts.copy()
    overview["jumlah"] = overview.sum(axis=1)
    overview = overview.join(plan.allocation[["pendamping", "instansi_per_pendamping"]].round(1))
    write_rows(summary, overview.reset_index().rename(columns={"kota_penyelenggara": "kota_penyelenggara"}))
    rows = plan_rows(plan)
    for city in HOST_CITIES:
        sheet = workbook.create_sheet(city)
        _heading(sheet, f"{city}: rencana asistensi (evaluasi {plan.year})")
        pendamping = plan.allocation.loc[city, "pendamping"] if city in plan.allocation.index else 0
        sheet.append([f"Pendamping: {pendamping}", NOTE])
        sheet.append([])
        _section(sheet, "Kebutuhan modul per kohort (★ = terlemah)")
        needs = plan.needs[plan.needs["kota_penyelenggara"] == city].drop(columns="kota_penyelenggara")
        write_rows(sheet, needs)
        sheet.append([])
        _section(sheet, "Daftar instansi, kohort dan jalur ke Baik")
        write_rows(sheet, rows[rows["kota_penyelenggara"] == city].drop(columns="kota_penyelenggara"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _heading(sheet: Worksheet, text: str) -> None:
    sheet.append([text])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=14)


def _section(sheet: Worksheet, text: str) -> None:
    sheet.append([text])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
