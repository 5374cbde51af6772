# The two set-up commands of the README: `make demo` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: install test lint format demo bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check claims tests benchmarks
	$(BIN)/ruff format --check claims tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/claims schema --check

format: install
	$(BIN)/ruff check --fix claims tests benchmarks
	$(BIN)/ruff format claims tests benchmarks

test: lint
	$(BIN)/pytest -q

# The main job on the bundled seed articles, with the default backend: with no OPENAI_API_KEY or
# OPENAI_BASE_URL set, that is the offline rules backend (claims extract says so on stderr).
demo: install
	$(BIN)/claims extract eval/seeds -o out/claims.jsonl

# Speed and memory, printed as tables (verifier; pipeline against the fake server, no model).
bench: install
	$(BIN)/python -m benchmarks.verify
	$(BIN)/python -m benchmarks.pipeline

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
