# Two entry points for a fresh Debian/Ubuntu machine with Python 3.11+ and make:
#   make run   - set up everything and start the dashboard on http://localhost:8501
#   make test  - set up everything and run the whole test suite
# and for serving more people than one process holds (README, "Deployment"):
#   make serve-replicas N=3  - the same set-up, then N replicas behind nginx on http://localhost:8500
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
N ?= 3
# uv installs the pinned packages in parallel and from its own cache, several times faster than pip (README,
# "Start"): the uv on PATH, else this release installed into the venv. pip stays the fallback where uv cannot run
# or cannot reach the index (uv reads no pip.conf, so an office's own index is for pip alone).
UV_VERSION := 0.13.9

.PHONY: run test lint bench data serve-replicas

run: $(VENV)/.runtime-installed
	-@scripts/ensure_chromium.sh || echo "(continuing: without chromium-headless-shell image export is disabled)"
	$(BIN)/python -m spbe prepare
	$(BIN)/streamlit run dashboard.py --server.port 8501

test: $(VENV)/.dev-installed
	@scripts/ensure_chromium.sh --test || [ "$$CI" != "true" ] || { echo "CI: needs Chromium, strace and nginx" >&2; exit 1; }
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

serve-replicas: $(VENV)/.runtime-installed
	$(BIN)/python -m spbe prepare
	scripts/serve_replicas.sh --replicas $(N)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	command -v uv >/dev/null || $(BIN)/python -m pip install --quiet uv==$(UV_VERSION) \
		|| echo "(uv tidak dapat dipasang: pip memasang paket-paketnya)"

# $(call install,FILE): the packages of a requirements file, by uv, else by pip
define install
	uv="$$(command -v uv || echo $(BIN)/uv)"; \
	[ -x "$$uv" ] && "$$uv" pip install --quiet --python $(BIN)/python -r $(1) \
		|| { $(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/python -m pip install --quiet -r $(1); }
endef

$(VENV)/.runtime-installed: requirements.txt $(VENV)/bin/python
	$(call install,requirements.txt)
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt $(VENV)/bin/python
	$(call install,requirements-dev.txt)
	touch $(VENV)/.runtime-installed $@
