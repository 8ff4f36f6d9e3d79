# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup run test test-rapide lint format bench bench-import captures navigateur nginx check-deploy test-postgresql test-redis verifier-image loadtest ci clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_reference
	@# Our modules' bytecode, written once: this environment forbids Python to write it
	@# (PYTHONDONTWRITEBYTECODE), so each process compiled ~80 modules again (0.05 s).
	$(BIN)/python -m compileall -q simulator rules >/dev/null

run: setup
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Browser tests need Debian's Chromium: installed here when missing (CI runs as root).
navigateur:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installation de Chromium (Debian)…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium absent : sudo apt-get install chromium (sinon les tests navigateur sont ignorés)"; fi; }

# The documented proxy, run on loopback by tests/test_service_reel.py and
# scripts/proxy_local.py: Debian's nginx, installed here when missing (CI runs as root).
nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installation de nginx (Debian)…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	  else echo "nginx absent : sudo apt-get install nginx-light (sinon tests/test_service_reel.py est ignoré)"; fi; }

# Production settings must pass Django's deployment checklist.
check-deploy: $(STAMP)
	DJANGO_ENV=production DJANGO_SECRET_KEY=verification-check-deploy-0123456789-abcdefghijklmnopqrstuvwxyz \
	  DJANGO_ALLOWED_HOSTS=simulateur.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

# The reference database is built once per run (migrate + load_reference, tests/conftest.py)
# and copied by the test database and each test server. The slowest tests are listed at
# the end: past a few seconds, mark them `slow` (pytest -m "not slow": a quick loop).
test: setup lint check-deploy navigateur nginx
	$(BIN)/pytest --durations=12

# The pure core and every golden case, without a database: seconds, for every save.
test-rapide: $(STAMP)
	$(BIN)/pytest -q tests/core

# The same suite on a real PostgreSQL (Debian's server, started for the run).
test-postgresql: setup
	bash scripts/tests_postgresql.sh

# The limiter's counters on a real Redis (Debian's server, started for the run).
test-redis: setup
	bash scripts/tests_redis.sh

# The Dockerfile's steps, run outside Docker on a clean copy.
verifier-image:
	bash scripts/verifier_image.sh

# Everything CI runs.
ci: test test-postgresql test-redis verifier-image

loadtest: setup
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python bench/charge.py

captures: setup navigateur
	$(BIN)/python scripts/captures.py

bench: setup
	$(BIN)/python bench/bench_core.py

# A national zonage file (every commune) applied and undone, on SQLite then PostgreSQL.
bench-import: setup
	$(BIN)/python bench/import_zonage.py
	bash bench/import_zonage_postgresql.sh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .mypy_cache .ruff_cache
