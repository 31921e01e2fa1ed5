# The two commands of the README: `make run` and `make test`; `make lint` checks the code and its layer rules.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
HOST_PROD ?= 0.0.0.0:8000
WORKERS ?= 4
ADMIN_USER ?= admin
ADMIN_PASSWORD ?= admin-demo-password

.PHONY: install run serve demo test lint format bench bench-load clean messages compile-messages check-messages

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,prod,s3]'
	touch $(STAMP)

demo: install
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py loaddata demo -v0
	$(BIN)/python manage.py ensure_superuser --username $(ADMIN_USER) --password $(ADMIN_PASSWORD)

run: demo
	@echo "Admin: http://$(HOST)/admin/  user: $(ADMIN_USER)  password: $(ADMIN_PASSWORD)"
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

# The production recipe (README): set SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL; DEBUG unset.
serve: install
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py collectstatic --no-input -v0
	$(BIN)/gunicorn config.wsgi -w $(WORKERS) -b $(HOST_PROD)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy
	$(BIN)/python .ci/check_messages.py

# Translations (docs/admin.md, "Languages"): GNU gettext's tools are needed here only (the
# compiled .mo files are committed). `make messages` finds the texts of each app again
# (new ones untranslated), translate them in the .po, then `make compile-messages`.
# `make check-messages` (run by `make lint`; skipped without msgfmt unless REQUIRE_GETTEXT=1):
# no untranslated or fuzzy message, every .mo up to date.
MESSAGE_APPS := imports training
messages: install
	for app in $(MESSAGE_APPS); do (cd $$app && ../$(BIN)/python ../manage.py makemessages -l fr --no-location --no-obsolete --no-wrap) || exit 1; done

compile-messages: install
	for app in $(MESSAGE_APPS); do (cd $$app && ../$(BIN)/python ../manage.py compilemessages -l fr) || exit 1; done

check-messages: install
	$(BIN)/python .ci/check_messages.py

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/run.py

# 8 clients x 3 rounds of 2,000-row files through gunicorn -w 4 (PostgreSQL: LOAD_DATABASE_URL).
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/intervention_load
bench-load: install
	$(BIN)/python bench/load.py --database-url $(LOAD_DATABASE_URL)

clean:
	rm -rf $(VENV) db.sqlite3 media test-artifacts
