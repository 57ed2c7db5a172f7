# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench venv demo clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,bench]'
	touch $(STAMP)

venv: $(STAMP)

# The app with demo data: SQLite + filesystem broker unless DATABASE_URL / REDIS_URL say otherwise.
# A laptop runs in debug (plain http, no secret key needed); production sets DJANGO_SECRET_KEY.
run demo: export DJANGO_DEBUG ?= 1
run: $(STAMP) demo
	scripts/dev-server

demo: $(STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference data/reference
	$(PY) manage.py sts_signing_cert
	$(PY) manage.py seed_demo

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks run the production settings (DEBUG off) with a throwaway key.
bench: $(STAMP)
	DJANGO_SETTINGS_MODULE=sts.test_settings $(PY) bench/run_all.py

clean:
	rm -rf var
