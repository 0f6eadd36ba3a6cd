"""The national series across the change of instrument (issue #17, items 3 and 5): 2018-2025 on the Indeks SPBE,
2026 on the Indeks Pemerintah Digital, each against its own targets (RPJMN 2025-2029: 3,00 for 2025, 2,00 for
2029 on the new scale), never joined, never compared.

The 2026 rows below are test values on the PermenPANRB 8/2026 aspects, not published figures (none are); the
2025 rows are the news figures of tests/present/test_imported_years.py.
"""

import math
import shutil
from decimal import Decimal

import pytest

from spbe.data.store import Store
from spbe.data.versions import VersionStore
from spbe.present import charts, overview
from spbe.present.export import PRESETS, Preset, render_many
from spbe.present.figures import BREAK_LABEL, MEAN_LABEL, NOTE
from spbe.present.presskit import captions, kit_charts
from spbe.settings import DATA, ROOT
from tests.frameworks import FRAMEWORKS
from tests.helpers import chart_figures
from tests.present.test_imported_years import RESULTS_2025, commit, copy_of_data, open_page
from tests.present.test_layout import MIN_SLIDE_TEXT_PX, measure

PEMDI = FRAMEWORKS.for_year(2026)
ASPECTS = list(PEMDI.components["name"])
# Every aspect at the index, so the index is the weighted mean of its aspects whatever their weights; Banyuwangi
# sits exactly on 2,50, Baik on the Pemdi bands (Cukup on the SPBE bands).
INDICES_2026 = [("Kementerian Keuangan", "3,10", "Baik"), ("Kota Surabaya", "2,40", "Cukup")]
INDICES_2026.append(("Kabupaten Banyuwangi", "2,50", "Baik"))
RESULTS_2026 = "tahun,instansi," + ",".join(ASPECTS) + ",indeks,predikat\n"
for name, index, predikat in INDICES_2026:
    quoted = f'"{index}"'  # a decimal comma inside a CSV cell
    RESULTS_2026 += f"2026,{name},{','.join([quoted] * len(ASPECTS))},{quoted},{predikat}\n"
MEAN_2026 = (3.10 + 2.40 + 2.50) / 3  # 2,67: the mean of three test rows, not a national index
# A 2026 national index as an admin would enter it later: a test value, on the Indeks Pemerintah Digital
OFFICIAL_2026 = '2026,permenpanrb-8-2026,2.40,,,,,,,,,"Uji: angka uji, bukan angka terbitan",Uji: angka uji,,\n'


@pytest.fixture(scope="module")
def data_break(tmp_path_factory):
    """A private data folder with 2024 (committed), 2025 and 2026 (imported), the dashboard pointed at it."""
    data_dir = copy_of_data(tmp_path_factory.mktemp("tahun2026") / "data")
    commit(data_dir, RESULTS_2025, "hasil_2025.csv", 2025)
    commit(data_dir, RESULTS_2026, "hasil_2026.csv", 2026)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA.environment, str(data_dir))
        yield data_dir


@pytest.fixture(scope="module")
def store_break(data_break):
    return Store(data_break)


@pytest.fixture(scope="module")
def store_official_2026(data_break, tmp_path_factory):
    """The same data with a national index of 2026 in the series (a test value, as if entered)."""
    data_dir = tmp_path_factory.mktemp("resmi2026") / "data"
    shutil.copytree(data_break, data_dir)
    with (data_dir / "reference" / "national_series.csv").open("a", encoding="utf-8") as series:
        series.write(OFFICIAL_2026)
    return Store(data_dir)


def points(trace) -> set[int]:
    """The years a trace draws a point in."""
    return {int(x) for x, y in zip(trace.x, trace.y, strict=True) if not math.isnan(y)}


def test_each_year_has_the_target_published_for_it_on_its_own_scale():
    store = Store(ROOT / "data")
    targets = store.targets().set_index("tahun")
    spbe, pemdi = store.framework(2024).index_scale, store.framework(2026).index_scale
    assert targets.loc[[2018, 2023, 2024, 2025, 2029], "target"].tolist() == [2.6, 2.6, 2.85, 3.0, 2.0]
    assert targets.loc[[2024, 2025], "skala_indeks"].tolist() == [spbe, spbe]
    assert targets.at[2029, "skala_indeks"] == pemdi != spbe
    assert not {2026, 2027, 2028} & set(targets.index)  # none is published: none is drawn or invented
    assert "Perpres 12/2025" in targets.at[2025, "sumber_target"]
    assert "catatan b" in targets.at[2029, "sumber_target"]
    assert (store.target(2024), store.target(2025), store.target(2026), store.target(2029)) == (2.85, 3.0, None, 2.0)


def test_the_national_chart_draws_the_two_instruments_apart(store_break):
    chart = charts.national_chart(store_break, 2026)
    drawn = [(trace.name, points(trace)) for trace in chart.fig.data]
    spbe_years = set(range(2018, 2026))
    # No trace joins 2025 to 2026, nor any year of one scale to a year of the other
    assert [name for name, years in drawn if years & spbe_years and 2026 in years] == []
    assert ("Target", spbe_years) in drawn  # 3,00 in 2025, no target in 2026
    assert (MEAN_LABEL, {2025}) in drawn and (MEAN_LABEL, {2026}) in drawn
    target = next(trace for trace in chart.fig.data if trace.name == "Target")
    assert list(target.y)[-1] == 3.0
    marker = [note for note in chart.fig.layout.annotations if note.text == BREAK_LABEL]
    assert len(marker) == 1 and marker[0].x == 2025.5
    assert [shape.x0 for shape in chart.fig.layout.shapes if shape.line.dash == "dot"] == [2025.5]
    (footnote,) = [note.text.replace("<br>", " ") for note in chart.fig.layout.annotations if note.name == NOTE]
    assert "2018–2025 Indeks SPBE, 2026 Indeks Pemerintah Digital: skala yang tidak sebanding" in footnote
    assert "2 untuk 2029 (Indeks Pemerintah Digital)" in footnote  # the axis ends in 2026: said, not drawn
    assert "catatan b" in chart.meta.source and "bersumber sekunder" in chart.meta.source
    assert chart.table.set_index("tahun").at[2026, "skala"] == store_break.framework(2026).index_scale
    assert "Indeks Pemerintah Digital Nasional 2026 belum dipublikasikan" in chart.caption
    assert "tidak sebanding" in chart.caption and "3,12" not in chart.caption


def test_2026_kpis_never_subtract_an_spbe_value(store_break, store_official_2026):
    assert store_break.summary(2026).national_index_mean == pytest.approx(MEAN_2026)
    cards = {kpi.label: kpi for kpi in overview.kpis(store_break, 2026)}
    mean = cards[MEAN_LABEL]
    assert (mean.value, mean.note) == (
        "2,67",
        "Indeks Pemerintah Digital Nasional 2026 belum dipublikasikan; data impor",
    )
    target = cards["Target"]
    assert (target.value, target.note) == ("–", "tidak ada target 2026; target 2029: 2 (Indeks Pemerintah Digital)")
    below = cards["Di bawah predikat Baik"]
    assert below.value == "33%" and below.help.endswith("di bawah 2,5.")  # Baik from 2,5: Banyuwangi's 2,50 is Baik
    assert not any(kpi.delta for kpi in cards.values())
    official = {kpi.label: kpi for kpi in overview.kpis(store_official_2026, 2026)}
    index = official["Indeks Pemerintah Digital Nasional"]
    assert (index.value, index.delta) == ("2,40", "")  # never "-0,72 dibanding 2024"
    for store in (store_break, store_official_2026):
        progress = overview.progress(store, 2026)
        assert (progress.since_first, progress.since_previous, progress.last_official) == (None, None, None)
        words = overview.progress_words(progress)
        assert "bukan lagi Indeks SPBE; kedua skala tidak sebanding" in words and "3,12" not in words
    assert overview.progress(store_official_2026, 2024).since_first.change == Decimal("1.14")  # SPBE still
    assert overview.progress(store_official_2026, 2024).replaced is None


def test_the_2025_target_is_three_on_the_spbe_scale_and_the_mean_is_said_against_it(store_break):
    cards = {kpi.label: kpi for kpi in overview.kpis(store_break, 2025)}
    assert (cards["Target"].value, cards["Target"].note) == ("3", "target Indeks SPBE")
    assert "Perpres 12/2025" in cards["Target"].help
    assert cards["Selisih terhadap target"].note == "rata-rata instansi (dihitung ulang) 1,30 poin di atas target 3"


def test_press_kit_captions_say_the_scales_are_not_comparable(store_break):
    text = captions(store_break, 2026, kit_charts(store_break, 2026, ["indeks_nasional"]))
    assert text.startswith("# Indeks Pemerintah Digital 2026: bahan siaran pers")
    assert "Indeks Pemerintah Digital Nasional 2026 belum dipublikasikan" in text
    assert "Sejak 2026 evaluasi memakai Indeks Pemerintah Digital, bukan lagi Indeks SPBE" in text
    assert "Indeks SPBE Nasional 2026" not in text
    spanning = captions(store_break, 2024, kit_charts(store_break, 2024, ["indeks_nasional"]))
    assert "Indeks SPBE 2018–2025 dan Indeks Pemerintah Digital 2026: skalanya tidak sebanding" in spanning


def test_a_year_with_an_entered_national_index_has_a_whole_press_kit_without_national_components(data_break, tmp_path):
    """A national index entered later (spbe national-index) brings no national domain or aspect indices: the kit
    leaves that chart out rather than drawing missing bars or failing on an aspect year; 2024 keeps its domains."""
    data_dir = tmp_path / "data"
    shutil.copytree(data_break, data_dir)
    versions = VersionStore(data_dir)
    versions.enter_national_index(2025, "3,21", "Uji: angka contoh", "uji")
    versions.enter_national_index(2026, "2,45", "Uji: angka contoh", "uji")
    store = Store(data_dir)
    for year in (2025, 2026):
        assert store.summary(year).national_index_official is not None
        slugs = [chart.slug for chart in kit_charts(store, year)]
        assert f"indeks_nasional_{year}" in slugs and not any(slug.startswith("indeks_domain") for slug in slugs)
    assert "indeks_domain_2024" in [chart.slug for chart in kit_charts(store, 2024)]


def test_the_overview_page_of_2026(data_break):
    at = open_page("ringkasan", tahun="2026")
    assert not at.exception
    metrics = {m.label: m for m in at.metric}
    assert metrics[MEAN_LABEL].value == "2,67" and not metrics[MEAN_LABEL].proto.delta
    assert "Indeks SPBE Nasional" not in metrics
    national = chart_figures(at)[0]
    drawn = [
        {x for x, y in zip(t["x"], t["y"], strict=True) if y is not None and not math.isnan(y)}
        for t in national["data"]
    ]
    assert [years for years in drawn if {2025, 2026} <= years] == []
    assert BREAK_LABEL in [a.get("text") for a in national["layout"]["annotations"]]


SCREEN = (360, 640, 880)  # the phone's layout and wider columns
CASES = [*PRESETS, *(f"layar{width}" for width in SCREEN)]


@pytest.mark.parametrize("case", CASES)
def test_the_national_chart_across_the_break_keeps_its_texts_apart(store_break, browser, headless_shell, case):
    built = [charts.national_chart(store_break, year) for year in (2024, 2025, 2026)]
    svgs = {}
    for chart in built:
        preset = PRESETS.get(case) or Preset(case, case, int(case[5:]), chart.fig.layout.height, 1)
        (svgs[chart.slug],) = render_many([(chart.fig, "svg")], preset)
    page = browser.new_page()
    try:
        problems = measure(page, svgs, MIN_SLIDE_TEXT_PX if case == "slide" else 0)
    finally:
        page.close()
    assert not problems, "\n".join(problems)
