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
	rm -rf $(DEMO) && cp -RL vault_template $(DEMO)
	$(BIN)/entraide run $(DEMO) --today 2026-11-23
	@echo; echo "=== $(DEMO)/Entraide/Check-ins.md"; cat "$(DEMO)/Entraide/Check-ins.md"
	@echo; echo "=== $(DEMO)/Entraide/Reviews/2026-W48.md (start)"; head -n 40 "$(DEMO)/Entraide/Reviews/2026-W48.md"
	@echo; $(BIN)/entraide status $(DEMO) --today 2026-11-23

test: $(VENV)/.dev
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(VENV)/.dev
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
