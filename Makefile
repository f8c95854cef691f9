# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,web]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@AMITY_STORE=$${AMITY_STORE:-demo.db} bash scripts/demo.sh

test: $(STAMP)
	@bash scripts/chromium.sh
	AMITY_TODAY=2026-11-23 $(BIN)/python -m pytest

clean:
	rm -rf $(VENV) demo.db
