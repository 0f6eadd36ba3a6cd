"""The weight sensitivity of a year (spbe.model.sensitivity) for the Kepekaan Bobot page: the run from the store,
the sentences a deputy reads, the rank intervals, the national index under the draws and the per-instansi table.

Every figure goes through the one template (make_chart): source footer, provenance, SIMULASI mark for 2018.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from spbe.core.formatting import format_count, format_number, format_percent
from spbe.data.store import Filters, Store
from spbe.model import sensitivity
from spbe.model.sensitivity import HIGH, LOW, Sensitivity
from spbe.present.charts import NATIONAL_DOMAIN_COLUMNS, national_sources, year_meta
from spbe.present.figures import (
    ABOVE,
    INDEX_COLOR,
    MUTED_COLOR,
    PREDIKAT_COLORS,
    RIGHT,
    TARGET_COLOR,
    Chart,
    FigureMeta,
    cite,
    index_name,
    make_chart,
)

RANKS_SHOWN = 20  # rows of the rank chart: more would not be read on a phone
ORDERS = ("teratas", "terbawah")  # which end of the official ranking the rank chart shows
INTERVAL_WORDS = f"{LOW}–{HIGH}% undian"


def sensitivity_years(store: Store) -> list[int]:
    """Years whose instansi have component indices to vary (2018 simulated, 2023, 2024, imports with them)."""
    years = []
    for year in store.instansi_years():
        results = store.results(year)
        if results[store.component_columns(year)].notna().all(axis=1).any():
            years.append(year)
    return years


def national_components(store: Store, year: int) -> tuple[np.ndarray, float] | None:
    """The published national component indices of `year` (in the framework's order) and its published index;
    None where either is not published (an import, an aspect year, a year whose index was entered later)."""
    series = store.national_series().set_index("tahun")
    names = store.framework(year).components["name"]
    if year not in series.index or pd.isna(series.at[year, "indeks_nasional"]):
        return None
    values = [
        series.at[year, NATIONAL_DOMAIN_COLUMNS[name]] if name in NATIONAL_DOMAIN_COLUMNS else None for name in names
    ]
    if any(value is None or pd.isna(value) for value in values):
        return None
    return np.array(values, dtype=np.float64), float(series.at[year, "indeks_nasional"])


def year_sensitivity(
    store: Store, year: int, *, spread: float, draws: int, seed: int, kelompok: str | None = None
) -> Sensitivity:
    """The run of `year`: every instansi, or those of one kelompok (ranks then among them; no national range)."""
    framework = store.framework(year)
    results = store.results(year, Filters(kelompok=[kelompok]) if kelompok else None)
    national = None if kelompok else national_components(store, year)
    return sensitivity.run(
        results,
        store.component_columns(year),
        framework.components["weight"].to_numpy(dtype=np.float64),
        framework.bands,
        spread=spread,
        draws=draws,
        seed=seed,
        national_components=None if national is None else national[0],
        national_official=None if national is None else national[1],
    )


def _spread_words(run: Sensitivity, label: str) -> str:
    return f"bobot {label} diubah hingga ±{format_percent(100 * run.spread)} ({format_count(run.draws)} undian)"


def headline(run: Sensitivity, label: str, baik_names: tuple[str, ...]) -> str:
    """How robust the count of instansi at Baik or better is, in one or two sentences.

    `label` names the components ("domain" or "aspek"), `baik_names` the bands at Baik or better."""
    official = int(run.instansi["predikat"].isin(baik_names).sum())
    low, high = run.baik_interval()
    counted = f"tetap {format_count(low)}" if low == high else f"berkisar {format_count(low)}–{format_count(high)}"
    text = (
        f"Dengan {_spread_words(run, label)}, jumlah instansi Baik ke atas {counted} "
        f"({INTERVAL_WORDS}; pada bobot resmi {format_count(official)}); {format_count(run.kept)} dari "
        f"{format_count(run.testable)} instansi tetap berpredikat sama pada setiap undian."
    )
    untestable = run.untestable
    if len(untestable):
        names = list(untestable["nama"])
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" dan {names[-1]}"
        text += (
            f" {format_count(len(names))} instansi tidak dapat diuji karena nilai {label}nya tidak lengkap "
            f"(dihitung dengan predikat resminya): {listed}."
        )
    return text


def national_words(run: Sensitivity, year: int, scale: str, label: str) -> str:
    """The national index under the draws, or why there is no range."""
    name = index_name(scale)
    interval, extremes = run.national_interval(), run.national_extremes()
    if interval is None or extremes is None or run.national_official is None:
        return (
            f"{name} Nasional {year} beserta indeks {label} nasionalnya tidak dipublikasikan, sehingga rentangnya "
            "tidak dihitung."
        )
    return (
        f"{name} Nasional {year} (resmi {format_number(run.national_official)}) berada antara "
        f"{format_number(interval[0])} dan {format_number(interval[1])} pada {INTERVAL_WORDS} "
        f"(terendah {format_number(extremes[0])}, tertinggi {format_number(extremes[1])})."
    )


def instansi_table(run: Sensitivity, *, tested_only: bool = False) -> pd.DataFrame:
    """One row per instansi: official index, predikat and rank, the rank under the draws and whether the
    predikat held, with the provenance and source of its row."""
    rows = run.instansi[run.instansi["dapat_diuji"]] if tested_only else run.instansi
    return pd.DataFrame(
        {
            "nama": rows["nama"],
            "kelompok": rows["kelompok"],
            "indeks": rows["indeks"],
            "predikat": rows["predikat"],
            "Peringkat pada bobot resmi": rows["peringkat_resmi"],
            "Peringkat median": rows["peringkat_median"],
            f"Peringkat {LOW}%": rows["peringkat_p5"],
            f"Peringkat {HIGH}%": rows["peringkat_p95"],
            "Predikat sama di setiap undian": np.where(
                ~rows["dapat_diuji"], "tidak dapat diuji", np.where(rows["predikat_tetap"], "ya", "tidak")
            ),
            "Predikat terendah": rows["predikat_terendah"],
            "Predikat tertinggi": rows["predikat_tertinggi"],
            "persen_undian_predikat_sama": rows["persen_sama"],
            "provenance": rows["provenance"],
            "sumber": rows["sumber"],
        }
    ).sort_values("Peringkat pada bobot resmi", kind="stable")


def rank_interval_chart(
    store: Store, year: int, run: Sensitivity, *, order: str = "teratas", group: str | None = None
) -> Chart:
    """The rank of the RANKS_SHOWN instansi at one end of the official ranking (`order`, one of ORDERS) under
    the draws: dot the median rank, bar the 5-95 % interval, diamond the official rank; `group` names the
    kelompok the run is limited to (ranks among its instansi)."""
    label = store.framework(year).component_label
    ranked = run.instansi[run.instansi["dapat_diuji"]].sort_values(["peringkat_resmi", "nama"])
    rows = ranked.head(RANKS_SHOWN) if order == "teratas" else ranked.tail(RANKS_SHOWN)
    among = f"{format_count(len(run.instansi))} {group}" if group else f"{format_count(len(run.instansi))} instansi"
    meta = year_meta(
        store,
        year,
        f"Peringkat {len(rows)} instansi {order} {year} jika bobot {label} diubah",
        f"di antara {among}; titik: median, batang: {INTERVAL_WORDS}, belah ketupat: pada bobot resmi; "
        f"bobot ±{format_percent(100 * run.spread)}, {format_count(run.draws)} undian",
    )
    figure = rank_interval_figure(rows)
    widest = rows.assign(lebar=rows["peringkat_p95"] - rows["peringkat_p5"]).sort_values("lebar").iloc[-1]
    caption = (
        f"Di antara {len(rows)} instansi {order}, peringkat {widest['nama']} paling peka terhadap bobot: "
        f"pada bobot resmi {format_count(widest['peringkat_resmi'])}, "
        f"median {format_count(widest['peringkat_median'])}, "
        f"{format_count(widest['peringkat_p5'])}–{format_count(widest['peringkat_p95'])} pada {INTERVAL_WORDS}."
    )
    table = instansi_table(run, tested_only=True).loc[rows.index]
    return make_chart(f"kepekaan_peringkat_{order}_{year}", figure, meta, table, caption)


def rank_interval_figure(rows: pd.DataFrame) -> go.Figure:
    """One row per instansi (best official rank on top): the 5-95 % interval of its rank as a bar, the median as
    a dot, the official rank as a diamond; the numbers in a column right of the plot.

    `rows` has nama, peringkat_resmi, peringkat_median, peringkat_p5, peringkat_p95."""
    names = list(rows["nama"])
    low, high = rows["peringkat_p5"].to_numpy(), rows["peringkat_p95"].to_numpy()
    intervals = [f"{format_count(a)}–{format_count(b)}" for a, b in zip(low, high, strict=True)]
    fig = go.Figure(
        go.Bar(
            y=names,
            base=low - 0.4,  # a rank is a whole number: the bar covers each rank in the interval
            x=high - low + 0.8,
            orientation="h",
            width=0.5,  # rows grow with their wrapped names on a phone: a full-height bar would read as a block
            name=f"Rentang {INTERVAL_WORDS}",
            marker_color=PREDIKAT_COLORS["Baik"],
            customdata=intervals,
            hovertemplate="%{y}: peringkat %{customdata}<extra></extra>",
        )
    )
    for column, name, symbol, color in (
        ("peringkat_median", "Median", "circle", INDEX_COLOR),
        ("peringkat_resmi", "Peringkat pada bobot resmi", "diamond-open", TARGET_COLOR),
    ):
        fig.add_trace(
            go.Scatter(
                y=names,
                x=rows[column],
                mode="markers",
                name=name,
                marker={"symbol": symbol, "size": 11, "color": color, "line": {"width": 2, "color": color}},
                hovertemplate=f"%{{y}}: {name.lower()} %{{x}}<extra></extra>",
            )
        )
    for name, median, interval in zip(names, rows["peringkat_median"], intervals, strict=True):
        fig.add_annotation(
            name=RIGHT,
            text=f"{format_count(median)} ({interval})",
            y=name,
            yref="y",
            x=1,
            xref="paper",
            showarrow=False,
        )
    first, last = float(low.min()), float(high.max())
    pad = max(1.0, 0.05 * (last - first))
    fig.update_xaxes(title="Peringkat (1 = indeks tertinggi)", range=[first - pad, last + pad], rangemode="normal")
    fig.update_yaxes(title=None, autorange="reversed", showgrid=False)
    fig.update_layout(barmode="overlay", legend_traceorder="normal")
    return fig


def national_range_chart(store: Store, year: int, run: Sensitivity) -> Chart | None:
    """The national index under every draw (histogram), the published index and the 5-95 % interval marked;
    None for a year without published national component indices."""
    interval = run.national_interval()
    if run.national is None or interval is None or run.national_official is None:
        return None
    framework = store.framework(year)
    name, label = index_name(framework.index_scale), framework.component_label
    meta = FigureMeta(
        title=f"{name} Nasional {year} jika bobot {label} diubah",
        subtitle=f"{_spread_words(run, label)}; area biru: {INTERVAL_WORDS}",
        source=cite(national_sources(store, [year], "sumber_indeks", "sumber_domain")),
    )
    figure = national_range_figure(run.national, run.national_official, interval)
    table = pd.DataFrame({"undian": np.arange(1, run.draws + 1), "indeks_nasional": run.national})
    return make_chart(
        f"kepekaan_indeks_nasional_{year}", figure, meta, table, national_words(run, year, framework.index_scale, label)
    )


def national_range_figure(values: np.ndarray, official: float, interval: tuple[float, float]) -> go.Figure:
    """Histogram of the national index over the draws; the 5-95 % interval shaded, the published index a line."""
    fig = go.Figure(
        go.Histogram(
            x=values,
            nbinsx=30,
            marker_color=INDEX_COLOR,
            name="Undian",
            hovertemplate="Indeks %{x}: %{y} undian<extra></extra>",
        )
    )
    fig.add_vrect(x0=interval[0], x1=interval[1], fillcolor=PREDIKAT_COLORS["Baik"], opacity=0.2, line_width=0)
    fig.add_vline(x=official, line={"color": TARGET_COLOR, "dash": "dash", "width": 2})
    fig.add_annotation(
        name=ABOVE,
        text=f"resmi {format_number(official)}",
        x=official,
        xref="x",
        showarrow=False,
        font={"color": TARGET_COLOR},
    )
    low, high = float(values.min()), float(values.max())
    pad = max(0.01, 0.1 * (high - low))
    fig.update_xaxes(title="Indeks nasional pada tiap undian", range=[low - pad, high + pad], tickformat=".2f")
    fig.update_yaxes(title="Jumlah undian", gridcolor="#e5e7eb", zerolinecolor=MUTED_COLOR)
    fig.update_layout(showlegend=False, bargap=0.05)
    return fig
