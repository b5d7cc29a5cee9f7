# Backprop by Hand — the two commands a student needs are `make lab` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
# The oldest Python the pinned packages install on (numpy 2.4 and matplotlib 3.11 need 3.11, soupsieve 3.11.5);
# tests/test_pins.py checks it against the lock and that pyproject.toml, README.md and environment.yml agree.
MIN_PYTHON := 3.11.5
VENV := .venv
BIN := $(VENV)/bin
# What a learner installs (`make lab`): the course (nblib), NumPy, Matplotlib, JupyterLab, ipywidgets.
LEARNER := $(VENV)/.installed-learner
# Each extra of pyproject.toml on top, installed by the targets that need it: dev (pytest, ruff, nbval), browser
# (Playwright), hub (JupyterHub, nbgitpuller), grading (nbgrader). STAMP: all of them (`make setup`, `make test`).
EXTRA = $(VENV)/.installed-$(1)
STAMP := $(VENV)/.installed
# The installer: uv (Astral's pip replacement, https://docs.astral.sh/uv/) installs the same pinned wheels as pip in a
# third of the time (measured on a 2-core machine, every extra: 12 s against 35 s), and byte-compiles them as pip
# does. It is pinned here, installed with pip into build/uv/ (outside .venv: the learner's .venv does not grow by its
# 40 MB). Where uv cannot be installed or its install fails (e.g. a machine whose pip.conf names a package mirror,
# which uv does not read), pip installs instead; INSTALLER=pip uses pip only.
UV_VERSION := 0.13.9
UV := build/uv/bin/uv
INSTALLER ?= uv
# Left out of every install: rfc3987-syntax, and lark, which only it uses. jsonschema's format-nongpl extra brings it
# (jupyter_events asks for that extra, and JupyterLab, JupyterHub, nbgrader and nbformat import jsonschema) to check
# the "iri" and "iri-reference" string formats, which no Jupyter schema uses; but importing it builds its Earley
# parsers, 1.1 CPU-seconds in every process that imports jsonschema (measured: `import jsonschema` 1.22 s against
# 0.10 s without it), i.e. every start of JupyterLab, of a hub's servers, of nbgrader and of the course's tools. Without
# it jsonschema leaves those two formats unchecked (jsonschema/_format.py suppresses the ImportError).
# tests/test_pins.py checks that they are neither installed nor locked.
LEFT_OUT := rfc3987-syntax lark
# $(call INSTALL,ARGS): install ARGS (pip install's arguments) into .venv with uv, or with pip if uv is absent or fails
# (uv leaves LEFT_OUT out of the resolution; pip installs them and they are uninstalled).
INSTALL = { [ "$(INSTALLER)" = uv ] && [ -x $(UV) ] && $(UV) pip install --quiet --compile-bytecode \
  --python $(BIN)/python --excludes <(printf '%s\n' $(LEFT_OUT)) $(1); } \
  || { $(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/python -m pip install --quiet $(1) \
  && $(BIN)/python -m pip uninstall --quiet --yes $(LEFT_OUT); }
# Students' JupyterLab without nbgrader's instructor tools (see its rule below).
NBGRADER_LAB := $(VENV)/.nbgrader-lab
# JupyterLab's settings overrides for this environment: no news pop-up and no update check (a classroom needs no
# "Would you like to receive official Jupyter news?" toast, and both would make requests to jupyter.org).
# Setting names: @jupyterlab/apputils-extension's schema notification.json (fetchNews is the string "false").
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
WRITE_LAB_OVERRIDES := mkdir -p $(dir $(LAB_OVERRIDES)) && printf '%s\n' \
  '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' > $(LAB_OVERRIDES)
PORT ?= 8888
# Extra JupyterLab flags, e.g. LAB_FLAGS=--no-browser
LAB_FLAGS ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# One more xdist worker than the 2 cores of CI: the browser, hub and grading tests spend part of their time
# waiting on other processes (measured: 7 min 57 s against 10 min 5 s with -n 2). One test file per worker, the longest
# files first (conftest.py's LONGEST_FIRST; xdist would otherwise start the files with the most tests first).
PYTEST_WORKERS ?= -n 3 --dist loadfile --no-loadscope-reorder
# One BLAS thread per process in the tests, as the hubs' kernels and the grading sandbox have (jupyterhub_config.py,
# tools/sandbox_kernel.py): the suite runs many processes on 2 cores, and OpenBLAS's default of one busy-waiting
# thread per core made each one spin against the others (lesson 08's training cells on a loaded machine: 17.1 s and
# 6.5 CPU-seconds with the default, 3.9 s and 1.7 CPU-seconds with one thread, one run each). Inherited by every
# kernel, nbgrader and JupyterLab the tests start. The lessons print the same numbers either way (strict nbval passes
# on notebooks executed with the default).
ONE_BLAS_THREAD := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

.PHONY: setup lab progress test unit nbval lint execute lock clean

setup: $(STAMP) $(NBGRADER_LAB)

# PYTHON given on the command line or in the environment, but .venv was made by another Python version:
# rebuild .venv with the one asked for instead of silently keeping the old interpreter.
ifneq ($(filter environment command line,$(origin PYTHON)),)
VENV_PY := $(shell [ -x $(BIN)/python ] && $(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
WANT_PY := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
ifneq ($(VENV_PY),)
ifneq ($(VENV_PY),$(WANT_PY))
$(LEARNER): rebuild-venv
endif
endif
endif

.PHONY: rebuild-venv
rebuild-venv:
	@echo "make: .venv uses Python $(VENV_PY) but PYTHON=$(PYTHON) is Python $(or $(WANT_PY),?): rebuilding .venv"
	rm -rf $(VENV)

# The course's JupyterLab extension (alt text on figures), committed prebuilt: tools/lab_extension.py builds it from
# tools/lab_alt_text/ and installs it. setuptools' editable install leaves pyproject.toml's data-files out, so the
# recipe below copies it into .venv; a rebuilt extension (newer files here) reinstalls.
LAB_EXTENSION := $(wildcard tools/lab_alt_text/labextension/package.json tools/lab_alt_text/labextension/static/*)

# (Re)install only when pyproject.toml, requirements.lock or the built extension changed since the last install. The
# stamp is written only after every step succeeded, so a failed or interrupted install is redone by the next make.
$(LEARNER): pyproject.toml requirements.lock $(LAB_EXTENSION)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < tuple(map(int, "$(MIN_PYTHON)".split("."))))' 2>/dev/null \
	  || { echo "make: the course needs Python ≥ $(MIN_PYTHON), but PYTHON=$(PYTHON) is" \
	       "$$($(PYTHON) --version 2>&1 || echo 'not found'); run e.g. PYTHON=python3.12 make" >&2; exit 1; }
	@rm -f $(LEARNER)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) \
	  || { rm -rf $(VENV); echo "make: $(PYTHON) -m venv failed (on Debian/Ubuntu: apt install python3-venv)" >&2; exit 1; }
	$(if $(filter uv,$(INSTALLER)),[ -x $(UV) ] || $(BIN)/python -m pip install --quiet --target build/uv \
	  uv==$(UV_VERSION) || echo "make: uv could not be installed; pip installs the course instead" >&2)
	$(call INSTALL,-c requirements.lock -e .) \
	  || { echo "make: installing the pinned packages failed (see above); .venv is not marked installed," \
	       "the next make retries (make clean starts afresh)" >&2; exit 1; }
	$(BIN)/python tools/lab_extension.py install
	$(WRITE_LAB_OVERRIDES)
	touch $(LEARNER)

# One extra on top of the learner's install (same rules: redone when the pins change, stamped only on success).
$(VENV)/.installed-%: pyproject.toml requirements.lock $(LEARNER)
	@rm -f $@
	$(call INSTALL,-c requirements.lock -e ".[$*]") \
	  || { echo "make: installing the pinned packages of the $* extra failed (see above); the next make retries" >&2; \
	       exit 1; }
	touch $@

$(STAMP): $(foreach extra,dev browser hub grading,$(call EXTRA,$(extra)))
	touch $(STAMP)

# nbgrader (the grading extra) is for `make student`/`make grade`: students' JupyterLab keeps only its Validate
# button (plugin @jupyter/nbgrader:validate-assignment), without the instructor's formgrader, course list, assignment
# creator or exchange-based assignment list, nor the "Nbgrader" menu (@jupyter/nbgrader:menu), which would be empty.
# A stamp of its own, redone when this Makefile changes, so an existing .venv gets a newly disabled plugin too.
$(NBGRADER_LAB): Makefile $(call EXTRA,grading)
	$(BIN)/jupyter labextension disable --level=sys_prefix @jupyter/nbgrader:formgrader @jupyter/nbgrader:course-list \
	  @jupyter/nbgrader:create-assignment @jupyter/nbgrader:assignment-list @jupyter/nbgrader:menu >/dev/null 2>&1
	$(BIN)/jupyter server extension disable --sys-prefix nbgrader.server_extensions.formgrader \
	  nbgrader.server_extensions.assignment_list nbgrader.server_extensions.course_list >/dev/null 2>&1
	touch $(NBGRADER_LAB)

# Written by setup; rewritten by `make lab` for a .venv installed before this setting existed.
$(LAB_OVERRIDES): Makefile | $(LEARNER)
	$(WRITE_LAB_OVERRIDES)

# JupyterLab on the first lesson, on 127.0.0.1 only, with token authentication (never disabled).
# EDITION=learner (the default): the learner's workspace, workspace/ (git-ignored, tools/workspace.py): every lesson as
# the exercise edition, created once and brought up to date without ever overwriting the learner's work.
# EDITION=instructor: the repository itself, notebooks/ with every solution (what nbval tests).
EDITION ?= learner
WORKSPACE ?= workspace
ifeq ($(EDITION),instructor)
LAB_ROOT := $(CURDIR)
LAB_START := notebooks/00_start_here.ipynb
else ifeq ($(EDITION),learner)
LAB_ROOT := $(abspath $(WORKSPACE))
LAB_START := 00_start_here.ipynb
else
$(error EDITION must be learner (the default) or instructor, not "$(EDITION)")
endif

# A .venv with nbgrader (the grading extra) gets its instructor plugins switched off for the learner's lab too.
lab: $(LEARNER) $(LAB_OVERRIDES) $(if $(wildcard $(call EXTRA,grading)),$(NBGRADER_LAB))
	$(if $(filter learner,$(EDITION)),$(BIN)/python tools/workspace.py $(WORKSPACE))
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
	  --ServerApp.root_dir=$(LAB_ROOT) $(ROOT_FLAG) $(LAB_FLAGS) \
	  --LabApp.default_url=/lab/tree/$(LAB_START)

# The learner's progress (every check run and questionnaire answer in the workspace): a table, and a figure in
# workspace/progress.png.
progress: $(LEARNER)
	@$(BIN)/python -m nblib.progress_report $(WORKSPACE)

# Lint, unit tests and strict nbval over every notebook.
test: $(STAMP) lint
	$(ONE_BLAS_THREAD) $(BIN)/python -m pytest $(PYTEST_WORKERS) $(NBVAL) tests notebooks

lint: $(call EXTRA,dev)
	$(BIN)/ruff check conftest.py nblib tests notebooks tools benchmarks jupyterhub_config.py

unit: $(STAMP)
	$(ONE_BLAS_THREAD) $(BIN)/python -m pytest $(PYTEST_WORKERS) tests

nbval: $(call EXTRA,dev)
	$(ONE_BLAS_THREAD) $(BIN)/python -m pytest $(PYTEST_WORKERS) $(NBVAL) notebooks

# Re-run every notebook top to bottom in a fresh kernel and store the outputs (before committing).
execute: $(LEARNER)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.record_timing=False \
	  $(or $(NB),notebooks/*.ipynb)

# Regenerate requirements.lock from the current environment (then update pyproject.toml/environment.yml).
lock: $(STAMP)
	{ sed -n '1,3p' requirements.lock; $(BIN)/python -m pip freeze --exclude-editable | grep -v '^nblib'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache .hypothesis tools/lab_alt_text/node_modules tools/lab_alt_text/lib

.PHONY: student publish-class grade slides site bench browser hub hub-class hub-link class-release class-collect \
  class-grade class-feedback

# The student edition with nbgrader (tools/grade.py): solutions replaced by NotImplementedError stubs, locked checks
# kept, hidden tests removed; course directory build/nbgrader/ (SQLite gradebook), edition in build/student/notebooks/.
student: $(call EXTRA,grading)
	$(BIN)/python tools/grade.py release

# The class edition as one new commit on the local branch BRANCH (tools/publish_class.py: built by the student target's
# tools/grade.py release, committed with a temporary index; your checkout is untouched, nothing is pushed).
# LESSONS="00 01" republishes only those lessons (the branch keeps the others as published).
publish-class: $(call EXTRA,grading)
	$(BIN)/python tools/publish_class.py --branch "$(or $(BRANCH),student)" $(if $(LESSONS),--lessons $(LESSONS))

# Autograde DIR/<student>/<NN_lesson>.ipynb: build/grades/grades.csv, build/grades/feedback/<student>/<lesson>.html,
# build/grades/tampered.csv (edited locked checks). GRADE_TIMEOUT: seconds per cell (an endless loop loses that cell).
GRADE_TIMEOUT ?= 60
GRADE_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
grade: $(call EXTRA,grading)
	@test -n "$(SUBMISSIONS)" || { echo "make: say where the submissions are: make grade SUBMISSIONS=DIR" \
	  "(DIR/<student>/<NN_lesson>.ipynb)" >&2; exit 1; }
	$(BIN)/python tools/grade.py grade "$(SUBMISSIONS)" --timeout $(GRADE_TIMEOUT) --jobs $(GRADE_JOBS)

# Offline reveal.js decks and a static website (JavaScript vendored with npm into build/vendor/).
# EDITION=learner (the default): exercises as stubs and hints, no solution, in build/slides and build/site;
# EDITION=instructor: the solutions too, in build/instructor/slides and build/instructor/site.
slides: $(LEARNER)
	$(BIN)/python tools/build_html.py slides --edition $(EDITION)

site: $(LEARNER)
	$(BIN)/python tools/build_html.py site --edition $(EDITION)

# Benchmarks print ratios measured in one run; they never fail on time.
bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

# Only the real-browser tests (make test runs them too).
browser: $(call EXTRA,dev) $(call EXTRA,browser)
	$(ONE_BLAS_THREAD) $(BIN)/python -m pytest -q tests/browser

# A real JupyterHub on 127.0.0.1 for trying the class set-up locally (jupyterhub_config.py: DummyAuthenticator and
# SimpleLocalProcessSpawner, no isolation between users — for trying only). configurable-http-proxy comes from npm,
# pinned in tools/web/package-lock.json. Open http://127.0.0.1:$(HUB_PORT)/ and log in with any name and password.
HUB_PORT ?= 8000
# Its own copy of tools/web/ (not build/vendor/, which `make slides` may be installing at the same moment).
CHP := build/hub-node/node_modules/.bin/configurable-http-proxy
# It refuses to start on any address but loopback (HUB_FLAGS=--JupyterHub.bind_url=http://0.0.0.0:8000 stops it) unless
# a real authenticator replaces the any-password one; run as root, the students' servers run as the checkout's owner
# (or nobody), never as root.
hub: $(call EXTRA,hub) $(call EXTRA,grading) $(CHP)
	HUB_MODE=tryout HUB_PORT=$(HUB_PORT) $(BIN)/jupyterhub -f jupyterhub_config.py $(HUB_FLAGS)

# The hub for a class (as root): each student logs in with their own system account (members of HUB_CLASS_GROUP),
# their server runs as that user in their home (mode 0700), and JupyterLab's Assignments list fetches and submits
# lessons through nbgrader's exchange in NBGRADER_EXCHANGE. README's "Teaching a class" gives the whole round.
NBGRADER_EXCHANGE ?= /srv/nbgrader/exchange
hub-class: $(call EXTRA,hub) $(call EXTRA,grading) $(CHP)
	@test "$$(id -u)" = 0 || { echo "make: make hub-class starts each student's server as that student's system" \
	  "user, which needs root: sudo make hub-class" >&2; exit 1; }
	install -d -m 0755 "$(dir $(NBGRADER_EXCHANGE))"
	test -d "$(NBGRADER_EXCHANGE)" || install -d -m 1777 "$(NBGRADER_EXCHANGE)"
	HUB_MODE=class HUB_PORT=$(HUB_PORT) NBGRADER_EXCHANGE="$(NBGRADER_EXCHANGE)" \
	  $(BIN)/jupyterhub -f jupyterhub_config.py $(HUB_FLAGS)

# The instructor's round, as the instructor's own user in their checkout (tools/class_exchange.py), LESSON=01 etc.:
# release the lesson to the exchange, collect the submissions, autograde them (tools/grade.py), release feedback.
class-release class-collect class-grade class-feedback: $(call EXTRA,grading)
	@test -n "$(LESSON)" || { echo "make: say which lesson: make $@ LESSON=01" >&2; exit 1; }
	NBGRADER_EXCHANGE="$(NBGRADER_EXCHANGE)" $(BIN)/python tools/class_exchange.py $(@:class-%=%) "$(LESSON)"

$(CHP): tools/web/package.json tools/web/package-lock.json
	@command -v npm >/dev/null || { echo "make: make hub needs npm (Node.js >= 20) for configurable-http-proxy;" \
	  "on Debian/Ubuntu: apt install nodejs npm" >&2; exit 1; }
	mkdir -p build/hub-node
	cp tools/web/package.json tools/web/package-lock.json build/hub-node/
	cd build/hub-node && npm ci --silent --no-audit --no-fund
	touch $(CHP)

# The nbgitpuller link for the course page, e.g.
#   make hub-link HUB=https://hub.example.edu REPO=https://github.com/you/backprop-by-hand BRANCH=student LESSON=01
hub-link: $(LEARNER)
	@$(BIN)/python tools/hub_link.py --hub "$(or $(HUB),http://127.0.0.1:$(HUB_PORT))" \
	  $(if $(REPO),--repo "$(REPO)") --branch "$(or $(BRANCH),student)" $(if $(LESSON),--lesson "$(LESSON)")
