# Two commands set everything up on a fresh machine:
#   make book   builds the HTML site into _build/html
#   make test   runs the whole suite (lint, unit tests, every chapter, the -W book
#               build, browser tests)
# Each creates .venv and installs what it needs the first time.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
BOOK_DEPS := $(VENV)/.book-deps
TEST_DEPS := $(VENV)/.test-deps
# esbuild and biome, pinned in package.json/package-lock.json (see `make js`)
NODE_DEPS := node_modules/.package-lock.json
# The one place the browser binary is configured; the tests and benchmarks read it
# from the environment (tests/conftest.py).
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

.PHONY: book test lint format lab chromium clean book-offline bench-build bench
.PHONY: bench-widget binder-base pdf links

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BOOK_DEPS): requirements.txt constraints.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -c constraints.txt -r requirements.txt -e .
	touch $@

$(TEST_DEPS): requirements-dev.txt $(BOOK_DEPS)
	$(BIN)/python -m pip install -c constraints.txt -r requirements-dev.txt
	touch $@

# The execution cache is keyed on the chapters' code only; chapter outputs (and the
# widget front end stored in them) also depend on backprop_lib. When the library has
# changed since the last build, drop the cache and re-execute every chapter.
# Every file git tracks under backprop_lib/ (subpackages included), plus uncommitted edits.
LIB_HASH = $(shell git ls-files -z -co --exclude-standard backprop_lib | xargs -0 cat 2>/dev/null | sha256sum | cut -c1-16)
JB_BUILD = all=; \
	if [ "$$(cat _build/.backprop_lib-hash 2>/dev/null)" != "$(LIB_HASH)" ]; then \
	  echo "backprop_lib changed since the last build: re-executing every chapter"; \
	  rm -rf _build/.jupyter_cache; all=--all; \
	fi; \
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

# The whole book as one PDF (_build/pdf/backprop-derived.pdf): the single-page HTML
# build (offline, reusing the execution cache of `make book`) printed by headless
# Chromium with a title page, contents, numbered chapters and unfolded solutions
# (tools/build_pdf.py). A copy goes beside the site's index.html, where the sidebar
# links it.
pdf: book $(TEST_DEPS) chromium
	BOOK_OFFLINE=1 $(BIN)/jupyter-book build . -W -n --keep-going \
	  --builder custom --custom-builder singlehtml
	$(BIN)/python tools/build_pdf.py _build/singlehtml _build/pdf/backprop-derived.pdf
	cp _build/pdf/backprop-derived.pdf _build/html/

# Every external link in the built book, with the pages that use it (this machine
# cannot reach them to check them).
links: book
	@$(BIN)/python tools/links.py _build/html

# Build-speed benchmark (not part of `make test`): a cold `make book` in a fresh
# copy of the repository, then a rebuild with nothing changed.
bench-build: $(BOOK_DEPS)
	$(BIN)/python benchmarks/bench_build.py

# Speed of backward against a per-example loop, the bare matrix multiplies and
# PyTorch (if installed), with single-threaded BLAS (not part of `make test`).
bench: $(BOOK_DEPS)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
	  $(BIN)/python benchmarks/bench_backprop.py

# Latency of the δ explorer: slider -> every δ updated on the static page (target
# 16 ms), one training epoch + heat map (16 ms) and an architecture edit (50 ms) on
# the static page, and the live-kernel round trip in Voila (300 ms). Not in `make test`.
bench-widget: $(TEST_DEPS) chromium
	$(BIN)/python benchmarks/bench_widget.py

test: lint chromium
	$(BIN)/python -m pytest

# Everything but the book build, the browser and the Binder tests (pytest markers
# book, browser, binder): the library, the SymPy checks, the errors, on every core
# (pytest-xdist). About 75 s of CPU: under a minute on two idle cores.
.PHONY: test-fast
test-fast: lint
	$(BIN)/python -m pytest -n auto -m "not book and not browser and not binder"

lint: $(TEST_DEPS) $(NODE_DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	node_modules/.bin/biome ci --colors=off js tests/js

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
