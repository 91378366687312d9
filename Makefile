# Two commands set everything up on a fresh machine:
#   make book   builds the HTML site into _build/html
#   make test   runs the whole suite in tiers (lint and unit tests, the -W book
#               build, browser tests, Binder), stopping at the first that fails
# Each creates .venv and installs what it needs the first time.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
BOOK_DEPS := $(VENV)/.book-deps
TEST_DEPS := $(VENV)/.test-deps
# esbuild and biome, pinned in package.json/package-lock.json (see `make js`)
NODE_DEPS := node_modules/.package-lock.json
# The browser binary: its default is written once, in tools/shared.py, which the
# tests, tools and benchmarks read; set CHROMIUM=/path/to/chromium to use another.
ifndef CHROMIUM
CHROMIUM := $(shell $(PYTHON) tools/shared.py chromium)
endif
export CHROMIUM

.PHONY: book test lint format lab chromium clean book-offline bench-build bench
.PHONY: bench-widget binder-base pdf links test-book test-browser test-binder

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BOOK_DEPS): requirements.txt constraints.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -c constraints.txt -r requirements.txt -e .
	touch $@

$(TEST_DEPS): requirements-dev.txt $(BOOK_DEPS)
	$(BIN)/python -m pip install -c constraints.txt -r requirements-dev.txt
	touch $@

# The chapters the execution cache lacks are first executed on every core
# (tools/execute_chapters.py), so the build itself finds them all in the cache.
# The execution cache is keyed on the chapters' code only; chapter outputs (and the
# widget front end stored in them) also depend on backprop_lib. When the library has
# changed since the last build, drop the cache and re-execute every chapter.
# Every file a clone holds under backprop_lib/ (subpackages included), with
# uncommitted edits (tools/shared.py: the list of a clone's files is written there).
LIB_HASH = $(shell $(PYTHON) tools/shared.py lib-hash)
JB_BUILD = all=; \
	if [ "$$(cat _build/.backprop_lib-hash 2>/dev/null)" != "$(LIB_HASH)" ]; then \
	  echo "backprop_lib changed since the last build: re-executing every chapter"; \
	  rm -rf _build/.jupyter_cache; all=--all; \
	fi; \
	$(BIN)/python tools/execute_chapters.py && \
	$(BIN)/jupyter-book build . -W -n --keep-going $$all && \
	echo "$(LIB_HASH)" > _build/.backprop_lib-hash

book: $(BOOK_DEPS)
	@$(JB_BUILD)
	@echo "The book is in _build/html: open _build/html/index.html in a browser."

# The same site, readable with no internet: MathJax, require.js and the widget front
# ends are installed from the npm registry (into .web_assets/, needs npm) and copied
# into _build/html/_static/offline/. `make book` switches back to the CDNs.
book-offline: $(BOOK_DEPS)
	@export BOOK_OFFLINE=1; $(JB_BUILD)
	@echo "The offline book is in _build/html: open _build/html/index.html, no internet needed."

# The whole book as one PDF (_build/pdf/backprop-derived.pdf; the name is written
# once, in _ext/backprop_site.py, which links it from the sidebar): the single-page HTML
# build (offline, reusing the execution cache of `make book`) printed by headless
# Chromium with a title page, contents, numbered chapters and unfolded solutions
# (tools/build_pdf.py). Then the site is built again: a build that finds the PDF
# copies it beside index.html and links it from the sidebar (a build without it, such
# as `make book` alone, has no link).
pdf: book $(TEST_DEPS) chromium
	BOOK_OFFLINE=1 $(BIN)/jupyter-book build . -W -n --keep-going \
	  --builder custom --custom-builder singlehtml
	$(BIN)/python tools/build_pdf.py _build/singlehtml _build/pdf
	@$(JB_BUILD)
	@echo "The PDF is in _build/pdf/, linked from the site's sidebar."

# Every external link in the built book, with the pages that use it (this machine
# cannot reach them to check them).
links: book
	@$(BIN)/python tools/links.py _build/html

# Build-speed benchmark (not part of `make test`): a cold `make book` in a fresh
# copy of the repository, then a rebuild with nothing changed.
bench-build: $(BOOK_DEPS)
	$(BIN)/python benchmarks/bench_build.py

# Speed of backward against a per-example loop, the bare matrix multiplies and
# PyTorch (if installed), with single-threaded BLAS (not part of `make test`);
# BENCH_ARGS=--cpu times CPU use instead of the wall clock (on a loaded machine).
bench: $(BOOK_DEPS)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
	  $(BIN)/python benchmarks/bench_backprop.py $(BENCH_ARGS)

# Latency of the δ explorer: slider -> every δ updated on the static page (target
# 16 ms), one training epoch + heat map (16 ms) and an architecture edit (50 ms) on
# the static page, and the live-kernel round trip in Voila (300 ms). Not in `make test`.
bench-widget: $(TEST_DEPS) chromium
	$(BIN)/python benchmarks/bench_widget.py

# `make test`: the whole suite in four tiers, each started only once the one before
# has passed, each printing how long it took:
#   1. lint and the unit tests (`make test-fast`: the library, the SymPy checks, the
#      errors; parallel on every core with pytest-xdist);
#   2. the book (`make test-book`): the -W build re-executing every chapter, the
#      offline build, and the checks of the built HTML;
#   3. the browser tests (`make test-browser`): every page in headless Chromium, the
#      widgets, Voila, the PDF; parallel, reading the builds of tier 2;
#   4. Binder (`make test-binder`): its environment rebuilt and every chapter run in
#      JupyterLab. The environment's build (binder/make_env.py; mostly downloads and
#      unpacking, about a minute of CPU) starts in the background as `make test`
#      begins, logging to $(BINDER_BG).log; tier 4's own run of make_env.py waits for
#      it (a lock). A failing tier stops it.
# The browser and Binder tiers need Chromium, npm and pdftotext: `make chromium`
# installs them first. A tier run on its own (`make test-browser`) needs the tiers
# before it to have passed once: it fails, saying so, if their builds are missing.
PYTEST := $(BIN)/python -m pytest
BINDER_BG := $(VENV)/binder-env-build
TIER = @start=$$(date +%s); echo "=== make test: $(1)"; $(2); status=$$?; \
	echo "=== $(1): $$(( $$(date +%s) - start )) s"; \
	if [ $$status -ne 0 ]; then $(STOP_BINDER_BG); fi; exit $$status
STOP_BINDER_BG = pid=$$(cat $(BINDER_BG).pid 2>/dev/null); \
	if [ -n "$$pid" ] && ps -p $$pid -o args= | grep -q make_env.py; then \
	  kill $$pid; fi

test: $(TEST_DEPS)
	@$(BIN)/python binder/make_env.py > $(BINDER_BG).log 2>&1 & echo $$! > $(BINDER_BG).pid
	$(call TIER,tier 1 of 4 -- lint and unit tests,$(MAKE) --no-print-directory test-fast)
	@$(MAKE) --no-print-directory chromium
	$(call TIER,tier 2 of 4 -- the book build,$(MAKE) --no-print-directory test-book)
	$(call TIER,tier 3 of 4 -- browser tests,$(MAKE) --no-print-directory test-browser)
	$(call TIER,tier 4 of 4 -- Binder,$(MAKE) --no-print-directory test-binder)

# Everything but the book build, the browser and the Binder tests (pytest markers
# book, browser, binder): the library, the SymPy checks, the errors, on every core
# (pytest-xdist). About 75 s of CPU: under a minute on two idle cores.
.PHONY: test-fast
test-fast: lint
	$(PYTEST) -n auto -m "not book and not browser and not binder"

test-book: $(TEST_DEPS) chromium
	$(PYTEST) -m "book and not browser and not binder"

# Each pytest-xdist worker drives its own Chromium; tests that share an expensive
# fixture (Voila, the PDF, a small test book) stay on one worker (xdist_group,
# tests/conftest.py).
test-browser: $(TEST_DEPS) chromium
	BOOK_PREBUILT=1 $(PYTEST) -n auto --dist loadgroup -m "browser and not binder"

# The Binder environment is built (or found in its cache) first, so that the
# pytest-xdist workers, each with its own JupyterLab, share it.
test-binder: $(TEST_DEPS) chromium
	$(BIN)/python binder/make_env.py > /dev/null
	BOOK_PREBUILT=1 $(PYTEST) -n auto --dist loadgroup -m binder

# biome lints the hand-written JavaScript: js/, tests/js/ and backprop_lib/ less the
# generated bundle explorer.js (biome.json's files.includes).
lint: $(TEST_DEPS) $(NODE_DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	node_modules/.bin/biome ci --colors=off js tests/js backprop_lib

# The explorer's front end: ES modules in js/explorer/, bundled by the esbuild pinned
# in package.json into backprop_lib/explorer.js, which is committed (pip, Binder and
# the book build need no Node); `make js` rebuilds it after editing js/explorer/, and
# tests/test_widgets.py fails if it is stale. esbuild and biome come from npm.
$(NODE_DEPS): package.json package-lock.json
	@command -v npm >/dev/null || $(MAKE) chromium  # (installs npm with apt)
	npm ci --no-audit --no-fund
	touch $@

.PHONY: js
js: $(NODE_DEPS)
	node js/build.mjs

format: $(TEST_DEPS)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/jupytext --quiet --to myst chapters/*.md  # as JupyterLab saves them

# What the browser tests need besides Python: headless Chromium (Debian's package)
# and npm (the tests install MathJax, require.js and the widget front ends from the
# npm registry to stand in for the CDNs), and poppler's pdftotext (the PDF's test).
# Installed with apt when missing.
APT_GET = $(if $(filter 0,$(shell id -u)),apt-get,sudo apt-get)
chromium:
	@missing=; \
	[ -x "$(CHROMIUM)" ] || missing="chromium fonts-liberation"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    $(APT_GET) update && $(APT_GET) install -y --no-install-recommends $$missing; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM), npm and pdftotext" \
	      "(poppler-utils); install them" \
	      "(or set CHROMIUM=/path/to/chromium)"; \
	    exit 1; \
	  fi; \
	fi

# Open the chapters in JupyterLab as a Binder reader gets them: the environment that
# binder/make_env.py builds like repo2docker (its base versions, then binder/'s
# requirements.txt and postBuild; kept in .venv/binder-env/), serving the repository,
# so jupytext.toml applies, at chapters/. Needs the Python of binder/runtime.txt.
lab:
	@env=$$($(PYTHON) binder/make_env.py | $(PYTHON) -c \
	  'import json, sys; print(json.load(sys.stdin)["env"])') && \
	"$$env/bin/jupyter" lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/chapters

# Refresh binder/repo2docker-base.txt (the versions a Binder image starts with) from
# repo2docker's lock file on GitHub; R2D_REPO=path reads a local clone instead.
binder-base:
	$(PYTHON) binder/repo2docker_base.py $(if $(R2D_REPO),--repo $(R2D_REPO))

clean:
	rm -rf _build .pytest_cache .hypothesis
