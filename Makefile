# The two commands of the README: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/clms
export CLMS_VAR_DIR ?= $(CURDIR)/var
DEMO_ADDR ?= 127.0.0.1:8000

.PHONY: demo test install install-dev runtime-deps system-deps lint imports-check typecheck migrations-check deploy-check i18n-check api-schema-check api-schema test-sqlite test-postgres test-browser messages bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: runtime-deps install
	mkdir -p var
	CLMS_DEBUG=1 $(PY) manage.py migrate --noinput -v0
	CLMS_DEBUG=1 $(PY) manage.py demo_setup
	@echo "Serving on http://$(DEMO_ADDR) with a background worker for report files, exports and imports (Ctrl+C stops both)"
	CLMS_DEBUG=1 $(PY) manage.py db_worker --no-startup-delay & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  CLMS_DEBUG=1 $(PY) manage.py runserver $(DEMO_ADDR)

# Debian packages, installed only when missing.  The site needs Pango, HarfBuzz and
# Liberation 2 fonts (Vietnamese glyphs; metric-compatible with Times New Roman) for PDF
# reports; the tests also need Chromium, gettext, poppler and LibreOffice (the reports open in
# LibreOffice as they print: tests/reports/test_libreoffice.py).
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2
TEST_DEBS := chromium gettext poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

runtime-deps:
	$(call apt_install,$(RUNTIME_DEBS))

system-deps: runtime-deps
	$(call apt_install,$(TEST_DEBS))

lint: install-dev
	$(BIN)/ruff check .

# The apps' layers (pyproject.toml [tool.importlinter]): fails on a cycle or an upward import.
imports-check: install-dev
	$(BIN)/lint-imports --no-cache

typecheck: install-dev
	CLMS_TESTING=1 $(BIN)/mypy clms tests scripts $(wildcard bench)

migrations-check: install-dev
	mkdir -p var
	CLMS_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

# Django's deployment checklist with production settings (throwaway secret), as CI sees them.
deploy-check: install-dev
	mkdir -p var
	env -u CLMS_TESTING -u CLMS_DEBUG CLMS_SECRET_KEY=deploy-check-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  CLMS_ALLOWED_HOSTS=clms.example.gov.vn $(PY) manage.py check --deploy --fail-level WARNING

i18n-check: install-dev
	CLMS_TESTING=1 $(PY) scripts/check_translations.py

# The committed OpenAPI schema (docs/openapi.json) must match the code: partners build against it.
api-schema-check: install-dev
	CLMS_TESTING=1 $(PY) manage.py api_schema --check

api-schema: install-dev
	CLMS_TESTING=1 $(PY) manage.py api_schema

# One project catalogue (LOCALE_PATHS: clms/locale): extract from the project root, then compile.
MAKEMESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=tests --ignore=node_modules \
	--ignore=bench --ignore=scripts --ignore=docs --ignore=build --ignore=test-artifacts
messages: install-dev
	CLMS_TESTING=1 $(PY) manage.py makemessages -l vi -l en --no-obsolete --add-location file $(MAKEMESSAGES_IGNORE) -v0
	cd clms && CLMS_TESTING=1 $(CURDIR)/$(PY) $(CURDIR)/manage.py compilemessages -v0

test-sqlite: install-dev
	CLMS_TESTING=1 DATABASE_URL= $(BIN)/pytest -n 2 -m "not browser" --durations=15

test-postgres: install-dev
	CLMS_TESTING=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 -m "not browser" --durations=15

test-browser: install-dev system-deps
	CLMS_TESTING=1 DATABASE_URL= $(BIN)/pytest -m browser -p no:randomly

test: system-deps install-dev lint imports-check typecheck migrations-check deploy-check i18n-check api-schema-check test-sqlite test-postgres test-browser

# Rewrites bench/RESULTS.md (bench/README.md): SQLite and PostgreSQL at district and province scale, the
# PostgreSQL runs with the Redis cache (redis://127.0.0.1:6379/7) and the province one again on a streaming
# replica (127.0.0.1:5433).  BENCH_ARGS adds options of bench/run.py (--skip-colleagues, --keep, --port N).
bench: install-dev
	$(call apt_install,wrk)
	$(PY) bench/run.py --scales district,province --databases sqlite,$(PG_URL)_bench $(BENCH_ARGS)

# National scale, PostgreSQL only (loads every province's units first; PROVINCES=38,01,79 for a partial run).
bench-nation: install-dev
	$(call apt_install,wrk)
	$(PY) bench/run.py --scales nation --database $(PG_URL)_bench --out bench/RESULTS-nation.md $(if $(PROVINCES),--provinces $(PROVINCES))

clean:
	rm -rf $(VENV) var/*.sqlite3*
