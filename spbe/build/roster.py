"""Builds the instansi registry (data/instansi.parquet) from the reviewed reference rosters.

Reads provinsi_38.csv, provinsi_34_2018.csv, kabkota_514.csv, instansi_pusat.csv and
instansi_alias.csv, checks them (unique ids, one id per normalised alias, known categories and
province codes) and writes the registry atomically; spbe.data.registry reads it and resolves
names at run time. Also reads the 2019 asistensi roster (roster_2018.csv), which the 2018
simulation is drawn from. Nothing here imports streamlit: plain functions over pandas frames.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from spbe.data.atomic import write_atomic
from spbe.data.registry import (
    COLUMNS,
    KATEGORI_PUSAT,
    KELOMPOK_2018,
    LOKUS_PEMDA,
    LOKUS_PUSAT,
    STRING_COLUMNS,
    normalise_name,
    read_registry,
    registry_path,
)

ROSTER_COLUMNS = [
    "instansi_id",
    "nama_2018",
    "kelompok_2018",
    "kode_provinsi_2018",
    "evaluated_2018",
    "selection",
]

_ID_PATTERN = re.compile(r"^(?:\d{2}|\d{2}\.\d{2}|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)$")


class RegistryError(ValueError):
    """The reference files are inconsistent. The message names file, line, column and value."""


def _read_reference(path: Path, required: list[str]) -> pd.DataFrame:
    """Read a reference CSV as text; empty cells become "". Checks that columns exist."""
    if not path.is_file():
        raise RegistryError(f"{path}: file not found")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot be read as UTF-8 CSV ({exc})") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise RegistryError(f"{path}: missing column(s) {', '.join(missing)}")
    return frame.map(str.strip)


def _where(path: Path, index: int, column: str, value: object) -> str:
    """'file line N, column c, value v' (line 1 is the header)."""
    return f"{path.name} line {index + 2}, column {column}, value {value!r}"


def _check_unique(frame: pd.DataFrame, column: str, path: Path) -> None:
    duplicated = frame[frame[column].duplicated(keep="first")]
    if not duplicated.empty:
        index = duplicated.index[0]
        value = frame.at[index, column]
        first = frame.index[frame[column] == value][0]
        raise RegistryError(f"{_where(path, index, column, value)}: duplicate of line {first + 2}")


def _check_in(
    frame: pd.DataFrame, column: str, allowed: Iterable[str], path: Path, *, allow_empty: bool = False
) -> None:
    allowed = set(allowed)
    for index, value in frame[column].items():
        if value == "" and allow_empty:
            continue
        if value not in allowed:
            shown = sorted(allowed)
            hint = ", ".join(shown) if len(shown) <= 15 else f"{len(shown)} known values"
            raise RegistryError(f"{_where(path, index, column, value)}: not one of {hint}")


def _or_none(value: str) -> str | None:
    return value or None


def build_registry(reference_dir: Path) -> pd.DataFrame:
    """One row per instansi (pusat, then provinces, then kabupaten/kota by code).

    Reads provinsi_38.csv, provinsi_34_2018.csv, kabkota_514.csv, instansi_pusat.csv and
    instansi_alias.csv from ``reference_dir`` and validates them: unique ids, one id per
    normalised alias, allowed kategori/lokus/kelompok_2018, known province codes, known
    successor ids. Raises :class:`RegistryError` naming the file and line otherwise.
    """
    reference_dir = Path(reference_dir)
    p34_path = reference_dir / "provinsi_34_2018.csv"
    p38_path = reference_dir / "provinsi_38.csv"
    kk_path = reference_dir / "kabkota_514.csv"
    pusat_path = reference_dir / "instansi_pusat.csv"
    alias_path = reference_dir / "instansi_alias.csv"

    p34 = _read_reference(p34_path, ["kode", "nama"])
    _check_unique(p34, "kode", p34_path)
    nama_2018 = dict(zip(p34["kode"], p34["nama"], strict=True))

    p38 = _read_reference(p38_path, ["kode", "nama", "kode_2018", "iso_3166_2", "source"])
    _check_unique(p38, "kode", p38_path)
    _check_in(p38, "kode_2018", nama_2018, p38_path)
    nama_38 = dict(zip(p38["kode"], p38["nama"], strict=True))

    kk = _read_reference(kk_path, ["kode_kemendagri_2025", "nama", "jenis", "kode_prov_2025", "kode_prov_2018"])
    _check_unique(kk, "kode_kemendagri_2025", kk_path)
    _check_in(kk, "jenis", ["kabupaten", "kota"], kk_path)
    _check_in(kk, "kode_prov_2025", nama_38, kk_path)
    _check_in(kk, "kode_prov_2018", nama_2018, kk_path)
    for index, row in kk.iterrows():
        if row["kode_kemendagri_2025"].split(".")[0] != row["kode_prov_2025"]:
            raise RegistryError(
                f"{_where(kk_path, index, 'kode_kemendagri_2025', row['kode_kemendagri_2025'])}: "
                f"does not start with its province code {row['kode_prov_2025']!r}"
            )

    pusat = _read_reference(
        pusat_path,
        [
            "instansi_id",
            "nama",
            "kategori",
            "lokus",
            "kelompok_2018",
            "successor_id",
            "kode_provinsi",
            "kode_provinsi_2018",
            "source",
        ],
    )
    _check_unique(pusat, "instansi_id", pusat_path)
    _check_in(pusat, "kategori", KATEGORI_PUSAT, pusat_path)
    _check_in(pusat, "lokus", [LOKUS_PUSAT], pusat_path)
    _check_in(pusat, "kelompok_2018", KELOMPOK_2018, pusat_path, allow_empty=True)
    _check_in(pusat, "kode_provinsi", nama_38, pusat_path, allow_empty=True)
    _check_in(pusat, "kode_provinsi_2018", nama_2018, pusat_path, allow_empty=True)
    for index, row in pusat.iterrows():
        if row["kategori"] == "Polda" and not row["kode_provinsi"]:
            raise RegistryError(f"{_where(pusat_path, index, 'kode_provinsi', '')}: a Polda needs a province code")
        if not row["nama"]:
            raise RegistryError(f"{_where(pusat_path, index, 'nama', '')}: empty name")

    rows: list[dict[str, str | None]] = []
    for _, row in pusat.iterrows():
        rows.append(
            {
                "instansi_id": row["instansi_id"],
                "nama": row["nama"],
                "kategori": row["kategori"],
                "lokus": LOKUS_PUSAT,
                "kode_provinsi": _or_none(row["kode_provinsi"]),
                "nama_provinsi": nama_38.get(row["kode_provinsi"]),
                "kode_provinsi_2018": _or_none(row["kode_provinsi_2018"]),
                "nama_provinsi_2018": nama_2018.get(row["kode_provinsi_2018"]),
                "kelompok_2018": _or_none(row["kelompok_2018"]),
                "successor_id": _or_none(row["successor_id"]),
                "sumber": row["source"],
            }
        )
    for _, row in p38.iterrows():
        rows.append(
            {
                "instansi_id": row["kode"],
                "nama": f"Provinsi {row['nama']}",
                "kategori": "Provinsi",
                "lokus": LOKUS_PEMDA,
                "kode_provinsi": row["kode"],
                "nama_provinsi": row["nama"],
                "kode_provinsi_2018": row["kode_2018"],
                "nama_provinsi_2018": nama_2018[row["kode_2018"]],
                # The 2022 Papua provinces did not exist in 2018; kode_provinsi_2018 is the
                # province whose territory they were part of.
                "kelompok_2018": "Provinsi" if row["kode"] in nama_2018 else None,
                "successor_id": None,
                "sumber": row["source"],
            }
        )
    for _, row in kk.sort_values("kode_kemendagri_2025").iterrows():
        administrative = " Administrasi " in f" {row['nama']} "
        sumber = f"kabkota_514.csv (Kemendagri code 2025; BPS code {row.get('kode_bps', '')})"
        if administrative:
            sumber += "; administrative kabupaten/kota of DKI Jakarta, not an autonomous pemda"
        rows.append(
            {
                "instansi_id": row["kode_kemendagri_2025"],
                "nama": row["nama"],
                "kategori": row["jenis"].capitalize(),
                "lokus": LOKUS_PEMDA,
                "kode_provinsi": row["kode_prov_2025"],
                "nama_provinsi": nama_38[row["kode_prov_2025"]],
                "kode_provinsi_2018": row["kode_prov_2018"],
                "nama_provinsi_2018": nama_2018[row["kode_prov_2018"]],
                # All 514 kabupaten/kota existed in 2018 (the last ones were formed in 2014).
                "kelompok_2018": row["jenis"].capitalize(),
                "successor_id": None,
                "sumber": sumber,
            }
        )

    registry = pd.DataFrame(rows)
    ids = registry["instansi_id"]
    if ids.duplicated().any():
        duplicate = ids[ids.duplicated()].iloc[0]
        raise RegistryError(
            f"instansi_id {duplicate!r} is defined twice (instansi_pusat.csv, provinsi_38.csv "
            "and kabkota_514.csv must not share ids)"
        )
    for index, value in ids.items():
        if not _ID_PATTERN.match(value):
            raise RegistryError(f"instansi_id {value!r}: not a valid id (row {index} of the registry)")
    known = set(ids)
    for index, row in pusat.iterrows():
        if row["successor_id"] and row["successor_id"] not in known:
            raise RegistryError(
                f"{_where(pusat_path, index, 'successor_id', row['successor_id'])}: unknown instansi_id"
            )

    registry["aliases"] = _collect_aliases(registry, alias_path)
    registry = registry[COLUMNS]
    for column in STRING_COLUMNS:
        registry[column] = registry[column].astype("string")
    return registry


def _collect_aliases(registry: pd.DataFrame, alias_path: Path) -> list[list[str]]:
    """Aliases per registry row (nama first), checking that each normalised alias names one id."""
    aliases = _read_reference(alias_path, ["alias", "instansi_id", "source"])
    known = set(registry["instansi_id"])
    owner: dict[str, tuple[str, str]] = {}  # normalised alias -> (id, where it was defined)
    per_id: dict[str, list[str]] = {i: [] for i in registry["instansi_id"]}

    def claim(alias: str, instansi_id: str, where: str) -> None:
        key = normalise_name(alias)
        if not key:
            raise RegistryError(f"{where}: empty alias")
        previous = owner.get(key)
        if previous is not None and previous[0] != instansi_id:
            raise RegistryError(
                f"{where}: alias {alias!r} already names {previous[0]!r} ({previous[1]}); "
                f"one alias must name exactly one instansi"
            )
        if previous is None:
            owner[key] = (instansi_id, where)
            per_id[instansi_id].append(alias)

    for instansi_id, nama in zip(registry["instansi_id"], registry["nama"], strict=True):
        claim(nama, instansi_id, f"registry name of {instansi_id!r}")
    for index, row in aliases.iterrows():
        if row["instansi_id"] not in known:
            raise RegistryError(f"{_where(alias_path, index, 'instansi_id', row['instansi_id'])}: unknown instansi_id")
        claim(row["alias"], row["instansi_id"], _where(alias_path, index, "alias", row["alias"]))
    return [per_id[i] for i in registry["instansi_id"]]


def write_registry(path: Path, reference_dir: Path) -> Path:
    """Build the registry and write it to ``path`` atomically.

    Writes a temporary file in the same folder, reads it back to validate, then renames it
    over ``path``. When the content changes, the previous file is kept beside it as
    ``<name>.prev`` so it can be restored. A failed write leaves nothing behind.
    """
    registry = build_registry(reference_dir)

    def check(tmp: Path) -> None:
        pd.testing.assert_frame_equal(read_registry(tmp), registry)

    return write_atomic(Path(path), lambda tmp: registry.to_parquet(tmp, index=False), check)


def load_roster_2018(reference_dir: Path) -> pd.DataFrame:
    """The 623 instansi of the 2019 asistensi roster (data/reference/roster_2018.csv).

    ``evaluated_2018`` is True for the 616 instansi evaluated in 2018. Which kabupaten/kota
    (and which 'lembaga lainnya') those were is not published; the roster is a documented,
    deterministic reconstruction (see data/reference/build_roster.py and the ``selection``
    column).
    """
    path = Path(reference_dir) / "roster_2018.csv"
    roster = _read_reference(path, ROSTER_COLUMNS)
    _check_unique(roster, "instansi_id", path)
    _check_in(roster, "kelompok_2018", KELOMPOK_2018, path)
    _check_in(roster, "evaluated_2018", ["true", "false"], path)
    roster = roster[ROSTER_COLUMNS].copy()
    roster["evaluated_2018"] = roster["evaluated_2018"] == "true"
    for column in ROSTER_COLUMNS:
        if column != "evaluated_2018":
            roster[column] = roster[column].replace("", None).astype("string")
    return roster


def main(argv: list[str] | None = None) -> int:
    """Build <data folder>/instansi.parquet from the reference CSVs of that folder and print counts."""
    parser = argparse.ArgumentParser(prog="python -m spbe.build.roster", description=main.__doc__)
    parser.add_argument("--data-dir", type=Path, required=True, help="data folder (its reference/ is read)")
    data_dir = parser.parse_args(argv).data_dir
    try:
        path = write_registry(registry_path(data_dir), data_dir / "reference")
        registry = read_registry(path)
        roster = load_roster_2018(data_dir / "reference")
    except RegistryError as exc:
        print(f"build-registry failed: {exc}", file=sys.stderr)
        return 1
    missing = sorted(set(roster["instansi_id"]) - set(registry["instansi_id"]))
    if missing:
        print(f"build-registry failed: roster_2018.csv ids not in the registry: {missing}", file=sys.stderr)
        return 1
    print(f"wrote {path} ({len(registry)} instansi, {sum(len(a) for a in registry['aliases'])} aliases)")
    for (lokus, kategori), count in registry.groupby(["lokus", "kategori"]).size().items():
        print(f"  {lokus:<18} {kategori:<36} {count:>4}")
    evaluated = roster[roster["evaluated_2018"]]
    print(f"roster 2018: {len(roster)} instansi, {len(evaluated)} evaluated in 2018")
    for kelompok, count in evaluated.groupby("kelompok_2018").size().items():
        print(f"  {kelompok:<18} {count:>4}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
