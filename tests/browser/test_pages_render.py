"""Every page renders in a real browser, shows its content and never leaves 127.0.0.1."""

import pytest

pytestmark = pytest.mark.browser


def test_overview_renders_kpis_and_chart_without_outside_requests(server_url, page):
    page.open(server_url)
    page.page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", timeout=30_000)
    body = page.page.inner_text("body")
    assert "Ringkasan Nasional" in body
    assert "3,12" in body
    assert page.page.locator("[data-testid=stException]").count() == 0
    page.screenshot("ringkasan")
    assert page.outside_requests == []
