"""Words that agree: one predikat per instansi-year on the Profil page, one wording of the gap to
the target, sources that name only what a chart uses, press-kit captions that do not contradict
each other (issue #13, items 9 and 11)."""

import re

import pytest

from spbe.cli import main
from spbe.data.store import Store
from spbe.present import charts, overview
from spbe.present.figures import ABOVE, gap_words
from spbe.present.presskit import captions, kit_charts
from spbe.settings import ROOT
from tests.frameworks import F2020
from tests.ui.test_pages import metrics, open_page, text_of

# Profil at the band edges


@pytest.mark.parametrize(
    ("name", "printed", "official", "goal", "unrounded"),
    [
        ("Kabupaten Luwu", "2,60", "Cukup", "**Baik** (indeks 2,6)", "2,5968"),
        ("Kabupaten Pacitan", "3,50", "Baik", "**Sangat Baik** (indeks 3,5)", "3,4986"),
        ("Kabupaten Nias Barat", "1,80", "Kurang", "**Cukup** (indeks 1,8)", "1,7985"),
    ],
)
def test_profile_on_a_band_edge_keeps_the_official_predikat_and_aims_at_the_band_above_it(
    name, printed, official, goal, unrounded
):
    at = open_page("profil", instansi=name, tahun="2024")
    assert not at.exception
    shown = metrics(at)
    assert (shown["Indeks SPBE 2024"], shown["Predikat"]) == (printed, official)
    text = text_of(at)
    assert f"Untuk mencapai {goal}" in text
    assert f"predikat **{official}** ditetapkan dari indeks sebelum pembulatan ({unrounded} bila dihitung ulang" in text
    target = goal.split("**")[1]
    others = [p for p in F2020.bands.names if p not in (official, target)]
    assert not [p for p in others if f"**{p}**" in text]  # no sentence names another band
    assert "+0,00" not in text  # every increase shown is enough to reach the edge


def test_profile_counts_only_official_years_as_evaluated():
    at = open_page("profil", instansi="Kementerian Keuangan")
    (evaluated,) = [m for m in at.metric if m.label.startswith("Tahun dievaluasi")]
    assert (evaluated.label, evaluated.value) == ("Tahun dievaluasi (resmi)", "2")  # 2023 and 2024
    assert "2018 (SIMULASI" in evaluated.proto.help


# One wording of the gap to the target, everywhere

GAPS = [(2024, "0,27 poin di atas target 2,85"), (2018, "0,62 poin di bawah target 2,6")]


@pytest.mark.parametrize(("index", "target", "words"), [(3.12, 2.85, GAPS[0][1]), (1.98, 2.6, GAPS[1][1])])
def test_the_gap_is_worded_in_points_above_or_below_the_named_target(index, target, words):
    assert gap_words(index, target) == words


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


@pytest.mark.parametrize(("year", "words"), GAPS)
def test_summary_overview_charts_and_press_text_word_the_gap_alike(store, capsys, year, words):
    assert main(["summary", "--year", str(year)]) == 0
    printed = capsys.readouterr().out
    assert f"Selisih terhadap target : {words}\n" in printed
    gap_kpi = next(kpi for kpi in overview.kpis(store, year) if kpi.label == "Selisih terhadap target")
    assert (gap_kpi.value, gap_kpi.note) == (words.split(" ")[0], words)
    national, gap = charts.national_chart(store, year), charts.gap_chart(store, year)
    assert words in [a.text for a in national.fig.layout.annotations]
    assert words in national.caption and words == gap.meta.subtitle and words in gap.caption
    assert words in charts.lead_paragraph(store, year)
    said = "\n".join([printed, national.caption, gap.caption, charts.lead_paragraph(store, year)])
    assert "-0," not in said and "selisih 0," not in said.lower()  # no bare sign, no second wording


# Each chart cites only what it uses

PRESS_RELEASE_2019 = ("11 Jul 2019", "siaran pers KemenPANRB", "press_release_2019", "Bersiap Laksanakan Asistensi")


def cites_press_release(text: str) -> bool:
    return any(marker.lower() in text.lower() for marker in PRESS_RELEASE_2019)


def everything_said(chart) -> str:
    """The source line, the footer drawn in the image, the caption and the CSV of one chart."""
    drawn = [a.text for a in chart.fig.layout.annotations if a.text]
    return "\n".join([chart.meta.source, chart.caption, *drawn, chart.table.to_csv(index=False)])


def test_no_2024_chart_nor_the_2024_kit_cites_the_2019_press_release(store):
    kit = kit_charts(store, 2024)
    assert [chart.slug for chart in kit if cites_press_release(everything_said(chart))] == []
    assert not cites_press_release(captions(store, 2024, kit))


def test_a_2018_chart_that_quotes_the_press_release_cites_it(store):
    predikat = charts.predikat_chart(store, 2018)
    assert "81%" in predikat.caption  # the press release's figure
    assert "(11 Jul 2019)" in predikat.meta.source and "(11 Jul 2019)" in everything_said(predikat)
    assert "(11 Jul 2019)" in captions(store, 2018, kit_charts(store, 2018))
    assert not cites_press_release(charts.domain_chart(store, 2018).meta.source)  # Tabel 4 only


def test_sources_follow_the_rows_each_chart_uses(store):
    national = store.national_series().set_index("tahun")
    assert charts.gap_chart(store, 2024).meta.source == (
        "KemenPANRB, Laporan Pelaksanaan Evaluasi SPBE 2024 (Tabel 4); "
        "target 2024: KemenPANRB, Laporan Pelaksanaan Evaluasi SPBE 2024"
    )
    # 2023 domain indices are those of the 2023 report (the 2024 report revises them)
    assert charts.domain_chart(store, 2023).meta.source == national.at[2023, "sumber_domain"]
    assert "Tahun 2023" in national.at[2023, "sumber_domain"]
    published = charts.baik_share_chart(store, 2018).meta.source
    assert "angka terbitan: Okezone, 28 Mar 2019" in published and "Tempo" not in published  # no Tempo row is drawn
    assert "target: Laporan Pelaksanaan Evaluasi SPBE 2024" in charts.baik_share_chart(store, 2024).meta.source


# Press-kit captions that do not contradict each other

EXTREMES = re.compile(r"tertinggi di (.+?) \(([\d,]+)\) dan terendah di (.+?) \(([\d,]+)\)")


@pytest.mark.parametrize(
    ("year", "extremes"),
    [
        (2024, ("Daerah Khusus Ibukota Jakarta", "4,46", "Papua Pegunungan", "1,62")),
        (2023, ("Daerah Khusus Ibukota Jakarta", "4,21", "Papua Pegunungan", "1,41")),
    ],
)
def test_both_map_captions_name_the_same_highest_and_lowest_province(store, year, extremes):
    notes = captions(store, year, kit_charts(store, year, [f"peta_provinsi_{year}", f"peta_petak_{year}"]))
    assert [match.groups() for match in EXTREMES.finditer(notes)] == [extremes, extremes]
    assert "di antara 38 provinsi" in notes and "digabung ke Papua" in notes  # the grouping is said aloud


def test_the_gap_label_sits_in_the_band_above_the_plot_to_be_read_whole(store):
    """'0,27 poin di atas target 2,85' sits above the plot over 2024 (a right margin cannot hold it on a phone)."""
    label = [a for a in charts.national_chart(store, 2024).fig.layout.annotations if a.name == ABOVE][0]
    assert (label.text, label.x, label.yref, label.y, label.yanchor) == (
        "0,27 poin di atas target 2,85",
        2024,
        "paper",
        1,
        "bottom",
    )
