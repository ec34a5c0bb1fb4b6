# OneWindow. `make run` serves the system with the Linxia demo data; `make test` runs
# the whole suite (SQLite by default, PostgreSQL when DATABASE_URL is set).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-setup fuzz layout bench bench-quick lint format sysdeps sysdeps-run migrate demo clean drill audit load

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/onewindow migrate --noinput

demo: sysdeps-run migrate
	$(BIN)/onewindow load-demo --if-empty

run: demo
	@echo "OneWindow: http://$(HOST):$(PORT)/"
	$(BIN)/onewindow runserver $(HOST):$(PORT)

# System packages (Debian): what serving needs (Pango, the CJK fonts), then what the
# suite adds (Chromium, poppler, libatomic for Playwright's driver).
sysdeps-run:
	@bash scripts/ensure-system-deps.sh run

sysdeps:
	@bash scripts/ensure-system-deps.sh test

# The suite runs on TEST_WORKERS processes (pytest-xdist), a test module per process at a
# time (its module-scoped worlds are built once); each process has its own test database.
# The modules are handed out in the order tests/conftest.py gives them (the demo's loader,
# then the slowest), not by their number of tests. The 25 slowest tests are printed at the end.
TEST_WORKERS ?= 2

# Python writes the compiled modules of src and tests (and pytest its rewritten test
# modules) and reads them back in every later process: the environment of the CI
# machines sets PYTHONDONTWRITEBYTECODE, which would have each process compile them all
# again (about 12 s of CPU for a process to collect the suite without them, 5 s with).
test fuzz: export PYTHONDONTWRITEBYTECODE =

test: test-setup
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=25 $(PYTEST_ARGS)

# What the suite needs before it runs: the virtualenv, the system packages, the layering.
test-setup: $(STAMP) sysdeps layout

# The layering (import-linter contracts in pyproject.toml) and the layout rules it cannot
# express (scripts/check_layout.py): private names, module and view sizes, role sets,
# domain errors caught in views, state strings in templates.
layout: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_layout.py

# Known vulnerabilities in the installed packages (pip-audit, scripts/audit.py): fails on
# a finding; offline it warns and passes. Not part of `make test` (it needs the network).
audit: $(STAMP)
	$(BIN)/python scripts/audit.py

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Every bench at a tenth of its size: a check while developing, not a measurement.
bench-quick: $(STAMP)
	BENCH_QUICK=1 $(BIN)/python bench/run.py

# The API fuzzed from its OpenAPI description (every operation, every kind of caller,
# valid and invalid input), the walks along its links and the life-cycle state machines,
# at a size too large for the suite, on the Linxia demo. FUZZ_EXAMPLES, FUZZ_SCENARIOS,
# FUZZ_STEPS and MACHINE_EXAMPLES set the sizes.
FUZZ_EXAMPLES ?= 25
MACHINE_EXAMPLES ?= 100
FUZZ_SCENARIOS ?= 40
FUZZ_STEPS ?= 30

fuzz: $(STAMP)
	FUZZ_DEMO=1 FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) MACHINE_EXAMPLES=$(MACHINE_EXAMPLES) FUZZ_SCENARIOS=$(FUZZ_SCENARIOS) FUZZ_STEPS=$(FUZZ_STEPS) $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile -q tests/core/test_api_fuzz.py tests/core/test_api_stateful.py tests/hall/test_ticket_machine.py tests/complaints/test_complaint_machine.py tests/cases/test_case_machine.py tests/evaluation/test_rectification_machine.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# The restore drill on the configured database: back up, restore into a scratch copy,
# compare every table and file (docs/operations.md).
drill: $(STAMP)
	$(BIN)/onewindow backup-drill

clean:
	rm -rf $(VENV) var/test-* .pytest_cache

# A morning's mix at a county center and at a province's scale, driven by locust
# (bench/load/): the demo under gunicorn on PostgreSQL when DATABASE_URL is set (its
# database with _load added), else SQLite; p50/p99 per operation against ping, and the
# errors (exits non-zero on any). LOAD_SECONDS per shape, LOAD_SHAPES, LOAD_WORKERS.
load: $(STAMP)
	@$(BIN)/python -c "import locust" 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[test,load]'
	$(BIN)/python bench/load/run.py
