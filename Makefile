# Two commands on a fresh machine with Python 3.11 and make: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: install
	$(BIN)/archive demo

test: install /usr/bin/chromium
	$(BIN)/python -m pytest

# The browser the UI tests drive (Debian's chromium, through Playwright); needs root.
/usr/bin/chromium:
	apt-get update && apt-get install -y --no-install-recommends chromium

clean:
	rm -rf $(VENV) demo-site archive.db archive.db-wal archive.db-shm .pytest_cache
