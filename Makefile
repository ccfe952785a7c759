# Two commands: `make run` (set up and serve on 127.0.0.1:8000) and `make test` (set up and run the suite).
# Everything is idempotent: running a target again installs, migrates and seeds only what is missing.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
export DJANGO_SETTINGS_MODULE ?= portal.settings.dev

.PHONY: run test setup install migrate seed bench soak lint clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py compile_translations
	$(PY) manage.py migrate --noinput

# Reference data, form definitions, demo content and the demo admin (prints its credentials).
seed: migrate
	$(PY) manage.py bootstrap_portal

setup: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0

# The task worker (Django Tasks, database backend) and the scheduler of the daily jobs run beside
# the server, each in its own process group, and stop with it: Ctrl+C, or the server exiting, ends all.
run: setup
	@echo "Starting the background task worker (manage.py db_worker) and the scheduler (manage.py run_scheduler)."
	@setsid $(PY) manage.py db_worker --queue-name '*' & worker=$$!; \
	setsid $(PY) manage.py run_scheduler & scheduler=$$!; \
	trap 'kill -TERM -$$worker -$$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/pytest $(PYTEST_ARGS)

# BENCH names modules to run (default: all), e.g. make bench BENCH="bench_filings bench_evidence";
# BENCH_QUICK=1 in the environment scales bench_filings and bench_evidence down (a smoke test).
bench: install
	$(PY) tests/bench/run.py $(BENCH)

# PostgreSQL restarted twice under 50 enterprises saving and submitting: 0 lost, 0 duplicated
# (docs/soak.md). Needs the PostgreSQL server binaries; SOAK_ENTERPRISES / SOAK_SECONDS scale it.
soak: install
	$(PY) tests/soak/soak.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf staticfiles .test-media
