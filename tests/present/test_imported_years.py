"""An imported year: a year with no data before (2025) is visible everywhere at once after the commit,
and a re-imported official row keeps the category its year's report gave it."""

import math
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from spbe.data.importer import parse_import
from spbe.data.registry import read_registry, registry_path
from spbe.data.store import Store
from spbe.data.versions import VersionStore
from spbe.model.provenance import Provenance
from spbe.present import maps, overview
from spbe.present.figures import MEAN_LABEL
from spbe.present.presskit import captions, kit_charts
from spbe.settings import DATA, ROOT
from tests.frameworks import FRAMEWORKS
from tests.helpers import chart_figures, run_cli, trace_named

# 2025, the last year on the SPBE instrument (PermenPANRB 59/2020): the national index was not
# published; these per-instansi values were (spbe_facts.md 5.1: kabarbanyuwangi.info and
# bintangtenggara.net for the top five, XPOSE for Kalimantan Tengah, github:Niumination/PemdiAcehTengah
# for Aceh Tengah and its domains).
RESULTS_2025 = """tahun,instansi,kebijakan,tata_kelola,manajemen,layanan,indeks,predikat
2025,Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi,,,,,"4,88",Memuaskan
2025,Kabupaten Banyuwangi,,,,,"4,87",Memuaskan
2025,Provinsi Jawa Barat,,,,,"4,80",Memuaskan
2025,Provinsi Jawa Timur,,,,,"4,79",Memuaskan
2025,Kota Surabaya,,,,,"4,78",Memuaskan
2025,Provinsi Kalimantan Tengah,,,,,"3,41",Baik
2025,Kabupaten Aceh Tengah,"2,30","1,70","1,00","3,75","2,59",Cukup
"""
MEAN_2025 = (4.88 + 4.87 + 4.80 + 4.79 + 4.78 + 3.41 + 2.59) / 7  # 4,30: not a national index
PAGES = [
    ("ringkasan", {}),
    ("sebaran", {}),
    ("domain", {}),
    ("peta", {}),
    ("asistensi", {}),
    ("ekspor", {}),
    ("profil", {"instansi": "Kabupaten Banyuwangi"}),
]


def copy_of_data(target):
    shutil.copytree(ROOT / "data", target, ignore=shutil.ignore_patterns("imports", "*.prev"))
    return target


def commit(data_dir, text: str, file_name: str, year: int) -> None:
    registry = read_registry(registry_path(data_dir))
    parsed = parse_import(text.encode(), file_name, registry, FRAMEWORKS, year=year, who="uji")
    VersionStore(data_dir).commit(parsed, who="uji")


@pytest.fixture(scope="module")
def data_2025(tmp_path_factory):
    """A private data folder with the 2025 file committed, and the dashboard pointed at it."""
    data_dir = copy_of_data(tmp_path_factory.mktemp("tahun2025") / "data")
    commit(data_dir, RESULTS_2025, "hasil_2025.csv", 2025)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA.environment, str(data_dir))
        yield data_dir


@pytest.fixture(scope="module")
def store_2025(data_2025):
    return Store(data_2025)


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_an_imported_year_is_a_year_of_the_store_with_its_own_summary(store_2025):
    year = store_2025.years().set_index("tahun").loc[2025]
    assert (year["grain"], year["provenance"], year["instansi"]) == ("component", "impor", 7)
    summary = store_2025.summary(2025)
    assert summary.national_index_official is None
    assert summary.target == 3.0  # RPJMN 2025-2029 (Perpres 12/2025): 3,00 for 2025 on the Indeks SPBE
    assert summary.gap == pytest.approx(3.0 - MEAN_2025)  # against the mean: the only figure of the year
    assert summary.national_index_mean == pytest.approx(MEAN_2025)
    assert (summary.instansi_evaluated, summary.baik_or_better_count) == (7, 6)
    assert summary.source.startswith("Impor hasil_2025.csv oleh uji")
    rows = store_2025.results(2025).set_index("instansi_id")  # an import states no category: the registry's
    assert rows.at["KEMENPANRB", "kelompok"] == "Kementerian"
    assert rows.at["35.10", "kelompok"] == "Kabupaten"


def test_the_summary_command_sees_the_imported_year(data_2025):
    result = run_cli(data_2025, "summary", "--year", "2025")
    assert result.returncode == 0, result.stderr
    assert "Ringkasan SPBE 2025 (PermenPANRB 59/2020)" in result.stdout
    assert "Rata-rata instansi      : 4,30 (dihitung ulang)" in result.stdout
    assert "Instansi dievaluasi     : 7" in result.stdout
    assert "Impor hasil_2025.csv" in result.stdout


def test_every_pages_year_selector_offers_the_imported_year(data_2025):
    for page, query in PAGES:
        at = open_page(page, tahun="2025", **query)
        assert not at.exception, (page, at.exception)
        selector = at.selectbox(key="tahun")
        assert "2025" in selector.options and selector.value == 2025, page
    assert {m.label: m.value for m in at.metric}["Indeks SPBE 2025"] == "4,87"  # Profil of Kab. Banyuwangi


def test_the_overview_series_shows_the_recomputed_mean_never_as_the_national_index(store_2025):
    series = overview.index_series(store_2025).set_index("tahun")
    assert series.index.tolist() == list(range(2018, 2026))
    assert series.loc[2024, ["indeks_nasional", "provenance"]].tolist() == [3.12, "resmi"]
    row = series.loc[2025]
    assert row.isna()["indeks_nasional"] and row["target"] == 3.0
    assert row["rata_rata_instansi"] == pytest.approx(MEAN_2025)
    assert row["provenance"] == "impor" and row["sumber"].startswith("Impor hasil_2025.csv")


def test_the_overview_page_of_the_imported_year_labels_the_mean_as_recomputed(data_2025):
    at = open_page("ringkasan", tahun="2025")
    metrics = {m.label: m.value for m in at.metric}
    assert "Indeks SPBE Nasional" not in metrics
    assert metrics[MEAN_LABEL] == "4,30"
    assert (metrics["Target"], metrics["Instansi dievaluasi"]) == ("3", "7")
    national = chart_figures(at)[0]
    assert trace_named(national, "Indeks SPBE Nasional")["x"][-1] == 2025
    assert math.isnan(trace_named(national, "Indeks SPBE Nasional")["y"][-1])  # no official point for 2025
    mean = trace_named(national, MEAN_LABEL)
    assert (mean["x"], mean["text"]) == ([2025], ["4,30"])
    assert "rata-rata instansi (dihitung ulang) 4,30" in " ".join(str(m.value) for m in at.markdown)
    assert "Asal data: **Data impor**" in [c.value for c in at.caption]


def test_the_map_of_the_imported_year(store_2025, data_2025):
    view = maps.map_view(store_2025, 2025)
    assert (view.instansi, view.pusat, view.provenance) == (6, 1, "impor")
    assert set(view.provinces["provinsi"]) == {"Jawa Barat", "Jawa Timur", "Kalimantan Tengah", "Aceh"}
    at = open_page("peta", tahun="2025")
    assert "6 instansi daerah di 4 provinsi · evaluasi 2025" in " ".join(c.value for c in at.caption)


def test_the_press_kit_of_the_imported_year_needs_no_national_figure(store_2025):
    charts = kit_charts(store_2025, 2025)
    slugs = [chart.slug for chart in charts]
    assert slugs == [
        "indeks_nasional_2025",
        "sebaran_predikat_2025",
        "baik_per_kelompok_2025",
        "kohort_per_kota_2025",
        "peta_provinsi_2025",
        "peta_petak_2025",
        # what changed since 2024, the latest earlier official year on the same instrument: the seven instansi
        # imported all rose, so there is no chart of the largest falls
        "transisi_predikat_2024_2025",
        "alur_predikat_2024_2025",
        "kenaikan_terbesar_2024_2025",
        "perubahan_per_kelompok_2024_2025",
        "peta_perubahan_2024_2025",
    ]
    national = charts[0]
    assert national.meta.provenance == Provenance.GABUNGAN
    assert national.table.set_index("tahun").at[2025, "provenance"] == "impor"
    text = captions(store_2025, 2025, charts)
    assert "Indeks SPBE Nasional 2025 belum dipublikasikan; rata-rata instansi (dihitung ulang) 4,30" in text
    assert "tercatat –" not in text


def test_the_export_command_writes_the_kit_of_the_imported_year(data_2025, tmp_path, headless_shell):
    result = run_cli(data_2025, "export", "--year", "2025", "--out", str(tmp_path / "kit"), "--formats", "png")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "kit").glob("*.png"))[0] == "01_indeks_nasional_2025.png"


def test_a_re_imported_official_row_keeps_the_category_its_year_was_published_with(tmp_path):
    data_dir = copy_of_data(tmp_path / "data")
    row = '2023,Kejaksaan Agung,"4,00","3,20","2,55","3,76","3,45",Baik\n'  # the 2023 report's row
    commit(data_dir, RESULTS_2025.splitlines()[0] + "\n" + row, "koreksi_2023.csv", 2023)
    store = Store(data_dir)
    assert store.results(2023).set_index("instansi_id").at["KEJAGUNG", "provenance"] == "impor"
    shares = store.baik_share_by_group(2023, "kategori").set_index("kelompok_tampil")["n"]
    assert (shares["Alat Negara"], shares["Sekretariat Jenderal Lembaga Negara"]) == (3, 7)
