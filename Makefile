# Two commands on a fresh machine with Python 3.11 and make: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install test-packages replay clean bench-peers

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
test: install test-packages replay
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

# ReplayWeb.page for the replay test (tests/test_warc_replay.py), from its npm package: ui.js and
# sw.js are whole bundles, so npm fetches the package alone (pack), not the tree they were built from.
REPLAYWEBPAGE := replaywebpage@2.5.3
REPLAY_DIR := .replaywebpage
replay: $(REPLAY_DIR)/.installed

$(REPLAY_DIR)/.installed: Makefile
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else echo "the replay test needs: sudo apt-get install npm"; exit 1; fi; }
	rm -rf $(REPLAY_DIR) && mkdir -p $(REPLAY_DIR)
	cd $(REPLAY_DIR) && npm pack --silent $(REPLAYWEBPAGE) >/dev/null && \
	  tar xzf replaywebpage-*.tgz --strip-components=1 package/ui.js package/sw.js package/LICENSE && \
	  rm replaywebpage-*.tgz
	touch $@

# Peers for benchmarks/extraction_bench.py only: readability-lxml's release
# pins an old cssselect that our rule selectors cannot use, so it goes in
# without its dependencies (the ones it needs come first).
# news-please, the baseline of benchmarks/import_bench.py, lives in a venv of its own: it
# brings its own Scrapy, newspaper and warcio, which are none of the archive's business.
# jieba is newspaper's Chinese tokenizer: without it news-please fails, cheaply, on every
# Chinese page, and the baseline looks faster than it is.
NEWS_PLEASE_VENV := .venv-news-please
bench-peers: install $(NEWS_PLEASE_VENV)/.installed
	$(BIN)/pip install --quiet 'chardet>=5' 'html-text>=0.6'
	$(BIN)/pip install --quiet --no-deps 'readability-lxml>=0.8.4'

$(NEWS_PLEASE_VENV)/.installed:
	$(PYTHON) -m venv $(NEWS_PLEASE_VENV)
	$(NEWS_PLEASE_VENV)/bin/pip install --quiet 'news-please>=1.6,<2' 'jieba>=0.42'
	touch $@

clean:
	rm -rf $(VENV) $(NEWS_PLEASE_VENV) $(REPLAY_DIR) demo-site archive.db archive.db-wal archive.db-shm archive-warc .pytest_cache
