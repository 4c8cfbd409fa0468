# bayes-amp: the two commands of the README are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DATA := datasets/tutorial-1-data

.PHONY: setup run data test test-full benchmark clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

data: setup
	$(PY) -m source_helpers.data --out $(DATA) --events-per-split 30000 --seed 1234

run: data

test: setup
	$(PY) -m pytest -q

benchmark: setup
	$(PY) benchmarks/amplitude_throughput.py

clean:
	rm -rf build .pytest_cache
