# Casework: the two commands of the README, and the set-up they share.
.PHONY: setup setup-test run test database bench

DEMO_HOUSEHOLDS ?= 2000
# The demo registry describes 2018-09-01 and ships demonstration values for the parameters the
# policy documents leave open (casework/demo/local-params.yaml, labelled as such).
DEMO_DATE ?= 2018-09-01
DEMO_PARAMS ?= casework/demo/local-params.yaml
PYTEST_ARGS ?=

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

database:
	@.venv/bin/casework db upgrade
	@.venv/bin/casework demo-data --households $(DEMO_HOUSEHOLDS) --seed 1 --if-empty

run: setup database
	@CASEWORK_LOCAL_PARAMS=$(DEMO_PARAMS) .venv/bin/casework recompute --on $(DEMO_DATE)
	@.venv/bin/casework received demo --seed 1
	@.venv/bin/python -m casework.dashboards.demo_trend --months 5
	@CASEWORK_LOCAL_PARAMS=$(DEMO_PARAMS) .venv/bin/python -m web

test: setup-test database
	@env -u CASEWORK_LOCAL_PARAMS -u CASEWORK_DATABASE_URL .venv/bin/python -m pytest $(PYTEST_ARGS)

bench: setup
	@.venv/bin/python scripts/bench_registry.py
	@.venv/bin/python scripts/bench_rules.py
	@.venv/bin/python scripts/bench_web.py
	@.venv/bin/python scripts/bench_certificates.py
	@.venv/bin/python scripts/bench_inspector.py
