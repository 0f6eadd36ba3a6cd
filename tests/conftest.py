"""Shared test set-up: quiet AppTest logging and paths to the reference data."""

import logging

import pytest

from spbe.paths import REFERENCE_DIR


class _NoScriptRunContextWarning(logging.Filter):
    """AppTest runs pages outside a browser session; Streamlit warns about it on every run."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


for name in ("streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit"):
    logging.getLogger(name).addFilter(_NoScriptRunContextWarning())


@pytest.fixture(scope="session")
def reference_dir():
    return REFERENCE_DIR
