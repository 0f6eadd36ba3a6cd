"""The progress of the national index: official figures only, compared only on one index scale."""

import dataclasses
from decimal import Decimal

from spbe.data.store import Store
from spbe.model.framework import Frameworks
from spbe.present import overview
from spbe.settings import ROOT


def test_the_index_compares_with_2018_and_the_year_before_on_the_spbe_scale():
    progress = overview.progress(Store(ROOT / "data"), 2024)
    assert (progress.since_first.year, progress.since_first.change) == (2018, Decimal("1.14"))
    assert (progress.since_previous.year, progress.since_previous.change) == (2023, Decimal("0.33"))


def test_a_framework_on_another_scale_starts_a_new_series():
    store = Store(ROOT / "data")
    spbe_2018, spbe_2020, *_ = store.frameworks
    other = dataclasses.replace(spbe_2020, index_scale="Indeks lain")
    store.frameworks = Frameworks((spbe_2018, other))
    first = overview.progress(store, 2021)
    assert (first.since_first, first.since_previous, first.new_framework) == (None, None, None)
    assert "adalah angka resmi pertama" in overview.progress_words(first)
    later = overview.progress(store, 2024)
    assert (later.since_first.year, later.since_first.change) == (2021, Decimal("0.88"))
    assert overview.progress(store, 2020).since_first.change == Decimal("0.28")  # 2018-2020 still compare
