"""The charts of every page as the browser draws them, on a desk (1400 px) and on a phone (390 px): no text
outside its chart or cut by its plot area, no two texts on top of each other, no text on a line of the chart
(issue #16, items 2 and 8).

The measurement is the export layout test's own (tests/present/measure_texts.js), applied to plotly's drawing in
the page: each chart's texts (in all of plotly's layered SVGs) against the box of its first SVG, the canvas. Only
what is shown is measured: a closed popover or expander holds no chart. One browser context per width serves every
page; each page is grown to its full height first, so Streamlit draws every chart, and saved as a screenshot
(tests/artifacts/layout_<page>_<year>_<width>.png).
"""

from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.conftest import ARTIFACTS, PHONE, PHONE_USER_AGENT, RecordedPage

pytestmark = pytest.mark.browser

MEASURE = (Path(__file__).parent.parent / "present" / "measure_texts.js").read_text()

YEARS = (2018, 2024)  # 2018: simulated indicator data, SIMULASI marks; 2024: official domain indices


def of_year(path: str) -> dict[int, str]:
    """The page's address for each year, its year in ?tahun= (`path` ends in "?" or "&")."""
    return {year: f"{path}tahun={year}" for year in YEARS}


# (name, address by year, charts drawn by year): every page with charts; 2024 has no indicator data (no heatmaps).
# Perubahan compares two years: the simulated 2018 with 2023, and the official 2023 with 2024.
PAGES = [
    ("ringkasan", of_year("/?"), {2018: 3, 2024: 3}),
    ("sebaran", of_year("/sebaran?"), {2018: 1, 2024: 1}),
    ("perubahan", {2018: "/perubahan?dari=2018&ke=2023", 2024: "/perubahan?dari=2023&ke=2024"}, {2018: 6, 2024: 6}),
    ("domain", of_year("/domain?"), {2018: 4, 2024: 1}),
    ("kepekaan", of_year("/kepekaan?"), {2018: 2, 2024: 2}),
    ("profil", of_year(f"/profil?instansi={quote('Kota Surabaya')}&"), {2018: 3, 2024: 3}),
    ("asistensi", of_year("/asistensi?"), {2018: 2, 2024: 2}),
    ("peta", of_year("/peta?"), {2018: 2, 2024: 2}),
]
# A desk and a phone, each as it opens the dashboard (a phone says so in its User-Agent), by width. The pages are
# then laid out for their width at once; a desktop browser at a phone's width gets the same after one more run.
SCREENS = {
    1400: {"viewport": {"width": 1400, "height": 1000}},
    390: {"viewport": PHONE, "has_touch": True, "user_agent": PHONE_USER_AGENT},
}

# How many charts are shown and drawn at their full width (plotly draws again after a resize)
DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(plot => plot.checkVisibility())
    .filter(plot => plot._fullLayout && plot.querySelector('svg.main-svg')
        && Math.abs(plot._fullLayout.width - plot.getBoundingClientRect().width) <= 1).length"""
# Mark each shown chart as the measurement expects it: class "chart", data-name "page index: title"
TAG = """(page) => {
    if (document.querySelector('.chart')) throw new Error('the page itself uses class "chart"');
    const plots = [...document.querySelectorAll('.js-plotly-plot')].filter(plot => plot.checkVisibility());
    plots.forEach((plot, index) => {
        const title = (plot._fullLayout.title.text || '').split('<sup>')[0].replace(/<[^>]*>/g, ' ')
            .replace(/\\s+/g, ' ').trim();
        plot.classList.add('chart');
        plot.dataset.name = `${page} ${index + 1}: ${title.slice(0, 50)}`;
    });
    return plots.length;
}"""


@pytest.fixture(scope="module")
def screens(browser):
    """One page per width for the whole module, created on first use."""
    opened: dict[int, RecordedPage] = {}

    def screen(width: int) -> RecordedPage:
        if width not in opened:
            context = browser.new_context(**SCREENS[width], locale="id-ID")
            opened[width] = RecordedPage(context.new_page())
        return opened[width]

    yield screen
    for recorded in opened.values():
        recorded.page.context.close()


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize(("name", "paths", "counts"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("width", SCREENS)
def test_every_chart_on_the_page_keeps_its_texts_apart_and_inside(
    server_url, screens, width, name, paths, counts, year
):
    count = counts[year]
    screen = screens(width)
    screen.page.set_viewport_size(SCREENS[width]["viewport"])  # the previous page grew it to its own height
    screen.outside_requests.clear()
    screen.open(f"{server_url}{paths[year]}")
    screen.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    screen.show_everything()
    screen.page.wait_for_function(f"() => ({DRAWN})() >= {count}", timeout=30_000)
    assert screen.page.locator("[data-testid=stException]").count() == 0
    assert screen.page.evaluate(TAG, f"{name} {year} {width}px") == count
    problems = screen.page.evaluate(MEASURE, 0)
    ARTIFACTS.mkdir(exist_ok=True)  # the page as measured, already grown to its full height
    screen.page.screenshot(path=ARTIFACTS / f"layout_{name}_{year}_{width}.png", full_page=True)
    assert not problems, "\n".join(problems)
    assert screen.outside_requests == []


def test_the_measure_sees_a_label_cut_by_the_plot_area(browser):
    """A text inside the canvas but beyond the clip path of its plot area (as plotly clips bar labels) is cut."""
    page = browser.new_page()
    page.set_content(
        """<div class="chart" data-name="uji"><svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">
        <defs><clipPath id="plotarea"><rect x="0" y="0" width="200" height="150"/></clipPath></defs>
        <g transform="translate(50,20)" clip-path="url(#plotarea)">
          <text x="160" y="40" style="font-size:16px">95% (n=160)</text>
          <text x="20" y="80" style="font-size:16px">84%</text></g></svg></div>"""
    )
    problems = page.evaluate(MEASURE, 0)
    page.close()
    assert problems == ["uji: cut by the plot area: 95% (n=160)"]
