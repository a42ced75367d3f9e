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

.PHONY: demo test test-klok lint audit install browser axe postgres faketime clean

# setuptools is upgraded too: the one a Python 3.11 venv starts with (65.5) has known vulnerabilities.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium: playwright cannot download browsers on closed networks.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core; }

# axe-core for the accessibility tests, from tests/browser/package-lock.json (npm ci: exactly the locked version).
AXE := tests/browser/node_modules/axe-core/axe.min.js

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm niet gevonden: installeer Node.js (20 of nieuwer) met npm"; exit 1; }
	npm ci --prefix tests/browser --no-audit --no-fund
	touch $(AXE)

axe: $(AXE)

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

# Known vulnerabilities in the installed packages (pip-audit, plus PyPI's project pages where its service
# cannot be reached from here): non-zero on any, and when nothing at all could be checked.
audit: $(STAMP)
	$(BIN)/python -m tests.support.audit

test: $(STAMP) browser axe postgres lint audit faketime
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory test-klok

# libfaketime (Debian's faketime) moves the clock of a whole process tree: Voilà, its kernels and the browser.
faketime:
	@command -v faketime >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq faketime; }

# The suite with the clock moved, so no test depends on the calendar: a year on (browser tests included), five years
# on and the next 29 February. A relative shift (+Nd), so every process agrees on the time.
# One day only: make test-klok KLOK="+3d"; other tests: make test-klok KLOK_TESTS="tests/test_logboek.py".
KLOK_TESTS ?= -m "not reliability"
KLOK ?= +366d:tests +1827d:unit +$(shell $(PYTHON) -c 'import datetime as d; t=d.date.today(); y=t.year+next(i for i in range(1,9) if (t.year+i)%4==0); print((d.date(y,2,29)-t).days)')d:unit
test-klok: $(STAMP) browser axe postgres faketime
	@for shift in $(KLOK); do \
		days=$${shift%%:*}; part=$${shift##*:}; \
		if [ "$$part" = unit ]; then only='-m "not reliability and not browser"'; else only='$(KLOK_TESTS)'; fi; \
		echo "== klok $$days ($$part)"; \
		eval faketime -f "$$days" $(BIN)/python -m pytest -q $$only || exit 1; \
	done

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache tests/browser/node_modules
