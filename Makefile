# The two commands of the README:
#   make demo   start the workbooks on a demo region in an embedded SQLite file (demo.db)
#   make test   run every test: unit, PostgreSQL, notebooks (nbval), real browser, reliability
# Both install what they need first: a virtualenv in .venv and Debian's chromium for browser tests.

VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DB ?= demo.db
PORT ?= 8866

.PHONY: demo test lint install browser postgres clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium: playwright cannot download browsers on closed networks.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core; }

# The PostgreSQL tests need the server on 127.0.0.1:5432; start the local cluster if it is down.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || { \
		command -v pg_ctlcluster >/dev/null 2>&1 && \
		$(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | tail -n 1) main start; } || true

demo: $(STAMP)
	@test -f $(DEMO_DB) || $(BIN)/wijkleer demo --db $(DEMO_DB)
	$(BIN)/wijkleer serve --db $(DEMO_DB) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check wijkleer tests
	$(BIN)/ruff format --check wijkleer tests

test: $(STAMP) browser postgres lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
