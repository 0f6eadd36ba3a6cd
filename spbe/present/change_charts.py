"""The charts of what changed between two years on one instrument (spbe.model.changes): the Perubahan page and the
press kit's change charts.

Each is a Chart like those of spbe.present.charts: the finished figure, its data with provenance and source in every
row, one Indonesian caption built from the same numbers. A comparison with the 2018 simulation carries the SIMULASI
mark (its provenance is a mixture with simulated rows); the press kit pairs official years only (kit_change_charts).

The slope charts of the largest gains and falls write every instansi's name beside its line: their labels are
placed again for every canvas (figures.RELAYOUTS, kind SLOPE), spread apart where their values lie close.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from spbe.core.formatting import MISSING, figure_text, format_count, format_number, format_percent
from spbe.data.store import Store
from spbe.model.changes import (
    NAIK,
    TETAP,
    TURUN,
    Comparison,
    change_by_group,
    compare,
    direction_counts,
    latest_earlier,
    movers,
    transition_matrix,
)
from spbe.model.provenance import Provenance, provenance_of
from spbe.present import geo
from spbe.present.charts import framework_caveat
from spbe.present.figures import (
    GAP,
    INDEX_COLOR,
    MUTED_COLOR,
    PREDIKAT_COLORS,
    RELAYOUTS,
    RIGHT,
    ROW_LINE,
    SCREEN_PLOT_HEIGHT,
    TARGET_COLOR,
    TEXT_SIZE,
    Chart,
    FigureMeta,
    cite,
    index_name,
    make_chart,
    wrap,
)
from spbe.present.maps import BOUNDARY_SOURCE, MapView, choropleth_figure
from spbe.present.tables import with_provenance

MOVERS = 10  # instansi per slope chart
SLOPE = "lereng"  # figure kind of the slope charts (figures.RELAYOUTS)
MATRIX_COLORSCALE = [[0, "#ffffff"], [1, INDEX_COLOR]]
POINT_SIZE = 9  # px of a slope chart's end points
LABEL_GAP = 3  # px between two labels of a slope chart stacked above each other


def comparison(store: Store, start: int, end: int) -> Comparison:
    """The instansi of `start` and `end` matched (the later year's bands order the predikat)."""
    return compare(store.results(start), store.results(end), start, end, store.framework(end).bands)


def signed(value: float) -> str:
    """A change as people write it: "+0,25", "-0,12", "0,00"."""
    text = format_number(value)
    return f"+{text}" if value > 0 and text != "0,00" else text


def change_meta(
    store: Store, pair: Comparison, title: str, subtitle: str = "", *, map_source: bool = False
) -> FigureMeta:
    """Title, both years' sources (and their frameworks' caveat) and their provenance together: a comparison with
    the 2018 simulation is MEMUAT_SIMULASI and carries the SIMULASI mark."""
    years = store.years().set_index("tahun")
    return FigureMeta(
        title=title,
        subtitle=subtitle,
        source=cite(
            [
                years.at[pair.start, "sumber"],
                years.at[pair.end, "sumber"],
                framework_caveat(store.framework(pair.start), store.framework(pair.end)),
                BOUNDARY_SOURCE if map_source else None,
            ]
        ),
        provenance=pair_provenance(store, pair),
    )


def pair_provenance(store: Store, pair: Comparison) -> Provenance:
    years = store.years().set_index("tahun")
    return provenance_of([years.at[pair.start, "provenance"], years.at[pair.end, "provenance"]])


def scope_words(kelompok: list[str] | None, provinsi: list[str] | None, cari: str | None) -> str:
    """The filters of a view in words, for a subtitle ("" without a filter)."""
    parts = [
        f"kelompok {', '.join(kelompok)}" if kelompok else "",
        f"provinsi {', '.join(provinsi)}" if provinsi else "",
    ]
    parts.append(f'nama memuat "{cari.strip()}"' if cari and cari.strip() else "")
    shown = [part for part in parts if part]
    return f"filter: {'; '.join(shown)}" if shown else ""


def _subtitle(pair: Comparison, scope: str) -> str:
    base = f"{format_count(len(pair.matched))} instansi yang dievaluasi pada {pair.start} dan {pair.end}"
    return f"{base}; {scope}" if scope else base


def headline(pair: Comparison) -> str:
    """The page's first sentence: "Dari 607 instansi yang dievaluasi pada 2023 dan 2024: N naik predikat, M turun,
    K tetap." """
    counts = direction_counts(pair)
    return (
        f"Dari {format_count(len(pair.matched))} instansi yang dievaluasi pada {pair.start} dan {pair.end}: "
        f"{format_count(counts[NAIK])} naik predikat, {format_count(counts[TURUN])} turun, "
        f"{format_count(counts[TETAP])} tetap."
    )


def instansi_table(pair: Comparison, rows: pd.DataFrame) -> pd.DataFrame:
    """Matched instansi as a table: names, both years' index and predikat under the year, the change, and each
    row's provenance (both years together) and sources."""
    start, end = pair.start, pair.end
    table = pd.DataFrame(
        {
            "instansi_id": rows["instansi_id"],
            "nama": rows["nama"],
            "kelompok": rows["kelompok"],
            "nama_provinsi": rows["nama_provinsi"].fillna(MISSING),  # an instansi pusat has none
            f"indeks_{start}": rows["indeks_awal"],
            f"indeks_{end}": rows["indeks_akhir"],
            "perubahan": rows["perubahan"],
            f"predikat_{start}": rows["predikat_awal"],
            f"predikat_{end}": rows["predikat_akhir"],
            "arah_predikat": rows["arah"],
            "provenance": [
                provenance_of([a, b]).value
                for a, b in zip(rows["provenance_awal"], rows["provenance_akhir"], strict=True)
            ],
            "sumber": [cite([a, b]) for a, b in zip(rows["sumber_awal"], rows["sumber_akhir"], strict=True)],
        }
    )
    return table.reset_index(drop=True)


def group_table(store: Store, pair: Comparison, by: str) -> pd.DataFrame:
    """spbe.model.changes.change_by_group with the provenance and sources of both years in every row."""
    meta = change_meta(store, pair, "")
    return with_provenance(change_by_group(pair, by), meta.provenance, meta.source)


def one_year_table(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """Instansi evaluated in `year` only (Comparison.only_start or only_end), with their provenance and source."""
    table = rows[["instansi_id", "nama", "kelompok", "nama_provinsi", "indeks", "predikat", "provenance", "sumber"]]
    table = table.assign(nama_provinsi=table["nama_provinsi"].fillna(MISSING))  # an instansi pusat has none
    return table.rename(columns={"indeks": f"indeks_{year}", "predikat": f"predikat_{year}"}).reset_index(drop=True)


# ---------------------------------------------------------------------- transitions


def matrix_chart(store: Store, pair: Comparison, scope: str = "") -> Chart:
    """Instansi per predikat of the start year (rows, best on top) and of the end year (columns), every cell
    labelled with its count, zero included."""
    matrix = transition_matrix(pair).rename_axis(columns=None)
    names = list(pair.bands.names)
    figure = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=names,
            y=names,  # the first category at the bottom: Kurang low, Memuaskan on top
            zmin=0,
            colorscale=MATRIX_COLORSCALE,
            text=[[format_count(v) for v in row] for row in matrix.to_numpy()],
            texttemplate="%{text}",
            textfont={"size": TEXT_SIZE},
            hovertemplate=f"{pair.start}: %{{y}} → {pair.end}: %{{x}}: %{{text}} instansi<extra></extra>",
            colorbar={"title": {"text": "Instansi", "side": "right"}},
            xgap=1,
            ygap=1,
        )
    )
    # The rows are named in the subtitle, not by an axis title: on a phone its room goes to the five columns
    figure.update_xaxes(title=f"Predikat {pair.end}", showgrid=False)
    figure.update_yaxes(title=None, showgrid=False)
    figure.update_layout(margin={"r": 12})
    meta = change_meta(
        store,
        pair,
        f"Perpindahan predikat instansi, {pair.start} ke {pair.end}",
        f"{_subtitle(pair, scope)}; baris: predikat {pair.start}, kolom: predikat {pair.end}",
    )
    table = matrix.reset_index().rename(columns={"predikat_awal": f"predikat_{pair.start}"})
    table = table.rename(columns={name: f"ke {name} ({pair.end})" for name in names})
    caption = headline(pair)
    moved = matrix.stack()
    moved = moved[[a != b for a, b in moved.index]]
    if len(moved) and moved.max() > 0:
        (source_band, target_band), count = moved.idxmax(), int(moved.max())
        caption = (
            f"{caption[:-1]}; perpindahan terbanyak dari {source_band} ke {target_band} "
            f"({format_count(count)} instansi)."
        )
    return make_chart(f"transisi_predikat_{pair.start}_{pair.end}", figure, meta, table, caption)


def flow_chart(store: Store, pair: Comparison, scope: str = "") -> Chart:
    """Where the instansi of each start predikat went: one bar per start predikat, split by the end predikat in
    percent of the bar, each segment wide enough labelled with its count; the bar's count beside it."""
    matrix = transition_matrix(pair).rename_axis(columns=None)
    names = list(pair.bands.names)
    totals = matrix.sum(axis=1)
    present = [name for name in names if totals[name] > 0]
    shares = matrix.loc[present].div(totals[present], axis=0) * 100
    figure = go.Figure()
    for name in names:
        counts = matrix.loc[present, name]
        figure.add_trace(
            go.Bar(
                y=present,
                x=shares[name],
                orientation="h",
                name=name,
                marker_color=PREDIKAT_COLORS.get(name, MUTED_COLOR),
                text=[format_count(v) if v else "" for v in counts],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                customdata=[
                    f"{format_count(v)} instansi ({format_percent(s, 1)})"
                    for v, s in zip(counts, shares[name], strict=True)
                ],
                hovertemplate=f"%{{y}} {pair.start} → {name} {pair.end}: %{{customdata}}<extra></extra>",
            )
        )
    for name in present:
        figure.add_annotation(
            name=RIGHT, text=f"n={format_count(totals[name])}", y=name, yref="y", x=1, xref="paper", showarrow=False
        )
    figure.update_layout(barmode="stack", legend_traceorder="normal", bargap=0.25)
    figure.update_xaxes(title=f"Persen instansi per predikat {pair.start}", range=[0, 100], ticksuffix="%")
    figure.update_yaxes(title=f"Predikat {pair.start}", showgrid=False)
    meta = change_meta(
        store,
        pair,
        f"Ke mana instansi tiap predikat {pair.start} bergerak pada {pair.end}",
        f"{_subtitle(pair, scope)}; warna: predikat {pair.end}",
    )
    table = matrix.loc[present].reset_index().rename(columns={"predikat_awal": f"predikat_{pair.start}"})
    table = table.rename(columns={name: f"ke {name} ({pair.end})" for name in names}).assign(n=totals[present].values)
    stayed = {name: 100 * matrix.at[name, name] / totals[name] for name in present}
    steadiest = max(stayed, key=lambda name: (stayed[name], -names.index(name)))
    caption = (
        f"Dari tiap predikat {pair.start}, porsi yang bertahan pada predikat yang sama pada {pair.end} tertinggi di "
        f"{steadiest} ({format_percent(stayed[steadiest])} dari {format_count(totals[steadiest])} instansi)."
    )
    return make_chart(f"alur_predikat_{pair.start}_{pair.end}", figure, meta, table, caption)


# ---------------------------------------------------------------------- movers


def movers_chart(store: Store, pair: Comparison, *, gains: bool, scope: str = "", count: int = MOVERS) -> Chart | None:
    """The `count` largest gains (or falls) of the index as a slope chart: one line per instansi from its index in
    the start year to the end year, its name, end index and change written beside it (None: no such instansi)."""
    rows = movers(pair, count, gains=gains)
    if rows.empty:
        return None
    what = "kenaikan" if gains else "penurunan"
    color = INDEX_COLOR if gains else TARGET_COLOR
    figure = go.Figure()
    for row in rows.itertuples(index=False):
        figure.add_trace(
            go.Scatter(
                x=[0, 1],
                y=[row.indeks_awal, row.indeks_akhir],
                mode="lines+markers",
                line={"color": color, "width": 2},
                marker={"size": POINT_SIZE, "color": color},
                name=row.nama,
                showlegend=False,
                customdata=[f"{format_number(row.indeks_awal)} → {format_number(row.indeks_akhir)}"] * 2,
                hovertemplate=f"{figure_text(row.nama)}: %{{customdata}} ({signed(row.perubahan)})<extra></extra>",
            )
        )
    # Both indices in the label, which a line joins to its end point: numbers at the start points could not stay
    # beside their points where several start close together.
    labels = [
        f"{figure_text(name)} {format_number(a)} → {format_number(b)} ({signed(change)})"
        for name, a, b, change in zip(
            rows["nama"], rows["indeks_awal"], rows["indeks_akhir"], rows["perubahan"], strict=True
        )
    ]
    figure.update_xaxes(tickmode="array", tickvals=[0, 1], ticktext=[str(pair.start), str(pair.end)], range=[-0.5, 3])
    figure.update_xaxes(showgrid=False, zeroline=False, title=None)
    figure.update_yaxes(visible=False)
    figure.update_layout(
        showlegend=False,
        margin={"l": 12, "r": 12},
        meta={
            "kind": SLOPE,
            "slope": {
                "start": rows["indeks_awal"].tolist(),
                "end": rows["indeks_akhir"].tolist(),
                "labels": labels,
            },
        },
    )
    index = index_name(store.framework(pair.end).index_scale)
    title = f"{format_count(len(rows))} {what} {index} terbesar, {pair.start} ke {pair.end}"
    meta = change_meta(store, pair, title, _subtitle(pair, scope))
    first = rows.iloc[0]
    caption = (
        f"{what.capitalize()} indeks terbesar dari {pair.start} ke {pair.end}: {first['nama']}, dari "
        f"{format_number(first['indeks_awal'])} menjadi {format_number(first['indeks_akhir'])} "
        f"({signed(first['perubahan'])})."
    )
    slug = f"{what}_terbesar_{pair.start}_{pair.end}"
    return make_chart(slug, figure, meta, instansi_table(pair, rows), caption)


def _spread(wanted: list[float], heights: list[float], room: float) -> list[float]:
    """Centres (px from the top) of labels of `heights` as near `wanted` as they can be without two touching,
    all within 0..`room` when they fit (the order of `wanted` kept)."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [0.0] * len(wanted)
    bottom: float = -LABEL_GAP
    for i in order:  # downwards: each below the one above it
        placed[i] = max(wanted[i], bottom + LABEL_GAP + heights[i] / 2)
        bottom = placed[i] + heights[i] / 2
    top = room + LABEL_GAP
    for i in reversed(order):  # upwards: each above the one below it and above the bottom
        placed[i] = min(placed[i], top - LABEL_GAP - heights[i] / 2)
        top = placed[i] - heights[i] / 2
    return placed


def _arrange_slope(fig: go.Figure, plot_width: float, plot_height: float | None) -> float:
    """figures.RELAYOUTS: the slope chart for this plot: the lines take about a third of its width, the labels
    right of them wrapped to the rest and spread from their neighbours, a thin line joining each to its end point.
    On screen the plot as high as the labels need."""
    data = fig.layout.meta["slope"]
    radius = POINT_SIZE / 2
    left_room = radius + GAP
    span = min(max(0.3 * plot_width, 80.0), 320.0)
    label_room = plot_width - left_room - span - 2 * GAP - radius
    right = [wrap(text, label_room) for text in data["labels"]]
    right_heights = [len(lines) * ROW_LINE + 2 for lines in right]
    needed = sum(right_heights) + LABEL_GAP * len(right) + 2 * ROW_LINE
    height = plot_height if plot_height is not None else max(SCREEN_PLOT_HEIGHT, needed)
    values = data["start"] + data["end"]
    low, high = min(values), max(values)
    pad = (high - low) * ROW_LINE / max(height - 2 * ROW_LINE, 1) + 0.01  # half a label's room at either end
    low, high = low - pad, high + pad

    def px(value: float) -> float:
        return float((high - value) / (high - low) * height)

    def value_at(position: float) -> float:
        return float(high - position / height * (high - low))

    ends = _spread([px(v) for v in data["end"]], right_heights, height)
    unit = 1 / span  # x per px
    label_x = 1 + (radius + 2 * GAP) * unit
    notes = [note for note in fig.layout.annotations if note.name != f"{SLOPE}_kanan"]
    shapes = []
    for value, centre, lines in zip(data["end"], ends, right, strict=True):
        notes.append(
            go.layout.Annotation(
                name=f"{SLOPE}_kanan",
                text="<br>".join(lines),
                x=label_x,
                y=value_at(centre),
                xref="x",
                yref="y",
                xanchor="left",
                yanchor="middle",
                align="left",
                showarrow=False,
            )
        )
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "y",
                "x0": 1 + (radius + 1) * unit,
                "y0": value,
                "x1": label_x - 2 * unit,
                "y1": value_at(centre),
                "line": {"color": MUTED_COLOR, "width": 1},
            }
        )
    fig.layout.annotations = notes
    fig.layout.shapes = shapes
    fig.update_xaxes(range=[-left_room * unit, 1 + (plot_width - left_room - span) * unit])
    fig.update_yaxes(range=[low, high])
    return float(height)


RELAYOUTS[SLOPE] = _arrange_slope


# ---------------------------------------------------------------------- groups and provinces


def group_chart(store: Store, pair: Comparison, scope: str = "", by: str = "kelompok") -> Chart:
    """Mean change of the index per kelompok (bars, largest on top) with the share that moved up a predikat and
    the count beside each bar."""
    groups = change_by_group(pair, by)
    rows = groups.iloc[::-1]  # plotly draws the first category at the bottom
    values = rows["rata_rata_perubahan"]
    figure = go.Figure(
        go.Bar(
            y=rows[by],
            x=values,
            orientation="h",
            marker_color=[INDEX_COLOR if v >= 0 else TARGET_COLOR for v in values],
            customdata=[signed(v) for v in values],
            hovertemplate="%{y}: %{customdata}<extra></extra>",
            name="Rata-rata perubahan",
        )
    )
    for group, change, share, n in zip(rows[by], values, rows["persen_naik"], rows["n"], strict=True):
        text = f"{signed(change)} · {format_percent(share)} naik (n={format_count(n)})"
        figure.add_annotation(name=RIGHT, text=text, y=group, yref="y", x=1, xref="paper", showarrow=False)
    low, high = min(0.0, float(values.min())), max(0.0, float(values.max()))
    pad = 0.1 * (high - low or 1)
    figure.update_xaxes(
        title=f"Rata-rata perubahan indeks, {pair.start} ke {pair.end}",
        range=[low - (pad if low < 0 else 0), high + pad],
        zeroline=True,
        zerolinecolor=MUTED_COLOR,
        nticks=4,
    )
    figure.update_yaxes(title=None, showgrid=False)
    figure.update_layout(showlegend=False)
    meta = change_meta(
        store,
        pair,
        f"Perubahan indeks per kelompok instansi, {pair.start} ke {pair.end}",
        f"{_subtitle(pair, scope)}; di kanan: rata-rata perubahan · persen yang naik predikat (n)",
    )
    best = groups.iloc[0]
    caption = (
        f"Rata-rata perubahan indeks tertinggi dari {pair.start} ke {pair.end} pada kelompok {best[by]} "
        f"({signed(best['rata_rata_perubahan'])}; {format_percent(best['persen_naik'])} dari "
        f"{format_count(best['n'])} instansi naik predikat)."
    )
    return make_chart(f"perubahan_per_kelompok_{pair.start}_{pair.end}", figure, meta, groups, caption)


def map_chart(store: Store, pair: Comparison, scope: str = "") -> Chart | None:
    """The choropleth of the mean change of the index per province (the later year's provinces, folded as
    spbe.present.geo says), on a scale centred on zero; None without regional instansi."""
    rows = geo.regional(pair.matched).rename(columns={"indeks_akhir": "indeks", "predikat_akhir": "predikat"})
    if rows.empty:
        return None
    bands = pair.bands
    view = MapView(
        year=pair.end,
        metric=geo.CHANGE_METRIC,
        provinces=geo.province_values(rows, bands),
        polygons=geo.polygon_values(rows, pair.end, bands),
        notes=geo.fold_notes(geo.province_names(rows), pair.end),
        source="",
        provenance=pair_provenance(store, pair),
        kelompok=None,  # the filters are in `scope`
        pusat=len(pair.matched) - len(rows),
    )
    subtitle = view.subtitle("warna: merah turun, biru naik") + (f"; {scope}" if scope else "")
    meta = change_meta(
        store,
        pair,
        f"{geo.CHANGE_METRIC.label} per provinsi, {pair.start} ke {pair.end}",
        subtitle,
        map_source=True,
    )
    ranked = view.provinces.sort_values([geo.CHANGE_METRIC.key, "provinsi"])
    top, bottom = ranked.iloc[-1], ranked.iloc[0]
    caption = (
        f"{geo.CHANGE_METRIC.label} dari {pair.start} ke {pair.end}, di antara "
        f"{format_count(len(view.provinces))} provinsi, tertinggi di {top['provinsi']} "
        f"({signed(top[geo.CHANGE_METRIC.key])}) dan terendah di {bottom['provinsi']} "
        f"({signed(bottom[geo.CHANGE_METRIC.key])})."
    )
    table = view.polygons.rename(columns={"kode": "kode_wilayah_peta"})
    table = table[["kode_wilayah_peta", "provinsi", "kode_provinsi", "jumlah_instansi", geo.CHANGE_METRIC.key]]
    return make_chart(f"peta_perubahan_{pair.start}_{pair.end}", choropleth_figure(view), meta, table, caption)


def change_charts(store: Store, pair: Comparison, scope: str = "") -> list[Chart]:
    """Every change chart of a comparison, in press-kit order (a slope chart or the map left out where nothing
    is there to draw)."""
    built = [
        matrix_chart(store, pair, scope),
        flow_chart(store, pair, scope),
        movers_chart(store, pair, gains=True, scope=scope),
        movers_chart(store, pair, gains=False, scope=scope),
        group_chart(store, pair, scope),
        map_chart(store, pair, scope),
    ]
    return [chart for chart in built if chart is not None]


def kit_change_charts(store: Store, year: int) -> list[Chart]:
    """The press kit's change charts of `year`: against the latest earlier year on its index scale, where neither
    year is simulated (a simulated move of one instansi must not reach a press release); none otherwise."""
    years = store.years().set_index("tahun")
    instansi_years = store.instansi_years()
    if year not in instansi_years:
        return []
    scales = {y: store.framework(y).index_scale for y in instansi_years}
    official = {y: not Provenance(years.at[y, "provenance"]).has_simulation for y in instansi_years}
    start = latest_earlier(year, scales, official)
    if start is None or not official[year]:
        return []
    return change_charts(store, comparison(store, start, year))
