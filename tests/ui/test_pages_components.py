"""The pages on the components of each year's framework: a 2026 import (PermenPANRB 8/2026, 7 aspects and 20
indicators, no domains, secondary sources) and a 2025 import (the four domains of PermenPANRB 59/2020) run on
Domain & Indikator, Sebaran, Profil and Asistensi; a 2026 page says "aspek", never "domain" (the page title
"Domain & Indikator" aside), and says its framework's tables are from secondary sources."""

import pytest
from streamlit.testing.v1 import AppTest

from spbe.settings import DATA, ROOT
from tests.frameworks import ASPECTS_2026
from tests.helpers import chart_figures
from tests.present.test_instrument_break import data_with_2025_and_2026

PAGE_TITLE = "Domain & Indikator"  # the product owner's name for the page, whatever the year's components
CAVEAT = "PermenPANRB 8/2026 bersumber sekunder; periksa dengan salinan resmi."
PAGES = [
    ("domain", {}),
    ("sebaran", {}),
    ("profil", {"instansi": "Kota Surabaya"}),
    ("asistensi", {}),
]
FIGURE_TEXTS = ("text", "name", "ticktext", "hovertemplate", "x", "y")  # where a figure holds words a reader sees


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A private data folder with the 2025 and 2026 files committed, the pages pointed at it."""
    data_dir = data_with_2025_and_2026(tmp_path_factory.mktemp("seiring") / "data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA.environment, str(data_dir))
        yield data_dir


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def figure_words(value, key: str = "") -> list[str]:
    """The texts of a figure a reader sees: titles, labels, names, ticks, hovers (not its settings)."""
    if isinstance(value, dict):
        return [word for name, item in value.items() for word in figure_words(item, name)]
    if isinstance(value, list):
        return [word for item in value for word in figure_words(item, key)]
    return [value] if isinstance(value, str) and key in FIGURE_TEXTS else []


def page_words(at: AppTest) -> str:
    """Every text of the page: headings, paragraphs, notes, metrics, widget labels, table headers, charts."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "error")
    texts = [str(element.value) for kind in kinds for element in getattr(at, kind)]
    texts += [f"{metric.label} {metric.value}" for metric in at.metric]
    texts += [widget.label for kind in ("selectbox", "multiselect", "number_input") for widget in getattr(at, kind)]
    texts += [str(column) for frame in at.dataframe for column in frame.value.columns]
    texts += [word for figure in chart_figures(at) for word in figure_words(figure)]
    return "\n".join(texts)


@pytest.mark.parametrize(("page", "query"), PAGES, ids=[page for page, _ in PAGES])
def test_a_2026_page_runs_on_the_aspects_and_says_its_framework_is_from_secondary_sources(data_dir, page, query):
    at = open_page(page, tahun="2026", **query)
    assert not at.exception, at.exception
    words = page_words(at)
    assert "aspek" in words.lower()
    assert "domain" not in words.replace(PAGE_TITLE, "").lower()
    # The profile's history also reaches 2018 (PermenPANRB 5/2018, secondary too): one sentence names both
    caveat = next(caption.value for caption in at.caption if "bersumber sekunder" in caption.value)
    assert "PermenPANRB 8/2026" in caveat and caveat.endswith(CAVEAT)


@pytest.mark.parametrize(("page", "query"), PAGES, ids=[page for page, _ in PAGES])
def test_a_2025_page_runs_on_the_domains_with_no_caveat_of_its_official_framework(data_dir, page, query):
    at = open_page(page, tahun="2025", **query)
    assert not at.exception, at.exception
    if page != "profil":  # the profile's history reaches the 2018 simulation and 2026, both from secondary sources
        assert "bersumber sekunder" not in page_words(at)


def test_the_2026_domain_page_shows_aspects_by_group_then_20_indicators_and_the_weakest(data_dir):
    at = open_page("domain", tahun="2026")
    assert "Evaluasi 2026 memakai PermenPANRB 8/2026: indeks disusun dari 7 aspek dan 20 indikator." in [
        caption.value for caption in at.caption
    ]
    aspects, indicators, weakest = chart_figures(at)  # no second aspect chart: the components are the aspects
    assert len(aspects["data"][0]["y"]) == 7  # as rows, as the aspects of years with domains
    assert len(indicators["data"][0]["y"]) == 20
    assert len(weakest["data"][0]["y"]) == 10 and all(" · Aspek " in text for text in weakest["data"][0]["text"])


def test_the_2026_sebaran_table_names_the_aspects(data_dir):
    at = open_page("sebaran", tahun="2026")
    columns = list(at.dataframe[0].value.columns)
    assert columns[columns.index("Predikat") + 1 : columns.index("Predikat") + 8] == ASPECTS_2026


def test_the_2026_profile_shows_two_instruments_and_the_path_over_20_weighted_indicators(data_dir):
    at = open_page("profil", instansi="Kota Surabaya", tahun="2026")
    metrics = {metric.label: metric.value for metric in at.metric}
    assert (metrics["Indeks Pemerintah Digital 2026"], metrics["Predikat"]) == ("2,50", "Baik")
    words = page_words(at)
    assert "Indeks SPBE (2018–2025) dan Indeks Pemerintah Digital (2026) diukur dengan instrumen yang berbeda" in words
    # To Sangat Baik (3,5) from 2,50: +1,00 in the fewest level-ups, heaviest first: indicator 20 (15) 3 -> 5 gives
    # 0,30, indicator 19 (10) 3 -> 5 gives 0,20, then the weight-5 indicators (0,05 each) from the lowest level
    path = next(m.value for m in at.markdown if "Untuk mencapai **Sangat Baik**" in m.value)
    assert (
        "(indeks 3,5)" in path and "Tingkat Kepuasan Pengguna Layanan Digital Pemerintah (I20): tingkat 3 → 5" in path
    )


def test_the_2026_asistensi_plans_by_aspect_without_modules(data_dir):
    at = open_asistensi_2026 = open_page("asistensi", tahun="2026")
    assert "Kebutuhan per aspek" in [header.value for header in open_asistensi_2026.header]
    assert "PermenPANRB 8/2026 tidak memiliki modul asistensi: kebutuhan ditampilkan per aspek." in [
        caption.value for caption in at.caption
    ]
