"""Figure builders: pure functions (data, options) -> plotly Figure, shared by pages and export;
finish() puts the template, title and source on a figure, make_chart() makes it a Chart with its data.

Every figure is built on SPBE_TEMPLATE, set explicitly: importing streamlit replaces plotly's
default template with one whose colours only a browser fills in, and a figure relying on the
default would export with black traces (TECH_NOTES, Kaleido).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from spbe.core.formatting import figure_text, format_count, format_number, format_percent
from spbe.core.rounding import decimal_value, round_half_up
from spbe.model.predikat import BAIK, Bands
from spbe.model.provenance import Provenance
from spbe.present.tables import with_provenance

# Colour-blind-safe diverging scale (ColorBrewer RdBu, 5 classes, darkened ends); predikat is
# always labelled too, never told by colour alone.
PREDIKAT_COLORS = {
    "Kurang": "#b2182b",
    "Cukup": "#ef8a62",
    "Baik": "#67a9cf",
    "Sangat Baik": "#2166ac",
    "Memuaskan": "#053061",
}
INDEX_COLOR = "#2166ac"
TARGET_COLOR = "#b2182b"
MUTED_COLOR = "#6b7280"
FONT_FAMILY = "Source Sans Pro, Arial, DejaVu Sans, sans-serif"
PROVENANCE_LABELS = {
    Provenance.RESMI: "Data resmi",
    Provenance.IMPOR: "Data impor",
    Provenance.SIMULASI: "SIMULASI – bukan data resmi",
    Provenance.GABUNGAN: "Data campuran (lihat kolom Asal data)",
    Provenance.MEMUAT_SIMULASI: "Memuat data SIMULASI – bukan data resmi",
}
# Text sizes (px) and the layout that reserves room for every text from its own estimated size: a figure is laid
# out for one canvas width (arrange), the narrowest screen when finished, each export preset when rendered.
TITLE_SIZE = 20  # the subtitle is <sup>: 70 %, i.e. 14 px, the smallest text a projected slide may carry
TEXT_SIZE = 14  # every other text: ticks, labels, legend, mark, notes and the source footer
CHAR_WIDTH = 0.6  # estimated average glyph width per px of font size (Arial-like sans, a little generous)
LINE_HEIGHT = 1.35  # line pitch per px of font size
TITLE_LINE = 27  # px per line of the title block
TITLE_RAISE = 18  # px
# px: the widths a chart on screen is laid out for, the narrowest a 390 px phone (Streamlit pads the page); a page
# uses the widest that fits its column (spbe.ui.screen measures it in the browser). The widest fits the column of a
# 1400 px desk with the sidebar open (930 px, measured in Chromium) and of a 1366 px laptop (896 px).
SCREEN_WIDTHS = (360, 640, 880)
SCREEN_PLOT_HEIGHT = 300  # px of plot area on screen, below and above which the texts get their own room
EDGE = 12  # px kept free along the canvas edges
GAP = 8  # px between stacked bands
MARK_HEIGHT = 32  # px of the SIMULASI mark's box (14 px text, 4 px padding, 1 px border)
LEGEND_ROW = 26  # px per row of a horizontal legend
AXIS_ROOM = 30  # px below the plot for x tick labels (one line)
AXIS_TITLE_ROOM = 24  # px more for an x-axis title
AXIS_TITLE_SIZE = round(1.2 * TEXT_SIZE)  # px: plotly draws axis titles 1,2 times the font size
ROW_LINE = TEXT_SIZE * LINE_HEIGHT  # px per line of a category label
COLORBAR_ROOM = 90  # px right of a heatmap that its colour bar takes (bar, ticks and title), within the plot width
ABOVE = "above"  # name of annotations that sit in the band right above the plot (gap label, band names)
NOTE = "catatan"  # name of a footnote: arrange gives it its own band under the plot, wrapped to the canvas
RIGHT = "right"  # name of annotations in a column right of the plot, one per category (y): arrange gives it room
# Where plotly may write a point's value, the builder's own place tried first; a label is put in the first free one
PLACES = ("top center", "bottom center", "middle right", "middle left", "top right", "top left", "bottom right")
RIGHT_MOST = 0.25  # of the canvas width, the most the column right of the plot takes (its texts are wrapped to it)
# Figure kinds (layout.meta "kind") whose own parts change with the canvas, registered by their module (the maps):
# called with the figure and its plot area's width and height (None on screen, where the figure grows), they
# return the plot height they want on screen (None: the usual)
RELAYOUTS: dict[str, Callable[[go.Figure, float, float | None], float | None]] = {}

SPBE_TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT_FAMILY, "size": TEXT_SIZE, "color": "#1f2937"},
        title={"x": 0, "xref": "paper", "xanchor": "left", "font": {"size": TITLE_SIZE}},
        paper_bgcolor="white",
        plot_bgcolor="white",
        separators=",.",  # Indonesian: decimal comma, dot for thousands, in ticks and hovers
        colorway=[INDEX_COLOR, TARGET_COLOR, MUTED_COLOR],
        xaxis={"showgrid": False, "linecolor": "#9ca3af", "ticks": "outside", "automargin": True},
        yaxis={"gridcolor": "#e5e7eb", "zeroline": False, "automargin": True},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
        uniformtext={"minsize": TEXT_SIZE, "mode": "hide"},  # no squeezed labels in thin bar segments
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
)


@dataclass(frozen=True)
class FigureMeta:
    """What every figure says about itself: title, subtitle and where its numbers come from."""

    title: str
    source: str
    provenance: Provenance = Provenance.RESMI
    subtitle: str = ""


def copy_figure(fig: go.Figure) -> go.Figure:
    """An independent copy of `fig`, safe to make while other threads read `fig`.

    go.Figure(fig) moves the source's trace properties about while it copies them, so a figure shared by every
    session (spbe.ui.shared) failed another session's to_json at that moment ("dictionary changed size during
    iteration": the protocol-level ramp at 35 sessions, bench/RESULTS_NOTES.md). Each trace's and the layout's
    to_plotly_json() only reads (a deep copy); fig.to_dict() would too, but writes numeric arrays as base64."""
    return go.Figure({"data": [trace.to_plotly_json() for trace in fig.data], "layout": fig.layout.to_plotly_json()})


def finish(fig: go.Figure, meta: FigureMeta, *, made_on: date | None = None) -> go.Figure:
    """Apply the template, title, source footer and (for simulated data) the SIMULASI mark, laid out for a phone.

    The texts of `meta` are plain text, never markup: a tag in them shows as typed. They are kept in the
    figure's layout.meta, so that export lays the same figure out again for each preset (arrange)."""
    made_on = made_on or date.today()
    # Title, subtitle and source are plain text that may hold a file name or a user name from an import:
    # escaped, so plotly shows any tag in them as typed (a link would be live); the markup is only ours.
    footer = f"Sumber: {meta.source} · Diolah: Dasbor SPBE, {made_on.strftime('%d-%m-%Y')}"
    fig.update_layout(
        template=SPBE_TEMPLATE,
        meta={
            **(fig.layout.meta or {}),  # the builder's own (its kind)
            "title": figure_text(meta.title),
            "subtitle": figure_text(meta.subtitle),
            "footer": figure_text(footer),
            "mark": PROVENANCE_LABELS[meta.provenance] if meta.provenance.has_simulation else "",
            "height": fig.layout.height,  # the builder's own height on screen, if any
        },
    )
    return arrange(fig, SCREEN_WIDTHS[0])


def text_width(text: str, size: float = TEXT_SIZE) -> float:
    """Estimated width (px) of one line of plain text (markup and entities counted as what they show)."""
    shown = html.unescape(re.sub(r"<[^>]+>", "", text))
    return len(shown) * size * CHAR_WIDTH


def wrap(text: str, width: float, size: float = TEXT_SIZE) -> list[str]:
    """Plotly text (escaped, maybe with our own <b>) in lines of at most `width` px (estimated), broken
    between words only, so no entity or tag is cut; existing <br> breaks are kept."""
    lines: list[str] = []
    for part in text.split("<br>"):
        line = ""
        for word in part.split(" "):
            if line and text_width(f"{line} {word}", size) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return lines


def _block(lines: list[str], size: float) -> float:
    return len(lines) * size * LINE_HEIGHT


def _legend_rows(fig: go.Figure, width: float) -> int:
    """Rows of the horizontal legend above the plot at this plot width (0 without a legend)."""
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    if fig.layout.showlegend is False or len(names) < 2 and fig.layout.showlegend is not True:
        return 0
    rows, used = 1, 0.0
    for name in names:
        item = text_width(name) + 50  # the symbol and the gap to the next item
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def _cut(lines: list[str], most: int | None, width: float) -> list[str]:
    """At most `most` lines (None: all), the last ending in "…" (within `width` px) where words were left out."""
    if most is None or len(lines) <= most:
        return lines
    words = lines[most - 1].split(" ")
    while len(words) > 1 and text_width(" ".join(words) + "…") > width:
        words.pop()
    return [*lines[: most - 1], " ".join(words) + "…"]


def _left_margin(fig: go.Figure, width: int, most_lines: int | None = None) -> tuple[int, list[int]]:
    """The left margin that holds the y tick labels and title, and the lines each category label takes.

    Set from the labels, not left to plotly's automargin: the mark and the footer are placed from the plot's
    left edge, which automargin would move. Labels longer than 40 % of the canvas are wrapped there, in at
    most `most_lines` lines (cut with "…": the hover and the chart's table keep the whole name)."""
    axis = fig.layout.yaxis
    if axis.visible is False:
        return (fig.layout.margin.l if fig.layout.margin.l is not None else EDGE), []
    categorical = [t for t in fig.data if t.type == "heatmap" or t.type == "bar" and t.orientation == "h"]
    labels = [str(label) for trace in categorical for label in (() if trace.y is None else trace.y)]
    room = 0.4 * width
    if labels:
        wrapped = {label: _cut(wrap(figure_text(label), room), most_lines, room) for label in dict.fromkeys(labels)}
        axis.update(tickmode="array", tickvals=list(wrapped), ticktext=["<br>".join(text) for text in wrapped.values()])
        longest = max(text_width(line) for text in wrapped.values() for line in text)
        lines = [len(text) for text in wrapped.values()]
    else:
        longest, lines = text_width("0000"), []
    return int(EDGE + (AXIS_TITLE_ROOM if axis.title.text else 0) + longest + 12), lines


def _x_label_room(fig: go.Figure, plot_width: float, title_width: float) -> float:
    """The room (px) under the plot for the x axis: its title wrapped to `title_width` (centred under the plot, it
    may reach into the margins), and its tick labels, as
    many lines deep as the deepest (a builder's own ticktext keeps its lines). Categories along the axis (a
    heatmap's columns, vertical bars) are wrapped to their column, or stand upright in one line where a word is
    wider than its column: plotly would tilt them and let them run into each other and the source line below."""
    axis = fig.layout.xaxis
    if axis.visible is False:
        return 0
    room: float = AXIS_ROOM
    if axis.title.text:
        title = wrap(axis.title.text.replace("<br>", " "), title_width, AXIS_TITLE_SIZE)
        axis.title.text = "<br>".join(title)
        room += AXIS_TITLE_ROOM + (len(title) - 1) * AXIS_TITLE_SIZE * LINE_HEIGHT
    heatmaps = [t for t in fig.data if t.type == "heatmap" and t.x is not None]
    columns = _x_categories(fig)
    if not columns:
        depth = _staggered_ticks(fig, plot_width)
        return room + depth * ROW_LINE
    # Every cell is labelled with its value, so the colour bar is only a key: it gives its room to columns that
    # would otherwise be narrower than a line of text (a phone)
    scale = (plot_width - COLORBAR_ROOM) / len(columns) >= ROW_LINE
    for trace in heatmaps:
        trace.showscale = scale
    column_width = (plot_width - (COLORBAR_ROOM if heatmaps and scale else 0)) / len(columns)
    labels = [wrap(figure_text(column), column_width - GAP) for column in columns]  # a gap between neighbours
    if max(text_width(line) for label in labels for line in label) <= column_width - GAP:
        axis.update(tickmode="array", tickvals=columns, ticktext=["<br>".join(label) for label in labels], tickangle=0)
        return room + max(len(label) - 1 for label in labels) * ROW_LINE
    upright = [figure_text(column) for column in columns]
    axis.update(tickmode="array", tickvals=columns, ticktext=upright, tickangle=-90)
    return room - ROW_LINE + max(text_width(label) for label in upright)


TICK_ROW = "baris label kedua"  # meta of the unseen trace that makes plotly draw a second row of x labels


def _staggered_ticks(fig: go.Figure, plot_width: float) -> int:
    """The depth (lines beyond the first) of a builder's own x tick labels on a numeric axis (a history's year,
    value and predikat). Where neighbours would touch (five years on a phone), every other label moves to a
    second row below the first, drawn by an overlaying axis that only writes labels: each then has two
    columns of room. The builder's labels are kept in the meta, so a wider layout sets them side by side."""
    axis = fig.layout.xaxis
    built = fig.layout.meta.get("ticks") or (
        [[value, str(label)] for value, label in zip(axis.tickvals, axis.ticktext, strict=True)]
        if axis.tickvals is not None and axis.ticktext is not None
        else []
    )
    depth = max((label.count("<br>") for _, label in built), default=0)
    if len(built) < 2 or axis.range is None:
        return depth
    fig.layout.meta = {**fig.layout.meta, "ticks": built}
    positions = [float(value) for value, _ in built]
    spacing = min(b - a for a, b in itertools.pairwise(positions)) * plot_width / (axis.range[1] - axis.range[0])
    widest = max(text_width(re.sub(r"</?b>", "", line)) for _, label in built for line in label.split("<br>"))
    # text_width allows 0,6 of the font size a character, generous for Source Sans (about 0,5): for labels that
    # stand apart anyway, only a clear shortfall makes a second row
    rows = [built, []] if widest * 0.5 / CHAR_WIDTH <= spacing else [built[::2], built[1::2]]
    axis.update(tickvals=[value for value, _ in rows[0]], ticktext=[label for _, label in rows[0]])
    # A second row from an earlier, narrower layout goes; plotly draws an axis only with a trace on it, so the
    # second row's axis carries an unseen one (no marker, no hover, not in the legend).
    fig.layout.xaxis2 = None
    fig.data = [trace for trace in fig.data if trace.meta != TICK_ROW]
    if not rows[1]:
        return depth
    values = [value for value, _ in rows[1]]
    fig.add_trace(
        go.Scatter(
            x=values,
            y=[None] * len(values),
            xaxis="x2",
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            meta=TICK_ROW,
        )
    )
    fig.layout.xaxis2 = {
        "overlaying": "x",
        "side": "bottom",
        "range": list(axis.range),
        "tickmode": "array",
        "tickvals": [value for value, _ in rows[1]],
        "ticktext": [label for _, label in rows[1]],
        "ticklabelstandoff": round((depth + 1) * ROW_LINE + GAP),
        "showgrid": False,
        "showline": False,
        "ticks": "",
        "zeroline": False,
        "fixedrange": True,
    }
    return 2 * depth + 1 + round(GAP / ROW_LINE)


def _x_categories(fig: go.Figure) -> list[str]:
    """The categories along the x axis, a heatmap's columns or vertical bars' names (none on a numeric axis)."""
    columns = [t for t in fig.data if t.type == "heatmap" or t.type == "bar" and t.orientation != "h"]
    traces = [trace for trace in columns if trace.x is not None]
    values = list(dict.fromkeys(value for trace in traces for value in trace.x))
    return [str(value) for value in values] if all(isinstance(value, str) for value in values) else []


def _right_column(fig: go.Figure, width: int) -> tuple[int, dict[str, int]]:
    """The right margin: the builder's, or the column of RIGHT annotations (each wrapped to at most RIGHT_MOST of
    the canvas, beside its category); and the lines each category's annotation takes."""
    notes = [note for note in fig.layout.annotations if note.name == RIGHT]
    if not notes:
        return (fig.layout.margin.r if fig.layout.margin.r is not None else 30), {}
    lines = {}
    for note in notes:
        size = note.font.size or TEXT_SIZE
        wrapped = wrap(note.text.replace("<br>", " "), RIGHT_MOST * width, size)
        note.update(text="<br>".join(wrapped), xref="paper", x=1, xanchor="left", xshift=GAP, showarrow=False)
        note.update(yref="y", align="left")
        lines[str(note.y)] = len(wrapped)
    widest = max(text_width(line, note.font.size or TEXT_SIZE) for note in notes for line in note.text.split("<br>"))
    return int(GAP + widest + EDGE), lines


def _bar_text_lines(fig: go.Figure, plot_width: float) -> dict[str, int]:
    """The values written beside horizontal bars (textposition outside), each wrapped to the room between its
    bar's end and the plot's right edge (a long label beside a bar on a phone); the lines each category's bars
    take (grouped bars share their category's row)."""
    axis = fig.layout.xaxis
    bars = [t for t in fig.data if t.type == "bar" and t.orientation == "h" and t.textposition == "outside"]
    if axis.range is None:  # where plotly alone knows the axis: the values stay as they are
        return {}
    lines: dict[str, int] = {}
    for trace in bars:
        texts = []
        for category, value, text in zip(trace.y, trace.x, trace.text, strict=True):
            end = 0 if value is None or pd.isna(value) else value  # a missing value has no bar: its text from 0
            room = plot_width * (axis.range[1] - end) / (axis.range[1] - axis.range[0]) - GAP
            wrapped = wrap(str(text).replace("<br>", " "), room)
            texts.append("<br>".join(wrapped))
            lines[str(category)] = lines.get(str(category), 0) + len(wrapped)
        trace.text = texts
    return lines


Box = tuple[float, float, float, float]  # left, top, right, bottom (px from the plot's top left corner)


def _place_point_labels(fig: go.Figure, plot_width: float, plot_height: float) -> None:
    """Each value written beside a point (scatter markers with text) is put where it meets no line of the chart,
    no point and no other value, inside the plot (plotly clips it there): the builder's own place if free, else
    the first free of PLACES. On a narrow canvas a steep line runs through a label put above or below its point.
    A value with no free place at this width is not written here (a phone with many years): its hover and the
    chart's table keep it, and a wider layout writes it again (the builder's texts are kept in the meta)."""
    xaxis, yaxis = fig.layout.xaxis, fig.layout.yaxis
    labelled = [  # a label on its point (a tile's name) stays there
        number
        for number, t in enumerate(fig.data)
        if t.type == "scatter"
        and "text" in (t.mode or "")
        and "markers" in t.mode
        and t.textposition != "middle center"
    ]
    if not labelled or xaxis.range is None or yaxis.range is None:  # where plotly alone knows the axes: as built
        return

    def at(x: float, y: float, xref: str | None = "x", yref: str | None = "y") -> tuple[float, float]:
        """A point in px; a reference other than the axes (paper, domain) is a fraction of the plot."""
        across = (x - xaxis.range[0]) / (xaxis.range[1] - xaxis.range[0]) if xref in (None, "x") else x
        up = (y - yaxis.range[0]) / (yaxis.range[1] - yaxis.range[0]) if yref in (None, "y") else y
        return across * plot_width, (1 - up) * plot_height

    segments: list[tuple[tuple[float, float], tuple[float, float]]] = []
    obstacles: list[Box] = []
    for trace in (t for t in fig.data if t.type == "scatter"):
        points = [(x, y) for x, y in zip(trace.x, trace.y, strict=True) if not (pd.isna(x) or pd.isna(y))]
        if "lines" in (trace.mode or ""):
            for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
                corner = {"hv": [(x1, y0)], "vh": [(x0, y1)]}.get(trace.line.shape, [])
                path = [at(x, y) for x, y in [(x0, y0), *corner, (x1, y1)]]
                segments += list(zip(path, path[1:], strict=False))
        if "markers" in (trace.mode or ""):
            half = (trace.marker.size or 6) / 2
            obstacles += [(px - half, py - half, px + half, py + half) for px, py in (at(*p) for p in points)]
    for shape in fig.layout.shapes:
        if shape.type == "line":
            ends = [(shape.x0, shape.y0), (shape.x1, shape.y1)]
            path = [at(x, y, shape.xref, shape.yref) for x, y in ends]  # "x domain" and "paper": fractions
            segments.append((path[0], path[1]))
    # the builder's places, kept in the figure's meta for the next layout (another width or preset)
    built_places = fig.layout.meta.get("places") or {
        str(number): fig.data[number].textposition or "middle center" for number in labelled
    }
    built_texts = fig.layout.meta.get("texts") or {
        str(number): [str(text) for text in _per_point(fig.data[number].text, len(fig.data[number].x))]
        for number in labelled
    }
    fig.layout.meta = {**fig.layout.meta, "places": built_places, "texts": built_texts}
    for number in labelled:
        trace = fig.data[number]
        size, radius = trace.textfont.size or TEXT_SIZE, (trace.marker.size or 6) / 2 / 0.8 + 1  # plotly's offset
        own = built_places[str(number)]
        places: list[str] = []
        written: list[str] = []
        for point, (x, y, text) in enumerate(zip(trace.x, trace.y, built_texts[str(number)], strict=False)):
            built = own if isinstance(own, str) else own[point]
            if pd.isna(x) or pd.isna(y) or not text:
                places.append(built)
                written.append(text)
                continue
            px, py = at(x, y)
            width = text_width(str(text), size)
            for place in (built, *PLACES):
                vertical, horizontal = place.split(" ")
                baseline = {"top": py - radius - 0.25 * size, "bottom": py + radius + 0.75 * size}.get(
                    vertical, py + 0.25 * size
                )
                start = {"right": px + radius, "left": px - radius - width}.get(horizontal, px - width / 2)
                box = (start - 1, baseline - 0.8 * size - 1, start + width + 1, baseline + 0.2 * size + 1)
                slack = 0.15 * width  # text_width is generous: digits take about 0,55 of the font size
                inside = box[0] + slack >= 0 and box[1] >= 0 and box[2] - slack <= plot_width and box[3] <= plot_height
                if (
                    inside
                    and not any(_meet(box, other) for other in obstacles)
                    and not any(_crosses(box, *segment) for segment in segments)
                ):
                    break
            else:
                place, box, text = built, (px, py, px, py), ""  # nowhere free at this width: not written
            places.append(place)
            written.append(text)
            obstacles.append(box)
        trace.textposition = places
        trace.text = written


def _per_point(text: str | Iterable[object] | None, count: int) -> list[object]:
    """A trace's text as one entry per point (plotly also takes one text for every point)."""
    if text is None or isinstance(text, str):
        return [text or ""] * count
    return list(text)


def _meet(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _crosses(box: Box, start: tuple[float, float], end: tuple[float, float]) -> bool:
    """Whether the segment from `start` to `end` passes through `box` (Liang-Barsky clipping)."""
    low, high = 0.0, 1.0
    dx, dy = end[0] - start[0], end[1] - start[1]
    for step, room in (
        (-dx, start[0] - box[0]),
        (dx, box[2] - start[0]),
        (-dy, start[1] - box[1]),
        (dy, box[3] - start[1]),
    ):
        if step == 0:
            if room < 0:
                return False
        elif step < 0:
            low = max(low, room / step)
        else:
            high = min(high, room / step)
        if low > high:
            return False
    return True


def _above_rows(
    fig: go.Figure, notes: list[go.layout.Annotation], plot_width: float, canvas: tuple[float, float]
) -> tuple[list[float], float]:
    """The ABOVE annotations wrapped to the plot's width, each in the lowest row above the plot where it meets no
    other (band names wider than their band on a phone), shifted inside the canvas (`canvas`: its left and right
    edge, px from the plot's left edge). Returns each one's height above the plot and the height of all rows."""
    rows: list[list[tuple[float, float]]] = []
    heights: list[float] = []
    placed: list[int] = []
    axis = fig.layout.xaxis
    for note in notes:
        size = note.font.size or TEXT_SIZE
        lines = wrap(note.text.replace("<br>", " "), plot_width, size)
        note.text = "<br>".join(lines)
        width = max(text_width(line, size) for line in lines)
        if note.xref == "paper":
            at = note.x * plot_width
        elif axis.range is not None:
            at = (note.x - axis.range[0]) / (axis.range[1] - axis.range[0]) * plot_width
        else:  # where plotly alone knows the axis: a row of its own
            at, width = plot_width / 2, plot_width
        start = at - {"left": 0, "right": width}.get(note.xanchor, width / 2)
        shift = max(canvas[0] - start, 0) + min(canvas[1] - start - width, 0)
        note.xshift = shift
        start += shift
        row = next(
            (i for i, row in enumerate(rows) if all(start + width + GAP <= a or b + GAP <= start for a, b in row)),
            len(rows),
        )
        if row == len(rows):
            rows.append([])
            heights.append(0.0)
        rows[row].append((start, start + width))
        heights[row] = max(heights[row], _block(lines, size))
        placed.append(row)
    return [sum(heights[:row]) for row in placed], sum(heights)


def arrange(fig: go.Figure, width: int, height: int | None = None, *, most_lines: int | None = None) -> go.Figure:
    """Lay a finished figure out for a canvas `width` px wide (and `height` px high, or grown on screen).

    From the top: the SIMULASI mark in its own band, the title and subtitle wrapped to the width, the
    annotations named ABOVE (wrapped), the legend, the plot; below it the x axis, then the source footer
    wrapped to the width. Every band's height comes from its own text, so nothing overlaps or is cut.
    """
    meta = fig.layout.meta
    right, right_lines = _right_column(fig, width)
    left, label_lines = _left_margin(fig, width, most_lines)
    plot_width = width - left - right
    if label_lines:  # a row holds its category's label, its bars' wrapped values and its values right of the plot
        beside = _bar_text_lines(fig, plot_width)
        categories = [str(category) for category in fig.layout.yaxis.tickvals]
        label_lines = [
            max(lines, beside.get(category, 0), right_lines.get(category, 0))
            for category, lines in zip(categories, label_lines, strict=True)
        ]
    text_room = width - 2 * EDGE  # the title and footer may use the whole canvas width
    x_shift = EDGE - left  # from the plot's left edge to the canvas' left edge (paper x=0)

    above = [note for note in fig.layout.annotations if note.name == ABOVE]
    offsets, above_height = _above_rows(fig, above, plot_width, (EDGE - left, plot_width + right - EDGE))
    legend_height = _legend_rows(fig, plot_width) * LEGEND_ROW
    for note, offset in zip(above, offsets, strict=True):
        note.update(y=1, yref="paper", yanchor="bottom", yshift=legend_height + offset)
    title = wrap(meta["title"], text_room, TITLE_SIZE)
    subtitle = wrap(meta["subtitle"], text_room, TITLE_SIZE * 0.7) if meta["subtitle"] else []
    title_text = "<br>".join(title) + "".join(f"<br><sup>{line}</sup>" for line in subtitle)
    under_title = legend_height + above_height + GAP
    title_height = (len(title) + len(subtitle)) * TITLE_LINE  # plotly spaces <sup> lines as title lines
    top = EDGE + title_height + under_title
    notes = [note for note in fig.layout.annotations if note.name not in ("sumber", "simulasi")]
    if meta["mark"]:
        mark = {
            "name": "simulasi",
            "text": meta["mark"],
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 1,
            "xanchor": "left",
            "yanchor": "bottom",
            "xshift": x_shift,
            "yshift": top - EDGE + GAP,
            "showarrow": False,
            "font": {"size": TEXT_SIZE, "color": TARGET_COLOR},
            "bordercolor": TARGET_COLOR,
            "borderwidth": 1,
            "borderpad": 4,
        }
        notes.append(go.layout.Annotation(mark))
        top += MARK_HEIGHT + GAP

    below = _x_label_room(fig, plot_width, plot_width + 2 * (min(left, right) - EDGE)) + (
        meta.get("below") or 0
    )  # and what the builder keeps there (a colour bar)
    for note in notes:
        if note.name == NOTE:
            size = note.font.size or TEXT_SIZE
            lines = wrap(note.text.replace("<br>", " "), text_room, size)
            note.update(text="<br>".join(lines), xref="paper", yref="paper", x=0, y=0, xanchor="left")
            note.update(yanchor="top", xshift=x_shift, yshift=-(below + GAP), showarrow=False, align="left")
            below += GAP + _block(lines, size)
    footer = wrap(meta["footer"], text_room)
    notes.append(
        go.layout.Annotation(
            name="sumber",
            text="<br>".join(footer),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="top",
            xshift=x_shift,
            yshift=-(below + GAP),
            showarrow=False,
            align="left",
            font={"size": TEXT_SIZE, "color": MUTED_COLOR},
        )
    )
    bottom = below + GAP + _block(footer, TEXT_SIZE) + EDGE
    fig.layout.annotations = notes
    relayout = RELAYOUTS.get(meta.get("kind"))
    wanted = relayout(fig, plot_width, None if height is None else height - top - bottom) if relayout else None
    if height is None:  # on screen the figure grows to give its plot the room
        rows = len(label_lines) * (max(label_lines, default=0) * ROW_LINE + 4)  # plotly's rows are of one height
        plot_height = wanted or max(SCREEN_PLOT_HEIGHT, sum(label_lines) * LEGEND_ROW, rows)
        height = max(meta.get("height") or 0, int(top + bottom + plot_height))
    # A canvas of fixed height (an export preset) whose rows are too low for their category labels: the labels
    # are cut to the lines a row holds (a 35-row heatmap on a square), laid out again
    fitting = max(1, int(((height - top - bottom) / max(len(label_lines), 1) - 2) // ROW_LINE))
    if most_lines is None and max(label_lines, default=0) > fitting:
        return arrange(fig, width, height, most_lines=fitting)
    _place_point_labels(fig, plot_width, height - top - bottom)
    fig.update_layout(
        margin={"t": round(top), "b": round(bottom), "l": left, "r": right},
        height=height,
        # From the canvas top, below the mark's band: the title's place does not depend on the plot's.
        title={"text": title_text, "x": EDGE / width, "xref": "container", "xanchor": "left", "pad": {"l": 0}},
        # plotly raises a title of several lines above its anchor: lowered by as much (measured in Chromium)
        title_y=1
        - (top - title_height - under_title + (TITLE_RAISE if len(title) + len(subtitle) > 1 else 0)) / height,
        title_yref="container",
        title_yanchor="top",
    )
    return fig


@dataclass(frozen=True)
class Chart:
    """Every figure a page shows or the press kit exports: what the deputy sees is what the press officer downloads."""

    slug: str  # file name stem, e.g. "indeks_nasional_2018"
    fig: go.Figure  # finished: template, title, source footer, simulation mark
    meta: FigureMeta
    table: pd.DataFrame  # the data behind the figure, with provenance and sumber columns
    caption: str  # what the figure shows, in one or two Indonesian sentences


SIMULATION_NOTE = "Grafik ini memuat data simulasi, bukan data resmi."


def make_chart(slug: str, fig: go.Figure, meta: FigureMeta, table: pd.DataFrame, caption: str) -> Chart:
    """Finish the figure and attach its data (with provenance) and caption."""
    if meta.provenance.has_simulation:
        caption = f"{caption} {SIMULATION_NOTE}"
    return Chart(slug, finish(fig, meta), meta, with_provenance(table, meta.provenance, meta.source), caption)


def cite(sources: Iterable[object]) -> str:
    """One source line from the sources of what a chart uses, each named once, in order; missing skipped."""
    named: list[str] = []
    for source in sources:
        parts = [] if pd.isna(source) else str(source).split("; ")
        named += [part for part in parts if part and part not in named]
    return "; ".join(named)


# A year with per-instansi results but no published national index (an import of 2025) shows
# the mean of its instansi under this name, never as the Indeks SPBE Nasional.
MEAN_LABEL = "Rata-rata instansi (dihitung ulang)"


def gap_words(index: float | None, target: float | None) -> str:
    """The one wording of an index against its target, on screen, in captions, images and the CLI:
    3,12 against 2,85 -> "0,27 poin di atas target 2,85"; 1,98 against 2,6 -> "0,62 poin di bawah target 2,6".

    Taken on the decimal values (spbe.core.rounding): for figures published with two decimals the gap
    is exactly the difference of the two numbers as printed.
    """
    if index is None or target is None or pd.isna(index) or pd.isna(target):  # None said apart for the type checker
        return "selisih terhadap target tidak tersedia"
    gap = decimal_value(index) - decimal_value(target)
    target_text = format_number(target, trim_zeros=True)
    if gap == 0:
        return f"tepat pada target {target_text}"
    size = format_number(abs(gap)) if round_half_up(abs(gap), 2) else "kurang dari 0,01"  # a recomputed mean
    return f"{size} poin {'di atas' if gap > 0 else 'di bawah'} target {target_text}"


# The colour of the index of each scale in turn, so that a new instrument's years read apart from the old ones.
SCALE_COLORS = (INDEX_COLOR, "#762a83")


def national_index_figure(
    series: pd.DataFrame, highlight_year: int | None = None, later_targets: pd.DataFrame | None = None
) -> go.Figure:
    """The national index per year against its target; the gap of `highlight_year` is drawn.

    `series` has columns tahun, skala (the index scale of the year), indeks_nasional, target (on the year's
    scale; one row per year) and may have rata_rata_instansi: the recomputed mean of a year without a published
    index, drawn as its own labelled series (hollow markers), never joined to the official line. Each run of
    years on one scale is a segment with traces of its own: no trace joins the last year of one scale to the
    first of the next (2025 on the Indeks SPBE, 2026 on the Indeks Pemerintah Digital), a dotted line marked
    "instrumen berganti" stands in the gap between them, and a footnote says the two scales are not comparable.
    `later_targets` (tahun, target, skala_indeks) are targets of years after the last one drawn (2,00 for 2029
    on the Indeks Pemerintah Digital): the footnote names them.
    """
    fig = go.Figure()
    segments = [rows for _, rows in series.groupby((series["skala"] != series["skala"].shift()).cumsum())]
    means = series.dropna(subset=["rata_rata_instansi"]) if "rata_rata_instansi" in series else series.iloc[:0]
    for number, rows in enumerate(segments):
        name, color = index_name(rows["skala"].iloc[0]), SCALE_COLORS[number % len(SCALE_COLORS)]
        fences = (number > 0, number < len(segments) - 1)  # an "instrumen berganti" line left, right of the segment
        if rows["target"].notna().any():
            fig.add_trace(
                go.Scatter(
                    x=rows["tahun"],
                    y=rows["target"],
                    name="Target",
                    legendgroup="target",
                    showlegend=not any(trace.legendgroup == "target" for trace in fig.data),
                    mode="lines+markers",
                    line={"color": TARGET_COLOR, "dash": "dash", "shape": "hv"},
                    marker={"symbol": "line-ew", "size": 18, "line": {"width": 3, "color": TARGET_COLOR}},
                    customdata=[format_number(v, trim_zeros=True) for v in rows["target"]],
                    hovertemplate=f"Target {name} %{{x}}: %{{customdata}}<extra></extra>",
                )
            )
        if rows["indeks_nasional"].notna().any():
            fig.add_trace(
                go.Scatter(
                    x=rows["tahun"],
                    y=rows["indeks_nasional"],
                    name=f"{name} Nasional",
                    mode="lines+markers+text",
                    line={"color": color, "width": 3},
                    marker={"size": 9},
                    text=[format_number(v) for v in rows["indeks_nasional"]],
                    # each label on the side of its point away from the target line, never across it
                    textposition=_label_places(list(rows["indeks_nasional"]), list(rows["target"]), fences),
                    cliponaxis=False,
                    customdata=[format_number(v) for v in rows["indeks_nasional"]],  # a label may be left out
                    hovertemplate=f"{name} %{{x}}: %{{customdata}}<extra></extra>",
                )
            )
        own_means = means[means["tahun"].isin(rows["tahun"])]
        if len(own_means):
            fig.add_trace(
                go.Scatter(
                    x=own_means["tahun"],
                    y=own_means["rata_rata_instansi"],
                    name=MEAN_LABEL,
                    legendgroup="mean",
                    showlegend=not any(trace.legendgroup == "mean" for trace in fig.data),
                    mode="markers+text",
                    marker={"size": 11, "symbol": "circle-open", "color": color, "line": {"width": 2}},
                    text=[format_number(v) for v in own_means["rata_rata_instansi"]],
                    # above the point, clear of an "instrumen berganti" line next to it (no line joins the means)
                    textposition=[
                        place
                        for place, year in zip(
                            _label_places(
                                list(rows["rata_rata_instansi"]), [float("nan")] * len(rows), fences, joined=False
                            ),
                            rows["tahun"],
                            strict=True,
                        )
                        if year in set(own_means["tahun"])
                    ],
                    cliponaxis=False,
                    customdata=[format_number(v) for v in own_means["rata_rata_instansi"]],
                    hovertemplate=f"Rata-rata instansi %{{x}} (dihitung ulang, {name}): %{{customdata}}<extra></extra>",
                )
            )
    rows = series.dropna(subset=["indeks_nasional", "target"])
    if highlight_year is not None and highlight_year in set(rows["tahun"]):
        row = rows.loc[rows["tahun"] == highlight_year].iloc[0]
        fig.add_shape(
            type="line",
            x0=highlight_year,
            x1=highlight_year,
            y0=row["indeks_nasional"],
            y1=row["target"],
            line={"color": MUTED_COLOR, "width": 2, "dash": "dot"},
        )
        # Above the plot over its year (arrange reserves the band), never beside the line where it would run
        # off a narrow canvas or across a label; from the year's side of the chart inwards.
        late = highlight_year - series["tahun"].min() > (series["tahun"].max() - series["tahun"].min()) / 2
        fig.add_annotation(
            name=ABOVE,
            x=highlight_year,
            text=gap_words(row["indeks_nasional"], row["target"]),
            xanchor="right" if late else "left",
            align="right" if late else "left",
            showarrow=False,
            font={"color": MUTED_COLOR},
        )
    for before, after in zip(segments, segments[1:], strict=False):
        _instrument_break(fig, before["tahun"].iloc[-1], after["tahun"].iloc[0], series["tahun"])
    note = _series_note(segments, later_targets)
    if note:
        fig.add_annotation(
            name=NOTE,  # arrange gives it its band under the plot, wrapped to each canvas
            text=figure_text(note),
            showarrow=False,
            align="left",
            font={"size": TEXT_SIZE, "color": MUTED_COLOR},
        )
    drawn = [series["indeks_nasional"].max(), series["target"].max(), means["rata_rata_instansi"].max()]
    highest = max(value for value in drawn if not pd.isna(value))
    # With a break, half a point more at the top: the "instrumen berganti" label's row, above every point's label
    top = min(5, max(4, highest + 0.3)) + (0.5 if len(segments) > 1 else 0)
    fig.update_yaxes(title="Indeks (1–5)", range=[1, top], tickvals=[1, 2, 3, 4, 5])
    # Ticks as plotly spaces them for the width drawn (every year on a slide, every other on a phone, where nine
    # years side by side would stand upright); room at both ends for the labels of the first and last point.
    fig.update_xaxes(title=None, tickformat="d", range=[series["tahun"].min() - 0.6, series["tahun"].max() + 0.6])
    fig.update_layout(legend_tracegroupgap=0)  # the legend groups (target, mean) in rows as arrange counts them
    return fig


STEEP = 0.1  # index points per year from which a line leaving a point runs through its label beside it
NEAR = 0.3  # index points from the target line within which a label on the target's side would cross it


def _label_places(
    values: list[float], targets: list[float], fences: tuple[bool, bool], *, joined: bool = True
) -> list[str]:
    """Where the value label of each point of a segment goes (plotly textposition). Its own place is centred on
    the side of the point away from the target line (above without a target); a place is taken where something
    runs into it: a line to a neighbour (when the points are `joined`) rising or falling into it by STEEP or
    more, or the "instrumen berganti" line left of the first point or right of the last (`fences`). Taken, the
    label goes to the other side of the point (unless the target line is NEAR there), else beside the point
    away from what runs into it."""

    def taken(number: int, up: bool) -> tuple[bool, bool]:
        def steep(other: int) -> bool:
            if not joined or not 0 <= other < len(values) or pd.isna(values[other]) or pd.isna(values[number]):
                return False
            rise = values[other] - values[number]
            return rise >= STEEP if up else rise <= -STEEP

        return (
            steep(number - 1) or (number == 0 and fences[0]),
            steep(number + 1) or (number == len(values) - 1 and fences[1]),
        )

    places = []
    for number, (value, target) in enumerate(zip(values, targets, strict=True)):
        up = bool(pd.isna(target) or pd.isna(value) or value >= target)
        free = not any(taken(number, up))
        if not free and (pd.isna(target) or abs(value - target) >= NEAR) and not any(taken(number, not up)):
            up, free = not up, True
        left, right = taken(number, up)
        side = "center" if free or left == right else "right" if left else "left"
        places.append(f"{'top' if up else 'bottom'} {side}")
    return places


def _instrument_break(fig: go.Figure, last: int, first: int, years: pd.Series) -> None:
    """A dotted line in the gap between the last year of one scale and the first of the next, labelled
    "instrumen berganti" at the top of the plot on the side with more years (the label needs the room)."""
    middle = (last + first) / 2
    fig.add_vline(x=middle, line={"color": MUTED_COLOR, "dash": "dot", "width": 1.5})
    leftwards = middle - years.min() >= years.max() - middle
    fig.add_annotation(
        name=BREAK_LABEL,
        text=BREAK_LABEL,
        x=middle,
        xref="x",
        y=1,
        yref="paper",
        xanchor="right" if leftwards else "left",
        yanchor="top",
        xshift=-4 if leftwards else 4,  # clear of the line
        showarrow=False,
        font={"color": MUTED_COLOR},
    )


def year_span(years: pd.Series) -> str:
    """The years of a series as people write them: "2018–2025", or "2026" for one."""
    first, last = int(years.min()), int(years.max())
    return f"{first}–{last}" if last > first else str(first)


def _series_note(segments: list[pd.DataFrame], later_targets: pd.DataFrame | None) -> str:
    """The footnote of the national series: which years each index scale covers and that the scales do not
    compare, where there are several; the targets of years after the last one drawn (empty: no footnote)."""
    names = [index_name(rows["skala"].iloc[0]) for rows in segments]
    sentences = []
    if len(segments) > 1:
        spans = [f"{year_span(rows['tahun'])} {name}" for rows, name in zip(segments, names, strict=True)]
        sentences.append(f"{', '.join(spans)}: skala yang tidak sebanding, sehingga garisnya tidak disambung")
    if later_targets is not None and len(later_targets):
        later = later_targets[["tahun", "target", "skala_indeks"]].itertuples(index=False)
        sentences.append(
            "Target berikutnya (di luar rentang grafik): "
            + ", ".join(f"{format_number(t, trim_zeros=True)} untuk {y} ({index_name(s)})" for y, t, s in later)
        )
        others = [index_name(s) for s in later_targets["skala_indeks"] if index_name(s) not in names]
        if len(segments) == 1 and others:
            sentences.append(f"{' dan '.join(dict.fromkeys([*names, *others]))} tidak sebanding")
    return "Catatan: " + ". ".join(sentences) + "." if sentences else ""


def _predikat_order(frame: pd.DataFrame, column: str = "predikat") -> pd.DataFrame:
    order = {name: i for i, name in enumerate(PREDIKAT_COLORS)}
    return frame.assign(_order=frame[column].map(order)).sort_values("_order").drop(columns="_order")


def predikat_distribution_figure(distribution: pd.DataFrame, below_baik_pct: float | None = None) -> go.Figure:
    """Bars of instansi per predikat, each labelled with its count and share, Memuaskan on top.

    `distribution` has columns predikat, jumlah, persen (one group). The share below Baik is
    written on the chart, so the message does not depend on reading colours. The bars lie down: a predikat's
    name and its count and share are read whole on a phone, where five standing columns are too narrow for them.
    """
    rows = _predikat_order(distribution)
    labels = [f"{format_count(n)} ({format_percent(p)})" for n, p in zip(rows["jumlah"], rows["persen"], strict=True)]
    fig = go.Figure(
        go.Bar(
            y=rows["predikat"],
            x=rows["jumlah"],
            orientation="h",
            marker_color=[PREDIKAT_COLORS[p] for p in rows["predikat"]],
            text=labels,
            textposition="outside",
            cliponaxis=False,
            constraintext="none",  # arrange wraps the label to the room beside its bar; never shrunk, never hidden
            hovertemplate="%{y}: %{x} instansi<extra></extra>",
            name="Instansi",
        )
    )
    if below_baik_pct is not None:
        fig.add_annotation(
            name=ABOVE,
            text=f"<b>{format_percent(below_baik_pct)}</b> instansi belum mencapai predikat Baik",
            xref="paper",
            x=0,
            xanchor="left",
            align="left",
            showarrow=False,
            font={"size": 15, "color": PREDIKAT_COLORS["Kurang"]},
        )
    fig.update_xaxes(title="Jumlah instansi", range=[0, rows["jumlah"].max() * 1.35])  # room for the labels
    fig.update_yaxes(title=None, categoryorder="array", categoryarray=list(PREDIKAT_COLORS), showgrid=False)
    fig.update_layout(showlegend=False)
    return fig


def baik_share_figure(shares: pd.DataFrame) -> go.Figure:
    """Share at Baik or better per group, with the target or the published figure as a marker.

    `shares` has columns kelompok_tampil, persen, n and optionally target and terbitan
    (published share), all in percent.
    """
    rows = shares.sort_values("persen")
    fig = go.Figure(
        go.Bar(
            y=rows["kelompok_tampil"],
            x=rows["persen"],
            orientation="h",
            name="Baik ke atas",
            marker_color=PREDIKAT_COLORS["Baik"],
            customdata=[format_percent(v, 1) for v in rows["persen"]],
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )
    )
    # Values in a column right of the plot (arrange gives it its room), so target markers never sit on them.
    for group, share, count in zip(rows["kelompok_tampil"], rows["persen"], rows["n"], strict=True):
        text = f"{format_percent(share)} (n={format_count(count)})"
        fig.add_annotation(name=RIGHT, text=text, y=group, yref="y", x=1, xref="paper", xanchor="left", showarrow=False)
    for column, label, symbol, color in (
        ("target", "Target", "line-ns", TARGET_COLOR),
        ("terbitan", "Angka terbitan", "diamond", "#111827"),
    ):
        if column in rows and rows[column].notna().any():
            fig.add_trace(
                go.Scatter(
                    y=rows["kelompok_tampil"],
                    x=rows[column],
                    mode="markers",
                    name=label,
                    marker={"symbol": symbol, "size": 16, "color": color, "line": {"width": 3, "color": color}},
                    customdata=[format_percent(v, 1) for v in rows[column]],
                    hovertemplate=f"{label} %{{y}}: %{{customdata}}<extra></extra>",
                )
            )
    fig.update_xaxes(
        title="Persen instansi dengan predikat Baik ke atas",
        range=[0, 110],  # a marker at 100 % whole
        ticksuffix="%",
        tickvals=[0, 50, 100],  # three, so they stand side by side on a phone
    )
    fig.update_yaxes(title=None)
    return fig


def index_histogram_figure(indices: pd.Series, bands: Bands, index: str) -> go.Figure:
    """Distribution of the index (named `index` on the axis) with the predikat band edges drawn and named."""
    fig = go.Figure(
        go.Histogram(
            x=indices,
            xbins={"start": 1.0, "end": 5.0, "size": 0.1},
            marker_color=INDEX_COLOR,
            name="Instansi",
            hovertemplate="Indeks %{x}: %{y} instansi<extra></extra>",
        )
    )
    # Edges and band names in one layout update: add_vline per edge costs ~10 ms each on a rerun.
    names, lows, highs = bands.names, bands.edges[:-1], bands.edges[1:]
    edges = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": edge,
            "x1": edge,
            "y0": 0,
            "y1": 1,
            "line": {"color": PREDIKAT_COLORS[name], "dash": "dash", "width": 2},
        }
        for name, edge in zip(names[1:], bands.lower_edges, strict=True)
    ]
    labels = [
        {
            "name": ABOVE,
            "x": (low + high) / 2,
            "xref": "x",
            "text": name,
            "showarrow": False,
            "font": {"size": TEXT_SIZE, "color": PREDIKAT_COLORS[name]},
        }
        for name, low, high in zip(names, lows, highs, strict=True)
    ]
    fig.update_layout(shapes=edges, annotations=labels, showlegend=False, bargap=0.05)
    fig.update_xaxes(title=index, range=[1, 5], dtick=0.5)
    fig.update_yaxes(title="Jumlah instansi")
    return fig


def group_heatmap_figure(means: pd.DataFrame, *, row: str, column: str, value: str = "rata_rata") -> go.Figure:
    """Mean level per row (domain, aspect or indicator) and group, each cell labelled."""
    table = means.pivot_table(index=row, columns=column, values=value, sort=False)
    fig = go.Figure(
        go.Heatmap(
            z=table.to_numpy(),
            x=list(table.columns),
            y=list(table.index),
            zmin=1,
            zmax=5,
            colorscale=[[0, PREDIKAT_COLORS["Kurang"]], [0.5, "#f7f7f7"], [1, PREDIKAT_COLORS["Sangat Baik"]]],
            text=[[format_number(v) for v in line] for line in table.to_numpy()],
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            colorbar={"title": {"text": "Rata-rata", "side": "right"}, "tickvals": [1, 2, 3, 4, 5]},  # beside the ticks
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=None)
    return fig


def weakest_indicators_figure(weakest: pd.DataFrame) -> go.Figure:
    """The weakest indicators nationally, each labelled with its asistensi module, or its aspect where the
    framework has no modules.

    `weakest` has columns indikator, nama_indikator, aspect, modul (missing without modules), rata_rata (weakest
    first).
    """
    rows = weakest.iloc[::-1]
    labels = [f"{no}. {name}" for no, name in zip(rows["indikator"], rows["nama_indikator"], strict=True)]
    notes = [f"Modul {m}" if pd.notna(m) else f"Aspek {a}" for m, a in zip(rows["modul"], rows["aspect"], strict=True)]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=rows["rata_rata"],
            orientation="h",
            marker_color=PREDIKAT_COLORS["Cukup"],
            text=[f"{format_number(v)} · {note}" for v, note in zip(rows["rata_rata"], notes, strict=True)],
            textposition="outside",
            cliponaxis=False,
            constraintext="none",  # arrange wraps the label to the room beside its bar; never shrunk, never hidden
            customdata=[format_number(v) for v in rows["rata_rata"]],
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )
    )
    fig.update_xaxes(title="Rata-rata tingkat (1–5)", range=[0, 5.5])
    fig.update_yaxes(title=None)
    fig.update_layout(showlegend=False, margin={"l": 20})
    return fig


def index_name(scale: str) -> str:
    """The name of an index scale as people say it: the manifest writes "<name> skala <range>"
    ("Indeks Pemerintah Digital skala 1–5" -> "Indeks Pemerintah Digital")."""
    return scale.split(" skala ")[0]


BREAK_LABEL = "instrumen berganti"  # where the series of one index scale ends and the next begins


def history_figure(history: pd.DataFrame, bands: Mapping[str, Bands]) -> go.Figure:
    """One instansi's index per year it was evaluated; under each year its index and predikat.

    `history` has tahun, indeks, predikat, provenance and skala_indeks; `bands` maps each index scale of it to
    its bands, oldest first. Each scale is a segment of its own with its own Baik edge (2,6 on the Indeks SPBE,
    2,5 on the Indeks Pemerintah Digital): no line joins the last year of one scale to the first of the next,
    a gap and a dotted line marked "instrumen berganti" lie between them, and the legend names each scale
    with its Baik edge. The values are written in a band under the axis, one column per year, where no line
    of the chart passes whatever its slope. Simulated years get a hollow marker and say "simulasi" there.
    """
    fig = go.Figure()
    # Evenly spaced positions, one per year evaluated (their values need the room, not the empty years), with
    # one empty position where the scale changes.
    positions: list[float] = []
    labels: list[str] = []
    spans: list[tuple[float, float]] = []
    for number, scale in enumerate(bands):
        rows = history[history["skala_indeks"] == scale]
        start = positions[-1] + 2 if positions else 0
        at = [start + step for step in range(len(rows))]
        positions += at
        spans.append((at[0] - 0.5, at[-1] + 0.5))
        simulated = rows["provenance"].eq(Provenance.SIMULASI).to_numpy()
        labels += [
            f"<b>{year}</b><br>{format_number(v)}<br>{p}" + ("<br>(simulasi)" if s else "")
            for year, v, p, s in zip(rows["tahun"], rows["indeks"], rows["predikat"], simulated, strict=True)
        ]
        baik = format_number(bands[scale].baik_min, trim_zeros=True)
        fig.add_trace(
            go.Scatter(
                x=at,
                y=rows["indeks"],
                mode="lines+markers",
                line={"color": INDEX_COLOR, "width": 3, "dash": "solid" if number == 0 else "dot"},
                marker={
                    "size": 12,
                    "color": [PREDIKAT_COLORS.get(p, MUTED_COLOR) for p in rows["predikat"]],
                    "symbol": ["circle-open" if s else "circle" for s in simulated],
                    "line": {"width": 3},
                },
                cliponaxis=False,
                name="Indeks" if len(bands) == 1 else f"{index_name(scale)} (Baik dari {baik})",
                customdata=[
                    f"{tahun}: {format_number(v)} ({p})"
                    for tahun, v, p in zip(rows["tahun"], rows["indeks"], rows["predikat"], strict=True)
                ],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    fig.update_xaxes(
        tickmode="array",
        tickvals=positions,
        ticktext=labels,
        title=None,
        zeroline=False,
        range=[-0.5, positions[-1] + 0.5],
    )
    if len(bands) == 1:
        ((scale, only),) = bands.items()
        _baik_line(fig, only)
        fig.update_yaxes(title=index_name(scale), range=[0.8, 5.2])  # the whole 1-5 scale, end markers inside
        return fig
    for (left, right), scale_bands in zip(spans, bands.values(), strict=True):
        fig.add_shape(
            type="line",
            x0=left,
            x1=right,
            y0=scale_bands.baik_min,
            y1=scale_bands.baik_min,
            line={"color": TARGET_COLOR, "dash": "dash"},
        )
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        middle = (end + start) / 2
        fig.add_vline(x=middle, line={"color": MUTED_COLOR, "dash": "dot", "width": 1})
        # Above the plot, ending at the line where the change is in the right half (it would leave the canvas)
        anchor = "right" if middle > positions[-1] / 2 else "left"
        fig.add_annotation(
            name=ABOVE,
            text=BREAK_LABEL,
            x=middle,
            xref="x",
            xanchor=anchor,
            showarrow=False,
            font={"color": MUTED_COLOR},
        )
    fig.update_yaxes(title="Indeks (skala 1–5)", range=[0.8, 5.2])
    return fig


def component_comparison_figure(comparison: pd.DataFrame) -> go.Figure:
    """Component indices (domains or aspects) of one instansi beside its category mean and the national mean,
    one row per component.

    `comparison` has the components in its first column, named as the framework names them ("domain" or
    "aspek"), and one column per series to compare (in order). The bars lie down: the components' long names
    and every value are read whole on a phone, where standing columns are too narrow.
    """
    label = str(comparison.columns[0])
    colors = [INDEX_COLOR, PREDIKAT_COLORS["Baik"], MUTED_COLOR]
    return index_bars_figure(comparison, colors, x_title=f"Indeks {label}", bargap=0.15)


def index_bars_figure(frame: pd.DataFrame, colors: Sequence[str], *, x_title: str, bargap: float) -> go.Figure:
    """Index values as grouped horizontal bars: one row per entry of `frame`'s first column (the first on top), one
    bar per other column in `colors`, each value written beside its bar (the axis runs to 6 to leave room for
    5,00)."""
    fig = go.Figure()
    rows = frame.iloc[:, 0]
    for color, series in zip(colors, list(frame.columns[1:]), strict=False):
        values = [format_number(v) for v in frame[series]]
        fig.add_trace(
            go.Bar(
                y=rows,
                x=frame[series],
                orientation="h",
                name=series,
                marker_color=color,
                text=values,
                textposition="outside",
                cliponaxis=False,
                constraintext="none",
                customdata=[f"{figure_text(str(row))} · {series}: {v}" for row, v in zip(rows, values, strict=True)],
                hovertemplate="%{customdata}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", bargap=bargap, legend_traceorder="normal")
    fig.update_xaxes(title=x_title, range=[0, 6], tickvals=[0, 1, 2, 3, 4, 5])
    fig.update_yaxes(title=None, autorange="reversed", showgrid=False)
    return fig


NOT_EVALUATED_COLOR = "#bdbdbd"


def cohort_breakdown_figure(counts: pd.DataFrame) -> go.Figure:
    """Instansi per host city stacked by cohort (predikat), each segment and city total labelled.

    `counts` has one row per city and one column per cohort (predikat, then Belum dievaluasi).
    """
    fig = go.Figure()
    for cohort in counts.columns:
        values = counts[cohort]
        fig.add_trace(
            go.Bar(
                x=list(counts.index),
                y=values,
                name=cohort,
                marker_color=PREDIKAT_COLORS.get(cohort, NOT_EVALUATED_COLOR),
                text=[format_count(v) if v else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,  # upright or hidden: plotly would turn a count to fit a thin column ("8" as "∞")
                hovertemplate=f"%{{x}} · {cohort}: %{{y}} instansi<extra></extra>",
            )
        )
    totals = counts.sum(axis=1)
    fig.add_trace(
        go.Scatter(
            x=list(counts.index),
            y=totals,
            mode="text",
            text=[f"<b>{format_count(t)}</b>" for t in totals],
            textposition="top center",
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_yaxes(title="Jumlah instansi", range=[0, totals.max() * 1.12])
    fig.update_xaxes(title=None)
    return fig


def module_needs_figure(needs: pd.DataFrame, *, column: str = "modul") -> go.Figure:
    """Mean level per city/cohort (rows) and module or component (columns); the weakest cell of each
    row is starred in its label, so the mark does not depend on colour."""
    needs = needs.assign(baris=needs["kota_penyelenggara"] + " · " + needs["kohort"])
    marks = zip(needs["rata_rata"], needs["terlemah"], strict=True)
    labels = needs.assign(label=[format_number(v) + (" ★" if weakest else "") for v, weakest in marks])
    fig = group_heatmap_figure(needs, row="baris", column=column)
    text = labels.pivot_table(index="baris", columns=column, values="label", aggfunc="first", sort=False)
    fig.data[0].text = text.reindex(index=list(fig.data[0].y), columns=list(fig.data[0].x)).fillna("").to_numpy()
    fig.update_layout(height=max(420, 28 * needs["baris"].nunique() + 160))
    return fig


def gap_figure(index: float, target: float, bands: Bands) -> go.Figure:
    """A bullet: the index of the year on the 1-5 scale, the target as a line, the predikat bands behind."""
    steps = [
        {"range": [low, high], "color": PREDIKAT_COLORS[name] + "40"}
        for low, high, name in zip(bands.edges[:-1], bands.edges[1:], bands.names, strict=True)
    ]
    fig = go.Figure(
        go.Indicator(
            # No delta beside the number: plotly squeezes the two together, and the subtitle says the gap in words.
            mode="number+gauge",
            value=index,
            number={"valueformat": ".2f"},
            gauge={
                "shape": "bullet",
                "axis": {"range": [1, 5], "dtick": 0.5},
                "steps": steps,
                "bar": {"color": INDEX_COLOR, "thickness": 0.4},
                "threshold": {"value": target, "line": {"color": TARGET_COLOR, "width": 4}, "thickness": 0.9},
            },
            domain={"x": [0.1, 1], "y": [0.35, 0.75]},
            title={"text": "Indeks", "font": {"size": 16}},
        )
    )
    fig.add_annotation(
        x=(target - 1) / 4 * 0.9 + 0.1,
        y=0.8,
        xref="paper",
        yref="paper",
        showarrow=False,
        text=f"Target {format_number(target, trim_zeros=True)}",
        font={"color": TARGET_COLOR},
    )
    return fig


def _baik_line(fig: go.Figure, bands: Bands) -> None:
    """The Baik threshold as a dashed line, named "Baik 2,6" among the y tick labels (outside the plot, where no
    data label can sit on it)."""
    fig.add_hline(y=bands.baik_min, line={"color": TARGET_COLOR, "dash": "dash"})
    ticks = [tick for tick in range(1, 6) if abs(tick - bands.baik_min) > 0.3]
    fig.update_yaxes(
        tickmode="array",
        tickvals=[*ticks, bands.baik_min],
        ticktext=[*map(str, ticks), f"{BAIK} {format_number(bands.baik_min, trim_zeros=True)}"],
    )


def national_domain_figure(domains: pd.DataFrame, bands: Bands) -> go.Figure:
    """National index of each domain (columns domain, indeks), with the Baik edge drawn."""
    fig = go.Figure(
        go.Bar(
            x=domains["domain"],
            y=domains["indeks"],
            marker_color=INDEX_COLOR,
            name="Indeks domain",
            text=[format_number(v) for v in domains["indeks"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    _baik_line(fig, bands)
    fig.update_yaxes(title="Indeks (1–5)", range=[0, 5])
    fig.update_layout(showlegend=False)
    return fig
