# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED_LISTING ?= ../shared/data/metro-meetups-page.md
# `make run PORT=8001` serves elsewhere; links in emails (SITE_URL) follow unless it is set.
# Open it at localhost, not 127.0.0.1: browsers make passkeys for a name, never an IP address.
PORT ?= 8000
SITE_URL ?= http://localhost:$(PORT)

.PHONY: run test test-load lint format worker bench screenshots css lock clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Runtime packages, pinned by requirements.lock.
$(VENV)/.installed-run: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock -e .
	@touch $@

# Test and lint packages on top.
$(VENV)/.installed-dev: $(VENV)/.installed-run
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

# migrate also creates the cache table (common.apps).
run: export SITE_URL := $(SITE_URL)
run: $(VENV)/.installed-run
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	@if [ -f "$(SHARED_LISTING)" ]; then \
		DJANGO_DEBUG=1 $(BIN)/python manage.py import_listing --if-empty "$(SHARED_LISTING)"; \
	else \
		echo "No listing page found at $(abspath $(SHARED_LISTING)), so the directory starts empty."; \
		echo "To import the council's page: make run SHARED_LISTING=/path/to/metro-meetups-page.md"; \
	fi
	DJANGO_DEBUG=1 $(BIN)/python manage.py create_demo_staff
	@# Commands run by hand beside the server (manage.py lifecycle_pass…) read this file in
	@# development when SITE_URL is not set, so their emails link to this site too.
	@echo "$(SITE_URL)" > .site-url
	@echo "Serving on http://localhost:$(PORT)/ (Ctrl+C stops; passkeys work there, not at 127.0.0.1); links in emails use $(SITE_URL)"
	@# The timed jobs (each app's jobs.py, common/jobs.py) run in a scheduler beside the server, stopped
	@# with it; with REDIS_URL set, `make worker`'s Celery beat runs them instead.
	@if [ -n "$$REDIS_URL" ]; then \
		DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT); \
	else \
		trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM; \
		DJANGO_DEBUG=1 $(BIN)/python manage.py run_scheduler & scheduler=$$!; \
		DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT); \
	fi

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The bounded load test (gunicorn + PostgreSQL, 20 clients for 30 s); .ci/run runs it.
test-load: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m load $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# A Celery worker and Celery beat against REDIS_URL, as two processes like docker-compose's
# (beat queues the sweep of pending emails; inside the worker a dead beat child went
# unnoticed). Ctrl+C, or either one ending, stops both.
worker: $(VENV)/.installed-run
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL, for example redis://127.0.0.1:6379/0"; exit 1; }
	@trap 'kill $$beat $$worker 2>/dev/null; wait; exit 130' INT TERM; \
	$(BIN)/celery -A config beat --loglevel=info --schedule $(VENV)/celerybeat-schedule & beat=$$!; \
	$(BIN)/celery -A config worker --loglevel=info --concurrency=2 & worker=$$!; \
	while kill -0 $$beat 2>/dev/null && kill -0 $$worker 2>/dev/null; do sleep 1; done; \
	kill $$beat $$worker 2>/dev/null; wait; exit 1

# The benchmark (not part of `make test`): needs PostgreSQL and Redis on this machine; starts
# gunicorn, a worker and an SMTP sink itself and writes bench/results/latest.md and .json.
# BENCH_ARGS=--quick for a short smoke run.
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Re-pin every package to the newest versions pyproject.toml allows.
lock: | $(BIN)/python
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -e '.[dev]'
	{ echo "# Pinned versions of every package make installs (pip install -c requirements.lock)."; \
	  echo "# Refresh: make lock"; \
	  .venv-lock/bin/pip freeze --exclude-editable | grep -viE '^(pip|setuptools|wheel)=='; } > requirements.lock
	rm -rf .venv-lock

# Full-page PNGs of the main pages at 1280 and 390 px wide, in docs/screenshots/ (needs
# Chromium at /usr/bin/chromium). The same test runs in `make test`, without saving files.
screenshots: $(VENV)/.installed-dev
	SCREENSHOTS_DIR=docs/screenshots REQUIRE_SERVICES=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/browser/test_screenshots.py

# static/css/app.min.css (committed, so `make run` needs no Node): Bootstrap's parts the
# templates use, then static/css/site.css, minified (assets/app.scss, assets/build.mjs).
# Needs Node 18+ and npm; the versions are pinned in assets/package-lock.json.
css: $(VENV)/.installed-run assets/node_modules/.package-lock.json
	cd assets && CONTENT_DIRS="$$(../$(BIN)/python -c 'import os, crispy_forms, crispy_bootstrap5 as b; print(":".join(os.path.dirname(m.__file__) for m in (crispy_forms, b)))')" node build.mjs

assets/node_modules/.package-lock.json: assets/package-lock.json
	cd assets && npm ci --no-audit --no-fund --loglevel=error

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
