# littoral: `make demo` runs the main job, `make test` runs every check.
# Both set up the virtual environment on first use; nothing else needs to be installed by hand.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WEB_VENDOR := src/littoral/web/static/vendor/.installed
OUT ?= out

.PHONY: demo test lint typecheck unit install web-assets bench clean

demo: install
	$(BIN)/littoral exercise --out $(OUT)/exercise

install: $(STAMP) $(WEB_VENDOR)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The map page's JavaScript comes from the npm registry at build time, never a CDN at run time.
$(WEB_VENDOR): src/littoral/web/package.json
	cd src/littoral/web && npm install --no-audit --no-fund --silent
	mkdir -p src/littoral/web/static/vendor
	cp src/littoral/web/node_modules/leaflet/dist/leaflet.js src/littoral/web/node_modules/leaflet/dist/leaflet.css src/littoral/web/static/vendor/
	cp -r src/littoral/web/node_modules/leaflet/dist/images src/littoral/web/static/vendor/
	touch $@

web-assets: $(WEB_VENDOR)

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy --strict src

unit: install
	$(BIN)/pytest -q

test: lint typecheck unit

# The drift benchmark runs its peer, OpenDrift, in a separate environment of its own.
benchmarks/.env-opendrift/.installed:
	bash benchmarks/opendrift_env/setup.sh
	touch $@

bench: install benchmarks/.env-opendrift/.installed
	for b in benchmarks/*_bench.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache src/littoral/web/node_modules src/littoral/web/static/vendor
