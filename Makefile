# thumbs: the two commands a fresh machine needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP) ## create .venv and install thumbs with its test tools

run: $(STAMP) ## the main job: analyze the example review with the shipped default model
	$(BIN)/thumbs analyze examples/review.txt

test: $(STAMP) ## the whole test suite (corpus tests need THUMBS_DATA)
	$(BIN)/pytest

bench: $(STAMP) ## timings, throughput against VADER, batch memory (needs THUMBS_DATA)
	$(BIN)/pip install --quiet -e ".[test,bench]"
	$(BIN)/python benchmarks/evaluation_time.py
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/batch_memory.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
