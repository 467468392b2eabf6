# Frontbrief: `make demo` and `make test` are all a newcomer needs (Python 3.11).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench soak lock clean catalogs

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

## demo: install, then run the main job on embedded defaults (SQLite, bundled sample feeds)
demo: $(STAMP)
	$(BIN)/python -m bot demo

## test: install, then run the whole suite (PostgreSQL tests too when TEST_POSTGRES_URL is set)
test: $(STAMP)
	$(BIN)/python -m pytest

BENCH_STAMP := $(VENV)/.bench-installed
# Claims in the query benchmark: 100,000 keeps make bench short; 1000000 is the acceptance size
# (`make bench QUERY_CLAIMS=1000000`, about 3 minutes of filling per database).
QUERY_CLAIMS ?= 100000
# Real articles for the reading benchmark's second ratio, when the corpora are there.
CORPORA ?= ../shared/corpora
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev,bench]'
	touch $(BENCH_STAMP)

## bench: the benchmarks, printed figures and ratios (with the peer, reader, installed from the bench extra)
bench: $(BENCH_STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/replay.py --days 1
	$(BIN)/python bench/replay.py --days 7
	$(BIN)/python bench/reading.py $(if $(wildcard $(CORPORA)),--corpus $(CORPORA))
	$(BIN)/python bench/grouping.py
	$(BIN)/python bench/item_growth.py
	$(BIN)/python bench/fanout.py
	$(BIN)/python bench/bot.py
	$(BIN)/python bench/botmemory.py
	$(BIN)/python bench/query.py $(QUERY_CLAIMS)

## soak: the load and fault scenarios at full size (needs TEST_POSTGRES_URL; about ten minutes)
# The local server's restart command (Debian's pg_ctlcluster), when there is one.
PG_RESTART := $(shell command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql 2>/dev/null | head -n 1 | \
	sed 's/^\(.*\)$$/pg_ctlcluster --skip-systemctl-redirect \1 main restart -m fast/')
soak: $(STAMP)
	TEST_POSTGRES_URL=$${TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
	TEST_POSTGRES_RESTART="$${TEST_POSTGRES_RESTART:-$(PG_RESTART)}" $(BIN)/python bench/soak.py

## catalogs: the message catalogs as Babel keeps them: extract the ids from the code, update the .po files, compile
BABEL_KEYWORDS := --no-default-keywords -k t:2 -k tn:2,3 -k N_ -k Nn_:1,2
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --project=Frontbrief --version=0.1.0 --copyright-holder="the Frontbrief team" --sort-by-file -o bot/locales/frontbrief.pot .
	$(BIN)/pybabel update -i bot/locales/frontbrief.pot -d bot/locales -D frontbrief --no-wrap --ignore-obsolete
	$(BIN)/pybabel compile -d bot/locales -D frontbrief --statistics

## lock: re-pin every dependency after changing pyproject.toml
lock:
	rm -rf /tmp/frontbrief-lock && $(PYTHON) -m venv /tmp/frontbrief-lock
	/tmp/frontbrief-lock/bin/python -m pip install --quiet -e '.[dev]'
	{ echo "# Pinned versions of every dependency (make lock regenerates it). Installed with pip -c."; \
	  /tmp/frontbrief-lock/bin/python -m pip freeze --exclude-editable; } > requirements.lock

clean:
	rm -rf $(VENV) data .pytest_cache
