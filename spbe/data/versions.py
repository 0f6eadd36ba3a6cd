"""Versioned, atomic storage of imported results on top of the committed data.

    data/results, data/levels          the committed base (resmi, simulasi): never modified here
    data/imports/versions/vNNNN/       one complete overlay per import: every imported year's
                                       results (and levels) as they stand after that import, and
                                       indeks_nasional.csv, the national indices an admin entered
    data/imports/manifest.json         every version: time, file, SHA-256, rows, who, what changed
    data/imports/CURRENT               the version in force ("v0000" = the base alone)
    data/imports/.lock                 locked (flock) by the one writer at work

A commit builds the new overlay in a temporary folder beside the others, checks it, renames
it into place, records it in the manifest, and only then rewrites CURRENT (write to a
temporary file, rename). Readers take CURRENT once and read that version's files, which are
never changed after their rename, so they see the old data or the new, never a mixture; a
crash at any point leaves CURRENT naming a complete version. Rollback rewrites CURRENT, and
accepts only versions the manifest lists (or v0000).

National indices. A year imported before its national index was published (2025) gets it later:
an admin enters the official index and its source (`enter_national_index`), checked against the
year's framework, and it becomes a version like an import (its own manifest record, rolled back
the same way). The store reads the entries of the version in force over the published series.

Writers (commit, rollback) hold an exclusive lock on data/imports/.lock for their whole run,
across processes and threads: they never share a version id nor build on the same version, and
under the lock whatever a killed commit left behind (temporary folders and files, a version
folder never recorded) is stale and removed. A writer waits LOCK_WAIT_S for the lock, then is
refused. Readers never take the lock. Folders and files get the process umask's usual mode, so
a version imported by one user can be served by another.

Faults are reported in Indonesian, naming the file and what to do: VersionError for a refused
request or write (VersionBusy while another writer holds the lock), DataUnreadable for a data
file that cannot be read.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import math
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import pyarrow as pa

from spbe.core.formatting import format_number
from spbe.core.messages import quoted
from spbe.data.atomic import os_error_reason, write_atomic
from spbe.data.datafiles import read_results, write_levels, write_results
from spbe.data.importer import ParsedFile, ParsedImport
from spbe.data.ingest import parse_number
from spbe.model.framework import load_frameworks
from spbe.model.predikat import Bands

_T = TypeVar("_T")

BASE_VERSION = "v0000"
_VERSION = re.compile(r"^v\d{4}$")
LOCK_WAIT_S = 30.0  # a commit takes about a second; a writer queued behind several still gets its turn
_LOCK_POLL_S = 0.05
_DENIED = (errno.EACCES, errno.EPERM, errno.EROFS)

NATIONAL_FILE = "indeks_nasional.csv"  # in a version folder: the national indices entered, one row per year
NATIONAL_SERIES_FILE = "national_series.csv"  # in data/reference: the published national series
NATIONAL_KIND = "indeks nasional"  # `jenis` of the manifest record of an entered national index
_NATIONAL_COLUMNS = {
    "tahun": "int64",
    "kerangka": "string",
    "indeks_nasional": "float64",
    "sumber": "string",
    "oleh": "string",
    "waktu": "string",
}
MAX_SOURCE_CHARS = 300  # a source is a citation (title, number, date), shown under every national figure
# Files hold indices to 4 decimals (README); a published national index has 2.
MAX_INDEX_DECIMALS = 4


@dataclass(frozen=True)
class Preview:
    year: int
    added: list[str]  # instansi ids new for the year
    replaced: list[str]  # ids whose row the import replaces
    kept: list[str]  # ids of the year the import leaves alone
    mean_before: float | None
    mean_after: float
    below_baik_before: float | None  # percent
    below_baik_after: float


class VersionError(ValueError):
    """A version request cannot be honoured; the message says why, in Indonesian."""


class VersionBusy(VersionError):
    """Another commit or rollback held the lock for longer than a writer waits."""


class DataUnreadable(VersionError):
    """A data file cannot be read; the message names it and says what to do."""


class NationalIndexRejected(VersionError):
    """An entered national index was refused; `problems` lists every reason (Indonesian). Nothing changed."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"Indeks nasional tidak dicatat: {'; '.join(problems)}. Tidak ada data yang diubah.")


class VersionStore:
    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / "imports"
        self.folder = self.root / "versions"

    # ------------------------------------------------------------------ reading

    def current(self) -> str:
        """The version CURRENT names, if its folder is there (else the base).

        It may be a folder the manifest does not list (put in force by hand or by an older
        rollback): it stays in force, and `listed` tells callers it has no record."""
        path = self.root / "CURRENT"
        version = self._read(path, Path.read_text).strip() if path.is_file() else BASE_VERSION
        return version if _VERSION.match(version) and (self.folder / version).is_dir() else BASE_VERSION

    def manifest(self) -> list[dict[str, Any]]:
        """Every recorded version, oldest first (the JSON objects of manifest.json)."""
        path = self.root / "manifest.json"
        if not path.is_file():
            return []
        entries: list[dict[str, Any]] = self._read(path, lambda p: json.loads(p.read_text()))
        return entries

    def listed(self) -> list[str]:
        """The versions one can roll back to: v0000 and every version the manifest records."""
        return [BASE_VERSION, *(entry["versi"] for entry in self.manifest())]

    def files(self, version: str | None = None) -> dict[str, list[str]]:
        """Parquet files of each kind ("results", "levels") in force: the base, overlaid by the version."""
        version = version or self.current()
        chosen: dict[tuple[str, str], Path] = {}
        for kind in ("results", "levels"):
            for path in sorted((self.data_dir / kind).glob("tahun=*/part-0.parquet")):
                chosen[(kind, path.parent.name)] = path
            if version != BASE_VERSION:
                for path in sorted((self.folder / version / kind).glob("tahun=*/part-0.parquet")):
                    chosen[(kind, path.parent.name)] = path
        return {kind: sorted(str(p) for (k, _), p in chosen.items() if k == kind) for kind in ("results", "levels")}

    def year_frames(self, year: int, version: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(results, levels) of one year as they stand in the version (empty frames if none)."""
        files = self.files(version)
        part = f"tahun={year}"
        results = [f for f in files["results"] if Path(f).parent.name == part]
        levels = [f for f in files["levels"] if Path(f).parent.name == part]
        return (
            self._read(results[0], read_results)  # a snapshot of the layout before reads as komponen_1..n
            if results
            else pd.DataFrame(columns=["instansi_id", "indeks", "predikat"]),
            self._read(levels[0], pd.read_parquet) if levels else pd.DataFrame(columns=["instansi_id"]),
        )

    def national_entries(self, version: str | None = None) -> pd.DataFrame:
        """The national indices an admin entered, as they stand in the version: tahun, kerangka (the
        framework key), indeks_nasional, sumber, oleh, waktu; one row per year (none in v0000)."""
        path = self.folder / (version or self.current()) / NATIONAL_FILE
        if not path.is_file():
            return pd.DataFrame({column: pd.Series(dtype=kind) for column, kind in _NATIONAL_COLUMNS.items()})
        return self._read(path, _read_national)

    def entry_years(self) -> list[int]:
        """The years a national index may be entered for: those with per-instansi results in the version in
        force and those of the published national series."""
        imported = {int(Path(file).parent.name.removeprefix("tahun=")) for file in self.files()["results"]}
        return sorted(imported | set(self._series()))

    def national_index_in_force(self, year: int) -> float | None:
        """The official national index of the year as it stands: entered, else published, else None."""
        entries = self.national_entries().set_index("tahun")["indeks_nasional"]
        return float(entries[year]) if year in entries.index else self._series().get(year)

    def _series(self) -> dict[int, float | None]:
        """The published national index of every year of the series (None where a year has none)."""
        path = self.data_dir / "reference" / NATIONAL_SERIES_FILE
        table = self._read(path, lambda p: pd.read_csv(p, usecols=["year", "national_index"]))
        return {
            int(year): None if pd.isna(index) else float(index)
            for year, index in zip(table["year"], table["national_index"], strict=True)
        }

    def unreadable(self, path: str | Path, error: Exception) -> DataUnreadable:
        """The fault of a data file that cannot be read: which file, why, and what to do about it."""
        path = Path(path)
        if getattr(error, "errno", None) in _DENIED or "Permission denied" in str(error):
            return DataUnreadable(
                f"Berkas data {path} tidak dapat dibaca (izin ditolak). Perbaiki izinnya: pengguna yang menjalankan "
                "dasbor atau perintah ini harus dapat membaca berkas itu dan folder-foldernya."
            )
        if path.parent == self.root:  # CURRENT, manifest.json
            todo = f"pulihkan dari salinan sebelumnya {path.name}.prev di folder yang sama bila ada"
        elif path.is_relative_to(self.folder):
            target = self._rollback_target(path)
            todo = (
                f"kembalikan data ke versi {target} dengan `python -m spbe rollback {target}` "
                "atau di halaman Impor data"
            )
        else:
            todo = (
                "pulihkan berkas itu dari repositori, atau bangun ulang data bawaan dengan "
                "`python -m spbe prepare --force`"
            )
        return DataUnreadable(f"Berkas data {path} rusak atau tidak terbaca; {todo}.")

    # ------------------------------------------------------------------ preview and commit

    def preview(self, parsed: ParsedImport) -> Preview:
        """What the import would add, replace and leave alone, and its effect on the year."""
        before, _ = self.year_frames(parsed.year)
        merged = _merge(before, parsed.results)  # never empty: an import holds at least one row
        bands = parsed.framework.bands
        old, new = set(before["instansi_id"]), set(parsed.results["instansi_id"])
        return Preview(
            parsed.year,
            sorted(new - old),
            sorted(new & old),
            sorted(old - new),
            None if before.empty else _mean(before),
            _mean(merged),
            None if before.empty else _below(before, bands),
            _below(merged, bands),
        )

    def commit(self, parsed: ParsedFile, who: str = "admin", now: datetime | None = None) -> str:
        """Write a new version with the import merged into its year(s), then make it current.

        `parsed` is a whole file (spbe.data.importer.ParsedFile): every year of it lands in the same
        version, so a file is never half-imported.
        """
        parts = parsed.years

        def write(building: Path) -> None:
            for part in parts:
                self._write_year(part, building)

        with self._writing(), self._lock():
            self._clean()
            previews = [self.preview(part) for part in parts]
            version, previous = self._new_version(write)
            self._record(parts, previews, version, previous, who, now)
            self._set_current(version)
        return version

    def enter_national_index(
        self, year: int, index: str, source: str, who: str = "admin", now: datetime | None = None
    ) -> str:
        """Record the official national index of a year (as typed: "3,21") and its source as a new version,
        in force at once; raise NationalIndexRejected listing every problem, changing nothing.

        The year must have per-instansi results in the version in force or be a year of the published
        series (an entry then replaces its published index: a correction, recorded with the value before);
        the index must lie on the scale of the year's framework, and the source must be given."""
        with self._writing(), self._lock():
            self._clean()  # and checked under the lock: the years with results are those of the version in force
            value, cited = self._checked_national(year, index, source)
            frameworks = load_frameworks(self.data_dir / "reference")
            stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
            before = self.national_index_in_force(year)
            entries = self.national_entries()
            row = [year, frameworks.for_year(year).key, value, cited, who, stamp]
            entries = pd.concat(
                [entries[entries["tahun"] != year], pd.DataFrame([row], columns=list(_NATIONAL_COLUMNS))],
                ignore_index=True,
            ).sort_values("tahun")

            def write(building: Path) -> None:
                path = building / NATIONAL_FILE
                path.unlink(missing_ok=True)  # a hard link to the previous version's file: never write through it
                entries.to_csv(path, index=False)

            version, previous = self._new_version(write)
            self._append_record(
                {
                    "versi": version,
                    "sebelumnya": previous,
                    "waktu": stamp,
                    "oleh": who,
                    "jenis": NATIONAL_KIND,
                    "tahun": year,
                    "indeks_nasional": value,
                    "indeks_sebelumnya": before,
                    "sumber": cited,
                }
            )
            self._set_current(version)
        return version

    def _checked_national(self, year: int, index: str, source: str) -> tuple[float, str]:
        """(index, source) of an entry, checked; NationalIndexRejected with every problem otherwise."""
        problems = []
        years = self.entry_years()
        framework = load_frameworks(self.data_dir / "reference").covering(year)
        if year not in years or framework is None:
            problems.append(
                f"tahun {year} tidak dikenal: tidak ada hasil per instansi maupun angka seri nasional tahun itu "
                f"(tahun yang dapat diisi: {', '.join(map(str, years))})"
            )
        text = str(index).strip()
        value = parse_number(text)
        decimals = len(re.split(r"[,.]", text)[1]) if re.fullmatch(r"\d+[,.]\d+", text) else 0
        if value is None or not math.isfinite(value):
            problems.append(f"indeks {quoted(text)} bukan angka (tulis seperti 3,12)")
        elif decimals > MAX_INDEX_DECIMALS:
            problems.append(f"indeks {quoted(text)} memiliki lebih dari {MAX_INDEX_DECIMALS} desimal")
        elif framework is not None and not framework.bands.index_min <= value <= framework.bands.index_max:
            low, high = format_number(framework.bands.index_min), format_number(framework.bands.index_max)
            problems.append(
                f"indeks {quoted(text)} di luar skala {framework.index_scale} ({framework.title}: {low} sampai {high})"
            )
        cited = " ".join(str(source).split())  # one line: it is printed under every national figure
        if not cited:
            problems.append("sumber kosong: sebutkan publikasi resminya (judul, nomor, tanggal)")
        elif len(cited) > MAX_SOURCE_CHARS:
            problems.append(f"sumber lebih dari {MAX_SOURCE_CHARS} karakter; cukup judul, nomor dan tanggal")
        if problems or value is None:  # a missing value has its problem already
            raise NationalIndexRejected(problems)
        return value, cited

    def _new_version(self, write: Callable[[Path], None]) -> tuple[str, str]:
        """Build the next version (the one in force, its files linked, then write(folder)) and rename it into
        place; (version, the version it was built on). Under the lock; CURRENT is left to the caller."""
        previous = self.current()
        version = self._next_id()
        building = self.folder / f".tmp-{version}"  # unique: under the lock, any older one was just removed
        building.mkdir(parents=True)  # not mkdtemp: its 0700 would hide the version from other users
        try:
            if previous != BASE_VERSION:
                _link_files(self.folder / previous, building)
            write(building)
            os.rename(building, self.folder / version)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        return version, previous

    def _record(
        self,
        parts: list[ParsedImport],
        previews: list[Preview],
        version: str,
        previous: str,
        who: str,
        now: datetime | None,
    ) -> None:
        entry = {
            "versi": version,
            "sebelumnya": previous,
            "waktu": (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "oleh": who,
            "berkas": parts[0].file_name,
            "sha256": parts[0].sha256,
            "tahun": parts[0].year if len(parts) == 1 else [part.year for part in parts],
            "bentuk": ", ".join(dict.fromkeys(part.shape for part in parts)),
            "baris_dibaca": sum(part.rows_read for part in parts),
            "instansi": sum(len(p.results) for p in parts),
            "ditambah": sum(len(p.added) for p in previews),
            "diganti": sum(len(p.replaced) for p in previews),
            "tetap": sum(len(p.kept) for p in previews),
            "baris_tingkat": sum(0 if part.levels is None else len(part.levels) for part in parts),
        }
        self._append_record(entry)

    def _append_record(self, entry: dict[str, Any]) -> None:
        manifest = [*self.manifest(), entry]
        write_atomic(self.root / "manifest.json", lambda tmp: tmp.write_text(json.dumps(manifest, indent=2)))

    def rollback(self, version: str) -> None:
        """Make an earlier (or later) version current again; v0000 means the base alone.

        Only versions the manifest records: a folder without a record (left by a killed commit)
        was never checked into force and may be removed by the next commit."""
        with self._writing(), self._lock():
            known = self.listed()
            if version not in known or (version != BASE_VERSION and not (self.folder / version).is_dir()):
                raise VersionError(f"Versi {version!r} tidak ada (tersedia: {', '.join(known)}).")
            self._set_current(version)

    # ------------------------------------------------------------------ helpers

    def _write_year(self, parsed: ParsedImport, folder: Path) -> None:
        before, levels_before = self.year_frames(parsed.year)
        write_results(_merge(before, parsed.results), parsed.year, folder)
        if parsed.levels is not None or not levels_before.empty:
            # Levels of re-imported instansi no longer match their results: the import's own
            # levels (if any) replace them; everyone else keeps theirs. The file is written even
            # when empty, so that it hides the base's levels of that year.
            kept = levels_before[~levels_before["instansi_id"].isin(parsed.results["instansi_id"])]
            parts = [f for f in (kept, parsed.levels) if f is not None and not f.empty]
            levels = pd.concat(parts, ignore_index=True) if parts else _empty_levels()
            write_levels(levels, parsed.year, folder)

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """Hold the writers' lock: one commit or rollback at a time, across processes and threads.

        flock belongs to the open file, so two threads that each open it also exclude each other,
        and the kernel releases it when its holder dies: a killed commit never blocks the next."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o666)
        try:
            deadline = time.monotonic() + LOCK_WAIT_S
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise VersionBusy(
                            "Impor lain sedang disimpan; coba lagi sebentar lagi. Tidak ada data yang diubah."
                        ) from None
                    time.sleep(_LOCK_POLL_S)
            yield
        finally:
            os.close(handle)  # releases the lock

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """A write the system refuses (permissions, read-only or full disk) becomes a message that
        names the file and what to do; CURRENT is written last, so the version in force stays."""
        try:
            yield
        except OSError as error:
            if error.errno in _DENIED:
                todo = (
                    f"Perbaiki izin folder {self.root}: pengguna yang menjalankan dasbor atau perintah ini "
                    "harus dapat menulis di sana."
                )
            else:
                todo = f"Periksa folder {self.root} (ruang disk, izin), lalu coba lagi."
            raise VersionError(
                f"Tidak dapat menyimpan: {os_error_reason(error)}. Versi yang berlaku tidak berubah. {todo}"
            ) from error

    def _clean(self) -> None:
        """Remove what killed commits left behind. Called under the lock, when no other commit is
        running: every temporary folder and file is stale, and so is a version folder that no record
        lists (its commit died before the manifest), unless CURRENT names it."""
        for stale in self.folder.glob(".tmp-*"):
            shutil.rmtree(stale)
        for stale in self.root.glob(".*.tmp"):  # .CURRENT.*.tmp, .manifest.json.*.tmp (spbe.data.atomic)
            stale.unlink()
        keep = {*self.listed(), self.current()}
        for folder in self.folder.glob("v*"):
            if _VERSION.match(folder.name) and folder.name not in keep:
                shutil.rmtree(folder)

    def _read(self, path: str | Path, read: Callable[[Path], _T]) -> _T:
        """read(path), a failure to read being a DataUnreadable that says what to do."""
        try:
            return read(Path(path))
        except (OSError, ValueError, pa.ArrowException) as error:
            raise self.unreadable(path, error) from error

    def _rollback_target(self, broken: Path) -> str:
        """The newest version recorded before the one holding a broken file that does not share the
        file (versions share unchanged files as hard links), else v0000."""
        holder, *inside = broken.relative_to(self.folder).parts
        recorded: list[str] = [entry["versi"] for entry in self.manifest()]
        earlier = recorded[: recorded.index(holder)] if holder in recorded else []
        for version in reversed(earlier):
            copy = self.folder / version / Path(*inside)
            if (self.folder / version).is_dir() and not (copy.exists() and copy.samefile(broken)):
                return version
        return BASE_VERSION

    def _next_id(self) -> str:
        numbers = [int(p.name[1:]) for p in self.folder.glob("v*") if _VERSION.match(p.name)]
        numbers += [int(e["versi"][1:]) for e in self.manifest()]
        return f"v{max(numbers, default=0) + 1:04d}"

    def _set_current(self, version: str) -> None:
        write_atomic(self.root / "CURRENT", lambda tmp: tmp.write_text(version + "\n"))


def _read_national(path: Path) -> pd.DataFrame:
    """An entries file (NATIONAL_FILE); a file without its columns cannot be read as one."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)  # a source "NA" stays a source
    if list(table.columns) != list(_NATIONAL_COLUMNS):
        raise ValueError(f"{path.name}: kolom {', '.join(table.columns)}, diharapkan {', '.join(_NATIONAL_COLUMNS)}")
    return table.astype(_NATIONAL_COLUMNS)


def _link_files(source: Path, target: Path) -> None:
    """Hard-link every file of a version into a new one; folders get the umask's mode (copytree
    would copy each folder's mode, and with it a 0700 of an older version)."""
    for path in sorted(source.rglob("*")):
        if path.is_file():
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target / path.relative_to(source))


def _merge(before: pd.DataFrame, imported: pd.DataFrame) -> pd.DataFrame:
    kept = before[~before["instansi_id"].isin(imported["instansi_id"])]
    if "kategori" in before.columns and "kategori" not in imported.columns:
        # An import states no category: a replaced row keeps the one its year was published with.
        imported = imported.assign(kategori=imported["instansi_id"].map(before.set_index("instansi_id")["kategori"]))
    return pd.concat([kept, imported], ignore_index=True) if not kept.empty else imported.reset_index(drop=True)


def _mean(results: pd.DataFrame) -> float:
    return float(results["indeks"].mean())


def _below(results: pd.DataFrame, bands: Bands) -> float:
    """Share below Baik in percent by each row's predikat (the official one stands, also on a band edge)."""
    return 100.0 * float(results["predikat"].isin(bands.below_baik).mean())


def _empty_levels() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "instansi_id": pd.Series(dtype=str),
            "indikator": pd.Series(dtype="int16"),
            "tingkat": pd.Series(dtype="int8"),
            "provenance": pd.Series(dtype=str),
            "sumber": pd.Series(dtype=str),
        }
    )
