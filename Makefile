# Two commands: `make run` (a working site with demo data on SQLite) and `make test` (everything CI checks).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEV_PORT ?= 8000
# Links in emails and notifications point at the address the site is served on (`make run DEV_PORT=8080`).
SITE_URL ?= http://127.0.0.1:$(DEV_PORT)
# System packages the tests use: Redis and PostgreSQL servers, Chromium for browser tests,
# msgfmt for catalogs, pdftotext for checking rendered PDFs.
# A Java runtime runs the W3C Nu HTML checker (the vnu-jar package) of tests/coordination/test_valid_html.py.
APT_PACKAGES := redis-server:redis-server chromium:/usr/bin/chromium gettext:msgfmt poppler-utils:pdftotext \
	default-jre-headless:java npm:npm
# The W3C Nu HTML checker ships as the npm package vnu-jar (a jar inside: no download at install time).
VNU_VERSION := 26.9.27
VNU_JAR := var/tools/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: run test lint check messages system-packages bench backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps make a second `make run`/`make test` skip pip when the requirement files did not change.
$(VENV)/.requirements: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.requirements

run: $(VENV)/.requirements
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py migrate --noinput
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py seed_demo
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(DEV_PORT)

# Installs through apt only what is missing; `apt-get update` runs once, and only then.
system-packages:
	@missing=""; \
	for pair in $(APT_PACKAGES); do \
		package=$${pair%%:*}; probe=$${pair#*:}; \
		command -v $$probe >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
			--no-install-recommends $$missing; \
	fi

# ruff, and the import contracts of pyproject.toml [tool.importlinter] (README "Architecture").
lint: $(VENV)/.requirements-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check: $(VENV)/.requirements-dev
	DEBUG=1 $(BIN)/python manage.py check
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

$(VNU_JAR): | system-packages
	npm install --no-save --no-audit --no-fund --prefix var/tools vnu-jar@$(VNU_VERSION)

test: $(VENV)/.requirements-dev system-packages $(VNU_JAR) lint check
	VNU_JAR=$(abspath $(VNU_JAR)) $(BIN)/python scripts/run_tests.py $(PYTEST_ARGS)

messages: $(VENV)/.requirements-dev
	$(BIN)/python scripts/messages.py --compile

# Backup of DATABASE_URL (pg_dump -Fc) and MEDIA_ROOT in one archive: `make backup [BACKUP_FILE=path.tar]`;
# `make restore BACKUP_FILE=path.tar` replaces the database's contents and the media files (README "Backup and restore").
backup:
	$(BIN)/python scripts/backup.py backup $(BACKUP_FILE)

restore:
	@test -n "$(BACKUP_FILE)" || { echo "usage: make restore BACKUP_FILE=backups/phoihop-....tar"; exit 2; }
	$(BIN)/python scripts/backup.py restore $(BACKUP_FILE)

# The benchmark (bench/run.py; README "Benchmark"): PostgreSQL, Redis, gunicorn and wrk on loopback.
BENCH_ARGS ?=
bench: $(VENV)/.requirements
	@$(MAKE) --no-print-directory system-packages APT_PACKAGES="redis-server:redis-server wrk:wrk"
	$(BIN)/python bench/run.py $(BENCH_ARGS)
