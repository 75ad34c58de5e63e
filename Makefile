PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := $(or $(TMPDIR),/tmp)/entraide-demo

.PHONY: demo test venv dev bench clean

# The build compiles the hot modules with mypyc (setup.py): a change to a compiled module's source
# installs again, so that nothing runs (or is tested) stale.
BUILD := pyproject.toml setup.py $(shell sed -n 's|^ *"\(src/.*\.py\)",$$|\1|p' setup.py) \
	$(wildcard src/entraide/locale/*/LC_MESSAGES/*.po)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# compileall: the bytecode a regular install writes, which an editable one leaves to the
# first run (and never writes under PYTHONDONTWRITEBYTECODE: every start compiled the sources).
$(BIN)/entraide: $(BIN)/python $(BUILD)
	$(BIN)/pip install -q -e .
	$(BIN)/python -m compileall -q src
	touch $@

$(VENV)/.dev: $(BIN)/python $(BUILD)
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/python -m compileall -q src
	touch $@ $(BIN)/entraide

venv: $(BIN)/entraide
dev: $(VENV)/.dev

demo: $(BIN)/entraide
	rm -rf $(DEMO) && cp -RL vault_template $(DEMO)
	$(BIN)/entraide run $(DEMO) --today 2026-11-22
	$(BIN)/entraide run $(DEMO) --today 2026-11-23
	@echo; echo "=== $(DEMO)/Entraide/Check-ins.md"; cat "$(DEMO)/Entraide/Check-ins.md"
	@echo; echo "=== $(DEMO)/Entraide/Reviews/2026-W47.md (last week, final)"; cat "$(DEMO)/Entraide/Reviews/2026-W47.md"
	@echo; $(BIN)/entraide status $(DEMO) --today 2026-11-23

test: $(VENV)/.dev
	$(BIN)/ruff check setup.py src tests scripts
	$(BIN)/ruff format --check setup.py src tests scripts
	$(BIN)/mypy
	$(BIN)/pytest -q --durations=15

bench: $(VENV)/.dev
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
	find src -name '*.so' -delete
	find src -name "*.mo" -delete
