"""The charts of Ringkasan, Sebaran, Ekspor, Peta and Perubahan are built once for every session of the server
(spbe.ui.shared): a second session opening the same view reuses them, and an import (a new data version) builds them
anew."""

from collections import Counter

import pytest
from streamlit.testing.v1 import AppTest

from spbe.present import change_charts, charts, maps, presskit
from spbe.settings import DATA, ROOT
from tests.helpers import chart_figures
from tests.present.test_imported_years import RESULTS_2025, commit, copy_of_data

TIMEOUT_S = 120


@pytest.fixture
def built(tmp_path, monkeypatch):
    """A private data folder the dashboard reads (so no other test's cache entry applies), and a count of the
    builds of each page's charts."""
    data_dir = copy_of_data(tmp_path / "data")
    monkeypatch.setenv(DATA.environment, str(data_dir))
    counts: Counter[str] = Counter()
    builders = (
        (charts, "national_chart"),
        (charts, "index_histogram_chart"),
        (presskit, "kit_charts"),
        (maps, "map_view"),
        (change_charts, "matrix_chart"),
    )
    for module, name in builders:
        original = getattr(module, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            counts[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    return data_dir, counts


def session(page: str, **query: str) -> AppTest:
    """A new session (its own AppTest) opening the page with the query parameters."""
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=TIMEOUT_S)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize(
    ("page", "query", "builder"),
    [
        ("ringkasan.py", {"tahun": "2024"}, "national_chart"),
        ("sebaran.py", {"tahun": "2024", "cari": "Kabupaten"}, "index_histogram_chart"),
        ("ekspor.py", {"tahun": "2024"}, "kit_charts"),
        ("peta.py", {"tahun": "2024"}, "map_view"),
        ("perubahan.py", {"dari": "2023", "ke": "2024"}, "matrix_chart"),
    ],
)
def test_a_second_session_reuses_the_charts_and_an_import_builds_them_anew(built, page, query, builder):
    data_dir, counts = built
    first = chart_figures(session(page, **query))
    assert counts[builder] == 1
    assert chart_figures(session(page, **query)) == first  # the same charts, shown again unchanged
    assert counts[builder] == 1
    commit(data_dir, RESULTS_2025, "hasil_2025.csv", 2025)  # a new data version, whatever year it adds
    session(page, **query)
    assert counts[builder] == 2


def test_another_filter_is_another_map(built):
    _, counts = built
    session("peta.py", tahun="2024")
    session("peta.py", tahun="2024", kelompok="Kabupaten")
    assert counts["map_view"] == 2


def test_another_year_is_another_overview(built):
    _, counts = built
    session("ringkasan.py", tahun="2024")
    session("ringkasan.py", tahun="2023")
    assert counts["national_chart"] == 2


def test_another_search_is_another_histogram(built):
    _, counts = built
    session("sebaran.py", tahun="2024", cari="Kabupaten")
    session("sebaran.py", tahun="2024", cari="Kota")
    assert counts["index_histogram_chart"] == 2
