# thumbs: the two commands a fresh machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium
# apt-get needs root: use sudo when not root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-fast lint install browser bench load clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP) ## create .venv and install thumbs with its test tools

run: $(STAMP) ## the main job: analyze the example review with the shipped default model
	$(BIN)/thumbs analyze examples/review.txt

test: lint browser ## the whole test suite, lint and type checks included (corpus tests need THUMBS_DATA)
	$(BIN)/pytest

test-fast: $(STAMP) ## the tests that start no process, server or browser (quick, local)
	$(BIN)/pytest -m "not e2e"

lint: $(STAMP) ## ruff (lint and format), mypy on src/, and the layers between the stages (import-linter)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

browser: ## Debian's chromium, for the end-to-end test of the web page (Playwright drives it)
	@if [ -x $(CHROMIUM) ]; then :; \
	elif command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "no apt-get: install chromium at $(CHROMIUM) yourself, or the browser tests skip"; fi

bench: $(STAMP) ## timings, throughput, batch memory, peers side by side (docs/benchmarks.md), server load (needs THUMBS_DATA)
	$(BIN)/pip install --quiet -e ".[test,bench]"
	$(BIN)/python benchmarks/evaluation_time.py
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/batch_memory.py
	$(BIN)/python benchmarks/peers.py
	$(BIN)/python benchmarks/load.py

load: $(STAMP) ## only the server load benchmark (needs THUMBS_DATA)
	$(BIN)/pip install --quiet -e ".[test,bench]"
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
