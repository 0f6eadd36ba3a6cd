"""The Asistensi caches compute from the store they are given and keep one entry per data folder and version."""

from spbe import ui
from spbe.data.store import Store
from spbe.ui import asistensi as ui_asistensi
from tests.present.test_imported_years import RESULTS_2025, commit, copy_of_data


def test_the_paths_to_baik_follow_the_store_they_are_given_per_version(tmp_path):
    data_dir = copy_of_data(tmp_path / "data")
    store = Store(data_dir)
    first = ui_asistensi.paths_to_baik(store, ui.store_key(store), 2024)
    assert ui_asistensi.paths_to_baik(store, ui.store_key(store), 2024) is first  # cached
    commit(data_dir, RESULTS_2025, "hasil_2025.csv", 2025)
    newer = Store(data_dir)
    assert ui.store_key(newer) != ui.store_key(store)  # a new version: a new cache entry
    paths = ui_asistensi.paths_to_baik(newer, ui.store_key(newer), 2025)
    # The one 2025 row below Baik, Kab. Aceh Tengah (2,59, Cukup): its domains recompute to 2,59525
    assert paths[["indeks", "kenaikan_komponen", "indeks_setelah"]].values.tolist() == [
        [2.59, "Layanan SPBE +0,02", 2.6]
    ]


def test_the_cohort_view_of_an_imported_year_comes_from_the_store_given(tmp_path):
    data_dir = copy_of_data(tmp_path / "data")
    commit(data_dir, RESULTS_2025, "hasil_2025.csv", 2025)
    store = Store(data_dir)
    view = ui_asistensi.cohort_view(store, ui.store_key(store), 2025, store.host_cities())
    assert int(view.counts.to_numpy().sum()) == len(view.participants) == 7
    assert (view.cohort_chart.slug, view.needs_chart.slug) == ("kohort_per_kota_2025", "kebutuhan_modul_2025")
    assert view.needs_column == "domain"
