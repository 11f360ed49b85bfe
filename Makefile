# Two commands on a fresh machine with Python 3.11 and make: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install test-packages clean bench-peers

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: install
	$(BIN)/archive demo

# Most tests wait on servers and subprocesses, so three workers fit two cores;
# a file's tests stay together so its module fixtures (a crawl) run once.
test: install test-packages
	$(BIN)/python -m pytest -n 3 --dist loadfile

# The browser tests drive Debian's Chromium (Playwright never downloads one);
# CJK fonts make their screenshots readable. The distributed-crawl tests start
# private redis-servers (never the system service). Installed once, as root.
TEST_PACKAGES := chromium fonts-wqy-zenhei redis-server
test-packages:
	@dpkg -s $(TEST_PACKAGES) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TEST_PACKAGES) >/dev/null; \
	  else echo "the tests need: sudo apt-get install $(TEST_PACKAGES)"; fi; }

# Peers for benchmarks/extraction_bench.py only: readability-lxml's release
# pins an old cssselect that our rule selectors cannot use, so it goes in
# without its dependencies (the ones it needs come first).
bench-peers: install
	$(BIN)/pip install --quiet 'chardet>=5' 'html-text>=0.6'
	$(BIN)/pip install --quiet --no-deps 'readability-lxml>=0.8.4'

clean:
	rm -rf $(VENV) demo-site archive.db archive.db-wal archive.db-shm archive-warc .pytest_cache
