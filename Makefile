# newsvoice — `make` lists the targets. `make demo` and `make test` set everything up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
JS := tests/js
JS_INSTALLED := $(JS)/node_modules/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.DEFAULT_GOAL := help
.PHONY: help install checkers demo test pytest lint typecheck bench fuzz clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,ja]'
	touch $@

install: $(INSTALLED) ## create .venv and install newsvoice with its dev tools

$(JS_INSTALLED): $(JS)/package.json $(JS)/package-lock.json
	cd $(JS) && PUPPETEER_SKIP_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
		npm ci --no-audit --no-fund --loglevel=error
	touch $@

APT_TOOLS := java:default-jre-headless chromium:chromium ffprobe:ffmpeg espeak-ng:espeak-ng \
	lou_translate:liblouis-bin daisy-player:daisy-player tmux:tmux gcc:gcc

checkers: $(INSTALLED) $(JS_INSTALLED) ## install the real checkers and tools: Java, Chromium, ffmpeg, espeak-ng, liblouis, daisy-player, tmux (apt-get); Ace, epub.js, foliate-js, axe-core, Lighthouse, podcast-partytime (npm)
	@missing=""; for pair in $(APT_TOOLS); do \
		command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; \
	fi

DEMO_URL ?= http://127.0.0.1:8000/

demo: $(INSTALLED) ## print every sample's article, write EPUBs (one read-along), the seed's MP3, VTT, chapters, DAISY book and braille to out/, publish the samples as a podcast site in out/site/
	@for f in samples/*.html samples/*.txt; do \
		printf '\n\033[1m== %s\033[0m\n\n' "$$f"; \
		$(BIN)/newsvoice extract "$$f" || exit $$?; \
	done
	@mkdir -p out
	$(BIN)/newsvoice epub samples/csmonitor-kerry-china.html -o out/seed.epub
	$(BIN)/newsvoice epub samples/ -o out/samples-edition.epub --title "newsvoice samples"
	$(BIN)/newsvoice epub samples/csmonitor-kerry-china.html -o out/seed-readalong.epub --narrate
	$(BIN)/newsvoice audio samples/csmonitor-kerry-china.html -o out/seed.mp3 \
		--transcript vtt --chapters-json
	$(BIN)/newsvoice daisy samples/csmonitor-kerry-china.html -o out/seed-daisy.zip
	@command -v lou_translate >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq liblouis-bin; }
	$(BIN)/newsvoice braille samples/csmonitor-kerry-china.html -o out/seed.brf
	@test -f out/site/newsvoice.toml || $(BIN)/newsvoice feed init out/site --base-url $(DEMO_URL) \
		--title "newsvoice samples" --owner-name "newsvoice demo" --owner-email podcast@example.org
	$(BIN)/newsvoice publish samples/ --site out/site --readalong
	$(BIN)/newsvoice feed check out/site
	@printf '\nThe podcast site is in out/site/. Serve it with\n\n    %s feed serve out/site\n\nthen open %s (feed: %sfeed.xml).\n' "$(BIN)/newsvoice" "$(DEMO_URL)" "$(DEMO_URL)"

test: lint typecheck pytest ## lint, type-check and run the whole test suite with the real checkers

PYTEST_JOBS ?= auto

pytest: $(INSTALLED) checkers
	NEWSVOICE_REQUIRE_TOOLS=1 $(BIN)/pytest -n $(PYTEST_JOBS) --dist loadgroup

lint: $(INSTALLED) ## ruff check and ruff format --check
	$(BIN)/ruff check src tests bench fuzz
	$(BIN)/ruff format --check src tests bench fuzz

typecheck: $(INSTALLED) ## mypy (strict) over src/newsvoice
	$(BIN)/mypy

bench: $(INSTALLED) ## one report: extraction vs trafilatura, narration vs raw engine, warm vs cold, jobs 1/2 (seed, 8-article edition), batch jobs 1/2/cluster, publish time by site size, peak memory
	@status=0; \
	for part in extraction narration batch publish memory; do \
		printf '\n'; $(BIN)/python -m bench.$$part || status=1; \
	done; exit $$status

FUZZ_SECONDS ?= 600

fuzz: $(INSTALLED) ## fuzz decode → extract → EPUB, feed and pages for FUZZ_SECONDS (600) with atheris; findings go to fuzz/crashers/
	@$(BIN)/python -c "import atheris" 2>/dev/null || $(BIN)/python -m pip install --quiet 'atheris==3.0.0' \
		|| echo "atheris does not install here: using the pure-Python fallback driver"
	$(BIN)/python fuzz/fuzz_pipeline.py --seconds $(FUZZ_SECONDS)

clean: ## remove the venv, caches and build output
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis \
		out tests/artifacts $(JS)/node_modules
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
