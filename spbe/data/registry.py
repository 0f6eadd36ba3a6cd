"""Instansi registry: one stable id per instansi, so that evaluation years can be joined.

This module reads the registry (data/instansi.parquet) and resolves names; spbe.build.roster
builds it from the reference rosters.

Ids
    * Pemerintah daerah use the Kemendagri code: ``"33"`` for Provinsi Jawa Tengah,
      ``"33.74"`` for Kota Semarang (codes of 2025; the 38 provinces of today).
    * Instansi pusat use a short upper-case code (``"KEMENKEU"``, ``"BPS"``, ``"POLDA-31"``),
      hand-reviewed in ``data/reference/instansi_pusat.csv``. Dissolved or merged instansi
      keep their own id and point to the one that continues them in ``successor_id``.

Names
    Every spelling seen in a source is listed in ``data/reference/instansi_alias.csv``. That
    file is generated once, deterministically, by ``data/reference/build_aliases.py`` and
    reviewed; at run time this module only does exact look-ups after whitespace/case
    normalisation (:func:`normalise_name`). There is no fuzzy matching: a name that is not
    listed raises :class:`UnmatchedNamesError`, and the fix is a reviewed alias row.

Names of instansi pusat follow the latest official SPBE table they appear in (evaluation
year 2024); the cabinet restructuring of October 2024 is not reflected.

Plain functions over pandas frames.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

LOKUS_PUSAT = "Instansi Pusat"
LOKUS_PEMDA = "Pemerintah Daerah"
KATEGORI_PUSAT = (
    "Kementerian",
    "LPNK",
    "LNS",
    "Sekretariat Jenderal Lembaga Negara",
    "Sekretariat Kabinet",
    "Alat Negara",
    "Lembaga Penyiaran Publik",
    "Instansi Lainnya",
    "Polda",
)
KATEGORI_PEMDA = ("Provinsi", "Kabupaten", "Kota")
KATEGORI = KATEGORI_PUSAT + KATEGORI_PEMDA
KELOMPOK_2018 = ("Kementerian", "LPNK", "Lembaga lainnya", "Polda", "Provinsi", "Kota", "Kabupaten")

COLUMNS = [
    "instansi_id",
    "nama",
    "kategori",
    "lokus",
    "kode_provinsi",
    "nama_provinsi",
    "kode_provinsi_2018",
    "nama_provinsi_2018",
    "kelompok_2018",
    "successor_id",
    "aliases",
    "sumber",
]
STRING_COLUMNS = [c for c in COLUMNS if c != "aliases"]


class UnmatchedNamesError(LookupError):
    """Some instansi names have no alias in the registry."""

    def __init__(self, names: list[str]):
        self.names = list(names)
        listed = "\n".join(f"  - {name!r}" for name in self.names)
        super().__init__(
            f"{len(self.names)} instansi name(s) not found in the registry "
            f"(add a reviewed row to data/reference/instansi_alias.csv):\n{listed}"
        )


def normalise_name(name: str) -> str:
    """Key used for alias look-up: Unicode NFC, case-folded, whitespace collapsed and trimmed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


# --------------------------------------------------------------------------- lookup


def alias_index(registry: pd.DataFrame) -> dict[str, str]:
    """Normalised alias -> instansi_id for a registry frame."""
    index: dict[str, str] = {}
    for instansi_id, aliases in zip(registry["instansi_id"], registry["aliases"], strict=True):
        for alias in aliases:
            index[normalise_name(alias)] = instansi_id
    return index


def resolve_names(names: Iterable[str], registry: pd.DataFrame) -> pd.Series:
    """Map instansi names to ids by exact (normalised) alias look-up.

    Returns a Series indexed by the given names (order and duplicates kept) with the
    instansi_id as value. Raises :class:`UnmatchedNamesError` listing every name (once, in
    order of first appearance) that has no alias.
    """
    names = list(names)
    index = alias_index(registry)
    ids: list[str | None] = []  # None only where a name is unmatched, and then nothing is returned
    unmatched: list[str] = []
    for name in names:
        instansi_id = index.get(normalise_name(name)) if isinstance(name, str) else None
        if instansi_id is None:
            shown = name if isinstance(name, str) else repr(name)
            if shown not in unmatched:
                unmatched.append(shown)
        ids.append(instansi_id)
    if unmatched:
        raise UnmatchedNamesError(unmatched)
    return pd.Series(ids, index=pd.Index(names, name="nama"), name="instansi_id", dtype="string")


# --------------------------------------------------------------------------- files


def registry_path(data_dir: Path) -> Path:
    """Where a data folder keeps its registry."""
    return Path(data_dir) / "instansi.parquet"


def read_registry(path: Path) -> pd.DataFrame:
    """Read a registry written by spbe.build.roster.write_registry (aliases back as lists of str)."""
    registry = pd.read_parquet(path)
    registry["aliases"] = [list(map(str, a)) for a in registry["aliases"]]
    for column in STRING_COLUMNS:
        registry[column] = registry[column].astype("string")
    return registry[COLUMNS]
