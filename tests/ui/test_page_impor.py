"""AppTest of the import page: closed without a hash, login, refusal, preview, commit."""

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from spbe import auth
from spbe.present.tables import display_name
from spbe.settings import ADMIN_PASSWORD_HASH, DATA, ROOT
from tests.data.test_import import report_style_xlsx, several_sheets, year_2023_stated_in

PASSWORD = "sandi-admin-untuk-uji"


@pytest.fixture
def admin_env(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("imports", "*.prev"))
    monkeypatch.setenv(DATA.environment, str(data))
    monkeypatch.setenv(ADMIN_PASSWORD_HASH.environment, auth.hash_password(PASSWORD, iterations=1_000))
    monkeypatch.setattr(auth, "PROCESS_GUARD", auth.LoginGuard(sleep=lambda _: None))  # no failures of other tests
    return data


def open_import() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "impor.py"), default_timeout=60).run()


def test_without_a_configured_hash_the_page_explains_and_stays_closed(monkeypatch):
    monkeypatch.delenv(ADMIN_PASSWORD_HASH.environment, raising=False)
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
    assert "instansi tidak dikenal" in at.dataframe[0].value[display_name("masalah")].iloc[0]
    at.file_uploader[0].set_value(("hasil_2024.xlsx", report_style_xlsx(2024), "application/octet-stream")).run()
    at.text_input(key="tahun_impor").set_value("2024").run()
    assert {m.label: m.value for m in at.metric}["Diganti"] == "615"
    next(b for b in at.button if b.label == "Simpan sebagai versi baru").click().run()
    assert any("Disimpan sebagai versi v0001" in s.value for s in at.success)
    assert (admin_env / "imports" / "CURRENT").read_text().strip() == "v0001"


def test_a_year_chosen_on_the_page_never_overrides_the_year_the_file_states(admin_env):
    at = log_in(open_import())
    data, name, _ = year_2023_stated_in("nama lembar")
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    at.text_input(key="tahun_impor").set_value("2024").run()
    assert "ditolak" in at.error[0].value
    problems = at.dataframe[0].value[display_name("masalah")].tolist()
    assert problems == ["h.xlsx, lembar Hasil 2023, baris 2-3: tahun 2023 menurut nama lembar, bukan 2024 yang dipilih"]
    assert not at.get("metric")
    assert not (admin_env / "imports").exists()


def test_a_workbook_of_two_years_previews_each_year_lists_skipped_sheets_and_commits_one_version(admin_env):
    at = log_in(open_import())
    at.file_uploader[0].set_value(("dua_tahun.xlsx", several_sheets(), "application/octet-stream")).run()
    assert not at.error
    captions = [c.value for c in at.caption]
    assert "lembar Catatan dilewati: tidak ada tabel hasil" in captions
    assert "lembar Kosong dilewati: tidak ada tabel hasil" in captions
    assert [h.value for h in at.subheader] == ["Versi data", "Tahun 2023", "Tahun 2024"]  # versions come first
    assert [m.value for m in at.metric if m.label == "Diganti"] == ["2", "4"]
    next(b for b in at.button if b.label == "Simpan sebagai versi baru").click().run()
    assert any("Disimpan sebagai versi v0001" in s.value for s in at.success)
    assert not at.exception, [e.message for e in at.exception]
    assert (admin_env / "imports" / "CURRENT").read_text().strip() == "v0001"
    history = at.dataframe[0].value  # the version table, at the top, already lists the new version
    assert history["Tahun"].tolist() == ["2023, 2024"]  # the grid shows display headers


def test_an_upload_is_parsed_once_per_file_and_year_however_often_the_page_reruns(admin_env, monkeypatch):
    from spbe.data import importer

    calls = []

    def counting(*args, **kwargs):
        calls.append(", ".join(name for _, name in args[0]))  # the names of the files imported together
        return importer.parse_files(*args, **kwargs)

    monkeypatch.setattr("spbe.ui.impor.parse_files", counting)
    at = log_in(open_import())
    at.file_uploader[0].set_value(("hasil_2024.xlsx", report_style_xlsx(2024), "application/octet-stream")).run()
    at.run().run()  # any widget change reruns the whole page
    assert calls == ["hasil_2024.xlsx"]
    at.text_input(key="tahun_impor").set_value("2024").run()  # another year: parsed again
    assert calls == ["hasil_2024.xlsx", "hasil_2024.xlsx"]
    assert {m.label: m.value for m in at.metric}["Diganti"] == "615"
