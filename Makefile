# Courtside: every target bootstraps what it needs into .venv on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONPATH := $(CURDIR)

.PHONY: help install run test lint typecheck layers unit vendor emulate bench clean checkov-venv checkov terraform-generated emulators requirements

help:
	@echo "make run        simulate a season (cached), ingest it and run the whole chain on the embedded default"
	@echo "make test       lint, type-check, layer contracts, every test (emulator tests skip with their reason if absent)"
	@echo "make vendor     build build/functions/<name>/, each deployable alone"
	@echo "make emulate    run one game date end to end over HTTP through functions-framework"
	@echo "make bench      cold starts, peak memory, season wall time, a date's cost with 1 and 5 seasons of history, walk-forward"
	@echo "make requirements  write functions/*/requirements.txt from requirements/dev.txt and the import graph"

# The editable install builds in isolation with the setuptools pinned in pyproject.toml: a new venv's
# own setuptools may be too old to build it (no bdist_wheel), which used to print an error first.
$(STAMP): requirements/dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

install: $(STAMP)

run: $(STAMP)
	$(PY) -m courtside demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy shared functions courtside tests

# The layer contracts of .importlinter (which package may import which; no cycles in shared).
layers: $(STAMP)
	$(VENV)/bin/lint-imports --no-cache

EMULATORS := .venv-emulators/.installed

$(EMULATORS): requirements/emulators.txt | $(STAMP)
	$(PY) -m courtside.emulators install

emulators: $(EMULATORS)

unit: $(STAMP) $(EMULATORS) checkov-venv
	$(PY) -m pytest -q

checkov-venv:
	PYTHON=$(PYTHON) scripts/checkov.sh --install

checkov: checkov-venv
	scripts/checkov.sh

terraform-generated: $(STAMP)
	$(PY) -m courtside.terraform_generate

requirements: $(STAMP)
	$(PY) -m courtside.requirements_generate

test: lint typecheck layers unit

vendor: $(STAMP)
	$(PY) -m courtside.vendor --out build/functions

emulate: $(STAMP) vendor
	$(PY) -m courtside.emulate

# Seasons of one league replayed before the history bench's date (10: the ten-season figures, about an hour more).
HISTORY_SEASONS ?= 5

bench: $(STAMP) vendor
	$(PY) -m courtside.bench --history-seasons $(HISTORY_SEASONS)

clean:
	rm -rf build .courtside .pytest_cache .mypy_cache .ruff_cache
