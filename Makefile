# livinglab — two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := livinglab.settings

.PHONY: run test venv dev-venv migrate lint check pytest pytest-scaleout browser-deps clean messages run-prod bench

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.dev-installed

## make run: the demo event on SQLite, HTTP and WebSockets served by daphne.
run: venv
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py collectstatic --noinput -v0
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo --if-empty
	@echo "livinglab on http://$(HOST):$(PORT)/  (organizer: organisatrice / techworks-2026, join code: TECHWK)"
	DEBUG=$${DEBUG:-1} $(VENV)/bin/daphne -b $(HOST) -p $(PORT) livinglab.asgi:application

## make run-prod: what a small co-op runs behind a reverse proxy (docs/deployment.md).
run-prod: venv
	$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) livinglab.asgi:application

## make test: everything the tests need, then lint, checks and the whole suite.
test: dev-venv browser-deps
	$(MAKE) lint check pytest pytest-scaleout

browser-deps:
	@bash .ci/ensure-system-deps.sh

lint: dev-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: dev-venv
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	DEBUG=0 SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ALLOWED_HOSTS=livinglab.example.org SITE_URL=https://livinglab.example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

## The SQLite pass: the whole suite, browser tests included, less the tests that need a
## PostgreSQL server (marked `postgres`: they run in the next pass). Two pytest-xdist
## workers (one per core of the 2-core machines it runs on), a test file to a worker: each
## has its own in-memory test database, Chromium, live servers on free ports and
## template databases (tests/live.py). PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= 2
pytest: dev-venv
	$(VENV)/bin/pytest -q -m "not postgres" -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## The PostgreSQL + Redis pass, both started on loopback: what these backends change
## (marker `backends`, set by path in tests/conftest.py): the API suite, the domain and
## its services (locks, concurrency, claims, migrations, backup, e-mail queue), sockets
## over the Redis layer, rooms, attacks, projects, webhooks, the contract and every
## slow/postgres/redis/fuzz test. Pages, report rendering, catalogues and the pure
## schedule solver run in the SQLite pass only. tests/scaleout/ (two daphnes, kill -9, a
## Redis outage) runs only here, and the fuzzer (tests/api/test_fuzz.py) runs here against
## a daphne on a fresh PostgreSQL database (LIVINGLAB_FUZZ_SECONDS per token, 20 s by
## default). Times of each pass: README, "Tests".
pytest-scaleout: dev-venv
	@eval "$$(.ci/services.sh start)" && \
	  LIVINGLAB_EXPECT_BACKEND=postgresql TEST_POSTGRES_URL=$$DATABASE_URL \
	  $(VENV)/bin/pytest -q -m "backends and not browser" $(PYTEST_ARGS); \
	  status=$$?; .ci/services.sh stop; exit $$status

messages: dev-venv
	$(PY) manage.py makemessages -l fr -l en --no-obsolete -i ".venv/*" -i "staticfiles/*" -i "tests/*" -i "bench/*"
	$(PY) manage.py makemessages -d djangojs -l fr -l en --no-obsolete -i ".venv/*" -i "staticfiles/*"
	$(PY) manage.py compilemessages -i .venv

bench: dev-venv
	$(PY) bench/board_fanout.py
	$(PY) bench/reports.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
