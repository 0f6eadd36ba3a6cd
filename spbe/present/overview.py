"""The national overview of a year: KPI values and the tables behind its charts.

Each value says where it comes from. For 2018 the per-instansi table is a simulation, so the
share below Baik shown as a KPI is the published one (press release, 81 %), and the
simulation's own share is only used for its charts, labelled as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from spbe.core.formatting import format_count, format_number, format_percent
from spbe.core.rounding import decimal_value
from spbe.data.store import Store, YearSummary
from spbe.model.provenance import Provenance
from spbe.present.figures import MEAN_LABEL, PROVENANCE_LABELS, gap_words, index_name


def index_series(store: Store) -> pd.DataFrame:
    """The national index per year against its target: every year the store holds.

    Columns tahun, skala (the index scale of the year's framework: two years compare only on one),
    indeks_nasional, target (on the year's scale, Store.target), rata_rata_instansi, provenance, sumber.
    Published years carry the official index (resmi); a year without one carries only the recomputed mean of
    its instansi in rata_rata_instansi, with the provenance and source of those rows (impor).
    """
    national = store.national_series()[["tahun", "indeks_nasional", "sumber"]]
    years = store.years()[["tahun", "provenance", "sumber"]]
    series = years.merge(national, on="tahun", how="left", suffixes=("_instansi", ""))
    series["skala"] = [store.framework(year).index_scale for year in series["tahun"]]
    series["target"] = [store.target(year) for year in series["tahun"]]
    unpublished = series["indeks_nasional"].isna()
    series["rata_rata_instansi"] = [
        store.summary(year).national_index_mean if missing else None
        for year, missing in zip(series["tahun"], unpublished, strict=True)
    ]
    series["provenance"] = series["provenance"].where(unpublished, Provenance.RESMI.value)
    series["sumber"] = series["sumber"].fillna(series["sumber_instansi"])
    columns = ["tahun", "skala", "indeks_nasional", "target", "rata_rata_instansi", "provenance", "sumber"]
    return series[columns].astype({"target": "float64", "rata_rata_instansi": "float64"})


def unpublished_index_words(summary: YearSummary, scale: str) -> str:
    """A year without a published national index (on `scale`, its framework's), said plainly: its recomputed
    mean, named as such."""
    count = sum(summary.predikat_counts.values())
    origin = PROVENANCE_LABELS[summary.provenance].lower()
    mean = format_number(summary.national_index_mean)
    return (
        f"{index_name(scale)} Nasional {summary.year} belum dipublikasikan; {MEAN_LABEL.lower()} {mean}, "
        f"dari {format_count(count)} instansi ({origin})"
    )


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    note: str = ""  # the caption under the value: which figure it is, or its source
    help: str = ""  # the tooltip: what the figure means; never a repeat of the note
    delta: str = ""  # the change since the year before (the official index only)


@dataclass(frozen=True)
class Change:
    """An official national index against the official index of an earlier year on the same scale."""

    year: int  # the earlier year
    index: float  # its official index
    change: Decimal  # the later index minus it, on the decimal values as published


@dataclass(frozen=True)
class Progress:
    """Where the official national index of a year stands against earlier official years (see `progress`)."""

    year: int
    index: float | None  # the official index; None for a year without one (an import)
    last_official: tuple[int, float] | None  # for a year without an official index: the last one before it
    since_first: Change | None  # None for the first year itself
    since_previous: Change | None  # None where the year before has no official index on the same scale
    new_framework: str | None  # the title of the framework that replaced the previous year's, on the same scale
    scale: str  # the index scale of the year's framework (Framework.index_scale)
    replaced: tuple[int, str] | None = None  # the first year of this scale and the scale it replaced, if any


def progress(store: Store, year: int) -> Progress:
    """The official national index of `year` against the first official year and the year before.

    Official figures only (the national series), and only years whose frameworks score the same index
    scale (Framework.index_scale): PermenPANRB 5/2018 and 59/2020 both score the Indeks SPBE 1-5, and
    KemenPANRB's own series runs across them, so 2024 compares with 2018; an instrument on another
    scale starts a new series, whose first year has nothing to compare with.
    """
    framework = store.framework(year)
    official = {
        int(row.tahun): float(row.indeks_nasional)
        for row in store.national_series().itertuples()
        if pd.notna(row.indeks_nasional)
        and (other := store.frameworks.covering(int(row.tahun))) is not None
        and other.index_scale == framework.index_scale
    }
    index = official.get(year)
    earlier = sorted(y for y in official if y < year)

    def change(since: int) -> Change:  # of a year with an official index
        return Change(since, official[since], decimal_value(official[year]) - decimal_value(official[since]))

    previous = store.frameworks.covering(year - 1)
    switched = previous is not None and previous is not framework and previous.index_scale == framework.index_scale
    start = min(other.first_year for other in store.frameworks if other.index_scale == framework.index_scale)
    before = store.frameworks.covering(start - 1)
    return Progress(
        year=year,
        index=index,
        last_official=(earlier[-1], official[earlier[-1]]) if index is None and earlier else None,
        since_first=change(earlier[0]) if index is not None and earlier else None,
        since_previous=change(year - 1) if index is not None and year - 1 in official else None,
        new_framework=framework.title if switched and index is not None else None,
        scale=framework.index_scale,
        replaced=(start, before.index_scale) if before is not None else None,
    )


def signed(change: Decimal) -> str:
    """A change with its sign: +1,14, -0,02; no change reads ±0,00."""
    text = format_number(change)
    if round(change, 2) == 0:
        return f"±{text}"
    return text if change < 0 else f"+{text}"


def progress_words(progress: Progress) -> str:
    """The progress of a year in one plain sentence (Markdown), official figures only:
    "Indeks SPBE Nasional 2024: **+1,14** sejak 1,98 (2018) dan **+0,33** dibanding 2,79 (2023)."
    """
    year, first, previous = progress.year, progress.since_first, progress.since_previous
    name, replaced = index_name(progress.scale), replaced_words(progress)
    if progress.index is None:
        latest = progress.last_official
        last = f" (angka resmi terakhir {format_number(latest[1])} pada {latest[0]})" if latest else ""
        return (
            f"{name} Nasional {year} belum dipublikasikan, jadi kemajuannya belum dapat dihitung dari angka "
            f"resmi{last}.{replaced}"
        )
    if first is None:
        return (
            f"{name} Nasional {year} ({format_number(progress.index)}) adalah angka resmi pertama: belum ada "
            f"angka tahun sebelumnya untuk dibandingkan.{replaced}"
        )
    since_first = f"**{signed(first.change)}** sejak {format_number(first.index)} ({first.year})"
    if previous is None:
        text = f"{since_first}; angka resmi {year - 1} tidak tersedia untuk dibandingkan"
    elif previous.year == first.year:
        text = since_first + ", tahun sebelumnya"
    else:
        text = (
            f"{since_first} dan **{signed(previous.change)}** dibanding {format_number(previous.index)} "
            f"({previous.year})"
        )
    sentence = f"{name} Nasional {year}: {text}.{replaced}"
    if progress.new_framework:
        sentence += (
            f" Sejak {year} evaluasi memakai {progress.new_framework}; indeksnya tetap {progress.scale}, "
            "sehingga angkanya sebanding."
        )
    return sentence


def replaced_words(progress: Progress) -> str:
    """For a year on an index scale that replaced another, the sentence that says so and why nothing before it is
    compared (with a leading space); empty for a year on the first scale."""
    if progress.replaced is None:
        return ""
    start, old = progress.replaced[0], index_name(progress.replaced[1])
    return (
        f" Sejak {start} evaluasi memakai {index_name(progress.scale)}, bukan lagi {old}; kedua skala tidak "
        f"sebanding, sehingga angka {old} tidak dibandingkan."
    )


def mean_words(summary: YearSummary) -> str:
    """Why the mean of the year's instansi differs from the national index, in one plain line; empty where they
    read the same or either is missing. What is known (reference fact sheet): the index is KemenPANRB's published
    figure and its reports do not say how it is aggregated (2024: 3,12 against a mean of 3,17 of the 615 listed
    instansi; 2023: 2,79 against 2,82); the mean here is the plain average of the rows."""
    official, mean = summary.national_index_official, summary.national_index_mean
    if official is None or mean is None or format_number(official) == format_number(mean):
        return ""
    rows = format_count(sum(summary.predikat_counts.values()))
    origin = " (data simulasi)" if summary.provenance == Provenance.SIMULASI else ""
    return (
        f"Mengapa rata-rata {format_number(mean)} berbeda dari indeks nasional {format_number(official)}? "
        f"Indeks nasional adalah angka terbitan KemenPANRB, dan laporan evaluasinya tidak menjelaskan cara "
        f"menghitungnya; rata-rata di dasbor ini dihitung ulang sebagai rata-rata biasa indeks {rows} instansi{origin}."
    )


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
    """The five headline cards of the overview: each with a note (which figure, or its source) and a help text
    that says what the figure means."""
    summary = store.summary(year)
    framework = store.framework(year)
    bands, name = framework.bands, index_name(framework.index_scale)  # Indeks SPBE, Indeks Pemerintah Digital
    official, mean = summary.national_index_official, summary.national_index_mean
    rows = sum(summary.predikat_counts.values())
    simulated = summary.provenance == Provenance.SIMULASI
    mean_label = "rata-rata simulasi" if simulated else f"rata-rata {format_count(rows)} instansi"
    index_note = f"{mean_label} {format_number(mean)} (dihitung ulang)" if mean is not None else "angka resmi"
    span = f"skala {format_number(bands.index_min, 0)}–{format_number(bands.index_max, 0)}"
    scale = f"{span}; predikat Baik mulai {format_number(bands.baik_min, trim_zeros=True)}"
    index_help = f"{name} tingkat nasional yang dipublikasikan KemenPANRB ({scale})."
    if mean is not None:
        index_help += " Rata-rata di bawahnya dihitung ulang di dasbor ini dari indeks tiap instansi."
    previous = progress(store, year).since_previous  # on the year's scale only: none across instruments
    delta = f"{signed(previous.change)} dibanding {previous.year}" if previous else ""
    index_kpi = Kpi(f"{name} Nasional", format_number(official), index_note, index_help, delta)
    if official is None:  # no published index (an import of 2025): the mean under its own name, never as the index
        origin = PROVENANCE_LABELS[summary.provenance].lower()
        index_kpi = Kpi(
            MEAN_LABEL,
            format_number(mean),
            f"{name} Nasional {year} belum dipublikasikan; {origin}",
            f"Rata-rata biasa indeks {format_count(rows)} instansi yang dimuat, dihitung di dasbor ini ({scale}); "
            "bukan indeks nasional terbitan KemenPANRB.",
        )
    gap = summary.gap
    gap_text = "–" if gap is None else format_number(abs(gap))
    gap_note = "" if gap is None else gap_words(official if official is not None else mean, summary.target)
    if gap is not None and official is None:  # the mean against the target, said as such
        gap_note = f"{MEAN_LABEL.lower()} {gap_note}"
    below = below_baik(store, year)
    below_note = "" if below is None else below.source.split(",")[0]
    if below is not None and below.alternatives:
        below_note += f"; bandingkan {below.alternatives}"
    return [
        index_kpi,
        Kpi(
            "Target",
            format_number(summary.target, trim_zeros=True),
            *_target_words(store, year),
        ),
        Kpi(
            "Selisih terhadap target",
            gap_text,
            gap_note,
            f"Jarak indeks dari targetnya, dalam poin {name} ({span}).",
        ),
        Kpi("Instansi dievaluasi", format_count(summary.instansi_evaluated), help=_count_help(store, summary)),
        Kpi(
            "Di bawah predikat Baik",
            format_percent(below.pct) if below else "–",
            below_note,
            f"Bagian instansi berpredikat {' atau '.join(reversed(bands.below_baik))}, yaitu berindeks di bawah "
            f"{format_number(bands.baik_min, trim_zeros=True)}.",
        ),
    ]


def _target_words(store: Store, year: int) -> tuple[str, str]:
    """The note and help of the target card: the scale the target is set on, or, for a year without one, the
    next target on the year's scale (2026: none; 2,00 for 2029 on the Indeks Pemerintah Digital)."""
    scale = store.framework(year).index_scale
    name = index_name(scale)
    targets = store.targets()
    targets = targets[targets["skala_indeks"] == scale]
    own = targets[targets["tahun"] == year]
    if not own.empty:
        row = own.iloc[0]
        return (
            f"target {name}",
            f"{name} nasional yang hendak dicapai pada {year} ({scale}); sumber: {row.sumber_target}.",
        )
    later = targets[targets["tahun"] > year]
    if later.empty:
        return "", f"Tidak ada target {name} nasional yang dipublikasikan untuk {year}."
    row = later.iloc[0]
    value = format_number(row.target, trim_zeros=True)
    return (
        f"tidak ada target {year}; target {row.tahun}: {value} ({name})",
        f"Tidak ada target {name} nasional yang dipublikasikan untuk {year}; target berikutnya pada skala yang sama "
        f"{value} untuk {row.tahun} ({scale}); sumber: {row.sumber_target}.",
    )


def _count_help(store: Store, summary: YearSummary) -> str:
    series = store.national_series().set_index("tahun")
    year = summary.year
    if year in series.index and pd.notna(series.at[year, "instansi_dievaluasi"]):
        return f"Kementerian, lembaga dan pemerintah daerah yang dievaluasi pada {year}, menurut angka terbitan."
    if summary.instansi_evaluated is not None:
        return f"Instansi dalam hasil per instansi yang dimuat untuk {year}; jumlah resminya tidak dipublikasikan."
    return f"Jumlah instansi yang dievaluasi pada {year} tidak dipublikasikan dalam sumber yang ditemukan."


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
