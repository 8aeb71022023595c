# The two set-up commands of the README: `make demo` (crawl the bundled demo portal on loopback into
# archive/demo/) and `make test`. Both create the virtualenv on first use. `make browse` opens an
# archive in Datasette (the reading room: crawler/browse/).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8360
# what `make browse` serves: the demo's archive unless told (make browse DB=archive/reports.db)
DB ?= archive/demo/reports.db
BROWSE_PORT ?= 8001

.PHONY: demo test install browse clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/python -m crawler.demo --port $(PORT)

$(BIN)/.browse: $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[browse]'
	touch $@

browse: $(BIN)/.browse
	$(BIN)/python -m crawler.browse $(DB) --port $(BROWSE_PORT)

# one pytest worker per core, each test file on one worker (a file's crawl fixture runs once)
test: install
	$(BIN)/python -m pytest -q -n auto --dist loadfile

clean:
	rm -rf archive/reports.db* archive/state.db* archive/warc archive/.lock archive/demo
