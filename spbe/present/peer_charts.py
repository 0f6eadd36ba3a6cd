"""One instansi among its peers in a year, for the Profil page: its ranks in words, a strip of its kelompok with
it marked, and up to five instansi side by side.

Ranks come from spbe.model.ranks (competition ranking on the printed index, within the year only). Each chart is
a Chart as in spbe.present.charts: the finished figure, its rows with provenance and source, one caption.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from spbe.core.formatting import figure_text, format_count, format_number
from spbe.core.messages import quoted
from spbe.core.rounding import decimal_value
from spbe.data.store import Store
from spbe.model.predikat import Bands
from spbe.model.provenance import Provenance, provenance_of
from spbe.model.ranks import Rank, instansi_ranks, ranked
from spbe.present.charts import framework_caveat, year_meta
from spbe.present.figures import (
    ABOVE,
    INDEX_COLOR,
    MUTED_COLOR,
    PREDIKAT_COLORS,
    TEXT_SIZE,
    Chart,
    FigureMeta,
    cite,
    index_bars_figure,
    index_name,
    make_chart,
)

# Each kelompok as counted in a sentence ("peringkat 3 dari 34 kementerian"), lower case where it is a common noun;
# pemda as their governments. A kelompok not listed (a new one in an import) reads "instansi kelompok <name>".
KELOMPOK_NOUNS = {
    "Kementerian": "kementerian",
    "LPNK": "LPNK",
    "LNS": "LNS",
    "Provinsi": "pemerintah provinsi",
    "Kabupaten": "pemerintah kabupaten",
    "Kota": "pemerintah kota",
    "Sekretariat Jenderal Lembaga Negara": "sekretariat jenderal lembaga negara",
    "Alat Negara": "instansi alat negara",
    "Instansi Lainnya": "instansi lainnya",
    "Lembaga Penyiaran Publik": "lembaga penyiaran publik",
    "Sekretariat Kabinet": "instansi kelompok Sekretariat Kabinet",
    "Polda": "Polda",
    "Lembaga lainnya": "lembaga lainnya",
}
MAX_COMPARED = 4  # instansi beside the chosen one: five side by side still read on a phone
CHOSEN_COLOR = "#111827"
# The index, then each component (up to the seven aspects of 2026): Okabe-Ito, told apart without red-green
COMPARISON_COLORS = (INDEX_COLOR, "#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#F0E442", "#999999")


def kelompok_noun(kelompok: str) -> str:
    return KELOMPOK_NOUNS.get(kelompok, f"instansi kelompok {kelompok}")


def rank_words(rank: Rank, noun: str) -> str:
    """ "peringkat 3 dari 93 pemerintah kota", with ", sama dengan 2 instansi lain" when it shares its index."""
    return f"peringkat {format_count(rank.position)} dari {format_count(rank.of)} {noun}" + _tie_words(rank)


def _tie_words(rank: Rank) -> str:
    return f", sama dengan {format_count(rank.tied)} instansi lain" if rank.tied else ""


def _among(rank: Rank, noun: str) -> str:
    """The note under a rank metric, whose value already reads "3 dari 93": what it ranks among, and any tie."""
    return f"di antara {noun}{_tie_words(rank)}"


@dataclass(frozen=True)
class RankMetric:
    """One rank as a page shows it: a metric's label and value, and the sentence under it."""

    label: str
    value: str
    note: str


@dataclass(frozen=True)
class RankView:
    """An instansi's ranks in a year as a page shows them: two metrics, what they rank among, and whether the
    year is a simulation (whose ranks are no official ones: the page warns)."""

    metrics: list[RankMetric]
    scope: str
    simulated: bool


def rank_view(store: Store, year: int, instansi_id: str) -> RankView | None:
    """The national rank and the rank in the kelompok of an instansi in `year`, and what they rank among (said
    plainly for a simulated year: no official rank); None when it has no index that year."""
    ranks = instansi_ranks(store.results(year), instansi_id)
    if ranks is None:
        return None
    simulated = Provenance(store.years().set_index("tahun").at[year, "provenance"]).has_simulation
    mark = " (simulasi)" if simulated else ""
    metrics = [
        RankMetric(
            f"Peringkat nasional{mark}",
            f"{format_count(ranks.national.position)} dari {format_count(ranks.national.of)}",
            _among(ranks.national, "seluruh instansi"),
        ),
        RankMetric(
            f"Peringkat dalam kelompok{mark}",
            f"{format_count(ranks.group.position)} dari {format_count(ranks.group.of)}",
            _among(ranks.group, kelompok_noun(ranks.kelompok)),
        ),
    ]
    basis = (
        "indeks tercetak (dua desimal), dari yang tertinggi; indeks yang sama berbagi peringkat "
        "dan peringkat berikutnya dilewati"
    )
    if simulated:
        scope = (
            f"Peringkat di antara {format_count(ranks.national.of)} instansi dalam simulasi {year}: bukan peringkat "
            f"resmi, karena hasil per instansi {year} tidak pernah diterbitkan. Diurutkan menurut {basis}."
        )
    else:
        scope = (
            f"Peringkat di antara {format_count(ranks.national.of)} instansi yang dievaluasi pada {year} saja, "
            f"menurut {basis}."
        )
    return RankView(metrics, scope, simulated)


def _spread(count: int) -> list[float]:
    """Vertical offsets for `count` points of a strip, evenly scattered in [-0.35, 0.35] without a random draw
    (the golden-ratio sequence), so the same data always draws the same picture."""
    return [((number * 0.6180339887) % 1 - 0.5) * 0.7 for number in range(count)]


def peer_strip_figure(peers: pd.DataFrame, chosen: str, bands: Bands, index: str) -> go.Figure:
    """Every instansi of a kelompok as a point on the index axis (`peers`: instansi_id, nama, indeks_cetak,
    predikat, peringkat_kelompok, best first), coloured and named by predikat band, scattered up and down so
    that equal indices stay visible; the chosen instansi a large dark diamond, named above the plot with its
    index, on a line up from it; the median of the kelompok a dotted line; the band edges dashed lines."""
    own = peers.loc[peers["instansi_id"] == chosen].iloc[0]
    others = peers.loc[peers["instansi_id"] != chosen]
    median = float(peers["indeks_cetak"].median())
    fig = go.Figure(
        go.Scatter(
            x=others["indeks_cetak"],
            y=_spread(len(others)),
            mode="markers",
            marker={
                "size": 9,
                "color": [PREDIKAT_COLORS.get(p, MUTED_COLOR) for p in others["predikat"]],
                "opacity": 0.75,
                "line": {"width": 0.5, "color": "white"},
            },
            customdata=[
                f"{figure_text(nama)}: {format_number(v)} ({p}), peringkat {format_count(r)}"
                for nama, v, p, r in others[["nama", "indeks_cetak", "predikat", "peringkat_kelompok"]].itertuples(
                    index=False
                )
            ],
            hovertemplate="%{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[own["indeks_cetak"]],
            y=[0],
            mode="markers",
            marker={"size": 16, "symbol": "diamond", "color": CHOSEN_COLOR, "line": {"width": 2, "color": "white"}},
            customdata=[f"{figure_text(own['nama'])}: {format_number(own['indeks_cetak'])} ({own['predikat']})"],
            hovertemplate="%{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    line = {"type": "line", "xref": "x", "yref": "paper"}
    shapes = [
        {**line, "x0": edge, "x1": edge, "y0": 0, "y1": 1, "line": {"color": PREDIKAT_COLORS[name], "dash": "dash"}}
        for name, edge in zip(bands.names[1:], bands.lower_edges, strict=True)
    ]
    shapes += [
        {**line, "x0": median, "x1": median, "y0": 0, "y1": 1, "line": {"color": MUTED_COLOR, "dash": "dot"}},
        {
            **line,
            "x0": own["indeks_cetak"],
            "x1": own["indeks_cetak"],
            "y0": 0.5,  # from the diamond (the middle of the plot) up to its name above the plot
            "y1": 1,
            "line": {"color": CHOSEN_COLOR, "width": 1},
        },
    ]
    above = {"name": ABOVE, "xref": "x", "showarrow": False}
    notes = [
        {**above, "x": (low + high) / 2, "text": name, "font": {"size": TEXT_SIZE, "color": PREDIKAT_COLORS[name]}}
        for name, low, high in zip(bands.names, bands.edges[:-1], bands.edges[1:], strict=True)
    ]
    notes += [
        {
            **above,
            "x": own["indeks_cetak"],
            "text": f"<b>{figure_text(own['nama'])} {format_number(own['indeks_cetak'])}</b>",
            "font": {"size": TEXT_SIZE, "color": CHOSEN_COLOR},
        },
        {**above, "x": median, "text": f"median {format_number(median)}", "font": {"color": MUTED_COLOR}},
    ]
    fig.update_layout(shapes=shapes, annotations=notes, showlegend=False, margin={"l": 20})
    fig.update_xaxes(title=index, range=[bands.index_min, bands.index_max], dtick=0.5, zeroline=False)
    fig.update_yaxes(visible=False, range=[-0.5, 0.5])
    return fig


def _side_of(value: float, median: float) -> str:
    """Where a printed index lies against a median, on their decimal values (no float noise at a tie)."""
    difference = decimal_value(value) - decimal_value(median)
    return "di atas" if difference > 0 else "di bawah" if difference < 0 else "tepat pada"


def peer_strip_chart(store: Store, year: int, instansi_id: str, name: str) -> Chart | None:
    """The index of every instansi of the chosen one's kelompok in `year`, the chosen one marked and named, the
    band edges and the median drawn; None when it has no index that year. Its rows: every peer with its rank in
    the kelompok, provenance and source."""
    results = store.results(year)
    ranks = instansi_ranks(results, instansi_id)
    if ranks is None:
        return None
    framework = store.framework(year)
    index = index_name(framework.index_scale)
    peers = ranked(results.loc[results["kelompok"] == ranks.kelompok]).dropna(subset=["indeks_cetak"])
    noun = kelompok_noun(ranks.kelompok)
    median = float(peers["indeks_cetak"].median())
    own = peers.loc[peers["instansi_id"] == instansi_id, "indeks_cetak"].iloc[0]
    meta = year_meta(
        store,
        year,
        f"{name} di antara {format_count(len(peers))} {noun}, {year}",
        "satu titik per instansi; garis putus-putus: batas predikat; titik-titik: median",
    )
    caption = (
        f"{name} ({format_number(own)}) {_side_of(own, median)} median {format_count(len(peers))} {noun} "
        f"({format_number(median)}) pada {year}: {rank_words(ranks.group, noun)}."
        if len(peers) > 1
        else f"{name} ({format_number(own)}) satu-satunya {noun} yang dievaluasi pada {year}."
    )
    # the index as ranked and drawn (the simulation holds unrounded ones)
    table = peers.assign(indeks=peers["indeks_cetak"])[
        ["nama", "indeks", "predikat", "peringkat_kelompok", "provenance", "sumber"]
    ]
    figure = peer_strip_figure(peers, instansi_id, framework.bands, index)
    return make_chart(f"sebaran_kelompok_{instansi_id}_{year}", figure, meta, table, caption)


def comparison_figure(compared: pd.DataFrame, measures: list[str]) -> go.Figure:
    """The index and component indices of up to five instansi side by side: one row per instansi (`compared`:
    nama and one column per measure), a bar per measure, each bar's value written beside it. The instansi stand
    as rows, so their long names are wrapped at the left on a phone rather than squeezed into a legend."""
    return index_bars_figure(compared[["nama", *measures]], COMPARISON_COLORS, x_title="Indeks", bargap=0.2)


@dataclass(frozen=True)
class Comparison:
    """Instansi side by side in one year: the chart of those evaluated, and the names of those that were not."""

    chart: Chart | None  # None when none of them was evaluated that year
    not_evaluated: list[str]


def comparison(store: Store, year: int, names: list[str]) -> Comparison:
    """The index and component indices (the year's framework's domains, or aspects) of the instansi `names`
    (registry names, the chosen one first) in `year`, with their predikat and national rank; each row keeps its
    own provenance and source. Instansi without a result that year are named, not dropped silently."""
    framework = store.framework(year)
    index = index_name(framework.index_scale)
    components = dict(zip(store.component_columns(year), framework.components["name"], strict=True))
    results = ranked(store.results(year)).set_index("nama")
    shown = [name for name in names if name in results.index]
    missing = [name for name in names if name not in results.index]
    if not shown:
        return Comparison(None, missing)
    rows = results.loc[shown].reset_index()
    compared = rows.rename(columns={"indeks_cetak": index, **components})
    measures = [index, *components.values()]
    table = compared[["nama", "kelompok", *measures, "predikat", "peringkat_nasional", "provenance", "sumber"]]
    meta = FigureMeta(
        title=f"{index} dan indeks {framework.component_label} {year}: {format_count(len(shown))} instansi",
        subtitle=f"peringkat nasional di antara {format_count(len(results))} instansi di tabel data",
        source=cite([*rows["sumber"], framework_caveat(framework)]),
        provenance=provenance_of(rows["provenance"]),
    )
    best = compared.sort_values(index, ascending=False, kind="stable").iloc[0]
    caption = (
        f"{index} {year}: "
        + "; ".join(f"{nama} {format_number(v)}" for nama, v in compared[["nama", index]].itertuples(index=False))
        + (f". Tertinggi: {best['nama']}." if len(shown) > 1 else ".")
    )
    slug = f"perbandingan_{year}_{'_'.join(rows['instansi_id'].astype(str))}"
    return Comparison(make_chart(slug, comparison_figure(compared, measures), meta, table, caption), missing)


def link_choice_problems(asked: list[str], kept: list[str], known: set[str], chosen: str) -> str | None:
    """What a shared link asked to compare that the page left out (names it does not know, or more than
    MAX_COMPARED), in one Indonesian sentence; None when nothing was left out. The chosen instansi itself is
    shown anyway: asked for again, it is no problem."""
    asked = [name for name in asked if name != chosen]
    unknown = [name for name in asked if name not in known]
    extra = [name for name in asked if name in known and name not in kept]
    problems = []
    if unknown:  # typed into a link by anyone: each quoted and cut short, and only the first few
        named = ", ".join(quoted(name) for name in unknown[:MAX_COMPARED])
        more = f" dan {format_count(len(unknown) - MAX_COMPARED)} lainnya" if len(unknown) > MAX_COMPARED else ""
        problems.append(f"nama yang tidak dikenal diabaikan: {named}{more}")
    if extra:
        problems.append(
            f"paling banyak {format_count(MAX_COMPARED)} instansi pembanding, tidak ditampilkan: {', '.join(extra)}"
        )
    return f"Tautan perbandingan: {'; '.join(problems)}." if problems else None
