# The two entry points: `make run` (dashboard over the bundled sample workspace) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# Stamps: `run` needs only the runtime dependencies; `test` adds the dev extras to the same venv.
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev

.PHONY: run test lint typecheck unit fuzz bench schema screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

$(RUNTIME): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

$(DEV): $(RUNTIME)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

# validate exits 1 when a file has problems: they are printed, and the dashboard starts anyway to show
# them on its problems page (README, "The dashboard"). Any other failure (2 usage, 3 unexpected) stops.
run: $(RUNTIME)
	$(BIN)/evaltool validate || { status=$$?; test $$status -eq 1 || exit $$status; \
		echo "The workspace has problems (listed above); the dashboard shows them too."; }
	$(BIN)/evaltool dashboard --port $(PORT)

test: $(DEV) lint typecheck unit

lint: $(DEV)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

typecheck: $(DEV)
	$(BIN)/python -m mypy

unit: $(DEV)
	$(BIN)/python -m pytest -q

fuzz: $(DEV)
	$(BIN)/python benchmarks/fuzz_long.py

bench: $(DEV)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b; done

schema: $(RUNTIME)
	$(BIN)/evaltool schema

# Regenerates the dashboard screenshots of docs/first-evaluation.md (needs /usr/bin/chromium).
screenshots: $(DEV)
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
