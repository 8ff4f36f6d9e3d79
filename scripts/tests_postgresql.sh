#!/usr/bin/env bash
# The test suite on a real PostgreSQL server (Debian's package), started for this run only.
# Not the browser and server tests: they run their own server on a SQLite file.
set -euo pipefail
racine="$(cd "$(dirname "$0")/.." && pwd)"
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$pgbin" ] || [ ! -x "$pgbin/postgres" ]; then
  if [ "$(id -u)" != 0 ]; then echo "PostgreSQL absent : sudo apt-get install postgresql"; exit 1; fi
  echo "Installation de PostgreSQL (Debian)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi
donnees="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
comme_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$donnees"
comme_pg "$pgbin/initdb" -D "$donnees" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
arreter() { comme_pg "$pgbin/pg_ctl" -D "$donnees" -m fast stop >/dev/null 2>&1 || true; rm -rf "$donnees"; }
trap arreter EXIT
comme_pg "$pgbin/pg_ctl" -D "$donnees" -w -l "$donnees/journal.log" \
  -o "-p $port -k $donnees -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') sur 127.0.0.1:$port"
cd "$racine"
DATABASE_URL="postgres://postgres@127.0.0.1:$port/simulateur" \
  .venv/bin/pytest -m "not browser and not serveur" -p no:cacheprovider -q "$@"
