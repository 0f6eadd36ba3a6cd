"""What changed between two evaluation years on the same instrument: who moved between predikat, by how much the
index changed, and who was evaluated in one year only (issue #18, the Perubahan page and the press kit).

Two years are compared only when their frameworks share an index scale (the Indeks SPBE 2018-2025; never with the
Indeks Pemerintah Digital from 2026). Instansi are matched by their registry id, so a renamed instansi stays one;
an instansi of one year only is kept in its own list, never dropped. Predikat are the official ones of each year
(never recomputed from a printed index), ordered by the bands of the later year's framework. The attributes of a
matched instansi (name, kelompok, province) are those of the later year.

Pure pandas: no streamlit, no store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from spbe.core.rounding import NOISE_DECIMALS
from spbe.model.predikat import Bands

NAIK, TURUN, TETAP = "naik", "turun", "tetap"
DIRECTIONS = (NAIK, TURUN, TETAP)
# Columns of one year's results (store.results) the comparison keeps, besides the index and predikat
ATTRIBUTES = ("instansi_id", "nama", "kelompok", "kategori", "kode_provinsi", "nama_provinsi")
ONE_YEAR_COLUMNS = (*ATTRIBUTES, "indeks", "predikat", "provenance", "sumber")


def comparable_later(start: int, scales: Mapping[int, str]) -> list[int]:
    """The years after `start` on its index scale (`scales`: each year with per-instansi results -> the index
    scale of its framework), oldest first."""
    return sorted(year for year, scale in scales.items() if year > start and scale == scales[start])


def comparable_starts(scales: Mapping[int, str]) -> list[int]:
    """The years that have a later year on their index scale: the choices of a start year."""
    return sorted(year for year in scales if comparable_later(year, scales))


def latest_earlier(end: int, scales: Mapping[int, str], allowed: Mapping[int, bool] | None = None) -> int | None:
    """The latest year before `end` on its index scale (and `allowed`, if given: year -> whether it may pair), or
    None."""
    earlier = [
        year
        for year, scale in scales.items()
        if year < end and scale == scales[end] and (allowed is None or allowed.get(year, False))
    ]
    return max(earlier, default=None)


def default_pair(scales: Mapping[int, str]) -> tuple[int, int] | None:
    """The latest two comparable years (2023 -> 2024), or None when no two years share an index scale."""
    pairs = [(start, end) for end in sorted(scales) if (start := latest_earlier(end, scales)) is not None]
    return pairs[-1] if pairs else None


def checked_pair(start: str | None, end: str | None, scales: Mapping[int, str]) -> tuple[tuple[int, int], str | None]:
    """The pair of years a link asks for (?dari=2023&ke=2024, either may be missing) and None, or the default pair
    and an Indonesian message saying why the link's pair cannot be compared. Raises ValueError when no two years
    are comparable at all."""
    default = default_pair(scales)
    if default is None:
        raise ValueError("Belum ada dua tahun dengan hasil per instansi pada instrumen yang sama.")
    if start is None and end is None:
        return default, None
    try:
        first = int(start) if start is not None else None
        last = int(end) if end is not None else None
    except ValueError:
        shown = f"{start or '–'} → {end or '–'}"
        return default, f"Tahun pada tautan ({shown}) bukan angka tahun. Ditampilkan {_pair(default)}."
    if first is None and last is not None and last in scales:
        first = latest_earlier(last, scales)
    if last is None and first is not None and first in scales:
        later = comparable_later(first, scales)
        last = later[-1] if later else None
    if first is not None and last is not None and first in scales and last in comparable_later(first, scales):
        return (first, last), None
    asked = f"{start or '–'} → {end or '–'}"
    return default, (
        f"Pasangan tahun {asked} tidak dapat dibandingkan: tahun awal harus lebih dahulu daripada tahun akhir, "
        f"keduanya punya hasil per instansi dan diukur dengan instrumen yang sama. Ditampilkan {_pair(default)}."
    )


def _pair(pair: tuple[int, int]) -> str:
    return f"{pair[0]} → {pair[1]}"


@dataclass(frozen=True)
class Comparison:
    """The instansi of two years on one instrument: those in both (`matched`) and those in one year only.

    `matched` has the ATTRIBUTES (of the later year), indeks_awal, indeks_akhir, predikat_awal, predikat_akhir,
    perubahan (indeks_akhir - indeks_awal), arah (naik/turun/tetap by predikat), provenance_awal,
    provenance_akhir, sumber_awal, sumber_akhir; `only_start` and `only_end` the ONE_YEAR_COLUMNS of their year.
    """

    start: int
    end: int
    bands: Bands
    matched: pd.DataFrame
    only_start: pd.DataFrame
    only_end: pd.DataFrame

    def filtered(
        self, kelompok: list[str] | None = None, provinsi: list[str] | None = None, cari: str | None = None
    ) -> Comparison:
        """The comparison of the instansi in the given kelompok, provinces and whose name holds `cari` (case
        ignored); None means no filter. Each list is filtered on its own attributes (matched: the later year's)."""
        return replace(
            self,
            matched=_filter(self.matched, kelompok, provinsi, cari),
            only_start=_filter(self.only_start, kelompok, provinsi, cari),
            only_end=_filter(self.only_end, kelompok, provinsi, cari),
        )

    def options(self, column: str) -> list[str]:
        """The values of an attribute (kelompok, nama_provinsi) in either year: the filter's choices."""
        frames = (self.matched, self.only_start, self.only_end)
        return sorted({str(value) for frame in frames for value in frame[column].dropna()})


def _filter(
    rows: pd.DataFrame, kelompok: list[str] | None, provinsi: list[str] | None, cari: str | None
) -> pd.DataFrame:
    keep = pd.Series(True, index=rows.index)
    if kelompok:
        keep &= rows["kelompok"].isin(kelompok)
    if provinsi:
        keep &= rows["nama_provinsi"].isin(provinsi)
    if cari and cari.strip():
        keep &= rows["nama"].str.lower().str.contains(cari.strip().lower(), regex=False)
    return rows[keep].reset_index(drop=True)


def compare(start_rows: pd.DataFrame, end_rows: pd.DataFrame, start: int, end: int, bands: Bands) -> Comparison:
    """Match the results of two years (store.results of each) by instansi_id. `bands` are the later year's: every
    official predikat of both years must be one of its names (the two frameworks share an index scale)."""
    if start >= end:
        raise ValueError(f"Tahun awal {start} harus lebih dahulu daripada tahun akhir {end}.")
    unknown = sorted(set(start_rows["predikat"]).union(end_rows["predikat"]).difference(bands.names))
    if unknown:
        raise ValueError(f"Predikat {', '.join(map(str, unknown))} tidak ada pada pita {', '.join(bands.names)}.")
    rank = {name: number for number, name in enumerate(bands.names)}
    first = start_rows[["instansi_id", "indeks", "predikat", "provenance", "sumber"]]
    last = end_rows[[*ATTRIBUTES, "indeks", "predikat", "provenance", "sumber"]]
    matched = last.merge(first, on="instansi_id", suffixes=("_akhir", "_awal"), validate="one_to_one")
    # The change on the decimal values the tables print: 3,50 - 2,10 is 1,40, not 1,4000000000000004 (so that
    # equal changes tie and the tie-break decides)
    matched["perubahan"] = (matched["indeks_akhir"] - matched["indeks_awal"]).round(NOISE_DECIMALS)
    step = matched["predikat_akhir"].map(rank) - matched["predikat_awal"].map(rank)
    matched["arah"] = [NAIK if s > 0 else TURUN if s < 0 else TETAP for s in step]
    columns = [
        *ATTRIBUTES,
        "indeks_awal",
        "indeks_akhir",
        "perubahan",
        "predikat_awal",
        "predikat_akhir",
        "arah",
        "provenance_awal",
        "provenance_akhir",
        "sumber_awal",
        "sumber_akhir",
    ]
    matched = matched[columns].sort_values(["nama", "instansi_id"]).reset_index(drop=True)
    both = set(matched["instansi_id"])
    return Comparison(
        start=start,
        end=end,
        bands=bands,
        matched=matched,
        only_start=_one_year(start_rows, both),
        only_end=_one_year(end_rows, both),
    )


def _one_year(rows: pd.DataFrame, matched: set[str]) -> pd.DataFrame:
    alone = rows[~rows["instansi_id"].isin(matched)]
    return alone[list(ONE_YEAR_COLUMNS)].sort_values(["nama", "instansi_id"]).reset_index(drop=True)


def transition_matrix(comparison: Comparison) -> pd.DataFrame:
    """Instansi per predikat of the start year (rows) and of the end year (columns), every band in the bands'
    order (worst first), zero cells included."""
    names = list(comparison.bands.names)
    counts = pd.crosstab(comparison.matched["predikat_awal"], comparison.matched["predikat_akhir"])
    matrix = counts.reindex(index=names, columns=names, fill_value=0).astype(int)
    matrix.index.name, matrix.columns.name = "predikat_awal", "predikat_akhir"
    return matrix


def direction_counts(comparison: Comparison) -> dict[str, int]:
    """How many matched instansi moved up a predikat (naik), down (turun) or stayed (tetap)."""
    counts = comparison.matched["arah"].value_counts()
    return {direction: int(counts.get(direction, 0)) for direction in DIRECTIONS}


def movers(comparison: Comparison, count: int = 10, *, gains: bool = True) -> pd.DataFrame:
    """The `count` largest gains of the index (gains=True: perubahan > 0, largest first) or falls (perubahan < 0,
    steepest first). Ties by the later index (higher first for gains, lower first for falls), then by name and
    id: the same data always gives the same list."""
    rows = comparison.matched
    rows = rows[rows["perubahan"] > 0] if gains else rows[rows["perubahan"] < 0]
    ordered = rows.sort_values(
        ["perubahan", "indeks_akhir", "nama", "instansi_id"], ascending=[not gains, not gains, True, True]
    )
    return ordered.head(count).reset_index(drop=True)


def crossed_into_baik(comparison: Comparison) -> pd.DataFrame:
    """The matched instansi below Baik in the start year and Baik or better in the end year, largest gain
    first."""
    bands = comparison.bands
    rows = comparison.matched
    crossed = rows["predikat_awal"].isin(bands.below_baik) & rows["predikat_akhir"].isin(bands.baik_or_better)
    return rows[crossed].sort_values(["perubahan", "nama"], ascending=[False, True]).reset_index(drop=True)


def left_baik(comparison: Comparison) -> pd.DataFrame:
    """The matched instansi Baik or better in the start year and below Baik in the end year."""
    bands = comparison.bands
    rows = comparison.matched
    left = rows["predikat_awal"].isin(bands.baik_or_better) & rows["predikat_akhir"].isin(bands.below_baik)
    return rows[left].sort_values(["perubahan", "nama"]).reset_index(drop=True)


def change_by_group(comparison: Comparison, by: str = "kelompok") -> pd.DataFrame:
    """Per group of the matched instansi (`by`: kelompok, nama_provinsi, ...): n, the mean change of the index
    (rata_rata_perubahan), how many moved up a predikat (naik) and their share in percent (persen_naik); ordered by
    the mean change, largest first, then by name."""
    rows = comparison.matched.assign(_naik=comparison.matched["arah"].eq(NAIK))
    grouped = rows.groupby(by, sort=True)
    table = pd.DataFrame(
        {
            "n": grouped.size(),
            "rata_rata_perubahan": grouped["perubahan"].mean(),
            "naik": grouped["_naik"].sum().astype(int),
        }
    )
    table["persen_naik"] = 100.0 * table["naik"] / table["n"]
    table = table.rename_axis(by).reset_index()
    return table.sort_values(["rata_rata_perubahan", by], ascending=[False, True]).reset_index(drop=True)
