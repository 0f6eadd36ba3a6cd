"""Faults explained, not dumped (issue #14 item 7): a data file that cannot be read and a data folder that
cannot be written give an Indonesian message naming the file and what to do, on every page and in the CLI
(exit 2, one line), and the Impor page still lets an admin roll back."""

import errno
import os
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from spbe import cli, settings
from spbe.data.importer import parse_import
from spbe.data.store import Store
from spbe.data.versions import BASE_VERSION, VersionError, VersionStore
from spbe.settings import ROOT
from tests.data.test_import import report_style_xlsx
from tests.data.test_versions import one_row
from tests.frameworks import FRAMEWORKS
from tests.helpers import run_cli
from tests.ui.test_page_impor import admin_env, log_in, open_import  # noqa: F401 - admin_env is a fixture

PAGES = ["ringkasan", "sebaran", "peta", "domain", "asistensi", "ekspor", "profil"]
GARBAGE = b"PAR1 this is not a Parquet file PAR1"


def copy_of_data(target: Path) -> Path:
    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns("imports", "*.prev"))
    return target


def break_version_in_force(data_dir: Path, registry) -> Path:
    """Import a year (v0001, in force), then corrupt its results file; returns that file."""
    VersionStore(data_dir).commit(parse_import(one_row(0), "c0.csv", registry, FRAMEWORKS), who="uji")
    broken = data_dir / "imports" / "versions" / "v0001" / "results" / "tahun=2025" / "part-0.parquet"
    broken.write_bytes(GARBAGE)
    return broken


def rollback_advice(path: Path, version: str) -> str:
    return (
        f"Berkas data {path} rusak atau tidak terbaca; kembalikan data ke versi {version} dengan "
        f"`python -m spbe rollback {version}` atau di halaman Impor data."
    )


def shown(element) -> str:
    """A message as the reader sees it: markdown escapes removed."""
    return element.value.replace("\\", "")


# A data file that cannot be read


@pytest.fixture
def broken(tmp_path, monkeypatch, registry) -> Path:
    data_dir = copy_of_data(tmp_path / "data")
    monkeypatch.setenv(settings.DATA.environment, str(data_dir))
    return break_version_in_force(data_dir, registry)


def test_a_corrupt_file_in_force_is_explained_on_every_page_instead_of_streamlits_error(broken):
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60).run()
        assert not at.exception, page
        assert [shown(e) for e in at.error] == [rollback_advice(broken, BASE_VERSION)], page
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception and [shown(e) for e in at.error] == [rollback_advice(broken, BASE_VERSION)]


def test_the_cli_names_the_corrupt_file_in_one_line_with_exit_2_and_rollback_repairs(broken, tmp_path):
    data_dir = broken.parents[5]
    expected = f"Galat: {rollback_advice(broken, BASE_VERSION)}\n"
    summary = run_cli(data_dir, "summary", "--year", "2024")
    assert (summary.returncode, summary.stderr) == (2, expected)
    another = tmp_path / "c1.csv"
    another.write_bytes(one_row(1))
    importing = run_cli(data_dir, "import", str(another))  # its preview reads the broken year
    assert (importing.returncode, importing.stderr) == (2, expected)
    assert run_cli(data_dir, "versions").returncode == 0
    assert run_cli(data_dir, "rollback", BASE_VERSION).returncode == 0
    assert run_cli(data_dir, "summary", "--year", "2024").returncode == 0


def test_the_rollback_offered_skips_earlier_versions_that_share_the_broken_file(tmp_path, registry):
    data_dir = copy_of_data(tmp_path / "data")
    store = VersionStore(data_dir)
    store.commit(parse_import(one_row(0), "c0.csv", registry, FRAMEWORKS), who="uji")  # v0001: 2025
    parsed = parse_import(report_style_xlsx(2024), "h.xlsx", registry, FRAMEWORKS, year=2024)
    store.commit(parsed, who="uji")  # v0002: 2024
    results = store.folder / "v0002" / "results"
    (results / "tahun=2025" / "part-0.parquet").write_bytes(GARBAGE)  # v0001's file too: v0002 links it
    with pytest.raises(VersionError) as fault:
        Store(data_dir)
    assert str(fault.value) == rollback_advice(results / "tahun=2025" / "part-0.parquet", BASE_VERSION)
    store.rollback(BASE_VERSION)
    store.commit(parse_import(one_row(1), "c1.csv", registry, FRAMEWORKS), who="uji")  # v0003: 2025 afresh
    store.rollback("v0002")
    (results / "tahun=2024" / "part-0.parquet").write_bytes(GARBAGE)  # v0002's own file
    with pytest.raises(VersionError) as fault:
        Store(data_dir)
    assert str(fault.value) == rollback_advice(results / "tahun=2024" / "part-0.parquet", "v0001")


@pytest.mark.parametrize("name", ["results/tahun=2023/part-0.parquet", "instansi.parquet"])
def test_a_corrupt_committed_file_is_named_with_how_to_rebuild_it(tmp_path, name):
    data_dir = copy_of_data(tmp_path / "data")
    (data_dir / name).write_bytes(GARBAGE)
    result = run_cli(data_dir, "summary", "--year", "2024")
    expected = (
        f"Galat: Berkas data {data_dir / name} rusak atau tidak terbaca; pulihkan berkas itu dari "
        "repositori, atau bangun ulang data bawaan dengan `python -m spbe prepare --force`.\n"
    )
    assert (result.returncode, result.stderr) == (2, expected)


def test_a_file_this_user_may_not_read_is_named_with_the_permissions_to_fix(tmp_path):
    path = tmp_path / "imports" / "versions" / "v0001" / "results" / "tahun=2025" / "part-0.parquet"
    fault = VersionStore(tmp_path).unreadable(path, PermissionError(errno.EACCES, "Permission denied", str(path)))
    assert str(fault) == (
        f"Berkas data {path} tidak dapat dibaca (izin ditolak). Perbaiki izinnya: pengguna "
        "yang menjalankan dasbor atau perintah ini harus dapat membaca berkas itu dan "
        "folder-foldernya."
    )


def test_the_impor_page_rolls_a_broken_version_back_without_an_upload(admin_env, registry):  # noqa: F811
    break_version_in_force(admin_env, registry)
    at = log_in(open_import())
    assert not at.exception
    at.selectbox(key="versi_tujuan").set_value(BASE_VERSION).run()
    next(b for b in at.button if b.label == "Kembalikan").click().run()
    assert not at.exception
    assert VersionStore(admin_env).current() == BASE_VERSION
    overview = AppTest.from_file(str(ROOT / "pages" / "ringkasan.py"), default_timeout=60).run()
    assert not overview.exception and not overview.error
    assert {m.label: m.value for m in overview.metric}["Indeks SPBE Nasional"] == "3,12"


# A data folder that cannot be written. Tests run as root in CI, where chmod stops no write: the
# refusal of a read-only folder (EACCES) is made by failing one kind of write below it.

WRITES = ["mkdir", "open", "link", "rename", "replace"]


def refuse_writes(monkeypatch, folder: Path, operation: str) -> None:
    real = getattr(os, operation)
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT

    def refused(path, *args, **kwargs):
        if os.path.abspath(path).startswith(str(folder)) and (operation != "open" or args[0] & writing):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, operation, refused)


def files_of(imports: Path) -> dict[Path, bytes]:
    """Every file of the imports folder but the .prev copies (spbe.data.atomic), which a refused replace may have
    refreshed with the content still in force."""
    return {p: p.read_bytes() for p in imports.rglob("*") if p.is_file() and p.suffix != ".prev"}


def assert_refused_and_unchanged(message: str, data_dir: Path, before: dict) -> None:
    imports = data_dir / "imports"
    assert message.startswith(f"Tidak dapat menyimpan: izin ditolak ({imports}/"), message
    assert message.endswith(
        f"). Versi yang berlaku tidak berubah. Perbaiki izin folder {imports}: pengguna yang "
        "menjalankan dasbor atau perintah ini harus dapat menulis di sana."
    )
    assert files_of(imports) == before
    assert not [p for p in imports.rglob("*") if p.name.startswith(".tmp-") or p.suffix == ".tmp"]


@pytest.mark.parametrize("operation", WRITES)
def test_a_write_refused_at_any_step_is_explained_and_leaves_the_version_in_force(
    tmp_path, registry, monkeypatch, operation
):
    data_dir = copy_of_data(tmp_path / "data")
    store = VersionStore(data_dir)
    store.commit(parse_import(one_row(0), "c0.csv", registry, FRAMEWORKS), who="uji")
    before = files_of(store.root)
    refuse_writes(monkeypatch, store.root, operation)
    with pytest.raises(VersionError) as fault:
        store.commit(parse_import(one_row(1), "c1.csv", registry, FRAMEWORKS), who="uji")
    assert_refused_and_unchanged(str(fault.value), data_dir, before)
    assert store.current() == "v0001"


@pytest.mark.parametrize("operation", ["open", "replace"])
def test_import_and_rollback_into_a_read_only_folder_exit_2_with_one_line(
    tmp_path, registry, monkeypatch, capsys, operation
):
    data_dir = copy_of_data(tmp_path / "data")
    VersionStore(data_dir).commit(parse_import(one_row(0), "c0.csv", registry, FRAMEWORKS), who="uji")
    before = files_of(data_dir / "imports")
    (tmp_path / "c1.csv").write_bytes(one_row(1))
    monkeypatch.setenv(settings.DATA.environment, str(data_dir))
    refuse_writes(monkeypatch, data_dir / "imports", operation)
    for command in (["import", str(tmp_path / "c1.csv")], ["rollback", BASE_VERSION]):
        capsys.readouterr()
        assert cli.main(command) == 2, command
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("Galat: "), err
        assert_refused_and_unchanged(err.removeprefix("Galat: ").strip(), data_dir, before)


def test_saving_on_the_page_into_a_read_only_folder_is_explained(admin_env, registry, monkeypatch):  # noqa: F811
    VersionStore(admin_env).commit(parse_import(one_row(0), "c0.csv", registry, FRAMEWORKS), who="uji")
    before = files_of(admin_env / "imports")
    at = log_in(open_import())
    at.file_uploader[0].set_value(("c1.csv", one_row(1), "text/csv")).run()
    refuse_writes(monkeypatch, admin_env / "imports", "mkdir")
    next(b for b in at.button if b.label == "Simpan sebagai versi baru").click().run()
    assert not at.exception
    assert_refused_and_unchanged(shown(at.error[0]), admin_env, before)
