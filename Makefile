# JoinedUp. On a fresh clone: `make demo` (the demo server) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
ASSETS := src/joinedup/static/vendor/.built
DEMO_DIR ?= demo-data

.PHONY: demo test check install assets browser lock bench loadtest mutation fuzz clean help

help:
	@echo "make demo   - set everything up and serve the Northshire demo on http://127.0.0.1:8000"
	@echo "make test   - run the whole suite (SQLite; PostgreSQL too when it answers, always in CI)"
	@echo "make check  - ruff and mypy"
	@echo "make bench  - run the benchmarks in benchmarks/"
	@echo "make loadtest - 60 s of load, then again with a server and the worker killed; writes loadtest/README.md (PostgreSQL)"
	@echo "make mutation - mutation-test analysis/ (slow; MUTATION_MODULES='stats scoring' for some modules)"
	@echo "make fuzz   - schemathesis over the whole API with many examples (slow; MAX_EXAMPLES=200 by default)"
	@echo "make lock   - re-pin requirements.lock from the current virtual environment"

$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(INSTALLED)

install: $(INSTALLED)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(ASSETS): node_modules/.package-lock.json scripts/build_assets.mjs
	node scripts/build_assets.mjs

assets: $(ASSETS)

browser:
	bash scripts/install_chromium.sh

demo: install assets
	$(BIN)/joinedup demo --data-dir $(DEMO_DIR)

test: install assets browser
	bash scripts/test.sh

check: install
	$(BIN)/ruff check src tests benchmarks loadtest
	$(BIN)/ruff format --check src tests benchmarks loadtest
	DEBUG=true $(BIN)/mypy

bench: install
	$(BIN)/python -m benchmarks

# The load and fault test at full length (tests/loadtest/ runs 20 s of it in `make test`); loadtest/README.md
loadtest: install assets
	$(BIN)/python -m loadtest --seconds 60 --report loadtest/README.md

# Mutation testing of analysis/ with mutmut ([tool.mutmut] in pyproject.toml; docs/testing.md). Every module in
# analysis/ is mutated; MUTATION_MODULES limits the run to some (results accumulate in mutants/), and
# MUTATION_JOBS sets the parallel test processes (1 on a shared machine). Not in CI: it takes a long time.
MUTATION_JOBS ?= 1
MUTATION_MODULES ?=
mutation: install assets
	@# mutmut runs the tests from its copy in mutants/; the chart tests read node_modules from there
	mkdir -p mutants && ln -sfn ../node_modules mutants/node_modules
	POLARS_MAX_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/mutmut run --max-children $(MUTATION_JOBS) \
		$(foreach m,$(MUTATION_MODULES),'joinedup.analysis.$(m).*')
	$(BIN)/python tests/analysis/mutation_report.py --survivors

# The full schemathesis run over /api/v1/ (tests/core/test_api_schema.py reads MAX_EXAMPLES, a few in CI).
# Not in CI: it takes a long time.
MAX_EXAMPLES ?= 200
fuzz: install
	MAX_EXAMPLES=$(MAX_EXAMPLES) $(BIN)/pytest -p no:cacheprovider -q tests/core/test_api_schema.py

lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^joinedup' > requirements.lock

clean:
	rm -rf $(VENV) node_modules src/joinedup/static/vendor staticfiles
