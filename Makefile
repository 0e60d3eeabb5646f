# Kaufhaus — the two commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := store

.PHONY: demo test install install-dev translations extract-messages lint bench docs clean

# The package and its compiled message catalogues. Re-runs when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed translations

install-dev: $(VENV)/.installed-dev translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -f -d store/translations

# Developers: after changing strings, extract them and update the catalogues, then translate.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o store/translations/messages.pot --no-location --sort-output --project Kaufhaus .
	$(BIN)/pybabel update -i store/translations/messages.pot -d store/translations --no-fuzzy-matching --ignore-obsolete

# Install, migrate, load the demo shop, and serve it with virtual printers. Ctrl-C stops it all.
demo: install
	mkdir -p instance
	KAUFHAUS_DEMO=1 $(BIN)/flask db upgrade
	KAUFHAUS_DEMO=1 $(BIN)/flask demo-data
	@echo ""
	@echo "Kaufhaus runs on http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	@trap 'kill 0' EXIT INT TERM; \
	  KAUFHAUS_DEMO=1 $(BIN)/flask print-worker >> instance/print-worker.log 2>&1 & \
	  KAUFHAUS_DEMO=1 $(BIN)/flask outbox-worker >> instance/outbox-worker.log 2>&1 & \
	  KAUFHAUS_DEMO=1 $(BIN)/flask run --host 127.0.0.1 --port $(PORT) --no-reload

# Lint, then every test, on SQLite and on a throwaway PostgreSQL server, browser tests included.
test: lint
	bash tests/run-all.sh

lint: install-dev
	$(BIN)/ruff check store hardware tests bench
	$(BIN)/ruff format --check store hardware tests bench

bench: install-dev
	bash bench/run.sh

# The manual (docs/, mkdocs.yml) into build/docs; strict: a broken link or a page left out of the nav
# fails. Material for MkDocs prints an end-of-life notice on every build; NO_MKDOCS_2_WARNING hides it.
docs: install-dev
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
