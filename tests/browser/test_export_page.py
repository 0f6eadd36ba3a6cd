"""The export page in a real browser: build the 2018 kit, download it, open the ZIP."""

import zipfile

import pytest

from spbe.data.store import Store
from spbe.present.presskit import kit_charts
from spbe.settings import ROOT

pytestmark = pytest.mark.browser


def test_build_and_download_the_press_kit(server_url, page, tmp_path):
    page.open(server_url + "/ekspor?tahun=2018")
    page.page.get_by_role("button", name="Buat paket").click()
    download_button = page.page.get_by_role("button", name="Unduh paket_spbe_2018_slide.zip")
    download_button.wait_for(timeout=120_000)
    page.screenshot("ekspor")
    with page.page.expect_download(timeout=60_000) as download_info:
        download_button.click()
    path = tmp_path / "kit.zip"
    download_info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        notes = archive.read("paket_spbe_2018_slide/keterangan.md").decode()
    charts = kit_charts(Store(ROOT / "data"), 2018)
    assert len(names) == 4 * len(charts) + 1  # every chart as png, svg, pdf and csv, plus keterangan.md
    assert {name.rsplit(".", 1)[1] for name in names} == {"png", "svg", "pdf", "csv", "md"}
    assert "Indeks SPBE Nasional tahun 2018 tercatat 1,98, 0,62 poin di bawah target 2,6" in notes
    assert page.outside_requests == []
