"""Every chart a page shows, each finished and captioned: the standard charts of a year (the press kit's) and
the pages' own (filtered views, one instansi).

What a press officer downloads is what the deputy saw: the pages and the kit call these functions. A Chart
carries the finished figure, the data behind it (with provenance and source in every row)
and one Indonesian sentence that says what it shows, built from the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from spbe.core.formatting import format_count, format_number, format_percent
from spbe.data.store import Store
from spbe.model.cohorts import assign_cities, cohort_counts
from spbe.model.framework import Framework
from spbe.model.provenance import Provenance, provenance_of
from spbe.present import overview
from spbe.present.figures import (
    MEAN_LABEL,
    Chart,
    FigureMeta,
    baik_share_figure,
    cite,
    cohort_breakdown_figure,
    component_comparison_figure,
    gap_figure,
    gap_words,
    group_heatmap_figure,
    history_figure,
    index_histogram_figure,
    index_name,
    make_chart,
    module_needs_figure,
    national_domain_figure,
    national_index_figure,
    predikat_distribution_figure,
    weakest_indicators_figure,
    year_span,
)
from spbe.present.maps import map_chart, tile_chart

# Columns of national_series.csv holding each domain's national index.
NATIONAL_DOMAIN_COLUMNS = {
    "Kebijakan Internal SPBE": "kebijakan",
    "Tata Kelola SPBE": "tata_kelola",
    "Manajemen SPBE": "manajemen",
    "Layanan SPBE": "layanan",
}


def national_sources(store: Store, years: Iterable[int], *columns: str) -> list[str]:
    """Where the national figures of `years` come from: national_series.csv names the source of each
    row's index (sumber_indeks), domain indices (sumber_domain) and target (sumber_target)."""
    rows = store.national_series().set_index("tahun").reindex(list(years))
    return [source for column in columns for source in rows[column]]


def framework_caveat(*frameworks: Framework) -> str | None:
    """What every view of years scored with `frameworks` says of the tables that come from secondary sources
    ("kerangka PermenPANRB 8/2026 bersumber sekunder; periksa dengan salinan resmi"); None if all are official.
    One sentence for all of them: the caveat holds "; ", which a source line (cite) would split and merge."""
    flagged = [framework for framework in dict.fromkeys(frameworks) if framework.caveat is not None]
    return (
        "; ".join(
            f"kerangka {' dan '.join(f.title for f in flagged if f.caveat == caveat)} {caveat}"
            for caveat in dict.fromkeys(f.caveat for f in flagged)
        )
        or None
    )


def year_meta(store: Store, year: int, title: str, subtitle: str = "") -> FigureMeta:
    """What a figure of the instansi of `year` says about itself: the year's source (with its framework's caveat)
    and provenance."""
    years = store.years().set_index("tahun")
    source = cite([years.at[year, "sumber"], framework_caveat(store.framework(year))])
    return FigureMeta(
        title=title, subtitle=subtitle, source=source, provenance=Provenance(years.at[year, "provenance"])
    )


def national_chart(store: Store, year: int) -> Chart:
    """The national index per year against its target, the gap of `year` marked.

    A year without a published index (an import of 2025) shows the recomputed mean of its
    instansi as a separate, labelled series; its rows keep their own provenance and source. Years scored on
    another index scale (the Indeks Pemerintah Digital from 2026) are a segment of their own, never compared
    with the Indeks SPBE; targets of years after the last one drawn (2,00 for 2029) are named in the footnote.
    """
    series = overview.index_series(store)
    summary = store.summary(year)
    scale = store.framework(year).index_scale
    targets = store.targets()
    later = targets[targets["tahun"] > series["tahun"].max()]
    target_sources = targets.set_index(["tahun", "skala_indeks"])["sumber_target"]
    unpublished = series[series["indeks_nasional"].isna()]
    published_years = series.loc[series["indeks_nasional"].notna(), "tahun"]
    # Each row cites where its index (or its instansi) and its target come from, and the figure all of them.
    series.loc[series["indeks_nasional"].notna(), "sumber"] = [
        national_sources(store, [row_year], "sumber_indeks")[0] for row_year in published_years
    ]
    drawn_targets = [
        target_sources[row_year, row_scale]
        for row_year, row_scale, target in series[["tahun", "skala", "target"]].itertuples(index=False)
        if pd.notna(target)
    ]
    series["sumber"] = [
        cite([source, target_sources[row_year, row_scale] if pd.notna(target) else None])
        for row_year, row_scale, source, target in series[["tahun", "skala", "sumber", "target"]].itertuples(
            index=False
        )
    ]
    spans = {  # each index scale drawn with its years, in order
        index_name(row_scale): rows["tahun"] for row_scale, rows in series.groupby("skala", sort=False)
    }
    meta = FigureMeta(
        title=f"{' dan '.join(spans)} Nasional terhadap target",
        subtitle=f"{series['tahun'].min()}–{series['tahun'].max()}"
        + (f"; selisih tahun {year} ditandai" if summary.national_index_official is not None else ""),
        source=cite(
            national_sources(store, published_years, "sumber_indeks")
            + drawn_targets
            + list(later["sumber_target"])
            + [f"{MEAN_LABEL.lower()} {row.tahun}: {row.sumber}" for row in unpublished.itertuples()]
            + [framework_caveat(*(store.framework(row_year) for row_year in unpublished["tahun"]))]
        ),
        provenance=provenance_of(series["provenance"]),
    )
    table = series.drop(columns=[] if len(unpublished) else ["rata_rata_instansi"])
    name = index_name(scale)
    if summary.national_index_official is None:
        caption = overview.unpublished_index_words(summary, scale)
    else:
        caption = (
            f"{name} Nasional {year} sebesar {format_number(summary.national_index_official)}, "
            f"{gap_words(summary.national_index_official, summary.target)}"
        )
    # the latest official index on the year's own scale: none of another instrument is set beside it
    own = series[series["skala"] == scale].dropna(subset=["indeks_nasional"])
    latest = own.iloc[-1] if len(own) else None
    caption += (
        f"; pada {latest['tahun']} indeks mencapai {format_number(latest['indeks_nasional'])}."
        if latest is not None and latest["tahun"] != year
        else "."
    )
    if len(spans) > 1:
        caption += (
            " Grafik ini memuat instrumen yang berbeda, "
            + " dan ".join(f"{index} {year_span(years)}" for index, years in spans.items())
            + ": skalanya tidak sebanding, sehingga garisnya tidak disambung dan angkanya tidak dibandingkan."
        )
    figure = national_index_figure(series, highlight_year=year, later_targets=later)
    return make_chart(f"indeks_nasional_{year}", figure, meta, table, caption)


def gap_chart(store: Store, year: int) -> Chart | None:
    """The index of `year` as a bullet against its target (None without a published index or target)."""
    summary = store.summary(year)
    index, target = summary.national_index_official, summary.target
    if index is None or target is None:
        return None
    scale = store.framework(year).index_scale
    targets = store.targets().set_index(["tahun", "skala_indeks"])["sumber_target"]
    meta = FigureMeta(
        title=f"{index_name(scale)} Nasional {year} dan targetnya",
        subtitle=gap_words(index, target),
        source=cite([*national_sources(store, [year], "sumber_indeks"), targets[year, scale]]),
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
    figure = gap_figure(index, target, store.framework(year).bands)
    return make_chart(f"selisih_target_{year}", figure, meta, table, caption)


def predikat_chart(store: Store, year: int) -> Chart | None:
    """How instansi spread over the predikat bands in `year` (None without per-instansi data)."""
    distribution = store.predikat_distribution(year)
    if distribution.empty:
        return None
    years = store.years().set_index("tahun")
    below = overview.below_baik(store, year)
    baik_or_better = distribution["predikat"].isin(store.framework(year).bands.baik_or_better)
    shown_below = 100 - distribution.loc[baik_or_better, "persen"].sum()
    # The caption's share below Baik may be a published figure (2018: the press release): cite it too.
    quoted = [below.source] if below is not None and below.source in set(store.published_2018()["sumber"]) else []
    meta = FigureMeta(
        title=f"Sebaran predikat instansi {year}",
        subtitle=f"{format_count(distribution['jumlah'].sum())} instansi",
        source=cite([years.at[year, "sumber"], *quoted]),
        provenance=Provenance(years.at[year, "provenance"]),
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
        provenance=Provenance(years.at[year, "provenance"]),
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
    participants = assign_cities(participants, store.host_cities() if assignment is None else assignment)
    counts = cohort_counts(participants, store.framework(year).bands)
    return cohort_counts_chart(store, year, counts)


def cohort_counts_chart(store: Store, year: int, counts: pd.DataFrame) -> Chart:
    """Instansi per host city by cohort, from spbe.model.cohorts.cohort_counts (a city x cohort table)."""
    total = int(counts.to_numpy().sum())
    meta = year_meta(
        store,
        year,
        f"Instansi per kota penyelenggara dan predikat (evaluasi {year})",
        f"{format_count(total)} instansi; pembagian kota: usulan",
    )
    caption = (
        f"{format_count(total)} instansi dikelompokkan menurut predikat di enam kota penyelenggara; "
        "pembagian provinsi ke kota adalah usulan, bukan alokasi resmi."
    )
    return make_chart(f"kohort_per_kota_{year}", cohort_breakdown_figure(counts), meta, counts.reset_index(), caption)


def domain_chart(store: Store, year: int) -> Chart | None:
    """The official national domain indices of `year`; None for a year without them: an import, a year whose
    national index was entered later with no component indices, an aspect year (none is published)."""
    series = store.national_series().set_index("tahun")
    names = store.framework(year).domains["domain"].tolist()
    if year not in series.index or not names:
        return None
    national = series.loc[year]
    values = [national.get(NATIONAL_DOMAIN_COLUMNS.get(name, ""), float("nan")) for name in names]
    if any(pd.isna(value) for value in values):
        return None
    table = pd.DataFrame({"domain": names, "indeks": values})
    meta = FigureMeta(title=f"Indeks domain nasional {year}", source=cite([national["sumber_domain"]]))
    weakest = table.sort_values("indeks").iloc[0]
    caption = f"Domain terlemah secara nasional pada {year}: {weakest['domain']} ({format_number(weakest['indeks'])})."
    figure = national_domain_figure(table, store.framework(year).bands)
    return make_chart(f"indeks_domain_{year}", figure, meta, table, caption)


def standard_charts(store: Store, year: int) -> list[Chart]:
    """Every standard chart of the year alone that it has data for, in press-kit order (the kit adds what changed
    since an earlier year: spbe.present.presskit.kit_charts)."""
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
    scale = store.framework(year).index_scale
    if summary.national_index_official is None:
        text = overview.unpublished_index_words(summary, scale) + "."
    else:
        text = (
            f"{index_name(scale)} Nasional tahun {year} tercatat {format_number(summary.national_index_official)}, "
            f"{gap_words(summary.national_index_official, summary.target)}."
        )
    text += overview.replaced_words(overview.progress(store, year))  # a new instrument says it is not comparable
    if summary.instansi_evaluated:
        text += f" Evaluasi mencakup {format_count(summary.instansi_evaluated)} instansi pusat dan daerah"
        text += f"; {format_percent(below.pct)} di antaranya belum mencapai predikat Baik." if below else "."
    return text


# ---------------------------------------------------------------------- the pages' own charts

# How the Domain & Indikator page may group instansi: store column -> label.
GROUPINGS = {"kelompok": "Kelompok instansi", "lokus": "Lokus", "kota_penyelenggara": "Kota penyelenggara"}


def index_histogram_chart(store: Store, year: int, rows: pd.DataFrame) -> Chart:
    """The index of the instansi `rows` (the results of `year` under a filter) against the predikat band edges."""
    framework = store.framework(year)
    index = index_name(framework.index_scale)  # Indeks SPBE, or Indeks Pemerintah Digital from 2026
    meta = year_meta(
        store,
        year,
        f"Sebaran {index} {year}",
        f"{format_count(len(rows))} instansi sesuai filter; garis putus-putus: batas predikat",
    )
    caption = (
        f"{index} {format_count(len(rows))} instansi pada {year}, dari {format_number(rows['indeks'].min())} "
        f"sampai {format_number(rows['indeks'].max())}; garis putus-putus menandai batas predikat."
    )
    figure = index_histogram_figure(rows["indeks"], framework.bands, index)
    return make_chart(f"sebaran_indeks_{year}", figure, meta, rows[["nama", "indeks", "predikat"]], caption)


def _lowest_words(means: pd.DataFrame, what: str, row: str, column: str) -> str:
    """The caption of a heatmap of means: its lowest cell, "Rata-rata ... terendah: <row> · <column> (1,23)"."""
    shown = means.dropna(subset=["rata_rata"])
    if shown.empty:
        return f"Rata-rata {what} tiap kelompok."
    lowest = shown.sort_values("rata_rata").iloc[0]
    return f"Rata-rata {what} terendah: {lowest[row]} · {lowest[column]} ({format_number(lowest['rata_rata'])})."


def component_means_chart(store: Store, year: int, by: str) -> Chart:
    """Mean index of each component of the year's framework (its domains, or its aspects where it has none) per
    group (`by`, a key of GROUPINGS), each cell labelled; named as the framework names its components."""
    label = store.framework(year).component_label
    means = store.component_means(year, by).dropna(subset=["rata_rata"])
    meta = year_meta(
        store,
        year,
        f"Rata-rata indeks {label} per {GROUPINGS[by].lower()}, {year}",
        "angka dalam sel: rata-rata; n per kelompok di tabel data",
    )
    table = means[["kelompok_tampil", "komponen", "rata_rata", "n"]].rename(
        columns={"kelompok_tampil": GROUPINGS[by], "komponen": label}
    )
    # Aspects (seven, with long names) are rows as in aspect_means_chart; the four domains stand as columns.
    row, column = ("kelompok_tampil", "komponen") if label == "domain" else ("komponen", "kelompok_tampil")
    figure = group_heatmap_figure(means, row=row, column=column)
    caption = _lowest_words(means, f"indeks {label} {year}", row, column)
    return make_chart(f"rata_rata_{label}_{year}", figure, meta, table, caption)


def aspect_means_chart(store: Store, year: int, by: str) -> Chart:
    """Mean aspect index per aspect and group (`by`), for years with indicator levels."""
    aspects = store.aspect_means(year, by)
    meta = year_meta(store, year, f"Rata-rata indeks aspek per {GROUPINGS[by].lower()}, {year}")
    table = aspects[["kelompok_tampil", "aspect", "rata_rata", "n"]].rename(columns={"kelompok_tampil": GROUPINGS[by]})
    figure = group_heatmap_figure(aspects, row="aspect", column="kelompok_tampil")
    caption = _lowest_words(aspects, f"indeks aspek {year}", "aspect", "kelompok_tampil")
    return make_chart(f"rata_rata_aspek_{year}", figure, meta, table, caption)


def indicator_means_chart(store: Store, year: int, by: str) -> Chart:
    """Mean level per indicator and group (`by`), for years with indicator levels; one row per indicator."""
    indicators = store.indicator_means(year, by)
    indicators = indicators.assign(label=indicators["indikator"].astype(str) + ". " + indicators["nama_indikator"])
    meta = year_meta(store, year, f"Rata-rata tingkat per indikator dan {GROUPINGS[by].lower()}, {year}")
    figure = group_heatmap_figure(indicators, row="label", column="kelompok_tampil")
    figure.update_layout(height=max(500, 26 * indicators["indikator"].nunique()))
    table = indicators[["kelompok_tampil", "indikator", "nama_indikator", "modul", "rata_rata", "n"]].rename(
        columns={"kelompok_tampil": GROUPINGS[by]}
    )
    table = table.dropna(axis="columns", how="all")  # no module column for a framework without modules
    caption = _lowest_words(indicators, f"tingkat indikator {year}", "label", "kelompok_tampil")
    return make_chart(f"rata_rata_indikator_{year}", figure, meta, table, caption)


def weakest_indicators_chart(store: Store, year: int, count: int) -> Chart:
    """The `count` weakest indicators nationally in `year`, each labelled with its asistensi module (its aspect
    where the year's framework has no modules)."""
    national = store.indicator_means(year, None).nsmallest(count, "rata_rata")
    modules = national["modul"].notna().all()
    meta = year_meta(
        store,
        year,
        f"{count} indikator terlemah, {year}",
        f"rata-rata tingkat {format_count(int(national['n'].max()))} instansi; "
        + ("label: modul asistensi" if modules else "label: aspek"),
    )
    weakest = national.iloc[0]
    caption = (
        f"Indikator terlemah secara nasional pada {year}: {weakest['indikator']}. {weakest['nama_indikator']} "
        f"({format_number(weakest['rata_rata'])}, "
        + (f"modul {weakest['modul']})." if modules else f"aspek {weakest['aspect']}).")
    )
    table = national[["indikator", "nama_indikator", "aspect", "modul", "rata_rata", "n"]]
    table = table if modules else table.drop(columns="modul")
    return make_chart(f"indikator_terlemah_{year}", weakest_indicators_figure(national), meta, table, caption)


def history_chart(store: Store, instansi_id: str, name: str) -> Chart:
    """One instansi's index and predikat in every year evaluated; simulated years are marked.

    Years on two index scales (the Indeks SPBE to 2025, the Indeks Pemerintah Digital from 2026) are two
    segments, each with the Baik edge of its own framework, never one line: the scales do not compare."""
    history = store.instansi_history(instansi_id)
    # Each scale's bands are those of its latest year's framework (the Indeks SPBE frameworks share theirs).
    latest = history.groupby("skala_indeks", sort=False)["tahun"].max()
    bands = {scale: store.framework(int(year)).bands for scale, year in latest.items()}
    names = [index_name(scale) for scale in bands]
    frameworks = [store.framework(int(year)) for year in history["tahun"]]
    meta = FigureMeta(
        title=f"{names[0] if len(names) == 1 else 'Indeks'} {name} per tahun",
        subtitle="di bawah tiap tahun: indeks dan predikat; garis putus-putus: batas Baik"
        + ("" if len(names) == 1 else f" tiap instrumen; {' dan '.join(names)} tidak dapat dibandingkan"),
        source=cite([*history["sumber"], framework_caveat(*frameworks)]),
        provenance=provenance_of(history["provenance"]),
    )
    caption = ". ".join(
        f"{index_name(str(scale))} {name}: "
        + "; ".join(
            f"{tahun} {format_number(indeks)} ({predikat})"
            for tahun, indeks, predikat in rows[["tahun", "indeks", "predikat"]].itertuples(index=False)
        )
        for scale, rows in history.groupby("skala_indeks", sort=False)
    )
    if len(names) > 1:
        caption += f". Kedua skala tidak dapat dibandingkan: {names[-1]} dimulai dengan instrumen baru"
    table = history[["tahun", "skala_indeks", "indeks", "predikat", "provenance", "sumber"]]
    figure = history_figure(history, bands)
    return make_chart(f"riwayat_{instansi_id}", figure, meta, table, caption + ".")


def component_comparison_chart(store: Store, year: int, instansi_id: str, name: str) -> Chart:
    """One instansi's component indices of `year` (the domains, or the aspects, of the year's framework) beside
    the mean of its group and the national mean (recomputed).

    The table has the components (column named "domain" or "aspek") and one column per series, named as the
    legend: a missing official value stays empty."""
    framework = store.framework(year)
    label, components = framework.component_label, framework.components
    row = store.instansi_history(instansi_id).set_index("tahun").loc[year]
    own = store.instansi_components(instansi_id)
    own = own[own["tahun"] == year].set_index("komponen_no")["nilai"]
    group_means = store.component_means(year, "kelompok")
    group_means = group_means[group_means["kelompok_tampil"] == row["kelompok"]].set_index("komponen_no")
    national_means = store.component_means(year, None).set_index("komponen_no")
    # n: the instansi with component indices (none in a group whose file gave only the index, as most of 2025)
    group_n, national_n = (int(means["n"].max()) if len(means) else 0 for means in (group_means, national_means))
    group_label = f"Rata-rata {row['kelompok']} (n={format_count(group_n)})"
    national_label = f"Rata-rata nasional (n={format_count(national_n)})"
    comparison = pd.DataFrame(
        {
            label: components["name"],
            name: [own.get(no) for no in components["no"]],
            group_label: [group_means["rata_rata"].get(no) for no in components["no"]],
            national_label: [national_means["rata_rata"].get(no) for no in components["no"]],
        }
    )
    meta = FigureMeta(
        title=f"Indeks {label} {year}: {name}",
        subtitle="dibandingkan rata-rata kelompoknya dan rata-rata nasional (dihitung ulang)",
        source=cite([row["sumber"], framework_caveat(framework)]),
        provenance=Provenance(row["provenance"]),
    )
    caption = f"Indeks {label} {name} pada {year} dibandingkan {group_label.lower()} dan {national_label.lower()}."
    figure = component_comparison_figure(comparison)
    return make_chart(f"{label}_{instansi_id}_{year}", figure, meta, comparison, caption)


def module_needs_chart(store: Store, year: int, needs: pd.DataFrame, column: str) -> Chart:
    """Mean level per host city and cohort (rows) and module, or component (`column`: "domain" or "aspek") for
    years with component indices only or a framework without modules.

    `needs` is spbe.model.cohorts.module_needs, or component_needs with its komponen column named `column`; the
    weakest cell of each row is starred."""
    meta = year_meta(
        store,
        year,
        f"Rata-rata tingkat per {column} untuk tiap kota dan kohort (evaluasi {year})",
        f"★ = {column} terlemah kohort",
    )
    caption = f"Kebutuhan per {column} tiap kota dan kohort, evaluasi {year}."
    figure = module_needs_figure(needs, column=column)
    return make_chart(f"kebutuhan_modul_{year}", figure, meta, needs, caption)
