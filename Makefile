# make run   : set everything up, then open the dashboard on the sample article (on 127.0.0.1 only)
# make test  : set everything up, then lint and run the whole test suite
# make check : the same, fast tier only (no browser, subprocess, Dask or slow tests), on every core
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
GAZETTEER := cache/gazetteer.sqlite
SAMPLE_KEPT := cache/analyses/.sample-kept
SHAPES_KEPT := cache/.shapes-kept
PORT ?= 8501
# This machine only; `make run ADDRESS=0.0.0.0` shares the dashboard on purpose (README, "Running it for others").
ADDRESS ?= 127.0.0.1

.PHONY: setup run test check lint bench clean

setup: $(STAMP) $(GAZETTEER) $(SHAPES_KEPT) $(SAMPLE_KEPT)

# Reinstalls only when requirements.txt changes.
$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# Built once from data inside the installed packages; rebuilt when its builder changes.
$(GAZETTEER): $(STAMP) $(wildcard geo/gazetteer/*.py) geo/geography/naturalearth.py geo/geography/distance.py $(wildcard geo/data/*)
	$(PY) -m geo build-gazetteer --force

# The drawn shape of every region the gazetteer names (seconds, once), so that no map waits for one; again when
# the code that derives them changes (its folder's name changes with it: geo.geography.shapecache).
$(SHAPES_KEPT): $(STAMP) $(GAZETTEER) $(wildcard geo/geography/*.py)
	$(PY) -m geo build-gazetteer --shapes
	touch $@

# The sample's analysis, kept so that the dashboard's first map needs no model (python -m geo keep); again
# whenever the code, the packages or the gazetteer change, as the analysis cache's key does.
$(SAMPLE_KEPT): $(STAMP) $(GAZETTEER) $(shell find geo -name '*.py' -o -name '*.csv') examples/seed_isis_turkey.txt
	$(PY) -m geo keep --sample
	touch $@

# python dashboard.py: the server answers first; the gazetteer, the sample's kept analysis and the page's
# modules load meanwhile, the model once the first page is out.
run: setup
	$(PY) dashboard.py --server.address $(ADDRESS) --server.port $(PORT) --server.enableStaticServing true \
		--browser.gatherUsageStats false

lint: $(STAMP)
	$(VENV)/bin/ruff check .

test: setup lint
	$(PY) -m pytest

check: setup lint
	$(PY) -m pytest -n auto -m "not browser and not subprocess and not dask and not slow"

bench: setup
	$(PY) bench/bench.py

clean:
	rm -rf $(VENV) cache/*.sqlite cache/analyses cache/shapes-* cache/.shapes-kept static/leaflet static/geo-popups
