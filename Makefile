# make run  : set everything up, then open the dashboard on the sample article
# make test : set everything up, then run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
GAZETTEER := cache/gazetteer.sqlite
PORT ?= 8501

.PHONY: setup run test bench clean

setup: $(STAMP) $(GAZETTEER)

# Reinstalls only when requirements.txt changes.
$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

# Built once from data inside the installed packages; rebuilt when its builder changes.
$(GAZETTEER): $(STAMP) $(wildcard geo/gazetteer/*.py) geo/geography/naturalearth.py geo/geography/distance.py $(wildcard geo/data/*)
	$(PY) -m geo build-gazetteer --force

run: setup
	$(VENV)/bin/streamlit run dashboard.py --server.enableStaticServing true \
		--server.port $(PORT) --browser.gatherUsageStats false

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) bench/bench.py

clean:
	rm -rf $(VENV) cache/*.sqlite static/leaflet
