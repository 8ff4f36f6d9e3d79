#!/usr/bin/env bash
# bench/import_zonage.py on a throwaway PostgreSQL server (Debian's package): started,
# migrated with the shipped reference data, measured, then removed.
set -euo pipefail
racine="$(cd "$(dirname "$0")/.." && pwd)"
cd "$racine"
source scripts/postgresql_temporaire.sh
.venv/bin/python manage.py migrate --verbosity 0
.venv/bin/python manage.py load_reference --verbosity 0 >/dev/null
.venv/bin/python bench/import_zonage.py "$@"
