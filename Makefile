# Casework: the two commands of the README, and the set-up they share.
.PHONY: setup setup-test run test database demo bench

DEMO_HOUSEHOLDS ?= 2000
PYTEST_ARGS ?=

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

database:
	@.venv/bin/casework db upgrade
	@.venv/bin/casework demo-data --households $(DEMO_HOUSEHOLDS) --seed 1 --if-empty

run: setup database
	@.venv/bin/python -m web

test: setup-test database
	@.venv/bin/python -m pytest $(PYTEST_ARGS)

bench: setup
	@.venv/bin/python scripts/bench_registry.py
	@.venv/bin/python scripts/bench_rules.py
