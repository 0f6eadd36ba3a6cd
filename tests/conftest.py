"""Shared test set-up: quiet AppTest logging and paths to the reference data."""

import logging
import shutil

import pytest

from spbe.data.paths import DATA_DIR, REFERENCE_DIR
from spbe.data.registry import read_registry


class _NoScriptRunContextWarning(logging.Filter):
    """AppTest runs pages outside a browser session; Streamlit warns about it on every run."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


for name in ("streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit"):
    logging.getLogger(name).addFilter(_NoScriptRunContextWarning())


@pytest.fixture(scope="session")
def reference_dir():
    return REFERENCE_DIR


@pytest.fixture
def data_dir(tmp_path):
    """A private copy of data/ so imports never touch the checkout."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("imports", "*.prev"))
    return target


@pytest.fixture(scope="module")
def registry():
    """The instansi registry as the importer reads it (tests of the registry build their own)."""
    return read_registry()
