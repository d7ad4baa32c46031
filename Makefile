# Mitra: `make run` sets everything up and opens the assistant; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run index test check bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

index: setup
	$(BIN)/mitra index

run: index
	$(BIN)/mitra tui

test: setup
	$(BIN)/python -m pytest -q

check: setup
	$(BIN)/ruff format --check assistant tests bench
	$(BIN)/ruff check assistant tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

bench: index
	$(BIN)/python bench/indexing.py

clean:
	rm -rf $(VENV) index/gen-* index/manifest.json index/.lock
