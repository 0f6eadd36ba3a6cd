"""The Impor page for 2025 and 2026 (issue #17 items 4 and 5): templates of the chosen year's framework,
several files imported together (a 2025 file, a 2026 file and its agencies' file), the band-edge instansi
shown before saving, and the official national index of a year entered with its source, versioned."""

import pandas as pd
import pytest

from spbe.core.formatting import plain
from spbe.data.importer import parse_files
from spbe.data.store import Store
from spbe.data.versions import VersionStore
from tests.data.test_import import store_bytes
from tests.data.test_import_frameworks import LEVELS_2026, csv_bytes, main_and_agency, wide
from tests.data.test_national_index import LEVELS_2025, SOURCE
from tests.frameworks import FRAMEWORKS
from tests.test_cli_import import EDGE_2026
from tests.ui.test_page_impor import admin_env, log_in, open_import  # noqa: F401 - admin_env is a fixture


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_the_templates_follow_the_chosen_years_framework(admin_env):  # noqa: F811
    at = log_in(open_import())
    at.selectbox(key="templat_tahun").set_value(2026).run()
    labels = [element.proto.label for element in at.get("download_button")]
    assert labels == ["Templat panjang", "Templat lebar", "Templat aspek"]
    assert plain(
        "PermenPANRB 8/2026: 20 indikator dalam 7 aspek; bersumber sekunder; periksa dengan salinan resmi"
    ) in [c.value for c in at.caption]
    at.selectbox(key="templat_tahun").set_value(2025).run()
    assert [element.proto.label for element in at.get("download_button")] == [
        "Templat panjang",
        "Templat lebar",
        "Templat domain",
    ]
    assert plain("PermenPANRB 59/2020: 47 indikator dalam 4 domain") in [c.value for c in at.caption]


def test_a_2025_file_and_a_2026_file_with_its_agency_file_import_together_with_the_edge_instansi_shown(
    admin_env,  # noqa: F811
):
    at = log_in(open_import())
    files = [(csv_bytes(wide(2025, LEVELS_2025)), "hasil_2025.csv"), *main_and_agency(LEVELS_2026, "panjang")]
    at.file_uploader[0].set_value([(name, data, "text/csv") for data, name in files]).run()
    assert not at.error and not at.exception
    assert [h.value for h in at.subheader] == ["Versi data", "Tahun 2025", "Tahun 2026"]
    captions = [c.value for c in at.caption]
    assert plain("PermenPANRB 59/2020, bentuk lebar (satu baris per instansi, kolom I1..In); 2 baris, 2 instansi.") in (
        captions
    )
    assert plain("PermenPANRB 8/2026, bentuk lebar (satu baris per instansi, kolom I1..In); 15 baris, 3 instansi.") in (
        captions
    )
    (edge,) = [w.value for w in at.warning]  # 2025 has none on an edge
    assert edge == f"1 instansi di batas predikat:\n\n- {plain(EDGE_2026)}"
    assert [m.value for m in at.metric if m.label == "Ditambah"] == ["2", "3"]
    button(at, "Simpan sebagai versi baru").click().run()
    assert any("Disimpan sebagai versi v0001" in s.value for s in at.success)
    store = Store(admin_env)
    assert [store.summary(year).instansi_evaluated for year in (2025, 2026)] == [2, 3]
    assert store.results(2026).set_index("nama_sumber").at["Kota Surabaya", "catatan"].startswith("indeks 2,5000")


@pytest.fixture
def page_2025(admin_env, registry):  # noqa: F811
    parsed = parse_files([(csv_bytes(wide(2025, LEVELS_2025)), "hasil_2025.csv")], registry, FRAMEWORKS)
    VersionStore(admin_env).commit(parsed, who="uji")
    return admin_env


def enter(at, year: int, index: str, source: str):
    at.selectbox(key="nasional_tahun").set_value(year)
    at.text_input(key="nasional_indeks").set_value(index)
    at.text_input(key="nasional_sumber").set_value(source)
    button(at, "Catat indeks nasional").click().run()
    return at


@pytest.mark.parametrize(
    ("index", "source", "said"),
    [
        ("7", SOURCE, "indeks '7' di luar skala Indeks SPBE skala 1–5 (PermenPANRB 59/2020: 1,00 sampai 5,00)"),
        ("3,21", " ", "sumber kosong: sebutkan publikasi resminya (judul, nomor, tanggal)"),
    ],
    ids=["indeks 7", "sumber kosong"],
)
def test_a_bad_national_index_on_the_page_is_refused_with_the_problem_and_changes_nothing(
    page_2025, index, source, said
):
    before = store_bytes(page_2025)
    at = enter(log_in(open_import()), 2025, index, source)
    assert [e.value for e in at.error] == ["Indeks nasional tidak dicatat; tidak ada data yang diubah.", plain(said)]
    assert store_bytes(page_2025) == before


def test_the_national_index_of_2025_entered_on_the_page_is_a_version_that_rolls_back(page_2025):
    assert Store(page_2025).summary(2025).national_index_official is None
    at = log_in(open_import())
    assert at.selectbox(key="nasional_tahun").options[:2] == ["2025", "2024"]  # the newest first
    enter(at, 2025, "3,21", SOURCE)
    assert not at.exception and not at.error
    assert plain("Indeks nasional 2025 dicatat sebagai versi v0002; semua halaman kini memakainya.") in [
        s.value for s in at.success
    ]
    history = at.dataframe[0].value  # the version table already lists the entry
    assert history["Versi"].tolist() == ["v0001", "v0002"]
    assert history["Jenis"].tolist() == ["impor", "indeks nasional"]
    assert pd.isna(history["Indeks sebelumnya"].iloc[1])
    summary = Store(page_2025).summary(2025)
    assert (summary.national_index_official, summary.source) == (3.21, SOURCE)
    at.selectbox(key="versi_tujuan").set_value("v0001").run()
    button(at, "Kembalikan").click().run()
    assert VersionStore(page_2025).current() == "v0001"
    assert Store(page_2025).summary(2025).national_index_official is None
