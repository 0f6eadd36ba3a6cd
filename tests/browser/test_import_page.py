"""Importing in a real browser: wrong password, a refused file, preview, commit, new numbers."""

import re

import pytest
from conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.browser

GOOD_2021 = (
    "tahun;instansi;Kebijakan;Tata Kelola;Manajemen;Layanan;Nilai Indeks;Predikat\n"
    "2021;Kota Surabaya;4,00;3,80;3,00;4,20;3,88;Sangat Baik\n"
    "2021;Kabupaten Banyuwangi;3,80;3,50;3,00;3,60;3,50;Sangat Baik\n"
    "2021;Kota Bandung;2,50;2,00;1,50;2,50;2,21;Cukup\n"
)


def log_in(page, password: str) -> None:
    page.page.get_by_label("Sandi admin").fill(password)
    page.page.get_by_role("button", name="Masuk").click()
    page.wait_idle()


def test_wrong_password_then_refused_file_then_commit_shows_on_the_overview(admin_server, page, tmp_path):
    url, data = admin_server
    alerts = []
    page.page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.open(url + "/impor")
    log_in(page, "salah")
    page.page.get_by_text("Sandi salah.").wait_for(timeout=30_000)
    assert page.page.locator("[data-testid=stFileUploader]").count() == 0

    log_in(page, ADMIN_PASSWORD)
    uploader = page.page.locator("[data-testid=stFileUploader] input[type=file]")
    uploader.wait_for(state="attached", timeout=30_000)
    bad = tmp_path / "salah.csv"
    bad.write_text("tahun,instansi,indikator,tingkat\n2021,<img src=x onerror=alert(1)>,1,3\n")
    uploader.set_input_files(str(bad))
    page.page.get_by_text("Tidak ada data yang diubah").wait_for(timeout=30_000)
    page.wait_idle()
    page.screenshot("impor_ditolak")
    assert not (data / "imports").exists()

    # The uploader takes several files at once (a main file and the agencies' file): the refused one is removed first
    page.page.locator("[data-testid=stFileChipDeleteBtn]").click()
    page.wait_idle()
    good = tmp_path / "hasil_2021.csv"
    good.write_text(GOOD_2021)
    uploader.set_input_files(str(good))
    page.page.get_by_role("button", name="Simpan sebagai versi baru").wait_for(timeout=30_000)
    page.wait_idle()
    page.screenshot("impor_pratinjau")
    page.page.get_by_role("button", name="Simpan sebagai versi baru").click()
    page.page.get_by_text("Disimpan sebagai versi v0001").wait_for(timeout=30_000)
    assert (data / "imports" / "CURRENT").read_text().strip() == "v0001"

    page.open(url + "/?tahun=2021")
    # the title may wrap: plotly draws each line as its own tspan, with no space between them
    title = re.compile(r"Sebaran predikat instansi\s*2021")
    page.page.locator(".gtitle", has_text=title).first.wait_for(timeout=30_000)
    body = page.page.inner_text("body")
    assert "3 instansi" in body  # the imported rows now drive the 2021 distribution
    assert "Data impor" in body
    page.screenshot("impor_ringkasan_2021")
    assert alerts == []  # the name holding <img onerror> was shown as text, never run
    assert page.outside_requests == []
