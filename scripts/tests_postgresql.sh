#!/usr/bin/env bash
# The test suite on a real PostgreSQL server (Debian's package), started for this run only.
# Not the browser and server tests: they run their own server on a SQLite file.
set -euo pipefail
racine="$(cd "$(dirname "$0")/.." && pwd)"
PG_OPTIONS="-c fsync=off" source "$racine/scripts/postgresql_temporaire.sh"
cd "$racine"
.venv/bin/pytest -m "not browser and not serveur" -p no:cacheprovider -q "$@"
