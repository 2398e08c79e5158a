# PeerLearn — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install check lint typecheck imports catalogues worker beat messages clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

## Serve http://127.0.0.1:8000 on SQLite with the demo programme, and run the background and
## scheduled jobs beside it: a Celery worker with beat on a broker kept in files under .run/
## (peerlearn/settings/dev.py). Ctrl-C stops both.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "PeerLearn is serving http://127.0.0.1:8000 (log in with one of the demo logins above)"
	@echo "Background and scheduled jobs run in a Celery worker with beat; email is printed here."
	$(BIN)/celery -A peerlearn worker --beat --loglevel=INFO & jobs=$$!; \
	trap 'kill $$jobs 2>/dev/null; wait $$jobs 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Run the whole test suite (services are started by the tests that need them).
test: install
	$(BIN)/python -m pytest

check: lint typecheck imports catalogues

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

## The import rules of ARCHITECTURE.md (contracts in pyproject.toml).
imports: install
	$(BIN)/lint-imports

## The translation catalogues: French complete, Russian and Spanish at least 95 %, none fuzzy,
## Arabic for the layout, navigation and peer pages, and every .mo compiled from its .po.
catalogues: install
	$(BIN)/python scripts/check_catalogues.py

## Celery against Redis: set CELERY_BROKER_URL (or REDIS_URL) first.
worker: install
	$(BIN)/celery -A peerlearn worker --loglevel=info

beat: install
	$(BIN)/celery -A peerlearn beat --loglevel=info --schedule=$(VENV)/celerybeat-schedule

## Refresh the translation catalogues (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=tests --ignore=benchmarks --ignore=scripts
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 .run staticfiles .pytest_cache .mypy_cache .ruff_cache
