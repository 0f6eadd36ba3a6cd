"""Build the derived files in data/ that are missing (all are committed; this repairs a checkout).

Order matters: the registry first (everything joins to it), then the official results, then
the 2018 simulation, which is scored by the engine and resolved against the registry.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from spbe.build import simulation
from spbe.build.official import write_official
from spbe.data.datafiles import levels_path, results_path
from spbe.data.paths import DATA_DIR
from spbe.data.registry import REGISTRY_PATH, write_registry


def prepare(force: bool = False, data_dir: Path = DATA_DIR) -> Iterator[str]:
    """Yield one line per step: what was built, or that it was already there."""
    if force or not REGISTRY_PATH.exists():
        yield f"dibangun: {write_registry()}"
    else:
        yield f"sudah ada: {REGISTRY_PATH}"
    if force or not all(results_path(year, data_dir).exists() for year in (2023, 2024)):
        for path in write_official(data_dir):
            yield f"dibangun: {path}"
    else:
        yield "sudah ada: hasil resmi 2023 dan 2024"
    if force or not (levels_path(2018, data_dir).exists() and results_path(2018, data_dir).exists()):
        yield f"dibangun: {simulation.write_2018(data_dir)} (simulasi 2018)"
    else:
        yield "sudah ada: simulasi 2018"
