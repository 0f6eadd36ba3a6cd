"""The Peta page in a real browser: filled province shapes, the tile map, nothing fetched from outside."""

import pytest

pytestmark = pytest.mark.browser

FILLED_PATHS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot =>
    [...plot.querySelectorAll('path')].filter(p => {
        const fill = p.style.fill || p.getAttribute('fill') || '';
        return fill && fill !== 'none' && !fill.startsWith('rgba(0, 0, 0, 0)') && p.getAttribute('d');
    }).length)"""


def test_peta_draws_filled_provinces_and_tiles_offline(server_url, page):
    page.open(server_url + "/peta?tahun=2024")
    page.page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2", timeout=30_000
    )
    page.show_everything()
    body = page.page.inner_text("body")
    for text in ("Peta provinsi", "Peta petak", "Papua Barat Daya digabung ke Papua Barat", "523 instansi daerah"):
        assert text in body, f"{text!r} missing on /peta"
    assert page.page.locator("[data-testid=stException]").count() == 0
    choropleth, tiles = page.page.evaluate(FILLED_PATHS)
    assert choropleth >= 33  # one filled path per polygon (plus the colour bar), not an empty frame
    assert tiles >= 38  # one filled square per province of 2024
    page.screenshot("peta")
    assert page.outside_requests == []


def test_a_click_on_a_tile_offers_sebaran_predikat_of_that_province(server_url, page):
    page.open(server_url + "/peta?tahun=2024")
    page.page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2", timeout=30_000
    )
    page.show_everything()
    tiles = page.page.locator(".js-plotly-plot").nth(1)
    box = page.page.evaluate(
        """() => {
            const plot = document.querySelectorAll('.js-plotly-plot')[1];
            const trace = plot._fullData[0];
            const i = trace.customdata.findIndex(c => c[0] === '32');
            const xa = plot._fullLayout.xaxis, ya = plot._fullLayout.yaxis;
            const rect = plot.querySelector('.nsewdrag').getBoundingClientRect();
            return {x: rect.left + xa.d2p(trace.x[i]), y: rect.top + ya.d2p(trace.y[i])};
        }"""
    )
    assert tiles.count() == 1
    page.page.mouse.click(box["x"], box["y"])
    link = page.page.get_by_role("link", name="Sebaran predikat Jawa Barat, 2024")
    link.wait_for(timeout=30_000)
    assert "provinsi=Jawa" in (link.get_attribute("href") or "")
    assert page.outside_requests == []
