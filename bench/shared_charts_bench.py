"""Shared charts: a session's script time for the charts of Ringkasan, Sebaran, Ekspor, Peta and Perubahan, built (as
every session did before spbe.ui.shared) against taken from the cache the first session filled. Side by side in one
process.

    PYTHONPATH=. .venv/bin/python -m bench.shared_charts_bench [--repeat 5]

CPU time of this thread (the script threads of a server share one GIL, so CPU time is what limits the sessions one
process holds; bench/RESULTS_NOTES.md, "Ramp"); median of `repeat` alternating rounds, the store warm.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import rounds
from spbe.data.store import Filters, Store
from spbe.present import change_charts, charts, maps, overview, presskit
from spbe.present.geo import DEFAULT_METRIC
from spbe.settings import resolve
from spbe.ui import shared

YEAR, START = 2024, 2023
SEARCH = Filters(cari="Kabupaten")  # one of the searches the load generator types (bench.browser_bench.SEARCHES)


def cases(store: Store) -> dict[str, dict[str, Callable[[], object]]]:
    """Per page: what a session's visit built before, and what it does now."""

    def maps_built() -> None:
        view = maps.map_view(store, YEAR, DEFAULT_METRIC, None)
        assert view is not None
        maps.choropleth_chart(view)
        maps.tile_map_chart(view)

    def changes_built() -> None:
        pair = change_charts.comparison(store, START, YEAR).filtered(None, None, None)
        change_charts.change_charts(store, pair)

    def overview_built() -> None:
        overview.kpis(store, YEAR)
        overview.progress_words(overview.progress(store, YEAR))
        overview.below_baik(store, YEAR)
        charts.national_chart(store, YEAR)
        charts.predikat_chart(store, YEAR)
        charts.baik_share_chart(store, YEAR)

    return {
        "Ringkasan (KPIs, 3 charts)": {
            "built": overview_built,
            "shared": lambda: shared.year_overview(store, YEAR),
        },
        "Sebaran (histogram of a search)": {
            "built": lambda: charts.index_histogram_chart(store, YEAR, store.results(YEAR, SEARCH)),
            "shared": lambda: shared.histogram(store, YEAR, SEARCH),
        },
        "Ekspor (kit_charts)": {
            "built": lambda: presskit.kit_charts(store, YEAR),
            "shared": lambda: shared.kit_charts(store, YEAR),
        },
        "Peta (map view, 2 maps)": {
            "built": maps_built,
            "shared": lambda: shared.map_charts(store, YEAR, DEFAULT_METRIC, None),
        },
        "Perubahan (comparison, 6 charts)": {
            "built": changes_built,
            "shared": lambda: (
                shared.comparison(store, START, YEAR),
                shared.change_view(store, START, YEAR, None, None, None),
            ),
        },
    }


def cpu_ms(work: Callable[[], object]) -> float:
    began = time.thread_time()
    work()
    return (time.thread_time() - began) * 1000


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    logging.disable(logging.WARNING)  # st.cache_resource outside a server warns that no runtime is found
    store = Store(resolve().data_dir)
    print("load average before:", load_average())
    for page, variants in cases(store).items():
        variants["shared"]()  # the first session builds
        times: dict[str, list[float]] = {name: [] for name in variants}
        for order in rounds(list(variants), repeat):
            for name in order:
                times[name].append(cpu_ms(variants[name]))
        built, kept = (statistics.median(times[name]) for name in ("built", "shared"))
        print(f"{page}: built {built:.0f} CPU-ms per session, shared {kept:.2f} CPU-ms ({built / kept:,.0f}x)")
    print("load average after:", load_average())


if __name__ == "__main__":
    main()
