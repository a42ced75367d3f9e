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

test: $(STAMP) browser axe postgres lint audit
	$(BIN)/python -m pytest

# libfaketime (Debian's faketime) moves the clock of a whole process tree: Voilà, its kernels and the browser.
faketime:
	@command -v faketime >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq faketime; }

# The suite with the clock moved, so no test depends on the calendar: a year on, five years on and the next
# 29 February. libfaketime needs two forms here: the browser tests run with a relative shift (+366d: Voilà, its
# kernels and chromium agree on the time and sleeps work), the other tests at a fixed moment with the monotonic clock
# left real (with a faked monotonic clock a timed wait between threads never expires).
# One run of your own: faketime -f "+40d" .venv/bin/python -m pytest -m browser, or
# FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "@2028-02-29 12:00:00" .venv/bin/python -m pytest -m "not browser".
KLOK_DAGEN ?= $(shell $(PYTHON) -c 'import datetime as d; t=d.date.today(); y=next(t.year+i for i in range(1,9) if (t.year+i)%4==0); print(t+d.timedelta(366), t+d.timedelta(1827), d.date(y,2,29))')
test-klok: $(STAMP) browser axe postgres faketime
	@echo "== klok +366d (browsertests)"
	faketime -f "+366d" $(BIN)/python -m pytest -q -m browser
	@for dag in $(KLOK_DAGEN); do \
		echo "== klok $$dag"; \
		FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "@$$dag 12:00:00" \
			$(BIN)/python -m pytest -q -m "not reliability and not browser" || exit 1; \
	done

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache tests/browser/node_modules
