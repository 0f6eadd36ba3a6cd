"""Where a number comes from: the provenance every row, year and chart carries (DESIGN, Data).

A row is `resmi` (an official publication), `impor` (loaded by an admin) or `simulasi` (the
seeded 2018 simulation). A year or a chart that holds rows of several kinds has one of two
mixtures: official beside imported rows, or anything beside simulated rows, which every view
and image must mark as simulation. The values are the words written to files.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Provenance(StrEnum):
    RESMI = "resmi"
    IMPOR = "impor"
    SIMULASI = "simulasi"
    GABUNGAN = "gabungan"  # official and imported rows together, no simulated one
    MEMUAT_SIMULASI = "memuat_simulasi"  # simulated rows beside rows of another kind

    @property
    def has_simulation(self) -> bool:
        """Whether a view of these numbers must say, on screen and in the image, that they are simulated."""
        return self in (Provenance.SIMULASI, Provenance.MEMUAT_SIMULASI)


def provenance_of(rows: Iterable[str]) -> Provenance:
    """The provenance of a year or a chart from that of its rows (themselves possibly mixtures).

    One kind stays what it is; a simulated row among others makes the whole MEMUAT_SIMULASI,
    any other mixture is GABUNGAN. No rows is an error: what that means depends on the caller.
    """
    kinds = {Provenance(row) for row in rows}
    if not kinds:
        raise ValueError("Tidak ada baris untuk menentukan asal data.")
    if len(kinds) == 1:
        return kinds.pop()
    if any(kind.has_simulation for kind in kinds):
        return Provenance.MEMUAT_SIMULASI
    return Provenance.GABUNGAN
