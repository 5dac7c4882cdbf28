# make run   : set everything up, then open the dashboard on the sample article
# make test  : set everything up, then lint and run the whole test suite
# make check : the same, fast tier only (no browser, subprocess, Dask or slow tests)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
GAZETTEER := cache/gazetteer.sqlite
PORT ?= 8501

.PHONY: setup run test check lint bench clean

setup: $(STAMP) $(GAZETTEER)

# Reinstalls only when requirements.txt changes.
$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# Built once from data inside the installed packages; rebuilt when its builder changes.
$(GAZETTEER): $(STAMP) $(wildcard geo/gazetteer/*.py) geo/geography/naturalearth.py geo/geography/distance.py $(wildcard geo/data/*)
	$(PY) -m geo build-gazetteer --force

run: setup
	$(VENV)/bin/streamlit run dashboard.py --server.enableStaticServing true \
		--server.port $(PORT) --browser.gatherUsageStats false

lint: $(STAMP)
	$(VENV)/bin/ruff check .

test: setup lint
	$(PY) -m pytest

check: setup lint
	$(PY) -m pytest -m "not browser and not subprocess and not dask and not slow"

bench: setup
	$(PY) bench/bench.py

clean:
	rm -rf $(VENV) cache/*.sqlite static/leaflet
