# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench venv demo clean deps-run deps-test

# System packages first (scripts/system-deps installs them as root, else prints the apt-get line).
deps-run:
	@scripts/system-deps run
deps-test:
	@scripts/system-deps test

# The laptop's local settings, read by sts/settings.py, so that `manage.py ...` works as written in
# the README: debug on, mail written to var/mail/. Never in production (no var/local.env there).
var/local.env:
	mkdir -p var
	printf '%s\n' '# Written by make run / make test for this laptop (sts/settings.py reads it). Not for production.' \
	  'DJANGO_DEBUG=1' 'STS_EMAIL_FILE_PATH=var/mail' > $@

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,bench]'
	touch $(STAMP)

venv: $(STAMP)

# The app with demo data: SQLite + filesystem broker unless DATABASE_URL / REDIS_URL say otherwise.
# A laptop runs in debug (plain http, no secret key needed); production sets DJANGO_SECRET_KEY.
run: deps-run $(STAMP) var/local.env demo
	scripts/dev-server

demo: $(STAMP) var/local.env
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference data/reference
	$(PY) manage.py sts_signing_cert
	$(PY) manage.py seed_demo

# Two test processes (pytest-xdist): the tests that drive Chromium, Celery workers or the laptop
# set-up run one after another in one of them, the rest in the other (tests/conftest.py).
PYTEST_PROCESSES ?= -n 2 --dist loadgroup
test: deps-test $(STAMP) var/local.env
	$(PY) -m pytest $(PYTEST_PROCESSES) $(PYTEST_ARGS)

# Benchmarks run the production settings (DEBUG off) with a throwaway key.
bench: $(STAMP)
	DJANGO_SETTINGS_MODULE=sts.test_settings $(PY) bench/run_all.py

clean:
	rm -rf var
