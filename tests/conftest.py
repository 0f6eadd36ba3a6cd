"""Shared test set-up: quiet AppTest logging and the data folders tests pass to the code.

Nothing reads a data folder by itself: a test passes the checkout's (read only) or a private copy
(`data_dir`), and a page run by AppTest or a command run as a subprocess gets SPBE_DATA_DIR."""

import logging
import os
import shutil

import pytest

from spbe.data.registry import read_registry, registry_path
from spbe.present import export
from spbe.settings import ROOT
from tests.frameworks import FRAMEWORKS
from tests.server import CHROMIUM_ARGS, desktop_chromium_path, nginx_path

CHECKOUT_DATA = ROOT / "data"  # the committed data; tests that write use a copy (data_dir)


class _NoScriptRunContextWarning(logging.Filter):
    """AppTest runs pages outside a browser session; Streamlit warns about it on every run."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "missing ScriptRunContext" not in record.getMessage()


for name in ("streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit"):
    logging.getLogger(name).addFilter(_NoScriptRunContextWarning())


@pytest.fixture(scope="session")
def reference_dir():
    return CHECKOUT_DATA / "reference"


@pytest.fixture(scope="session")
def frameworks():
    """The frameworks (weights, predikat bands) of the committed reference data."""
    return FRAMEWORKS


@pytest.fixture
def data_dir(tmp_path):
    """A private copy of data/ so imports never touch the checkout."""
    target = tmp_path / "data"
    shutil.copytree(CHECKOUT_DATA, target, ignore=shutil.ignore_patterns("imports", "*.prev"))
    return target


@pytest.fixture(scope="module")
def registry():
    """The instansi registry as the importer reads it (tests of the registry build their own)."""
    return read_registry(registry_path(CHECKOUT_DATA))


# Debian Chromium for the browser tests and the layout tests, one Playwright session for the whole run:
# Playwright's sync API cannot start a second session inside the first one's event loop.
@pytest.fixture(scope="session")
def chromium() -> str:
    path = desktop_chromium_path()
    if path is None:
        message = "Chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI requires the browser tests: {message}")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def nginx() -> None:
    """Debian's nginx, for the replicas behind a proxy (tests/deploy, the bench smoke); `.ci/run` installs it."""
    if nginx_path() is None:
        message = "nginx is not installed (apt-get install -y nginx)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI requires the replica tests: {message}")
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def headless_shell() -> None:
    """Image export's chromium-headless-shell: skipped without it locally, required under CI."""
    if export.chromium_path() is None:
        message = "chromium-headless-shell is not installed (apt-get install -y chromium-headless-shell)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI requires the image export tests: {message}")
        pytest.skip(message)
