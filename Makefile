# Two entry points for a fresh Debian/Ubuntu machine with Python 3.11+ and make:
#   make run   - set up everything and start the dashboard on http://localhost:8501
#   make test  - set up everything and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench data

run: $(VENV)/.runtime-installed
	-@scripts/ensure_chromium.sh || echo "(continuing: without chromium-headless-shell image export is disabled)"
	$(BIN)/python -m spbe prepare
	$(BIN)/streamlit run dashboard.py --server.port 8501

test: $(VENV)/.dev-installed
	@scripts/ensure_chromium.sh --test || [ "$$CI" != "true" ] || { echo "CI: Chromium and strace are required" >&2; exit 1; }
	$(BIN)/python -m spbe prepare
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest --ignore=tests/test_bench_smoke.py
	$(BIN)/python -m pytest tests/test_bench_smoke.py  # own process: its browser runs need a fresh event loop

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@
