"""The standard charts of a year, each finished and captioned: shared by the pages and the press kit.

What a press officer downloads is what the deputy saw: both call these functions. A Chart
carries the finished figure, the data behind it (with provenance and source in every row)
and one Indonesian sentence that says what it shows, built from the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from spbe.core.formatting import format_count, format_number, format_percent
from spbe.data.store import Store
from spbe.model.cohorts import assign_cities, cohort_counts, default_assignment
from spbe.model.framework import framework_for_year
from spbe.present import overview
from spbe.present.figures import (
    MARKED_PROVENANCES,
    MEAN_LABEL,
    FigureMeta,
    baik_share_figure,
    cohort_breakdown_figure,
    finish,
    gap_figure,
    gap_words,
    national_domain_figure,
    national_index_figure,
    predikat_distribution_figure,
)
from spbe.present.maps import map_chart, tile_chart
from spbe.present.tables import with_provenance

# Columns of national_series.csv holding each domain's national index.
NATIONAL_DOMAIN_COLUMNS = {
    "Kebijakan Internal SPBE": "kebijakan",
    "Tata Kelola SPBE": "tata_kelola",
    "Manajemen SPBE": "manajemen",
    "Layanan SPBE": "layanan",
}


@dataclass(frozen=True)
class Chart:
    slug: str  # file name stem, e.g. "indeks_nasional_2018"
    fig: go.Figure  # finished: template, title, source footer, simulation mark
    meta: FigureMeta
    table: pd.DataFrame  # the data behind the figure, with provenance and sumber columns
    caption: str  # what the figure shows, in one or two Indonesian sentences


SIMULATION_NOTE = "Grafik ini memuat data simulasi, bukan data resmi."


def cite(sources: Iterable[object]) -> str:
    """One source line from the sources of what a chart uses, each named once, in order; missing skipped."""
    named: list[str] = []
    for source in sources:
        parts = [] if pd.isna(source) else str(source).split("; ")
        named += [part for part in parts if part and part not in named]
    return "; ".join(named)


def national_sources(store: Store, years: Iterable[int], *columns: str) -> list[str]:
    """Where the national figures of `years` come from: national_series.csv names the source of each
    row's index (sumber_indeks), domain indices (sumber_domain) and target (sumber_target)."""
    rows = store.national_series().set_index("year").reindex(list(years))
    return [source for column in columns for source in rows[column]]


def make_chart(slug: str, fig: go.Figure, meta: FigureMeta, table: pd.DataFrame, caption: str) -> Chart:
    """Finish the figure and attach its data (with provenance) and caption."""
    if meta.provenance in MARKED_PROVENANCES:
        caption = f"{caption} {SIMULATION_NOTE}"
    return Chart(slug, finish(fig, meta), meta, with_provenance(table, meta.provenance, meta.source), caption)


def national_chart(store: Store, year: int) -> Chart:
    """The national index per year against its target, the gap of `year` marked.

    A year without a published index (an import of 2025) shows the recomputed mean of its
    instansi as a separate, labelled series; its rows keep their own provenance and source.
    """
    series = overview.index_series(store)
    summary = store.summary(year)
    latest = series.dropna(subset=["national_index"]).iloc[-1]
    unpublished = series[series["national_index"].isna()]
    published_years = series.loc[series["national_index"].notna(), "year"]
    # Each published row cites where its index and target come from, and the figure all of them.
    series.loc[series["national_index"].notna(), "source"] = [
        cite(national_sources(store, [row_year], "sumber_indeks", "sumber_target")) for row_year in published_years
    ]
    meta = FigureMeta(
        title="Indeks SPBE Nasional terhadap target",
        subtitle=f"{series['year'].min()}–{series['year'].max()}"
        + (f"; selisih tahun {year} ditandai" if summary["national_index_official"] is not None else ""),
        source=cite(
            national_sources(store, published_years, "sumber_indeks")
            + national_sources(store, series.dropna(subset=["target_index"])["year"], "sumber_target")
            + [f"{MEAN_LABEL.lower()} {row.year}: {row.source}" for row in unpublished.itertuples()]
        ),
        provenance="mixed" if len(unpublished) else "resmi",
    )
    table = series.rename(
        columns={"year": "tahun", "national_index": "indeks_nasional", "target_index": "target", "source": "sumber"}
    ).drop(columns=[] if len(unpublished) else ["rata_rata_instansi"])
    if summary["national_index_official"] is None:
        caption = overview.unpublished_index_words(summary)
    else:
        caption = (
            f"Indeks SPBE Nasional {year} sebesar {format_number(summary['national_index_official'])}, "
            f"{gap_words(summary['national_index_official'], summary['target'])}"
        )
    caption += (
        f"; pada {latest['year']} indeks mencapai {format_number(latest['national_index'])}."
        if latest["year"] != year
        else "."
    )
    return make_chart(
        f"indeks_nasional_{year}", national_index_figure(series, highlight_year=year), meta, table, caption
    )


def gap_chart(store: Store, year: int) -> Chart | None:
    """The index of `year` as a bullet against its target (None without a published index or target)."""
    summary = store.summary(year)
    index, target = summary["national_index_official"], summary["target"]
    if index is None or target is None:
        return None
    meta = FigureMeta(
        title=f"Indeks SPBE Nasional {year} dan targetnya",
        subtitle=gap_words(index, target),
        source=cite(national_sources(store, [year], "sumber_indeks", "sumber_target")),
    )
    # selisih > 0: above the target, as the words say (never a bare sign that reads the other way)
    table = pd.DataFrame(
        {
            "tahun": [year],
            "indeks_nasional": [index],
            "target": [target],
            "selisih": [index - target],
            "keterangan": [gap_words(index, target)],
        }
    )
    caption = f"Pada {year} indeks nasional {format_number(index)}, {gap_words(index, target)}."
    return make_chart(f"selisih_target_{year}", gap_figure(index, target), meta, table, caption)


def predikat_chart(store: Store, year: int) -> Chart | None:
    """How instansi spread over the predikat bands in `year` (None without per-instansi data)."""
    distribution = store.predikat_distribution(year)
    if distribution.empty:
        return None
    years = store.years().set_index("tahun")
    below = overview.below_baik(store, year)
    shown_below = (
        100 - distribution.loc[distribution["predikat"].isin(["Baik", "Sangat Baik", "Memuaskan"]), "persen"].sum()
    )
    # The caption's share below Baik may be a published figure (2018: the press release): cite it too.
    quoted = [below.source] if below is not None and below.source in set(store.published_2018()["source"]) else []
    meta = FigureMeta(
        title=f"Sebaran predikat instansi {year}",
        subtitle=f"{format_count(distribution['jumlah'].sum())} instansi",
        source=cite([years.at[year, "sumber"], *quoted]),
        provenance=years.at[year, "provenance"],
    )
    table = distribution[["predikat", "jumlah", "persen"]]
    caption = (
        f"{format_percent(below.pct if below else shown_below)} kementerian, lembaga dan pemerintah daerah belum "
        f"mencapai predikat Baik pada {year}" + (f" (sumber: {below.source.split(',')[0]})." if below else ".")
    )
    figure = predikat_distribution_figure(table, shown_below)
    return make_chart(f"sebaran_predikat_{year}", figure, meta, table, caption)


def baik_share_chart(store: Store, year: int) -> Chart | None:
    """Share at Baik or better per group, against targets (2023, 2024) or published 2018 shares."""
    if store.predikat_distribution(year).empty:
        return None
    shares = overview.baik_share_table(store, year)
    years = store.years().set_index("tahun")
    if "target" in shares.columns:
        subtitle = "dibandingkan target"
        source = cite([years.at[year, "sumber"], f"target: {cite(shares['sumber_target'])}"])
    elif shares["terbitan"].notna().any():
        published = cite(shares["sumber_terbitan"])
        subtitle = f"dibandingkan angka terbitan ({published})"
        source = cite([years.at[year, "sumber"], f"angka terbitan: {published}"])
    else:
        subtitle, source = "menurut kelompok instansi", years.at[year, "sumber"]
    meta = FigureMeta(
        title=f"Instansi berpredikat Baik ke atas per kelompok, {year}",
        subtitle=subtitle,
        source=source,
        provenance=years.at[year, "provenance"],
    )
    best = shares.sort_values("persen").iloc[-1]
    caption = (
        f"Kelompok dengan porsi Baik ke atas tertinggi pada {year}: {best['kelompok_tampil']} "
        f"({format_percent(best['persen'])} dari {format_count(best['n'])} instansi)."
    )
    return make_chart(f"baik_per_kelompok_{year}", baik_share_figure(shares), meta, shares, caption)


def cohort_chart(store: Store, year: int, assignment: pd.DataFrame | None = None) -> Chart | None:
    """Instansi per host city by cohort; the assignment defaults to the geographic proposal."""
    participants = store.participants(year)
    if participants.empty:
        return None
    counts = cohort_counts(assign_cities(participants, default_assignment() if assignment is None else assignment))
    years = store.years().set_index("tahun")
    total = int(counts.to_numpy().sum())
    meta = FigureMeta(
        title=f"Instansi per kota penyelenggara dan predikat (evaluasi {year})",
        subtitle=f"{format_count(total)} instansi; pembagian kota: usulan",
        source=years.at[year, "sumber"],
        provenance=years.at[year, "provenance"],
    )
    caption = (
        f"{format_count(total)} instansi dikelompokkan menurut predikat di enam kota penyelenggara; "
        "pembagian provinsi ke kota adalah usulan, bukan alokasi resmi."
    )
    return make_chart(f"kohort_per_kota_{year}", cohort_breakdown_figure(counts), meta, counts.reset_index(), caption)


def domain_chart(store: Store, year: int) -> Chart | None:
    """The official national domain indices of `year` (None for a year without them, e.g. an import)."""
    series = store.national_series().set_index("year")
    if year not in series.index:
        return None
    national = series.loc[year]
    names = framework_for_year(year).domains["domain"].tolist()
    table = pd.DataFrame({"domain": names, "indeks": [national[NATIONAL_DOMAIN_COLUMNS[name]] for name in names]})
    meta = FigureMeta(title=f"Indeks domain nasional {year}", source=cite([national["sumber_domain"]]))
    weakest = table.sort_values("indeks").iloc[0]
    caption = f"Domain terlemah secara nasional pada {year}: {weakest['domain']} ({format_number(weakest['indeks'])})."
    return make_chart(f"indeks_domain_{year}", national_domain_figure(table), meta, table, caption)


def standard_charts(store: Store, year: int) -> list[Chart]:
    """Every standard chart the year has data for, in press-kit order."""
    builders = (
        national_chart,
        gap_chart,
        predikat_chart,
        baik_share_chart,
        cohort_chart,
        domain_chart,
        map_chart,
        tile_chart,
    )
    return [chart for build in builders if (chart := build(store, year)) is not None]


def lead_paragraph(store: Store, year: int) -> str:
    """The opening paragraph of a press release, from the year's numbers."""
    summary = store.summary(year)
    below = overview.below_baik(store, year)
    if summary["national_index_official"] is None:
        text = overview.unpublished_index_words(summary) + "."
    else:
        text = (
            f"Indeks SPBE Nasional tahun {year} tercatat {format_number(summary['national_index_official'])}, "
            f"{gap_words(summary['national_index_official'], summary['target'])}."
        )
    if summary["instansi_evaluated"]:
        text += f" Evaluasi mencakup {format_count(summary['instansi_evaluated'])} instansi pusat dan daerah"
        text += f"; {format_percent(below.pct)} di antaranya belum mencapai predikat Baik." if below else "."
    return text
