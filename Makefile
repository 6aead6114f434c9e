# Two commands on a fresh Debian machine with python3 and pip: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# localhost only unless told: a private resume link is the only key to an assessment, so the app
# is not offered to the network by accident (HOST=0.0.0.0 make run serves every interface)
HOST   ?= 127.0.0.1
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test lint audit format browser pdf-libs bench schemas clean

# ---- environment ---------------------------------------------------------------------------------
$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "python3 -m venv is missing: installing Debian's python3-venv"; \
	    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); \
	  else echo "error: python3 -m venv failed; install it with: sudo apt-get install python3-venv"; exit 1; fi; }
	@$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "installing salesopt into $(VENV)"
	@$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@echo "installing salesopt with its test tools into $(VENV)"
	@$(PIP) install -e '.[dev]'
	@touch $@ $(VENV)/.installed

# ---- the two commands ----------------------------------------------------------------------------
run: $(VENV)/.installed pdf-libs
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT) --server.address $(HOST)

# The storage tests also run against a throwaway PostgreSQL (Debian's package) when it can be had.
test: $(VENV)/.installed-dev browser pdf-libs lint audit
	@url=$$(bash scripts/postgres-for-tests.sh); \
	  echo "PostgreSQL for the storage tests: $${url:-none (those tests skip)}"; \
	  SALESOPT_TEST_POSTGRES_URL="$$url" $(BIN)/python -m pytest

# ---- parts -----------------------------------------------------------------------------------------
# The browser test drives Debian's chromium (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "error: the browser test needs Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

# The plan's PDF is its HTML printed by WeasyPrint, which needs Pango and HarfBuzz (and a Unicode font).
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-libs:
	@command -v dpkg-query >/dev/null 2>&1 || exit 0; \
	  missing=$$(for p in $(PDF_LIBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	  [ -z "$$missing" ] && exit 0; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's libraries for the plan's PDF:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "warning: the plan's PDF needs: sudo apt-get install" $$missing; fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy salesopt ui app_pages
	$(BIN)/python -m salesopt frameworks check

# Known vulnerabilities in the installed packages (PyPI's advisory data): says how many packages it
# audited; "not audited" (a warning) when none could be looked up; fails on a known vulnerability.
audit: $(VENV)/.installed-dev
	@$(BIN)/python scripts/audit.py --skip-editable --progress-spinner off

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schemas: $(VENV)/.installed
	$(BIN)/python -m salesopt frameworks schema

bench: $(VENV)/.installed-dev browser
	$(BIN)/python bench/startup.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis tests/e2e/artifacts
