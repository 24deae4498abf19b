# newsvoice — `make` lists the targets. `make demo` and `make test` set everything up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install demo test pytest lint typecheck bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(INSTALLED) ## create .venv and install newsvoice with its dev tools

demo: $(INSTALLED) ## extract every article in samples/ and print it
	@for f in samples/*.html samples/*.txt; do \
		printf '\n\033[1m== %s\033[0m\n\n' "$$f"; \
		$(BIN)/newsvoice extract "$$f" || exit $$?; \
	done

test: lint typecheck pytest ## lint, type-check and run the test suite

pytest: $(INSTALLED)
	$(BIN)/pytest

lint: $(INSTALLED) ## ruff check and ruff format --check
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(INSTALLED) ## mypy (strict) over src/newsvoice
	$(BIN)/mypy

bench: $(INSTALLED) ## extraction quality and speed against trafilatura on the Zyte corpus
	$(BIN)/python -m bench.extraction

clean: ## remove the venv, caches and build output
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
