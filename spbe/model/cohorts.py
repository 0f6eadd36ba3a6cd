"""Asistensi planning: host cities, cohorts by predikat, pendamping and module needs.

The 2019 programme (press release of 11 Jul 2019) assisted 623 instansi, grouped by the
predikat of their evaluation, in six host cities, with 80 trained pendamping and five modules.
Which province went to which city was never published: the assignment is a proposal
(data/reference/asistensi_kota.csv, which the Store serves as `host_cities()`) that planners can
edit, upload and download. The cohorts are the predikat bands of the plan year's framework.

Anyone may upload an assignment (no login), so an upload is small (MAX_UPLOAD_BYTES, which the
uploader states) and its messages are bounded: values cut, at most MAX_PROBLEMS_SHOWN problems.

A changed plan (assignment and cohort weights) travels in a link: `plan_link` writes only what
differs from the default plan into one query parameter (PLAN_PARAM), and `read_plan_link` reads
it back, refusing a garbled one with every reason, bounded the same way.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd

from spbe.core.formatting import format_count
from spbe.core.messages import quoted, shortened
from spbe.model.predikat import Bands

# The six cities the press release of 11 Jul 2019 names; a fact of the 2019 programme, not data.
HOST_CITIES = ("Jakarta", "Surabaya", "Medan", "Makassar", "Palembang", "Denpasar")
NOT_EVALUATED = "Belum dievaluasi"
CITY_WITHOUT_PROVINCE = "Jakarta"  # instansi pusat have no province and meet in Jakarta
DEFAULT_PENDAMPING = 80  # trained in the ToT of 11-12 Jul 2019
DEFAULT_WEIGHTS = {"Kurang": 3.0, "Cukup": 2.0, NOT_EVALUATED: 2.0, "Baik": 1.0, "Sangat Baik": 0.5, "Memuaskan": 0.0}
ASSIGNMENT_COLUMNS = ("kode_provinsi", "kota_penyelenggara")
# 38 provinces fit in 3 KB. 1 MB is the smallest limit Streamlit's uploader can state (its
# `max_upload_size` is in whole MB), so the limit the page shows is the one enforced here.
MAX_UPLOAD_MB = 1
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_PROBLEMS_SHOWN = 50  # a real table has 38 rows; beyond this the rest are counted
PLAN_PARAM = "rencana"  # the query parameter of a changed plan
MAX_PLAN_LINK = 2000  # characters: every province moved and every weight changed fit in about 600
MAX_WEIGHT = 10.0  # the largest cohort weight the page accepts


class AssignmentError(ValueError):
    """An uploaded assignment table is unusable; `problems` lists every reason in Indonesian."""

    def __init__(self, problems: list[str]):
        rest = len(problems) - MAX_PROBLEMS_SHOWN
        more = [f"… dan {format_count(rest)} masalah lain"] if rest > 0 else []
        self.problems = problems[:MAX_PROBLEMS_SHOWN] + more
        super().__init__("\n".join(self.problems))


class PlanLinkError(AssignmentError):
    """A plan in a link cannot be read; `problems` lists every reason in Indonesian, bounded as for an upload."""


def plan_link(assignment: pd.DataFrame, default: pd.DataFrame, weights: dict[str, float]) -> str:
    """A plan as the text of its query parameter: only what differs from the default assignment and
    DEFAULT_WEIGHTS, entries joined by "_", a province moved as "<kode_provinsi>-<city>" and a cohort weight
    as "<cohort>-<weight>": "11-Jakarta_Kurang-4". Letters, digits, "-", "_" and "." stay as they are in a URL
    (a space reads "+"), so a colleague can read the link; the default plan is the empty text."""
    cities = dict(zip(default["kode_provinsi"], default["kota_penyelenggara"], strict=True))
    entries = [
        f"{code}-{city}"
        for code, city in zip(assignment["kode_provinsi"], assignment["kota_penyelenggara"], strict=True)
        if cities.get(code) != city and city in HOST_CITIES
    ]
    entries += [
        f"{cohort}-{weight:g}"  # machine text: "2.5", read back by read_plan_link
        for cohort, weight in weights.items()
        if cohort in DEFAULT_WEIGHTS and weight != DEFAULT_WEIGHTS[cohort]
    ]
    return "_".join(entries)


def read_plan_link(text: str, default: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, float]]:
    """The assignment and cohort weights of a plan link (see plan_link), starting from the default plan.

    Every problem is collected (an entry without "-", an unknown province or cohort, a city that is not a host
    city, a weight that is not a number from 0 to MAX_WEIGHT, a key given twice) and raised together as a
    PlanLinkError; nothing is half-applied.
    """
    if len(text) > MAX_PLAN_LINK:
        limit = format_count(MAX_PLAN_LINK)
        raise PlanLinkError([f"tautan terlalu panjang ({format_count(len(text))} karakter; paling banyak {limit})"])
    codes = set(default["kode_provinsi"])
    moved: dict[str, str] = {}
    weights = dict(DEFAULT_WEIGHTS)
    problems: list[str] = []
    seen: set[str] = set()
    for entry in text.split("_") if text else []:
        key, dash, value = entry.partition("-")
        if key in seen:
            problems.append(f"{quoted(key)} tercantum dua kali")
        seen.add(key)
        if not dash:
            problems.append(f"{quoted(entry)} bukan <kode provinsi>-<kota> atau <kohort>-<bobot>")
        elif key in codes:
            if value in HOST_CITIES:
                moved[key] = value
            else:
                problems.append(f"provinsi {key}: {quoted(value)} bukan kota penyelenggara ({', '.join(HOST_CITIES)})")
        elif key in DEFAULT_WEIGHTS:
            weight = _weight(value)
            if weight is None:
                problems.append(f"bobot kohort {key}: {quoted(value)} bukan angka 0 sampai {MAX_WEIGHT:g}")
            else:
                weights[key] = weight
        else:
            problems.append(f"{quoted(key)} bukan kode provinsi atau nama kohort")
    if problems:
        raise PlanLinkError(problems)
    assignment = default.copy()
    assignment["kota_penyelenggara"] = [
        moved.get(code, city)
        for code, city in zip(default["kode_provinsi"], default["kota_penyelenggara"], strict=True)
    ]
    return assignment, weights


def _weight(text: str) -> float | None:
    """A cohort weight from a link: "2.5" (as written) or "2,5"; None unless a number from 0 to MAX_WEIGHT."""
    try:
        weight = float(text.replace(",", "."))
    except ValueError:
        return None
    return weight if math.isfinite(weight) and 0 <= weight <= MAX_WEIGHT else None


def cohorts(bands: Bands) -> tuple[str, ...]:
    """The cohorts of a plan: the predikat bands worst first, then roster members without a result."""
    return (*bands.names, NOT_EVALUATED)


def read_assignment(data: bytes, file_name: str, provinces: pd.DataFrame) -> pd.DataFrame:
    """Parse and check an uploaded assignment CSV against the known provinces.

    Every problem is collected (missing column, unknown province code, unknown city, a
    province listed twice or not at all) and raised together; nothing is half-applied.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise AssignmentError(
            [
                f"{file_name}: berkas terlalu besar ({format_count(len(data))} bita; batas "
                f"{format_count(MAX_UPLOAD_BYTES)} bita)"
            ]
        )
    try:
        table = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    except UnicodeDecodeError as error:
        raise AssignmentError([f"{file_name}: bukan teks UTF-8; simpan ulang sebagai CSV UTF-8"]) from error
    except Exception as error:  # pandas' own messages are English: one plain message to the planner
        raise AssignmentError(
            [
                f"{file_name}: tidak dapat dibaca sebagai CSV (kosong, atau jumlah kolom tiap baris "
                "tidak sama); unduh CSV penugasan sebagai contoh"
            ]
        ) from error
    # Headers as the downloaded CSV writes them for a reader ("Kode provinsi") or as the code names them
    table.columns = [str(c).strip().lower().replace(" ", "_") for c in table.columns]
    missing = [c for c in ASSIGNMENT_COLUMNS if c not in table.columns]
    if missing:
        named = ", ".join(column.replace("_", " ").capitalize() for column in missing)
        raise AssignmentError([f"{file_name}: kolom wajib tidak ada: {named}"])
    problems = check_assignment(table, provinces, file_name)
    if problems:
        raise AssignmentError(problems)
    table = table[list(ASSIGNMENT_COLUMNS)].apply(lambda column: column.str.strip())
    return provinces[["kode_provinsi", "nama_provinsi"]].merge(table, on="kode_provinsi")


def check_assignment(table: pd.DataFrame, provinces: pd.DataFrame, file_name: str = "tabel") -> list[str]:
    """Problems of an assignment table (kode_provinsi, kota_penyelenggara), each with its line."""
    known = set(provinces["kode_provinsi"])
    problems = []
    seen: set[str] = set()
    for line, (code, city) in enumerate(zip(table["kode_provinsi"], table["kota_penyelenggara"], strict=True), 2):
        code, city = str(code).strip(), str(city).strip()
        if code not in known:
            problems.append(
                f"{file_name} baris {line}, kolom kode_provinsi: {quoted(code)} bukan kode provinsi yang dikenal"
            )
        if city not in HOST_CITIES:
            problems.append(
                f"{file_name} baris {line}, kolom kota_penyelenggara: {quoted(city)} bukan kota penyelenggara "
                f"({', '.join(HOST_CITIES)})"
            )
        if code in seen:
            problems.append(
                f"{file_name} baris {line}, kolom kode_provinsi: provinsi {shortened(code)} tercantum dua kali"
            )
        seen.add(code)
    absent = sorted(known - seen)
    if absent:
        problems.append(f"{file_name}: provinsi tanpa kota penyelenggara: {', '.join(absent)}")
    return problems


def assign_cities(participants: pd.DataFrame, assignment: pd.DataFrame) -> pd.DataFrame:
    """Add kota_penyelenggara by province (today's code); no province means Jakarta."""
    cities = assignment.set_index("kode_provinsi")["kota_penyelenggara"]
    out = participants.copy()
    out["kota_penyelenggara"] = out["kode_provinsi_kini"].map(cities).fillna(CITY_WITHOUT_PROVINCE)
    return out


def cohort_counts(participants: pd.DataFrame, bands: Bands) -> pd.DataFrame:
    """Instansi per host city and cohort (rows: cities in HOST_CITIES order; columns: cohorts(bands))."""
    counts = pd.crosstab(participants["kota_penyelenggara"], participants["kohort"])
    return counts.reindex(index=list(HOST_CITIES), columns=list(cohorts(bands)), fill_value=0)


def allocate_pendamping(counts: pd.DataFrame, weights: dict[str, float], total: int) -> pd.DataFrame:
    """Split `total` pendamping over cities in proportion to workload (largest remainder).

    Workload of a city = sum over cohorts of (instansi in the cohort x the cohort's weight).
    The integer shares add up to `total` exactly; ties in the remainders go to the city with
    the larger workload, then to the earlier city in HOST_CITIES.
    """
    workload = (counts * pd.Series(weights).reindex(counts.columns).fillna(0)).sum(axis=1)
    result = pd.DataFrame({"beban": workload, "instansi": counts.sum(axis=1)})
    if total <= 0 or workload.sum() <= 0:
        result["pendamping"] = 0
    else:
        quotas = workload / workload.sum() * total
        floors = np.floor(quotas).astype(int)
        leftover = total - int(floors.sum())
        order = sorted(range(len(quotas)), key=lambda i: (-(quotas.iloc[i] - floors.iloc[i]), -workload.iloc[i], i))
        floors.iloc[order[:leftover]] += 1
        result["pendamping"] = floors
    result["instansi_per_pendamping"] = result["instansi"] / result["pendamping"].replace(0, np.nan)
    return result


def module_needs(levels: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """Mean level of each module's indicators per city and cohort, the weakest module marked.

    `levels` is long with instansi_id, tingkat and modul. Returns kota_penyelenggara, kohort,
    modul, rata_rata, n (instansi) and terlemah (True for the lowest mean of the cohort).
    """
    joined = levels.merge(participants[["instansi_id", "kota_penyelenggara", "kohort"]], on="instansi_id")
    needs = (
        joined.groupby(["kota_penyelenggara", "kohort", "modul"], observed=True)
        .agg(rata_rata=("tingkat", "mean"), n=("instansi_id", "nunique"))
        .reset_index()
    )
    weakest = needs.groupby(["kota_penyelenggara", "kohort"])["rata_rata"].transform("min")
    needs["terlemah"] = needs["rata_rata"].eq(weakest)
    return needs


def component_needs(participants: pd.DataFrame, component_names: dict[int, str]) -> pd.DataFrame:
    """For years with component indices only: mean component index per city and cohort, weakest marked.

    `participants` has komponen_<no> for every number of `component_names` (the components of the year's
    framework, number -> name: its domains, or its aspects where it has none). Returns kota_penyelenggara,
    kohort, komponen, rata_rata, n (instansi) and terlemah; a missing component index counts in neither."""
    long = participants.melt(
        id_vars=["kota_penyelenggara", "kohort", "instansi_id"],
        value_vars=[f"komponen_{no}" for no in component_names],
        var_name="kolom",
        value_name="nilai",
    ).dropna(subset=["nilai"])
    long["komponen"] = long["kolom"].str.removeprefix("komponen_").astype(int).map(component_names)
    needs = (
        long.groupby(["kota_penyelenggara", "kohort", "komponen"])
        .agg(rata_rata=("nilai", "mean"), n=("instansi_id", "nunique"))
        .reset_index()
    )
    needs["terlemah"] = needs["rata_rata"].eq(
        needs.groupby(["kota_penyelenggara", "kohort"])["rata_rata"].transform("min")
    )
    return needs
