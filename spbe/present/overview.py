"""The national overview of a year: KPI values and the tables behind its charts.

Each value says where it comes from. For 2018 the per-instansi table is a simulation, so the
share below Baik shown as a KPI is the published one (press release, 81 %), and the
simulation's own share is only used for its charts, labelled as such.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from spbe.core.formatting import format_count, format_number, format_percent
from spbe.data.store import Store, YearSummary
from spbe.model.provenance import Provenance
from spbe.present.figures import MEAN_LABEL, PROVENANCE_LABELS, gap_words


def index_series(store: Store) -> pd.DataFrame:
    """The national index per year against its target: every year the store holds.

    Columns tahun, indeks_nasional, target, rata_rata_instansi, provenance, sumber. Published
    years carry the official index (resmi); a year without one carries only the recomputed mean of
    its instansi in rata_rata_instansi, with the provenance and source of those rows (impor).
    """
    national = store.national_series()[["tahun", "indeks_nasional", "target", "sumber"]]
    years = store.years()[["tahun", "provenance", "sumber"]]
    series = years.merge(national, on="tahun", how="left", suffixes=("_instansi", ""))
    unpublished = series["indeks_nasional"].isna()
    series["rata_rata_instansi"] = [
        store.summary(year).national_index_mean if missing else None
        for year, missing in zip(series["tahun"], unpublished, strict=True)
    ]
    series["provenance"] = series["provenance"].where(unpublished, Provenance.RESMI.value)
    series["sumber"] = series["sumber"].fillna(series["sumber_instansi"])
    columns = ["tahun", "indeks_nasional", "target", "rata_rata_instansi", "provenance", "sumber"]
    return series[columns].astype({"rata_rata_instansi": "float64"})


def unpublished_index_words(summary: YearSummary) -> str:
    """A year without a published national index, said plainly: its recomputed mean, named as such."""
    count = sum(summary.predikat_counts.values())
    origin = PROVENANCE_LABELS[summary.provenance].lower()
    mean = format_number(summary.national_index_mean)
    return (
        f"Indeks SPBE Nasional {summary.year} belum dipublikasikan; {MEAN_LABEL.lower()} {mean}, "
        f"dari {format_count(count)} instansi ({origin})"
    )


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class BelowBaik:
    pct: float
    source: str
    provenance: Provenance
    alternatives: str = ""  # conflicting published figures, said aloud


def below_baik(store: Store, year: int) -> BelowBaik | None:
    """Share of instansi below Baik: a published share first, then published counts, then rows."""
    published = store.published_2018()
    overall = published[(published["tahun"] == year) & (published["kelompok"] == "Semua instansi")]
    if not overall.empty:
        row = overall.iloc[0]
        others = published[(published["tahun"] == year) & published["kelompok"].str.contains("alternative")]
        alternatives = "; ".join(
            f"{format_percent(100 - r.persen_baik_ke_atas, 2)} menurut {r.sumber.split(',')[0]}"
            for r in others.itertuples()
        )
        return BelowBaik(100 - float(row["persen_baik_ke_atas"]), row["sumber"], Provenance.RESMI, alternatives)
    series = store.national_series().set_index("tahun")
    if year in series.index and pd.notna(series.at[year, "baik_ke_atas"]):
        evaluated, baik = series.at[year, "instansi_dievaluasi"], series.at[year, "baik_ke_atas"]
        source = f"{format_count(baik)} dari {format_count(evaluated)} instansi Baik ke atas (angka resmi)"
        return BelowBaik(100 * (evaluated - baik) / evaluated, source, Provenance.RESMI)
    summary = store.summary(year)
    if summary.below_baik_pct is None:
        return None
    return BelowBaik(summary.below_baik_pct, "dihitung dari hasil per instansi", summary.provenance)


def kpis(store: Store, year: int) -> list[Kpi]:
    """The five headline cards of the overview."""
    summary = store.summary(year)
    official, mean = summary.national_index_official, summary.national_index_mean
    rows = sum(summary.predikat_counts.values())
    simulated = summary.provenance == Provenance.SIMULASI
    mean_label = "rata-rata simulasi" if simulated else f"rata-rata {format_count(rows)} instansi"
    index_note = f"{mean_label} {format_number(mean)} (dihitung ulang)" if mean is not None else "angka resmi"
    index_kpi = Kpi("Indeks SPBE Nasional", format_number(official), index_note)
    if official is None:  # no published index (an import of 2025): the mean under its own name, never as the index
        origin = PROVENANCE_LABELS[summary.provenance].lower()
        index_kpi = Kpi(MEAN_LABEL, format_number(mean), f"Indeks SPBE Nasional {year} belum dipublikasikan; {origin}")
    gap = summary.gap
    gap_text = "–" if gap is None else format_number(abs(gap))
    gap_note = "" if gap is None else gap_words(official if official is not None else mean, summary.target)
    below = below_baik(store, year)
    below_note = "" if below is None else below.source.split(",")[0]
    if below is not None and below.alternatives:
        below_note += f"; bandingkan {below.alternatives}"
    return [
        index_kpi,
        Kpi("Target", format_number(summary.target, trim_zeros=True), "target indeks nasional"),
        Kpi("Selisih terhadap target", gap_text, gap_note),
        Kpi("Instansi dievaluasi", format_count(summary.instansi_evaluated)),
        Kpi("Di bawah predikat Baik", format_percent(below.pct) if below else "–", below_note),
    ]


def baik_share_table(store: Store, year: int) -> pd.DataFrame:
    """Share at Baik or better per group with the target (2023, 2024) or published share (2018),
    each with its source (sumber_target, sumber_terbitan), so a chart cites only the rows it shows."""
    targets = store.targets_share_baik(year)
    if not targets.empty:
        shares = store.baik_share_by_group(year, "kelompok_target")
        return shares.merge(
            targets.rename(
                columns={
                    "kelompok": "kelompok_tampil",
                    "target_persen_baik_ke_atas": "target",
                    "sumber": "sumber_target",
                }
            )[["kelompok_tampil", "target", "sumber_target"]],
            on="kelompok_tampil",
            how="left",
        )
    shares = store.baik_share_by_group(year, "kelompok")
    published = store.published_2018()
    published = published[published["tahun"] == year][["kelompok", "persen_baik_ke_atas", "sumber"]]
    return shares.merge(
        published.rename(
            columns={"kelompok": "kelompok_tampil", "persen_baik_ke_atas": "terbitan", "sumber": "sumber_terbitan"}
        ),
        on="kelompok_tampil",
        how="left",
    )
