"""Build the derived files in data/ that are missing (all are committed; this repairs a checkout).

Order matters: the registry first (everything joins to it), then the official results, then
the 2018 simulation, which is scored by the engine and resolved against the registry.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from spbe.build import simulation
from spbe.build.official import write_official
from spbe.build.roster import write_registry
from spbe.data.datafiles import levels_path, results_path
from spbe.data.registry import registry_path


def prepare(data_dir: Path, force: bool = False) -> Iterator[str]:
    """Yield one line per step: what was built, or that it was already there.

    Everything is read from `data_dir`'s reference tables and written into `data_dir`."""
    data_dir = Path(data_dir)
    reference_dir = data_dir / "reference"
    registry = registry_path(data_dir)
    if force or not registry.exists():
        yield f"dibangun: {write_registry(registry, reference_dir)}"
    else:
        yield f"sudah ada: {registry}"
    if force or not all(results_path(year, data_dir).exists() for year in (2023, 2024)):
        for path in write_official(data_dir, reference_dir):
            yield f"dibangun: {path}"
    else:
        yield "sudah ada: hasil resmi 2023 dan 2024"
    if force or not (levels_path(2018, data_dir).exists() and results_path(2018, data_dir).exists()):
        yield f"dibangun: {simulation.write_2018(data_dir, reference_dir)} (simulasi 2018)"
    else:
        yield "sudah ada: simulasi 2018"
