# ciodesk — the two commands: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: help run test test-sqlite test-postgres lint format env chromium postgresql demo serve clean

help:
	@echo "make run    serve the demo on http://127.0.0.1:8000 (SQLite)"
	@echo "make test   the whole suite: SQLite, then PostgreSQL, browser tests in Chromium"
	@echo "make lint   ruff and the migrations check"

.tools/bin/uv:
	@echo "uv not found: installing it from PyPI into .tools/"
	python3 -m venv .tools
	.tools/bin/pip install --quiet "uv>=0.5"

$(BIN)/ciodesk: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

env: $(BIN)/ciodesk

run: env
	DEBUG=1 $(BIN)/ciodesk migrate --noinput
	DEBUG=1 $(BIN)/ciodesk demo
	@echo "Starting the background worker (imports, reports) and the web server"
	DEBUG=1 $(BIN)/ciodesk db_worker & trap "kill $$! 2>/dev/null" EXIT; DEBUG=1 $(BIN)/ciodesk runserver 127.0.0.1:8000

demo: env
	DEBUG=1 $(BIN)/ciodesk demo

chromium:
	@bash scripts/ensure-chromium.sh

postgresql:
	@bash scripts/ensure-postgresql.sh

test: env chromium postgresql
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: env
	@echo "== tests on SQLite =="
	CIODESK_TESTING=1 $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

test-postgres: env
	@echo "== tests on PostgreSQL =="
	CIODESK_TESTING=1 bash scripts/with-postgres.sh $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

lint: env
	$(BIN)/ruff check ciodesk bench
	$(BIN)/ruff format --check ciodesk bench
	CIODESK_TESTING=1 $(BIN)/ciodesk makemigrations --check --dry-run

format: env
	$(BIN)/ruff format ciodesk bench
	$(BIN)/ruff check --fix ciodesk bench

clean:
	rm -rf $(VENV) .tools .pytest_cache
