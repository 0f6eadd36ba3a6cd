"""Figure builders: pure functions (data, options) -> plotly Figure, shared by pages and export.

Every figure is built on SPBE_TEMPLATE, set explicitly: importing streamlit replaces plotly's
default template with one whose colours only a browser fills in, and a figure relying on the
default would export with black traces (TECH_NOTES, Kaleido).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from spbe.formatting import format_number

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
PROVENANCE_LABELS = {"resmi": "Data resmi", "impor": "Data impor", "simulasi": "SIMULASI – bukan data resmi"}

SPBE_TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT_FAMILY, "size": 14, "color": "#1f2937"},
        title={"x": 0, "xanchor": "left", "font": {"size": 20}},
        paper_bgcolor="white",
        plot_bgcolor="white",
        separators=",.",  # Indonesian: decimal comma, dot for thousands, in ticks and hovers
        colorway=[INDEX_COLOR, TARGET_COLOR, MUTED_COLOR],
        xaxis={"showgrid": False, "linecolor": "#9ca3af", "ticks": "outside"},
        yaxis={"gridcolor": "#e5e7eb", "zeroline": False},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
        margin={"l": 60, "r": 30, "t": 90, "b": 90},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
)


@dataclass(frozen=True)
class FigureMeta:
    """What every figure says about itself: title, subtitle and where its numbers come from."""

    title: str
    source: str
    provenance: str = "resmi"  # resmi | impor | simulasi | campuran
    subtitle: str = ""


def finish(fig: go.Figure, meta: FigureMeta, *, made_on: date | None = None) -> go.Figure:
    """Apply the template, title, source footer and (for simulated data) the SIMULASI mark."""
    made_on = made_on or date.today()
    title = meta.title + (f"<br><sup>{meta.subtitle}</sup>" if meta.subtitle else "")
    fig.update_layout(template=SPBE_TEMPLATE, title={"text": title})
    footer = f"Sumber: {meta.source} · Diolah: Dasbor SPBE, {made_on.strftime('%d-%m-%Y')}"
    fig.add_annotation(
        text=footer, xref="paper", yref="paper", x=0, y=-0.2, xanchor="left", yanchor="top",
        showarrow=False, align="left", font={"size": 11, "color": MUTED_COLOR},
    )  # fmt: skip
    if meta.provenance == "simulasi":
        fig.add_annotation(
            text=PROVENANCE_LABELS["simulasi"], xref="paper", yref="paper", x=1, y=1.12,
            xanchor="right", showarrow=False, font={"size": 13, "color": TARGET_COLOR},
            bordercolor=TARGET_COLOR, borderwidth=1, borderpad=4,
        )  # fmt: skip
    return fig


def national_index_figure(series: pd.DataFrame, highlight_year: int | None = None) -> go.Figure:
    """Indeks SPBE Nasional per year against its target; the gap of `highlight_year` is drawn.

    `series` has columns year, national_index, target_index (one row per year).
    """
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=series["year"], y=series["target_index"], name="Target", mode="lines",
            line={"color": TARGET_COLOR, "dash": "dash", "shape": "hv"},
            hovertemplate="Target %{x}: %{y:.2f}<extra></extra>",
        )
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=series["year"], y=series["national_index"], name="Indeks SPBE Nasional",
            mode="lines+markers+text", line={"color": INDEX_COLOR, "width": 3}, marker={"size": 9},
            text=[format_number(v) for v in series["national_index"]], textposition="top center",
            hovertemplate="Indeks %{x}: %{y:.2f}<extra></extra>",
        )
    )  # fmt: skip
    if highlight_year is not None and highlight_year in set(series["year"]):
        row = series.loc[series["year"] == highlight_year].iloc[0]
        gap = row["target_index"] - row["national_index"]
        fig.add_shape(
            type="line", x0=highlight_year, x1=highlight_year, y0=row["national_index"], y1=row["target_index"],
            line={"color": MUTED_COLOR, "width": 2, "dash": "dot"},
        )  # fmt: skip
        label = f"selisih {format_number(abs(gap))}" + (" di bawah target" if gap > 0 else " di atas target")
        fig.add_annotation(
            x=highlight_year, y=(row["national_index"] + row["target_index"]) / 2, text=label,
            xanchor="left", xshift=8, showarrow=False, font={"color": MUTED_COLOR},
        )  # fmt: skip
    fig.update_yaxes(title="Indeks (1–5)", range=[1, 4])
    fig.update_xaxes(dtick=1, title=None)
    return fig
