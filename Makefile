# Rempart: the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?=
LOCAL := DJANGO_DEBUG=1

.PHONY: run test test-postgres lint format messages demo bench install install-dev browser clean

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

## Install, migrate, load the demo data and serve on http://127.0.0.1:8000/
run: install
	$(LOCAL) $(BIN)/python manage.py compilemessages --ignore=$(VENV) -v 0
	$(LOCAL) $(BIN)/python manage.py migrate --noinput -v 0
	$(LOCAL) $(BIN)/python manage.py demo $(if $(DEMO_PASSWORD),--password $(DEMO_PASSWORD))
	$(LOCAL) $(BIN)/python manage.py runserver 127.0.0.1:8000

## The whole suite on the embedded defaults (SQLite, eager Celery), browser journeys included
test: install-dev browser
	$(LOCAL) $(BIN)/python manage.py compilemessages --ignore=$(VENV) -v 0
	$(BIN)/pytest

## The whole suite on PostgreSQL, plus the tests that need a real Celery worker on Redis
test-postgres: install-dev browser
	$(LOCAL) $(BIN)/python manage.py compilemessages --ignore=$(VENV) -v 0
	scripts/test-postgres

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(LOCAL) $(BIN)/python manage.py makemessages -l fr --ignore=$(VENV) --ignore=tests --no-obsolete
	$(LOCAL) $(BIN)/python manage.py compilemessages --ignore=$(VENV)

demo: install
	$(LOCAL) $(BIN)/python manage.py demo $(if $(DEMO_PASSWORD),--password $(DEMO_PASSWORD))

## Median response times of the busiest pages on a generated data set (not part of the tests)
bench: install-dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-results
