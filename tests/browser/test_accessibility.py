"""Every page passes axe-core, the standard accessibility checker, on a desk (1400 px) and on a phone (390 px).

axe-core ships inside axe-playwright-python and is injected into the page: nothing is fetched. It rates each
violation minor, moderate, serious or critical; no page may have a serious or critical one (contrast, names of
controls, ...), nor a skipped heading level. Plotly's SVG has no role, so axe asks it for no alternative: each
chart's title and subtitle are SVG text a screen reader reads, and its caption and figures are text on the page.
"""

from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

# (name, path, whether it draws charts); the import page as a visitor sees it: closed, no password configured
PAGES = [
    ("ringkasan_2018", "/?tahun=2018", True),
    ("ringkasan_2024", "/?tahun=2024", True),
    ("sebaran", "/sebaran?tahun=2024", True),
    ("perubahan", "/perubahan", True),
    ("kepekaan", "/kepekaan?tahun=2024", True),
    ("peta", "/peta?tahun=2024", True),
    ("domain", "/domain?tahun=2018", True),
    ("profil", f"/profil?instansi={quote('Kota Surabaya')}", True),
    ("asistensi", "/asistensi", True),
    ("ekspor", "/ekspor?tahun=2024", False),
    ("impor", "/impor", False),
]
SCREENS = {"desktop": "page", "phone": "phone"}  # the fixtures of tests/browser/conftest.py: 1400 px and 390 px

SERIOUS = {"serious", "critical"}
# Rated moderate by axe-core, but named by the issue: a skipped heading level breaks a screen reader's outline.
ALSO_CHECKED = {"heading-order"}


def findings(results: dict) -> list[str]:
    """The violations that fail the test, each with its rule, rating, count and first elements."""
    return [
        f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}x): {violation['help']}; "
        + "; ".join(f"{node['target']} {node['html'][:100]}" for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in SERIOUS or violation["id"] in ALSO_CHECKED
    ]


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize(("name", "path", "charts"), PAGES, ids=[p[0] for p in PAGES])
def test_no_serious_accessibility_violation(server_url, request, screen, name, path, charts):
    recorded = request.getfixturevalue(SCREENS[screen])
    recorded.open(server_url + path)
    recorded.page.wait_for_selector("h1", timeout=30_000)
    if charts:
        recorded.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    recorded.show_everything()  # every chart and element drawn, so axe sees the whole page
    assert recorded.page.locator("[data-testid=stException]").count() == 0, f"{path} failed to render"
    results = Axe().run(recorded.page, options={"resultTypes": ["violations"]}).response
    assert findings(results) == [], f"axe-core on {path} at {recorded.page.viewport_size['width']} px"
    assert recorded.outside_requests == []
