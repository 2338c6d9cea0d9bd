# CollaNavi: `make run` serves the portal with demo data; `make test` runs every check CI runs.
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/collanavi
# Tests run on both cores. `--dist load` keeps pytest-django's order within each worker
# (transactional tests, which empty the database, after the others); worksteal would not.
XDIST ?= -n 2 --dist load
PYTEST := $(VENV)/bin/pytest $(XDIST)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-test run demo test test-fast lint migrations-check deploy-check test-sqlite test-postgres browser-deps clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e .
	@# WeasyPrint lays out text with Pango, a system library.
	@$(PY) -c "import weasyprint" 2>/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; }
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

# The web server and, beside it, the workers that lay out case PDFs; Ctrl-C stops both.
run: demo
	$(PY) manage.py serve $(HOST):$(PORT)

# Debian's Chromium for the browser tests (never `playwright install`: it downloads a browser);
# poppler-utils' pdffonts for the test that every font in a PDF is embedded.
browser-deps:
	@command -v chromium >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium poppler-utils; }

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

deploy-check: install
	DEBUG=false SECRET_KEY=deploy-check-$$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9') \
		ALLOWED_HOSTS=collanavi.example.jp REDIS_URL=redis://127.0.0.1:6379/0 \
		$(PY) manage.py check --deploy --fail-level WARNING

test-sqlite: install-test browser-deps
	$(PYTEST)

# The quick check while working, on SQLite: everything but the browser tests and the tests that
# start servers or other processes (`make test` runs those too).
test-fast: install-test
	$(PYTEST) -m "not browser and not process"

# Every test that reads or writes the database, again on PostgreSQL (the browser tests click
# the same pages and run once, on SQLite). Skipped where PostgreSQL does not answer, except on
# CI (CI=true), where that is a failure.
test-postgres: install-test
	@if $(PY) -c "import psycopg; psycopg.connect('$(PG_URL)'.rsplit('/', 1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL: $(PG_URL)"; DATABASE_URL=$(PG_URL) $(PYTEST) -m "not browser"; \
	elif [ "$(CI)" = "true" ]; then echo "== PostgreSQL not reachable at $(PG_URL): failed (CI=true)"; exit 1; \
	else echo "== PostgreSQL not reachable at $(PG_URL): skipped"; fi

test: lint migrations-check deploy-check test-sqlite test-postgres

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 media
