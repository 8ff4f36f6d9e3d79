#!/usr/bin/env bash
# A throwaway PostgreSQL server (Debian's package) on a free loopback port, removed when
# the calling script exits. Sourced, not run: `source scripts/postgresql_temporaire.sh`
# leaves DATABASE_URL pointing at an empty database named simulateur.
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$pgbin" ] || [ ! -x "$pgbin/postgres" ]; then
  if [ "$(id -u)" != 0 ]; then echo "PostgreSQL absent : sudo apt-get install postgresql"; exit 1; fi
  echo "Installation de PostgreSQL (Debian)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi
pg_donnees="$(mktemp -d)"
pg_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
comme_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$pg_donnees"
comme_pg "$pgbin/initdb" -D "$pg_donnees" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
pg_arreter() { comme_pg "$pgbin/pg_ctl" -D "$pg_donnees" -m fast stop >/dev/null 2>&1 || true; rm -rf "$pg_donnees"; }
trap pg_arreter EXIT
# PG_OPTIONS: extra server settings (the test suite turns fsync off; the bench keeps it).
comme_pg "$pgbin/pg_ctl" -D "$pg_donnees" -w -l "$pg_donnees/journal.log" \
  -o "-p $pg_port -k $pg_donnees -c listen_addresses=127.0.0.1 ${PG_OPTIONS:-}" start >/dev/null
comme_pg "$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres simulateur
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') sur 127.0.0.1:$pg_port"
export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/simulateur"
