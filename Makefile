# bayes-amp. The README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DATA := datasets/tutorial-1-data
SOLUTION := solutions/tutorial-1/bayesian_amplitude_regression.ipynb
# nbgrader runs helper programs (alembic) from the environment's bin/
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: setup data run run-quick test test-full release autograde check benchmark clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## data: generate the tutorial dataset (3 x 30 000 events) unless a valid one exists
data: setup
	$(PY) -m source_helpers.data --out $(DATA) --events-per-split 30000 --seed 1234

## run: data, then the solution notebook with full training -> build/ (ipynb + HTML), headline numbers
run: data
	$(PY) -m source_helpers.run_notebook $(SOLUTION) --out build

run-quick: data
	$(PY) -m source_helpers.run_notebook $(SOLUTION) --out build --quick

## test: unit tests, the solution notebook (nbval, quick training) and the nbgrader round trip
test: setup
	BAYES_AMP_QUICK=1 $(PY) -m pytest -q --nbval-lax tests solutions

## test-full: the same with the notebook's full training
test-full: setup
	$(PY) -m pytest -q --nbval-lax tests solutions

## release: regenerate the student notebooks in notebooks/ from solutions/
release: setup
	$(VENV)/bin/nbgrader generate_assignment tutorial-1 --force --no-db
	@rm -f .nbgrader.log

## autograde: grade everything under submitted/ -> gradebook.db, feedback/, grades.csv, grades_by_task.csv
autograde: setup
	$(PY) -m source_helpers.workflows autograde

## check NB=path: a student's check of a notebook's visible tests (exit code 1 if any fails)
check: setup
	@test -n "$(NB)" || { echo "usage: make check NB=notebooks/tutorial-1/bayesian_amplitude_regression.ipynb"; exit 2; }
	$(PY) -m source_helpers.workflows check "$(NB)"

benchmark: setup
	$(PY) benchmarks/amplitude_throughput.py
	$(PY) benchmarks/training_throughput.py

clean:
	rm -rf build .pytest_cache
