# The MMD Portal's commands. `make run` and `make test` are all a fresh clone needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-postgres lint bench setup messages

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(INSTALLED)

setup: $(INSTALLED)
	bash scripts/ensure_system_packages.sh run
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

## Serve the portal with its reference data on http://127.0.0.1:8000/, and its task worker
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference_data
	$(PY) manage.py ensure_local_admin
	$(PY) manage.py serve $(HOST)

## The whole suite, on SQLite and on a throwaway PostgreSQL server, side by side
test: setup
	bash scripts/ensure_system_packages.sh test
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/test_both_databases.py $(PYTEST_ARGS)
	@echo "Screenshots of the browser tests, for a person to look at: $(CURDIR)/test-artifacts/screenshots/"

test-sqlite: $(INSTALLED)
	@echo "=== Test suite on SQLite ==="
	$(PY) -m pytest $(PYTEST_ARGS)

test-postgres: $(INSTALLED)
	@echo "=== Test suite on PostgreSQL ==="
	$(PY) scripts/throwaway_postgres.py -- $(PY) -m pytest $(PYTEST_ARGS)

## Benchmark at scale on a throwaway PostgreSQL server; writes bench/RESULTS.md (slow;
## SCALE=1000000 seeds ten times the JVAP entries and writes bench/RESULTS-1000000.md)
bench: setup
	bash scripts/ensure_system_packages.sh bench
	SCALE=$(SCALE) $(PY) scripts/throwaway_postgres.py -- $(PY) bench/run.py

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## Update the French translation catalogue after changing user-facing strings
messages: $(INSTALLED)
	$(PY) manage.py makemessages -l fr --no-obsolete --ignore=.venv --ignore=tests \
		--ignore=dialogues --ignore=jvap --ignore=grants
	for app in dialogues jvap grants; do \
		(cd $$app && ../$(PY) ../manage.py makemessages -l fr --no-obsolete --ignore=tests); \
	done
