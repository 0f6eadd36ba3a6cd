"""Ranks of instansi within one evaluation year: nationally and within their kelompok.

Competition ranking ("1224"): instansi with the same index share a rank, and the next rank skips as many
places as shared it (1, 2, 2, 4). Instansi are ranked on the index as printed, two decimals rounded half-up on
its decimal value (spbe.core.rounding): two instansi a reader sees with the same index share their rank. The
official tables print two decimals already; a simulated year (2018) holds unrounded indices, which would
otherwise order instansi the reader sees as equal. A rank counts only the instansi of that year with an index:
ranks of two years, or of two index scales, are never put side by side here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from spbe.core.rounding import rounded_float

PRINTED_DECIMALS = 2  # the index as the official tables print it (3,12)


@dataclass(frozen=True)
class Rank:
    """One instansi's place among `of` instansi: `position` 1 is the highest index; `tied` counts the others
    with the same printed index (0 when it stands alone)."""

    position: int
    of: int
    tied: int


@dataclass(frozen=True)
class InstansiRanks:
    """An instansi's rank in the nation and in its kelompok, in one year."""

    national: Rank
    group: Rank
    kelompok: str


def printed_index(indices: pd.Series) -> pd.Series:
    """The index as printed: rounded half-up to two decimals on its decimal value (4.153333 -> 4.15)."""
    return indices.map(lambda value: value if pd.isna(value) else rounded_float(value, PRINTED_DECIMALS))


def competition_ranks(indices: pd.Series) -> pd.Series:
    """Competition ranks of the printed indices, highest first: [3.5, 3.1, 3.1, 2.0] -> [1, 2, 2, 4].

    An instansi without an index gets no rank (NA) and is not counted for the others."""
    return printed_index(indices).rank(method="min", ascending=False).astype("Int64")


def ranked(results: pd.DataFrame) -> pd.DataFrame:
    """The results of one year (instansi_id, kelompok, indeks) with the printed index (`indeks_cetak`) and the
    ranks in the nation (`peringkat_nasional`) and in the kelompok (`peringkat_kelompok`), best first."""
    out = results.assign(indeks_cetak=printed_index(results["indeks"]))
    out["peringkat_nasional"] = competition_ranks(out["indeks"])
    out["peringkat_kelompok"] = out.groupby("kelompok", group_keys=False)["indeks"].apply(competition_ranks)
    return out.sort_values(["peringkat_nasional", "nama"] if "nama" in out else ["peringkat_nasional"])


def _rank_among(rows: pd.DataFrame, column: str, instansi_id: str) -> Rank:
    """The rank of `instansi_id` among `rows` (of ranked()), from their ranks in `column`."""
    scored = rows.dropna(subset=["indeks_cetak"])
    own = scored.loc[scored["instansi_id"] == instansi_id].iloc[0]
    tied = int((scored["indeks_cetak"] == own["indeks_cetak"]).sum()) - 1
    return Rank(position=int(own[column]), of=len(scored), tied=tied)


def instansi_ranks(results: pd.DataFrame, instansi_id: str) -> InstansiRanks | None:
    """The ranks of one instansi among the results of its year; None when it has no index in them."""
    rows = ranked(results)
    own = rows.loc[rows["instansi_id"] == instansi_id]
    if own.empty or pd.isna(own["indeks_cetak"].iloc[0]):
        return None
    kelompok = str(own["kelompok"].iloc[0])
    return InstansiRanks(
        national=_rank_among(rows, "peringkat_nasional", instansi_id),
        group=_rank_among(rows.loc[rows["kelompok"] == kelompok], "peringkat_kelompok", instansi_id),
        kelompok=kelompok,
    )
