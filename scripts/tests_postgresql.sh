#!/usr/bin/env bash
# The test suite on a real PostgreSQL server (Debian's package), started for this run only.
# Not the browser and server tests: they run their own server on a SQLite file.
set -euo pipefail
racine="$(cd "$(dirname "$0")/.." && pwd)"
cd "$racine"
PG_OPTIONS="-c fsync=off" source scripts/postgresql_temporaire.sh
.venv/bin/pytest -m "not browser and not serveur" -p no:cacheprovider -q "$@"
