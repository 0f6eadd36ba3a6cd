"""Versioned, atomic storage of imported results on top of the committed data.

    data/results, data/levels          the committed base (resmi, simulasi): never modified here
    data/imports/versions/vNNNN/       one complete overlay per import: every imported year's
                                       results (and levels) as they stand after that import
    data/imports/manifest.json         every version: time, file, SHA-256, rows, who, what changed
    data/imports/CURRENT               the version in force ("v0000" = the base alone)

A commit builds the new overlay in a temporary folder beside the others, checks it, renames
it into place, records it in the manifest, and only then rewrites CURRENT (write to a
temporary file, rename). Readers take CURRENT once and read that version's files, which are
never changed after their rename, so they see the old data or the new, never a mixture; a
crash at any point leaves CURRENT naming a complete version. Rollback rewrites CURRENT.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from spbe import paths
from spbe.atomic import write_atomic
from spbe.datafiles import write_levels, write_results
from spbe.predikat import BELOW_BAIK

BASE_VERSION = "v0000"
_VERSION = re.compile(r"^v\d{4}$")


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


class VersionStore:
    def __init__(self, data_dir: Path | None = None):
        self.data_dir = Path(data_dir or paths.DATA_DIR)  # read at call time: SPBE_DATA_DIR, tests
        self.root = self.data_dir / "imports"
        self.folder = self.root / "versions"

    # ------------------------------------------------------------------ reading

    def current(self) -> str:
        path = self.root / "CURRENT"
        version = path.read_text().strip() if path.is_file() else BASE_VERSION
        return version if version == BASE_VERSION or (self.folder / version).is_dir() else BASE_VERSION

    def manifest(self) -> list[dict]:
        path = self.root / "manifest.json"
        return json.loads(path.read_text()) if path.is_file() else []

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
        return (pd.read_parquet(results[0]) if results else pd.DataFrame(columns=["instansi_id", "indeks", "predikat"]),
                pd.read_parquet(levels[0]) if levels else pd.DataFrame(columns=["instansi_id"]))  # fmt: skip

    # ------------------------------------------------------------------ preview and commit

    def preview(self, parsed) -> Preview:
        """What the import would add, replace and leave alone, and its effect on the year."""
        before, _ = self.year_frames(parsed.year)
        merged = _merge(before, parsed.results)
        old, new = set(before["instansi_id"]), set(parsed.results["instansi_id"])
        return Preview(
            parsed.year, sorted(new - old), sorted(new & old), sorted(old - new),
            _mean(before), _mean(merged), _below(before), _below(merged),
        )  # fmt: skip

    def commit(self, parsed, who: str = "admin", now: datetime | None = None) -> str:
        """Write a new version with the import merged into its year(s), then make it current.

        `parsed` is one year (spbe.importer.ParsedImport) or a whole file (ParsedFile): every
        year of a file lands in the same version, so a file is never half-imported.
        """
        parts = parsed.years if hasattr(parsed, "years") else [parsed]
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob(".tmp-*"):  # left by an interrupted commit
            shutil.rmtree(stale, ignore_errors=True)
        previous = self.current()
        version = self._next_id()
        previews = [self.preview(part) for part in parts]
        building = Path(tempfile.mkdtemp(prefix=f".tmp-{version}-", dir=self.folder))
        try:
            if previous != BASE_VERSION:
                shutil.copytree(self.folder / previous, building, dirs_exist_ok=True, copy_function=os.link)
            for part in parts:
                self._write_year(part, building)
            os.rename(building, self.folder / version)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        entry = {
            "versi": version, "sebelumnya": previous,
            "waktu": (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"), "oleh": who,
            "berkas": parts[0].file_name, "sha256": parts[0].sha256,
            "tahun": parts[0].year if len(parts) == 1 else [part.year for part in parts],
            "bentuk": ", ".join(dict.fromkeys(part.shape for part in parts)),
            "baris_dibaca": sum(part.rows_read for part in parts), "instansi": sum(len(p.results) for p in parts),
            "ditambah": sum(len(p.added) for p in previews), "diganti": sum(len(p.replaced) for p in previews),
            "tetap": sum(len(p.kept) for p in previews),
            "baris_tingkat": sum(0 if part.levels is None else len(part.levels) for part in parts),
        }  # fmt: skip
        manifest = [*self.manifest(), entry]
        write_atomic(self.root / "manifest.json", lambda tmp: tmp.write_text(json.dumps(manifest, indent=2)))
        self._set_current(version)
        return version

    def rollback(self, version: str) -> None:
        """Make an earlier (or later) version current again; v0000 means the base alone."""
        if version != BASE_VERSION and not (_VERSION.match(version) and (self.folder / version).is_dir()):
            known = ", ".join([BASE_VERSION] + [e["versi"] for e in self.manifest()])
            raise VersionError(f"Versi {version!r} tidak ada (tersedia: {known}).")
        self._set_current(version)

    # ------------------------------------------------------------------ helpers

    def _write_year(self, parsed, folder: Path) -> None:
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

    def _next_id(self) -> str:
        numbers = [int(p.name[1:]) for p in self.folder.glob("v*") if _VERSION.match(p.name)]
        numbers += [int(e["versi"][1:]) for e in self.manifest()]
        return f"v{max(numbers, default=0) + 1:04d}"

    def _set_current(self, version: str) -> None:
        write_atomic(self.root / "CURRENT", lambda tmp: tmp.write_text(version + "\n"))


def _merge(before: pd.DataFrame, imported: pd.DataFrame) -> pd.DataFrame:
    kept = before[~before["instansi_id"].isin(imported["instansi_id"])]
    if "kategori" in before.columns and "kategori" not in imported.columns:
        # An import states no category: a replaced row keeps the one its year was published with.
        imported = imported.assign(kategori=imported["instansi_id"].map(before.set_index("instansi_id")["kategori"]))
    return pd.concat([kept, imported], ignore_index=True) if not kept.empty else imported.reset_index(drop=True)


def _mean(results: pd.DataFrame) -> float | None:
    return None if results.empty else float(results["indeks"].mean())


def _below(results: pd.DataFrame) -> float | None:
    """Share below Baik by each row's predikat (the official one stands, also on a band edge)."""
    return None if results.empty else 100.0 * float(results["predikat"].isin(BELOW_BAIK).mean())


def _empty_levels() -> pd.DataFrame:
    return pd.DataFrame({"instansi_id": pd.Series(dtype=str), "indikator": pd.Series(dtype="int16"),
                         "tingkat": pd.Series(dtype="int8"), "provenance": pd.Series(dtype=str),
                         "sumber": pd.Series(dtype=str)})  # fmt: skip
