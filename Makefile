# The two commands the README promises: `make run` and `make test`.
# Both work on a fresh clone with only Python 3.11 on the machine.
PYTHON ?= python3.11
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 8000
BIN     = $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: run test lint format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the declared dependencies change.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	bash .ci/install-browser.sh pdf
	mkdir -p var
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo --if-empty --this-year
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py demo_logins
	@# The background worker (certificate batches) runs beside the web server and stops with it.
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Chromium (browser tests) and Pango (WeasyPrint) come from Debian; installed when missing.
test: $(VENV)/.installed-test
	bash .ci/install-browser.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate and compile the English translation (needs GNU gettext).
messages: $(VENV)/.installed-test
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) var/*.sqlite3*
