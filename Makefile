# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test bench lint format install clean mutate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## Serve the app on SQLite with the bank loaded and demo accounts printed.
run: export QUIZAPP_ENV ?= development
run: install
	$(FLASK) db upgrade
	$(FLASK) bank load
	$(FLASK) demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

## The whole test suite (set TEST_DATABASE_URL to run it on PostgreSQL).
test: install
	$(BIN)/python -m pytest

## Benchmarks: SIZE=small (a few minutes) or SIZE=full (10k, 100k, 1M answers).
SIZE ?= small
bench: install
	$(BIN)/python -m bench.run --size $(SIZE)

lint: install
	$(BIN)/ruff check quizapp tests bench
	$(BIN)/ruff format --check quizapp tests bench
	$(BIN)/mypy quizapp

format: install
	$(BIN)/ruff check --fix quizapp tests bench
	$(BIN)/ruff format quizapp tests bench

## Mutation testing of the modules listed under [tool.mutmut] in pyproject.toml (docs/testing.md).
## One module at a time: make mutate MUTANTS='quizapp.domain.scoring.*'
MUTANTS  ?=
MUTATE_JOBS ?= 2
mutate: install
	$(BIN)/mutmut run --max-children $(MUTATE_JOBS) $(MUTANTS)
	$(BIN)/mutmut results | grep -v "not checked" || true

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache mutants
