"""Every page renders in a real browser, shows its content and never leaves 127.0.0.1."""

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    ("ringkasan", "/?tahun=2018", ["Ringkasan Nasional", "1,98", "2,6", "0,62", "81%", "SIMULASI"]),
    ("ringkasan_2024", "/", ["Ringkasan Nasional", "3,12", "2,85", "469"]),
    ("sebaran", "/sebaran?tahun=2023", ["Sebaran Predikat", "Daftar instansi", "621 instansi"]),
    ("perubahan", "/perubahan", ["Perubahan Antartahun", "Dari 607 instansi", "245 naik predikat, 2 turun, 360 tetap"]),
    ("kepekaan", "/kepekaan?tahun=2024", ["Kepekaan Bobot", "pada bobot resmi 469", "resmi 3,12"]),
    ("domain", "/domain?tahun=2018", ["Domain & Indikator", "indikator terlemah", "SIMULASI"]),
    ("profil", f"/profil?instansi={quote('Kota Surabaya')}", ["Kota Surabaya", "4,54", "Memuaskan"]),
    ("asistensi", "/asistensi", ["Asistensi SPBE", "623 instansi", "Jalur ke predikat Baik", "SIMULASI"]),
]


@pytest.mark.parametrize(("name", "path", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_renders_with_charts_and_no_outside_request(server_url, page, name, path, expected):
    page.open(server_url + path)
    page.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    body = page.page.inner_text("body")
    for text in expected:
        assert text in body, f"{text!r} missing on {path}"
    assert page.page.locator("[data-testid=stException]").count() == 0
    page.screenshot(name)
    assert page.outside_requests == []


def test_a_deep_link_on_a_fresh_server_keeps_the_navigation(fresh_server_url, page):
    page.open(fresh_server_url + "/asistensi?tahun=2024")
    page.page.wait_for_selector("[data-testid=stSidebarNav]", timeout=30_000)
    page.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    page.wait_idle()
    navigation = page.page.inner_text("[data-testid=stSidebarNav]")
    assert "Ringkasan Nasional" in navigation and "Asistensi" in navigation
    assert "Asistensi SPBE" in page.page.inner_text("h1")
    assert "615 instansi" in page.page.inner_text("body")  # the year from the link (2024) is in force
    assert "Page not found" not in page.page.inner_text("body")


def test_overview_draws_every_chart(server_url, page):
    page.open(server_url + "/?tahun=2018")
    page.show_everything()
    page.page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3", timeout=30_000
    )
    assert page.page.locator(".js-plotly-plot").count() == 3
    assert page.outside_requests == []


def test_a_filter_change_updates_the_chart_and_the_url(server_url, page):
    page.open(server_url + "/sebaran?tahun=2024")
    page.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    assert "615 instansi" in page.page.inner_text("body")
    assert histogram_points(page) == 615
    page.page.get_by_label("Cari nama instansi").fill("Kota Banda")
    page.page.get_by_label("Cari nama instansi").press("Enter")
    page.page.wait_for_function("() => document.body.innerText.includes('2 instansi · evaluasi 2024')", timeout=30_000)
    page.wait_idle()
    # plotly.js redraws after the new figure arrives, a moment after the text: wait for it (bounded)
    page.page.wait_for_function(f"() => ({HISTOGRAM_POINTS}) === 2", timeout=30_000)
    assert histogram_points(page) == 2  # Kota Bandung and Kota Banda Aceh
    assert "cari=Kota+Banda" in page.page.url or "cari=Kota%20Banda" in page.page.url
    page.screenshot("sebaran_filtered")
    assert page.outside_requests == []


HISTOGRAM_POINTS = "document.querySelector('.js-plotly-plot')._fullData[0]._length"


def histogram_points(page) -> int:
    """Values in the histogram plotly drew (the figure object plotly.js keeps on its div)."""
    return page.page.evaluate(f"() => {HISTOGRAM_POINTS}")


# Every page at a phone's width: (screenshot name, path, its h1, whether it draws charts)
PHONE_PAGES = [
    ("ringkasan", "/?tahun=2024", "Ringkasan Nasional", True),
    ("sebaran", "/sebaran?tahun=2023", "Sebaran Predikat", True),
    ("perubahan", "/perubahan", "Perubahan Antartahun", True),
    ("kepekaan", "/kepekaan?tahun=2024", "Kepekaan Bobot", True),
    ("peta", "/peta?tahun=2024", "Peta", True),
    ("domain", "/domain?tahun=2018", "Domain & Indikator", True),
    ("profil", f"/profil?instansi={quote('Kota Surabaya')}", "Profil Instansi", True),
    ("asistensi", "/asistensi", "Asistensi SPBE", True),
    ("ekspor", "/ekspor?tahun=2024", "Ekspor", False),
    ("impor", "/impor", "Impor", False),
]
# Page width against the viewport, for the document and for Streamlit's own scrolling container
OVERFLOW = """() => [document.documentElement, document.querySelector('[data-testid=stMain]')]
    .filter(Boolean).map(e => [e.scrollWidth, e.clientWidth])"""
# Visible text the browser cuts short: a box that keeps its text on one line (or ends it in "…") and hides
# what overflows, narrower than that text; as "text (text width > box width)". Plotly's SVG is checked apart.
CUT_TEXT = """() => [...document.querySelectorAll('[data-testid=stApp] *')].filter(e => {
    const style = getComputedStyle(e);
    // a box of 1 px is text for screen readers only ("Skip to main content")
    if (style.overflowX === 'visible' || e.clientWidth <= 1 || !e.textContent.trim()) return false;
    if (style.textOverflow !== 'ellipsis' && !style.whiteSpace.startsWith('nowrap')) return false;
    if (e.closest('svg, .js-plotly-plot, [data-testid=stDataFrame], [data-testid=stSidebar]')) return false;
    return e.scrollWidth > e.clientWidth + 1;
}).map(e => `${e.textContent.trim().slice(0, 60)} (${e.scrollWidth} > ${e.clientWidth})`)"""


@pytest.mark.parametrize(("name", "path", "heading", "charts"), PHONE_PAGES, ids=[p[0] for p in PHONE_PAGES])
def test_every_page_fits_a_phone_without_cut_text(server_url, phone, name, path, heading, charts):
    phone.open(server_url + path)
    phone.page.wait_for_selector("h1", timeout=30_000)
    if charts:
        phone.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    phone.wait_idle()
    assert heading in phone.page.inner_text("h1")
    assert phone.page.locator("[data-testid=stException]").count() == 0
    for scroll_width, width in phone.page.evaluate(OVERFLOW):
        assert scroll_width <= width, f"{path} is {scroll_width} px wide on a {width} px screen"
    assert phone.page.evaluate(CUT_TEXT) == [], f"text cut on {path}"
    phone.screenshot(f"{name}_390")
    assert phone.outside_requests == []


def test_the_kpis_wrap_two_per_row_on_a_phone(server_url, phone):
    phone.open(server_url + "/?tahun=2024")
    phone.page.wait_for_selector("[data-testid=stMetric]", timeout=30_000)
    tops = phone.page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stMetric]')]"
        ".map(e => Math.round(e.getBoundingClientRect().top))"
    )
    per_row = [tops.count(top) for top in sorted(set(tops))]
    assert per_row == [2, 2, 1]  # five cards: two, two, one; not one per row, nor five squeezed


def test_a_grid_offers_search_but_not_its_own_english_csv_download(server_url, page):
    """The grid's toolbar keeps search and full screen; its raw "Download as CSV" gives way to the page's own
    Indonesian downloads (CSV and XLSX with source and provenance)."""
    page.open(server_url + "/sebaran?tahun=2024")
    grid = page.page.locator("[data-testid=stDataFrame]").first
    grid.wait_for(timeout=30_000)
    page.wait_idle()
    grid.hover()
    toolbar = page.page.locator("[data-testid=stElementToolbarButton]")
    page.page.locator("button[aria-label^=Search]").first.wait_for(state="visible", timeout=10_000)
    shown = [button.get_attribute("aria-label") for button in toolbar.locator("button").all() if button.is_visible()]
    assert any(label.startswith("Search") for label in shown)
    assert not any(label.startswith("Download") for label in shown), shown
    assert page.page.get_by_role("button", name="Unduh CSV").count() >= 1  # the page's own download of the rows
