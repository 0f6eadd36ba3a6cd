"""AppTest of the import page: closed without a hash, login, refusal, preview, commit."""

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from spbe import auth
from spbe.paths import DATA_DIR, ROOT
from tests.test_import import report_style_xlsx

PASSWORD = "sandi-admin-untuk-uji"


@pytest.fixture
def admin_env(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("imports", "*.prev"))
    monkeypatch.setattr("spbe.paths.DATA_DIR", data)
    monkeypatch.setenv(auth.ENV_VARIABLE, auth.hash_password(PASSWORD, iterations=1_000))
    monkeypatch.setattr(auth, "FAILURE_PAUSE_S", 0.0)
    return data


def open_import() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "impor.py"), default_timeout=60).run()


def test_without_a_configured_hash_the_page_explains_and_stays_closed(monkeypatch):
    monkeypatch.delenv(auth.ENV_VARIABLE, raising=False)
    at = open_import()
    assert not at.exception
    assert "Impor belum diaktifkan" in at.warning[0].value
    assert not at.get("file_uploader")


def test_a_wrong_password_is_refused_and_shows_no_import_controls(admin_env):
    at = open_import()
    at.text_input[0].set_value("salah")
    at.button[0].click().run()
    assert "Sandi salah." in [e.value for e in at.error]
    assert not at.get("file_uploader")


def log_in(at: AppTest) -> AppTest:
    at.text_input[0].set_value(PASSWORD)  # a form field: sent with the submit click
    at.button[0].click().run()
    return at


def test_login_upload_refusal_preview_and_commit(admin_env):
    at = log_in(open_import())
    assert at.get("file_uploader")
    bad = b"tahun,instansi,indikator,tingkat\n2021,Kota Entah Berantah,1,3\n"
    at.file_uploader[0].set_value(("salah.csv", bad, "text/csv")).run()
    assert "ditolak" in at.error[0].value and "Tidak ada data yang diubah" in at.error[0].value
    assert "instansi tidak dikenal" in at.dataframe[0].value["masalah"].iloc[0]
    at.file_uploader[0].set_value(("hasil_2024.xlsx", report_style_xlsx(2024), "application/octet-stream")).run()
    at.text_input(key="tahun_impor").set_value("2024").run()
    assert {m.label: m.value for m in at.metric}["Diganti"] == "615"
    next(b for b in at.button if b.label == "Simpan sebagai versi baru").click().run()
    assert any("Disimpan sebagai versi v0001" in s.value for s in at.success)
    assert (admin_env / "imports" / "CURRENT").read_text().strip() == "v0001"
