#!/usr/bin/env bash
# The limiter's counters on a real Redis (Debian's redis-server, started for this run
# only, on a free loopback port): the store LIMITES_STOCKAGE=redis://… selects.
set -euo pipefail
racine="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then echo "Redis absent : sudo apt-get install redis-server"; exit 1; fi
  echo "Installation de Redis (Debian)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
dossier="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dossier" \
  --daemonize yes --pidfile "$dossier/redis.pid" --logfile "$dossier/redis.log"
arreter() { kill "$(cat "$dossier/redis.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$dossier"; }
trap arreter EXIT
for _ in $(seq 50); do [ -s "$dossier/redis.pid" ] && redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
echo "Redis $(redis-server --version | awk '{print $3}') sur 127.0.0.1:$port"
cd "$racine"
LIMITES_REDIS="redis://127.0.0.1:$port/0" \
  .venv/bin/pytest -p no:cacheprovider -q tests/test_counters.py "$@"
