#!/usr/bin/env bash
# bench/import_zonage.py on a throwaway PostgreSQL server (Debian's package): started,
# migrated with the shipped reference data, measured, then removed.
set -euo pipefail
racine="$(cd "$(dirname "$0")/.." && pwd)"
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$pgbin" ] || [ ! -x "$pgbin/postgres" ]; then
  echo "PostgreSQL absent : sudo apt-get install postgresql"; exit 1
fi
donnees="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
comme_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$donnees"
comme_pg "$pgbin/initdb" -D "$donnees" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
arreter() { comme_pg "$pgbin/pg_ctl" -D "$donnees" -m fast stop >/dev/null 2>&1 || true; rm -rf "$donnees"; }
trap arreter EXIT
comme_pg "$pgbin/pg_ctl" -D "$donnees" -w -l "$donnees/journal.log" \
  -o "-p $port -k $donnees -c listen_addresses=127.0.0.1" start >/dev/null
comme_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres simulateur
cd "$racine"
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/simulateur"
.venv/bin/python manage.py migrate --verbosity 0
# Where the shipped data are loaded by a command rather than by the migrations.
if .venv/bin/python manage.py help load_reference >/dev/null 2>&1; then
  .venv/bin/python manage.py load_reference --verbosity 0 >/dev/null
fi
.venv/bin/python bench/import_zonage.py "$@"
