# Backprop by Hand — the two commands a student needs are `make lab` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8888
# Extra JupyterLab flags, e.g. LAB_FLAGS=--no-browser
LAB_FLAGS ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
PYTEST_WORKERS ?= -n 2 --dist loadfile

.PHONY: setup lab test unit nbval lint execute lock clean

setup: $(STAMP)

# (Re)install only when pyproject.toml or requirements.lock changed since the last install.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev,browser]"
	touch $(STAMP)

# JupyterLab on the first lesson, on 127.0.0.1 only, with token authentication (never disabled).
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
	  --ServerApp.root_dir=$(CURDIR) $(ROOT_FLAG) $(LAB_FLAGS) \
	  --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb

# Lint, unit tests and strict nbval over every notebook.
test: $(STAMP) lint
	$(BIN)/python -m pytest $(PYTEST_WORKERS) $(NBVAL) tests notebooks

lint: $(STAMP)
	$(BIN)/ruff check nblib tests notebooks tools benchmarks

unit: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_WORKERS) tests

nbval: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_WORKERS) $(NBVAL) notebooks

# Re-run every notebook top to bottom in a fresh kernel and store the outputs (before committing).
execute: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.record_timing=False \
	  $(or $(NB),notebooks/*.ipynb)

# Regenerate requirements.lock from the current environment (then update pyproject.toml/environment.yml).
lock: $(STAMP)
	{ sed -n '1,3p' requirements.lock; $(BIN)/python -m pip freeze --exclude-editable | grep -v '^nblib'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache .hypothesis

.PHONY: student slides site bench browser

# The student edition: solutions replaced by NotImplementedError stubs, checks kept (build/student/).
student: $(STAMP)
	$(BIN)/python tools/student_edition.py

# Offline reveal.js decks and a static website (JavaScript vendored with npm into build/vendor/).
slides: $(STAMP)
	$(BIN)/python tools/build_html.py slides

site: $(STAMP) slides
	$(BIN)/python tools/build_html.py site

# Benchmarks print ratios measured in one run; they never fail on time.
bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

# Only the real-browser tests (make test runs them too).
browser: $(STAMP)
	$(BIN)/python -m pytest -q tests/browser
