"""Specification of `prepare` (spbe/build/prepare.py): it builds what is missing in the data folder it is given."""

import pandas as pd

from spbe.build.prepare import prepare
from spbe.data.datafiles import levels_path, results_path
from spbe.data.registry import read_registry, registry_path
from spbe.settings import ROOT


def snapshot(folder):
    """Every file under `folder` with its size and modification time."""
    return {path: (path.stat().st_size, path.stat().st_mtime_ns) for path in folder.rglob("*") if path.is_file()}


def test_prepare_writes_everything_into_the_given_folder_and_nothing_into_the_checkout(data_dir):
    built = [
        registry_path(data_dir),
        results_path(2023, data_dir),
        results_path(2024, data_dir),
        results_path(2018, data_dir),
        levels_path(2018, data_dir),
    ]
    for path in built:
        path.unlink()
    checkout = snapshot(ROOT / "data")
    lines = list(prepare(data_dir))
    assert [line.split(":")[0] for line in lines] == ["dibangun"] * 4  # registry, 2023, 2024, simulation 2018
    assert all(str(data_dir) in line for line in lines)
    assert all(path.is_file() for path in built)
    pd.testing.assert_frame_equal(read_registry(registry_path(data_dir)), read_registry(registry_path(ROOT / "data")))
    assert snapshot(ROOT / "data") == checkout
    # The committed files are what prepare writes, byte for byte, with the components of each year's framework
    for path in built[1:]:
        assert path.read_bytes() == (ROOT / "data" / path.relative_to(data_dir)).read_bytes(), path
    for year, count in ((2018, 3), (2023, 4), (2024, 4)):
        columns = pd.read_parquet(results_path(year, data_dir)).columns
        assert [c for c in columns if c.startswith(("komponen_", "domain_"))] == [
            f"komponen_{k}" for k in range(1, count + 1)
        ]


def test_prepare_leaves_a_complete_folder_as_it_is(data_dir):
    before = snapshot(data_dir)
    assert [line.split(":")[0] for line in prepare(data_dir)] == ["sudah ada"] * 3
    assert snapshot(data_dir) == before
