"""Versions under pressure (issue #14 items 1, 6, 8): concurrent writers, leftovers of killed commits,
rollback to recorded versions only, and folders other users can read."""

import fcntl
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest

from spbe import cli, settings
from spbe.data import versions
from spbe.data.importer import parse_import
from spbe.data.store import Store
from spbe.data.versions import BASE_VERSION, VersionBusy, VersionError, VersionStore
from spbe.settings import ROOT
from tests.frameworks import FRAMEWORKS
from tests.ui.test_page_impor import admin_env, log_in, open_import  # noqa: F401 - admin_env is a fixture

WRITERS = 6
# One 2025 row per import, each a different instansi: a version must hold the rows of every import before it.
NAMES = [
    "Kabupaten Banyuwangi",
    "Provinsi Jawa Barat",
    "Provinsi Jawa Timur",
    "Kota Surabaya",
    "Provinsi Kalimantan Tengah",
    "Kabupaten Aceh Tengah",
]
HEADER = "tahun,instansi,kebijakan,tata_kelola,manajemen,layanan,indeks,predikat\n"


def one_row(number: int) -> bytes:
    return (HEADER + f'2025,{NAMES[number]},,,,,"4,{number + 2}0",Memuaskan\n').encode()


def instansi_of(number: int, registry) -> str:
    return parse_import(one_row(number), f"c{number}.csv", registry, FRAMEWORKS).years[0].results["instansi_id"].iloc[0]


def expected_2025(data_dir, registry) -> dict[str, set[str]]:
    """Each recorded version -> the 2025 instansi it must hold: those of its own import and of every one before."""
    expected, held = {BASE_VERSION: set()}, set()
    for entry in VersionStore(data_dir).manifest():
        held = held | {instansi_of(int(re.search(r"\d+", entry["berkas"]).group()), registry)}
        expected[entry["versi"]] = held
    return expected


def assert_every_version_complete(data_dir, registry, committed: list[str]) -> None:
    store = VersionStore(data_dir)
    recorded = [entry["versi"] for entry in store.manifest()]
    assert sorted(recorded) == sorted(committed) and len(set(recorded)) == len(recorded)
    assert [entry["sebelumnya"] for entry in store.manifest()] == [BASE_VERSION, *recorded[:-1]]  # none built twice
    expected = expected_2025(data_dir, registry)
    for version in recorded:
        rows = pd.read_parquet(store.folder / version / "results" / "tahun=2025" / "part-0.parquet")
        assert set(rows["instansi_id"]) == expected[version], version
    assert sorted(p.name for p in store.folder.iterdir()) == sorted(recorded)  # nothing temporary left
    assert store.current() == recorded[-1]
    final = Store(data_dir)
    assert set(final.results(2025)["instansi_id"]) == expected[recorded[-1]]
    assert len(final.results(2024)) == 615


class Readers:
    """Threads that open a Store over and over while writers commit; every snapshot must be a whole version."""

    def __init__(self, data_dir, count: int = 2):
        self.data_dir, self.seen, self.errors = data_dir, [], []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.read) for _ in range(count)]
        for thread in self.threads:
            thread.start()

    def read(self):
        while not self.stop.is_set():
            try:
                store = Store(self.data_dir)
                self.seen.append((store.version, set(store.results(2025)["instansi_id"])))
            except Exception as error:  # noqa: BLE001 - any failure of a reader is what the test looks for
                self.errors.append(repr(error))

    def finish(self, data_dir, registry):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        assert self.errors == []
        expected = expected_2025(data_dir, registry)
        assert self.seen
        for version, held in self.seen:
            assert held == expected[version], version


def test_concurrent_cli_imports_each_commit_a_whole_version_or_are_refused_and_readers_never_fail(
    data_dir, tmp_path, registry
):
    files = []
    for number in range(WRITERS):
        files.append(tmp_path / f"c{number}.csv")
        files[-1].write_bytes(one_row(number))
    readers = Readers(data_dir)
    env = {**os.environ, settings.DATA.environment: str(data_dir)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "spbe", "import", str(path), "--who", "uji"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    outcomes = [(*writer.communicate(timeout=120), writer.returncode) for writer in writers]
    readers.finish(data_dir, registry)
    committed = []
    for out, err, code in outcomes:
        if code == 0:
            committed += re.findall(r"Disimpan sebagai versi (v\d{4})\.", out)
        else:  # refused: one clear line, and nothing of it stored
            assert (code, err.strip()) == (
                2,
                "Galat: Impor lain sedang disimpan; coba lagi sebentar lagi. Tidak ada data yang diubah.",
            )
    assert committed
    assert_every_version_complete(data_dir, registry, committed)


def test_concurrent_commits_from_page_sessions_each_commit_a_whole_version(data_dir, registry):
    parsed = [
        parse_import(one_row(number), f"c{number}.csv", registry, FRAMEWORKS, who="admin") for number in range(WRITERS)
    ]
    start = threading.Barrier(WRITERS)
    committed, errors = [], []

    def save(one):  # what the Impor page's "Simpan" does, in a session thread of its own
        start.wait()
        try:
            committed.append(VersionStore(data_dir).commit(one, who="admin"))
        except VersionBusy:
            pass
        except Exception as error:  # noqa: BLE001 - anything else is the failure the test looks for
            errors.append(repr(error))

    readers = Readers(data_dir)
    sessions = [threading.Thread(target=save, args=(one,)) for one in parsed]
    for session in sessions:
        session.start()
    for session in sessions:
        session.join(timeout=120)
    readers.finish(data_dir, registry)
    assert errors == []
    assert_every_version_complete(data_dir, registry, committed)


def test_a_writer_that_cannot_get_the_lock_in_time_is_refused_and_changes_nothing(
    data_dir, tmp_path, registry, monkeypatch, capsys
):
    store = VersionStore(data_dir)
    store.commit(parse_import(one_row(0), "c0.csv", registry, FRAMEWORKS), who="uji")
    before = {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file()}
    monkeypatch.setattr(versions, "LOCK_WAIT_S", 0.5)
    monkeypatch.setenv(settings.DATA.environment, str(data_dir))
    (tmp_path / "c1.csv").write_bytes(one_row(1))
    with open(store.root / ".lock", "a") as holder:  # another writer, in the middle of its commit
        fcntl.flock(holder, fcntl.LOCK_EX)
        started = time.monotonic()
        with pytest.raises(VersionBusy, match="Impor lain sedang disimpan; coba lagi"):
            store.commit(parse_import(one_row(1), "c1.csv", registry, FRAMEWORKS), who="uji")
        with pytest.raises(VersionBusy):
            store.rollback(BASE_VERSION)
        assert cli.main(["import", str(tmp_path / "c1.csv")]) == 2
        assert time.monotonic() - started < 20  # refused after the wait, not hanging
    err = capsys.readouterr().err.strip()
    assert err == "Galat: Impor lain sedang disimpan; coba lagi sebentar lagi. Tidak ada data yang diubah."
    assert {p: p.read_bytes() for p in store.root.rglob("*") if p.is_file()} == before


def test_the_next_commit_removes_what_a_killed_commit_left(data_dir, registry):
    store = VersionStore(data_dir)
    store.commit(parse_import(one_row(0), "c0.csv", registry, FRAMEWORKS), who="uji")
    # A commit killed after building its folder and after renaming it into place (before the manifest
    # records it), and temporary files of the manifest and CURRENT written but never renamed
    shutil.copytree(store.folder / "v0001", store.folder / ".tmp-v0003-x1y2")
    shutil.copytree(store.folder / "v0001", store.folder / "v0002")
    (store.root / ".CURRENT.0a1b2c.tmp").write_text("v0002\n")
    (store.root / ".manifest.json.3d4e5f.tmp").write_text("[]")
    version = store.commit(parse_import(one_row(1), "c1.csv", registry, FRAMEWORKS), who="uji")
    assert version == "v0002" and [e["versi"] for e in store.manifest()] == ["v0001", "v0002"]
    assert sorted(p.name for p in store.folder.iterdir()) == ["v0001", "v0002"]
    assert not list(store.root.glob(".*.tmp"))
    assert set(Store(data_dir).results(2025)["instansi_id"]) == {instansi_of(0, registry), instansi_of(1, registry)}


def test_rollback_accepts_only_recorded_versions_and_lists_them(data_dir, registry, monkeypatch, capsys):
    store = VersionStore(data_dir)
    store.commit(parse_import(one_row(0), "c0.csv", registry, FRAMEWORKS), who="uji")
    shutil.copytree(store.folder / "v0001", store.folder / "v0014")  # a leftover folder the manifest does not list
    with pytest.raises(VersionError, match=r"Versi 'v0014' tidak ada \(tersedia: v0000, v0001\)"):
        store.rollback("v0014")
    monkeypatch.setenv(settings.DATA.environment, str(data_dir))
    assert cli.main(["rollback", "v0014"]) == 2
    assert capsys.readouterr().err.strip() == "Galat: Versi 'v0014' tidak ada (tersedia: v0000, v0001)."
    assert store.current() == "v0001"


def test_the_versions_command_marks_a_version_in_force_that_has_no_record(data_dir, registry, monkeypatch, capsys):
    store = VersionStore(data_dir)
    store.commit(parse_import(one_row(0), "c0.csv", registry, FRAMEWORKS), who="uji")
    shutil.copytree(store.folder / "v0001", store.folder / "v0014")
    (store.root / "CURRENT").write_text("v0014\n")  # as an older rollback could leave it
    monkeypatch.setenv(settings.DATA.environment, str(data_dir))
    assert cli.main(["versions"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line[:7] for line in lines] == ["  v0000", "* v0014", "  v0001"]
    assert "tidak tercatat dalam manifest" in lines[1]
    assert cli.main(["rollback", "v0001"]) == 0 and store.current() == "v0001"


@pytest.mark.parametrize(("umask", "folder_mode", "file_mode"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_version_folders_and_files_get_the_mode_of_the_umask(data_dir, registry, umask, folder_mode, file_mode):
    previous = os.umask(umask)
    try:
        store = VersionStore(data_dir)
        store.commit(parse_import(one_row(0), "c0.csv", registry, FRAMEWORKS), who="uji")
        store.commit(parse_import(one_row(1), "c1.csv", registry, FRAMEWORKS), who="uji")  # links the files of v0001
    finally:
        os.umask(previous)
    modes = {p.relative_to(data_dir): stat.S_IMODE(p.stat().st_mode) for p in store.root.rglob("*")}
    assert {path: mode for path, mode in modes.items() if (data_dir / path).is_dir() and mode != folder_mode} == {}
    written = {path: mode for path, mode in modes.items() if (data_dir / path).is_file()}
    assert {path: mode for path, mode in written.items() if mode != file_mode} == {}
    assert any(path.parts[-2:] == ("tahun=2025", "part-0.parquet") for path in written)


# The Impor page (items 8 and 9)


def roll_back_on_the_page(at, version: str):
    at.selectbox(key="versi_tujuan").set_value(version).run()
    next(b for b in at.button if b.label == "Kembalikan").click().run()
    return at


def test_after_login_the_versions_come_first_and_rollback_needs_no_upload(admin_env, registry):  # noqa: F811
    store = VersionStore(admin_env)
    for number in range(2):
        store.commit(parse_import(one_row(number), f"c{number}.csv", registry, FRAMEWORKS), who="uji")
    at = log_in(open_import())
    assert [h.value for h in at.subheader] == ["Versi data"]
    assert at.dataframe[0].value["Versi"].tolist() == ["v0001", "v0002"]  # the grid shows display headers
    assert at.selectbox(key="versi_tujuan").options == ["v0000", "v0001", "v0002"]
    roll_back_on_the_page(at, "v0001")
    assert not at.exception
    assert store.current() == "v0001"
    assert "Versi yang berlaku: **v0001**" in [c.value for c in at.caption]


def test_the_impor_page_shows_a_version_in_force_that_has_no_record_and_rolls_back(admin_env, registry):  # noqa: F811
    store = VersionStore(admin_env)
    store.commit(parse_import(one_row(0), "c0.csv", registry, FRAMEWORKS), who="uji")
    shutil.copytree(store.folder / "v0001", store.folder / "v0014")
    (store.root / "CURRENT").write_text("v0014\n")  # as an older rollback could leave it
    at = log_in(open_import())
    assert not at.exception
    assert "Versi yang berlaku v0014 tidak tercatat dalam manifest" in at.warning[0].value
    assert at.selectbox(key="versi_tujuan").options == ["v0000", "v0001"]
    roll_back_on_the_page(at, "v0001")
    assert not at.exception and store.current() == "v0001"
