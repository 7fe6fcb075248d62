# neuroframes-edu
#   make run    set up .venv, execute every notebook (FAST) with papermill, build the book website
#   make test   set up .venv, lint, unit tests, execute the notebooks and re-check their outputs (nbval),
#               build the book with warnings as errors, load every page in headless Chromium
# Both set themselves up from nothing and skip set-up that is already done.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Installed before the package when torch is not importable, so pip never resolves the package's
# `torch>=2.2` to a multi-GB CUDA build on a CPU machine. Elsewhere pass, e.g.,
# TORCH_PIP_ARGS="--index-url https://download.pytorch.org/whl/cpu" for the CPU build.
TORCH_VERSION ?= 2.13.0
TORCH_PIP_ARGS ?=
# course: the notebook pipeline and Jupyter tools (make run and make test need it and ipykernel from it)
EXTRAS ?= course,dev,book,hcp
STAMP := $(VENV)/.neuroframes-edu-installed
# Extra arguments for run-notebooks, e.g. NOTEBOOK_ARGS="--only 00" or NOTEBOOK_ARGS=--full
NOTEBOOK_ARGS ?=
# pytest workers for the unit tests (the notebook checks run one notebook at a time)
PYTEST_WORKERS ?= 2
# apt-get needs root: use sudo when not root
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export PYTHONHASHSEED := 0
export JUPYTER_PREFER_ENV_PATH := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup run test notebooks book sync-notebooks lint unit browser clean

help:
	@echo "make run             execute the course notebooks and build the book (the main job)"
	@echo "make test            lint, unit tests, notebook execution + nbval, strict book build, browser test"
	@echo "make notebooks       only execute the notebooks (NOTEBOOK_ARGS='--only 00' for one)"
	@echo "make book            only build the book from already executed notebooks"
	@echo "make sync-notebooks  regenerate notebooks/*.ipynb from the jupytext .py sources"
	@echo "make clean           remove build outputs (keeps .venv)"

setup: $(STAMP)

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "neuroframes-edu needs Python >= 3.10, but $(PYTHON) is " + sys.version.split()[0] + "; run e.g. make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	@if $(PY) -c 'import torch' 2>/dev/null; then \
	  echo "torch $$($(PY) -c 'import torch; print(torch.__version__)') is already installed"; \
	else \
	  echo "Installing torch==$(TORCH_VERSION) first (CPU build where one is available)"; \
	  $(PY) -m pip install --progress-bar off "torch==$(TORCH_VERSION)" $(TORCH_PIP_ARGS); \
	fi
	$(PY) -m pip install --progress-bar off -e ".[$(EXTRAS)]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" >/dev/null
	@touch $@

notebooks: setup
	$(PY) -m neuroframes_edu run-notebooks $(NOTEBOOK_ARGS)

book: setup
	$(PY) -m neuroframes_edu build-book

run: notebooks book

lint: setup
	$(PY) -m ruff check .

# One thread per pytest worker: torch and BLAS otherwise start a thread per core in every worker, and
# 2 workers x 2 threads on 2 cores made the unit tests 1.5x slower (138 s vs 93 s, measured).
unit: setup
	OMP_NUM_THREADS=1 $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile tests --ignore=tests/browser

# nbval re-executes the notebooks one after another, with the threads papermill had: printed numbers
# then match to the last digit, and no kernel competes with a test worker for the cores (run beside
# the unit tests the two phases took 1040 s; apart, 93 s + 281 s, measured).
test: lint setup browser
	$(PY) -m neuroframes_edu run-notebooks --no-progress $(NOTEBOOK_ARGS)
	OMP_NUM_THREADS=1 $(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile tests --ignore=tests/browser
	MPLBACKEND=module://matplotlib_inline.backend_inline \
	  $(PY) -m pytest jupyter-book/executed --nbval --nbval-current-env --nbval-cell-timeout 900
	$(PY) -m neuroframes_edu build-book
	$(PY) -m pytest tests/browser

# Debian's chromium for the browser test (Playwright drives it; no browser is downloaded)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium package for the browser test"; \
	  $(SUDO) apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y --no-install-recommends chromium; }; }

sync-notebooks: setup
	$(PY) -m neuroframes_edu sync-notebooks

clean:
	rm -rf jupyter-book/_build jupyter-book/_mathjax jupyter-book/executed .pytest_cache .ruff_cache build
