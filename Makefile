# The commands a person uses. `make run` and `make test` set everything up themselves.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export FLASK_APP := wsgi
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/tracker_test
PG_BENCH_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/tracker_bench

.PHONY: setup system-packages run test test-pg bench lint format clean

setup: system-packages $(INSTALLED)

system-packages:
	@PYTHON=$(PYTHON) bash .ci/system-packages.sh

$(INSTALLED): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo "Serving on http://127.0.0.1:5000  (API docs: http://127.0.0.1:5000/api/docs)"
	$(BIN)/gunicorn --workers 2 --threads 4 --bind 127.0.0.1:5000 wsgi:app

test: setup
	$(BIN)/pytest -q

test-pg: setup
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -q

bench: setup
	$(BIN)/python bench/labels.py
	$(BIN)/python bench/scan_throughput.py --database-url $(PG_BENCH_URL)
	$(BIN)/python bench/reports.py --database-url $(PG_BENCH_URL) --items 1000000
	$(BIN)/python bench/reports.py --database-url sqlite:///$(CURDIR)/instance/bench-reports.sqlite3 --items 100000

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
