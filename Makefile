# The two set-up commands of the README: `make demo` (crawl the bundled demo portal on loopback)
# and `make test`. Both create the virtualenv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/python -m crawler.demo

test: install
	$(BIN)/python -m pytest -q

clean:
	rm -rf archive/reports.db* archive/state.db* archive/warc archive/.lock
