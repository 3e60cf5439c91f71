# The two entry points: `make run` (dashboard over the bundled sample workspace) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint typecheck unit fuzz bench schema screenshots clean

$(BIN)/evaltool: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(BIN)/evaltool

run: $(BIN)/evaltool
	$(BIN)/evaltool validate
	$(BIN)/evaltool dashboard --port $(PORT)

test: $(BIN)/evaltool lint typecheck unit

lint: $(BIN)/evaltool
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

typecheck: $(BIN)/evaltool
	$(BIN)/python -m mypy

unit: $(BIN)/evaltool
	$(BIN)/python -m pytest -q

fuzz: $(BIN)/evaltool
	$(BIN)/python benchmarks/fuzz_long.py

bench: $(BIN)/evaltool
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b; done

schema: $(BIN)/evaltool
	$(BIN)/evaltool schema

# Regenerates the dashboard screenshots of docs/first-evaluation.md (needs /usr/bin/chromium).
screenshots: $(BIN)/evaltool
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
