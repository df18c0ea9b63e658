# Rempart: the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?=
# Where `make run` serves: `make run PORT=8001` when 8000 is taken, `HOST=0.0.0.0` to serve the local network.
HOST ?= 127.0.0.1
PORT ?= 8000
comma := ,
RUN_ALLOWED_HOSTS = $(if $(filter 0.0.0.0,$(HOST)),*,localhost$(comma)127.0.0.1$(comma)$(HOST))
RUN_SITE_URL = http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
LOCAL := DJANGO_DEBUG=1
# Extra pytest arguments, e.g. `make test-fast PYTEST_ARGS=--reuse-db` (keep the test database between runs).
PYTEST_ARGS ?=
# Size of the national benchmark's data set: 1.0 is the whole country, `make bench-national SCALE=0.1` a tenth.
SCALE ?= 1.0
TEMPLATES := nis2/templates controls/templates dependencies/templates incidents/templates reports/templates

.PHONY: run test test-fast test-postgres lint format messages demo bench bench-national install install-dev browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"

# Debian's Chromium drives the browser tests; Playwright never downloads a browser here.
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

## Install, migrate, load the demo data and serve on http://$(HOST):$(PORT)/
run: install
	$(LOCAL) $(BIN)/python manage.py compilemessages --ignore=$(VENV) -v 0
	$(LOCAL) $(BIN)/python manage.py migrate --noinput -v 0
	$(LOCAL) SITE_URL=$(RUN_SITE_URL) $(BIN)/python manage.py demo $(if $(DEMO_PASSWORD),--password $(DEMO_PASSWORD))
	$(LOCAL) SITE_URL=$(RUN_SITE_URL) ALLOWED_HOSTS='$(RUN_ALLOWED_HOSTS)' $(BIN)/python manage.py runserver $(HOST):$(PORT)

## The whole suite on the embedded defaults (SQLite, eager Celery), browser journeys included
test: install-dev browser
	$(LOCAL) $(BIN)/python manage.py compilemessages --ignore=$(VENV) -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

## The suite without the tests marked slow (browser journeys, large data sets): the loop while coding
test-fast: install-dev
	$(LOCAL) $(BIN)/python manage.py compilemessages --ignore=$(VENV) -v 0
	$(BIN)/pytest -m "not slow" $(PYTEST_ARGS)

## The whole suite on PostgreSQL, plus the tests that need a real Celery worker on Redis
test-postgres: install-dev browser
	$(LOCAL) $(BIN)/python manage.py compilemessages --ignore=$(VENV) -v 0
	scripts/test-postgres

## Style, import rules (pyproject's import-linter contracts), types (mypy, strict on services, selectors, rules), templates
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(LOCAL) $(BIN)/mypy
	$(BIN)/djlint --check --lint $(TEMPLATES)

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint --reformat --quiet $(TEMPLATES) || true

messages: install
	$(LOCAL) $(BIN)/python manage.py makemessages -l fr --ignore=$(VENV) --ignore=tests --no-obsolete
	$(LOCAL) $(BIN)/python manage.py compilemessages --ignore=$(VENV)

demo: install
	$(LOCAL) $(BIN)/python manage.py demo $(if $(DEMO_PASSWORD),--password $(DEMO_PASSWORD))

## Median response times of the busiest pages, and the export's time and size, on generated data (not part of the tests)
bench: install-dev
	$(BIN)/python bench/run.py
	$(BIN)/python bench/export.py

## Every French local authority on PostgreSQL (database rempart_bench, dropped and recreated): see bench/README.md
bench-national: install-dev
	$(BIN)/python bench/national.py --scale $(SCALE)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-results .pytest_cache
