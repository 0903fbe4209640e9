# The two commands a newcomer needs: `make run` and `make test` (see README.md).

# Django 6.1 needs Python 3.12+. Take the first interpreter that really runs (a pyenv shim for a
# version that is not active answers "command not found"), then pyenv's own installs.
ifndef PYTHON
PYTHON := $(shell for p in python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3); do \
	$$p -c 'import sys; assert sys.version_info >= (3, 12); print(sys.executable)' 2>/dev/null && break; done)
endif

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

# `make run` and `make test` are the development setup: debug on, SQLite under var/ unless
# DATABASE_URL says otherwise.
export DEBUG ?= true

.PHONY: run serve worker test lint install messages catalogue clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: OpenPO needs Python 3.12 or newer (python3.13 or python3.12), and none was found." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP)

# Translations: every locale/<lang>/LC_MESSAGES/django.po compiled to its .mo (Babel, pure Python:
# no system gettext needed to run the app). Edit the .po, never the .mo (not committed).
MO := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
%.mo: %.po $(STAMP)
	$(BIN)/pybabel -q compile --input-file $< --output-file $@

messages: $(MO)

# After changing user-facing strings: refresh the catalogues (needs GNU gettext's xgettext), then
# translate what is new or fuzzy; tests/test_translations.py fails until every string is done.
catalogue: $(STAMP)
	$(BIN)/python manage.py makemessages --all --ignore=tests --ignore=bench --ignore=var

run: messages
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "  Shop:      http://$(HOST):$(PORT)/demo/"
	@echo "  Campaign:  http://$(HOST):$(PORT)/demo/custom-name-tote/"
	@echo "  Dashboard: http://$(HOST):$(PORT)/dashboard/  (the demo seller's login is above)"
	@echo "  Admin:     http://$(HOST):$(PORT)/admin/"
	@echo "  Worker:    e-mails (printed here), alerts and the every-minute tick; stops with the server"
	@echo
	$(BIN)/python manage.py tick --schedule
	@$(BIN)/python manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production serving: gunicorn + WhiteNoise, DEBUG off, and TASK_WORKERS task workers beside it
# (stopped with it). Needs SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL in the environment (README,
# Deploying). `make worker` runs one more task worker, e.g. on a host that serves no pages.
WORKERS ?= 4
TASK_WORKERS ?= 1
serve: export DEBUG = false
serve: messages
	$(BIN)/python manage.py collectstatic --no-input -v0
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py tick --schedule
	@workers=""; for i in $$(seq $(TASK_WORKERS)); do \
	  $(BIN)/python manage.py db_worker --no-reload & workers="$$workers $$!"; done; \
	trap 'kill $$workers 2>/dev/null' EXIT; \
	$(BIN)/gunicorn openpo.wsgi --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile -

worker: export DEBUG = false
worker: messages
	$(BIN)/python manage.py db_worker --no-reload

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint messages
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var test-artifacts
