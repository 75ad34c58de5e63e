PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := $(or $(TMPDIR),/tmp)/entraide-demo

.PHONY: demo test venv dev bench clean

$(BIN)/entraide: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: $(BIN)/entraide
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

venv: $(BIN)/entraide
dev: $(VENV)/.dev

demo: $(BIN)/entraide
	rm -rf $(DEMO) && cp -R vault_template $(DEMO)
	$(BIN)/entraide check $(DEMO) || true
	$(BIN)/entraide status $(DEMO) --today 2026-11-23

test: $(VENV)/.dev
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(VENV)/.dev
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
