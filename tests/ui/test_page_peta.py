"""AppTest of the Peta page: both maps, the folds said aloud, the metric and filter from the URL."""

from streamlit.testing.v1 import AppTest

from spbe.settings import ROOT
from tests.helpers import chart_figures

TIMEOUT_S = 60


def open_peta(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "peta.py"), default_timeout=TIMEOUT_S)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def text_of(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "warning") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def filled_traces(figure: dict) -> list[dict]:
    return [trace for trace in figure["data"] if trace.get("fill") == "toself"]


def annotations(figure: dict) -> str:
    return " ".join(a["text"] for a in figure["layout"].get("annotations", [])).replace("<br>", " ")


def test_peta_2018_rests_on_the_simulation_and_folds_kalimantan_utara():
    at = open_peta(tahun="2018")
    assert not at.exception
    assert "SIMULASI" in text_of(at)
    assert "Kalimantan Utara digabung ke Kalimantan Timur" in text_of(at)
    choropleth, tiles = chart_figures(at)
    assert len(filled_traces(choropleth)) == 33  # one per polygon group: 34 provinces on 33 polygons
    assert "Kalimantan Utara digabung ke Kalimantan Timur" in annotations(choropleth)
    assert "SIMULASI – bukan data resmi" in annotations(choropleth)
    assert len(tiles["layout"]["shapes"]) == 34
    assert "526 instansi daerah di 34 provinsi · evaluasi 2018" in text_of(at)


def test_peta_2024_says_how_the_papua_split_is_drawn():
    at = open_peta(tahun="2024")
    assert not at.exception
    text = text_of(at)
    assert "Papua Selatan, Papua Tengah dan Papua Pegunungan digabung ke Papua" in text
    assert "Papua Barat Daya digabung ke Papua Barat" in text
    assert "SIMULASI" not in text
    choropleth, tiles = chart_figures(at)
    assert len(filled_traces(choropleth)) == 33
    names = {trace["name"] for trace in filled_traces(choropleth)}
    assert "Papua, Papua Selatan, Papua Tengah dan Papua Pegunungan" in names
    assert "Papua Barat dan Papua Barat Daya" in names
    assert "Papua Barat Daya digabung ke Papua Barat" in annotations(choropleth)
    assert len(tiles["layout"]["shapes"]) == 38  # the tile map keeps all 38 apart


def test_the_metric_comes_from_the_url():
    at = open_peta(tahun="2024", metrik="Indeks pemerintah provinsi")
    assert not at.exception
    assert at.selectbox(key="metrik").value == "indeks_pemprov"
    _, tiles = chart_figures(at)
    assert "<b>Jabar</b><br>4,73" in tiles["data"][0]["text"]
    assert (
        tiles["layout"]["title"]["text"]
        .replace("<br>", " ")
        .startswith("Indeks SPBE pemerintah provinsi per provinsi, 2024")
    )


def test_the_category_filter_narrows_the_instansi_counted():
    at = open_peta(tahun="2024")
    at.multiselect(key="kelompok").set_value(["Provinsi"]).run()
    assert not at.exception
    assert "38 instansi daerah di 38 provinsi · evaluasi 2024" in text_of(at)
    _, tiles = chart_figures(at)
    assert "<b>Jabar</b><br>4,73" in tiles["data"][0]["text"]  # the mean of one pemprov is its index


def test_the_category_filter_offers_only_instansi_with_a_province():
    at = open_peta(tahun="2018")
    assert set(at.multiselect(key="kelompok").options) == {"Kabupaten", "Kota", "Polda", "Provinsi"}
